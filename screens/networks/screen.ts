// The networks list (`:net`).
import { plural } from '../../src/ui/text.ts';
import type { App } from '../../src/app.ts';
import type { Network } from '../../src/model/networks.ts';
import { ListView } from '../list.ts';
import { actionHost } from '../domains/screen.ts';
import { NETWORK_COLUMNS, networkRow, sortNetworks } from './columns.ts';
import { NETWORK_ACTIONS, type NetworkCtx } from './actions.ts';
import { domainStates, networkDetailView } from './detail.ts';

export function networksView(app: App): ListView<Network, NetworkCtx> {
  const host: NetworkCtx['host'] = { ...actionHost(app), openDetail: (name) => app.push(networkDetailView(app, name, host)) };
  return new ListView<Network, NetworkCtx>(app, {
    title: 'Networks',
    noun: 'network',
    columns: NETWORK_COLUMNS,
    items: () => app.networks.networks,
    loaded: () => app.networks.loaded,
    key: (n) => n.name,
    row: networkRow,
    sort: sortNetworks,
    actions: NETWORK_ACTIONS,
    context: (net) => ({ host, net, networks: app.networks.networks, domains: domainStates(app) }),
    summary: (all) => `${plural(all.length, 'network')}, ${all.filter((n) => n.active).length} active`,
    open: (n) => host.openDetail(n.name),
    refresh: () => app.networks.refresh(),
  });
}
