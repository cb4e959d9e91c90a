// The snapshots of one domain as a tree (`:snap [DOMAIN]`, or t on a domain), a kind declared
// once: a store per domain; [ and ] go to the previous/next domain in the domains list's order.
import { plural } from '../../src/ui/text.ts';
import type { Connection } from '../../src/model/connection.ts';
import { SnapshotStore, type Snapshot } from '../../src/model/snapshots.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import { domainOrder } from '../domains/kind.ts';
import type { KindEnv, KindSpec } from '../kit/kind.ts';
import { SNAPSHOT_COLUMNS, snapshotColor, snapshotLines, snapshotTreeOf } from './columns.ts';
import { SNAPSHOT_ACTIONS, SNAPSHOT_CREATE, type SnapshotCtx } from './actions.ts';

/** The domain the screen opens on: the one asked for, else the first running, else the first. */
export function pickDomain(conn: Connection, asked?: string): string {
  if (asked) return asked;
  const d = conn.domains.domains;
  return (d.find((x) => x.state === 'running') ?? d[0])?.name ?? '';
}

/** domain `domain`'s snapshots on `conn`, kept across visits; a failed list says why on the status line */
function snapshotStore(conn: Connection, domain: string): SnapshotStore {
  // --domain names it by UUID where virsh would read its name as an ID: one store per such target
  const target = domainArg(conn.domains.get(domain) ?? { name: domain });
  return conn.cache(`snapshots:${domain}\n${target}`, () => {
    const s = new SnapshotStore(conn, domain, target);
    s.on('failed', (e: { line: string; hint: string }) => conn.setStatus({ kind: 'error', text: `snapshot-list ${domain}: ${e.line}`, hint: e.hint }));
    return s;
  });
}

const domState = (env: KindEnv<Snapshot>) => env.conn.domains.get(env.arg)?.state ?? '';

export const SNAPSHOT_KIND: KindSpec<Snapshot, SnapshotCtx> = {
  name: 'snapshots',
  title: 'Snapshots',
  aliases: ['snap', 'snaps', 'snapshot', 'snapshots'],
  noun: 'snapshot',
  arg: { name: 'DOMAIN', noun: 'domain', pick: pickDomain, step: (conn) => domainOrder(conn) },
  store: snapshotStore,
  refresh: (env) => (env.arg ? env.store.refresh() : Promise.resolve()),
  emptyText: (store, env) => (!env.arg ? 'no domains on this host' : store.loaded && !store.items.length ? `${env.arg} has no snapshots: n takes one` : undefined),
  columns: SNAPSHOT_COLUMNS,
  color: snapshotColor,
  tree: snapshotTreeOf,
  actions: SNAPSHOT_ACTIONS,
  create: SNAPSHOT_CREATE,
  context: (env, snap) => ({ host: env.host, snap, domain: env.arg, target: (env.store as SnapshotStore).target, domainState: domState(env), snapshots: env.store.items }),
  summary: (all, _store, env) => {
    const current = all.find((s) => s.current);
    return `${plural(all.length, 'snapshot')}${current ? `, current ${current.name}` : ''} | ${domState(env) || 'gone'}`;
  },
  tabs: (env, name) => {
    const d = env.arg;
    const target = (env.store as SnapshotStore).target;
    return [
      { name: 'Overview', load: async () => { await env.store.refresh(); const s = env.store.get(name); return s ? snapshotLines(s, d) : [`snapshot ${name} of ${d} no longer exists`]; } },
      { name: 'XML', load: async () => (await env.conn.run(['snapshot-dumpxml', '--domain', target, '--snapshotname', name])).replace(/\n$/, '').split('\n') },
    ];
  },
  detailStatus: (_s, env) => `domain ${env.arg}`,
};
