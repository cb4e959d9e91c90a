// The host: actions logged with their command, failures shown with a hint, restarts shown.
import test from 'ava';
import { Connection } from '../../src/model/connection.ts';
import { FAKE_VIRSH, DEMO_URI, capture, waitFor } from '../helpers.ts';
import { virshFailure } from '../../src/virsh/errors.ts';

test('a dying virsh is restarted and the status line says so', async (t) => {
  const quiet = new Connection({ uri: 'test:///fake', readonly: false, demo: false, virsh: FAKE_VIRSH, timeoutMs: 500 });
  t.teardown(() => quiet.close());
  await quiet.session.start();
  // a read that hangs (a refresh, say): the restart notice itself stays in the status line
  await t.throwsAsync(quiet.run(['hang']));
  t.regex(quiet.status.text, /^virsh session restarted: a call timed out after 0\.5s \(the test driver world was reloaded/);

  const h = new Connection({ uri: 'test:///fake', readonly: false, demo: false, virsh: FAKE_VIRSH });
  t.teardown(() => h.close());
  await h.session.start();
  const r = await h.action(['die']);
  t.false(r.ok);
  t.is(h.status.kind, 'error');
  t.regex(h.status.text, /^virsh die: virsh exited/);
  t.regex(h.status.hint!, /the virsh session was restarted \(the test driver world was reloaded/);
  t.is((await h.action(['out', 'back'])).output, 'back\n');
});

test('actions: the command is shown and logged; a failure gets virsh\'s line and a hint', async (t) => {
  const h = new Connection({ uri: DEMO_URI, readonly: false, demo: true });
  t.teardown(() => h.close());
  await h.connect();
  const ok = await h.action(['suspend', 'web-01']);
  t.true(ok.ok);
  t.is(h.status.text, 'virsh suspend web-01: ok');
  const bad = await h.action(['suspend', 'no such vm']);
  t.false(bad.ok);
  t.regex(h.status.text, /^virsh suspend 'no such vm': failed to get domain 'no such vm'/);
  t.regex(h.status.hint!, /no longer exists/);
  t.deepEqual(h.log.entries.map((e) => [e.short, e.ok]), [['virsh suspend web-01', true], ["virsh suspend 'no such vm'", false]]);
  t.regex(h.log.entries[0]!.command, /^virsh -c test:\/\/\/.*world\.xml suspend web-01$/);
});

test('virsh says the link is lost: the health is down at once with its reason, the events stop; the next answer clears it', async (t) => {
  const c = new Connection({ uri: DEMO_URI, readonly: false, demo: true });
  t.teardown(() => c.close());
  await c.connect();
  await c.domains.refresh();
  let stopped = 0;
  let started = 0;
  // the demo has no event stream: a stand-in sees what the connection does with one
  c.events = { stop: () => { stopped++; }, start: () => { started++; }, live: false } as unknown as Connection['events'];
  const before = Date.now();
  c.session.emit('lost', 'Disconnected from qemu:///system due to end of file');
  t.is(c.health.state, 'down');
  t.is(c.health.reason, 'Disconnected from qemu:///system due to end of file');
  t.is(stopped, 1);
  t.true(c.retryAt >= before + 2000, 'the first retry is 2 s away');
  // the tick leaves it alone until then; a refresh asked for now (^R) goes ahead and answers
  c.refresh(undefined, false);
  t.is(c.domains.busySince, null, 'no refresh before the retry time');
  c.session.emit('back');
  t.is(started, 1);
  await c.domains.refresh();
  t.is(c.health.state, 'ok');
  t.is(c.retryAt, 0);
  t.regex(c.status.text, /^libvirt answers again/);
});

test('a connect that fails is down with its most specific line; a refused login is not retried by itself', async (t) => {
  const c = new Connection({ uri: 'qemu+ssh://root@127.0.0.1:1/system?no_tty=1&no_verify=1', readonly: false, demo: false });
  t.teardown(() => c.close());
  t.is(c.name, '127.0.0.1', 'named after its URI\'s host before it ever answers');
  await t.throwsAsync(c.connect());
  t.is(c.state, 'down');
  t.regex(c.connectError, /Connection refused/);
  t.true(Number.isFinite(c.retryAt));

  // a key the host refuses (captured on lab 2): retrying by itself would only be refused again
  const k = new Connection({ uri: 'qemu+ssh://root@127.0.0.1:2222/system', readonly: false, demo: false });
  t.teardown(() => k.close());
  k.session.start = () => Promise.reject(virshFailure('virsh', capture('lab2-error-connect-ssh-badkey.txt')));
  await t.throwsAsync(k.connect());
  t.is(k.retryAt, Infinity);
  t.regex(k.connectError, /Permission denied/);
});

test('the demo whose virsh was killed: its world is rebuilt from the changes made in it, and the status line says so', async (t) => {
  const h = new Connection({ uri: DEMO_URI, readonly: false, demo: true });
  t.teardown(() => h.close());
  await h.connect();
  t.true((await h.action(['suspend', '--domain', 'web-01'])).ok);
  // a read typed on the : line is no change to run again
  t.true((await h.action(['dominfo', '--domain', 'web-01'], { changes: false })).ok);
  t.is(h.changes, 1);
  t.is(h.session.changesKept, 1);
  process.kill((h.session as unknown as { proc: { pid: number } }).proc.pid, 'SIGKILL');
  await waitFor(() => /world rebuilt/.test(h.status.text), 15_000, () => `the rebuilt world in the status line: ${h.status.text}`);
  t.is(h.status.text, 'virsh restarted, test world rebuilt: 1 change run again');
  t.is(h.status.hint, 'virsh was restarted: virsh exited (SIGKILL)');
  t.is(h.status.kind, 'ok');
  // nothing was lost: the quit question still counts the change
  t.is(h.changes, 1);
  t.regex(await h.run(['domstate', '--domain', 'web-01']), /paused/);
});
