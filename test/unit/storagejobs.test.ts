// The storage and save jobs' pure parts: qemu-img's output (real captures), vol-info's bytes,
// the jobs view's rows, the refusals, the forms' checks.
import test from 'ava';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { homedir, tmpdir } from 'node:os';
import { FIXTURES, fakeActionHost, waitFor } from '../helpers.ts';
import { DOMAIN_ACTIONS } from '../../screens/domains/actions.ts';
import { VOLUME_ACTIONS, type VolumeCtx } from '../../screens/volumes/actions.ts';
import { findAction } from '../../src/ui/keymap.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { runOnce } from '../../src/virsh/spawn.ts';
import { bytesProgress, checkVerdict, convertPercent, parseVolInfoBytes, isQcow2Magic } from '../../src/libvirt/storagejobs.ts';
import { Jobs, type Job } from '../../src/model/jobs.ts';
import { elapsed, endText, jobDetail, jobNames, jobRows, progressCell, runningWork } from '../../screens/jobs/rows.ts';
import { convertedName, qemuImgRefusal } from '../../screens/volumes/qemuimg.ts';
import { downloadFileCheck, uploadFileCheck, volumeNameCheck } from '../../screens/volumes/transfer.ts';
import { savePathCheck } from '../../screens/domains/savefile.ts';
import { headOf, localFile } from '../../src/model/localfile.ts';
import type { Volume } from '../../src/model/volumes.ts';

const fx = (f: string) => readFileSync(join(FIXTURES, 'storagejobs', f), 'utf8');

test('qemu-img check: clean qcow2, raw (exit 63: no checks), a corrupted qcow2 (exit 2), leaks only (exit 3)', (t) => {
  t.deepEqual(checkVerdict(0, fx('check-ok.json'), ''), { ok: true, message: 'no errors found (qcow2)' });
  const raw = checkVerdict(63, fx('check-raw.json'), fx('check-raw.stderr'));
  t.true(raw.ok);
  t.regex(raw.message, /^nothing to check: This image format does not support checks/);
  const bad = checkVerdict(2, fx('check-corrupt.json'), fx('check-corrupt.stderr'));
  t.false(bad.ok);
  t.regex(bad.message, /^1 corruption: data may be corrupted/);
  t.deepEqual(checkVerdict(3, '{"leaks": 4, "check-errors": 0}', ''), { ok: false, message: '4 leaked clusters: space wasted, no data harmed (qemu-img check -r leaks repairs it)' });
  t.deepEqual(checkVerdict(1, '', 'qemu-img: Could not open \'/x\': No such file or directory\n'), { ok: false, message: 'Could not open \'/x\': No such file or directory' });
});

test('qemu-img convert -p: the last percentage of the \\r-rewritten line', (t) => {
  const out = fx('convert-p.out');
  t.is(convertPercent(out), 100);
  t.is(convertPercent(out.slice(0, 60)), 4);
  t.is(convertPercent('    (12.50/100%)\r'), 12.5);
  t.is(convertPercent(''), null);
});

test('vol-info --bytes (a real capture) and a progress in bytes', (t) => {
  t.deepEqual(parseVolInfoBytes(fx('vol-info-bytes.txt')), { capacity: 268435456, allocation: 1253376, physical: undefined });
  t.deepEqual(parseVolInfoBytes('Capacity:       268435456 bytes\nPhysical:       1310720 bytes\n').physical, 1310720);
  t.deepEqual(bytesProgress(3 * 2 ** 20, 2 ** 20), { text: '3.0 MiB of 1.0 MiB', done: 2 ** 20, total: 2 ** 20 });
});

const job = (over: Partial<Job>): Job => ({ id: 1, kind: 'vol-upload', host: 'kvm1', target: 'default/a b', command: "virsh vol-upload --pool default --vol 'a b' --file /x", started: 1_000, ended: null, state: 'running', message: '', hint: '', output: '', last: null, cancelling: false, ...over });

