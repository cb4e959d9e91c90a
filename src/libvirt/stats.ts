// `virsh domstats` counters -> samples -> rates. Pure: the poller gives the times.
import { STATE_BY_NUMBER, type DomainState, type DomStats } from './types.ts';

/** The domstats groups one tick asks for: everything the charts and the top view show. */
export const STATS_ARGS: readonly string[] = ['domstats', '--raw', '--state', '--cpu-total', '--balloon', '--vcpu', '--interface', '--block'];

export interface DiskCounters { name: string; rdBytes: number; wrBytes: number; rdReqs: number; wrReqs: number }
export interface NicCounters { name: string; rxBytes: number; txBytes: number }

/** What one domstats block says about a domain at one moment. */
export interface DomSample {
  name: string;
  state: DomainState | undefined;
  /** running, paused ... : it has a QEMU process and live counters */
  active: boolean;
  /** ns */
  cpuTime?: number;
  /** ns per vCPU, by vCPU number */
  vcpuTimes: number[];
  /** KiB */
  balloonCur?: number;
  balloonMax?: number;
  unused?: number;
  rss?: number;
  disks: DiskCounters[];
  nics: NicCounters[];
}

const ACTIVE: ReadonlySet<DomainState> = new Set(['running', 'idle', 'blocked', 'paused', 'in shutdown', 'pmsuspended']);

function num(values: ReadonlyMap<string, string>, key: string): number | undefined {
  const v = values.get(key);
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

export function sampleOf(s: DomStats): DomSample {
  const v = s.values;
  const stateNum = num(v, 'state.state');
  const state = stateNum === undefined ? undefined : STATE_BY_NUMBER[stateNum] ?? 'unknown';
  const vcpuTimes: number[] = [];
  const vcpus = num(v, 'vcpu.maximum') ?? num(v, 'vcpu.current') ?? 0;
  for (let i = 0; i < vcpus; i++) {
    const t = num(v, `vcpu.${i}.time`);
    if (t !== undefined) vcpuTimes[i] = t;
  }
  const disks: DiskCounters[] = [];
  const nBlock = num(v, 'block.count') ?? 0;
  for (let i = 0; i < nBlock; i++) {
    const rd = num(v, `block.${i}.rd.bytes`);
    // a disk without counters (an empty CD-ROM, a shut-off domain) has nothing to rate
    if (rd === undefined) continue;
    disks.push({
      name: v.get(`block.${i}.name`) ?? String(i), rdBytes: rd, wrBytes: num(v, `block.${i}.wr.bytes`) ?? 0,
      rdReqs: num(v, `block.${i}.rd.reqs`) ?? 0, wrReqs: num(v, `block.${i}.wr.reqs`) ?? 0,
    });
  }
  const nics: NicCounters[] = [];
  const nNet = num(v, 'net.count') ?? 0;
  for (let i = 0; i < nNet; i++) {
    const rx = num(v, `net.${i}.rx.bytes`);
    if (rx === undefined) continue;
    nics.push({ name: v.get(`net.${i}.name`) ?? String(i), rxBytes: rx, txBytes: num(v, `net.${i}.tx.bytes`) ?? 0 });
  }
  return {
    name: s.name, state, active: state !== undefined && ACTIVE.has(state),
    cpuTime: num(v, 'cpu.time'), vcpuTimes,
    balloonCur: num(v, 'balloon.current'), balloonMax: num(v, 'balloon.maximum'),
    unused: num(v, 'balloon.unused'), rss: num(v, 'balloon.rss'),
    disks, nics,
  };
}

export interface DiskRates { name: string; rd: number; wr: number; rdIops: number; wrIops: number }
export interface NicRates { name: string; rx: number; tx: number }

/** Rates between two samples of one domain (bytes/s, requests/s, % of one host CPU). */
export interface DomRates {
  /** seconds between the samples */
  dt: number;
  /** % of one host CPU: 200 is two host CPUs busy */
  cpu: number;
  /** % of one host CPU per vCPU */
  vcpus: number[];
  /** KiB the guest uses (balloon current - unused; RSS when the guest does not report it) */
  memUsed?: number;
  memCur?: number;
  memMax?: number;
  diskRd: number; diskWr: number; diskRdIops: number; diskWrIops: number;
  netRx: number; netTx: number;
  disks: DiskRates[];
  nics: NicRates[];
}

/** memory the guest uses, KiB: what the balloon driver says, else QEMU's RSS */
export function memUsed(s: DomSample): number | undefined {
  if (s.balloonCur !== undefined && s.unused !== undefined) return Math.max(0, s.balloonCur - s.unused);
  return s.rss;
}

const back = (a: number | undefined, b: number | undefined) => a !== undefined && b !== undefined && b < a;

/**
 * The rates from `prev` to `cur`, `dtMs` apart. undefined when there is nothing honest to draw:
 * either is inactive, no CPU counter, no time passed, or a counter went backwards (the domain
 * was restarted, reverted or migrated in between): the series restarts instead of spiking.
 */
export function computeRates(prev: DomSample, cur: DomSample, dtMs: number): DomRates | undefined {
  if (!prev.active || !cur.active || !(dtMs > 0)) return undefined;
  if (prev.cpuTime === undefined || cur.cpuTime === undefined || back(prev.cpuTime, cur.cpuTime)) return undefined;
  if (cur.vcpuTimes.some((t, i) => back(prev.vcpuTimes[i], t))) return undefined;
  const dt = dtMs / 1000;
  const pct = (a: number, b: number) => ((b - a) / 1e9 / dt) * 100;
  const disks: DiskRates[] = [];
  for (const d of cur.disks) {
    const p = prev.disks.find((x) => x.name === d.name);
    if (!p) continue; // hot-plugged since: rated from the next tick
    if (back(p.rdBytes, d.rdBytes) || back(p.wrBytes, d.wrBytes) || back(p.rdReqs, d.rdReqs) || back(p.wrReqs, d.wrReqs)) return undefined;
    disks.push({ name: d.name, rd: (d.rdBytes - p.rdBytes) / dt, wr: (d.wrBytes - p.wrBytes) / dt, rdIops: (d.rdReqs - p.rdReqs) / dt, wrIops: (d.wrReqs - p.wrReqs) / dt });
  }
  const nics: NicRates[] = [];
  for (const n of cur.nics) {
    const p = prev.nics.find((x) => x.name === n.name);
    if (!p) continue;
    if (back(p.rxBytes, n.rxBytes) || back(p.txBytes, n.txBytes)) return undefined;
    nics.push({ name: n.name, rx: (n.rxBytes - p.rxBytes) / dt, tx: (n.txBytes - p.txBytes) / dt });
  }
  const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((a, x) => a + f(x), 0);
  return {
    dt,
    cpu: pct(prev.cpuTime, cur.cpuTime),
    vcpus: cur.vcpuTimes.map((t, i) => (prev.vcpuTimes[i] === undefined ? NaN : pct(prev.vcpuTimes[i]!, t))),
    memUsed: memUsed(cur), memCur: cur.balloonCur, memMax: cur.balloonMax,
    diskRd: sum(disks, (d) => d.rd), diskWr: sum(disks, (d) => d.wr),
    diskRdIops: sum(disks, (d) => d.rdIops), diskWrIops: sum(disks, (d) => d.wrIops),
    netRx: sum(nics, (n) => n.rx), netTx: sum(nics, (n) => n.tx),
    disks, nics,
  };
}
