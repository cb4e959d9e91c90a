// Sizes as the operator reads them, the one formatter for every screen, job and check. Pure.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `v` counted in UNITS[from], in the largest unit under 1024 of it: one decimal below 100, whole numbers above */
function scaled(v: number | undefined, from: number): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  let u = from;
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
  // decided on the number as it is shown: 1023.8 MiB is "1.0 GiB" (not "1024 MiB"), 99.96 is "100" (not "100.0")
  if (Math.abs(Math.round(v)) >= 1024 && u < UNITS.length - 1) { v /= 1024; u++; }
  return `${u === from || Math.abs(v) >= 99.95 ? Math.round(v) : v.toFixed(1)} ${UNITS[u]}`;
}

/** bytes -> "512 B", "1.5 MiB", "129 MiB", "2.0 GiB" */
export function humanBytes(bytes: number | undefined): string {
  return scaled(bytes, 0);
}

/** KiB (libvirt's unit for memory) -> "512 KiB", "1.5 MiB", "2.0 GiB" */
export function humanKiB(kib: number | undefined): string {
  return scaled(kib, 1);
}
