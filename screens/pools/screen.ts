// The storage pools list (`:pool`).
import { plural } from '../../src/ui/text.ts';
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Pool } from '../../src/model/pools.ts';
import { ListView } from '../kit/list.ts';
import { actionHost } from '../domains/screen.ts';
import { OutputView } from '../output/screen.ts';
import { POOL_COLUMNS, poolRow, sortPools } from './columns.ts';
import { POOL_ACTIONS, type PoolCtx } from './actions.ts';

export function poolsView(app: ScreenContext, conn: Connection): ListView<Pool, PoolCtx> {
  const host: PoolCtx['host'] = {
    ...actionHost(app, conn),
    openDetail: (name) => {
      void conn.run(['pool-dumpxml', '--pool', name]).then(
        (xml) => app.push(new OutputView(app, `Pool ${name} (XML)`, xml.replace(/\n$/, '').split('\n'))),
        (e: { line: string }) => conn.setStatus({ kind: 'error', text: `virsh pool-dumpxml ${name}: ${e.line}` }),
      );
    },
  };
  return new ListView<Pool, PoolCtx>(app, conn, {
    title: 'Storage pools',
    noun: 'pool',
    columns: POOL_COLUMNS,
    items: () => conn.pools.pools,
    loaded: () => conn.pools.loaded,
    key: (p) => p.name,
    row: poolRow,
    sort: sortPools,
    actions: POOL_ACTIONS,
    context: (pool) => ({ host, pool, pools: conn.pools.pools }),
    summary: (all) => `${plural(all.length, 'pool')}, ${all.filter((p) => p.active).length} active`,
    open: (p) => host.openScreen('volumes', p.name),
    refresh: () => conn.pools.refresh(),
  });
}
