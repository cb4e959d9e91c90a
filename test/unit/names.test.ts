// A name is never an option: every virsh command virtui builds names its object with a naming
// option (--domain, --network, --pool, --vol, --snapshotname, --name, --newname), never in a place
// where virsh's parser would read `--help` or `-x` as an option. And names that virsh's tables
// escape come back exactly.
import test from 'ava';
import { join } from 'node:path';
import { capture, fakeActionHost, FIXTURES, HOSTILE_NAMES, DASH_NAMES, misplacedNames } from '../helpers.ts';
import type { FormSpec } from '../../src/ui/form.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { ActionHost } from '../../screens/kit/list.ts';
import { DOMAIN_ACTIONS, type DomainCtx } from '../../screens/domains/actions.ts';
import { NETWORK_ACTIONS, type NetworkCtx } from '../../screens/networks/actions.ts';
import { POOL_ACTIONS, type PoolCtx } from '../../screens/pools/actions.ts';
import { VOLUME_ACTIONS, type VolumeCtx } from '../../screens/volumes/actions.ts';
import { SNAPSHOT_ACTIONS, type SnapshotCtx } from '../../screens/snapshots/actions.ts';
import { EDIT_KINDS } from '../../src/xmledit.ts';
import { consoleSpec, guestfishSpec } from '../../src/pty/commands.ts';
import { poolDefineArgs } from '../../src/libvirt/build.ts';
import { decodeCell, domainArg, exactNames, parseDomList, parseNames, tableCell } from '../../src/libvirt/parse.ts';
import { parseNetList } from '../../src/libvirt/netxml.ts';
import { parsePoolList } from '../../src/libvirt/poolxml.ts';
import { parseVolList } from '../../src/libvirt/volxml.ts';
import { parseSnapshotList } from '../../src/libvirt/snapxml.ts';
import type { Domain, DomainState } from '../../src/libvirt/types.ts';
import type { Network } from '../../src/model/networks.ts';
import type { Pool } from '../../src/model/pools.ts';
import type { Volume } from '../../src/model/volumes.ts';
import type { Snapshot } from '../../src/model/snapshots.ts';
import { kindKeys } from '../../screens/kit/kind.ts';
import { DOMAIN_KIND } from '../../screens/domains/kind.ts';
import { NETWORK_KIND } from '../../screens/networks/kind.ts';
import { POOL_KIND } from '../../screens/pools/kind.ts';
import { VOLUME_KIND } from '../../screens/volumes/kind.ts';
import { SNAPSHOT_KIND } from '../../screens/snapshots/kind.ts';

const NAMES = [...DASH_NAMES, ...HOSTILE_NAMES];

test('the simulated parser catches a name in an option position', (t) => {
  t.deepEqual(misplacedNames(['dominfo', '--domain', '--help'], NAMES), []);
  t.deepEqual(misplacedNames(['snapshot-delete', '--domain', 'web 01', '--snapshotname', '-x', '--children'], ['web 01', '-x']), []);
  t.is(misplacedNames(['dominfo', '--help'], NAMES).length, 1);
  t.is(misplacedNames(['suspend', 'web 01'], NAMES).length, 1);
  t.is(misplacedNames(['vol-delete', '--pool', 'p', '-x'], ['-x']).length, 1);
});

/** every argument list an action table's actions build, in every context given, with each name */
async function walk<C>(table: readonly KeyAction<C>[], contexts: (host: ActionHost, name: string) => C[], fill: (name: string) => (spec: FormSpec) => Record<string, string>) {
  const all: string[][] = [];
  let ran = 0;
  for (const name of NAMES) {
    const f = fakeActionHost(() => ({}), { 'snapshot-list': 'a\n', dumpxml: '<domain><os><nvram>/x</nvram></os></domain>' }, 
      // "from file" reads a real file
      (spec) => ({ values: spec.fields.some((x) => x.id === 'path') ? { path: join(FIXTURES, 'virsh', 'lab-net-dumpxml-nat.xml') } : fill(name)(spec) }));
    const reads: string[][] = [];
    const read = f.host.run;
    f.host.run = (args) => { reads.push(args); return read(args); };
    for (const ctx of contexts(f.host, name)) {
      for (const a of table) {
        if (a.when && !a.when(ctx)) continue;
        await a.run(ctx);
        ran++;
      }
    }
    all.push(...f.ran, ...reads);
  }
  return { commands: all, ran };
}

const dom = (name: string, state: DomainState, o: Partial<Domain> = {}): Domain => ({
  name, id: state === 'shut off' || state === 'crashed' ? null : 1, state, autostart: false, persistent: true, managedSave: false, ...o,
});

