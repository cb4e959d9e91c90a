// The session protocol, against a fake virsh (failure modes) and the real one (test driver).
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirshSession } from '../../src/virsh/session.ts';
import { VirshError, connectionLost } from '../../src/virsh/errors.ts';
import { FAKE_VIRSH, FIXTURES, HOSTILE_URI, HOSTILE_NAMES, DEMO_URI, waitFor } from '../helpers.ts';
import { PtyProcess, type PtyExit } from '../../src/pty/process.ts';

const fake = (extra: Partial<ConstructorParameters<typeof VirshSession>[0]> = {}) =>
  new VirshSession({ uri: 'fake:///', virsh: FAKE_VIRSH, timeoutMs: 3000, ...extra });

test('output is cut exactly at the marks, one call at a time', async (t) => {
  const s = fake();
  t.teardown(() => s.close());
  const [a, b, c] = await Promise.all([s.run(['out', 'hello']), s.run(['echo', 'no newline']), s.run(['out', 'three'])]);
  t.is(a, 'hello\n');
  t.is(b, 'no newline');
  t.is(c, 'three\n');
  t.is(s.stats.calls, 3);
});

test('an error line on stderr rejects with a VirshError naming the command', async (t) => {
  const s = fake();
  t.teardown(() => s.close());
  const e = await t.throwsAsync(s.run(['fail', "failed to get domain 'x'"]), { instanceOf: VirshError });
  t.is(e!.line, "failed to get domain 'x'");
  t.regex(e!.command, /^virsh -c fake:\/\/\/ fail /);
  t.is(await s.run(['out', 'still fine']), 'still fine\n');
});

test('an error inside a batch of reads is given to the right call; the others succeed', async (t) => {
  const s = fake();
  t.teardown(() => s.close());
  await s.run(['out', 'warm']);
  const before = { ...s.stats };
  const results = await Promise.allSettled([s.run(['out', 'a']), s.run(['fail', 'only me']), s.run(['out', 'c']), s.run(['fail', 'me too']), s.run(['out', 'e'])]);
  t.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
  t.is((results[0] as PromiseFulfilledResult<string>).value, 'a\n');
  t.is((results[2] as PromiseFulfilledResult<string>).value, 'c\n');
  t.is((results[4] as PromiseFulfilledResult<string>).value, 'e\n');
  t.is(((results[1] as PromiseRejectedResult).reason as VirshError).line, 'only me');
  t.is(((results[3] as PromiseRejectedResult).reason as VirshError).line, 'me too');
  // told apart in one more batch, not in one batch per read
  t.is(s.stats.batches - before.batches, 2);
  t.is(s.stats.calls - before.calls, 10);
});

test('an action runs alone in its batch and is never repeated', async (t) => {
  const s = fake();
  t.teardown(() => s.close());
  const before = s.stats.calls;
  const r = await Promise.allSettled([s.run(['out', 'x']), s.run(['fail', 'action failed'], { exclusive: true }), s.run(['fail', 'read failed'])]);
  t.deepEqual(r.map((x) => x.status), ['fulfilled', 'rejected', 'rejected']);
  t.is(s.stats.calls - before, 3, 'each call written once: the failing read was alone in its batch too');
});

test('a warning on stderr is not a failure', async (t) => {
  const s = fake();
  t.teardown(() => s.close());
  t.is(await s.run(['noise']), '');
});

test('a hung call times out, the session restarts (and says so), later calls work', async (t) => {
  const s = fake({ timeoutMs: 400 });
  t.teardown(() => s.close());
  const restarts: string[] = [];
  s.on('restart', (r: string) => restarts.push(r));
  await s.run(['out', 'before']);
  const e = await t.throwsAsync(s.run(['hang']), { instanceOf: VirshError });
  t.is(e!.kind, 'timeout');
  t.is(restarts.length, 1);
  t.is(await s.run(['out', 'after']), 'after\n');
  t.is(s.stats.restarts, 1);
});

