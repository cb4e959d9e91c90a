// Sizes as the operator reads them, the one formatter for every screen, job and check. Pure.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/**
 * The unit `v` (counted in UNITS[from]) is shown in: the largest under 1024 of it, decided on the
 * number as it is shown: 1023.8 MiB is "1.0 GiB" (not "1024 MiB").
 */
function unitOf(v: number, from: number): number {
  let u = from;
  let x = Math.abs(v);
  while (x >= 1024 && u < UNITS.length - 1) { x /= 1024; u++; }
  if (Math.round(x) >= 1024 && u < UNITS.length - 1) u++;
  return u;
}

/** `v` (in UNITS[from]) as a number of UNITS[u]: one decimal below 100 (99.96 is "100", not "100.0"), whole numbers above */
function inUnit(v: number, from: number, u: number): string {
  const x = v / 1024 ** (u - from);
  return u === from || Math.abs(x) >= 99.95 ? String(Math.round(x)) : x.toFixed(1);
}

/** `v` counted in UNITS[from], in the largest unit under 1024 of it */
function scaled(v: number | undefined, from: number): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  const u = unitOf(v, from);
  return `${inUnit(v, from, u)} ${UNITS[u]}`;
}

/** bytes -> "512 B", "1.5 MiB", "129 MiB", "2.0 GiB" */
export function humanBytes(bytes: number | undefined): string {
  return scaled(bytes, 0);
}

/** KiB (libvirt's unit for memory) -> "512 KiB", "1.5 MiB", "2.0 GiB" */
export function humanKiB(kib: number | undefined): string {
  return scaled(kib, 1);
}

/** KiB used/max in the unit of max: "1.5/2.0 GiB", "512/512 MiB", "1.0/1.0 GiB" */
export function humanPair(cur: number | undefined, max: number | undefined): string {
  if (max === undefined) return humanKiB(cur);
  const u = unitOf(max, 1);
  return `${cur === undefined ? '?' : inUnit(cur, 1, u)}/${inUnit(max, 1, u)} ${UNITS[u]}`;
}
