// The storage pools list (`:pool`).
import { plural } from '../../src/ui/text.ts';
import type { App } from '../../src/app.ts';
import type { Pool } from '../../src/model/pools.ts';
import { ListView } from '../list.ts';
import { actionHost } from '../domains/screen.ts';
import { OutputView } from '../output/screen.ts';
import { POOL_COLUMNS, poolRow, sortPools } from './columns.ts';
import { POOL_ACTIONS, type PoolCtx } from './actions.ts';

export function poolsView(app: App): ListView<Pool, PoolCtx> {
  const host: PoolCtx['host'] = {
    ...actionHost(app),
    openDetail: (name) => {
      void app.host.run(['pool-dumpxml', '--pool', name]).then(
        (xml) => app.push(new OutputView(app, `Pool ${name} (XML)`, xml.replace(/\n$/, '').split('\n'))),
        (e: { line: string }) => app.host.setStatus({ kind: 'error', text: `virsh pool-dumpxml ${name}: ${e.line}` }),
      );
    },
  };
  return new ListView<Pool, PoolCtx>(app, {
    title: 'Storage pools',
    noun: 'pool',
    columns: POOL_COLUMNS,
    items: () => app.pools.pools,
    loaded: () => app.pools.loaded,
    key: (p) => p.name,
    row: poolRow,
    sort: sortPools,
    actions: POOL_ACTIONS,
    context: (pool) => ({ host, pool, pools: app.pools.pools }),
    summary: (all) => `${plural(all.length, 'pool')}, ${all.filter((p) => p.active).length} active`,
    open: (p) => host.openScreen('volumes', p.name),
    refresh: () => app.pools.refresh(),
  });
}
