// Network parsers on real XML and captures, and the network actions by state.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseNetworkXml, parseNetList, parseLeases, parseDomIfList, prefixOf, ipv4Subnets } from '../../src/libvirt/netxml.ts';
import { overlappingNetwork } from '../../src/libvirt/build.ts';
import { createNetwork } from '../../screens/create.ts';
import { NETWORK_ACTIONS } from '../../screens/networks/actions.ts';
import { networkRow, sortNetworks, NETWORK_COLUMNS } from '../../screens/networks/columns.ts';
import { NETWORK_KIND } from '../../screens/networks/kind.ts';
import { networkLines } from '../../screens/networks/detail.ts';
import { available } from '../../src/ui/keymap.ts';
import { strWidth } from '../../src/ui/blessed-compat.ts';
import type { Network } from '../../src/model/networks.ts';
import { capture, sharedDir, fakeActionHost } from '../helpers.ts';
import { kindKeys } from '../../screens/kit/kind.ts';

test('lab-nat: NAT, bridge, address/prefix, DHCP range', (t) => {
  t.deepEqual(parseNetworkXml(capture('lab-net-dumpxml-nat.xml')), {
    name: 'lab-nat', uuid: parseNetworkXml(capture('lab-net-dumpxml-nat.xml')).uuid, forward: 'nat', bridge: 'virbr-lab0',
    ipv4: '192.168.150.1/24', dhcp: '192.168.150.100-192.168.150.199', ipv6: [],
  });
});

test('net-list, leases and domiflist captures from the lab', (t) => {
  t.deepEqual(parseNetList(capture('lab-net-list-all.txt')), [
    { name: 'default', active: false, autostart: false, persistent: true },
    { name: 'lab-isolated', active: true, autostart: true, persistent: true },
    { name: 'lab-nat', active: true, autostart: true, persistent: true },
  ]);
  const leases = parseLeases(capture('lab-net-dhcp-leases.txt'));
  t.true(leases.length >= 1);
  t.is(leases[0]!.mac, '52:54:00:1a:b0:01');
  t.is(leases[0]!.ip, '192.168.150.11/24');
  t.is(leases[0]!.hostname, 'lab-alpha');
  t.deepEqual(parseDomIfList(capture('lab-domiflist-beta.txt')).map((i) => [i.type, i.source, i.mac]),
    [['network', 'lab-nat', '52:54:00:1a:b0:02'], ['network', 'lab-isolated', '52:54:00:1a:b1:02']]);
});

