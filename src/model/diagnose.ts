// Reads the facts the Diagnose tab and `:lint` judge (src/libvirt/diagnose.ts): through the
// connection's session, and on a local host the files themselves (a disk's source, the QEMU log).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VirshError } from '../virsh/errors.ts';
import { decodeCell, domainArg, parseKeyValues, parseUuidNames } from '../libvirt/parse.ts';
import { parseVolList } from '../libvirt/volxml.ts';
import type { Domain } from '../libvirt/types.ts';
import { parseDomblkerror, parseDomstateReason } from '../libvirt/guest.ts';
import { parsePreflightXml, type DiagFacts, type DiskFact, type LintWorld, type NetFact, type PoolFact } from '../libvirt/diagnose.ts';
import { isTestDriver } from '../libvirt/uri.ts';

export interface DiagHost {
  uri: string;
  run(args: readonly string[]): Promise<string>;
}

const quiet = <T>(p: Promise<T>): Promise<T | undefined> => p.catch((e) => { if (e instanceof VirshError) return undefined; throw e; });

/** Where this connection's host keeps QEMU's logs, when it is this machine; '' when it is not. */
export function localLogDir(uri: string): string {
  if (/^qemu:\/\/\/system(\?|$)/.test(uri)) return '/var/log/libvirt/qemu';
  if (/^qemu:\/\/\/session(\?|$)/.test(uri)) return join(homedir(), '.cache', 'libvirt', 'qemu', 'log');
  return '';
}

/** the files of this connection's host can be looked at from here (not the test driver's made-up paths) */
const local = (uri: string) => !!localLogDir(uri);

/** The last `n` lines of a domain's QEMU log, or why it cannot be read. */
export function logTail(uri: string, name: string, n = 15): { lines?: string[]; note?: string } {
  const dir = localLogDir(uri);
  if (!dir) return { note: `the QEMU log is on the host (${isTestDriver(uri) ? 'the test driver has none' : 'not this machine: virtui cannot read it remotely'})` };
  const file = join(dir, `${name}.log`);
  try {
    const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
    return { lines: lines.slice(-n), note: file };
  } catch (e) {
    return { note: `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no log yet' : (e as Error).message}` };
  }
}

const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));

async function poolFact(h: DiagHost, name: string): Promise<PoolFact> {
  let missing = false;
  const info = await h.run(['pool-info', '--pool', name, '--bytes']).catch((e) => {
    if (!(e instanceof VirshError)) throw e;
    missing = /no storage pool with matching name|pool not found/i.test(`${e.line}\n${e.stderr}`);
    return undefined;
  });
  if (info === undefined) return { name, active: false, ...(missing ? { missing } : {}) };
  const kv = new Map(parseKeyValues(info));
  return { name, active: kv.get('State') === 'running', capacity: num(kv.get('Capacity')), available: num(kv.get('Available')) };
}

async function netFact(h: DiagHost, name: string): Promise<NetFact> {
  const info = await quiet(h.run(['net-info', '--network', name]));
  if (info === undefined) return { name, active: false, missing: true };
  return { name, active: new Map(parseKeyValues(info)).get('Active') === 'yes' };
}

/** whether a file exists: looked at on a local host, asked of libvirt (a pool's volume) elsewhere */
async function exists(h: DiagHost, path: string): Promise<boolean | undefined> {
  if (local(h.uri)) return existsSync(path);
  return (await quiet(h.run(['vol-info', '--vol', path]))) !== undefined ? true : undefined;
}

async function diskFact(h: DiagHost, d: ReturnType<typeof parsePreflightXml>['disks'][number]): Promise<DiskFact> {
  let path = d.path;
  let pool = d.pool;
  let exists_: boolean | undefined;
  if (d.pool && d.volume) {
    // --vol: a volume named like an option (--help) is still a volume
    const p = await quiet(h.run(['vol-path', '--pool', d.pool, '--vol', d.volume]));
    path = p?.trim() ?? '';
    exists_ = p !== undefined;
  } else if (path) {
    exists_ = await exists(h, path);
    pool = (await quiet(h.run(['vol-pool', '--vol', path])))?.trim() ?? '';
  }
  const backing: DiskFact['backing'] = [];
  if (path && exists_) {
    const xml = await quiet(h.run(['vol-dumpxml', '--vol', path]));
    const b = xml && /<backingStore>[\s\S]*?<path>([^<]+)<\/path>/.exec(xml)?.[1];
    if (b) backing.push({ path: b, exists: await exists(h, b) });
  }
  const source = d.pool ? `${d.pool}/${d.volume}` : d.path;
  return { target: d.target, source, exists: source ? exists_ : d.removable ? true : undefined, backing, pool, removable: d.removable };
}

