// `virsh domstats` counters -> samples -> rates. Pure: the poller gives the times.
import { STATE_BY_NUMBER, type DomainState, type DomStats } from './types.ts';

/** The domstats groups one tick asks for: everything the charts and the top view show. */
export const STATS_ARGS: readonly string[] = Object.freeze(['domstats', '--raw', '--state', '--cpu-total', '--balloon', '--vcpu', '--interface', '--block']);

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
  vcpuCurrent?: number;
  vcpuMax?: number;
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
    cpuTime: num(v, 'cpu.time'), vcpuTimes, vcpuCurrent: num(v, 'vcpu.current'), vcpuMax: num(v, 'vcpu.maximum'),
    balloonCur: num(v, 'balloon.current'), balloonMax: num(v, 'balloon.maximum'),
    unused: num(v, 'balloon.unused'), rss: num(v, 'balloon.rss'),
    disks, nics,
  };
}

/** the non-negative integer (or decimal) between `from` and `to`; NaN when it is not one */
function numberAt(text: string, from: number, to: number): number {
  let n = 0;
  if (from >= to) return NaN;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return Number(text.slice(from, to));
    n = n * 10 + c;
  }
  return n;
}

function finishSample(s: DomSample, disks: DiskCounters[], nics: NicCounters[]): void {
  // a disk without counters (an empty CD-ROM, a shut-off domain) has nothing to rate
  s.disks = disks.filter((d) => d && d.rdBytes >= 0);
  s.nics = nics.filter((n) => n && n.rxBytes >= 0);
}

// The lines a sample uses, up to their "=": the regex engine skips the others (a tick at 1000
// domains is ~75000 lines, two thirds of them unused) far faster than a loop over every line.
const WANTED = /^ {2}(?:cpu\.time|state\.state|balloon\.(?:current|maximum|unused|rss)|vcpu\.(?:current|maximum|\d+\.time)|block\.\d+\.(?:name|rd\.bytes|wr\.bytes|rd\.reqs|wr\.reqs)|net\.\d+\.(?:name|rx\.bytes|tx\.bytes))=|^Domain: /gm;

