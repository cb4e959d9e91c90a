// The domains list: the generic list screen with the domain columns and actions.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { Row } from '../../src/ui/table.ts';
import type { Health } from '../../src/model/connection.ts';
import { ListView } from '../list.ts';
import { bind } from '../../src/context.ts';
import { DOMAIN_COLUMNS, domainRow, sortDomains } from './columns.ts';
import type { Load } from '../../src/model/hostload.ts';
import { humanPair, plural } from '../../src/ui/text.ts';
import { humanPercent } from '../../src/ui/sparkline.ts';
import { DOMAIN_ACTIONS, type ActionHost, type DomainCtx } from './actions.ts';
import { DomainDetailView } from './detail.ts';

/** The context's actions on `conn`, as the domain actions see them. */
export function actionHost(app: ScreenContext, conn: Connection): ActionHost {
  return bind(app, conn, (name) => app.push(new DomainDetailView(app, conn, name)));
}

/** "6 running, 1 paused, 4 shut off" in the order of the list's state sort */
export function stateCounts(list: readonly Domain[]): string {
  const counts = new Map<string, number>();
  for (const d of sortDomains(list, 1, false)) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}

/** The line above the domains: the host's CPU and memory, running domains, the tick. Pure. */
export function hostLine(load: Load, list: readonly Domain[], o: { events: boolean | null; interval: number }): string {
  const active = list.filter((d) => d.id !== null);
  const running = list.filter((d) => d.state === 'running');
  const cpu = load.cpu === undefined ? 'CPU -' : `CPU ${humanPercent(load.cpu)}${load.cpus ? ` of ${load.cpus}` : ''}`;
  // a driver without memory stats (the test driver): what the running guests hold instead
  const mem = load.memUsed !== undefined
    ? `mem ${humanPair(load.memUsed, load.memTotal)}`
    : `guest mem ${humanPair(active.reduce((a, d) => a + (d.memory ?? d.memoryMax ?? 0), 0), load.memTotal)}`;
  const ev = o.events === null ? '' : o.events ? '  events live' : '  events: polling';
  return `host ${cpu}  ${mem}  ${running.length}/${list.length} running  tick ${o.interval / 1000} s${ev}`;
}

/** A row while libvirt does not answer: its state is the last one seen (`?`), its CPU unknown. */
export function staleRow(r: Row): Row {
  const cells = [...r.cells];
  cells[1] = `${cells[1]} ?`;
  cells[2] = '?';
  cells[3] = '';
  return { ...r, cells };
}

/** "no answer from libvirt for 12 s (Disconnected ...): rows as of 21:30:02" while the connection is down. Pure. */
export function staleLine(h: Health, asOf: number | undefined, now: number): string {
  const secs = Math.max(0, Math.round((now - h.since) / 1000));
  const at = asOf ? new Date(asOf).toTimeString().slice(0, 8) : '';
  return `STALE: no answer from libvirt for ${secs} s${h.reason ? ` (${h.reason})` : ''}${at ? `; rows as of ${at}` : ''}`;
}

/** the host line of the app's connection, as the domains and top views show it above their tables */
export function hostBanner(app: ScreenContext, conn: Connection): string {
  const h = conn.health;
  if (h.state !== 'ok') return staleLine(h, conn.domains.stats.lastT || undefined, Date.now());
  return hostLine(conn.hostLoad.load, conn.domains.domains, { events: conn.eventsState(), interval: app.interval });
}

/** the domains list of each app: other screens step through the domains in its order */
const domainLists = new WeakMap<Connection, ListView<Domain, DomainCtx>>();

/**
 * The domain names in the order the domains list shows them (its sort; by name when it was
 * never opened): what `[` and `]` step through on the snapshots and the charts.
 */
export function domainOrder(conn: Connection, keep: (d: Domain) => boolean = () => true): string[] {
  const list = domainLists.get(conn);
  const all = list ? list.ordered() : sortDomains(conn.domains.domains, 0, false);
  return all.filter(keep).map((d) => d.name);
}

export function domainsView(app: ScreenContext, conn: Connection): ListView<Domain, DomainCtx> {
  const host = actionHost(app, conn);
  const view = new ListView<Domain, DomainCtx>(app, conn, {
    title: 'Domains',
    noun: 'domain',
    columns: DOMAIN_COLUMNS,
    items: () => conn.domains.domains,
    loaded: () => conn.domains.loaded,
    key: (d) => d.name,
    row: (d) => (conn.health.state === 'ok' ? domainRow(d, { history: conn.domains.stats.get(d.name), now: conn.domains.stats.lastT }) : staleRow(domainRow(d))),
    sort: (list, col, desc) => sortDomains(list, col, desc, (d) => conn.domains.stats.get(d.name)?.rates?.cpu ?? -1),
    banner: () => hostBanner(app, conn),
    actions: DOMAIN_ACTIONS,
    context: (dom) => ({ host, dom }),
    summary: (all) => `${plural(all.length, 'domain')}, ${stateCounts(all)}`,
    open: (d) => app.push(new DomainDetailView(app, conn, d.name)),
  });
  domainLists.set(conn, view);
  return view;
}
