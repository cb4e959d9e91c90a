// Per-domain history of the domstats rates, fed once per tick by the domains refresh (one
// `virsh domstats` call for all domains), and the event marks drawn on the charts.
import { computeRates, parseSamples, type DomRates, type DomSample } from '../libvirt/stats.ts';
import { MetricRings } from './ring.ts';

export interface Mark { t: number; text: string }

const MAX_MARKS = 100;
const HOUR = 3_600_000;

/** the metrics of a domain's history, in their ring columns */
const M = { cpu: 0, memUsed: 1, memCur: 2, diskRd: 3, diskWr: 4, diskIops: 5, netRx: 6, netTx: 7 } as const;
/** vCPUs kept one by one: the chart draws a line each for up to this many */
export const MAX_VCPU_SERIES = 4;
const METRICS = 8 + MAX_VCPU_SERIES;
const scratch = new Float64Array(METRICS);

/** One metric of a history, as the charts read it. */
export interface SeriesView { values(res: number, now: number): number[] }

export class DomHistory {
  private readonly rings = new MetricRings(METRICS);
  /** the last sample and when it was taken */
  sample: DomSample | undefined;
  sampleT = 0;
  /** the rates of the last tick; undefined when they could not be measured (inactive, counter reset) */
  rates: DomRates | undefined;
  readonly marks: Mark[] = [];
  /** vCPUs seen (their own series are kept up to MAX_VCPU_SERIES) */
  private vcpuCount = 0;

  private view(m: number): SeriesView { return { values: (res, now) => this.rings.values(m, res, now) }; }
  get cpu(): SeriesView { return this.view(M.cpu); }
  get memUsed(): SeriesView { return this.view(M.memUsed); }
  get memCur(): SeriesView { return this.view(M.memCur); }
  get diskRd(): SeriesView { return this.view(M.diskRd); }
  get diskWr(): SeriesView { return this.view(M.diskWr); }
  get diskIops(): SeriesView { return this.view(M.diskIops); }
  get netRx(): SeriesView { return this.view(M.netRx); }
  get netTx(): SeriesView { return this.view(M.netTx); }
  /** one series per vCPU while there are at most MAX_VCPU_SERIES of them */
  get vcpus(): SeriesView[] {
    return this.vcpuCount > MAX_VCPU_SERIES ? [] : Array.from({ length: this.vcpuCount }, (_, i) => this.view(8 + i));
  }
  /** how many vCPUs the domain has (also when there are too many to chart one by one) */
  get vcpusSeen(): number { return this.vcpuCount; }

  /** Adds a sample taken at `t`; returns the rates it gave. */
  add(s: DomSample, t: number): DomRates | undefined {
    const prev = this.sample;
    const t0 = this.sampleT;
    this.sample = s;
    this.sampleT = t;
    this.rates = prev ? computeRates(prev, s, t - t0) : undefined;
    const r = this.rates;
    if (!r) return undefined;
    scratch[M.cpu] = r.cpu;
    scratch[M.memUsed] = r.memUsed ?? NaN;
    scratch[M.memCur] = r.memCur ?? NaN;
    scratch[M.diskRd] = r.diskRd;
    scratch[M.diskWr] = r.diskWr;
    scratch[M.diskIops] = r.diskRdIops + r.diskWrIops;
    scratch[M.netRx] = r.netRx;
    scratch[M.netTx] = r.netTx;
    this.vcpuCount = r.vcpus.length;
    for (let i = 0; i < MAX_VCPU_SERIES; i++) scratch[8 + i] = r.vcpus[i] ?? NaN;
    this.rings.fill(t0, t, scratch);
    return r;
  }

  mark(t: number, text: string): void {
    this.marks.push({ t, text });
    while (this.marks.length > MAX_MARKS || (this.marks.length && this.marks[0]!.t < t - HOUR)) this.marks.shift();
  }
}

/** The histories of one connection's domains (the app redraws on the domains store's 'change', right after each ingest). */
export class StatsHistory {
  private readonly doms = new Map<string, DomHistory>();
  /** when the last sample was taken (ms, the clock the caller uses) */
  lastT = 0;
  /** the samples of the last ingest */
  private last: readonly DomSample[] | null = null;
  /** ingests so far: lets views cache what they derive from one tick */
  version = 0;

  get(name: string): DomHistory | undefined { return this.doms.get(name); }

  /** One tick straight from `virsh domstats --raw` text. */
  ingestText(text: string, t: number): void {
    this.ingestSamples(parseSamples(text), t);
  }

  /**
   * One tick: the domains' samples from one domstats call, taken at `t`. Domains neither in it
   * nor in `present` (when the call asked about the active ones only: every domain listed) are
   * forgotten.
   */
  ingestSamples(samples: readonly DomSample[], t: number, present?: readonly { name: string }[]): void {
    // the same samples as the last tick (a quiet one): the same domains, none to forget
    const same = samples === this.last;
    const seen = same ? null : new Set<string>(present?.map((d) => d.name));
    for (const s of samples) {
      seen?.add(s.name);
      let h = this.doms.get(s.name);
      if (!h) this.doms.set(s.name, (h = new DomHistory()));
      h.add(s, t);
    }
    if (seen) for (const name of [...this.doms.keys()]) if (!seen.has(name)) this.doms.delete(name);
    this.last = samples;
    this.lastT = t;
    this.version++;
  }

  /** An event (suspended, started ...) drawn on the domain's charts. */
  mark(name: string, t: number, text: string): void {
    let h = this.doms.get(name);
    if (!h) this.doms.set(name, (h = new DomHistory()));
    h.mark(t, text);
  }

  get size(): number { return this.doms.size; }
}