test('every domain action names the domain with --domain', async (t) => {
  const states: DomainState[] = ['running', 'paused', 'shut off', 'crashed', 'pmsuspended'];
  const { commands, ran } = await walk<DomainCtx>(kindKeys(DOMAIN_KIND), (host, name) => states.flatMap((s) => [
    { host, dom: dom(name, s) }, { host, dom: dom(name, s, { autostart: true, managedSave: s === 'shut off' }) }]), () => () => ({}));
  t.true(ran > 100);
  for (const cmd of ['start', 'shutdown', 'reboot', 'reset', 'destroy', 'suspend', 'resume', 'managedsave', 'managedsave-remove', 'autostart', 'undefine', 'snapshot-list', 'dumpxml']) {
    t.true(commands.some((c) => c[0] === cmd), cmd);
  }
  t.deepEqual(commands.flatMap((c) => misplacedNames(c, NAMES)), []);
});

const net = (name: string, o: Partial<Network> = {}): Network => ({
  name, uuid: '', forward: 'nat', bridge: 'virbr1', ipv4: '10.0.0.1/24', dhcp: '', ipv6: [], active: true, autostart: false, persistent: true, ...o,
});

test('every network action (and the network form) names the network with --network', async (t) => {
  const { commands } = await walk<NetworkCtx>(kindKeys(NETWORK_KIND), (host, name) => [true, false].flatMap((active) => [false, true].map((autostart) => ({
    host, net: net(name, { active, autostart }), networks: [net('other')] }))), (name) => () => ({ name, autostart: 'yes' }));
  for (const cmd of ['net-start', 'net-destroy', 'net-undefine', 'net-autostart']) t.true(commands.some((c) => c[0] === cmd), cmd);
  t.deepEqual(commands.flatMap((c) => misplacedNames(c, NAMES)), []);
});

const pool = (name: string, o: Partial<Pool> = {}): Pool => ({
  name, type: 'dir', path: '/p', source: '', active: true, autostart: false, persistent: true, ...o,
});

test('every pool action (and the pool form) names the pool with --pool', async (t) => {
  const { commands } = await walk<PoolCtx>(kindKeys(POOL_KIND), (host, name) => [true, false].flatMap((active) => (['dir', 'fs'] as const).map((type) => ({
    host, pool: pool(name, { active, type, autostart: !active }), pools: [] }))), (name) => () => ({ name, build: 'yes', autostart: 'yes' }));
  for (const cmd of ['pool-start', 'pool-destroy', 'pool-refresh', 'pool-undefine', 'pool-build', 'pool-delete', 'pool-autostart', 'pool-define-as']) t.true(commands.some((c) => c[0] === cmd), cmd);
  t.deepEqual(commands.flatMap((c) => misplacedNames(c, NAMES)), []);
});

const vol = (name: string, pool: string): Volume => ({
  name, pool, type: 'file', key: `/p/${name}`, path: `/p/${name}`, format: 'qcow2', capacity: 1 << 30, allocation: 0, backing: '', backingFormat: '',
  usedBy: [{ domain: 'web 01', target: 'vda', running: false }],
});

test('every volume action names the pool with --pool and the volume with --vol, --name or --newname', async (t) => {
  // shrink and grow: the form's capacity against the volume's 1 GiB
  for (const capacity of ['512M', '2G']) {
    const { commands } = await walk<VolumeCtx>(kindKeys(VOLUME_KIND), (host, name) => [{ host, vol: vol(name, name), pool: name, poolActive: true, volumes: [vol(name, name)] }],
      (name) => (spec): Record<string, string> => (spec.fields.some((f) => f.id === 'capacity') && spec.fields.length === 1 ? { capacity } : { name, capacity: '1G', backing: name }));
    for (const cmd of ['vol-create-as', 'vol-clone', 'vol-resize', 'vol-wipe', 'vol-delete']) t.true(commands.some((c) => c[0] === cmd), cmd);
    t.deepEqual(commands.flatMap((c) => misplacedNames(c, NAMES)), []);
  }
});

const snap = (name: string, parent = ''): Snapshot => ({ name, parent, created: '2026-11-22 02:48:19 +0000', state: 'running', description: '', memory: true, diskOnly: false, current: false });

