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

/**
 * Several metrics sharing one ring per resolution (one row of `metrics` values per bucket): a tick
 * finds its buckets once for all of a domain's metrics, where one ring per metric would find
 * them a dozen times. NaN values are skipped, so a metric that is not known keeps its gap.
 */
export class MetricRings {
  private readonly sums: Float32Array[];
  private readonly weights: Float32Array[];
  private readonly heads: number[];

  constructor(readonly metrics: number, readonly resolutions: readonly Resolution[] = RESOLUTIONS) {
    this.sums = resolutions.map((r) => new Float32Array(r.size * metrics));
    this.weights = resolutions.map((r) => new Float32Array(r.size * metrics));
    this.heads = resolutions.map(() => -1);
  }

  /** `values[m]` held from t0 to t1 (ms), for every metric m */
  fill(t0: number, t1: number, values: ArrayLike<number>): void {
    if (!(t1 > t0)) return;
    const M = this.metrics;
    for (let r = 0; r < this.resolutions.length; r++) {
      const { bucketMs: B, size } = this.resolutions[r]!;
      const sum = this.sums[r]!;
      const weight = this.weights[r]!;
      const b1 = Math.ceil(t1 / B) - 1;
      let head = this.heads[r]!;
      if (b1 > head) {
        if (head < 0 || b1 - head >= size) { sum.fill(0); weight.fill(0); }
        else for (let x = head + 1; x <= b1; x++) { const o = (x % size) * M; sum.fill(0, o, o + M); weight.fill(0, o, o + M); }
        this.heads[r] = head = b1;
      }
      for (let b = Math.max(Math.floor(t0 / B), head - size + 1); b <= b1; b++) {
        const overlap = Math.min(t1, (b + 1) * B) - Math.max(t0, b * B);
        if (overlap <= 0) continue;
        const o = (b % size) * M;
        for (let m = 0; m < M; m++) {
          const v = values[m]!;
          if (v === v) { sum[o + m] += v * overlap; weight[o + m] += overlap; }
        }
      }
    }
  }

  /** metric `m` in resolution `r`: the `size` buckets up to the one holding `now`, oldest first */
  values(m: number, r: number, now: number): number[] {
    const { bucketMs: B, size } = this.resolutions[r]!;
    const sum = this.sums[r]!;
    const weight = this.weights[r]!;
    const head = this.heads[r]!;
    const end = Math.floor(now / B);
    const out = new Array<number>(size);
    for (let i = 0; i < size; i++) {
      const b = end - size + 1 + i;
      if (head < 0 || b > head || b <= head - size || b < 0) { out[i] = NaN; continue; }
      const o = (b % size) * this.metrics + m;
      out[i] = weight[o]! > 0 ? sum[o]! / weight[o]! : NaN;
    }
    return out;
  }
}
