// What can be done to a storage pool, by key, offered only when its state allows it.
import type { Pool } from '../../src/model/pools.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { autostartKeys, type ActionHost } from '../list.ts';

export interface PoolCtx { host: ActionHost; pool: Pool | undefined }

export const POOL_ACTIONS: KeyAction<PoolCtx>[] = [
  { keys: ['enter'], label: 'details', help: 'details: the pool\'s XML', when: (c) => !!c.pool, run: (c) => c.host.openDetail(c.pool!.name) },
  { keys: ['u'], label: 'start', help: 'start the pool', mutates: true, when: (c) => !!c.pool && !c.pool.active, run: (c) => { void c.host.action(['pool-start', c.pool!.name]); } },
  {
    keys: ['D'], label: 'stop', help: 'stop the pool (pool-destroy: its data stays)', mutates: true, dangerous: true, when: (c) => !!c.pool?.active,
    run: async (c) => {
      const p = c.pool!;
      const r = await c.host.ask({
        title: `Stop pool ${p.name}`, confirmLabel: 'Stop', dangerous: true,
        message: [`Stop ${p.name}: its volumes cannot be used or listed until it is started again. Nothing is deleted.`,
          ...(p.persistent ? [] : [`${p.name} is transient: it disappears when it stops.`])],
      });
      if (r.confirmed) await c.host.action(['pool-destroy', p.name]);
    },
  },
  { keys: ['f'], label: 'refresh', help: 'refresh: rescan its volumes', mutates: true, when: (c) => !!c.pool?.active, run: (c) => { void c.host.action(['pool-refresh', c.pool!.name]); } },
  ...autostartKeys<PoolCtx>('pool-autostart', (c) => c.pool),
  {
    keys: ['X'], label: 'undefine', help: 'undefine an inactive pool: remove its definition, keep its data (asks; you type the name)', mutates: true, dangerous: true,
    when: (c) => !!c.pool?.persistent && !c.pool.active,
    run: async (c) => {
      const p = c.pool!;
      const r = await c.host.ask({
        title: `Undefine pool ${p.name}`, confirmLabel: 'Undefine', dangerous: true, typeToConfirm: p.name,
        message: [`Undefine ${p.name}: its definition is removed from libvirt. ${p.path ? `The data in ${p.path} stays.` : 'Its data stays.'}`],
      });
      if (r.confirmed) await c.host.action(['pool-undefine', p.name]);
    },
  },
];
