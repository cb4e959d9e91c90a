// Host interfaces: libvirt's listing and XML (test driver, the lab's udev backend, libvirt's own
// schema examples), `ip -j -d addr` (this machine, the lab's namespaces, a scratch bridge), and
// the store with its fallback, on those captures.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bridgeNames, fillFromIp, noInterfaceDriver, parseIfaceList, parseIfaceXml, parseIpAddr, type Iface } from '../../screens/ifaces/parse.ts';
import { IfaceStore } from '../../screens/ifaces/store.ts';
import { virshFailure, VirshError } from '../../src/virsh/errors.ts';
import { FIXTURES } from '../helpers.ts';

const fx = (name: string) => readFileSync(join(FIXTURES, 'iface', name), 'utf8');
const pick = (i: Iface) => ({ name: i.name, type: i.type, mac: i.mac, state: i.state, addresses: i.addresses, ports: i.ports, vlan: i.vlan, mtu: i.mtu });

test('iface-list: the test driver, a row without a MAC, an inactive row, the lab\'s udev backend', (t) => {
  t.deepEqual(parseIfaceList(fx('test-iface-list.txt')), [{ name: 'eth1', active: true, mac: 'aa:bb:cc:dd:ee:ff' }]);
  t.deepEqual(parseIfaceList(fx('world-iface-list.txt')).map((r) => [r.name, r.active, r.mac]),
    [['bond1', true, ''], ['br0', true, ''], ['eth3.42', true, ''], ['eth4', true, '52:54:00:aa:00:04']]);
  t.deepEqual(parseIfaceList(fx('world-iface-list-eth4-down.txt')).find((r) => r.name === 'eth4'), { name: 'eth4', active: false, mac: '52:54:00:aa:00:04' });
  // virsh's own header and its dashes are no interfaces
  t.deepEqual(parseIfaceList(fx('lab-iface-list-header.txt')).map((r) => r.name), ['lo', 'virbr-lab0', 'virbr-lab1', 'vl2-lab1']);
  t.deepEqual(parseIfaceList(fx('lab-iface-list.txt')).map((r) => [r.name, r.active]),
    [['lo', false], ['virbr-lab0', true], ['virbr-lab1', true], ['vl2-lab1', true]]);
});

test('iface-dumpxml: ethernet with its address, bridge with a bond among its ports, bond slaves, vlan tag and parent', (t) => {
  const row = (name: string, mac = '') => ({ name, active: true, mac });
  t.deepEqual(pick(parseIfaceXml(fx('test-eth1.xml'), row('eth1', 'aa:bb:cc:dd:ee:ff'))), {
    name: 'eth1', type: 'ethernet', mac: 'aa:bb:cc:dd:ee:ff', state: 'active', addresses: ['192.168.0.5/24'], ports: [], vlan: undefined, mtu: 1492,
  });
  const br0 = parseIfaceXml(fx('world-br0.xml'), row('br0'));
  t.deepEqual(pick(br0), { name: 'br0', type: 'bridge', mac: '', state: 'active', addresses: ['192.168.10.1/24', '2001:db8:10::1/64'], ports: ['eth0', 'bond0'], vlan: undefined, mtu: 1500 });
  t.is(br0.start, 'onboot');
  t.regex(br0.raw, /^<interface type='bridge' name='br0'>[\s\S]*<\/interface>$/);
  t.deepEqual(pick(parseIfaceXml(fx('world-bond1.xml'), row('bond1'))).ports, ['eth5', 'eth6']);
  t.deepEqual(pick(parseIfaceXml(fx('world-bond1.xml'), row('bond1'))).addresses, ['192.168.50.7/24']);
  const vlan = parseIfaceXml(fx('world-eth3.42.xml'), row('eth3.42'));
  t.is(vlan.type, 'vlan');
  t.deepEqual(vlan.vlan, { tag: 42, parent: 'eth3' });
  // DHCP configured: no address to show
  t.deepEqual(vlan.addresses, []);
});

test('iface-dumpxml of the lab (udev backend): no addresses, a bridge without ports or MAC, the state from the list', (t) => {
  const lo = parseIfaceXml(fx('lab-lo.xml'), { name: 'lo', active: false, mac: '00:00:00:00:00:00' });
  t.deepEqual(pick(lo), { name: 'lo', type: 'ethernet', mac: '00:00:00:00:00:00', state: 'inactive', addresses: [], ports: [], vlan: undefined, mtu: 65536 });
  const br = parseIfaceXml(fx('lab-virbr-lab0.xml'), { name: 'virbr-lab0', active: true, mac: '52:54:00:1b:ec:08' });
  t.deepEqual(pick(br), { name: 'virbr-lab0', type: 'bridge', mac: '52:54:00:1b:ec:08', state: 'active', addresses: [], ports: [], vlan: undefined, mtu: 1500 });
  // without its list line: the link state of the XML
  t.is(parseIfaceXml(fx('lab-vl2-lab1.xml')).state, 'up');
  t.is(parseIfaceXml(fx('lab2-eth0.xml')).mtu, 1400);
});

