// The pools screen at 80x24 on virt-manager's world, and stop/start on the demo host.
import test from 'ava';
import { join } from 'node:path';
import { openApp } from './harness.ts';
import { DEMO_URI, sharedDir } from '../helpers.ts';

test('80x24: every pool with type, sizes and usage', async (t) => {
  const h = await openApp(`test://${join(sharedDir(), 'fixtures', 'worlds', 'virt-manager-testdriver.xml')}`, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'pool', 'enter');
  await h.until(/Storage pools \| 15 pools/);
  const lines = h.text();
  t.true(lines.every((l) => l.length <= 80));
  t.regex(lines[1]!, /^NAME▲ +STATE +AUTO +TYPE +SIZE +ALLOC +AVAIL +USAGE +PATH/);
  t.regex(h.screen(), /^pool-dir +active +no +dir +100 GiB +1\.3 MiB +100 GiB +0% ░/m);
  t.regex(h.screen(), /^pool-test… +active .* 100% █/m);
});

test('demo host: stop a pool after the question, start it, see its XML', async (t) => {
  const h = await openApp(DEMO_URI, 120, 30);
  t.teardown(() => h.close());
  await h.keys(':', ...'pool', 'enter');
  await h.until(/^default +active +no +dir +100 GiB +79\.0 GiB +21\.0 GiB +79% ██████░░ +\/var\/lib\/libvirt\/images/m);
  t.regex(h.screen(), /^iso +active +no +dir +100 GiB +8\.0 GiB +92\.0 GiB +8% █░+ +\/var\/lib\/libvirt\/iso/m);
  await h.keys('j', 'D');
  t.regex(h.screen(), /Stop pool iso[\s\S]*Nothing is deleted/);
  await h.keys('y');
  await h.until(/^iso +inactive/m);
  t.regex(h.text()[29]!, /u start/);
  await h.keys('u');
  await h.until(/^iso +active/m);
  await h.keys('x');
  await h.until(/<pool type='dir'>/);
  t.regex(h.text()[0]!, /Pool iso \(XML\)/);
  await h.keys('q', 'enter');
  await h.until(/Volumes of iso \| 3 volumes/);
  t.regex(h.screen(), /^debian-12\.iso +file +raw +1\.0 GiB +1\.0 GiB +dev sandbox \(sdb\)/m);
});

test('the create form is the kind\'s (KindSpec.create): n on the pools and on an active pool\'s volumes; not on a stopped pool\'s, nor read-only', async (t) => {
  const h = await openApp(DEMO_URI, 200, 30);
  t.teardown(() => h.close());
  await h.keys(':', ...'pool', 'enter');
  await h.until(/^iso +active/m);
  t.regex(h.text()[29]!, /n new/);
  await h.keys('n');
  await h.until(/New storage pool/);
  await h.keys('escape');
  await h.until(/^iso +active/m);
  await h.keys('j', 'D', 'y');
  await h.until(/^iso +inactive/m);
  await h.keys(':', ...'vol iso', 'enter');
  await h.until(/pool iso is not active/);
  t.notRegex(h.text()[29]!, /n new/);
  await h.keys('n');
  t.notRegex(h.screen(), /New volume/);
  await h.keys(':', ...'vol default', 'enter');
  await h.until(/Volumes of default \| \d+ volumes/);
  t.regex(h.text()[29]!, /n new/);
  await h.keys('n');
  await h.until(/New volume in pool default/);

  const ro = await openApp(DEMO_URI, 200, 30, { readonly: true });
  t.teardown(() => ro.close());
  await ro.keys(':', ...'pool', 'enter');
  await ro.until(/^iso +active/m);
  t.notRegex(ro.text()[29]!, /n new/);
  await ro.keys('n');
  t.notRegex(ro.screen(), /New storage pool/);
});
