// What the storage jobs say about themselves: qemu-img check's verdict, qemu-img convert -p's
// percentage, vol-info's sizes. Pure. (domjobinfo, a save's too, is read by libvirt/migrate.ts.)
import type { JobProgress } from '../model/jobs.ts';
import { humanBytes } from './units.ts';

/** bytes done of a total: "120.0 MiB of 1.0 GiB" with the numbers for the bar */
export function bytesProgress(done: number, total: number): JobProgress {
  return { text: `${humanBytes(done)} of ${humanBytes(total)}`, done: Math.min(done, total), total };
}

/** the last "(12.34/100%)" qemu-img convert -p wrote (it rewrites one line with \r); null when none */
export function convertPercent(out: string): number | null {
  const all = [...out.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)];
  return all.length ? Number(all.at(-1)![1]) : null;
}

export interface CheckVerdict { ok: boolean; message: string }

/**
 * `qemu-img check --output=json`'s verdict from its exit code (0 clean, 1 the check could not
 * run, 2 corruptions, 3 leaked clusters only, 63 the format has no checks), its JSON and its stderr.
 */
export function checkVerdict(exitCode: number, stdout: string, stderr: string): CheckVerdict {
  let j: Record<string, unknown> = {};
  try { j = JSON.parse(stdout) as Record<string, unknown>; } catch { /* no JSON: the exit code and stderr tell */ }
  const n = (k: string) => (typeof j[k] === 'number' ? (j[k] as number) : 0);
  const errLine = stderr.split('\n').map((l) => l.replace(/^qemu-img:\s*/, '').trim()).find(Boolean) ?? '';
  if (exitCode === 63) return { ok: true, message: `nothing to check: ${errLine || 'the format has no checks'} (raw has no metadata)` };
  const parts: string[] = [];
  if (n('corruptions')) parts.push(`${n('corruptions')} corruption${n('corruptions') > 1 ? 's' : ''}`);
  if (n('leaks')) parts.push(`${n('leaks')} leaked cluster${n('leaks') > 1 ? 's' : ''}`);
  if (n('check-errors')) parts.push(`${n('check-errors')} check error${n('check-errors') > 1 ? 's' : ''}`);
  if (exitCode === 0 && !parts.length) {
    const alloc = typeof j['allocated-clusters'] === 'number' && n('total-clusters') ? `, ${n('allocated-clusters')}/${n('total-clusters')} clusters allocated` : '';
    return { ok: true, message: `no errors found (${String(j['format'] ?? 'image')}${alloc})` };
  }
  if (exitCode === 3 && parts.length === 1 && n('leaks')) return { ok: false, message: `${parts[0]}: space wasted, no data harmed (qemu-img check -r leaks repairs it)` };
  if (parts.length) return { ok: false, message: `${parts.join(', ')}${n('corruptions') ? ': data may be corrupted; repair only from a copy (qemu-img check -r all)' : ''}` };
  return { ok: false, message: errLine || `qemu-img check exited with code ${exitCode}` };
}

/** `vol-info --bytes [--physical]`: Capacity, and Allocation (or Physical) in bytes */
export function parseVolInfoBytes(text: string): { capacity?: number; allocation?: number; physical?: number } {
  const get = (k: string) => { const m = new RegExp(`^${k}:\\s*(\\d+)\\s*bytes`, 'mi').exec(text); return m ? Number(m[1]) : undefined; };
  return { capacity: get('Capacity'), allocation: get('Allocation'), physical: get('Physical') };
}

/** The first bytes of a qcow2 image ("QFI\xfb"). */
export const isQcow2Magic = (head: Uint8Array): boolean => head.length >= 4 && head[0] === 0x51 && head[1] === 0x46 && head[2] === 0x49 && head[3] === 0xfb;
