import test from 'ava';
import { Jobs, percent } from '../../src/model/jobs.ts';
import { progressCell, stateLine } from '../../screens/jobs/rows.ts';

test('a job is running until its work settles, then ok or failed with the first line of the error', async (t) => {
  let now = 1000;
  const jobs = new Jobs(() => now);
  let finish!: () => void;
  const a = jobs.run({ kind: 'clone', host: 'kvm1', target: 'web', command: 'virt-clone ...' }, () => new Promise<void>((r) => { finish = r; }));
  const b = jobs.run({ kind: 'migrate', host: 'kvm2', target: 'db', command: 'virsh migrate ...' }, async () => { throw new Error('error: operation failed\nmore'); });
  await t.throwsAsync(b.done);
  t.is(b.job.state, 'failed');
  t.is(b.job.message, 'error: operation failed');
  t.deepEqual(jobs.running().map((j) => j.target), ['web']);
  t.deepEqual(jobs.running('kvm2'), []);
  now = 5000;
  finish();
  await a.done;
  t.is(a.job.state, 'ok');
  t.is(a.job.ended, 5000);
});

test('cancel: only a running job that can be cancelled; its failure then reads as cancelled', async (t) => {
  const jobs = new Jobs();
  let fail!: (e: Error) => void;
  const j = jobs.run({ kind: 'migrate', host: 'h', target: 'd', command: 'c', cancel: () => fail(new Error('operation aborted: job canceled by client')) }, () => new Promise((_r, f) => { fail = f; }));
  const plain = jobs.run({ kind: 'x', host: 'h', target: 'e', command: 'c' }, () => new Promise(() => {}));
  t.false(await jobs.cancel(plain.job));
  t.true(await jobs.cancel(j.job));
  await t.throwsAsync(j.done);
  t.is(j.job.state, 'cancelled');
  t.false(await jobs.cancel(j.job));
});

test('poll keeps the last progress of running jobs; ended jobs beyond the limit leave the list, running ones never', async (t) => {
  const jobs = new Jobs(Date.now, 2);
  const live = jobs.run({ kind: 'upload', host: 'h', target: 'v', command: 'c', progress: async () => ({ text: '1 of 4', done: 1, total: 4 }) }, () => new Promise(() => {}));
  await jobs.poll();
  t.is(live.job.last?.text, '1 of 4');
  t.is(percent(live.job.last!), 25);
  for (let i = 0; i < 4; i++) await jobs.run({ kind: 'k', host: 'h', target: `t${i}`, command: 'c' }, async () => i).done;
  t.true(jobs.list.includes(live.job));
  t.is(jobs.list.length, 2);
  t.is(percent({ text: '' }), null);
});

test('a job that ends well while its cancel is on its way is ok, not cancelled (the guest did move, the save was made)', async (t) => {
  const jobs = new Jobs();
  let finish!: () => void;
  let refuse!: (e: Error) => void;
  const j = jobs.run({ kind: 'migrate', host: 'h', target: 'd', command: 'c', cancel: () => new Promise<void>((_r, f) => { refuse = f; }) }, () => new Promise<void>((r) => { finish = r; }));
  await Promise.resolve();
  const cancelled = jobs.cancel(j.job);
  finish();
  await j.done;
  refuse(new Error('error: Requested operation is not valid: no job is active on the domain'));
  await t.throwsAsync(cancelled);
  t.is(j.job.state, 'ok');
  t.regex(j.job.message, /^done; the cancel came too late/);
});

test('the progress cell says a percentage once: qemu-img convert gives only the percentage', (t) => {
  const jobs = new Jobs();
  const { job } = jobs.run({ kind: 'qemu-img convert', host: 'h', target: 'p/v', command: 'qemu-img convert', progress: async () => null }, () => new Promise<void>(() => {}));
  jobs.report(job, { text: '', done: 45, total: 100 });
  t.is(progressCell(job), '████░░░░  45%');
});

test('the line under the jobs table says the state and the outcome once: "done", not "done: done"', async (t) => {
  const jobs = new Jobs();
  const ok = jobs.run({ kind: 'vol-wipe', host: 'h', target: 'lab-pool/x.raw', command: 'virsh vol-wipe ...' }, async () => {});
  await ok.done;
  t.is(stateLine(ok.job), 'done');
  const said = jobs.run({ kind: 'save', host: 'h', target: 'd', command: 'c' }, async (j) => { j.message = 'saved to /x'; });
  await said.done;
  t.is(stateLine(said.job), 'done: saved to /x');
  let fail!: (e: Error) => void;
  const c = jobs.run({ kind: 'migrate', host: 'h', target: 'd', command: 'c', cancel: () => fail(new Error('operation aborted: job canceled by client')) }, () => new Promise((_r, f) => { fail = f; }));
  await new Promise((r) => setImmediate(r));
  await jobs.cancel(c.job);
  await t.throwsAsync(c.done);
  t.is(c.job.state, 'cancelled');
  t.is(stateLine(c.job), 'cancelled: operation aborted: job canceled by client');
  const w = jobs.run({ kind: 'vol-wipe', host: 'h', target: 'v', command: 'c', cancel: () => fail(new Error('virsh ended')) }, () => new Promise((_r, f) => { fail = f; }));
  await new Promise((r) => setImmediate(r));
  await jobs.cancel(w.job);
  await t.throwsAsync(w.done);
  t.is(stateLine(w.job), 'cancelled (virsh ended)');
  const f = jobs.run({ kind: 'x', host: 'h', target: 'e', command: 'c' }, async () => { throw new Error('error: no space'); });
  await t.throwsAsync(f.done);
  t.is(stateLine(f.job), 'FAILED: error: no space');
});
