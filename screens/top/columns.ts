// The top view's table: running domains with their rates, like virt-top. Pure.
import type { Domain } from '../../src/libvirt/types.ts';
import type { DomRates } from '../../src/libvirt/stats.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { humanKiB } from '../../src/ui/text.ts';
import { humanPercent } from '../../src/ui/sparkline.ts';
import { stateColor } from '../../src/ui/theme.ts';
import { sortByValue } from '../kit/list.ts';

export interface TopItem { name: string; dom: Domain; rates: DomRates | undefined }

export const TOP_COLUMNS: Column[] = [
  { title: 'NAME', flex: true, min: 8, max: 40 },
  { title: 'STATE', min: 7 },
  { title: 'CPU%', align: 'right', min: 6 },
  { title: 'VCPU', align: 'right' },
  { title: 'MEM USED', short: 'MEM', align: 'right', min: 8 },
  { title: 'MEM%', align: 'right', min: 5 },
  { title: 'DISK R/W /s', short: 'DISK R/W', align: 'right', min: 10 },
  { title: 'IOPS', align: 'right', min: 5 },
  { title: 'NET RX/TX /s', short: 'NET RX/TX', align: 'right', min: 10 },
];

/** The sort keys, as virt-top has them (B for block devices), and the column each sorts. */
export const TOP_SORTS = [
  { key: 'P', name: 'CPU', column: 2 },
  { key: 'M', name: 'memory', column: 4 },
  { key: 'B', name: 'disk', column: 6 },
  { key: 'N', name: 'network', column: 8 },
] as const;

/** bytes/s in at most 5 characters: "0", "812", "12K", "1.5M" */
export function shortRate(bps: number | undefined): string {
  if (bps === undefined || !Number.isFinite(bps)) return '-';
  const units = ['', 'K', 'M', 'G', 'T'];
  let v = Math.max(0, bps);
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 || v >= 10 ? Math.round(v) : v.toFixed(1)}${units[u]}`;
}

export function topCells(it: TopItem): string[] {
  const r = it.rates;
  const memPct = r?.memUsed !== undefined && r.memCur ? (100 * r.memUsed) / r.memCur : undefined;
  return [
    it.name,
    it.dom.state,
    humanPercent(r?.cpu),
    String(it.dom.vcpus ?? '-'),
    humanKiB(r?.memUsed),
    humanPercent(memPct),
    r ? `${shortRate(r.diskRd)}/${shortRate(r.diskWr)}` : '-',
    r ? String(Math.round(r.diskRdIops + r.diskWrIops)) : '-',
    r ? `${shortRate(r.netRx)}/${shortRate(r.netTx)}` : '-',
  ];
}

export function topRow(it: TopItem): Row {
  return { key: it.name, cells: topCells(it), color: stateColor(it.dom.state) };
}

function sortValue(it: TopItem, col: number): string | number {
  const r = it.rates;
  switch (col) {
    case 1: return it.dom.state;
    case 2: return r?.cpu ?? -1;
    case 3: return it.dom.vcpus ?? -1;
    case 4: return r?.memUsed ?? -1;
    case 5: return r?.memUsed !== undefined && r.memCur ? r.memUsed / r.memCur : -1;
    case 6: return r ? r.diskRd + r.diskWr : -1;
    case 7: return r ? r.diskRdIops + r.diskWrIops : -1;
    case 8: return r ? r.netRx + r.netTx : -1;
    default: return it.name;
  }
}

export function sortTop(list: readonly TopItem[], col: number, desc: boolean): TopItem[] {
  return sortByValue(list, (it) => sortValue(it, col), desc);
}
