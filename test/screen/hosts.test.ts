// Several hosts at once on the fake terminal: `:hosts`, the fleet view, and one host going down
// while the other keeps answering. Two test-driver worlds are two real virsh sessions.
import test from 'ava';
import { join } from 'node:path';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI, FIXTURES, capture } from '../helpers.ts';
import { virshFailure } from '../../src/virsh/errors.ts';
import type { Connection } from '../../src/model/connection.ts';

const IFACES = `test://${join(FIXTURES, 'worlds', 'ifaces.xml')}`;

/** the demo (current) and test:///default, named "other" */
const twoHosts = (cols = 100, rows = 30) => openApp(DEMO_URI, cols, rows, { demo: true, more: [{ uri: 'test:///default', name: 'other' }] });

const other = (h: Harness): Connection => h.app.connections.find((c) => c.name === 'other')!;
const state = async (c: Connection, dom: string) => (await c.run(['domstate', '--domain', dom])).trim();

test(':hosts lists every connection with its state and domains; Enter makes one current; the header names it', async (t) => {
  const h = await twoHosts();
  t.teardown(() => h.close());
  t.regex(h.text()[0]!, /^virtui demo \(1\/2\) /);
  await h.keys(':', ...'hosts', 'enter');
  await h.until(/^ other +up +1\/1 /m);
  t.regex(h.screen(), /^\*demo +up +6\/13 /m);
  t.regex(h.text()[0]!, /Hosts \| 2 hosts, 2 up/);
  // the round trip of its last calls is measured
  t.regex(h.screen(), /^ other +up +1\/1 .* \d+(\.\d)? m?s /m);
  await h.keys('j', 'enter');
  await h.until(/^test +running/m);
  t.regex(h.text()[0]!, /^virtui other \(2\/2\) test:\/\/\/default/);
  t.notRegex(h.screen(), /web-01/);
  // a : command runs on the current host
  await h.keys(':', ...'domstate test', 'enter');
  await h.until(/^running$/m);
});

test(':hosts n opens another host by URI in the background; X closes it after a question', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  t.regex(h.text()[0]!, /^virtui test:/, 'one host: no host count');
  await h.keys('H');
  await h.until(/Hosts \| 1 host, 1 up/);
  await h.keys('n', ...IFACES, 'enter');
  await h.until(/Hosts \| 2 hosts, 2 up/);
  t.regex(h.screen(), /^ test:ifaces +up +0\/0 .*test:\/\/\//m);
  t.is(h.app.connections.length, 2);
  // a URI typed twice is the open connection, not a second one
  await h.keys('n', ...IFACES, 'enter');
  t.is(h.app.connections.length, 2);
  // two words are not a URI
  await h.keys('n', ...'two words', 'enter');
  await h.until(/not one URI/);
  await h.keys('end', 'X');
  await h.until(/Close test:ifaces/);
  t.regex(h.screen(), /ifaces\.xml: its virsh/);
  await h.keys('enter');
  await h.until(/Hosts \| 1 host, 1 up/);
  t.is(h.app.connections.length, 1);
  // the last one cannot be closed: :q leaves virtui
  t.notRegex(h.screen(), /X close/);
});

test('the fleet view lists every host\'s domains with a HOST column; an action acts on the row\'s own host', async (t) => {
  const h = await twoHosts(100, 30);
  t.teardown(() => h.close());
  await h.keys(':', ...'dom all', 'enter');
  await h.until(/^other +test +running/m);
  t.regex(h.text()[0]!, /Fleet \| 2 hosts, 14 domains, 7 running/);
  t.regex(h.screen(), /^HOST▲ +NAME +STATE/m);
  t.regex(h.screen(), /^demo +web-01 +running/m);
  // the filter spans hosts; the sort by host keeps each host's domains together
  await h.keys('/', ...'test', 'enter');
  await h.until(/^other +test +running/m);
  t.notRegex(h.screen(), /web-01/);
  t.is(h.app.conn.name, 'demo', 'the current host stays');
  // `test` exists on the other host only: suspend it from here
  await h.keys('p');
  await h.until(/^other +test +paused/m);
  t.is(await state(other(h), 'test'), 'paused');
  t.regex(h.screen(), /other: virsh suspend --domain test: ok/);
  await h.keys('p');
  await h.until(/^other +test +running/m);
  // a domain on the current host is acted on there
  await h.keys('/', 'C-u', ...'web-01', 'enter', 'p');
  await h.until(/^demo +web-01 +paused/m);
  t.is(await state(h.conn, 'web-01'), 'paused');
  t.is(await state(other(h), 'test'), 'running');
  // one action log for every host, each command with its host
  await h.keys('L');
  await h.until(/other: virsh suspend --domain test/);
  t.regex(h.screen(), /demo: virsh suspend --domain web-01/);
});