test('reads batched with a hung one are not lost: they run in the new session', async (t) => {
  const s = fake({ timeoutMs: 400 });
  t.teardown(() => s.close());
  const hung = s.run(['hang']);
  const behind = [s.run(['out', 'one']), s.run(['out', 'two'])];
  await t.throwsAsync(hung, { instanceOf: VirshError });
  t.deepEqual(await Promise.all(behind), ['one\n', 'two\n']);
});

test('virsh dying mid-call rejects that call, and the reads batched with it run again', async (t) => {
  const s = fake();
  t.teardown(() => s.close());
  await s.run(['out', 'ready']);
  const [before, died, after] = await Promise.allSettled([s.run(['out', 'before']), s.run(['die']), s.run(['out', 'after'])]);
  t.deepEqual([before.status, died.status, after.status], ['fulfilled', 'rejected', 'fulfilled']);
  t.is((after as PromiseFulfilledResult<string>).value, 'after\n');
  const restarts: string[] = [];
  s.on('restart', (r: string) => restarts.push(r));
  const e = await t.throwsAsync(s.run(['die']), { instanceOf: VirshError });
  t.is(e!.kind, 'died');
  t.is(await s.run(['out', 'alive']), 'alive\n');
  t.is(restarts.length, 1);
});

test('a connection that fails at start rejects with virsh\'s own error and the hint', async (t) => {
  const s = new VirshSession({ uri: 'qemu:///nowhere', virsh: FAKE_VIRSH, env: { ...process.env, FAKE_VIRSH_REFUSE: '1' } });
  t.teardown(() => s.close());
  const e = await t.throwsAsync(s.start(), { instanceOf: VirshError });
  t.regex(e!.line, /failed to connect to the hypervisor/);
  t.regex(e!.hint, /libvirtd/);
});

test('a missing virsh binary says how to install it', async (t) => {
  const s = new VirshSession({ uri: 'test:///default', virsh: '/nonexistent/virsh' });
  t.teardown(() => s.close());
  const e = await t.throwsAsync(s.start(), { instanceOf: VirshError });
  t.is(e!.kind, 'missing');
  t.regex(e!.hint, /apt-get install libvirt-clients/);
});

