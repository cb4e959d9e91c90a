// The domains: a kind (the generic list with the domain columns and actions), and what other
// screens need of it (its order, the actions on a connection, the look of a stale row).
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { Row } from '../../src/ui/table.ts';
import { ListView } from '../kit/list.ts';
import { bind } from '../../src/context.ts';
import { DOMAIN_KIND_COLUMNS, domainRow, jobsVersion, rowJob, sortDomains } from './columns.ts';
import type { KindSpec } from '../kit/kind.ts';
import { plural } from '../../src/ui/text.ts';
import { hostBanner, stateCounts } from '../kit/hostline.ts';
import { DOMAIN_ACTIONS, type ActionHost, type DomainCtx } from './actions.ts';
import { DomainDetailView } from './detail.ts';
import { ipsOf } from '../../src/model/ips.ts';
import { frozenOf } from '../../src/model/frozen.ts';
import { domainLists } from './lists.ts';
import { DOMAIN_CREATE } from '../install/keys.ts';

/** The context's actions on `conn`, as the domain actions see them. */
export function actionHost(app: ScreenContext, conn: Connection): ActionHost {
  return bind(app, conn, (name) => app.push(new DomainDetailView(app, conn, name)));
}

/** A row while libvirt does not answer: its state is the last one seen (`?`), its CPU unknown. */
export function staleRow(r: Row): Row {
  const cells = [...r.cells];
  cells[1] = `${cells[1]} ?`;
  cells[2] = '?';
  cells[3] = '';
  return { ...r, cells };
}

/**
 * The domain names in the order the domains list shows them (its sort; by name when it was
 * never opened): what `[` and `]` step through on the snapshots and the charts.
 */
export function domainOrder(conn: Connection, keep: (d: Domain) => boolean = () => true): string[] {
  const list = domainLists.get(conn);
  const all = list ? list.ordered() : sortDomains(conn.domains.domains, 0, false);
  return all.filter(keep).map((d) => d.name);
}

/** why a key on marked rows skips a domain: its state, and what else decides (transient, a saved state) */
export function domainState(d: Domain): string {
  return [d.state, d.persistent ? '' : 'transient', d.managedSave ? 'saved' : ''].filter(Boolean).join(', ');
}

/** The domains, a kind declared once; their rows carry the CPU history and the host's health. */
export const DOMAIN_KIND: KindSpec<Domain, DomainCtx> = {
  name: 'domains',
  title: 'Domains',
  aliases: ['dom', 'doms', 'domain', 'domains', 'vm', 'vms'],
  noun: 'domain',
  store: (conn) => conn.domains,
  // the tick refreshes every connection's domains already (and an event at once)
  refresh: async () => {},
  columns: DOMAIN_KIND_COLUMNS,
  state: domainState,
  row: (d, { ctx, conn }) => (conn.health.state === 'ok'
    ? domainRow(d, { history: conn.domains.stats.get(d.name), now: conn.domains.stats.lastT, ip: ipsOf(conn).get(d.name), frozen: frozenOf(conn).has(d.name), job: rowJob(ctx.jobs.list, conn.name, d.name) })
    : staleRow(domainRow(d, { history: undefined, now: 0, ip: ipsOf(conn).get(d.name), frozen: frozenOf(conn).has(d.name), job: rowJob(ctx.jobs.list, conn.name, d.name) }))),
  version: ({ ctx, conn }) => `${ipsOf(conn).version}/${frozenOf(conn).version}/${jobsVersion(ctx.jobs.list)}`,
  banner: ({ ctx, conn }) => hostBanner(ctx, conn),
  emptyText: (_, { conn }) => (conn.state === 'connecting' ? 'connecting…' : conn.state === 'down' ? 'not connected: the line above says why' : undefined),
  actions: DOMAIN_ACTIONS,
  create: DOMAIN_CREATE,
  context: (env, dom) => ({ host: env.host, dom, ctx: env.ctx, conn: env.conn }),
  summary: (all) => `${plural(all.length, 'domain')}, ${stateCounts(all)}`,
  detail: ({ ctx, conn }, name) => new DomainDetailView(ctx, conn, name),
  made: (view, { conn }) => {
    domainLists.set(conn, view as ListView<Domain, unknown>);
    // the IP column asks only about the rows on screen
    ipsOf(conn).focus('list', () => { const s = view.onScreen(); return { selected: s.selected?.name, visible: s.visible.map((d) => d.name) }; });
  },
};
