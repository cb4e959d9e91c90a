// Domain snapshots: `virsh -q snapshot-list DOM --parent`, a snapshot's XML, and the tree. Pure.
import { xmlParser, obj, str, type Node } from './xmlnode.ts';

export interface SnapshotXmlInfo {
  name: string;
  description: string;
  /** the domain's state when it was taken: running, shutoff, paused, disk-snapshot ... */
  state: string;
  parent: string;
  /** seconds since the epoch */
  creationTime?: number;
  /** internal or external memory: the snapshot holds the RAM (a running state comes back) */
  memory: boolean;
  /** every disk is external (snapshot-create --disk-only) */
  diskOnly: boolean;
}

const parser = xmlParser(['disk']);

export function parseSnapshotXml(xml: string): SnapshotXmlInfo {
  const s = obj((parser.parse(xml) as Node)['domainsnapshot']) ?? {};
  const mem = str(obj(s['memory'])?.['@snapshot']);
  const state = str(s['state']);
  const t = Number(str(s['creationTime']));
  return {
    name: str(s['name']),
    description: str(s['description']),
    state,
    parent: str(obj(s['parent'])?.['name']),
    creationTime: Number.isFinite(t) && str(s['creationTime']) !== '' ? t : undefined,
    memory: mem === 'internal' || mem === 'external',
    diskOnly: state === 'disk-snapshot',
  };
}

export interface SnapListRow { name: string; created: string; state: string; parent: string }

const SNAP_STATES = ['running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended', 'disk-snapshot', 'nostate'];
const SNAP_LINE = new RegExp(`^ (.*?)\\s+(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [+-]\\d{4})\\s+(${SNAP_STATES.join('|')})(?:\\s+(.*?))?\\s*$`);

/** `virsh -q snapshot-list DOM --parent`: name, creation time, state, parent (names may hold spaces) */
export function parseSnapshotList(text: string): SnapListRow[] {
  const out: SnapListRow[] = [];
  for (const line of text.split('\n')) {
    const m = SNAP_LINE.exec(line);
    if (m) out.push({ name: m[1]!, created: m[2]!, state: m[3]!, parent: m[4] ?? '' });
  }
  return out;
}

export interface TreeRow<T> { item: T; depth: number; prefix: string }

/** Orders items as a tree (roots first, children under their parent) with ASCII prefixes ("+- ", "`- ": blessed turns box characters into ACS codes on non-UTF-8 terminals). */
export function snapshotTree<T extends { name: string; parent: string }>(items: readonly T[], order: (a: T, b: T) => number): TreeRow<T>[] {
  const names = new Set(items.map((i) => i.name));
  const children = new Map<string, T[]>();
  for (const i of items) {
    const p = i.parent && names.has(i.parent) ? i.parent : '';
    children.set(p, [...(children.get(p) ?? []), i]);
  }
  const out: TreeRow<T>[] = [];
  const seen = new Set<string>();
  const walk = (parent: string, depth: number, lead: string) => {
    const kids = [...(children.get(parent) ?? [])].sort(order);
    kids.forEach((k, idx) => {
      if (seen.has(k.name)) return;
      seen.add(k.name);
      const last = idx === kids.length - 1;
      out.push({ item: k, depth, prefix: depth === 0 ? '' : `${lead}${last ? '`- ' : '+- '}` });
      walk(k.name, depth + 1, depth === 0 ? '' : `${lead}${last ? '   ' : '|  '}`);
    });
  };
  walk('', 0, '');
  // a cycle in broken metadata: show what is left flat rather than lose it
  for (const i of items) if (!seen.has(i.name)) out.push({ item: i, depth: 0, prefix: '' });
  return out;
}

/** every descendant of `name` */
export function descendants<T extends { name: string; parent: string }>(items: readonly T[], name: string): T[] {
  const out: T[] = [];
  const queue = [name];
  while (queue.length) {
    const p = queue.shift()!;
    for (const i of items) if (i.parent === p && !out.includes(i)) { out.push(i); queue.push(i.name); }
  }
  return out;
}
