// The session's virsh talks through real pipes (FIFOs, see src/virsh/fifo.ts), not Node's
// socketpairs: what virsh holds, what a restart leaves behind, and the fallback.
import test from 'ava';
import { closeSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirshSession } from '../../src/virsh/session.ts';
import { fifoStdio } from '../../src/virsh/fifo.ts';
import { DEMO_URI } from '../helpers.ts';

const pidOf = (s: VirshSession) => (s as unknown as { proc: { pid: number } | null }).proc!.pid;
const fdsOf = (pid: number | 'self') => readdirSync(`/proc/${pid}/fd`).length;
/** what a process's descriptor is: a pipe (a FIFO, unlinked or not), a socket (Node's own stdio) */
const kindOf = (pid: number, fd: number) => { const st = statSync(`/proc/${pid}/fd/${fd}`); return st.isFIFO() ? 'pipe' : st.isSocket() ? 'socket' : 'other'; };
/** the session pipes (FIFOs, by the private folder they were made in) a process holds open, and how many ends of each */
const sessionPipes = (pid: number | 'self') => {
  const dirs = new Map<string, number>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /\/(virtui-io-[^/]+)\/(in|out|err) \(deleted\)$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) dirs.set(m[1]!, (dirs.get(m[1]!) ?? 0) + 1);
    } catch { /* closed meanwhile */ }
  }
  return dirs;
};

test.serial('fifoStdio: three pipes, the child\'s ends blocking and ours not; nothing left in the folder; released ends are closed', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-fifo-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const before = fdsOf('self');
  const io = fifoStdio(dir);
  t.truthy(io);
  t.deepEqual(readdirSync(dir), [], 'the FIFOs are unlinked once open');
  for (const fd of [...io!.child, ...io!.ours]) t.is(kindOf(process.pid, fd), 'pipe');
  // (fdinfo gives the flags in octal)
  const flags = (fd: number) => parseInt(/flags:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))![1]!, 8);
  const NONBLOCK = 0o4000;
  for (const fd of io!.child) t.is(flags(fd) & NONBLOCK, 0, 'the child blocks');
  for (const fd of io!.ours) t.is(flags(fd) & NONBLOCK, NONBLOCK, 'we do not');
  io!.release();
  t.is(fdsOf('self'), before + 3, 'only ours are left open');
  for (const fd of io!.ours) closeSync(fd);
  t.is(fdsOf('self'), before);
});

test('fifoStdio: a folder that cannot be written gives null (the session then uses Node\'s pipes)', (t) => {
  t.is(fifoStdio('/nonexistent/folder'), null);
});

test.serial('real virsh: the session\'s virsh reads and writes pipes, and restarts (kill -9, twice) leave no descriptor behind', async (t) => {
  const base = sessionPipes('self');
  const s = new VirshSession({ uri: DEMO_URI, replay: false });
  t.teardown(() => s.close());
  t.regex(await s.run(['list', '--all', '--name']), /web-01/);
  const pid = pidOf(s);
  t.deepEqual([0, 1, 2].map((fd) => kindOf(pid, fd)), ['pipe', 'pipe', 'pipe']);
  // our ends of this virsh's pipes, by the folder they were made in (a count of all our
  // descriptors moves with whatever else the test process does; a FIFO's inode number is reused)
  const old = [...sessionPipes('self')].filter(([d]) => !base.has(d));
  t.deepEqual(old.map(([, n]) => n), [3]);
  for (let i = 0; i < 2; i++) {
    const was = pidOf(s);
    process.kill(was, 'SIGKILL');
    await new Promise<void>((r) => s.once('restart', () => r()));
    t.regex(await s.run(['list', '--all', '--name']), /web-01/);
    t.not(pidOf(s), was);
  }
  const now = sessionPipes('self');
  t.false(now.has(old[0]![0]), 'the old pipes were closed');
  t.deepEqual([...now].filter(([d]) => !base.has(d)).map(([, n]) => n), [3], 'the new ones are open');
  t.deepEqual([0, 1, 2].map((fd) => kindOf(pidOf(s), fd)), ['pipe', 'pipe', 'pipe']);
  // answers through the resting reader are whole: a big one and small ones in one batch
  const [big, small] = await Promise.all([s.run(['domstats', '--raw']), s.run(['domstate', 'web-01'])]);
  t.is(big.match(/^Domain: /gm)?.length, 13);
  t.is(small.trim(), 'running');
});
