// What can be done to a storage pool, by key, offered only when its state allows it.
import type { Pool } from '../../src/model/pools.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { KindCreate } from '../kit/kind.ts';
import { autostartKeys, confirmThen, editKey, type ActionHost } from '../kit/list.ts';
import { BUILD_WARNINGS, createPool, defineFromFile } from '../create.ts';
import type { PoolType } from '../../src/libvirt/build.ts';

export interface PoolCtx { host: ActionHost; pool: Pool | undefined; pools: readonly Pool[] }

/**
 * What pool-delete removes, by type: the target directory of dir, fs and netfs pools; for a disk
 * pool the device's partitions (its target is only where libvirt looks for them, e.g. /dev);
 * for a logical pool its volume group.
 */
export function deletedStorage(p: Pool): string {
  if (p.type === 'disk') return `the partition table of ${p.source || 'its device'} (and so every partition on it)`;
  if (p.type === 'logical') return `the volume group of pool ${p.name}${p.source ? ` (on ${p.source})` : ''} and its logical volumes`;
  return p.path || p.source || p.name;
}

export const POOL_ACTIONS: KeyAction<PoolCtx>[] = [
  { keys: ['enter'], label: 'volumes', help: 'the pool\'s volumes', when: (c) => !!c.pool, run: (c) => c.host.openScreen('volumes', c.pool!.name) },
  { keys: ['x'], label: 'XML', help: 'the pool\'s XML', when: (c) => !!c.pool, run: (c) => c.host.openDetail(c.pool!.name) },
  { keys: ['u'], label: 'start', help: 'start the pool', mutates: true, when: (c) => !!c.pool && !c.pool.active, run: (c) => { void c.host.action(['pool-start', '--pool', c.pool!.name]); } },
  {
    keys: ['D'], label: 'stop', help: 'stop the pool (pool-destroy: its data stays)', mutates: true, dangerous: true, when: (c) => !!c.pool?.active,
    run: (c) => confirmThen(c, {
      title: `Stop pool ${c.pool!.name}`, confirmLabel: 'Stop',
      message: [`Stop ${c.pool!.name}: its volumes cannot be used or listed until it is started again. Nothing is deleted.`,
        ...(c.pool!.persistent ? [] : [`${c.pool!.name} is transient: it disappears when it stops.`])],
    }, ['pool-destroy', '--pool', c.pool!.name]),
  },
  { keys: ['f'], label: 'refresh', help: 'refresh: rescan its volumes', mutates: true, when: (c) => !!c.pool?.active, run: (c) => { void c.host.action(['pool-refresh', '--pool', c.pool!.name]); } },
  ...autostartKeys<PoolCtx>('pool-autostart', '--pool', (c) => c.pool),
  {
    keys: ['X'], label: 'undefine', help: 'undefine an inactive pool: remove its definition, keep its data (asks; you type the name)', mutates: true, dangerous: true,
    when: (c) => !!c.pool?.persistent && !c.pool.active,
    run: (c) => confirmThen(c, {
      title: `Undefine pool ${c.pool!.name}`, confirmLabel: 'Undefine', typeToConfirm: c.pool!.name,
      message: [`Undefine ${c.pool!.name}: its definition is removed from libvirt. ${c.pool!.path ? `The data in ${c.pool!.path} stays.` : 'Its data stays.'}`],
    }, ['pool-undefine', '--pool', c.pool!.name]),
  },
  { keys: ['F'], label: 'from file', help: 'define a pool from an XML file', mutates: true, bulk: false, footer: false, run: (c) => defineFromFile(c.host, 'pool') },
  {
    keys: ['b'], label: 'build', help: 'build the pool: make its directory; for fs, disk and logical pools this formats the device (asks)', mutates: true, dangerous: true,
    when: (c) => !!c.pool && !c.pool.active,
    run: async (c) => {
      const p = c.pool!;
      const warn = BUILD_WARNINGS[p.type as PoolType];
      if (warn) await confirmThen(c, { title: `Build pool ${p.name}`, confirmLabel: 'Build', typeToConfirm: p.name, message: [warn(p.source || p.name)] }, ['pool-build', '--pool', p.name], 600_000);
      else await c.host.action(['pool-build', '--pool', p.name], { timeoutMs: 600_000 });
    },
  },
  {
    keys: ['W'], label: 'delete storage', help: 'pool-delete: remove the pool\'s storage itself (its directory, VG ...); the pool must be stopped (asks; names the path)', mutates: true, dangerous: true,
    when: (c) => !!c.pool && !c.pool.active,
    run: (c) => confirmThen(c, {
      title: `Delete the storage of pool ${c.pool!.name}`, confirmLabel: 'Delete', typeToConfirm: c.pool!.name,
      message: [`pool-delete removes ${deletedStorage(c.pool!)} from the host${c.pool!.type === 'dir' ? ' (the directory must be empty)' : ''}. It cannot be undone.`,
        'The pool stays defined (X undefines it).'],
    }, ['pool-delete', '--pool', c.pool!.name]),
  },
  editKey<PoolCtx>('pool', (c) => c.pool),
];

/** `n`: the create form */
export const POOL_CREATE: KindCreate<PoolCtx> = {
  key: 'n', help: 'define a pool (dir, fs, netfs, logical, disk) with pool-define-as', run: (c) => createPool(c.host, c.pools),
};
