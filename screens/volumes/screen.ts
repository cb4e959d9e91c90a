// The volumes of one pool (`:vol [POOL]`, or Enter on a pool). [ and ] go to the previous/next pool.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { VolumeStore, type Volume } from '../../src/model/volumes.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { humanKiB, plural } from '../../src/ui/text.ts';
import { runOnce } from '../../src/virsh/spawn.ts';
import { ListView, stepName } from '../kit/list.ts';
import { actionHost } from '../domains/screen.ts';
import { TabbedView, fieldLines } from '../kit/tabbed.ts';
import { VOLUME_COLUMNS, volumeRow, sortVolumes, usedByText } from './columns.ts';
import { isLocalUri } from '../../src/libvirt/uri.ts';
import { VOLUME_ACTIONS, type VolumeCtx } from './actions.ts';

const NONE: Volume[] = [];


/** The volume's overview lines. Pure. */
export function volumeLines(v: Volume): string[] {
  // the bytes through BigInt: a number prints 99999T as 109950063265972220 (its last digits lost)
  const size = (b: number | undefined) => (b === undefined ? '-' : `${humanKiB(b / 1024)} (${Number.isInteger(b) ? BigInt(b) : b} bytes)`);
  return [
    'Volume',
    ...fieldLines([
      ['Name', v.name], ['Pool', v.pool], ['Type', v.type], ['Format', v.format || '-'], ['Path', v.path || '-'], ['Key', v.key || '-'],
      ['Capacity', size(v.capacity)], ['Allocation', size(v.allocation)],
      ['Backing file', v.backing ? `${v.backing}${v.backingFormat ? ` (${v.backingFormat})` : ''}` : '-'],
      ['Used by', usedByText(v) || 'no domain'],
    ]),
  ];
}

/** The pool the volumes screen opens on: the one asked for, else "default", else the first active one. */
export function pickPool(conn: Connection, asked?: string): string {
  if (asked) return asked;
  const pools = conn.pools.pools;
  return (pools.find((p) => p.name === 'default' && p.active) ?? pools.find((p) => p.active) ?? pools[0])?.name ?? 'default';
}

export function volumesView(app: ScreenContext, conn: Connection, poolName?: string): ListView<Volume, VolumeCtx> {
  const users = () => conn.domains.domains.map((d) => ({ name: d.name, uuid: d.uuid, running: d.state !== 'shut off' }));
  let store = new VolumeStore(conn, pickPool(conn, poolName), users);
  const watch = (s: VolumeStore) => {
    s.on('change', () => app.requestRender());
    s.on('failed', (e: { line: string; hint: string }) => { if (s === store && poolActive()) conn.setStatus({ kind: 'error', text: `vol-list ${s.pool}: ${e.line}`, hint: e.hint }); });
  };
  watch(store);
  const pool = () => conn.pools.get(store.pool);
  const poolActive = () => pool()?.active ?? true;
  const refresh = async () => {
    if (!conn.pools.loaded) await conn.pools.refresh();
    if (poolActive()) await store.refresh();
    else app.requestRender();
  };
  const base = actionHost(app, conn);
  const host: VolumeCtx['host'] = {
    ...base,
    openDetail: (name) => {
      const get = () => store.get(name);
      const p = store.pool;
      app.push(new TabbedView<VolumeCtx>(app, conn, `Volume ${name}`, [
        { name: 'Overview', load: async () => { await store.refresh(); const v = get(); return v ? volumeLines(v) : [`volume ${name} is no longer in pool ${p}`]; } },
        { name: 'XML', load: async () => (await conn.run(['vol-dumpxml', '--pool', p, '--vol', name])).replace(/\n$/, '').split('\n') },
        { name: 'qemu-img', load: () => imageChain(conn, get()) },
      ], VOLUME_ACTIONS.filter((a) => !a.keys.includes('enter')), () => ctx(get()), () => `pool ${p}`));
    },
  };
  const ctx = (vol: Volume | undefined): VolumeCtx => ({ host, vol, pool: store.pool, poolActive: poolActive(), poolFree: pool()?.available, volumes: store.volumes });
  const cycle = (step: number) => {
    const next = stepName(conn.pools.pools.map((p) => p.name), store.pool, step);
    if (next === undefined) return;
    store = new VolumeStore(conn, next, users);
    watch(store);
    void refresh();
    app.requestRender();
  };
  const poolKeys: KeyAction<VolumeCtx>[] = [
    { keys: [']'], label: 'next pool', help: 'the volumes of the next pool', run: () => cycle(1) },
    { keys: ['['], label: 'prev pool', help: 'the volumes of the previous pool', footer: false, run: () => cycle(-1) },
  ];
  return new ListView<Volume, VolumeCtx>(app, conn, {
    get title() { return `Volumes of ${store.pool}`; },
    noun: 'volume',
    columns: VOLUME_COLUMNS,
    items: () => (poolActive() ? store.volumes : NONE),
    loaded: () => store.loaded || !poolActive(),
    emptyText: () => (!pool() && conn.pools.loaded ? `there is no pool ${store.pool} (] shows the next pool)` : !poolActive() ? `pool ${store.pool} is not active: start it on the pools screen (:pool, u)` : undefined),
    key: (v) => v.name,
    row: volumeRow,
    sort: sortVolumes,
    actions: [...VOLUME_ACTIONS, ...poolKeys],
    context: ctx,
    summary: (all) => {
      const p = pool();
      return `${plural(all.length, 'volume')}${p?.capacity ? `, pool ${humanKiB((p.allocation ?? 0) / 1024)} of ${humanKiB(p.capacity / 1024)} used` : ''}`;
    },
    open: (v) => host.openDetail(v.name),
    refresh,
  });
}

/** `qemu-img info -U --backing-chain` (-U: the image may be open by a running guest) */
async function imageChain(conn: Connection, v: Volume | undefined): Promise<string[]> {
  if (!v) return ['the volume is gone'];
  if (!isLocalUri(conn.uri)) return [`qemu-img runs on this machine; ${conn.uri} ${conn.uri.startsWith('test:') ? 'is the test driver: its volumes are not real files' : 'is another host'}.`];
  if (v.type !== 'file' && v.type !== 'block') return [`qemu-img cannot read a ${v.type} volume from here.`];
  const r = await runOnce('qemu-img', ['info', '-U', '--backing-chain', v.path], { timeoutMs: 30_000 });
  const text = `${r.stdout}${r.exitCode ? r.stderr : ''}`.replace(/\n+$/, '');
  return [`$ qemu-img info -U --backing-chain ${v.path}`, '', ...text.split('\n')];
}
