// The volumes of one pool (`:vol [POOL]`, or Enter on a pool), a kind declared once: a store per
// pool; [ and ] go to the previous/next pool; Enter shows a volume, its XML and qemu-img's view.
import type { Connection } from '../../src/model/connection.ts';
import { VolumeStore, type Volume } from '../../src/model/volumes.ts';
import { humanKiB, plural } from '../../src/ui/text.ts';
import { runOnce } from '../../src/virsh/spawn.ts';
import { isLocalUri, isTestDriver } from '../../src/libvirt/uri.ts';
import type { KindEnv, KindSpec } from '../kit/kind.ts';
import { VOLUME_COLUMNS, volumeColor, volumeLines } from './columns.ts';
import { VOLUME_ACTIONS, VOLUME_CREATE, type VolumeCtx } from './actions.ts';

/** The pool the volumes screen opens on: the one asked for, else "default", else the first active one. */
export function pickPool(conn: Connection, asked?: string): string {
  if (asked) return asked;
  const pools = conn.pools.pools;
  return (pools.find((p) => p.name === 'default' && p.active) ?? pools.find((p) => p.active) ?? pools[0])?.name ?? 'default';
}

/** pool `pool`'s volumes on `conn`, kept across visits; a failed list says why on the status line */
function volumeStore(conn: Connection, pool: string): VolumeStore {
  return conn.cache(`volumes:${pool}`, () => {
    const users = () => conn.domains.domains.map((d) => ({ name: d.name, uuid: d.uuid, running: d.state !== 'shut off' }));
    const s = new VolumeStore(conn, pool, users);
    // a stopped pool cannot list: its table says so already
    s.on('failed', (e: { line: string; hint: string }) => { if (conn.pools.get(pool)?.active ?? true) conn.setStatus({ kind: 'error', text: `vol-list ${pool}: ${e.line}`, hint: e.hint }); });
    return s;
  });
}

const poolOf = (env: KindEnv<Volume>) => env.conn.pools.get(env.arg);
/** unknown (not listed yet, or no such pool) counts as active: the list is asked for and says */
const poolActive = (env: KindEnv<Volume>) => poolOf(env)?.active ?? true;

export const VOLUME_KIND: KindSpec<Volume, VolumeCtx> = {
  name: 'volumes',
  title: 'Volumes',
  aliases: ['vol', 'vols', 'volume', 'volumes'],
  noun: 'volume',
  arg: { name: 'POOL', noun: 'pool', pick: pickPool, step: (conn) => conn.pools.pools.map((p) => p.name) },
  store: volumeStore,
  // whether the pool is active is known only once the pools are listed
  refresh: async (env) => {
    if (!env.conn.pools.loaded) await env.conn.pools.refresh();
    if (poolActive(env)) await env.store.refresh();
    else env.ctx.requestRender();
  },
  unavailable: (env) => (poolActive(env) ? undefined : `pool ${env.arg} is not active: start it on the pools screen (:pool, u)`),
  emptyText: (_store, env) => (!poolOf(env) && env.conn.pools.loaded ? `there is no pool ${env.arg} (] shows the next pool)` : undefined),
  columns: VOLUME_COLUMNS,
  color: volumeColor,
  actions: VOLUME_ACTIONS,
  create: VOLUME_CREATE,
  context: (env, vol) => ({ host: env.host, vol, pool: env.arg, poolActive: poolActive(env), poolFree: poolOf(env)?.available, volumes: env.store.items }),
  summary: (all, _store, env) => {
    const p = poolOf(env);
    return `${plural(all.length, 'volume')}${p?.capacity ? `, pool ${humanKiB((p.allocation ?? 0) / 1024)} of ${humanKiB(p.capacity / 1024)} used` : ''}`;
  },
  tabs: (env, name) => {
    const get = () => env.store.get(name);
    return [
      { name: 'Overview', load: async () => { await env.store.refresh(); const v = get(); return v ? volumeLines(v) : [`volume ${name} is no longer in pool ${env.arg}`]; } },
      { name: 'XML', load: async () => (await env.conn.run(['vol-dumpxml', '--pool', env.arg, '--vol', name])).replace(/\n$/, '').split('\n') },
      { name: 'qemu-img', load: () => imageChain(env.conn, get()) },
    ];
  },
  detailStatus: (_v, env) => `pool ${env.arg}`,
};

/** `qemu-img info -U --backing-chain` (-U: the image may be open by a running guest) */
async function imageChain(conn: Connection, v: Volume | undefined): Promise<string[]> {
  if (!v) return ['the volume is gone'];
  if (!isLocalUri(conn.uri)) return [`qemu-img runs on this machine; ${conn.uri} ${isTestDriver(conn.uri) ? 'is the test driver: its volumes are not real files' : 'is another host'}.`];
  if (v.type !== 'file' && v.type !== 'block') return [`qemu-img cannot read a ${v.type} volume from here.`];
  const r = await runOnce('qemu-img', ['info', '-U', '--backing-chain', v.path], { timeoutMs: 30_000 });
  const text = `${r.stdout}${r.exitCode ? r.stderr : ''}`.replace(/\n+$/, '');
  return [`$ qemu-img info -U --backing-chain ${v.path}`, '', ...text.split('\n')];
}
