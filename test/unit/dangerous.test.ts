// Every kind's action table, in every state its object can be in: what can destroy data asks
// first (a dangerous question that names the object), runs nothing after a No, and is flagged
// `dangerous` (the help marks it "[asks first]").
import test from 'ava';
import { DOMAIN_ACTIONS, type DomainCtx } from '../../screens/domains/actions.ts';
import { NETWORK_ACTIONS, type NetworkCtx } from '../../screens/networks/actions.ts';
import { POOL_ACTIONS, type PoolCtx } from '../../screens/pools/actions.ts';
import { VOLUME_ACTIONS, type VolumeCtx } from '../../screens/volumes/actions.ts';
import { SNAPSHOT_ACTIONS, type SnapshotCtx } from '../../screens/snapshots/actions.ts';
import { available, type KeyAction } from '../../src/ui/keymap.ts';
import type { ActionHost } from '../../screens/kit/list.ts';
import type { DialogSpec } from '../../src/ui/dialog.ts';
import type { FormSpec, FormValues } from '../../src/ui/form.ts';
import type { Domain, DomainState } from '../../src/libvirt/types.ts';
import type { Network } from '../../src/model/networks.ts';
import type { Pool } from '../../src/model/pools.ts';
import type { Volume } from '../../src/model/volumes.ts';
import type { Snapshot } from '../../src/model/snapshots.ts';
import { fakeActionHost } from '../helpers.ts';
import { kindKeys } from '../../screens/kit/kind.ts';
import { DOMAIN_KIND } from '../../screens/domains/kind.ts';
import { NETWORK_KIND } from '../../screens/networks/kind.ts';
import { POOL_KIND } from '../../screens/pools/kind.ts';
import { VOLUME_KIND } from '../../screens/volumes/kind.ts';
import { SNAPSHOT_KIND } from '../../screens/snapshots/kind.ts';

/** commands that lose data, a running guest's memory, a definition, or a connection */
const DESTROYING = new Set([
  'destroy', 'undefine', 'reset', 'managedsave-remove',
  'net-destroy', 'net-undefine',
  'pool-destroy', 'pool-delete', 'pool-undefine',
  'vol-delete', 'vol-wipe',
  'snapshot-delete', 'snapshot-revert',
]);
/** pool types whose build formats a device (a dir pool's build only makes a directory) */
const BUILD_FORMATS = new Set(['fs', 'disk', 'logical']);

function destroys(args: readonly string[], poolType: string): boolean {
  const cmd = args[0]!;
  if (cmd === 'pool-build') return BUILD_FORMATS.has(poolType);
  if (cmd === 'vol-resize') return args.includes('--shrink');
  return DESTROYING.has(cmd);
}

/** one state of one object: the context for the table, the name a question must mention */
interface Case<C> { what: string; name: string; poolType?: string; ctx: (host: ActionHost) => C; forms?: FormValues[] }

type Event = { ask: DialogSpec } | { run: string[] };

/** Runs `a` answering every question with `yes`; forms get their defaults, then `values`. */
async function runAction<C>(a: KeyAction<C>, c: Case<C>, yes: boolean, values: FormValues): Promise<Event[]> {
  const events: Event[] = [];
  let forms = 0;
  const fake = fakeActionHost(() => ({ confirmed: yes }), {
    // undefine looks for snapshots and UEFI variables: it has both
    'snapshot-list': 'one\ntwo\n', dumpxml: '<domain><os><nvram>/var/lib/libvirt/qemu/nvram/x.fd</nvram></os></domain>',
  // a form that comes back (define from a file that cannot be read) is cancelled the second time
  }, (_spec: FormSpec) => (++forms > 2 ? { submitted: false } : { values }));
  const host: ActionHost = {
    ...fake.host,
    ask: (spec) => { events.push({ ask: spec }); return fake.host.ask(spec); },
    action: (args, opts) => { events.push({ run: args }); return fake.host.action(args, opts); },
  };
  await a.run(c.ctx(host));
  // actions that do not wait for their command (start, shutdown ...) have called action() by now
  return events;
}