/** `virsh domstats --raw` straight to samples (what sampleOf(parseDomstats(...)) gives, faster). */
export function parseSamples(text: string): DomSample[] {
  const out: DomSample[] = [];
  let cur: DomSample | null = null;
  let disks: DiskCounters[] = [];
  let nics: NicCounters[] = [];
  const re = new RegExp(WANTED);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const p = m.index;
    const v0 = re.lastIndex;
    let lineEnd = text.indexOf('\n', v0);
    if (lineEnd < 0) lineEnd = text.length;
    if (text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    if (text.charCodeAt(p) === 68 /* D */) {
      if (cur) finishSample(cur, disks, nics);
      const rest = text.slice(v0, lineEnd);
      const name = rest.startsWith("'") && rest.endsWith("'") && rest.length >= 2 ? rest.slice(1, -1) : rest;
      cur = { name, state: undefined, active: false, vcpuTimes: [], disks: [], nics: [] };
      out.push(cur);
      disks = [];
      nics = [];
      continue;
    }
    if (!cur) continue;
    const k = p + 2;
    switch (text.charCodeAt(k)) {
      case 98: { // b
        if (text.charCodeAt(k + 1) === 108) { // block.N.field
          const dot = text.indexOf('.', k + 6);
          const idx = numberAt(text, k + 6, dot);
          const d = (disks[idx] ??= { name: String(idx), rdBytes: -1, wrBytes: 0, rdReqs: 0, wrReqs: 0 });
          const f = dot + 1;
          if (text.charCodeAt(f) === 110) d.name = text.slice(v0, lineEnd);
          else {
            const v = numberAt(text, v0, lineEnd);
            const bytes = text.charCodeAt(f + 3) === 98;
            if (text.charCodeAt(f) === 114) { if (bytes) d.rdBytes = v; else d.rdReqs = v; } else if (bytes) d.wrBytes = v; else d.wrReqs = v;
          }
        } else { // balloon.field
          const v = numberAt(text, v0, lineEnd);
          const c = text.charCodeAt(k + 8);
          if (c === 99) cur.balloonCur = v; else if (c === 109) cur.balloonMax = v; else if (c === 117) cur.unused = v; else cur.rss = v;
        }
        break;
      }
      case 110: { // net.N.field
        const dot = text.indexOf('.', k + 4);
        const idx = numberAt(text, k + 4, dot);
        const n = (nics[idx] ??= { name: String(idx), rxBytes: -1, txBytes: 0 });
        const c = text.charCodeAt(dot + 1);
        if (c === 110) n.name = text.slice(v0, lineEnd); else if (c === 114) n.rxBytes = numberAt(text, v0, lineEnd); else n.txBytes = numberAt(text, v0, lineEnd);
        break;
      }
      case 118: { // vcpu.current, vcpu.maximum, vcpu.N.time
        const c = text.charCodeAt(k + 5);
        const v = numberAt(text, v0, lineEnd);
        if (c === 99) cur.vcpuCurrent = v; else if (c === 109) cur.vcpuMax = v;
        else cur.vcpuTimes[numberAt(text, k + 5, text.indexOf('.', k + 5))] = v;
        break;
      }
      case 99: cur.cpuTime = numberAt(text, v0, lineEnd); break;
      case 115: {
        cur.state = STATE_BY_NUMBER[numberAt(text, v0, lineEnd)] ?? 'unknown';
        cur.active = ACTIVE.has(cur.state);
        break;
      }
    }
  }
  if (cur) finishSample(cur, disks, nics);
  // a value that was not a number is absent, as sampleOf has it
  for (const s of out) {
    for (const key of ['cpuTime', 'vcpuCurrent', 'vcpuMax', 'balloonCur', 'balloonMax', 'unused', 'rss'] as const) if (Number.isNaN(s[key])) delete s[key];
  }
  return out;
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
  const dt = dtMs / 1000;
  const toPct = 100 / 1e9 / dt;
  const vcpus: number[] = [];
  for (let i = 0; i < cur.vcpuTimes.length; i++) {
    const a = prev.vcpuTimes[i];
    const b = cur.vcpuTimes[i];
    if (a !== undefined && b !== undefined && b < a) return undefined;
    vcpus.push(a === undefined || b === undefined ? NaN : (b - a) * toPct);
  }
  const disks: DiskRates[] = [];
  let diskRd = 0, diskWr = 0, diskRdIops = 0, diskWrIops = 0;
  for (const d of cur.disks) {
    let p: DiskCounters | undefined;
    for (const x of prev.disks) if (x.name === d.name) { p = x; break; }
    if (!p) continue; // hot-plugged since: rated from the next tick
    if (d.rdBytes < p.rdBytes || d.wrBytes < p.wrBytes || d.rdReqs < p.rdReqs || d.wrReqs < p.wrReqs) return undefined;
    const r = { name: d.name, rd: (d.rdBytes - p.rdBytes) / dt, wr: (d.wrBytes - p.wrBytes) / dt, rdIops: (d.rdReqs - p.rdReqs) / dt, wrIops: (d.wrReqs - p.wrReqs) / dt };
    disks.push(r);
    diskRd += r.rd; diskWr += r.wr; diskRdIops += r.rdIops; diskWrIops += r.wrIops;
  }
  const nics: NicRates[] = [];
  let netRx = 0, netTx = 0;
  for (const n of cur.nics) {
    let p: NicCounters | undefined;
    for (const x of prev.nics) if (x.name === n.name) { p = x; break; }
    if (!p) continue;
    if (n.rxBytes < p.rxBytes || n.txBytes < p.txBytes) return undefined;
    const r = { name: n.name, rx: (n.rxBytes - p.rxBytes) / dt, tx: (n.txBytes - p.txBytes) / dt };
    nics.push(r);
    netRx += r.rx; netTx += r.tx;
  }
  return {
    dt, cpu: (cur.cpuTime - prev.cpuTime) * toPct, vcpus,
    memUsed: memUsed(cur), memCur: cur.balloonCur, memMax: cur.balloonMax,
    diskRd, diskWr, diskRdIops, diskWrIops, netRx, netTx, disks, nics,
  };
}
