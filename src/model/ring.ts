// Fixed-size history: time buckets in a ring, so memory stays the same however long virtui runs.
// A rate measured between two samples holds for the whole interval between them, so it is spread
// over every bucket that interval covers (time-weighted): the 1 s buckets of the last minute and
// the 30 s buckets of the last hour both come out right whatever the refresh tick is.

export interface Resolution { key: string; label: string; bucketMs: number; size: number }

/** the three windows the charts switch between */
export const RESOLUTIONS: readonly Resolution[] = [
  { key: '60s', label: 'last 60 s', bucketMs: 1000, size: 60 },
  { key: '5m', label: 'last 5 min', bucketMs: 5000, size: 60 },
  { key: '1h', label: 'last hour', bucketMs: 30_000, size: 120 },
];

export class Ring {
  private readonly sum: Float32Array;
  private readonly weight: Float32Array;
  /** bucket number of the newest data; -1: none yet */
  private head = -1;

  constructor(readonly bucketMs: number, readonly size: number) {
    this.sum = new Float32Array(size);
    this.weight = new Float32Array(size);
  }

  private slot(b: number): number { return ((b % this.size) + this.size) % this.size; }

  private advance(b: number): void {
    if (b <= this.head) return;
    if (this.head < 0 || b - this.head >= this.size) { this.sum.fill(0); this.weight.fill(0); }
    else for (let x = this.head + 1; x <= b; x++) { const s = this.slot(x); this.sum[s] = 0; this.weight[s] = 0; }
    this.head = b;
  }

  /** `v` held from t0 to t1 (ms) */
  fill(t0: number, t1: number, v: number): void {
    if (!(t1 > t0) || !Number.isFinite(v)) return;
    const B = this.bucketMs;
    // the bucket of the last instant before t1 (t1 on a boundary does not open the next one)
    const b1 = Math.ceil(t1 / B) - 1;
    const b0 = Math.max(Math.floor(t0 / B), b1 - this.size + 1);
    this.advance(b1);
    for (let b = Math.max(b0, this.head - this.size + 1); b <= b1; b++) {
      const overlap = Math.min(t1, (b + 1) * B) - Math.max(t0, b * B);
      if (overlap <= 0) continue;
      const s = this.slot(b);
      this.sum[s] = this.sum[s]! + v * overlap;
      this.weight[s] = this.weight[s]! + overlap;
    }
  }

  /** the `size` buckets up to the one holding `now`, oldest first; NaN where nothing was measured */
  values(now: number): number[] {
    const end = Math.floor(now / this.bucketMs);
    const out = new Array<number>(this.size);
    for (let i = 0; i < this.size; i++) {
      const b = end - this.size + 1 + i;
      if (b > this.head || b <= this.head - this.size || this.head < 0) { out[i] = NaN; continue; }
      const s = this.slot(b);
      out[i] = this.weight[s]! > 0 ? this.sum[s]! / this.weight[s]! : NaN;
    }
    return out;
  }
}

/** One metric at every resolution. */
export class Series {
  readonly rings: Ring[];
  constructor(resolutions: readonly Resolution[] = RESOLUTIONS) {
    this.rings = resolutions.map((r) => new Ring(r.bucketMs, r.size));
  }
  fill(t0: number, t1: number, v: number): void {
    for (const r of this.rings) r.fill(t0, t1, v);
  }
  values(res: number, now: number): number[] {
    return this.rings[res]!.values(now);
  }
}
