// The domains list: the generic list screen with the domain columns and actions.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { Row } from '../../src/ui/table.ts';
import { ListView } from '../kit/list.ts';
import { bind } from '../../src/context.ts';
import { DOMAIN_COLUMNS, domainRow, sortDomains } from './columns.ts';
import { plural } from '../../src/ui/text.ts';
import { hostBanner, stateCounts } from '../kit/hostline.ts';
import { DOMAIN_ACTIONS, type ActionHost, type DomainCtx } from './actions.ts';
import { DomainDetailView } from './detail.ts';

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
    emptyText: () => (conn.state === 'connecting' ? 'connecting…' : conn.state === 'down' ? 'not connected: the line above says why' : undefined),
    actions: DOMAIN_ACTIONS,
    context: (dom) => ({ host, dom }),
    summary: (all) => `${plural(all.length, 'domain')}, ${stateCounts(all)}`,
    open: (d) => app.push(new DomainDetailView(app, conn, d.name)),
  });
  domainLists.set(conn, view);
  return view;
}