const asks = (e: Event): e is { ask: DialogSpec } => 'ask' in e;
const runs = (e: Event): e is { run: string[] } => 'run' in e;
const text = (s: DialogSpec) => [s.title, ...s.message].join(' ');

/** Every problem found, so that one run lists them all. */
async function walk<C>(kind: string, table: readonly KeyAction<C>[], cases: Case<C>[]): Promise<string[]> {
  const problems: string[] = [];
  const flaggedAsked = new Set<KeyAction<C>>();
  for (const c of cases) {
    for (const a of available(table, c.ctx(fakeActionHost().host), false)) {
      const at = `${kind} ${c.what}: ${a.keys[0]} ${a.label}`;
      for (const values of [{}, ...(c.forms ?? [])]) {
        const yes = await runAction(a, c, true, values);
        const no = await runAction(a, c, false, values);
        const firstDanger = yes.findIndex((e) => asks(e) && !!e.ask.dangerous);
        yes.forEach((e, i) => {
          if (!runs(e) || !destroys(e.run, c.poolType ?? '')) return;
          // a form that creates something may build it (format a device): it asks then, but the key itself loses nothing
          if (!a.dangerous && a.label !== 'new') problems.push(`${at}: runs ${e.run.join(' ')} but is not flagged dangerous`);
          if (firstDanger < 0 || firstDanger > i) problems.push(`${at}: runs ${e.run.join(' ')} without a dangerous question first`);
        });
        const q = no.findIndex((e) => asks(e) && !!e.ask.dangerous);
        if (q < 0) continue;
        const spec = (no[q] as { ask: DialogSpec }).ask;
        if (a.dangerous) flaggedAsked.add(a);
        if (!text(spec).includes(c.name)) problems.push(`${at}: the question does not name ${c.name}: ${text(spec)}`);
        // a No to a new pool's build leaves the pool defined: what follows may not destroy; elsewhere No runs nothing
        const after = no.slice(q + 1).filter(runs).filter((e) => a.label !== 'new' || destroys(e.run, c.poolType ?? '')).map((e) => e.run.join(' '));
        if (after.length) problems.push(`${at}: No still runs ${after.join('; ')}`);
      }
    }
  }
  // a flag that never asks is a wrong mark in the help
  for (const a of table) if (a.dangerous && !flaggedAsked.has(a)) problems.push(`${kind}: ${a.keys[0]} ${a.label} is flagged dangerous but never asked`);
  if (!flaggedAsked.size) problems.push(`${kind}: no dangerous question was asked at all`);
  return [...new Set(problems)];
}

test('domains: in every state, what destroys asks, names the domain and runs nothing on No', async (t) => {
  const name = 'vm-7q';
  const dom = (state: DomainState, extra: Partial<Domain> = {}): Domain => ({
    name, id: state === 'shut off' ? null : 4, state, autostart: false, persistent: true, managedSave: false, ...extra,
  });
  const doms: Array<[string, Domain]> = [
    ['running', dom('running')], ['paused', dom('paused')], ['shut off', dom('shut off')], ['crashed', dom('crashed')],
    ['pmsuspended', dom('pmsuspended')], ['shut off with a managed save', dom('shut off', { managedSave: true, autostart: true })],
    ['running, transient', dom('running', { persistent: false })], ['paused, transient', dom('paused', { persistent: false })],
  ];
  t.deepEqual(await walk<DomainCtx>('domain', kindKeys(DOMAIN_KIND), doms.map(([what, d]) => ({ what, name, ctx: (host) => ({ host, dom: d }) }))), []);
});

