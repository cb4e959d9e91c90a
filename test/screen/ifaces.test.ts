// The host interfaces screen (`:iface`, a kind declared once: screens/ifaces/kind.ts) on the fake
// terminal: the test driver's eth1 at 80x24, a world with a bridge, a bond and a vlan.
import test from 'ava';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { openApp } from './harness.ts';
import { FIXTURES } from '../helpers.ts';
import { IfaceStore } from '../../screens/ifaces/store.ts';
import { virshFailure } from '../../src/virsh/errors.ts';

test('80x24: the test driver\'s eth1 with its MAC, state and address; Enter shows it, Tab its XML', async (t) => {
  const h = await openApp('test:///default', 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'iface', 'enter');
  await h.until(/^eth1 /m);
  const lines = h.text();
  t.true(lines.every((l) => l.length <= 80));
  t.regex(lines[1]!, /^NAME▲ +TYPE +STATE +MAC +ADDRESSES +PORTS$/);
  t.regex(h.screen(), /^eth1 +ethernet +active +aa:bb:cc:dd:ee:ff +192\.168\.0\.5\/24 +-$/m);
  t.regex(h.screen(), /Host interfaces \| 1 interface, 1 up, 0 bridges/);
  await h.keys('enter');
  await h.until(/Addresses \(1\)/);
  t.regex(h.screen(), /MTU: +1492/);
  t.regex(h.screen(), /^ +192\.168\.0\.5\/24$/m);
  await h.keys('tab');
  await h.until(/<interface type='ethernet' name='eth1'>/);
  t.regex(h.screen(), /<route gateway='192\.168\.0\.1'\/>/);
  await h.keys('escape');
  await h.until(/^eth1 +ethernet/m);
});

test('80x24: a bridge with its ports (a bond among them), a bond\'s slaves, a vlan\'s tag and parent', async (t) => {
  const h = await openApp(`test://${join(FIXTURES, 'worlds', 'ifaces.xml')}`, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'iface', 'enter');
  await h.until(/^br0 /m);
  t.true(h.text().every((l) => l.length <= 80));
  t.regex(h.screen(), /^br0 +bridge +active +- +192\.168\.10\.1\/24 \+1 +eth0 bond0$/m);
  t.regex(h.screen(), /^bond1 +bond +active +- +192\.168\.50\.7\/24 +eth5 eth6$/m);
  t.regex(h.screen(), /^eth3\.42 +vlan +active +- +- +tag 42 on eth3$/m);
  t.regex(h.screen(), /^eth4 +ethernet +active +52:54:00:aa:00:04 +- +-$/m);
  t.regex(h.screen(), /4 interfaces, 4 up, 1 bridge/);
  await h.keys('/', ...'br0', 'enter', 'enter');
  await h.until(/Ports \(2\)/);
  t.regex(h.screen(), /^ +2001:db8:10::1\/64$/m);
  t.regex(h.screen(), /^ +bond0$/m);
});

test('80x24: a remote host whose libvirt has no interface driver: the list says why, nothing runs here', async (t) => {
  const h = await openApp('test:///default', 80, 24);
  t.teardown(() => h.close());
  // the stderr virsh prints for such a connection (test/fixtures/iface/error-not-supported.txt)
  const noDriver = { run: async () => { throw virshFailure('virsh iface-list --all', readFileSync(join(FIXTURES, 'iface', 'error-not-supported.txt'), 'utf8')); } };
  // the kind's store on this connection is the one a remote host without the driver gives
  h.conn.cache('ifaces', () => new IfaceStore(noDriver, IfaceStore.options(false)));
  await h.keys(':', ...'iface', 'enter');
  await h.until(/^no interface driver in that host's libvirt, and ip reads only this machine$/m);
  t.regex(h.screen(), /Host interfaces \| host interfaces not available/);
});

test('the network form\'s bridge mode offers the host\'s bridges and refuses one the host does not have', async (t) => {
  const h = await openApp(`test://${join(FIXTURES, 'worlds', 'ifaces.xml')}`, 100, 30);
  t.teardown(() => h.close());
  await h.keys(':', ...'net', 'enter', 'n');
  await h.until(/New network/);
  // the mode: nat -> route -> isolated -> open -> bridge
  await h.keys(...'lan', 'tab', 'right', 'right', 'right', 'right');
  await h.until(/Host bridge/);
  t.regex(h.screen(), /Host bridge +br0 +on this host: br0/);
  t.regex(h.screen(), /on this host: br0/);
  await h.keys('tab', 'C-u', ...'br9', 'tab', 'tab', 'enter');
  await h.until(/no bridge br9 on this host \(br0\)/);
  t.notRegex(await h.conn.run(['net-list', '--all', '--name']), /\S/, 'nothing was defined');
  await h.keys('escape');
});
