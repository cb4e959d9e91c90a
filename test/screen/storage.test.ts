// Volumes, snapshots, host, the create forms and the XML editor on a fake terminal.
import { plural } from '../../src/ui/text.ts';
import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from './harness.ts';
import { DEMO_URI, sharedDir } from '../helpers.ts';

test('80x24: volumes of the demo pool, who uses them, create one, delete it', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'vol default', 'enter');
  await h.until(/Volumes of default \| 14 volumes/);
  const lines = h.text();
  t.true(lines.every((l) => l.length <= 80));
  t.regex(lines[1]!, /^NAME▲ +TYPE +FMT +SIZE +ALLOC +USED +BACKING +PATH/);
  t.regex(h.screen(), /^web-01\.qcow2 +file +qcow2 .*web-01 \(vda\)/m);
  await h.keys('n');
  await h.until(/New volume in pool default/);
  await h.keys(...'scratch 2', 'tab', 'right', 'tab', 'C-u', ...'1G', 'tab', 'tab', 'enter');
  await h.until(/^scratch 2 +file +raw +1\.0 GiB/m);
  t.regex(h.conn.log.entries.at(-1)!.short, /^virsh vol-create-as --pool default --name 'scratch 2' --capacity 1073741824 --format raw --allocation 0$/);
  await h.keys('/', ...'scratch', 'enter', 'X');
  await h.until(/Delete volume scratch 2/);
  t.regex(h.screen(), /No domain uses it/);
  await h.keys('y');
  await h.until(/no volume matches \/scratch/);
});

test('80x24: the next pool with ], and the volume detail tabs', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'vol default', 'enter');
  await h.until(/14 volumes/);
  await h.keys(']');
  await h.until(/Volumes of iso \| 3 volumes/);
  await h.keys('enter');
  await h.until(/\[Overview\][\s\S]*Used by: +dev sandbox \(sdb\)/);
  await h.keys('tab');
  await h.until(/<volume type='file'>/);
  await h.keys('tab');
  await h.until(/qemu-img runs on this machine; test:/);
  t.regex(h.text()[1]!, /\[qemu-img\]/);
});

test('80x24: a domain\'s snapshots as a tree: take two, revert with a safety snapshot, delete with children', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.until(/web-01/);
  await h.keys(':', ...'snap web-01', 'enter');
  await h.until(/web-01 has no snapshots: n takes one/);
  await h.keys('n');
  await h.until(/New snapshot of web-01/);
  await h.keys('C-u', ...'first one', 'tab', ...'before the upgrade', 'tab', 'tab', 'enter');
  await h.until(/^first one \* .* running +disk\+memory +before the upgrade/m);
  await h.keys('n', 'C-u', ...'second', 'enter', 'enter');
  await h.until(/^`- second \*/m);
  await h.keys('home', 'r');
  await h.until(/Revert web-01 to first one/);
  t.regex(h.screen(), /\[x\] first take a safety snapshot/);
  await h.keys('y');
  await h.until(/^ {3}`- before-revert-\d{8}/m);
  await h.until(/^first one \*/m);
  await h.keys('home', 'X');
  await h.until(/2 descendants/);
  await h.keys('tab', ' ', 'y');
  await h.until(/web-01 has no snapshots/);
});

test('80x24: the host screen', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'host', 'enter');
  await h.until(/CPUs: +32 × x86_64 at 2900 MHz/);
  t.regex(h.screen(), /Memory: +64\.0 GiB/);
  t.regex(h.screen(), /13 defined, \d+ running/);
  t.true(h.text().every((l) => l.length <= 80));
  await h.keys('G');
  await h.until(/KVM readiness\s+not checked: only for a local qemu:\/\/\/ URI/);
});

test('80x24: the network form builds, validates and shows the XML, then defines and starts', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'net', 'enter');
  await h.until(/3 networks/);
  await h.keys('n');
  await h.until(/New network/);
  // to the first button with a name that has a space: refused, the focus goes back to it
  await h.keys(...'lab net', 'tab', 'tab', 'tab', 'tab', 'tab', 'tab', 'tab', 'enter');
  t.regex(h.screen(), /Name: no spaces/);
  await h.keys('C-u', ...'lab-net', 'tab', 'right', 'tab', 'tab', 'C-u', ...'10.9.9.1', 'tab', 'tab', 'C-u', 'tab', 'tab', 'enter');
  await h.until(/Define network lab-net\?/);
  t.regex(h.screen(), /virt-xml-validate: valid/);
  t.regex(h.screen(), /<forward mode="route"\/>/);
  t.regex(h.screen(), /<ip address="10\.9\.9\.1" prefix="24"\/>/);
  await h.keys('y');
  await h.until(/^lab-net +active +no +yes +\S+ +route +10\.9\.9\.1\/24 +- /m);
});

test('e: an edit through the editor is validated, shown as a diff and defined', async (t) => {
  const edits = [(s: string) => s.replace('<vcpu', '<vcpu oops'), (s: string) => s.replace('<vcpu oops', '<vcpu').replace(/>2<\/vcpu>/, '>3</vcpu>')];
  const h = await openApp(DEMO_URI, 100, 30, { editFile: async (p) => { const e = edits.shift(); if (e) writeFileSync(p, e(readFileSync(p, 'utf8'))); } });
  t.teardown(() => h.close());
  await h.until(/web-01/);
  await h.keys('/', ...'web-01', 'enter', 'e');
  await h.until(/does not validate/);
  t.regex(h.screen(), /definition has not been changed/);
  await h.keys('y');
  await h.until(/Define domain web-01\?/);
  t.regex(h.screen(), /│ -\s+<vcpu.*>2<\/vcpu>/);
  await h.keys('y');
  await h.until(/domain web-01 defined from your edit; the old XML is in .*backups/);
  t.regex(await h.conn.run(['dumpxml', '--inactive', 'web-01']), />3<\/vcpu>/);
});

test('e with several hosts open: the edit\'s question names the host, before its question mark', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true, more: [{ uri: 'test:///default', name: 'other' }], editFile: async (p) => { writeFileSync(p, readFileSync(p, 'utf8').replace(/>2<\/vcpu>/, '>3</vcpu>')); } });
  t.teardown(() => h.close());
  await h.until(/web-01/);
  await h.keys('/', ...'web-01', 'enter', 'e');
  await h.until(/Define domain web-01 on demo\?/);
  await h.keys('y');
  await h.until(/domain web-01 defined from your edit/);
  t.regex(await h.conn.run(['dumpxml', '--inactive', 'web-01']), />3<\/vcpu>/);
});

test('virt-manager world: every pool\'s volumes list and render', async (t) => {
  const h = await openApp(`test://${join(sharedDir(), 'fixtures', 'worlds', 'virt-manager-testdriver.xml')}`, 120, 40);
  t.teardown(() => h.close());
  await h.keys(':', ...'pool', 'enter');
  await h.until(/15 pools/);
  const pools = h.app.conn.pools.pools.filter((p) => p.active);
  for (const p of pools) {
    await h.keys(':', ...`vol ${p.name}`, 'enter');
    const want = (await h.conn.run(['vol-list', '--pool', p.name])).split('\n').filter((l) => l.trim()).length;
    await h.until(new RegExp(`Volumes of ${p.name} \\| ${plural(want, 'volume')}\\b`));
  }
  t.pass();
});

test('80x24: a list whose first load failed says why instead of loading…', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.until(/web-01/);
  await h.keys(':', ...'snap nosuch', 'enter');
  await h.until(/Snapshots of nosuch/);
  await h.until(/^failed to get domain 'nosuch'/m);
  t.notRegex(h.screen(), /loading…/);
});