/** Everything the Diagnose tab shows about one domain. */
export async function diagFacts(h: DiagHost, dom: Domain, events: Array<{ t: number; text: string }>): Promise<DiagFacts> {
  const d = domainArg(dom);
  const [stateText, xml, blk, mem] = await Promise.all([
    quiet(h.run(['domstate', '--domain', d, '--reason'])),
    h.run(['dumpxml', '--inactive', '--domain', d]),
    dom.state === 'paused' ? quiet(h.run(['domblkerror', '--domain', d])) : Promise.resolve(undefined),
    dom.id === null ? quiet(h.run(['nodememstats'])) : Promise.resolve(undefined),
  ]);
  const x = parsePreflightXml(xml);
  const disks = await Promise.all(x.disks.map((disk) => diskFact(h, disk)));
  const poolNames = [...new Set(disks.map((k) => k.pool).filter(Boolean))];
  const [pools, networks] = await Promise.all([
    Promise.all(poolNames.map((p) => poolFact(h, p))),
    Promise.all([...new Set(x.networks.filter(Boolean))].map((n) => netFact(h, n))),
  ]);
  let hostFreeKiB: number | undefined;
  if (mem) {
    const kv = new Map(parseKeyValues(mem).map(([k, v]) => [k, Number(v.replace(/\s*KiB$/, ''))]));
    hostFreeKiB = (kv.get('free') ?? 0) + (kv.get('buffers') ?? 0) + (kv.get('cached') ?? 0);
  }
  let emulatorError: string | undefined;
  if (dom.id === null && x.emulator && /^qemu/.test(h.uri)) {
    emulatorError = await h.run(['domcapabilities', '--emulatorbin', x.emulator]).then(() => '', (e) => {
      if (!(e instanceof VirshError)) throw e;
      return /No such file|Cannot check QEMU binary/i.test(e.stderr || e.line) ? e.line : '';
    });
  }
  const tail = dom.state === 'shut off' || dom.state === 'crashed' ? logTail(h.uri, dom.name) : {};
  return {
    name: dom.name, state: dom.state, reason: stateText ? parseDomstateReason(stateText) : { state: dom.state, reason: '' },
    blkErrors: blk ? parseDomblkerror(blk) : [], disks, pools, networks, memoryKiB: x.memoryKiB, hostFreeKiB,
    emulator: x.emulator, emulatorError, logTail: tail.lines, logNote: tail.note, events,
  };
}

/** The names of a `--name` listing (virsh 9 pads them with spaces). */
const names = (t: string | undefined) => (t ?? '').split('\n').map((l) => l.trimEnd()).filter(Boolean);

/** Everything `:lint` judges, host-wide. */
export async function lintWorld(h: DiagHost): Promise<LintWorld> {
  const [all, active, nodeinfo, nets, netsActive, netsAuto, pools, poolsActive, poolsAuto, uuids] = await Promise.all([
    h.run(['list', '--all', '--name']), h.run(['list', '--name']), h.run(['nodeinfo']),
    quiet(h.run(['net-list', '--all', '--name'])), quiet(h.run(['net-list', '--name'])), quiet(h.run(['net-list', '--all', '--autostart', '--name'])),
    quiet(h.run(['pool-list', '--all', '--name'])), quiet(h.run(['pool-list', '--name'])), quiet(h.run(['pool-list', '--all', '--autostart', '--name'])),
    quiet(h.run(['list', '--all', '--uuid', '--name'])),
  ]);
  // a domain named like an ID or a UUID is read through its UUID (domainArg), not the domain with that ID
  const uuidOf = new Map(parseUuidNames(uuids ?? '').map((u) => [u.name, u.uuid]));
  const on = new Set(names(active));
  const ni = new Map(parseKeyValues(nodeinfo));
  const poolFacts = await Promise.all(names(pools).map((p) => poolFact(h, p)));
  const volumes = (await Promise.all(names(poolsActive).map(async (pool) => {
    // vol-list has no --name: its escaped cells are decoded
    const rows = parseVolList((await quiet(h.run(['vol-list', '--pool', pool]))) ?? '');
    return rows.map((r) => ({ pool, name: decodeCell(r.name), path: decodeCell(r.path) }));
  }))).flat();
  // a backing file is used by the volumes above it: not "unused"
  const backing = new Set((await Promise.all(volumes.map(async (v) => {
    const xml = await quiet(h.run(['vol-dumpxml', '--pool', v.pool, '--vol', v.name]));
    return xml ? /<backingStore>[\s\S]*?<path>([^<]+)<\/path>/.exec(xml)?.[1] : undefined;
  }))).filter((p): p is string => !!p));
  const byPoolVol = new Map(volumes.map((v) => [`${v.pool}/${v.name}`, v.path]));
  const byPath = new Map(volumes.map((v) => [v.path, v.pool]));
  const domains = await Promise.all(names(all).map(async (name) => {
    const d = domainArg({ name, uuid: uuidOf.get(name) });
    const [xml, internal, external] = await Promise.all([
      h.run(['dumpxml', '--inactive', '--domain', d]),
      quiet(h.run(['snapshot-list', '--domain', d, '--internal', '--name'])),
      quiet(h.run(['snapshot-list', '--domain', d, '--external', '--name'])),
    ]);
    const x = parsePreflightXml(xml);
    const diskPaths = x.disks.map((k) => (k.pool ? byPoolVol.get(`${k.pool}/${k.volume}`) ?? '' : k.path)).filter(Boolean);
    const inPools = [...new Set([...x.disks.map((k) => k.pool), ...diskPaths.map((p) => byPath.get(p) ?? '')].filter(Boolean))];
    return {
      name, active: on.has(name), agent: x.agent, vcpus: x.vcpus, memoryKiB: x.memoryKiB, diskPaths, pools: inPools,
      snapshots: { internal: names(internal).length, external: names(external).length },
    };
  }));
  const netOn = new Set(names(netsActive));
  const netAuto = new Set(names(netsAuto));
  const poolAuto = new Set(names(poolsAuto));
  return {
    host: { cpus: Number(ni.get('CPU(s)') ?? 0), memoryKiB: Number((ni.get('Memory size') ?? '0').replace(/\s*KiB$/, '')) },
    domains, volumes: volumes.filter((v) => !backing.has(v.path)),
    networks: names(nets).map((n) => ({ name: n, active: netOn.has(n), autostart: netAuto.has(n) })),
    pools: poolFacts.map((p) => ({ ...p, autostart: poolAuto.has(p.name) })),
  };
}