test('a host that stops answering greys its rows with the reason; the other keeps updating; ^R brings it back', async (t) => {
  const h = await twoHosts(120, 30);
  t.teardown(() => h.close());
  await h.keys('A');
  await h.until(/^other +test +running/m);
  const o = other(h);
  const run = o.run.bind(o);
  let calls = 0;
  o.run = () => { calls++; return Promise.reject(virshFailure('virsh list --all', capture('lab-error-daemon-killed.txt'))); };
  h.app.refresh();
  await h.until(/other down \(retry in \d+ s\): Connection refused/);
  t.regex(h.screen(), /^other +test +running \? +\?/m);
  // the header tells from any screen that another host is down
  t.regex(h.text()[0]!, /^virtui demo \(1\/2, 1 down\) /);
  // the other host is live: an action there still works and shows
  await h.keys('/', ...'web-02', 'enter', 'p');
  await h.until(/^demo +web-02 +paused/m);
  // the tick leaves the host that is down alone until its backoff ends (one that cannot end
  // during the test, however slow the machine: the first is 2 s)
  o.retryAt = Date.now() + 60_000;
  const before = calls;
  (h.app as unknown as { refresh(now: boolean): void }).refresh(false);
  await h.idle();
  t.is(calls, before, 'no call to a host that is down before its retry');
  o.run = run;
  await h.keys('/', 'C-u', 'enter', 'C-r');
  await h.until(/^other +test +running +[^?]/m);
  t.notRegex(h.screen(), /down \(retry/);
  await h.keys('/', 'C-u', ...'web-02', 'enter', 'p');
  await h.until(/^demo +web-02 +running/m);
});

test('fleet view: a read-only host\'s rows offer no change, a question names its host, and closing a host never moves the selection to another\'s row', async (t) => {
  const h = await twoHosts(120, 30);
  t.teardown(() => h.close());
  // the same world a second time, read-only: one URI, two connections; the current host is "other"
  h.app.addConnection('test:///default', true);
  h.app.use(other(h));
  await h.keys('A');
  await h.until(/3 hosts, 15 domains/);
  await h.keys('/', ...'test', 'enter');
  await h.until(/^test:default +test +running/m);
  const lines = () => h.text().filter((l) => /^\S+ +test +running/.test(l));
  t.is(lines().length, 2);
  // the first of the two rows is the read-write one (the host column names them alike; :hosts marks "(ro)")
  t.regex(h.text().at(-1)!, /p suspend/);
  await h.keys('j');
  t.notRegex(h.text().at(-1)!, /p suspend|D destroy/, 'nothing that changes a read-only host is offered');
  await h.keys('p');
  t.is(await state(other(h), 'test'), 'running', 'and p does nothing there');
  await h.keys('k', 'D');
  await h.until(/Destroy test on other/);
  await h.keys('escape');
  t.regex(h.text().at(-1)!, /p suspend/, 'the read-write row is selected');
  // close the demo (not the current host) from :hosts: back in the fleet view, the selection is
  // still the read-write row, whatever place the hosts now have in the list
  await h.keys('H');
  await h.until(/^ test:default \(ro\) +up/m);
  await h.keys('/', ...'demo', 'enter', 'X');
  await h.until(/Close demo/);
  await h.keys('enter');
  await h.until(/Hosts \| \/demo: 0 shown \| 2 hosts, 2 up/);
  t.is(h.app.connections.length, 2);
  await h.keys('escape');
  await h.until(/Fleet \| \/test: 2 shown/);
  await h.keys('p');
  await h.until(/virsh suspend --domain test: ok/);
  t.is(await state(other(h), 'test'), 'paused');
  await h.keys('p');
  await h.until(/^test:default +test +running/m);
});

test('two connections never show one name: the later one is told apart', async (t) => {
  const h = await openApp('test:///default', 100, 30, { more: [{ uri: 'test:///default' }] });
  t.teardown(() => h.close());
  t.deepEqual(h.app.connections.map((c) => c.name), ['test:default', 'test:default-2']);
  await h.keys('H');
  await h.until(/^ test:default-2 +up/m);
});

test('with several hosts, a question about a host\'s object names the host; one about a local file (a download\'s target) does not', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ux-local '));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'disk.img');
  writeFileSync(file, Buffer.alloc(4096, 7));
  const h = await twoHosts();
  t.teardown(() => h.close());
  await h.keys(':', ...'vol default', 'enter');
  await h.until(/Volumes of default/);
  await h.keys('/', ...'web-01.qcow2', 'enter', 'W');
  await h.until(/Wipe .*web-01\.qcow2 on demo/);
  await h.keys('escape', 'D');
  await h.until(/Download volume web-01\.qcow2/);
  await h.keys('C-u', ...file, 'enter');
  await h.until(/Replace .*disk\.img/);
  t.notRegex(h.screen(), /disk\.img on demo/);
  await h.keys('n');
});