test('ip -j -d addr: the lab\'s bridges with their tap ports, a veth, link-local after global addresses', (t) => {
  const lab = parseIpAddr(fx('lab-ip-addr.json'));
  const by = (n: string) => pick(lab.find((i) => i.name === n)!);
  t.deepEqual(by('virbr-lab0'), { name: 'virbr-lab0', type: 'bridge', mac: '52:54:00:1b:ec:08', state: 'up', addresses: ['192.168.150.1/24'], ports: ['vnet0', 'vnet1'], vlan: undefined, mtu: 1500 });
  t.deepEqual(by('virbr-lab1').ports, ['vnet2']);
  t.is(by('vnet0').type, 'tun');
  t.is(lab.find((i) => i.name === 'vnet0')!.master, 'virbr-lab0');
  t.is(by('vl2-lab1').type, 'veth');
  t.deepEqual(by('lo'), { name: 'lo', type: 'loopback', mac: '00:00:00:00:00:00', state: 'unknown', addresses: ['127.0.0.1/8', '::1/128'], ports: [], vlan: undefined, mtu: 65536 });
  t.deepEqual(bridgeNames(lab), ['virbr-lab0', 'virbr-lab1']);
  t.deepEqual(bridgeNames(parseIpAddr(fx('lab2-ip-addr.json'))), ['virbr-lab2']);

  const host = parseIpAddr(fx('host-ip-addr.json'));
  const eth0 = host.find((i) => i.name === 'eth0')!;
  t.is(eth0.type, 'ethernet');
  t.deepEqual(eth0.addresses, ['192.0.2.2/24', 'fd00::2/64', 'fe80::fc:ff:fe00:1/64']);
  t.is(host.find((i) => i.name === 'ifb0')!.state, 'down');

  const scratch = parseIpAddr(fx('scratch-bridge-veth-ip-addr.json'));
  const br = scratch.find((i) => i.name === 'br-fix')!;
  t.deepEqual(br.addresses, ['10.9.0.1/24', '2001:db8:9::1/64', 'fe80::a85a:81ff:fe83:faf9/64']);
  t.deepEqual(br.ports, ['ve-a']);
  // a veth's `link` is its peer, not a vlan's parent
  t.is(scratch.find((i) => i.name === 've-b')!.vlan, undefined);
  t.true(JSON.parse(br.raw).ifname === 'br-fix');
});

test('ip -j -d addr: a vlan\'s tag and parent, a bond\'s slaves (iproute2\'s linkinfo shape)', (t) => {
  // no bond or 8021q module on this machine: the fields as iproute2 prints them (see lab-ip-addr.json for the rest)
  const json = JSON.stringify([
    { ifname: 'eno1', operstate: 'UP', link_type: 'ether', address: 'aa:bb:cc:00:00:01', master: 'bond0', linkinfo: { info_slave_kind: 'bond' }, addr_info: [] },
    { ifname: 'eno2', operstate: 'UP', link_type: 'ether', address: 'aa:bb:cc:00:00:02', master: 'bond0', linkinfo: { info_slave_kind: 'bond' }, addr_info: [] },
    { ifname: 'bond0', operstate: 'UP', link_type: 'ether', address: 'aa:bb:cc:00:00:01', linkinfo: { info_kind: 'bond', info_data: { mode: 'active-backup' } }, addr_info: [] },
    { ifname: 'bond0.100', link: 'bond0', operstate: 'UP', link_type: 'ether', linkinfo: { info_kind: 'vlan', info_data: { protocol: '802.1Q', id: 100 } },
      addr_info: [{ family: 'inet', local: '10.0.100.5', prefixlen: 24 }] },
  ]);
  const ifs = parseIpAddr(json);
  t.deepEqual(ifs.find((i) => i.name === 'bond0')!.ports, ['eno1', 'eno2']);
  t.deepEqual(ifs.find((i) => i.name === 'bond0.100')!.vlan, { tag: 100, parent: 'bond0' });
  t.throws(() => parseIpAddr('{"not":"a list"}'));
});

