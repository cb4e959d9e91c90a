// A name is never an option, through the screens: every virsh command the app sends while the
// user visits objects named like options (their details, XML, snapshots, users, volumes) is
// recorded and put through the model of virsh's parser.
import test from 'ava';
import { openApp } from './harness.ts';
import { DASH_NAMES, HOSTILE_NAMES, HOSTILE_URI, misplacedNames } from '../helpers.ts';

test('the screens send every name of the hostile world as the value of its naming option', async (t) => {
  const h = await openApp(HOSTILE_URI, 100, 30);
  t.teardown(() => h.close());
  const sent: string[][] = [];
  const run = h.conn.session.run.bind(h.conn.session);
  h.conn.session.run = (args, opts) => { sent.push([...args]); return run(args, opts); };

  await h.keys('/', ...'--help', 'enter');
  await h.until(/^--help +running/m);
  await h.keys('enter');
  await h.until(/Name: +--help/);
  await h.keys('x');
  await h.until(/<name>--help<\/name>/);
  await h.keys('escape');
  await h.until(/^--help +running/m);

  // a snapshot named like an option, with a backslash before an x
  await h.keys('t');
  await h.until(/--help has no snapshots/);
  await h.keys('n', 'C-u', ...'-snap \\x', 'enter', 'enter');
  await h.until(/^-snap \\x \*/m);
  await h.keys('enter');
  await h.until(/Snapshot -snap \\x/);
  await h.keys('tab');
  await h.until(/<name>-snap \\x<\/name>/);
  await h.keys('escape', 'X');
  await h.until(/Delete snapshot -snap \\x/);
  await h.keys('y');
  await h.until(/--help has no snapshots/);

  await h.keys(':', ...'net', 'enter');
  await h.until(/^-dash-net +active/m);
  await h.keys('enter');
  await h.until(/Domains using it \(2\)/);
  t.regex(h.screen(), /^ {2}--help +52:54:00:da:5b:01$/m);
  t.regex(h.screen(), /^ {2}-starts-with-dash +52:54:00:da:5b:02$/m);

  await h.keys(':', ...'pool', 'enter');
  await h.until(/^--pool +/m);
  await h.keys('x');
  await h.until(/<name>--pool<\/name>/);
  await h.keys('escape', 'enter');
  await h.until(/^-vol +file/m);
  await h.keys('enter');
  await h.until(/Volume -vol/);
  await h.keys('tab');
  await h.until(/<name>-vol<\/name>/);

  const names = [...HOSTILE_NAMES, ...DASH_NAMES, '-dash-net', '--pool', '-vol', '-snap \\x'];
  for (const cmd of ['dominfo', 'dumpxml', 'snapshot-create-as', 'snapshot-dumpxml', 'snapshot-delete', 'net-dumpxml', 'pool-dumpxml', 'vol-list', 'vol-dumpxml']) {
    t.true(sent.some((c) => c[0] === cmd), cmd);
  }
  t.deepEqual(sent.flatMap((c) => misplacedNames(c, names)), []);
  t.deepEqual(h.conn.log.entries.filter((e) => !e.ok).map((e) => `${e.short}: ${e.message}`), []);
});
