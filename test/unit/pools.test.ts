// Pool parsers on real XML and captures, the pool row, and the pool actions by state.
import test from 'ava';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { parsePoolXml, parsePoolList, bytesOf } from '../../src/libvirt/poolxml.ts';
import { poolRow, usageBar, sortPools, POOL_COLUMNS } from '../../screens/pools/columns.ts';
import { POOL_ACTIONS } from '../../screens/pools/actions.ts';
import { createPool } from '../../screens/create.ts';
import { checkNetworkForm } from '../../src/libvirt/build.ts';
import { available } from '../../src/ui/keymap.ts';
import type { Pool } from '../../src/model/pools.ts';
import { capture, sharedDir, fakeActionHost } from '../helpers.ts';
import { kindKeys } from '../../screens/kit/kind.ts';
import { POOL_KIND } from '../../screens/pools/kind.ts';

test('lab-pool: dir pool with sizes in bytes and its path', (t) => {
  const p = parsePoolXml(capture('lab-pool-dumpxml.xml'));
  t.is(p.name, 'lab-pool');
  t.is(p.type, 'dir');
  t.is(p.path, '/var/lib/virt-lab/pool');
  t.true(p.capacity! > 0 && p.allocation! > 0 && p.available! > 0);
  t.is(p.capacity, p.allocation! + p.available!);
  t.deepEqual(parsePoolList(capture('lab-pool-list-all.txt')), [{ name: 'lab-pool', active: true, autostart: true }]);
});

test('every pool of virt-manager\'s world: the names virsh lists, every type, sizes that add up', (t) => {
  const uri = `test://${join(sharedDir(), 'fixtures', 'worlds', 'virt-manager-testdriver.xml')}`;
  const rows = parsePoolList(capture('vmtd-pool-list-all.txt'));
  t.deepEqual(rows.map((r) => r.name), execFileSync('virsh', ['-q', '-c', uri, 'pool-list', '--all', '--name'], { encoding: 'utf8' }).split('\n').map((n) => n.trimEnd()).filter(Boolean));
  const types = new Set<string>();
  for (const r of rows) {
    const p = parsePoolXml(execFileSync('virsh', ['-q', '-c', uri, 'pool-dumpxml', r.name], { encoding: 'utf8' }));
    t.is(p.name, r.name);
    types.add(p.type);
    t.true(p.capacity! > 0, r.name);
    t.is(poolRow({ ...p, active: true, autostart: false, persistent: true }).cells.length, 9);
  }
  t.true(types.size >= 10, [...types].join(' '));
});

test('the pool XMLs of the fixtures parse', (t) => {
  for (const dir of ['storage', 'networks']) {
    const d = join(sharedDir(), 'fixtures', 'xml', dir);
    for (const f of readdirSync(d).filter((x) => x.startsWith('pool-'))) {
      const xml = readFileSync(join(d, f), 'utf8');
      if (!/<pool[\s>]/.test(xml)) continue;
      t.truthy(parsePoolXml(xml).type, f);
    }
  }
});

test('units and the usage bar', (t) => {
  t.is(bytesOf({ '#text': '32', '@unit': 'TiB' }), 32 * 1024 ** 4);
  t.is(bytesOf('1000'), 1000);
  t.is(bytesOf(''), undefined);
  t.is(usageBar(42, 100), ' 42% ███░░░░░');
  t.is(usageBar(150, 100), '100% ████████');
  t.is(usageBar(1, 0), '-');
});

const pool = (o: Partial<Pool>): Pool => ({ name: 'p 1', type: 'dir', path: '/srv/p', source: '', capacity: 100, allocation: 95, available: 5, active: true, autostart: false, persistent: true, ...o });

test('each pool column sorts by its own key: sizes as numbers, usage as a fraction, active first', (t) => {
  const list = [pool({ name: 'big', capacity: 2048 ** 3, allocation: 10, available: 2048 ** 3 - 10 }), pool({ name: 'full' }), pool({ name: 'off', active: false, capacity: undefined, allocation: undefined, available: undefined })];
  const by = (title: string, desc = false) => sortPools(list, POOL_COLUMNS.findIndex((c) => c.title === title), desc).map((p) => p.name);
  t.deepEqual(by('CAPACITY'), ['off', 'full', 'big'], 'bytes, not "100 B" < "8.0 GiB" as text');
  t.deepEqual(by('AVAILABLE', true), ['big', 'full', 'off']);
  t.deepEqual(by('USAGE', true), ['full', 'big', 'off'], 'the fullest first');
  t.deepEqual(by('STATE'), ['big', 'full', 'off']);
  t.deepEqual(poolRow(list[2]!).cells.slice(1, 8), ['inactive', 'no', 'dir', '-', '-', '-', '-']);
});

