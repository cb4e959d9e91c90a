// The migration screen on the fake terminal, two test-driver hosts (the demo and "other"): `o`
// on a domain shows the plan, the pre-flight and the exact command; `e` is the form (80x24);
// enter asks and starts it as a job, whose failure (the test driver cannot migrate) is shown
// with a hint and never takes down the UI. Read-only: not offered.
import test from 'ava';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';
import { Jobs } from '../../src/model/jobs.ts';
import { rowJob } from '../../screens/domains/columns.ts';

/** the screen with its wrapped lines joined */
const flat = (h: Harness) => h.screen().replace(/\s+/g, ' ');
const twoHosts = (cols = 80, rows = 24, readonly = false) => openApp(DEMO_URI, cols, rows, { demo: true, readonly, more: [{ uri: 'test:///default', name: 'other' }] });

async function openMigrate(h: Harness): Promise<void> {
  await h.keys('/', ...'web-01', 'enter');
  await h.until(/web-01 +running/);
  await h.keys('o');
  await h.until(/^Migrate web-01 \(running\) from demo/m);
}

test('o on a running domain: the plan with its defaults stated, the pre-flight against the other host, the command', async (t) => {
  const h = await twoHosts(100, 40);
  t.teardown(() => h.close());
  await openMigrate(h);
  await h.until(/^Command/m);
  await h.until(/✓ network default: active on other/);
  const s = h.screen();
  t.regex(s, /to +other +test:\/\/\/default/);
  t.regex(s, /kind +live \(it keeps running while its memory is copied\)/);
  t.regex(s, /persistent on other: yes +undefined on demo: yes/);
  t.regex(s, /✓ web-01 is running: it moves live/);
  // the test driver's disks are nowhere on the other host: they would have to be copied
  t.regex(s, /✗ vda \/var\/lib\/libvirt\/images\/web-01\.qcow2: not on other: tick --copy-storage-all/);
  // the test driver's "other" runs i686 guests only
  t.regex(s, /✗ arch x86_64: other runs no x86_64 guests \(it has i686\)/);
  t.regex(flat(h), /virsh -c test:\/\/\/\S*world\.xml migrate --live --persistent --undefinesource --domain web-01 --desturi test:\/\/\/default/);
});

test('the form at 80x24: every option; offline is refused for a running guest; the command follows the choices', async (t) => {
  const h = await twoHosts(80, 24);
  t.teardown(() => h.close());
  await openMigrate(h);
  await h.keys('e');
  await h.until(/Migrate web-01 from demo/);
  const form = h.screen();
  for (const label of ['Target', 'Kind', 'Persistent', 'Undefine source', 'Copy disks', 'Unsafe', 'Auto-converge', 'Compressed', 'Bandwidth', 'Migrate URI', 'Check', 'Cancel']) {
    t.regex(form, new RegExp(label), label);
  }
  t.regex(form, /libvirt refuses a live migration when it cannot prove the disks are/);
  // from Target: Kind, Persistent, Undefine source (untick), Copy disks, Unsafe (tick), Auto-converge, Compressed, Bandwidth 8, Migrate URI, Check
  await h.keys('tab', 'tab', 'tab', ' ', 'tab', 'tab', ' ', 'tab', 'tab', 'tab', ...'8', 'tab', 'tab', 'enter');
  await h.until(/^Command/m);
  t.regex(flat(h), /migrate --live --persistent --bandwidth 8 --unsafe --domain web-01 --desturi test:\/\/\/default/);
  t.regex(h.screen(), /undefined on demo: no/);
  t.regex(h.screen(), /! --unsafe: libvirt does not check/);
  // offline for a running guest: the pre-flight says so
  await h.keys('e');
  await h.until(/Migrate web-01 from demo/);
  await h.keys('tab', 'right');
  // offline: the options that only a live migration has are gone from the form
  await h.until(/Kind +<? ?offline/);
  t.notRegex(h.screen(), /Bandwidth|Copy disks/);
  await h.keys('tab', 'tab', 'tab', 'tab', 'enter');
  await h.until(/✗ web-01 is running: an offline migration needs it shut off \(choose live\)/);
  t.regex(flat(h), /migrate --offline --persistent --unsafe --domain web-01/);
});