test('the jobs view\'s rows: newest first, the time ticks with the clock, a bar while running, the outcome once ended', (t) => {
  t.is(elapsed(65_000), '1m05s');
  t.is(elapsed(3 * 3_600_000 + 120_000), '3h02m');
  const running = job({ id: 1, last: { text: '50.0 MiB of 200 MiB', done: 50, total: 200 } });
  const failed = job({ id: 2, kind: 'qemu-img check', state: 'failed', ended: 4_000, message: '1 corruption', hint: 'repair from a copy' });
  const cancelled = job({ id: 3, kind: 'vol-wipe', state: 'cancelled', ended: 9_000, message: 'cancelled: its process was ended' });
  const rows = jobRows([running, failed, cancelled], 11_000);
  t.deepEqual(rows.map((r) => r.cells.slice(0, 2)), [['cancelled', 'vol-wipe'], ['FAILED', 'qemu-img check'], ['running', 'vol-upload']]);
  t.deepEqual(rows.map((r) => r.cells[4]), ['8s', '3s', '10s']);
  t.is(rows[2]!.cells[5], '██░░░░░░  25% 50.0 MiB of 200 MiB');
  t.is(rows[1]!.cells[5], '1 corruption (repair from a copy)');
  t.is(rows[1]!.color, 'red-fg');
  t.is(progressCell(job({ progress: async () => null })), '…');
  t.is(progressCell(job({ last: { text: 'saving' } })), 'saving');
  t.is(jobRows([running], 61_000)[0]!.cells[4], '1m00s');
  t.deepEqual(jobNames([running, failed], true), ['vol-upload of default/a b (kvm1)', 'qemu-img check of default/a b (kvm1)']);
  t.is(endText(failed), 'qemu-img check of default/a b failed: 1 corruption');
  t.is(endText(cancelled), 'vol-wipe of default/a b cancelled');
  t.is(endText(job({ state: 'ok', message: 'done' })), 'vol-upload of default/a b done');
  const d = jobDetail(failed, 11_000);
  t.true(d.includes('hint:     repair from a copy'));
  t.true(d.includes('cancel:   cannot be cancelled'));
});

test('Jobs: `end` once per job with its hint; a cancel that fails leaves the job running, not cancelled', async (t) => {
  const jobs = new Jobs();
  const ended: Job[] = [];
  jobs.on('end', (j: Job) => ended.push(j));
  const err = Object.assign(new Error('vol-wipe failed'), { hint: 'the driver cannot', stderr: 'error: vol-wipe failed\nerror: more' });
  await jobs.run({ kind: 'vol-wipe', host: 'h', target: 'p/v', command: 'c' }, async () => { throw err; }).done.catch(() => {});
  t.is(ended.length, 1);
  t.is(ended[0]!.hint, 'the driver cannot');
  t.is(ended[0]!.output, 'error: vol-wipe failed\nerror: more');
  let finish!: () => void;
  const save = jobs.run({ kind: 'snapshot', host: 'h', target: 'd', command: 'c', cancel: async () => { throw new Error('cannot abort internal snapshot'); } }, () => new Promise<void>((r) => { finish = r; }));
  await t.throwsAsync(jobs.cancel(save.job), { message: /cannot abort/ });
  t.false(save.job.cancelling);
  finish();
  await save.done;
  t.is(save.job.state, 'ok');
});

const vol = (over: Partial<Volume> = {}): Volume => ({ name: 'a.qcow2', type: 'file', key: '', path: '/p/a.qcow2', format: 'qcow2', backing: '', backingFormat: '', pool: 'p', usedBy: [], ...over });

test('qemu-img is refused on a remote host, the test driver, a non-file volume, a disk of a running guest (named)', (t) => {
  t.is(qemuImgRefusal('qemu:///system', vol()), '');
  t.is(qemuImgRefusal('qemu:///system', vol({ usedBy: [{ domain: 'web 01', target: 'vda', running: false }] })), '');
  t.regex(qemuImgRefusal('qemu+ssh://root@kvm2/system', vol()), /on the host of qemu\+ssh:\/\/root@kvm2\/system: qemu-img cannot reach it from here/);
  t.regex(qemuImgRefusal('test:///default', vol()), /test driver/);
  t.regex(qemuImgRefusal('qemu:///system', vol({ type: 'network' })), /a network volume/);
  t.regex(qemuImgRefusal('qemu:///system', vol({ usedBy: [{ domain: 'web 01', target: 'vda', running: true }] })), /^a\.qcow2 is a disk of web 01, which is running/);
  t.is(convertedName('web.qcow2', 'raw'), 'web.raw');
  t.is(convertedName('disk', 'qcow2'), 'disk.qcow2');
});

test('the forms\' checks: a missing or empty local file, a missing directory, a relative save path, names with / or spaces at the ends', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'h16b-unit '));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'empty'), '');
  writeFileSync(join(dir, 'img'), Buffer.from([0x51, 0x46, 0x49, 0xfb, 0, 0, 0, 3]));
  t.regex(uploadFileCheck(join(dir, 'nope')), /^no such file/);
  t.is(uploadFileCheck(join(dir, 'empty')), 'the file is empty');
  t.is(uploadFileCheck(dir), 'not a file');
  t.is(uploadFileCheck(join(dir, 'img')), '');
  t.is(downloadFileCheck(join(dir, 'new')), '');
  t.regex(downloadFileCheck(join(dir, 'no', 'x')), /^its directory does not exist/);
  t.is(localFile('-x', dir).path, join(dir, '-x'));
  t.is(localFile('~/disk.img', dir).path, join(homedir(), 'disk.img'));
  t.is(localFile('~', dir).path, homedir());
  t.is(localFile('~x', dir).path, join(dir, '~x'));
  t.true(isQcow2Magic(headOf(join(dir, 'img'))));
  t.is(volumeNameCheck(`-x 'q' $(id)`), '');
  t.is(volumeNameCheck('a/b'), 'a volume name cannot contain /');
  t.is(volumeNameCheck(' a'), 'no spaces at its ends');
  t.regex(savePathCheck('qemu:///system', '-x.save', false), /absolute path/);
  t.is(savePathCheck('qemu:///system', join(dir, 'x.save'), false), '');
  t.regex(savePathCheck('qemu:///system', join(dir, 'no', 'x.save'), false), /directory does not exist/);
  t.is(savePathCheck('qemu:///system', join(dir, 'x.save'), true), 'no such file');
  // on another host the file is there, not here: only the form of the path is checked
  t.is(savePathCheck('qemu+ssh://kvm2/system', '/srv/nothing-here.save', true), '');
  // the managed save's own file is refused for a save of that domain
  t.regex(savePathCheck('qemu+ssh://kvm2/system', '/var/lib/libvirt/qemu/save/web 01.save', false, 'web 01'), /managed save file of web 01/);
  t.is(savePathCheck('qemu+ssh://kvm2/system', '/var/lib/libvirt/qemu/save/web 01.save', false, 'web-02'), '');
});

