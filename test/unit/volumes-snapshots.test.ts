// Volume and snapshot parsers on captures from real virsh 9 (the lab and a test-driver world of hostile names).
import test from 'ava';
import { capture } from '../helpers.ts';
import { parseVolList, parseVolumeXml, parseDomBlkList } from '../../src/libvirt/volxml.ts';
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

test('domblklist --details', (t) => {
  t.deepEqual(parseDomBlkList(capture('lab-domblklist-alpha.txt')).map((b) => [b.target, b.source]), [
    ['vda', '/var/lib/virt-lab/pool/alpha-root.qcow2'], ['vdb', '/var/lib/virt-lab/pool/scratch.raw'],
  ]);
  t.deepEqual(parseDomBlkList(' file   cdrom   sda   -\n file   disk   vdb   /a b/c d.img\n'), [
    { type: 'file', device: 'cdrom', target: 'sda', source: '' }, { type: 'file', device: 'disk', target: 'vdb', source: '/a b/c d.img' },
  ]);
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
