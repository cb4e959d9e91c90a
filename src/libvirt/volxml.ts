// Storage volumes: `virsh -q vol-list POOL` and a volume's XML. Pure.
import { xmlParser, obj, str, type Node } from './xmlnode.ts';
import { bytesOf } from './poolxml.ts';
import { columnsOf } from './width.ts';

export interface VolListRow { name: string; path: string }

/**
 * `virsh -q vol-list POOL`: " NAME   PATH" with both columns padded to the widest cell (in
 * terminal cells) and no header (-q). Names and paths may hold spaces, so the path column is
 * found where it starts on every line: after at least 3 spaces, at the same cell column.
 */
export function parseVolList(text: string): VolListRow[] {
  const lines = text.split('\n').filter((l) => l.trim());
  if (!lines.length) return [];
  const starts = (line: string): Set<number> => {
    const { chars, cols } = columnsOf(line);
    const s = new Set<number>();
    for (let i = 3; i < chars.length; i++) if (chars[i] !== ' ' && chars[i - 1] === ' ' && chars[i - 2] === ' ' && chars[i - 3] === ' ') s.add(cols[i]!);
    return s;
  };
  let common = [...starts(lines[0]!)];
  for (const l of lines.slice(1)) { const s = starts(l); common = common.filter((c) => s.has(c)); }
  return lines.map((line) => {
    const { chars, cols } = columnsOf(line);
    const at = (col: number) => cols.indexOf(col);
    // several candidates (a name with 3 spaces in a one-volume pool): the first that looks like a path
    const rest = (col: number) => chars.slice(at(col)).join('').trimEnd();
    const col = common.find((c) => rest(c).startsWith('/')) ?? common[common.length - 1];
    if (col === undefined) return { name: line.trim(), path: '' };
    return { name: chars.slice(1, at(col)).join('').trimEnd(), path: rest(col) };
  });
}

export interface VolumeXmlInfo {
  name: string;
  /** file, block, dir, network, netdir, ploop */
  type: string;
  key: string;
  path: string;
  /** qcow2, raw, iso ... ('' when the pool does not say) */
  format: string;
  capacity?: number;
  allocation?: number;
  /** the backing file's path and format, when it has one */
  backing: string;
  backingFormat: string;
}

const parser = xmlParser();

export function parseVolumeXml(xml: string): VolumeXmlInfo {
  const v = obj((parser.parse(xml) as Node)['volume']) ?? {};
  const target = obj(v['target']) ?? {};
  const back = obj(v['backingStore']) ?? {};
  return {
    name: str(v['name']),
    type: str(v['@type']) || 'file',
    key: str(v['key']),
    path: str(target['path']),
    format: str(obj(target['format'])?.['@type']),
    capacity: bytesOf(v['capacity']),
    allocation: bytesOf(v['allocation']),
    backing: str(back['path']),
    backingFormat: str(obj(back['format'])?.['@type']),
  };
}
