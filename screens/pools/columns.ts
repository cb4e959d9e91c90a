// The storage pools table. Pure.
import type { Pool } from '../../src/model/pools.ts';
import { usageBar } from '../kit/usage.ts';
export { usageBar };
import type { Column, Row } from '../../src/ui/table.ts';
import { humanKiB } from '../../src/ui/text.ts';
import { sortByValue } from '../kit/list.ts';

export const POOL_COLUMNS: Column[] = [
  { title: 'NAME', flex: 1, min: 10, max: 40 },
  { title: 'STATE' },
  { title: 'AUTOSTART', short: 'AUTO' },
  { title: 'TYPE' },
  { title: 'CAPACITY', short: 'SIZE', align: 'right' },
  { title: 'ALLOCATION', short: 'ALLOC', align: 'right' },
  { title: 'AVAILABLE', short: 'AVAIL', align: 'right' },
  { title: 'USAGE', min: 13 },
  { title: 'PATH', flex: 2, min: 6, max: 60 },
];

const size = (b: number | undefined) => (b === undefined ? '-' : humanKiB(b / 1024));

export function poolRow(p: Pool): Row {
  return {
    key: p.name,
    cells: [p.name, p.active ? 'active' : 'inactive', p.persistent ? (p.autostart ? 'yes' : 'no') : '-', p.type,
      size(p.capacity), size(p.allocation), size(p.available), p.active ? usageBar(p.allocation, p.capacity) : '-', p.path || p.source || '-'],
    color: !p.active ? undefined : p.capacity && (p.allocation ?? 0) / p.capacity > 0.9 ? 'red-fg' : 'green-fg',
  };
}

export function sortPools(list: readonly Pool[], col: number, desc: boolean): Pool[] {
  return sortByValue(list, (p) => {
    switch (col) {
      case 1: return p.active ? 0 : 1;
      case 2: return p.autostart ? 0 : 1;
      case 4: return p.capacity ?? -1;
      case 5: return p.allocation ?? -1;
      case 6: return p.available ?? -1;
      case 7: return p.capacity ? (p.allocation ?? 0) / p.capacity : -1;
      default: return poolRow(p).cells[col] ?? '';
    }
  }, desc);
}
