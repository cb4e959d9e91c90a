// The volumes table and a volume's overview. Pure.
import type { Volume } from '../../src/model/volumes.ts';
import type { Row } from '../../src/ui/table.ts';
import { humanKiB } from '../../src/ui/text.ts';
import { kindRow, kindSort, type KindColumn } from '../kit/kind.ts';
import { fieldLines } from '../kit/tabbed.ts';

const size = (b: number | undefined) => (b === undefined ? '-' : humanKiB(b / 1024));

/** "web-01 (vda), db (vdb)" */
export function usedByText(v: Volume): string {
  return v.usedBy.map((u) => `${u.domain} (${u.target})`).join(', ');
}

/** Each column with its cell and its own sort key (sizes as bytes). */
export const VOLUME_COLUMNS: readonly KindColumn<Volume>[] = [
  // the highest flex gives way first: the path (mostly the pool's path again), then the backing file
  { title: 'NAME', flex: 1, min: 10, max: 40, cell: (v) => v.name },
  { title: 'TYPE', cell: (v) => v.type },
  { title: 'FORMAT', short: 'FMT', cell: (v) => v.format || '-' },
  { title: 'CAPACITY', short: 'SIZE', align: 'right', cell: (v) => size(v.capacity), sort: (v) => v.capacity ?? -1 },
  { title: 'ALLOCATION', short: 'ALLOC', align: 'right', cell: (v) => size(v.allocation), sort: (v) => v.allocation ?? -1 },
  { title: 'USED BY', short: 'USED', flex: 2, min: 8, max: 30, cell: (v) => usedByText(v) || '-' },
  { title: 'BACKING', flex: 3, min: 8, max: 50, cell: (v) => v.backing || '-' },
  { title: 'PATH', flex: 4, min: 6, max: 70, cell: (v) => v.path || '-' },
];

/** a volume a running domain uses is green */
export const volumeColor = (v: Volume): string | undefined => (v.usedBy.some((u) => u.running) ? 'green-fg' : undefined);

export function volumeRow(v: Volume): Row {
  return kindRow({ columns: VOLUME_COLUMNS, color: volumeColor }, v);
}

export function sortVolumes(list: readonly Volume[], col: number, desc: boolean): Volume[] {
  return kindSort({ columns: VOLUME_COLUMNS }, list, col, desc);
}

/** The volume's overview lines. Pure. */
export function volumeLines(v: Volume): string[] {
  // the bytes through BigInt: a number prints 99999T as 109950063265972220 (its last digits lost)
  const bytes = (b: number | undefined) => (b === undefined ? '-' : `${humanKiB(b / 1024)} (${Number.isInteger(b) ? BigInt(b) : b} bytes)`);
  return [
    'Volume',
    ...fieldLines([
      ['Name', v.name], ['Pool', v.pool], ['Type', v.type], ['Format', v.format || '-'], ['Path', v.path || '-'], ['Key', v.key || '-'],
      ['Capacity', bytes(v.capacity)], ['Allocation', bytes(v.allocation)],
      ['Backing file', v.backing ? `${v.backing}${v.backingFormat ? ` (${v.backingFormat})` : ''}` : '-'],
      ['Used by', usedByText(v) || 'no domain'],
    ]),
  ];
}
