// What can be done to a storage pool, by key, offered only when its state allows it.
import type { Pool } from '../../src/model/pools.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { autostartKeys, confirmThen, editKey, type ActionHost } from '../list.ts';

export interface PoolCtx { host: ActionHost; pool: Pool | undefined }

export const POOL_ACTIONS: KeyAction<PoolCtx>[] = [
  { keys: ['enter'], label: 'volumes', help: 'the pool\'s volumes', when: (c) => !!c.pool, run: (c) => c.host.openScreen('volumes', c.pool!.name) },
  { keys: ['x'], label: 'XML', help: 'the pool\'s XML', when: (c) => !!c.pool, run: (c) => c.host.openDetail(c.pool!.name) },
  { keys: ['u'], label: 'start', help: 'start the pool', mutates: true, when: (c) => !!c.pool && !c.pool.active, run: (c) => { void c.host.action(['pool-start', c.pool!.name]); } },
  {
    keys: ['D'], label: 'stop', help: 'stop the pool (pool-destroy: its data stays)', mutates: true, dangerous: true, when: (c) => !!c.pool?.active,
    run: (c) => confirmThen(c, {
      title: `Stop pool ${c.pool!.name}`, confirmLabel: 'Stop',
      message: [`Stop ${c.pool!.name}: its volumes cannot be used or listed until it is started again. Nothing is deleted.`,
        ...(c.pool!.persistent ? [] : [`${c.pool!.name} is transient: it disappears when it stops.`])],
    }, ['pool-destroy', c.pool!.name]),
  },
  { keys: ['f'], label: 'refresh', help: 'refresh: rescan its volumes', mutates: true, when: (c) => !!c.pool?.active, run: (c) => { void c.host.action(['pool-refresh', c.pool!.name]); } },
  ...autostartKeys<PoolCtx>('pool-autostart', (c) => c.pool),
  {
    keys: ['X'], label: 'undefine', help: 'undefine an inactive pool: remove its definition, keep its data (asks; you type the name)', mutates: true, dangerous: true,
    when: (c) => !!c.pool?.persistent && !c.pool.active,
    run: (c) => confirmThen(c, {
      title: `Undefine pool ${c.pool!.name}`, confirmLabel: 'Undefine', typeToConfirm: c.pool!.name,
      message: [`Undefine ${c.pool!.name}: its definition is removed from libvirt. ${c.pool!.path ? `The data in ${c.pool!.path} stays.` : 'Its data stays.'}`],
    }, ['pool-undefine', c.pool!.name]),
  },
  editKey<PoolCtx>('pool', (c) => c.pool),
];
