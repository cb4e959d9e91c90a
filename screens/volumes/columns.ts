// The volumes table. Pure.
import type { Volume } from '../../src/model/volumes.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { humanKiB } from '../../src/ui/text.ts';
import { sortByValue } from '../kit/list.ts';

export const VOLUME_COLUMNS: Column[] = [
  // the highest flex gives way first: the path (mostly the pool's path again), then the backing file
  { title: 'NAME', flex: 1, min: 10, max: 40 },
  { title: 'TYPE' },
  { title: 'FORMAT', short: 'FMT' },
  { title: 'CAPACITY', short: 'SIZE', align: 'right' },
  { title: 'ALLOCATION', short: 'ALLOC', align: 'right' },
  { title: 'USED BY', short: 'USED', flex: 2, min: 8, max: 30 },
  { title: 'BACKING', flex: 3, min: 8, max: 50 },
  { title: 'PATH', flex: 4, min: 6, max: 70 },
];

const size = (b: number | undefined) => (b === undefined ? '-' : humanKiB(b / 1024));

/** "web-01 (vda), db (vdb)" */
export function usedByText(v: Volume): string {
  return v.usedBy.map((u) => `${u.domain} (${u.target})`).join(', ');
}

export function volumeRow(v: Volume): Row {
  return {
    key: v.name,
    cells: [v.name, v.type, v.format || '-', size(v.capacity), size(v.allocation), usedByText(v) || '-', v.backing || '-', v.path || '-'],
    color: v.usedBy.some((u) => u.running) ? 'green-fg' : undefined,
  };
}

export function sortVolumes(list: readonly Volume[], col: number, desc: boolean): Volume[] {
  return sortByValue(list, (v) => {
    switch (col) {
      case 3: return v.capacity ?? -1;
      case 4: return v.allocation ?? -1;
      default: return volumeRow(v).cells[col] ?? '';
    }
  }, desc);
}
