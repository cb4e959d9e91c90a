// The networks (`:net`), a kind declared once: Enter shows a network's addresses, leases, the
// domains using it and its XML; `n` is the create form.
import { plural } from '../../src/ui/text.ts';
import type { Network } from '../../src/model/networks.ts';
import type { KindSpec } from '../kit/kind.ts';
import { NETWORK_COLUMNS, networkColor } from './columns.ts';
import { NETWORK_ACTIONS, NETWORK_CREATE, type NetworkCtx } from './actions.ts';
import { hostBridges } from '../ifaces/store.ts';
import { domainStates, networkTabs } from './detail.ts';

export const NETWORK_KIND: KindSpec<Network, NetworkCtx> = {
  name: 'networks',
  title: 'Networks',
  aliases: ['net', 'nets', 'network', 'networks'],
  noun: 'network',
  store: (conn) => conn.networks,
  columns: NETWORK_COLUMNS,
  state: (n) => `${n.active ? 'active' : 'inactive'}${n.persistent ? '' : ', transient'}`,
  color: networkColor,
  actions: NETWORK_ACTIONS,
  create: NETWORK_CREATE,
  // the stop question names the domains using the network
  context: (env, net) => ({ host: env.host, net, networks: env.store.items, domains: domainStates(env.conn), bridges: () => hostBridges(env.conn) }),
  summary: (all) => `${plural(all.length, 'network')}, ${all.filter((n) => n.active).length} active`,
  tabs: networkTabs,
  tabKeys: ['tab', 'x'],
  detailStatus: (n) => (n ? (n.active ? 'active' : 'inactive') : 'gone'),
};
