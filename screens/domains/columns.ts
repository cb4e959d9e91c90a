// The domains table: columns, one row per domain, sorting. Pure.
import type { Domain } from '../../src/libvirt/types.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { humanPair, humanSeconds } from '../../src/ui/text.ts';
import { stateColor } from '../../src/ui/theme.ts';
import { sortByValue } from '../list.ts';

export const DOMAIN_COLUMNS: Column[] = [
  { title: 'NAME', flex: true, min: 8, max: 48 },
  { title: 'STATE', min: 8 },
  { title: 'VCPUS', short: 'VCPU', align: 'right' },
  { title: 'MEMORY (CUR/MAX)', short: 'MEMORY', align: 'right' },
  { title: 'CPU TIME', short: 'CPUTIME', align: 'right' },
  { title: 'AUTOSTART', short: 'AUTO' },
  { title: 'PERSISTENT', short: 'PERS' },
];

export function domainCells(d: Domain): string[] {
  const vcpus = d.vcpus === undefined ? '-' : d.vcpusMax !== undefined && d.vcpusMax !== d.vcpus ? `${d.vcpus}/${d.vcpusMax}` : String(d.vcpus);
  return [
    d.name,
    d.state + (d.managedSave && d.state === 'shut off' ? ' (saved)' : ''),
    vcpus,
    humanPair(d.id !== null ? d.memory : d.memoryMax, d.memoryMax),
    d.id !== null ? humanSeconds(d.cpuTime) : '-',
    d.persistent ? (d.autostart ? 'yes' : 'no') : '-',
    d.persistent ? 'yes' : 'no',
  ];
}

export function domainRow(d: Domain): Row {
  return { key: d.name, cells: domainCells(d), color: stateColor(d.state) };
}

const STATE_ORDER = ['running', 'idle', 'blocked', 'paused', 'in shutdown', 'pmsuspended', 'crashed', 'dying', 'shut off', 'no state', 'unknown'];

/** Sort value of column `col` */
function sortValue(d: Domain, col: number): string | number {
  switch (col) {
    case 1: return STATE_ORDER.indexOf(d.state);
    case 2: return d.vcpus ?? -1;
    case 3: return d.memoryMax ?? -1;
    case 4: return d.id !== null ? d.cpuTime ?? -1 : -1;
    case 5: return d.autostart ? 1 : 0;
    case 6: return d.persistent ? 1 : 0;
    default: return d.name;
  }
}

export function sortDomains(list: readonly Domain[], col: number, desc: boolean): Domain[] {
  return sortByValue(list, (d) => sortValue(d, col), desc);
}