test('every network of virt-manager\'s world: the same names and states as virsh, and sane columns', (t) => {
  const uri = `test://${join(sharedDir(), 'fixtures', 'worlds', 'virt-manager-testdriver.xml')}`;
  const rows = parseNetList(capture('vmtd-net-list-all.txt'));
  const names = execFileSync('virsh', ['-q', '-c', uri, 'net-list', '--all', '--name'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  t.deepEqual(rows.map((r) => r.name), names);
  const modes = new Set<string>();
  for (const r of rows) {
    const x = parseNetworkXml(execFileSync('virsh', ['-q', '-c', uri, 'net-dumpxml', r.name], { encoding: 'utf8' }));
    t.is(x.name, r.name);
    modes.add(x.forward);
    if (x.ipv4) t.regex(x.ipv4, /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/, r.name);
    if (x.dhcp) t.regex(x.dhcp, /^[\d.]+-[\d.]+$/, r.name);
    const row = networkRow({ ...x, active: r.active, autostart: r.autostart, persistent: r.persistent });
    t.is(row.cells.length, 9);
    t.notThrows(() => networkLines({ ...x, active: true, autostart: false, persistent: true }, [], []));
  }
  t.deepEqual([...modes].sort(), ['bridge', 'hostdev', 'isolated', 'nat', 'open', 'route']);
});

test('the network XMLs of the fixtures parse', (t) => {
  const dir = join(sharedDir(), 'fixtures', 'xml', 'networks');
  const files = readdirSync(dir).filter((f) => f.startsWith('network-'));
  t.true(files.length >= 6);
  for (const f of files) {
    const x = parseNetworkXml(readFileSync(join(dir, f), 'utf8'));
    t.truthy(x.name, f);
  }
});

test('netmask to prefix', (t) => {
  t.is(prefixOf('255.255.255.0'), 24);
  t.is(prefixOf('255.255.0.0'), 16);
  t.is(prefixOf('255.255.255.255'), 32);
  t.is(prefixOf('255.0.255.0'), undefined);
});

const net = (o: Partial<Network>): Network => ({ name: 'lan 1', uuid: '', forward: 'nat', bridge: 'virbr9', ipv4: '', dhcp: '', ipv6: [], active: true, autostart: false, persistent: true, ...o });

test('each network column sorts by its own key: states and flags up first, leases as numbers', (t) => {
  const list = [net({ name: 'b', active: false, leases: undefined }), net({ name: 'a-10', leases: 10, autostart: true }), net({ name: 'a-9', leases: 9, persistent: false })];
  const by = (title: string, desc = false) => sortNetworks(list, NETWORK_COLUMNS.findIndex((c) => c.title === title), desc).map((n) => n.name);
  t.deepEqual(by('NAME'), ['a-9', 'a-10', 'b'], 'natural order');
  t.deepEqual(by('STATE'), ['a-9', 'a-10', 'b']);
  t.deepEqual(by('AUTOSTART'), ['a-10', 'a-9', 'b']);
  t.deepEqual(by('PERSISTENT'), ['a-10', 'b', 'a-9']);
  t.deepEqual(by('LEASES', true), ['a-10', 'a-9', 'b'], 'the most leases first, unknown last');
  t.deepEqual(networkRow(list[1]!).cells, ['a-10', 'active', 'yes', 'yes', 'virbr9', 'nat', '-', '-', '10']);
  t.is(networkRow(list[0]!).color, undefined);
  t.is(NETWORK_KIND.columns, NETWORK_COLUMNS);
});

test('network actions by state; undefine of an active network stops it first, after the typed name', async (t) => {
  const { host, ran } = fakeActionHost((spec) => ({ confirmed: spec.typeToConfirm === 'lan 1' }));
  const labels = (n: Network, ro = false) => available(kindKeys(NETWORK_KIND), { host, net: n, networks: [] }, ro).map((a) => a.label);
  t.deepEqual(labels(net({})), ['details', 'new', 'stop', 'autostart on', 'undefine', 'from file', 'edit XML']);
  t.deepEqual(labels(net({ active: false, autostart: true })), ['details', 'new', 'start', 'autostart off', 'undefine', 'from file', 'edit XML']);
  t.deepEqual(labels(net({ persistent: false })), ['details', 'new', 'stop', 'from file']);
  t.deepEqual(labels(net({}), true), ['details']);
  await NETWORK_ACTIONS.find((a) => a.label === 'undefine')!.run({ host, net: net({}), networks: [] });
  t.deepEqual(ran, [['net-destroy', '--network', 'lan 1'], ['net-undefine', '--network', 'lan 1']]);
});

test('stopping a network names the domains that use it, from their XML', async (t) => {
  // every domain's XML is lab-alpha's: one NIC on lab-nat
  const f = fakeActionHost(() => ({ confirmed: false }), { dumpxml: capture('lab-dumpxml-alpha.xml') });
  const domains = [{ name: 'web 01', running: true }, { name: 'ünï-🚀', running: true }, { name: 'db', running: false }];
  await NETWORK_ACTIONS.find((a) => a.label === 'stop')!.run({ host: f.host, net: net({ name: 'lab-nat' }), networks: [], domains });
  const m = f.asked[0]!.message.join(' ');
  t.regex(m, /goes down and web 01 and ünï-🚀 lose their connection/);
  t.regex(m, /db cannot start while it is stopped/);
  t.deepEqual(f.ran, []);
  // nobody on another network
  const g = fakeActionHost(() => ({ confirmed: false }), { dumpxml: capture('lab-dumpxml-alpha.xml') });
  await NETWORK_ACTIONS.find((a) => a.label === 'stop')!.run({ host: g.host, net: net({ name: 'other' }), networks: [], domains });
  t.regex(g.asked[0]!.message.join(' '), /No running domain uses it/);
});

test('the detail\'s list of users stays aligned with wide characters in names', (t) => {
  const lines = networkLines(net({}), [], [['ünï-🚀', '52:54:00:00:00:01'], ['漢字の名前', '52:54:00:00:00:02'], ['web 01', '52:54:00:00:00:03']]);
  const cols = lines.filter((l) => /52:54/.test(l)).map((l) => strWidth(l.slice(0, l.indexOf('52:54'))));
  t.is(new Set(cols).size, 1, lines.join('\n'));
});

test('the network form refuses a subnet that overlaps one of the host\'s networks (read from their XML), naming it', async (t) => {
  const form = (address: string, prefix = '24') => () => ({ values: { name: 'new-net', mode: 'nat', bridge: '', address, prefix, dhcp: '', autostart: '' } });
  const existing = [{ name: 'lab-nat', ipv4: '' }];
  // inside lab-nat's 192.168.150.0/24 (its XML gives a netmask, the list gave nothing)
  const f = fakeActionHost(() => ({ confirmed: false }), { 'net-dumpxml': capture('lab-net-dumpxml-nat.xml') }, form('192.168.150.77'));
  await createNetwork(f.host, existing);
  t.is(f.asked[0]!.title, 'The subnet is in use');
  t.regex(f.asked[0]!.message[0]!, /^192\.168\.150\.0\/24 overlaps network lab-nat \(192\.168\.150\.0\/24\)/);
  t.deepEqual(f.defined, []);
  // a wider subnet that holds it overlaps too
  const g = fakeActionHost(() => ({ confirmed: false }), { 'net-dumpxml': capture('lab-net-dumpxml-nat.xml') }, form('192.168.0.1', '16'));
  await createNetwork(g.host, existing);
  t.regex(g.asked[0]!.message[0]!, /overlaps network lab-nat/);
  t.deepEqual(g.defined, []);
  // next door is fine
  const ok = fakeActionHost(() => ({}), { 'net-dumpxml': capture('lab-net-dumpxml-nat.xml') }, form('192.168.151.1'));
  await createNetwork(ok.host, existing);
  t.deepEqual(ok.defined.map((d) => d[1]), ['new-net']);
  t.deepEqual(overlappingNetwork('10.0.0.1', 8, [{ name: 'a', subnets: ['10.20.30.1/24'] }]), { name: 'a', subnet: '10.20.30.0/24' });
  t.is(overlappingNetwork('10.0.0.1', 24, [{ name: 'a', subnets: ['10.0.1.1/24'] }]), undefined);
  t.deepEqual(ipv4Subnets(capture('lab-net-dumpxml-nat.xml')), ['192.168.150.1/24']);
});