test('the test driver cannot migrate (virsh migrate waits forever there): said at once, and enter starts nothing', async (t) => {
  const h = await twoHosts(100, 40);
  t.teardown(() => h.close());
  await openMigrate(h);
  await h.until(/^Command/m);
  t.regex(h.screen(), /✗ the test driver cannot migrate a guest: migrate between real hosts/);
  await h.keys('enter');
  await h.until(/the test driver cannot migrate a guest/);
  t.notRegex(h.screen(), /Migrate web-01 to other/);
  t.is(h.app.jobs.list.length, 0);
  // back on the list, the keys still work
  await h.keys('escape');
  await h.until(/web-01 +running/);
});

test('one host, read-only, :migrate: no target and no endless "checking"; it says it will not migrate and offers no start', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true, readonly: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'migrate web-01', 'enter');
  await h.until(/^Migrate web-01 \(running\) from demo/m);
  await h.until(/^Command/m);
  const s = h.screen();
  t.regex(s, /✗ no target: pick a host or type a URI/);
  t.notRegex(s, /checking/);
  t.regex(h.text()[0]!, /Migrate web-01 \| no target/);
  t.regex(s, /demo is read-only \(-r\): virtui does not migrate from it/);
  t.notRegex(s, /enter: start/);
  await h.keys('enter');
  t.notRegex(h.screen(), /Migrate web-01 to/);
});

test('read-only: o is not offered', async (t) => {
  const h = await twoHosts(100, 30, true);
  t.teardown(() => h.close());
  await h.keys('/', ...'web-01', 'enter');
  await h.until(/web-01 +running/);
  await h.keys('o');
  await h.idle();
  t.notRegex(h.screen(), /^Migrate web-01/m);
});

test('a running job shows on its domain\'s row: its kind and percentage', async (t) => {
  const jobs = new Jobs();
  let release!: () => void;
  const { job, done } = jobs.run({ kind: 'migrate', host: 'lab1', target: 'web-01', command: 'virsh migrate' }, () => new Promise<void>((r) => { release = r; }));
  await Promise.resolve();
  t.is(rowJob(jobs.list, 'lab1', 'web-01'), 'migrate…');
  t.is(rowJob(jobs.list, 'lab2', 'web-01'), undefined);
  jobs.report(job, { text: '34%', done: 34, total: 100 });
  t.is(rowJob(jobs.list, 'lab1', 'web-01'), 'migrate 34%');
  release();
  await done;
  t.is(rowJob(jobs.list, 'lab1', 'web-01'), undefined);
});

test('the list and the fleet view show a running migration on its row, and drop it when it ends', async (t) => {
  const h = await twoHosts(100, 30);
  t.teardown(() => h.close());
  await h.until(/web-01 +running/);
  let release!: () => void;
  const { job, done } = h.app.jobs.run({ kind: 'migrate', host: 'demo', target: 'web-01', command: 'virsh migrate' }, () => new Promise<void>((r) => { release = r; }));
  await h.until(/web-01 +running, migrate… /);
  h.app.jobs.report(job, { text: '34% 44 MiB/129 MiB', done: 34, total: 100 });
  h.app.requestRender();
  await h.until(/web-01 +running, migrate 34% /);
  await h.keys('A');
  await h.until(/^demo +web-01 +running, migrate 34% /m);
  t.notRegex(h.screen(), /^other .*migrate/m);
  release();
  await done;
  h.app.requestRender();
  await h.until(/^demo +web-01 +running +\S/m);
  t.notRegex(h.screen(), /running, migrate/);
});
