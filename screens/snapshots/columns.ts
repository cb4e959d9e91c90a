// The snapshots table: a tree (children under their parent, oldest first). Pure.
import type { Snapshot } from '../../src/model/snapshots.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { snapshotTree } from '../../src/libvirt/snapxml.ts';
import { sortByValue } from '../list.ts';

export const SNAPSHOT_COLUMNS: Column[] = [
  { title: 'NAME', flex: 1, min: 12, max: 50 },
  { title: 'CREATED', short: 'TAKEN' },
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

/** tree order for the name column (the natural view); any other column sorts flat */
export function treeRows(list: readonly Snapshot[]): Array<{ snap: Snapshot; prefix: string }> {
  return snapshotTree(list, (a, b) => a.created.localeCompare(b.created) || a.name.localeCompare(b.name)).map((r) => ({ snap: r.item, prefix: r.prefix }));
}

export function sortSnapshots(list: readonly Snapshot[], col: number, desc: boolean): Snapshot[] {
  if (col === 0) { const t = treeRows(list).map((r) => r.snap); return desc ? t.reverse() : t; }
  return sortByValue(list, (s) => snapshotRow(s).cells[col] ?? '', desc);
}
