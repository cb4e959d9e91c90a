// Volume and snapshot parsers on captures from real virsh 9 (the lab and a test-driver world of hostile names).
import test from 'ava';
import { capture } from '../helpers.ts';
import { parseVolList, parseVolumeXml } from '../../src/libvirt/volxml.ts';
import { parseSnapshotList, parseSnapshotXml, snapshotTree, descendants } from '../../src/libvirt/snapxml.ts';

test('vol-list: the lab pool', (t) => {
  const rows = parseVolList(capture('lab-vol-list.txt'));
  t.is(rows.length, 6);
  t.deepEqual(rows[0], { name: 'alpha-root.qcow2', path: '/var/lib/virt-lab/pool/alpha-root.qcow2' });
  t.deepEqual(rows[5], { name: 'scratch.raw', path: '/var/lib/virt-lab/pool/scratch.raw' });
});

test('vol-list: names with spaces (three in a row), quotes and emoji keep their paths', (t) => {
  t.deepEqual(parseVolList(capture('hostile-vol-list.txt')), [
    { name: "it's   three", path: "/default-pool/it's   three" },
    { name: 'web 01', path: '/default-pool/web 01' },
    { name: 'ünï-🚀', path: '/default-pool/ünï-🚀' },
  ]);
});

test('vol-list: one volume whose name has three spaces; an empty pool', (t) => {
  t.deepEqual(parseVolList(" a   b   /p/a   b\n"), [{ name: 'a   b', path: '/p/a   b' }]);
  t.deepEqual(parseVolList(''), []);
});

test('vol-list: virt-manager world', (t) => {
  const rows = parseVolList(capture('vmtd-vol-list-pool-dir.txt'));
  t.is(rows.length, 19);
  t.true(rows.every((r) => r.path === `/pool-dir/${r.name}`));
});

test('vol-dumpxml: format, sizes in bytes, backing file', (t) => {
  const a = parseVolumeXml(capture('lab-vol-alpha-root.xml'));
  t.like(a, { name: 'alpha-root.qcow2', type: 'file', format: 'qcow2', capacity: 134217728, backing: '' });
  const g = parseVolumeXml(capture('lab-vol-gamma-root.xml'));
  t.like(g, { backing: '/var/lib/virt-lab/pool/base-image.qcow2', backingFormat: 'qcow2' });
});

test('snapshot-list --parent: lab and hostile names', (t) => {
  t.deepEqual(parseSnapshotList(capture('lab-snapshot-list-alpha.txt')).map((s) => [s.name, s.parent, s.state]), [['booted', '', 'running'], ['later', 'booted', 'running']]);
  t.deepEqual(parseSnapshotList(capture('hostile-snapshot-list.txt')).map((s) => [s.name, s.parent]), [['child', 'snap one'], ['snap one', ''], ['ünï-🚀', 'child']]);
});

test('snapshot-dumpxml: description, parent, memory', (t) => {
  const s = parseSnapshotXml(capture('lab-snapshot-later.xml'));
  t.like(s, { name: 'later', parent: 'booted', state: 'running', memory: true, diskOnly: false, creationTime: 1795315700 });
  t.regex(s.description, /child of booted/);
  t.like(parseSnapshotXml("<domainsnapshot><name>d</name><state>disk-snapshot</state><memory snapshot='no'/></domainsnapshot>"), { memory: false, diskOnly: true });
});

