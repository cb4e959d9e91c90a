// The snapshots table: a tree (children under their parent, oldest first), and a snapshot's
// overview. Pure.
import type { Snapshot } from '../../src/model/snapshots.ts';
import type { Row } from '../../src/ui/table.ts';
import { snapshotTree } from '../../src/libvirt/snapxml.ts';
import { kindOrder, kindRow, type KindColumn, type KindSpec } from '../kit/kind.ts';
import { fieldLines } from '../kit/tabbed.ts';

export function kindOf(s: Snapshot): string {
  return s.diskOnly ? 'disk only' : s.memory ? 'disk+memory' : 'disk';
}

/** Each column with its cell and its own sort key; the current snapshot is marked with "*". */
export const SNAPSHOT_COLUMNS: readonly KindColumn<Snapshot>[] = [
  // the name column sorts by date, oldest first, as they were taken
  { title: 'NAME', flex: 1, min: 12, max: 50, cell: (s) => `${s.name}${s.current ? ' *' : ''}`, sort: (s) => s.created },
  { title: 'CREATED', cell: (s) => s.created.replace(/ [+-]\d{4}$/, '') },
  { title: 'STATE', cell: (s) => s.state },
  { title: 'KIND', cell: kindOf },
  { title: 'DESCRIPTION', short: 'DESCR', flex: 2, min: 6, max: 80, cell: (s) => s.description.replace(/\s+/g, ' ') || '-' },
];

/** the current snapshot is green */
export const snapshotColor = (s: Snapshot): string | undefined => (s.current ? 'green-fg' : undefined);

/**
 * The tree, whatever the sort: children stay under their parent, and the sort orders the
 * siblings (a reversed sort reverses the siblings' order, never the tree).
 */
export function snapshotTreeOf(sorted: readonly Snapshot[]): Array<{ item: Snapshot; prefix: string }> {
  const order = new Map(sorted.map((s, i) => [s.name, i]));
  return snapshotTree(sorted, (a, b) => order.get(a.name)! - order.get(b.name)!).map((r) => ({ item: r.item, prefix: r.prefix }));
}

const TABLE: Pick<KindSpec<Snapshot>, 'columns' | 'color' | 'tree'> = { columns: SNAPSHOT_COLUMNS, color: snapshotColor, tree: snapshotTreeOf };

/** the tree prefix is part of the name cell */
export function snapshotRow(s: Snapshot, prefix = ''): Row {
  return kindRow(TABLE, s, prefix);
}

export function sortSnapshots(list: readonly Snapshot[], col: number, desc: boolean): Snapshot[] {
  return kindOrder(TABLE, list, col, desc).map((r) => r.item);
}

export function snapshotLines(s: Snapshot, domain: string): string[] {
  return ['Snapshot', ...fieldLines([
    ['Name', s.name], ['Domain', domain], ['Current', s.current ? 'yes' : 'no'], ['Created', s.created], ['State', s.state],
    ['Kind', kindOf(s)], ['Parent', s.parent || '-'], ['Description', s.description || '-'],
  ])];
}
