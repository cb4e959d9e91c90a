// The snapshots table: a tree (children under their parent, oldest first). Pure.
import type { Snapshot } from '../../src/model/snapshots.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { snapshotTree } from '../../src/libvirt/snapxml.ts';
import { sortByValue } from '../kit/list.ts';

export const SNAPSHOT_COLUMNS: Column[] = [
  { title: 'NAME', flex: 1, min: 12, max: 50 },
  { title: 'CREATED' },
  { title: 'STATE' },
  { title: 'KIND' },
  { title: 'DESCRIPTION', short: 'DESCR', flex: 2, min: 6, max: 80 },
];

export function kindOf(s: Snapshot): string {
  return s.diskOnly ? 'disk only' : s.memory ? 'disk+memory' : 'disk';
}

/** the tree prefix is part of the name cell; the current snapshot is marked with "*" */
export function snapshotRow(s: Snapshot, prefix = ''): Row {
  return {
    key: s.name,
    cells: [`${prefix}${s.name}${s.current ? ' *' : ''}`, s.created.replace(/ [+-]\d{4}$/, ''), s.state, kindOf(s), s.description.replace(/\s+/g, ' ') || '-'],
    color: s.current ? 'green-fg' : undefined,
  };
}

/**
 * The tree, whatever the sort: children stay under their parent, and the column sorts the
 * siblings (the name column sorts them by date, oldest first, as they were taken). `desc`
 * reverses the siblings' order, never the tree.
 */
export function treeRows(list: readonly Snapshot[], col = 0, desc = false): Array<{ snap: Snapshot; prefix: string }> {
  const value = (s: Snapshot) => (col === 0 ? s.created : snapshotRow(s).cells[col] ?? '');
  const order = new Map(sortByValue(list, value, false).map((s, i) => [s.name, i]));
  const cmp = (a: Snapshot, b: Snapshot) => (order.get(a.name)! - order.get(b.name)!) * (desc ? -1 : 1);
  return snapshotTree(list, cmp).map((r) => ({ snap: r.item, prefix: r.prefix }));
}

export function sortSnapshots(list: readonly Snapshot[], col: number, desc: boolean): Snapshot[] {
  return treeRows(list, col, desc).map((r) => r.snap);
}
