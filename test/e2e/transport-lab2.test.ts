// The transport against lab 2, a real second host over a unix socket and over real SSH: what the
// many-hosts feature relies on. Serial: every test counts logins in the one sshd log.
import test from 'ava';
import { VirshSession } from '../../src/virsh/session.ts';
import { streamLines } from '../../src/virsh/spawn.ts';
import { connectionLost, VirshError } from '../../src/virsh/errors.ts';
import { waitFor } from '../helpers.ts';
import { holdLabsForThisFile } from './lablock.ts';
import { LAB2_SKIPPED, LAB2_SSH_URI, LAB2_UNIX_URI, killLab2Daemon, lab2Available, sshLogins, startLab2, stopLab2 } from './lab2.ts';

const LAB2 = LAB2_SKIPPED ? test.skip : test.serial;
if (!LAB2_SKIPPED) holdLabsForThisFile();

const session = (t: { teardown(f: () => void): void }, uri: string) => {
  const s = new VirshSession({ uri, timeoutMs: 30_000 });
  t.teardown(() => s.close());
  return s;
};

LAB2('one session over ssh: one login for 20 commands and a batch of reads', async (t) => {
  t.true(lab2Available(), 'lab 2 is up (bash ../shared/lab/setup-lab2.sh)');
  const before = sshLogins();
  const s = session(t, LAB2_SSH_URI);
  const started = Date.now();
  t.is((await s.run(['hostname'])).trim(), 'virtlab2');
  t.log(`connect + first command over ssh: ${Date.now() - started} ms`);
  for (let i = 0; i < 19; i++) t.regex(await s.run(['list', '--all', '--name']), /lab2-delta/);
  await Promise.all(['nodeinfo', 'version', 'uri', 'net-list', 'pool-list'].map((c) => s.run([c])));
  t.is(s.stats.calls, 25);
  t.is(sshLogins() - before, 1, 'exactly one ssh login for the whole session');
  t.is(s.stats.restarts, 0);
});

LAB2('libvirtd dies behind a live sshd: one login per attempt while down, no restart of virsh, back by itself', async (t) => {
  t.timeout(120_000);
  t.true(lab2Available(), 'lab 2 is up');
  let down = false;
  t.teardown(() => { if (down) startLab2(); });
  const s = session(t, LAB2_SSH_URI);
  const lost: string[] = [];
  s.on('lost', (line: string) => lost.push(line));
  await s.run(['hostname']);
  // the event stream: a process of its own, one more login
  let ended = '';
  let endedStderr = '';
  const base = sshLogins();
  const seen: string[] = [];
  const events = streamLines('virsh', ['-c', LAB2_SSH_URI, 'event', '--all', '--loop', '--timestamp'], (l) => seen.push(l), (why, stderr) => { ended = why; endedStderr = stderr; });
  t.teardown(() => events.stop());
  // connected once it reports an event (it prints nothing before)
  const local = session(t, LAB2_UNIX_URI);
  await waitFor(() => sshLogins() > base, 20_000, () => 'the event stream to log in');
  const end = Date.now() + 30_000;
  // the login comes before the connection and the event registration: poke until it reports
  while (!seen.some((l) => /Resumed/.test(l))) {
    if (Date.now() > end || ended) throw new Error(`the event stream never reported (it said ${JSON.stringify(seen)}, ended: ${ended})`);
    await local.run(['suspend', 'lab2-delta']);
    await local.run(['resume', 'lab2-delta']);
    await waitFor(() => seen.length > 0, 1000).catch(() => {});
  }
  t.is(sshLogins() - base, 1, 'the event stream is one login');
  const before = sshLogins();

  down = true;
  killLab2Daemon();
  // virsh says so by itself, between calls, and the event stream ends with the same words
  await waitFor(() => lost.length > 0 && ended !== '', 10_000, () => `the loss to be told (lost: ${lost}, stream: ${ended})`);
  t.regex(lost[0]!, /^Disconnected from qemu\+ssh:.* due to end of file$/);
  t.true(connectionLost(ended), ended);
  t.regex(endedStderr, /client socket is closed/);
  // five reads while down: rejected together, after one reconnection attempt (one login)
  const r = await Promise.allSettled(['list', 'nodeinfo', 'net-list', 'pool-list', 'version'].map((c) => s.run([c])));
  t.deepEqual(r.map((x) => x.status), Array(5).fill('rejected'));
  const e = (r[0] as PromiseRejectedResult).reason as VirshError;
  t.true(connectionLost(e.stderr), e.stderr);
  t.regex(e.hint, /not running on the remote host/);
  t.is(sshLogins() - before, 1, 'one login for the one attempt');

  startLab2();
  down = false;
  const back = sshLogins();
  t.is((await s.run(['hostname'])).trim(), 'virtlab2', 'virsh reconnected by itself at the next command');
  t.false(s.lost);
  for (let i = 0; i < 10; i++) await s.run(['list', '--name']);
  t.is(sshLogins() - back, 1, 'the reconnection is one login, and it lasts');
  t.is(s.stats.restarts, 0, 'the same virsh process throughout');
});

LAB2('lab 2 stopped and started (daemons and sshd): the sessions tell it, and answer again without a restart', async (t) => {
  t.timeout(180_000);
  t.true(lab2Available(), 'lab 2 is up');
  let down = false;
  t.teardown(() => { if (down) startLab2(); });
  const unix = session(t, LAB2_UNIX_URI);
  const ssh = session(t, LAB2_SSH_URI);
  await Promise.all([unix.run(['hostname']), ssh.run(['hostname'])]);

  down = true;
  stopLab2();
  for (const [s, hint] of [[unix, /connection to libvirtd was lost/], [ssh, /cannot be reached over ssh/]] as const) {
    const e = await t.throwsAsync(s.run(['list']), { instanceOf: VirshError });
    t.true(connectionLost(e!.stderr), e!.stderr);
    t.regex(e!.hint, hint);
    const again = await t.throwsAsync(s.run(['list']), { instanceOf: VirshError });
    t.regex(again!.line, /^Failed to reconnect to the hypervisor: /);
  }

  startLab2();
  down = false;
  t.is((await unix.run(['hostname'])).trim(), 'virtlab2');
  t.is((await ssh.run(['hostname'])).trim(), 'virtlab2');
  t.deepEqual([unix.stats.restarts, ssh.stats.restarts], [0, 0]);
});
