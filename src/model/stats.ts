// Per-domain history of the domstats rates, fed once per tick by the domains refresh (one
// `virsh domstats` call for all domains), and the event marks drawn on the charts.
import { EventEmitter } from 'node:events';
import type { DomStats } from '../libvirt/types.ts';
import { computeRates, sampleOf, type DomRates, type DomSample } from '../libvirt/stats.ts';
import { Series } from './ring.ts';

export interface Mark { t: number; text: string }

const MAX_MARKS = 100;
const HOUR = 3_600_000;

export class DomHistory {
  readonly cpu = new Series();
  readonly vcpus: Series[] = [];
  readonly memUsed = new Series();
  readonly memCur = new Series();
  readonly diskRd = new Series();
  readonly diskWr = new Series();
  readonly diskIops = new Series();
  readonly netRx = new Series();
  readonly netTx = new Series();
  /** the last sample and when it was taken */
  sample: DomSample | undefined;
  sampleT = 0;
  /** the rates of the last tick; undefined when they could not be measured (inactive, counter reset) */
  rates: DomRates | undefined;
  readonly marks: Mark[] = [];

  /** Adds a sample taken at `t`; returns the rates it gave. */
  add(s: DomSample, t: number): DomRates | undefined {
    const prev = this.sample;
    const t0 = this.sampleT;
    this.sample = s;
    this.sampleT = t;
    this.rates = prev ? computeRates(prev, s, t - t0) : undefined;
    const r = this.rates;
    if (!r) return undefined;
    this.cpu.fill(t0, t, r.cpu);
    r.vcpus.forEach((v, i) => (this.vcpus[i] ??= new Series()).fill(t0, t, v));
    if (r.memUsed !== undefined) this.memUsed.fill(t0, t, r.memUsed);
    if (r.memCur !== undefined) this.memCur.fill(t0, t, r.memCur);
    this.diskRd.fill(t0, t, r.diskRd);
    this.diskWr.fill(t0, t, r.diskWr);
    this.diskIops.fill(t0, t, r.diskRdIops + r.diskWrIops);
    this.netRx.fill(t0, t, r.netRx);
    this.netTx.fill(t0, t, r.netTx);
    return r;
  }

  mark(t: number, text: string): void {
    this.marks.push({ t, text });
    while (this.marks.length > MAX_MARKS || (this.marks.length && this.marks[0]!.t < t - HOUR)) this.marks.shift();
  }
}

/** Events: 'tick' after each ingest. */
export class StatsHistory extends EventEmitter {
  private readonly doms = new Map<string, DomHistory>();
  /** when the last sample was taken (ms, the clock the caller uses) */
  lastT = 0;
  /** ingests so far: lets views cache what they derive from one tick */
  version = 0;

  get(name: string): DomHistory | undefined { return this.doms.get(name); }

  /** One tick: every domain's block of one domstats call, taken at `t`. Domains not in it are forgotten. */
  ingest(stats: readonly DomStats[], t: number): void {
    this.ingestSamples(stats.map(sampleOf), t);
  }

  ingestSamples(samples: readonly DomSample[], t: number): void {
    const seen = new Set<string>();
    for (const s of samples) {
      seen.add(s.name);
      let h = this.doms.get(s.name);
      if (!h) this.doms.set(s.name, (h = new DomHistory()));
      h.add(s, t);
    }
    for (const name of [...this.doms.keys()]) if (!seen.has(name)) this.doms.delete(name);
    this.lastT = t;
    this.version++;
    this.emit('tick');
  }

  /** An event (suspended, started ...) drawn on the domain's charts. */
  mark(name: string, t: number, text: string): void {
    let h = this.doms.get(name);
    if (!h) this.doms.set(name, (h = new DomHistory()));
    h.mark(t, text);
  }

  get size(): number { return this.doms.size; }
}
