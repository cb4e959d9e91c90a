// The host: actions logged with their command, failures shown with a hint, restarts shown.
import test from 'ava';
import { Connection } from '../../src/model/connection.ts';
import { FAKE_VIRSH, DEMO_URI } from '../helpers.ts';

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
