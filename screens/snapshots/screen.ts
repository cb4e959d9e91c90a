// The snapshots of one domain as a tree (`:snap [DOMAIN]`, or t on a domain). [ and ] go to
// the previous/next domain.
import { plural } from '../../src/ui/text.ts';
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { SnapshotStore, type Snapshot } from '../../src/model/snapshots.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { ListView, stepName } from '../kit/list.ts';
import { actionHost, domainOrder } from '../domains/screen.ts';
import { TabbedView, fieldLines } from '../kit/tabbed.ts';
import { SNAPSHOT_COLUMNS, snapshotRow, treeRows, kindOf } from './columns.ts';
import { SNAPSHOT_ACTIONS, type SnapshotCtx } from './actions.ts';

export function snapshotLines(s: Snapshot, domain: string): string[] {
  return ['Snapshot', ...fieldLines([
    ['Name', s.name], ['Domain', domain], ['Current', s.current ? 'yes' : 'no'], ['Created', s.created], ['State', s.state],
    ['Kind', kindOf(s)], ['Parent', s.parent || '-'], ['Description', s.description || '-'],
  ])];
}

/** The domain the screen opens on: the one asked for, else the first running, else the first. */
export function pickDomain(conn: Connection, asked?: string): string {
  if (asked) return asked;
  const d = conn.domains.domains;
  return (d.find((x) => x.state === 'running') ?? d[0])?.name ?? '';
}

export function snapshotsView(app: ScreenContext, conn: Connection, domain?: string): ListView<Snapshot, SnapshotCtx> {
  const storeOf = (name: string) => new SnapshotStore(conn, name, domainArg(conn.domains.get(name) ?? { name }));
  let store = storeOf(pickDomain(conn, domain));
  // the tree's prefixes follow the sort (which sibling is last): set by each sort
  let prefixes = new Map<string, string>();
  const watch = (s: SnapshotStore) => {
    s.on('change', () => app.requestRender());
    s.on('failed', (e: { line: string; hint: string }) => { if (s === store) conn.setStatus({ kind: 'error', text: `snapshot-list ${s.domain}: ${e.line}`, hint: e.hint }); });
  };
  watch(store);
  const domState = () => conn.domains.get(store.domain)?.state ?? '';
  const host: SnapshotCtx['host'] = {
    ...actionHost(app, conn),
    openDetail: (name) => {
      const d = store.domain;
      const target = store.target;
      const get = () => store.get(name);
      app.push(new TabbedView<SnapshotCtx>(app, conn, `Snapshot ${name}`, [
        { name: 'Overview', load: async () => { await store.refresh(); const s = get(); return s ? snapshotLines(s, d) : [`snapshot ${name} of ${d} no longer exists`]; } },
        { name: 'XML', load: async () => (await conn.run(['snapshot-dumpxml', '--domain', target, '--snapshotname', name])).replace(/\n$/, '').split('\n') },
      ], SNAPSHOT_ACTIONS.filter((a) => !a.keys.includes('enter')), () => ctx(get()), () => `domain ${d}`));
    },
  };
  const ctx = (snap: Snapshot | undefined): SnapshotCtx => ({ host, snap, domain: store.domain, target: store.target, domainState: domState(), snapshots: store.snapshots });
  const cycle = (step: number) => {
    const next = stepName(domainOrder(conn), store.domain, step);
    if (next === undefined) return;
    store = storeOf(next);
    watch(store);
    void store.refresh();
    app.requestRender();
  };
  const domainKeys: KeyAction<SnapshotCtx>[] = [
    { keys: [']'], label: 'next domain', help: 'the snapshots of the next domain', run: () => cycle(1) },
    { keys: ['['], label: 'prev domain', help: 'the snapshots of the previous domain', footer: false, run: () => cycle(-1) },
  ];
  return new ListView<Snapshot, SnapshotCtx>(app, conn, {
    get title() { return `Snapshots of ${store.domain || '(no domain)'}`; },
    noun: 'snapshot',
    columns: SNAPSHOT_COLUMNS,
    items: () => store.snapshots,
    loaded: () => store.loaded,
    emptyText: () => (!store.domain ? 'no domains on this host' : store.loaded && !store.snapshots.length ? `${store.domain} has no snapshots: n takes one` : undefined),
    key: (s) => s.name,
    row: (s) => snapshotRow(s, prefixes.get(s.name)),
    sort: (list, col, desc) => {
      const rows = treeRows(list, col, desc);
      prefixes = new Map(rows.map((r) => [r.snap.name, r.prefix]));
      return rows.map((r) => r.snap);
    },
    rowsFollowSort: true,
    actions: [...SNAPSHOT_ACTIONS, ...domainKeys],
    context: ctx,
    summary: (all) => `${plural(all.length, 'snapshot')}${all.find((s) => s.current) ? `, current ${all.find((s) => s.current)!.name}` : ''} | ${domState() || 'gone'}`,
    open: (s) => host.openDetail(s.name),
    refresh: () => (store.domain ? store.refresh() : Promise.resolve()),
  });
}
