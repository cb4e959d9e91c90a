// The domains table: columns, one row per domain, sorting. Pure. (The CPU time counter gave its
// place to CPU % and the sparkline; the details still show it.)
import type { Domain } from '../../src/libvirt/types.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { humanPair } from '../../src/ui/text.ts';
import { downsample, humanPercent, sparkline } from '../../src/ui/sparkline.ts';
import { stateColor } from '../../src/ui/theme.ts';
import type { DomHistory } from '../../src/model/stats.ts';
import { sortByValue } from '../kit/list.ts';
import type { KindColumn } from '../kit/kind.ts';
import { ip6Cell, ipCell, ipsOf, type GuestAddrs } from '../../src/model/ips.ts';
import { percent, type Job } from '../../src/model/jobs.ts';

/** 10.0.0.9 before 10.0.0.10; rows without an address last */
export function ipSortValue(a: GuestAddrs | undefined): string {
  const ip = a?.v4[0];
  return ip ? ip.split('.').map((p) => p.padStart(3, '0')).join('.') : a?.v6[0] ? `~${a.v6[0]}` : '~~';
}

/** cells of the CPU sparkline: the last minute, 6 s a cell */
export const SPARK_WIDTH = 10;

export const DOMAIN_COLUMNS: Column[] = [
  { title: 'NAME', flex: true, min: 14, max: 48 },
  { title: 'STATE', min: 8 },
  { title: 'CPU%', align: 'right', min: 5 },
  { title: 'CPU LAST 60s', short: 'CPU 60s', min: SPARK_WIDTH },
  { title: 'VCPUS', short: 'VCPU', align: 'right' },
  { title: 'MEMORY (CUR/MAX)', short: 'MEMORY', align: 'right' },
  { title: 'AUTOSTART', short: 'AUTO' },
  { title: 'PERSISTENT', short: 'PERS' },
  // the guest's address and where it came from (src/model/ips.ts): where there is room once the
  // names are whole (layoutColumns leaves optional columns out before it cuts a name); IPv6 after it
  { title: 'IP', optional: 1, max: 22 },
  { title: 'IPv6', optional: 9, max: 40, hideEmpty: true },
];

/** The stats a row shows: the domain's history and the time of the last sample, its addresses. */
export interface RowStats { history: DomHistory | undefined; now: number; ip?: GuestAddrs; frozen?: boolean; job?: string }

/** a job running on the domain, as its row says it: "migrate 34%" */
export function rowJob(jobs: readonly Job[], host: string, name: string): string | undefined {
  const j = jobs.find((x) => x.state === 'running' && x.host === host && x.target === name);
  if (!j) return undefined;
  const pct = j.last ? percent(j.last) : null;
  return pct === null ? `${j.kind}…` : `${j.kind} ${pct}%`;
}

/** changes when a running job's progress does: the rows are made again */
export const jobsVersion = (jobs: readonly Job[]) => jobs.filter((j) => j.state === 'running').map((j) => `${j.id}:${j.last?.text ?? ''}`).join(',');

/**
 * The axis of every row's sparkline: 100 % is one host CPU busy. One axis for all rows, so 4 %
 * and 54 % look different (scaled to each row's own peak, both filled the cell); a guest busier
 * than one CPU stays at █, and anything from 1 % up shows above idle.
 */
export const SPARK_AXIS = 100;

/** CPU % values (of one host CPU) in SPARK_WIDTH cells on the common axis. Pure. */
export function cpuSpark(values: readonly number[]): string {
  return sparkline(downsample(values, SPARK_WIDTH), { max: SPARK_AXIS, lift: 1 });
}

/** the last minute of CPU % in SPARK_WIDTH cells */
export function cpuSparkline(h: DomHistory | undefined, now: number): string {
  if (!h) return '';
  return cpuSpark(h.cpu.values(0, now));
}

export function domainCells(d: Domain, st?: RowStats): string[] {
  const vcpus = d.vcpus === undefined ? '-' : d.vcpusMax !== undefined && d.vcpusMax !== d.vcpus ? `${d.vcpus}/${d.vcpusMax}` : String(d.vcpus);
  const active = d.id !== null;
  const rates = active ? st?.history?.rates : undefined;
  return [
    d.name,
    d.state + (d.managedSave && d.state === 'shut off' ? ' (saved)' : '') + (st?.frozen ? ' FROZEN' : '') + (st?.job ? `, ${st.job}` : ''),
    rates ? humanPercent(rates.cpu) : '-',
    active && st ? cpuSparkline(st.history, st.now) : '',
    vcpus,
    humanPair(active ? d.memory : d.memoryMax, d.memoryMax),
    d.persistent ? (d.autostart ? 'yes' : 'no') : '-',
    d.persistent ? 'yes' : 'no',
    ipCell(st?.ip, d.state === 'running'),
    d.state === 'running' ? ip6Cell(st?.ip) : '',
  ];
}

export function domainRow(d: Domain, st?: RowStats): Row {
  return { key: d.name, cells: domainCells(d, st), color: stateColor(d.state) };
}

export const STATE_ORDER = ['running', 'idle', 'blocked', 'paused', 'in shutdown', 'pmsuspended', 'crashed', 'dying', 'shut off', 'no state', 'unknown'];

/** Sort value of column `col` */
export function domainSortValue(d: Domain, col: number, cpu: (d: Domain) => number, ip?: (d: Domain) => GuestAddrs | undefined): string | number {
  switch (col) {
    case 1: return STATE_ORDER.indexOf(d.state);
    case 2: case 3: return cpu(d);
    case 4: return d.vcpus ?? -1;
    case 5: return d.memoryMax ?? -1;
    case 6: return d.autostart ? 1 : 0;
    case 7: return d.persistent ? 1 : 0;
    case 8: case 9: return ipSortValue(ip?.(d));
    default: return d.name;
  }
}

/** `cpu`: a domain's CPU % now (-1 when not measured) */
export function sortDomains(list: readonly Domain[], col: number, desc: boolean, cpu: (d: Domain) => number = () => -1): Domain[] {
  return sortByValue(list, (d) => domainSortValue(d, col, cpu), desc);
}

/** The columns as a kind declares them: each sorts by its own value (the CPU columns by the rate the connection measured). */
export const DOMAIN_KIND_COLUMNS: readonly KindColumn<Domain>[] = DOMAIN_COLUMNS.map((c, i): KindColumn<Domain> => ({
  ...c,
  cell: (d) => domainCells(d)[i]!,
  sort: (d, env) => domainSortValue(d, i, (x) => env?.conn.domains.stats.get(x.name)?.rates?.cpu ?? -1, (x) => (env ? ipsOf(env.conn).get(x.name) : undefined)),
}));
