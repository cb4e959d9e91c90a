// Reading a storage pool's XML and `virsh pool-list`. Pure.
import { xmlParser, obj, str, first, type Node } from './xmlnode.ts';

export interface PoolXmlInfo {
  name: string;
  /** dir, fs, netfs, logical, disk, iscsi, rbd, zfs ... */
  type: string;
  /** bytes; undefined when libvirt does not say */
  capacity?: number;
  allocation?: number;
  available?: number;
  /** target path, or where the source is (host:/dir, device) when there is no path */
  path: string;
  source: string;
}

const parser = xmlParser(['host', 'device', 'dir']);

const UNITS: Record<string, number> = { b: 1, bytes: 1, k: 1024, kib: 1024, kb: 1000, m: 1024 ** 2, mib: 1024 ** 2, mb: 1e6, g: 1024 ** 3, gib: 1024 ** 3, gb: 1e9, t: 1024 ** 4, tib: 1024 ** 4, tb: 1e12, p: 1024 ** 5, pib: 1024 ** 5 };

/** <capacity unit='GiB'>32</capacity> -> bytes */
export function bytesOf(v: unknown): number | undefined {
  const n = Number(str(v));
  if (str(v) === '' || !Number.isFinite(n)) return undefined;
  const unit = (obj(v)?.['@unit'] as string | undefined)?.toLowerCase() ?? 'bytes';
  return n * (UNITS[unit] ?? 1);
}

export function parsePoolXml(xml: string): PoolXmlInfo {
  const pool = obj((parser.parse(xml) as Node)['pool']) ?? {};
  const src = obj(pool['source']) ?? {};
  const host = str(first(src['host'])?.['@name']);
  const dir = str(first(src['dir'])?.['@path']);
  const device = str(first(src['device'])?.['@path']);
  const name = str(src['name']);
  const source = host ? `${host}:${dir || name || ''}` : device || dir || name;
  return {
    name: str(pool['name']),
    type: str(pool['@type']),
    capacity: bytesOf(pool['capacity']),
    allocation: bytesOf(pool['allocation']),
    available: bytesOf(pool['available']),
    path: str(obj(pool['target'])?.['path']),
    source,
  };
}

export interface PoolListRow { name: string; active: boolean; autostart: boolean }

/** `virsh -q pool-list --all` */
export function parsePoolList(text: string): PoolListRow[] {
  const out: PoolListRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(.*?)\s+(active|inactive|building|degraded|inaccessible)\s+(yes|no)\s*$/.exec(line);
    if (m) out.push({ name: m[1]!, active: m[2] === 'active', autostart: m[3] === 'yes' });
  }
  return out;
}
