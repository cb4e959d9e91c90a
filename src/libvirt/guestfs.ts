// Inside a guest's disks without a shell: virt-df (its filesystems' use), virt-ls -l and virt-cat
// (its files), read-only. The argument arrays and what their output means. Pure.
import type { FishTarget } from '../pty/commands.ts';

/**
 * The environment of a libguestfs tool: the direct backend unless the user chose one (the libvirt
 * backend would ask the daemon for a transient domain, which a read-only connection cannot have);
 * LIBGUESTFS_BACKEND_SETTINGS and the other knobs pass through (force_tcg where KVM cannot run
 * the appliance).
 */
export function guestfsEnv(env: NodeJS.ProcessEnv | undefined): Record<string, string> {
  const out: Record<string, string> = { LIBGUESTFS_BACKEND: env?.['LIBGUESTFS_BACKEND'] || 'direct' };
  for (const k of ['LIBGUESTFS_BACKEND_SETTINGS', 'LIBGUESTFS_PATH', 'LIBGUESTFS_CACHEDIR', 'LIBGUESTFS_TMPDIR', 'LIBGUESTFS_MEMSIZE']) {
    const v = env?.[k];
    if (v) out[k] = v;
  }
  return out;
}

/** `-c URI -d DOMAIN`, or `--format=F -a PATH` for a volume */
function diskArgs(uri: string, t: FishTarget): string[] {
  return t.kind === 'domain' ? ['-c', uri, '-d', t.name] : [...(t.format ? [`--format=${t.format}`] : []), '-a', t.path];
}

/** `virt-df --csv ...`: CSV, because the table wraps a long name onto a line of its own */
export function virtDfArgs(uri: string, t: FishTarget): string[] {
  return ['--csv', ...diskArgs(uri, t)];
}

/**
 * `-m DEV` mounts that filesystem on / instead of inspecting the disks for an operating system
 * (a data disk has none: virt-ls and virt-cat then refuse with "no operating system was found").
 */
export function virtLsArgs(uri: string, t: FishTarget, path: string, mount?: string): string[] {
  return ['-l', ...diskArgs(uri, t), ...(mount ? ['-m', mount] : []), '--', path];
}

export function virtCatArgs(uri: string, t: FishTarget, path: string, mount?: string): string[] {
  return [...diskArgs(uri, t), ...(mount ? ['-m', mount] : []), '--', path];
}

/** virt-ls and virt-cat found no OS to inspect: name a filesystem with -m */
export const NO_OS = /no operating system was found/;

export interface DfRow {
  /** the domain (or disk) */
  vm: string;
  /** the filesystem as the appliance sees it: /dev/sda1, /dev/vg/root */
  fs: string;
  sizeKiB: number;
  usedKiB: number;
  availKiB: number;
}

/** RFC 4180 fields of one line (virt-df quotes a field with a comma or a quote in it) */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c;
    } else if (c === '"') q = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out;
}

/** `virt-df --csv`: VirtualMachine,Filesystem,1K-blocks,Used,Available,Use% */
export function parseVirtDfCsv(text: string): DfRow[] {
  const rows: DfRow[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || /^VirtualMachine,/.test(line)) continue;
    const f = csvFields(line.replace(/\r$/, ''));
    if (f.length < 5) continue;
    const [size, used, avail] = [Number(f[2]), Number(f[3]), Number(f[4])];
    if (![size, used, avail].every(Number.isFinite)) continue;
    rows.push({ vm: f[0]!, fs: f[1]!, sizeKiB: size, usedKiB: used, availKiB: avail });
  }
  return rows;
}

/** as df counts it: used of what a user can have (used + available), rounded up */
export function usePercent(r: DfRow): number {
  const all = r.usedKiB + r.availKiB;
  return all > 0 ? Math.ceil((100 * r.usedKiB) / all) : 0;
}

export interface LsEntry {
  /** d directory, - file, l link, c b p s */
  type: string;
  mode: string;
  size: string;
  time: string;
  name: string;
  /** a link's target */
  target?: string;
}

/**
 * `virt-ls -l DIR` prints the appliance's `ls -la` of it: a "total" line, then one line an entry
 * ("drwxr-xr-x  2 0 0 1024 Nov 30 04:10 data"; a device has "8, 0" for its size).
 */
export function parseVirtLsLong(text: string): LsEntry[] {
  const out: LsEntry[] = [];
  const re = /^([-dlcbps])([rwxsStT-]{9})[.+@]?\s+\d+\s+\S+\s+\S+\s+(\d+(?:,\s*\d+)?)\s+([A-Z][a-z]{2}\s+\d+\s+(?:\d\d:\d\d|\d{4}))\s(.*)$/;
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    let name = m[5]!;
    let target: string | undefined;
    if (m[1] === 'l' && name.includes(' -> ')) [name, target] = [name.slice(0, name.indexOf(' -> ')), name.slice(name.indexOf(' -> ') + 4)];
    out.push({ type: m[1]!, mode: m[2]!, size: m[3]!.replace(/\s+/g, ''), time: m[4]!.replace(/\s+/g, ' '), name, target });
  }
  return out;
}

/** a path joined with a name in it, '..' going up, never above / */
export function joinPath(dir: string, name: string): string {
  const parts = dir.split('/').filter(Boolean);
  if (name === '..') parts.pop();
  else if (name !== '.') parts.push(...name.split('/').filter(Boolean));
  return `/${parts.join('/')}`;
}