test('fillFromIp: only what libvirt left empty, and says so; libvirt\'s own list decides what is shown', (t) => {
  const lib = parseIfaceList(fx('lab2-iface-list.txt')).map((r) => parseIfaceXml(r.name === 'eth0' ? fx('lab2-eth0.xml') : `<interface type='ethernet' name='${r.name}'/>`, r));
  const host = parseIpAddr(fx('host-ip-addr.json'));
  const out = fillFromIp(lib, host);
  t.deepEqual(out.map((i) => i.name), ['eth0', 'ifb0', 'ifb1', 'lo']);
  const eth0 = out.find((i) => i.name === 'eth0')!;
  t.deepEqual(eth0.addresses, ['192.0.2.2/24', 'fd00::2/64', 'fe80::fc:ff:fe00:1/64']);
  t.deepEqual(eth0.fromIp, ['addresses']);
  t.is(eth0.state, 'active');
  t.is(out.find((i) => i.name === 'ifb0')!.fromIp, undefined);
  // libvirt's address stays
  const e1 = parseIfaceXml(fx('test-eth1.xml'), { name: 'eth1', active: true, mac: '' });
  t.deepEqual(fillFromIp([e1], [{ ...e1, addresses: ['10.0.0.1/8'], source: 'ip' }])[0]!.addresses, ['192.168.0.5/24']);
});

test('noInterfaceDriver: the ways virsh says there is no interface driver, and not other failures', (t) => {
  t.true(noInterfaceDriver(virshFailure('virsh iface-list --all', fx('error-not-supported.txt')).line));
  t.true(noInterfaceDriver("Failed to connect socket to '/var/run/libvirt/virtinterfaced-sock': No such file or directory"));
  t.false(noInterfaceDriver('Cannot recv data: Connection reset by peer'));
});

/** a connection that answers from the captures (and fails as virsh would) */
function fakeRunner(answers: Record<string, string | Error>) {
  const calls: string[] = [];
  return {
    calls,
    run: async (args: readonly string[]) => {
      const key = args.join(' ');
      calls.push(key);
      const a = answers[key];
      if (a === undefined) throw virshFailure(`virsh ${key}`, `error: unexpected call ${key}`);
      if (a instanceof Error) throw a;
      return a;
    },
  };
}

test('store: the lab through libvirt, addresses filled from ip, change emitted', async (t) => {
  const v = fakeRunner({
    'iface-list --all': fx('lab-iface-list.txt'),
    'iface-dumpxml --interface lo': fx('lab-lo.xml'),
    'iface-dumpxml --interface virbr-lab0': fx('lab-virbr-lab0.xml'),
    'iface-dumpxml --interface virbr-lab1': fx('lab-virbr-lab1.xml'),
    'iface-dumpxml --interface vl2-lab1': fx('lab-vl2-lab1.xml'),
  });
  // as if virtui ran inside the lab's namespace: ip sees what libvirtd sees
  const s = new IfaceStore(v, { ipAddr: async () => fx('lab-ip-addr.json') });
  let changes = 0;
  s.on('change', () => changes++);
  await s.refresh();
  t.is(changes, 1);
  t.true(s.loaded);
  t.is(s.source, 'libvirt');
  t.deepEqual(s.ifaces.map((i) => i.name), ['lo', 'virbr-lab0', 'virbr-lab1', 'vl2-lab1']);
  const br = s.get('virbr-lab0')!;
  t.deepEqual([br.type, br.state, br.addresses, br.ports, br.fromIp], ['bridge', 'active', ['192.168.150.1/24'], ['vnet0', 'vnet1'], ['addresses', 'ports']]);
  t.is(s.get('lo')!.state, 'inactive');
});

test('store: a remote host gets no ip; an interface whose XML fails keeps its list line', async (t) => {
  const v = fakeRunner({
    'iface-list --all': fx('world-iface-list.txt'),
    'iface-dumpxml --interface bond1': fx('world-bond1.xml'),
    'iface-dumpxml --interface br0': fx('world-br0.xml'),
    'iface-dumpxml --interface eth3.42': fx('world-eth3.42.xml'),
  });
  const s = new IfaceStore(v);
  await s.refresh();
  t.is(s.lastError, null);
  t.deepEqual(s.ifaces.map((i) => [i.name, i.type]), [['bond1', 'bond'], ['br0', 'bridge'], ['eth3.42', 'vlan'], ['eth4', '?']]);
  t.is(s.get('eth4')!.mac, '52:54:00:aa:00:04');
  t.regex(s.get('eth4')!.raw, /iface-dumpxml failed: unexpected call/);
});