test('real virsh: hostile names reach libvirt unchanged (dominfo, suspend, resume)', async (t) => {
  const s = new VirshSession({ uri: HOSTILE_URI });
  t.teardown(() => s.close());
  for (const name of HOSTILE_NAMES) {
    const info = await s.run(['dominfo', name]);
    t.regex(info, new RegExp(`^Name:\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), name);
  }
  await s.run(['suspend', 'web 01']);
  t.regex(await s.run(['domstate', 'web 01']), /paused/);
  await s.run(['resume', 'web 01']);
  // `echo` shows exactly what virsh's parser made of the quoting
  t.is(await s.run(['echo', ...HOSTILE_NAMES]), HOSTILE_NAMES.join(' '));
  t.is(await s.run(['echo', "$(touch /tmp/virtui-pwned)", '`id`', ';', 'list']), "$(touch /tmp/virtui-pwned) `id` ; list");
});

test('real virsh: a destroy on the test driver lasts for the life of the session', async (t) => {
  const s = new VirshSession({ uri: DEMO_URI });
  t.teardown(() => s.close());
  t.regex(await s.run(['domstate', 'web-01']), /running/);
  await s.run(['destroy', 'web-01']);
  t.regex(await s.run(['domstate', 'web-01']), /shut off/);
  t.regex(await s.run(['domstate', 'web-01']), /shut off/);
  // a second connection sees the world as the file describes it
  const other = new VirshSession({ uri: DEMO_URI });
  t.teardown(() => other.close());
  t.regex(await other.run(['domstate', 'web-01']), /running/);
});

test('real virsh: read-only sessions refuse changes with virsh\'s error', async (t) => {
  const s = new VirshSession({ uri: DEMO_URI, readonly: true });
  t.teardown(() => s.close());
  const e = await t.throwsAsync(s.run(['destroy', 'web-01']), { instanceOf: VirshError });
  t.regex(e!.line, /read only/);
  t.regex(e!.hint, /read-only/);
});

test('a UI busy past the time limit reads the answer waiting for it instead of timing out', async (t) => {
  const s = fake({ timeoutMs: 400 });
  t.teardown(() => s.close());
  await s.run(['out', 'warm']);
  const file = join(mkdtempSync(join(tmpdir(), 'virtui-mark-')), 'answered');
  const p = s.run(['mark', file]);
  // the event loop blocked (a huge paste, a slow render) past the limit, while virsh answered
  const start = Date.now();
  while (!existsSync(file) || Date.now() - start < 600) { if (Date.now() - start > 20_000) break; }
  t.is(await p, 'marked\n');
  t.is(s.stats.restarts, 0);
});

// Lab 2 showed it (test/e2e/transport-lab2.test.ts): virsh outlives its daemon and tries to reconnect at
// every command; over ssh each try is a login of 1-4 s. A batch of 5 reads cost 9 logins and 35 s.
const downFake = () => {
  const down = join(mkdtempSync(join(tmpdir(), 'virtui-down-')), 'down');
  const s = fake({ env: { ...process.env, FAKE_VIRSH_DOWN: down } });
  const tries = () => (existsSync(`${down}.tries`) ? readFileSync(`${down}.tries`, 'utf8').split('\n').filter(Boolean).length : 0);
  return { s, down, tries };
};

test('an action that failed on a lost link is never sent again, not even once the link is back', async (t) => {
  const { s, down, tries } = downFake();
  t.teardown(() => s.close());
  await s.run(['out', 'up']);
  writeFileSync(down, '');
  const failed = await s.run(['out', 'act'], { exclusive: true }).then(() => '', (e: VirshError) => e.stderr);
  t.true(connectionLost(failed));
  t.is(tries(), 1);
  unlinkSync(down);
  // back: one read is one call, and the action is not among what virsh is sent
  const before = s.stats.calls;
  t.is(await s.run(['out', 'read']), 'read\n');
  t.is(s.stats.calls - before, 1);
  t.is(tries(), 1);
});

test('a connection lost inside a batch fails its reads at once: they are not tried again one by one', async (t) => {
  const { s, down, tries } = downFake();
  t.teardown(() => s.close());
  await s.run(['out', 'up']);
  writeFileSync(down, '');
  // echo still answers: the five reads queue behind it and go as one batch
  const first = s.run(['echo', 'in flight']);
  // calls asked for in one turn share a batch: the next turn's queue behind this one
  await new Promise((r) => setImmediate(r));
  const r = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => s.run(['out', String(i)])));
  t.is(await first, 'in flight');
  t.deepEqual(r.map((x) => x.status), Array(5).fill('rejected'));
  t.true(connectionLost(((r[2] as PromiseRejectedResult).reason as VirshError).stderr));
  t.regex(((r[2] as PromiseRejectedResult).reason as VirshError).command, / out 3$/);
  // virsh tried each command of the batch once; no second round
  t.is(tries(), 5);
  t.true(s.lost);
});

test('once virsh said the link is gone, a batch is one call, and its failure fails the calls waiting', async (t) => {
  const { s, down, tries } = downFake();
  t.teardown(() => s.close());
  const events: string[] = [];
  s.on('lost', (line: string) => events.push(`lost: ${line}`));
  s.on('back', () => events.push('back'));
  await s.run(['drop']);
  writeFileSync(down, '');
  await waitFor(() => s.lost, 30_000, () => 'the session to notice the lost link');
  t.deepEqual(events, ['lost: Disconnected from fake:/// due to end of file']);
  const r = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => s.run(['out', String(i)])));
  t.deepEqual(r.map((x) => x.status), Array(5).fill('rejected'));
  t.is(tries(), 1, 'one reconnection attempt for five calls');
  // the daemon is back: the next call (alone) gets through, and batches are whole again
  unlinkSync(down);
  t.deepEqual(await Promise.all([s.run(['out', 'a']), s.run(['out', 'b'])]), ['a\n', 'b\n']);
  t.false(s.lost);
  t.deepEqual(events.slice(1), ['back']);
  const before = s.stats.calls;
  await Promise.all([s.run(['out', 'c']), s.run(['out', 'd']), s.run(['out', 'e'])]);
  t.is(s.stats.calls - before, 3);
  t.is(s.stats.restarts, 0, 'virsh itself reconnects: the process is never replaced');
});

test('an error of the call itself is not a lost link: a failed read fails alone', async (t) => {
  const s = fake();
  t.teardown(() => s.close());
  const r = await Promise.allSettled([s.run(['out', 'a']), s.run(['fail', "Failed to connect socket to '/dest/sock': Connection refused"]), s.run(['out', 'c'])]);
  t.deepEqual(r.map((x) => x.status), ['fulfilled', 'rejected', 'fulfilled']);
  t.false(s.lost);
});

test('virsh runs without virtui\'s terminal: ssh cannot ask for a host key or a password over the screen', async (t) => {
  // under qemu+ssh://, ssh opens /dev/tty to ask; in virtui that prompt lands on the UI and eats keys
  let out = '';
  let exit: PtyExit | null = null;
  const p = new PtyProcess({ file: process.execPath, args: ['--import', 'tsx', join(FIXTURES, 'session-tty.ts')] }, 80, 24, (d) => { out += d; }, (e) => { exit = e; });
  t.teardown(() => p.kill());
  await waitFor(() => exit !== null, 60_000, () => `the program to end (it said ${JSON.stringify(out)})`);
  t.regex(out, /session: no terminal/);
  // the event stream and the one-shot runs (long jobs) too
  t.regex(out, /stream: no terminal/);
  t.regex(out, /one-shot: no terminal/);
});

test('a 5 MB answer comes through whole and exact, with the calls around it', async (t) => {
  const s = fake({ timeoutMs: 20_000 });
  const n = 5 << 20;
  const [before, big, after] = await Promise.all([s.run(['out', 'before']), s.run(['big', String(n)]), s.run(['out', 'after'])]);
  s.close();
  t.is(before, 'before\n');
  t.is(after, 'after\n');
  t.is(big.length, n);
  const lines = big.split('\n');
  t.is(lines[0], `line 0 ${'x'.repeat(40)}`);
  t.is(lines[lines.length - 2], `line ${lines.length - 2} ${'x'.repeat(40)}`);
});

/** the pid of a session's virsh */
const pidOf = (s: VirshSession) => (s as unknown as { proc: { pid: number } | null }).proc!.pid;

test('real virsh: a test-driver session whose virsh is killed rebuilds its world: the changes run again in order, a define from a file gone since (by --file, or typed) from what the file held', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-replay-test '));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const replayDir = join(dir, 'private');
  mkdirSync(replayDir);
  const s = new VirshSession({ uri: DEMO_URI, replayDir });
  t.teardown(() => s.close());
  const replayed: unknown[] = [];
  s.on('replayed', (r) => replayed.push(r));
  await s.start();
  const xml = join(dir, "new one's.xml");
  writeFileSync(xml, "<domain type='test'><name>replay-me</name><memory>65536</memory><os><type>hvm</type></os></domain>");
  await s.run(['destroy', '--domain', 'web-01'], { exclusive: true });
  await s.run(['define', '--file', xml], { exclusive: true });
  unlinkSync(xml);
  // a path typed on the : line, without --file
  const typed = join(dir, 'typed.xml');
  writeFileSync(typed, "<domain type='test'><name>typed-one</name><memory>65536</memory><os><type>hvm</type></os></domain>");
  await s.run(['define', typed], { exclusive: true });
  unlinkSync(typed);
  // a failed change is not part of the world, nor is a read run alone (`:dominfo`)
  await t.throwsAsync(s.run(['start', '--domain', 'no-such-domain'], { exclusive: true }));
  await s.run(['dominfo', '--domain', 'web-01'], { exclusive: true, record: false });
  t.is(s.changesKept, 3);
  process.kill(pidOf(s), 'SIGKILL');
  await waitFor(() => s.stats.restarts === 1, 10_000, () => 'the restart');
  t.regex(await s.run(['domstate', '--domain', 'web-01']), /shut off/);
  t.regex(await s.run(['domstate', '--domain', 'replay-me']), /shut off/);
  t.regex(await s.run(['domstate', '--domain', 'typed-one']), /shut off/);
  t.deepEqual(replayed, [{ ok: 3, failed: [] }]);
  t.false(existsSync(xml));
  t.false(existsSync(typed));
  t.deepEqual(readdirSync(replayDir), [], 'the private copies are removed once the world is rebuilt');
});

test('real virsh: a managed save after which virsh says nothing (virsh 9 hangs in its job watcher) is run once more in the rebuilt world and answers; another call that hangs fails', async (t) => {
  const s = new VirshSession({ uri: DEMO_URI });
  t.teardown(() => s.close());
  await s.start();
  await s.run(['suspend', '--domain', 'db-primary'], { exclusive: true });
  // virsh stopped before it reads the call: as silent as one hung after the job
  process.kill(pidOf(s), 'SIGSTOP');
  // it resolves (virsh -q says nothing on success), where it would have failed after its limit
  t.is(await s.run(['managedsave', '--domain', 'web-01'], { exclusive: true, timeoutMs: 5000 }), '');
  t.is(s.stats.restarts, 1);
  t.regex(await s.run(['domstate', '--domain', 'web-01', '--reason']), /shut off \(saved\)/);
  t.regex(await s.run(['domstate', '--domain', 'db-primary']), /paused/, 'the change before it was run again');
  t.is(s.changesKept, 2);
  // any other call that hangs fails as before
  process.kill(pidOf(s), 'SIGSTOP');
  const e = await t.throwsAsync(s.run(['resume', '--domain', 'db-primary'], { exclusive: true, timeoutMs: 1500 }), { instanceOf: VirshError });
  t.is(e!.kind, 'timeout');
  t.regex(await s.run(['domstate', '--domain', 'db-primary']), /paused/);
});

test('a rebuilt world whose changes hang virsh again and again is given up after three rounds, and says so; the calls waiting then run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-hangif-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const flag = join(dir, 'hang now');
  const s = new VirshSession({ uri: 'test:///fake', virsh: FAKE_VIRSH, timeoutMs: 1000 });
  t.teardown(() => s.close());
  const replayed: Array<{ ok: number; failed: string[] }> = [];
  s.on('replayed', (r) => replayed.push(r));
  t.is(await s.run(['hangif', flag], { exclusive: true }), 'ok\n');
  t.is(s.changesKept, 1);
  // from now on the change hangs virsh each time it is run again
  writeFileSync(flag, '');
  process.kill(pidOf(s), 'SIGKILL');
  await waitFor(() => s.stats.restarts === 1, 10_000, () => 'the restart');
  t.is(await s.run(['out', 'after']), 'after\n');
  t.is(s.stats.restarts, 4, 'the kill, then three rounds that hung');
  t.is(replayed.length, 1);
  t.is(replayed[0]!.ok, 0);
  t.regex(replayed[0]!.failed[0]!, /^1 change: virsh was replaced 3 times while it ran them again/);
  t.is(s.changesKept, 0);
});
