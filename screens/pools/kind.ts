// The storage pools (`:pool`), a kind declared once: Enter lists a pool's volumes, x shows its
// XML; `n` is the create form.
import { plural } from '../../src/ui/text.ts';
import type { Pool } from '../../src/model/pools.ts';
import type { KindSpec } from '../kit/kind.ts';
import { POOL_COLUMNS, poolColor } from './columns.ts';
import { POOL_ACTIONS, POOL_CREATE, type PoolCtx } from './actions.ts';

export const POOL_KIND: KindSpec<Pool, PoolCtx> = {
  name: 'pools',
  title: 'Storage pools',
  aliases: ['pool', 'pools'],
  noun: 'pool',
  store: (conn) => conn.pools,
  columns: POOL_COLUMNS,
  state: (p) => `${p.active ? 'active' : 'inactive'}${p.persistent ? '' : ', transient'}`,
  color: poolColor,
  actions: POOL_ACTIONS,
  create: POOL_CREATE,
  context: (env, pool) => ({ host: env.host, pool, pools: env.store.items }),
  summary: (all) => `${plural(all.length, 'pool')}, ${all.filter((p) => p.active).length} active`,
  // x: its XML (Enter is its volumes); x again does not open it twice
  tabs: (env, name) => [
    { name: 'XML', load: async () => (await env.conn.run(['pool-dumpxml', '--pool', name])).replace(/\n$/, '').split('\n') },
  ],
  tabKeys: ['tab', 'x'],
  detailTitle: (name) => `Pool ${name} (XML)`,
  detailStatus: (p) => (p ? (p.active ? 'active' : 'inactive') : 'gone'),
};