test('store: no interface driver on a local host: ip -j -d addr instead, and libvirt is not asked again', async (t) => {
  const v = fakeRunner({ 'iface-list --all': virshFailure('virsh iface-list --all', fx('error-not-supported.txt')) });
  let ipRuns = 0;
  const s = new IfaceStore(v, { ipAddr: async () => { ipRuns++; return fx('lab-ip-addr.json'); } });
  await s.refresh();
  t.is(s.lastError, null);
  t.is(s.source, 'ip');
  t.deepEqual(s.ifaces.map((i) => i.name), ['lo', 'virbr-lab0', 'virbr-lab1', 'vnet0', 'vnet1', 'vnet2', 'vl2-lab1']);
  t.deepEqual(s.get('virbr-lab1')!.ports, ['vnet2']);
  t.false(s.unavailable);
  await s.refresh();
  t.is(ipRuns, 2);
  t.deepEqual(v.calls, ['iface-list --all']);
});

test('store: no interface driver on a remote host: "not available", failed emitted, nothing run locally', async (t) => {
  const v = fakeRunner({ 'iface-list --all': virshFailure('virsh iface-list --all', fx('error-not-supported.txt')) });
  const s = new IfaceStore(v);
  let failed: VirshError | null = null;
  s.on('failed', (e: VirshError) => { failed = e; });
  await s.refresh();
  t.false(s.loaded);
  t.truthy(failed);
  t.regex(s.lastError!.line, /^host interfaces not available: Failed to list active interfaces: this function is not supported/);
  t.regex(s.lastError!.hint, /only read the machine virtui runs on/);
  t.true(s.unavailable);
});

test('store: another failure of iface-list is passed on as it is (no fallback)', async (t) => {
  const v = fakeRunner({ 'iface-list --all': virshFailure('virsh iface-list --all', 'error: Cannot recv data: Connection reset by peer') });
  let ipRuns = 0;
  const s = new IfaceStore(v, { ipAddr: async () => { ipRuns++; return '[]'; } });
  await s.refresh();
  t.is(ipRuns, 0);
  t.regex(s.lastError!.line, /Connection reset by peer/);
});

test('store options: ip runs on this machine, for real, only when the host is local', async (t) => {
  t.deepEqual(IfaceStore.options(false), {});
  const local = IfaceStore.options(true);
  const text = await local.ipAddr!();
  t.true(parseIpAddr(text).some((i) => i.name === 'lo'));
});

test('rows: name, type, state, MAC, the first address and how many more, ports / vlan / what holds a port', async (t) => {
  const { ifaceRow, sortIfaces, ifaceLines, bridgeNames: fromScreen } = await import('../../screens/ifaces/columns.ts');
  const br0 = parseIfaceXml(fx('world-br0.xml'), { name: 'br0', active: true, mac: '' });
  t.deepEqual(ifaceRow(br0).cells, ['br0', 'bridge', 'active', '-', '192.168.10.1/24 +1', 'eth0 bond0']);
  t.is(ifaceRow(br0).color, 'green-fg');
  const vlan = parseIfaceXml(fx('world-eth3.42.xml'), { name: 'eth3.42', active: false, mac: '' });
  t.deepEqual(ifaceRow(vlan).cells, ['eth3.42', 'vlan', 'inactive', '-', '-', 'tag 42 on eth3']);
  t.is(ifaceRow(vlan).color, undefined);
  const lab = parseIpAddr(fx('lab-ip-addr.json'));
  t.deepEqual(ifaceRow(lab.find((i) => i.name === 'vnet2')!).cells, ['vnet2', 'tun', 'unknown', 'fe:54:00:1a:b1:02', 'fe80::fc54:ff:fe1a:b102/64', 'in virbr-lab1']);
  t.deepEqual(ifaceRow(lab.find((i) => i.name === 'virbr-lab0')!).cells.slice(4), ['192.168.150.1/24', 'vnet0 vnet1']);
  // by state: up first; by ports: the most ports first
  t.deepEqual(sortIfaces(lab, 2, false).map((i) => i.name).slice(0, 3), ['virbr-lab0', 'virbr-lab1', 'vl2-lab1']);
  t.deepEqual(sortIfaces(lab, 5, false).map((i) => i.name).slice(0, 2), ['virbr-lab0', 'virbr-lab1']);
  t.is(fromScreen, bridgeNames);
  const lines = ifaceLines({ ...br0, fromIp: ['ports'] });
  t.true(lines.includes('Ports (2)'));
  t.true(lines.includes('  2001:db8:10::1/64'));
  t.regex(lines.at(-1)!, /^ports: from `ip` on this machine/);
  t.true(ifaceLines(parseIfaceXml(fx('world-bond1.xml'))).includes('Slaves (2)'));
});