test('networks: active, inactive, transient: what destroys asks, names the network and runs nothing on No', async (t) => {
  const name = 'net-7q';
  const net = (active: boolean, persistent = true): Network => ({
    name, uuid: '', forward: 'nat', bridge: 'virbr7', ipv4: '10.7.0.1/24', dhcp: '', ipv6: [], active, autostart: false, persistent,
  });
  const nets: Array<[string, Network]> = [['active', net(true)], ['inactive', net(false)], ['active, transient', net(true, false)]];
  t.deepEqual(await walk<NetworkCtx>('network', kindKeys(NETWORK_KIND), nets.map(([what, n]) => ({ what, name, ctx: (host) => ({ host, net: n, networks: [n] }) }))), []);
});

test('pools: every type, active or not: what destroys (a build that formats too) asks, names the pool and runs nothing on No', async (t) => {
  const name = 'pool-7q';
  const cases: Case<PoolCtx>[] = [];
  for (const type of ['dir', 'fs', 'netfs', 'logical', 'disk']) {
    for (const [what, active, persistent] of [['active', true, true], ['inactive', false, true], ['active, transient', true, false]] as const) {
      const pool: Pool = { name, type, path: type === 'disk' || type === 'logical' ? '' : '/srv/pool-7q', source: type === 'dir' ? '' : '/dev/vdz', active, autostart: false, persistent };
      cases.push({
        what: `${type}, ${what}`, name, poolType: type, ctx: (host) => ({ host, pool, pools: [pool] }),
        // the new-pool form, of this type and built
        forms: [{ name, type, sourceDev: '/dev/vdz', sourceName: 'vg7q', sourceHost: 'nfs.example', sourcePath: '/srv', target: '/srv/pool-7q', build: 'yes' }],
      });
    }
  }
  t.deepEqual(await walk<PoolCtx>('pool', kindKeys(POOL_KIND), cases), []);
});

test('volumes: used by a running domain, by a stopped one, by none; shrink and grow: what destroys asks, names the volume and runs nothing on No', async (t) => {
  const name = 'vol-7q.qcow2';
  const vol = (usedBy: Volume['usedBy']): Volume => ({
    name, type: 'file', key: `/srv/${name}`, path: `/srv/${name}`, format: 'qcow2', capacity: 10 * 1024 ** 3, allocation: 1024 ** 3, backing: '', backingFormat: '', pool: 'default', usedBy,
  });
  const vols: Array<[string, Volume]> = [
    ['unused', vol([])], ['used by a running domain', vol([{ domain: 'web-01', target: 'vda', running: true }])],
    ['used by a stopped domain', vol([{ domain: 'web-01', target: 'vda', running: false }])],
  ];
  t.deepEqual(await walk<VolumeCtx>('volume', kindKeys(VOLUME_KIND), vols.map(([what, v]) => ({
    what, name, ctx: (host) => ({ host, vol: v, pool: 'default', poolActive: true, volumes: [v] }),
    // a resize to less (a shrink) and to more
    forms: [{ capacity: '1G' }, { capacity: '20G' }],
  }))), []);
});

test('snapshots: with and without children, of a running or stopped domain: revert and delete ask, name the snapshot and run nothing on No', async (t) => {
  const name = 'snap-7q';
  const snap = (over: Partial<Snapshot> = {}): Snapshot => ({
    name, parent: '', created: '2026-11-22 02:48:19 +0000', state: 'running', description: '', memory: true, diskOnly: false, current: true, ...over,
  });
  const child: Snapshot = { ...snap(), name: 'child-of-7q', parent: name, current: false };
  const cases: Case<SnapshotCtx>[] = [];
  for (const domainState of ['running', 'paused', 'shut off']) {
    for (const [what, s, all] of [['no children', snap(), [snap()]], ['with children', snap(), [snap(), child]], ['disk only', snap({ memory: false, diskOnly: true, state: 'shut off' }), [snap()]]] as const) {
      cases.push({ what: `${what}, domain ${domainState}`, name, ctx: (host) => ({ host, snap: s, domain: 'web-01', domainState, snapshots: all }) });
    }
  }
  t.deepEqual(await walk<SnapshotCtx>('snapshot', kindKeys(SNAPSHOT_KIND), cases), []);
});