test('pool actions by state; undefine only when stopped, with the typed name', async (t) => {
  const { host, ran } = fakeActionHost((spec) => ({ confirmed: spec.typeToConfirm === undefined || spec.typeToConfirm === 'p 1' }));
  const labels = (p: Pool, ro = false) => available(kindKeys(POOL_KIND), { host, pool: p, pools: [] }, ro).map((a) => a.label);
  t.deepEqual(labels(pool({})), ['volumes', 'new', 'XML', 'stop', 'refresh', 'autostart on', 'from file', 'edit XML']);
  t.deepEqual(labels(pool({ active: false, autostart: true })), ['volumes', 'new', 'XML', 'start', 'autostart off', 'undefine', 'from file', 'build', 'delete storage', 'edit XML']);
  t.deepEqual(labels(pool({}), true), ['volumes', 'XML']);
  t.is(poolRow(pool({})).color, 'red-fg', 'over 90% full is red');
  await POOL_ACTIONS.find((a) => a.label === 'undefine')!.run({ host, pool: pool({ active: false }), pools: [] });
  await POOL_ACTIONS.find((a) => a.label === 'stop')!.run({ host, pool: pool({}), pools: [] });
  t.deepEqual(ran, [['pool-undefine', '--pool', 'p 1'], ['pool-destroy', '--pool', 'p 1']]);
});

test('the pool form: a default target from the name that no pool uses, one name rule, the command shown first', async (t) => {
  const existing = [{ name: 'default', path: '/var/lib/libvirt/images' }];
  let back = true;
  const f = fakeActionHost((spec) => {
    // the first preview goes Back to the form; the second defines
    if (spec.title.startsWith('Define pool')) { const b = back; back = false; return { confirmed: !b }; }
    return {};
  }, {}, () => ({ values: { name: 'scratch', type: 'dir', target: '', build: '', autostart: 'yes' } }));
  await createPool(f.host, existing);
  t.is(f.forms.length, 2, 'Back returns to the form');
  t.regex(f.asked[0]!.title, /^Define pool scratch\?/);
  t.deepEqual(f.asked[0]!.pre, ["virsh pool-define-as --name scratch --type dir --target /var/lib/libvirt/images/scratch"]);
  t.deepEqual(f.ran, [
    ['pool-define-as', '--name', 'scratch', '--type', 'dir', '--target', '/var/lib/libvirt/images/scratch'],
    ['pool-autostart', '--pool', 'scratch'], ['pool-start', '--pool', 'scratch'],
  ]);
  // the target (or its default) of an existing pool is refused, by name of that pool
  const fields = f.forms[0]!.fields;
  const target = fields.find((x) => x.id === 'target')!;
  t.regex(target.validate!('/var/lib/libvirt/images/', { name: 'x', type: 'dir', target: '/var/lib/libvirt/images/' }), /pool default uses \/var\/lib\/libvirt\/images already/);
  t.regex(target.validate!('', { name: '', type: 'dir', target: '' }), /^$/);
  // one name rule with the network form
  const name = fields.find((x) => x.id === 'name')!;
  for (const bad of ['a b', '$(id)', '-x', "it's"]) {
    t.truthy(name.validate!(bad, {}), bad);
    t.is(name.validate!(bad, {}).replace(/pool/g, 'network'), checkNetworkForm({ name: bad, mode: 'nat', bridge: '', address: '192.168.100.1', prefix: '24', dhcp: '' })['name'], bad);
  }
  t.is(name.validate!('scratch-2.img_x', {}), '');
});

test('the pool form: No to the build question still sets autostart and starts, and says so', async (t) => {
  const f = fakeActionHost((spec) => ({ confirmed: !spec.title.startsWith('Build') }), {},
    () => ({ values: { name: 'fast', type: 'fs', sourceDev: '/dev/sdb1', sourceFormat: '', target: '/srv/fast', build: 'yes', autostart: 'yes' } }));
  await createPool(f.host, []);
  const q = f.asked.find((a) => a.title.startsWith('Build'))!;
  t.regex(q.message.join(' '), /\/dev\/sdb1 is left as it is, and the pool is set to autostart and started all the same/);
  t.deepEqual(f.ran.map((r) => r[0]), ['pool-define-as', 'pool-autostart', 'pool-start']);
});

test('W on a disk pool names the device, not the directory it is seen in', async (t) => {
  const f = fakeActionHost(() => ({ confirmed: false }));
  const disk = pool({ name: 'sdb', type: 'disk', path: '/dev', source: '/dev/sdb', active: false });
  await POOL_ACTIONS.find((a) => a.keys.includes('W'))!.run({ host: f.host, pool: disk, pools: [] });
  t.regex(f.asked[0]!.message[0]!, /removes the partition table of \/dev\/sdb/);
  t.deepEqual(f.ran, []);
});
