// The storage pools table. Pure.
import type { Pool } from '../../src/model/pools.ts';
import { usageBar } from '../kit/usage.ts';
export { usageBar };
import type { Row } from '../../src/ui/table.ts';
import { humanKiB } from '../../src/ui/text.ts';
import { kindRow, kindSort, type KindColumn } from '../kit/kind.ts';

const size = (b: number | undefined) => (b === undefined ? '-' : humanKiB(b / 1024));

/** Each column with its cell and its own sort key (sizes as numbers, unknown first; usage as a fraction). */
export const POOL_COLUMNS: readonly KindColumn<Pool>[] = [
  { title: 'NAME', flex: 1, min: 10, max: 40, cell: (p) => p.name },
  { title: 'STATE', cell: (p) => (p.active ? 'active' : 'inactive'), sort: (p) => (p.active ? 0 : 1) },
  // a transient pool has no autostart
  { title: 'AUTOSTART', short: 'AUTO', cell: (p) => (p.persistent ? (p.autostart ? 'yes' : 'no') : '-'), sort: (p) => (p.autostart ? 0 : 1) },
  { title: 'TYPE', cell: (p) => p.type },
  { title: 'CAPACITY', short: 'SIZE', align: 'right', cell: (p) => size(p.capacity), sort: (p) => p.capacity ?? -1 },
  { title: 'ALLOCATION', short: 'ALLOC', align: 'right', cell: (p) => size(p.allocation), sort: (p) => p.allocation ?? -1 },
  { title: 'AVAILABLE', short: 'AVAIL', align: 'right', cell: (p) => size(p.available), sort: (p) => p.available ?? -1 },
  { title: 'USAGE', min: 13, cell: (p) => (p.active ? usageBar(p.allocation, p.capacity) : '-'), sort: (p) => (p.capacity ? (p.allocation ?? 0) / p.capacity : -1) },
  { title: 'PATH', flex: 2, min: 6, max: 60, cell: (p) => p.path || p.source || '-' },
];

/** active pools are green, red when over 90% full */
export const poolColor = (p: Pool): string | undefined => (!p.active ? undefined : p.capacity && (p.allocation ?? 0) / p.capacity > 0.9 ? 'red-fg' : 'green-fg');

export function poolRow(p: Pool): Row {
  return kindRow({ columns: POOL_COLUMNS, color: poolColor }, p);
}

export function sortPools(list: readonly Pool[], col: number, desc: boolean): Pool[] {
  return kindSort({ columns: POOL_COLUMNS }, list, col, desc);
}