test('every snapshot action names the domain with --domain and the snapshot with --snapshotname or --name', async (t) => {
  const { commands } = await walk<SnapshotCtx>(kindKeys(SNAPSHOT_KIND), (host, name) => [{ host, snap: snap(name), domain: name, domainState: 'running', snapshots: [snap(name), snap(`${name}-child`, name)] }],
    (name) => () => ({ name, description: name }));
  for (const cmd of ['snapshot-create-as', 'snapshot-revert', 'snapshot-delete']) t.true(commands.some((c) => c[0] === cmd), cmd);
  t.deepEqual(commands.flatMap((c) => misplacedNames(c, NAMES)), []);
});

test('the XML edit reads, pool-define-as, and the panes\' commands keep names out of option positions', (t) => {
  for (const name of NAMES) {
    for (const kind of Object.values(EDIT_KINDS)) {
      t.deepEqual(misplacedNames(kind.dump(name), NAMES), []);
      t.deepEqual(misplacedNames(kind.dumpPlain(name), NAMES), []);
    }
    t.deepEqual(misplacedNames(poolDefineArgs({ name, type: 'dir', target: '/p' }), NAMES), []);
    const c = consoleSpec('qemu:///system', name, true).args;
    t.deepEqual(misplacedNames(c.slice(c.indexOf('console')), NAMES), []);
    // guestfish (getopt): an option with a required value takes the next argument, whatever it starts with
    const g = guestfishSpec({ kind: 'domain', name }, { uri: 'qemu:///system', readonly: true, inspect: true }).args;
    t.is(g[g.indexOf(name) - 1], '-d');
  }
});

// the names of the escaped-*.txt captures (capture-escaped.py)
const ESCAPED = ['rel"snap\'1 $(id) \\x', 'tab\there', 'nel\u0085x', '--help', 'ünï-🚀 \\x', 'a\\b'];
const lines = (text: string) => text.split('\n').map((l) => l.trimEnd()).filter(Boolean);

test('virsh tables escape names; each cell is matched to the exact name from --name', (t) => {
  const tables: Array<[string, string, (text: string) => string[]]> = [
    ['escaped-list-all.txt', 'escaped-list-name.txt', (x) => parseDomList(x).map((r) => r.name)],
    ['escaped-net-list-all.txt', 'escaped-net-list-name.txt', (x) => parseNetList(x).map((r) => r.name)],
    ['escaped-pool-list-all.txt', 'escaped-pool-list-name.txt', (x) => parsePoolList(x).map((r) => r.name)],
    ['escaped-snapshot-list.txt', 'escaped-snapshot-list-name.txt', (x) => parseSnapshotList(x).map((r) => r.name)],
  ];
  for (const [table, names, parse] of tables) {
    const cells = parse(capture(table));
    const exact = table.includes('pool') ? lines(capture(names)) : parseNames(capture(names));
    for (const n of ESCAPED) t.true(exact.includes(n), `${names}: ${n}`);
    t.true(cells.includes('rel"snap\'1 $(id) \\x5cx'), table);
    t.deepEqual(cells.map((c) => exactNames([c], exact)[0]).sort(), [...exact].sort(), table);
    // what virsh printed is what tableCell says it prints
    t.deepEqual(exact.map(tableCell).sort(), [...cells].sort(), table);
  }
  // the parent column too
  const snaps = parseSnapshotList(capture('escaped-snapshot-list.txt'));
  t.deepEqual(exactNames(snaps.map((s) => s.parent), ESCAPED).sort(), ['', ...ESCAPED.filter((n) => n !== 'a\\b')].sort());
});

test('vol-list has no --name: its cells are decoded, exactly unless virsh lost the bytes', (t) => {
  const rows = parseVolList(capture('escaped-vol-list.txt')).map((r) => ({ name: decodeCell(r.name), path: decodeCell(r.path) }));
  for (const n of ESCAPED.filter((x) => x !== 'nel\u0085x')) t.deepEqual(rows.find((r) => r.name === n), { name: n, path: `/default-pool/${n}` }, n);
  t.is(decodeCell('a\\b'), 'a\\b');
  t.is(decodeCell('tab\\x09here \\x5cx'), 'tab\there \\x');
});

test('a --domain value virsh would read as an ID or a UUID is the domain\'s UUID', (t) => {
  const u = '6695eb01-f6a4-8304-79aa-97f2502e193f';
  for (const name of ['1', ' 7 ', '+3', '0', u, u.replace(/-/g, ''), u.toUpperCase()]) t.is(domainArg({ name, uuid: u }), u, name);
  for (const name of ['web-01', '1a', '--help', '-starts-with-dash', '1.5', `${u}x`]) t.is(domainArg({ name, uuid: u }), name, name);
  t.is(domainArg({ name: '1' }), '1', 'no UUID known: the name');
});