test('snapshot tree: children under parents; descendants', (t) => {
  const items = [{ name: 'c', parent: 'a' }, { name: 'a', parent: '' }, { name: 'b', parent: 'a' }, { name: 'd', parent: 'b' }, { name: 'orphan', parent: 'gone' }];
  const rows = snapshotTree(items, (x, y) => x.name.localeCompare(y.name));
  t.deepEqual(rows.map((r) => `${r.prefix}${r.item.name}`), ['a', '+- b', '|  `- d', '`- c', 'orphan']);
  t.deepEqual(descendants(items, 'a').map((i) => i.name).sort(), ['b', 'c', 'd']);
  // a cycle does not hang or lose snapshots
  t.is(snapshotTree([{ name: 'x', parent: 'y' }, { name: 'y', parent: 'x' }], () => 0).length, 2);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir, fakeActionHost } from '../helpers.ts';
import { VOLUME_ACTIONS, parseSize, exactSize, type VolumeCtx } from '../../screens/volumes/actions.ts';
import { volumeRow, volumeLines, sortVolumes, VOLUME_COLUMNS } from '../../screens/volumes/columns.ts';
import { SNAPSHOT_ACTIONS, type SnapshotCtx } from '../../screens/snapshots/actions.ts';
import { SNAPSHOT_COLUMNS, snapshotRow, sortSnapshots, snapshotTreeOf } from '../../screens/snapshots/columns.ts';
import { kindOrder } from '../../screens/kit/kind.ts';
import { findScreen } from '../../screens/index.ts';
import type { Volume } from '../../src/model/volumes.ts';
import type { Snapshot } from '../../src/model/snapshots.ts';
import { available } from '../../src/ui/keymap.ts';
import { kindKeys } from '../../screens/kit/kind.ts';
import { VOLUME_KIND } from '../../screens/volumes/kind.ts';

test('every volume XML of the fixtures parses and renders', (t) => {
  const dir = join(sharedDir(), 'fixtures', 'xml', 'storage');
  const files = readdirSync(dir).filter((f) => /vol/.test(f));
  t.true(files.length >= 10);
  for (const f of files) {
    const info = parseVolumeXml(readFileSync(join(dir, f), 'utf8'));
    t.truthy(info.name, f);
    const v: Volume = { ...info, pool: 'p', usedBy: [] };
    t.is(volumeRow(v).cells.length, 8, f);
    t.true(volumeLines(v).length > 5, f);
  }
});

test('sizes: parse and exact defaults that never round', (t) => {
  t.is(parseSize('10G'), 10n * 1024n ** 3n);
  t.is(parseSize('1.5 GiB'), 3n * 512n * 1024n ** 2n);
  t.is(parseSize('512m'), 512n * 1024n ** 2n);
  t.is(parseSize('1000'), 1000n);
  t.is(parseSize('0.1K'), 102n);
  // beyond 2^53 bytes: exact, not rounded to 109950063265972220
  t.is(String(parseSize('99999T')), '109950063265972224');
  t.is(exactSize(parseSize('99999T')!), '99999T');
  t.is(parseSize('ten'), undefined);
  // as virsh reads them: KB, MB, GB are powers of 1000, KiB and K of 1024
  t.is(parseSize('10GB'), 10_000_000_000n);
  t.is(parseSize('1.5 MB'), 1_500_000n);
  t.is(parseSize('2KiB'), 2048n);
  t.is(parseSize('100b'), 100n);
  t.is(exactSize(10 * 1024 ** 3), '10G');
  t.is(exactSize(1536 * 1024 ** 2), '1536M');
  t.is(exactSize(1000001), '1000001');
});

const vol = (o: Partial<Volume> = {}): Volume => ({ name: 'disk 1.qcow2', type: 'file', key: '', path: '/p/disk 1.qcow2', format: 'qcow2', capacity: 1024 ** 3, allocation: 0, backing: '', backingFormat: '', pool: 'p', usedBy: [], ...o });

test('volumes: the size columns sort by bytes, the others by their text', (t) => {
  const list = [vol({ name: 'b', capacity: 512 * 1024 ** 2, allocation: 9 }), vol({ name: 'a', capacity: 2 * 1024 ** 3, allocation: undefined }), vol({ name: 'c', capacity: 100, format: 'raw', allocation: 3 })];
  const by = (title: string, desc = false) => sortVolumes(list, VOLUME_COLUMNS.findIndex((c) => c.title === title), desc).map((v) => v.name).join(' ');
  t.is(by('CAPACITY'), 'c b a', '100 B < 512 MiB < 2 GiB, though "2.0 GiB" < "512 MiB" as text');
  t.is(by('ALLOCATION', true), 'b c a', 'unknown last when reversed');
  t.is(by('FORMAT'), 'a b c');
  t.is(by('NAME', true), 'c b a');
});

test('volumes: a size beyond 2^53 bytes is sent exactly; beyond the pool\'s free space it asks first', async (t) => {
  const f = fakeActionHost(() => ({}), {}, () => ({ values: { name: 'huge', capacity: '99999T' } }));
  const ctx = (v?: Volume): VolumeCtx => ({ host: f.host, vol: v, pool: 'p', poolActive: true, poolFree: 30 * 1024 ** 3, volumes: [] });
  await kindKeys(VOLUME_KIND).find((a) => a.label === 'new')!.run(ctx());
  t.regex(f.asked[0]!.title, /more than pool p has free/);
  t.regex(f.asked[0]!.message.join(' '), /30(\.0)? GiB free/);
  t.is(f.ran.at(-1)![f.ran.at(-1)!.indexOf('--capacity') + 1], '109950063265972224');
  await VOLUME_ACTIONS.find((a) => a.label === 'resize')!.run(ctx(vol()));
  t.is(f.asked.length, 2);
  t.deepEqual(f.ran.at(-1), ['vol-resize', '--pool', 'p', '--vol', 'disk 1.qcow2', '--capacity', '109950063265972224']);
  // No: nothing runs
  const no = fakeActionHost(() => ({ confirmed: false }), {}, () => ({ values: { name: 'x', capacity: '99999T' } }));
  await kindKeys(VOLUME_KIND).find((a) => a.label === 'new')!.run({ ...ctx(), host: no.host });
  t.is(no.asked.length, 1);
  t.deepEqual(no.ran, []);
});

test('volumes: create, resize (grow / shrink asks), delete names the domain using it', async (t) => {
  const f = fakeActionHost(() => ({}), {}, (spec): { values: Record<string, string> } => (spec.title.startsWith('New') ? { values: { name: 'new 1', capacity: '2G', backing: 'base' } } : { values: { capacity: '2G' } }));
  const ctx = (v?: Volume): VolumeCtx => ({ host: f.host, vol: v, pool: 'p', poolActive: true, volumes: [vol({ name: 'base', path: '/p/base' })] });
  const run = (label: string, v?: Volume) => kindKeys(VOLUME_KIND).find((a) => a.label === label)!.run(ctx(v));
  await run('new');
  t.deepEqual(f.ran.at(-1), ['vol-create-as', '--pool', 'p', '--name', 'new 1', '--capacity', String(2 * 1024 ** 3), '--format', 'qcow2', '--allocation', '0', '--backing-vol', '/p/base', '--backing-vol-format', 'qcow2']);
  await run('resize', vol());
  t.deepEqual(f.ran.at(-1), ['vol-resize', '--pool', 'p', '--vol', 'disk 1.qcow2', '--capacity', String(2 * 1024 ** 3)]);
  t.is(f.asked.length, 0, 'growing does not ask');
  await run('resize', vol({ capacity: 4 * 1024 ** 3 }));
  t.regex(f.asked.at(-1)!.message.join(' '), /destroy the filesystem/);
  t.deepEqual(f.ran.at(-1), ['vol-resize', '--pool', 'p', '--vol', 'disk 1.qcow2', '--capacity', String(2 * 1024 ** 3), '--shrink']);
  await run('delete', vol({ usedBy: [{ domain: 'web 01', target: 'vda', running: true }] }));
  t.regex(f.asked.at(-1)!.message.join(' '), /web 01 \(vda\), which is running/);
  t.is(f.asked.at(-1)!.typeToConfirm, 'disk 1.qcow2');
  t.deepEqual(f.ran.at(-1), ['vol-delete', '--pool', 'p', '--vol', 'disk 1.qcow2']);
  t.deepEqual(available(VOLUME_ACTIONS, ctx(vol()), true).map((a) => a.label), ['details', 'guestfish', 'check'], 'read-only: look only (guestfish opens it read-only, qemu-img check only reads)');
  t.deepEqual(available(VOLUME_ACTIONS, { ...ctx(vol()), poolActive: false }, false).map((a) => a.label), ['details']);
});

const snap = (name: string, parent = '', o: Partial<Snapshot> = {}): Snapshot => ({ name, parent, created: `2026-11-22 0${name.length}:00:00 +0000`, state: 'running', description: '', memory: true, diskOnly: false, current: false, ...o });

test('snapshots: revert takes a safety snapshot first; delete with children', async (t) => {
  const f = fakeActionHost((spec) => ({ checked: Object.fromEntries((spec.checkboxes ?? []).map((c) => [c.id, true])) }));
  const all = [snap('a'), snap('b b', 'a'), snap('c', 'b b', { current: true })];
  const ctx = (s?: Snapshot): SnapshotCtx => ({ host: f.host, snap: s, domain: 'web 01', domainState: 'running', snapshots: all });
  await SNAPSHOT_ACTIONS.find((a) => a.label === 'revert')!.run(ctx(all[1]));
  t.is(f.ran[0]![0], 'snapshot-create-as');
  t.regex(f.ran[0]![4]!, /^before-revert-\d{8}-\d{6}$/);
  t.deepEqual(f.ran[1], ['snapshot-revert', '--domain', 'web 01', '--snapshotname', 'b b']);
  t.regex(f.asked[0]!.message.join(' '), /its running memory/);
  await SNAPSHOT_ACTIONS.find((a) => a.label === 'delete')!.run(ctx(all[0]));
  t.regex(f.asked[1]!.message.join(' '), /2 descendants: b b, c/);
  t.deepEqual(f.ran[2], ['snapshot-delete', '--domain', 'web 01', '--snapshotname', 'a', '--children']);
  t.deepEqual(sortSnapshots(all, 0, false).map((s) => snapshotRow(s).cells[0]), ['a', 'b b', 'c *']);
});

test('snapshots sorted by any column stay a tree: the siblings are sorted, children stay under their parent', (t) => {
  const at = (h: number) => `2026-11-22 0${h}:00:00 +0000`;
  // a (1h) has a child b (5h); c (3h) is a second root with a child d (4h) and e (2h)
  const all = [snap('a', '', { created: at(1) }), snap('b', 'a', { created: at(5) }), snap('c', '', { created: at(3) }),
    snap('d', 'c', { created: at(4), state: 'shutoff' }), snap('e', 'c', { created: at(2) })];
  const names = (col: number, desc: boolean) => sortSnapshots(all, col, desc).map((s) => s.name).join(' ');
  t.is(names(1, false), 'a b c e d');
  t.is(names(1, true), 'c d e a b');
  t.is(names(0, false), 'a b c e d');
  // by state: running before shutoff among c's children
  t.is(names(2, false), 'a b c e d');
  t.is(names(2, true), 'c d e a b');
  // the branches follow the sort: which sibling is last changes with it
  const tree = (desc: boolean) => kindOrder({ columns: SNAPSHOT_COLUMNS, tree: snapshotTreeOf }, all, 1, desc).map((r) => snapshotRow(r.item, r.prefix).cells[0]);
  t.deepEqual(tree(false), ['a', '`- b', 'c', '+- e', '`- d']);
  t.deepEqual(tree(true), ['c', '+- d', '`- e', 'a', '`- b']);
  t.deepEqual(SNAPSHOT_COLUMNS.map((c) => c.short ?? c.title), SNAPSHOT_COLUMNS.map((c) => c.title).map((x) => (x === 'DESCRIPTION' ? 'DESCR' : x)));
  t.is(SNAPSHOT_COLUMNS[1]!.title, 'CREATED');
  t.is(SNAPSHOT_COLUMNS[1]!.short, undefined);
});

test('the registry: the volumes and snapshots kinds take their POOL and DOMAIN', (t) => {
  t.is(findScreen('vol')?.arg, 'POOL');
  t.is(findScreen('snap')?.arg, 'DOMAIN');
  t.is(findScreen('net')?.arg, undefined);
  t.deepEqual(['net', 'pool', 'vol', 'snap'].map((a) => findScreen(a)?.name), ['networks', 'pools', 'volumes', 'snapshots']);
});

test('a volume of 99999T shows its exact bytes', (t) => {
  const v = { ...parseVolumeXml(capture('lab-vol-alpha-root.xml')), pool: 'p', usedBy: [] };
  v.capacity = Number('109950063265972224');
  t.true(volumeLines(v).some((l) => l.includes('(109950063265972224 bytes)')), volumeLines(v).join('\n'));
});
