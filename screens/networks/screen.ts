// The networks list (`:net`).
import { plural } from '../../src/ui/text.ts';
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Network } from '../../src/model/networks.ts';
import { ListView } from '../kit/list.ts';
import { actionHost } from '../domains/screen.ts';
import { NETWORK_COLUMNS, networkRow, sortNetworks } from './columns.ts';
import { NETWORK_ACTIONS, type NetworkCtx } from './actions.ts';
import { domainStates, networkDetailView } from './detail.ts';

export function networksView(app: ScreenContext, conn: Connection): ListView<Network, NetworkCtx> {
  const host: NetworkCtx['host'] = { ...actionHost(app, conn), openDetail: (name) => app.push(networkDetailView(app, conn, name, host)) };
  return new ListView<Network, NetworkCtx>(app, conn, {
    title: 'Networks',
    noun: 'network',
    columns: NETWORK_COLUMNS,
    items: () => conn.networks.networks,
    loaded: () => conn.networks.loaded,
    key: (n) => n.name,
    row: networkRow,
    sort: sortNetworks,
    actions: NETWORK_ACTIONS,
    context: (net) => ({ host, net, networks: conn.networks.networks, domains: domainStates(conn) }),
    summary: (all) => `${plural(all.length, 'network')}, ${all.filter((n) => n.active).length} active`,
    open: (n) => host.openDetail(n.name),
    refresh: () => conn.networks.refresh(),
  });
}
