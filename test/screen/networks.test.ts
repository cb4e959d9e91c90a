// The networks screen at 80x24 on virt-manager's test-driver world and on the demo host.
import test from 'ava';
import { join } from 'node:path';
import { openApp } from './harness.ts';
import { DEMO_URI, sharedDir } from '../helpers.ts';

test('80x24: every network of virt-manager\'s world, with mode, address and range', async (t) => {
  const h = await openApp(`test://${join(sharedDir(), 'fixtures', 'worlds', 'virt-manager-testdriver.xml')}`, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'net', 'enter');
  await h.until(/Networks \| 16 networks/);
  const lines = h.text();
  t.true(lines.every((l) => l.length <= 80));
  t.regex(lines[1]!, /^NAME▲ +STATE +AUTO +PERS +BRIDGE +MODE +IPV4 +DHCP +LEASE$/);
  // the DHCP range gives way first; the IPv4 address never does
  t.regex(h.screen(), /^default +active +no +yes +virbr0 +nat +192\.168\.122\.1\/24 +192\.168\.… +-$/m);
  t.regex(h.screen(), /^ipv4_noma… +active .* isolated +10\.24\.10\.1 +- +-$/m);
  t.regex(h.screen(), /^ipv6route +active .* route /m);
  t.regex(h.screen(), /^plainbrid… +active .* br2 +bridge /m);
});

test('demo host: stop a network after the question, start it again; details show who uses it', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30);
  t.teardown(() => h.close());
  await h.keys(':', ...'net', 'enter');
  await h.until(/^backend +active/m);
  await h.keys('D');
  // the question names the domains that use it (read from their XML first)
  await h.until(/Stop network backend[\s\S]*bridge virbr1 goes down and[\s\S]*db-primary[\s\S]*lose their[\s\S]*connection/);
  await h.keys('y');
  await h.until(/^backend +inactive/m);
  t.regex(h.screen(), /✓ virsh net-destroy --network backend: ok/);
  await h.keys('u');
  await h.until(/^backend +active/m);
  await h.keys('enter');
  await h.until(/Domains using it \(5\)/);
  t.regex(h.screen(), /db-primary +52:54:00:10:01:10/);
  await h.keys('tab');
  t.regex(h.screen(), /<forward mode='route'\/>/);
});
