// Sparklines in table cells, and downsampling of a series to a width. Pure.

const BARS = '▁▂▃▄▅▆▇█';

/** `values` averaged into `width` groups (NaN ignored; a group with nothing measured is NaN) */
export function downsample(values: readonly number[], width: number): number[] {
  if (width <= 0) return [];
  const out: number[] = [];
  const n = values.length;
  for (let i = 0; i < width; i++) {
    const a = Math.floor((i * n) / width);
    const b = Math.max(a + 1, Math.floor(((i + 1) * n) / width));
    let sum = 0;
    let k = 0;
    for (let j = a; j < b && j < n; j++) { const v = values[j]!; if (Number.isFinite(v)) { sum += v; k++; } }
    out.push(k ? sum / k : NaN);
  }
  return out;
}

/**
 * One character per value: a blank where nothing was measured, ▁ for zero up to █ at `max`.
 * `max` defaults to the largest value but at least `floor`, so 1 % of noise does not fill the cell.
 * `lift`: a value of at least `lift` never draws as ▁, so a small load still shows beside idle.
 */
export function sparkline(values: readonly number[], opts: { max?: number; floor?: number; lift?: number } = {}): string {
  let max = opts.max ?? 0;
  if (opts.max === undefined) for (const v of values) if (Number.isFinite(v) && v > max) max = v;
  max = Math.max(max, opts.floor ?? 0);
  let out = '';
  for (const v of values) {
    if (!Number.isFinite(v)) { out += ' '; continue; }
    let i = max > 0 ? Math.round((Math.max(0, Math.min(v, max)) / max) * (BARS.length - 1)) : 0;
    if (i === 0 && opts.lift !== undefined && v >= opts.lift) i = 1;
    out += BARS[i];
  }
  return out;
}

const RATE_UNITS = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s', 'TiB/s'];

/** bytes/s -> "0 B/s", "12 KiB/s", "1.5 MiB/s" */
export function humanRate(bps: number | undefined): string {
  if (bps === undefined || !Number.isFinite(bps)) return '-';
  let v = Math.max(0, bps);
  let u = 0;
  while (v >= 1024 && u < RATE_UNITS.length - 1) { v /= 1024; u++; }
  return `${u === 0 || v >= 100 ? Math.round(v) : v.toFixed(1)} ${RATE_UNITS[u]}`;
}

/** the unit a chart of byte rates up to `max` is drawn in: [divisor, "KiB/s"] */
export function rateUnit(max: number): [number, string] {
  let u = 0;
  let v = max;
  while (v >= 1024 && u < RATE_UNITS.length - 1) { v /= 1024; u++; }
  return [1024 ** u, RATE_UNITS[u]!];
}

/** "12.5%", "0.3%", "140%" */
export function humanPercent(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '-';
  return p >= 100 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}