test('managed save and vol-wipe as jobs: the command listed, domjobabort cancels the save, ending the process cancels the wipe', async (t) => {
  const f = fakeActionHost();
  let signal: AbortSignal | undefined;
  let release!: () => void;
  const wait = new Promise<void>((r) => { release = r; });
  // the long command waits until cancelled: the abort is what ends it
  f.host.action = async (args, opts) => {
    f.ran.push(args);
    if (args[0] === 'managedsave' || args[0] === 'vol-wipe') {
      signal = opts?.signal;
      await wait;
      return { ok: false, output: '', error: new VirshError(`virsh ${args[0]}`, 'operation aborted: job canceled by client', '') };
    }
    if (args[0] === 'domjobabort') release();
    return { ok: true, output: '' };
  };
  const d = { name: 'web 01', id: 1, state: 'running' as const, autostart: false, persistent: true, managedSave: false };
  await findAction(DOMAIN_ACTIONS, 'm', { host: f.host, dom: d }, false)!.run({ host: f.host, dom: d });
  const save = f.jobs.list[0]!;
  t.is(save.command, "virsh managedsave --domain 'web 01'");
  t.is(save.state, 'running');
  t.regex(save.cancelNote!, /goes on running as before/);
  await f.jobs.cancel(save);
  await waitFor(() => save.state !== 'running');
  t.is(save.state, 'cancelled');
  t.true(f.ran.some((a) => a.join(' ') === 'domjobabort --domain web 01'));

  const v = vol({ name: 'disk 1' });
  const c: VolumeCtx = { host: f.host, vol: v, pool: 'p', poolActive: true, volumes: [v] };
  await VOLUME_ACTIONS.find((a) => a.label === 'wipe')!.run(c);
  const wipe = f.jobs.list[1]!;
  t.is(wipe.command, "virsh vol-wipe --pool p --vol 'disk 1'");
  t.regex(wipe.cancelNote!, /libvirt cannot abort a wipe/);
  t.false(signal!.aborted);
  await f.jobs.cancel(wipe);
  t.true(signal!.aborted);
});

test('runOnce: an aborted signal ends the process (kind cancelled); onOutput sees the output as it comes', async (t) => {
  const ac = new AbortController();
  const p = runOnce('sleep', ['30'], { signal: ac.signal });
  setTimeout(() => ac.abort(), 200);
  const t0 = Date.now();
  const e = await t.throwsAsync(p);
  t.is((e as VirshError).kind, 'cancelled');
  t.true(Date.now() - t0 < 10_000);
  let seen = '';
  const r = await runOnce('printf', ['(5.00/100%%)\\r(50.00/100%%)\\r'], { onOutput: (s) => { seen += s; } });
  t.is(r.exitCode, 0);
  t.is(convertPercent(seen), 50);
});

test('the quit question\'s one line about what runs: the jobs and the actions named together, one account of what quitting does', (t) => {
  const up = job({ kind: 'vol-upload', target: 'default/a b' });
  const save = job({ id: 2, kind: 'save', target: 'web-01', host: 'kvm2' });
  t.deepEqual(runningWork([], [], false), []);
  const [both] = runningWork([up, save], ['virsh start db-1 (kvm1)'], true);
  t.regex(both!, /^Still running: 2 jobs \(vol-upload of default\/a b \(kvm1\), save of web-01 \(kvm2\)\) and 1 action \(virsh start db-1 \(kvm1\)\)\. Quitting ends/);
  // one account: a save is libvirtd's own work and goes on; an upload stops
  t.regex(both!, /an upload, .* stops half done; what libvirtd does by itself \(a save, a wipe, an action already sent\) goes on/);
  t.regex(runningWork([], ['virsh start db-1'], false)[0]!, /^Still running: 1 action \(virsh start db-1\)\. /);
  t.regex(runningWork([up], [], false)[0]!, /^Still running: 1 job \(vol-upload of default\/a b\)\. /);
});
