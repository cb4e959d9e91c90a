// Migration: the `virsh migrate` arguments, `domjobinfo` read as progress, and the checks made
// before a migration starts (the guest's XML against what the target host says). Pure.
import { xmlParser, first, list, str, type Node } from './xmlnode.ts';
import { parseKeyValues } from './parse.ts';
import { humanBytes } from './units.ts';
import type { VolumeXmlInfo } from './volxml.ts';

export interface MigrateOptions {
  /** the domain as `--domain` takes it (domainArg) */
  domain: string;
  /** the destination URI as the client (virsh, run by virtui) sees it */
  dest: string;
  /** live: a running (or paused) guest moves with its memory; offline: only the definition of a shut-off one */
  kind: 'live' | 'offline';
  persistent: boolean;
  undefineSource: boolean;
  copyStorage: boolean;
  autoConverge: boolean;
  compressed: boolean;
  unsafe: boolean;
  /** MiB/s; 0 or absent: no limit */
  bandwidth?: number;
  /** where the target listens for the memory stream (tcp://ADDRESS[:PORT]); '' lets libvirt choose */
  migrateUri?: string;
}

/** The arguments after `virsh -c SOURCE`. The options that only mean something live are left out of an offline one. */
export function migrateArgs(o: MigrateOptions): string[] {
  const a = ['migrate', o.kind === 'live' ? '--live' : '--offline'];
  if (o.persistent) a.push('--persistent');
  if (o.undefineSource) a.push('--undefinesource');
  if (o.kind === 'live') {
    if (o.copyStorage) a.push('--copy-storage-all');
    if (o.autoConverge) a.push('--auto-converge');
    if (o.compressed) a.push('--compressed');
    if (o.bandwidth && o.bandwidth > 0) a.push('--bandwidth', String(Math.floor(o.bandwidth)));
    if (o.migrateUri?.trim()) a.push('--migrateuri', o.migrateUri.trim());
  }
  if (o.unsafe) a.push('--unsafe');
  a.push('--domain', o.domain, '--desturi', o.dest);
  return a;
}

/** What libvirt would refuse in the options themselves, before asking any host; '' when fine. */
export function optionProblem(o: MigrateOptions, state: string, source = ''): string {
  if (!o.dest.trim()) return 'no target: pick a host or type a URI';
  // (virsh migrate does not even fail there: it waits forever)
  if (/^test:/i.test(source) || /^test:/i.test(o.dest.trim())) return 'the test driver cannot migrate a guest: migrate between real hosts';
  if (o.kind === 'live' && !['running', 'paused'].includes(state)) return `a live migration needs a running guest; ${o.domain} is ${state}: choose offline`;
  if (o.kind === 'offline' && state !== 'shut off') return `an offline migration moves the definition of a shut-off guest; ${o.domain} is ${state}: choose live`;
  if (o.kind === 'offline' && !o.persistent) return 'an offline migration defines the guest on the target: keep "persistent" ticked';
  if (o.bandwidth !== undefined && (!Number.isFinite(o.bandwidth) || o.bandwidth < 0)) return 'the bandwidth is a number of MiB/s';
  if (o.migrateUri?.trim() && !/^[a-z][a-z0-9+]*:\/\/\S+$/i.test(o.migrateUri.trim())) return 'the migration URI looks like tcp://ADDRESS[:PORT]';
  return '';
}

// ---- domjobinfo

export interface JobInfo {
  /** None, Unbounded, Bounded, Completed, Failed, Cancelled */
  type: string;
  operation: string;
  elapsedMs?: number;
  /** bytes */
  dataProcessed?: number;
  dataRemaining?: number;
  dataTotal?: number;
  memProcessed?: number;
  memRemaining?: number;
  memTotal?: number;
  /** bytes per second */
  memBandwidth?: number;
  fileProcessed?: number;
  fileRemaining?: number;
  fileTotal?: number;
  /** pages per second, and the page size in bytes */
  dirtyRate?: number;
  pageSize?: number;
  iteration?: number;
  expectedDowntimeMs?: number;
  totalDowntimeMs?: number;
}

const UNITS: Record<string, number> = { b: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4 };

/** "77.419 MiB" -> bytes; "8.063 MiB/s" -> bytes per second; "11099 ms" -> 11099 */
function amount(v: string | undefined): number | undefined {
  const m = /^(-?\d+(?:\.\d+)?)\s*([KMGT]?i?B)?(?:\/s)?\b/i.exec(v?.trim() ?? '');
  if (!m) return undefined;
  return Number(m[1]) * (m[2] ? UNITS[m[2].toLowerCase()] ?? 1 : 1);
}

const FIELDS: Record<string, keyof JobInfo> = {
  'time elapsed': 'elapsedMs',
  'data processed': 'dataProcessed', 'data remaining': 'dataRemaining', 'data total': 'dataTotal',
  'memory processed': 'memProcessed', 'memory remaining': 'memRemaining', 'memory total': 'memTotal',
  'memory bandwidth': 'memBandwidth',
  'file processed': 'fileProcessed', 'file remaining': 'fileRemaining', 'file total': 'fileTotal',
  'dirty rate': 'dirtyRate', 'page size': 'pageSize', iteration: 'iteration',
  'expected downtime': 'expectedDowntimeMs', 'total downtime': 'totalDowntimeMs',
};

/** `virsh domjobinfo DOMAIN` (also `--completed`) */
export function parseJobInfo(text: string): JobInfo {
  const info: JobInfo = { type: 'None', operation: '' };
  for (const [k, v] of parseKeyValues(text)) {
    const key = k.toLowerCase();
    if (key === 'job type') info.type = v.trim();
    else if (key === 'operation') info.operation = v.trim();
    else if (FIELDS[key]) (info as unknown as Record<string, number | undefined>)[FIELDS[key]] = amount(v);
  }
  return info;
}

/** The bytes done out of the total: the total less what remains (zero pages count as done, not as processed). */
export function jobDone(j: JobInfo): { done: number; total: number } | null {
  if (j.dataTotal === undefined || !j.dataTotal) return null;
  const done = j.dataRemaining !== undefined ? j.dataTotal - j.dataRemaining : j.dataProcessed ?? 0;
  return { done: Math.max(0, done), total: j.dataTotal };
}

/**
 * The progress line: "80.2 MiB/128.8 MiB, 8.0 MiB/s, dirty 0 pages/s, downtime 300 ms, 10.5 s" (done and total
 * give the percentage);
 * null when no job runs (before it starts, after it ended).
 */
export function jobProgress(j: JobInfo): { text: string; done?: number; total?: number } | null {
  if (!/^(unbounded|bounded)$/i.test(j.type)) return null;
  const d = jobDone(j);
  const parts: string[] = [];
  // (the percentage is the bar's, from done and total: the text does not say it again)
  if (d) parts.push(`${humanBytes(d.done)}/${humanBytes(d.total)}`);
  else parts.push('starting');
  if (j.dataRemaining !== undefined && d) parts.push(`${humanBytes(j.dataRemaining)} left`);
  if (j.memBandwidth !== undefined) parts.push(`${humanBytes(j.memBandwidth)}/s`);
  if (j.dirtyRate !== undefined) parts.push(`dirty ${j.dirtyRate} pages/s${j.pageSize && j.dirtyRate ? ` (${humanBytes(j.dirtyRate * j.pageSize)}/s)` : ''}`);
  if (j.iteration !== undefined && j.iteration > 1) parts.push(`pass ${j.iteration}`);
  if (j.expectedDowntimeMs !== undefined) parts.push(`downtime ~${j.expectedDowntimeMs} ms`);
  if (j.elapsedMs !== undefined) parts.push(`${(j.elapsedMs / 1000).toFixed(1)} s`);
  return { text: parts.join(', '), ...(d ?? {}) };
}

// ---- pre-flight

export interface GuestDisk {
  /** vda, hdc */
  target: string;
  device: string;
  /** a file or block device path, '' for a network disk or an empty drive */
  path: string;
  /** a volume-type disk: its pool and volume */
  pool: string;
  volume: string;
  readonly: boolean;
  shareable: boolean;
}

export interface GuestFacts {
  name: string;
  /** qemu, kvm */
  type: string;
  arch: string;
  machine: string;
  cpu: { mode: string; model: string };
  /** KiB */
  memoryKiB: number;
  networks: string[];
  bridges: string[];
  disks: GuestDisk[];
}

const domParser = xmlParser(['disk', 'interface']);
const attr = (n: Node | undefined, k: string) => str(n?.[`@${k}`]);

/** The parts of a domain's XML a migration depends on. */
export function guestFacts(xml: string): GuestFacts {
  const dom = first((domParser.parse(xml) as Node).domain) ?? {};
  const os = first(dom.os);
  const type = first(os?.type);
  const cpu = first(dom.cpu);
  const devices = first(dom.devices);
  const mem = first(dom.currentMemory) ?? first(dom.memory);
  const unit = (attr(mem, 'unit') || 'KiB').toLowerCase();
  const memVal = Number(str(mem)) || 0;
  const memoryKiB = unit === 'mib' ? memVal * 1024 : unit === 'gib' ? memVal * 1024 * 1024 : unit === 'b' || unit === 'bytes' ? memVal / 1024 : memVal;
  const nics = list(devices?.interface);
  return {
    name: str(dom.name),
    type: attr(dom, 'type'),
    arch: attr(type, 'arch'),
    machine: attr(type, 'machine'),
    cpu: { mode: attr(cpu, 'mode') || (cpu?.model !== undefined ? 'custom' : ''), model: str(Array.isArray(cpu?.model) ? cpu.model[0] : cpu?.model) },
    memoryKiB,
    networks: [...new Set(nics.filter((n) => attr(n, 'type') === 'network').map((n) => attr(first(n.source), 'network')).filter(Boolean))],
    bridges: [...new Set(nics.filter((n) => attr(n, 'type') === 'bridge').map((n) => attr(first(n.source), 'bridge')).filter(Boolean))],
    disks: list(devices?.disk).map((d) => {
      const src = first(d.source);
      return {
        target: attr(first(d.target), 'dev'),
        device: attr(d, 'device') || 'disk',
        path: attr(src, 'file') || attr(src, 'dev'),
        pool: attr(src, 'pool'),
        volume: attr(src, 'volume'),
        readonly: d.readonly !== undefined,
        shareable: d.shareable !== undefined,
      };
    }),
  };
}

export interface HostCaps {
  uuid: string;
  hostname?: string;
  /** arch -> the machine types and domain types (qemu, kvm) it runs */
  arches: Map<string, { machines: Set<string>; domains: Set<string> }>;
}

const capsParser = xmlParser(['guest', 'machine', 'domain']);

/** `virsh capabilities`: the host's UUID and what guests it runs. */
export function parseCapabilities(xml: string): HostCaps {
  const caps = first((capsParser.parse(xml) as Node).capabilities) ?? {};
  const host = first(caps.host);
  const arches = new Map<string, { machines: Set<string>; domains: Set<string> }>();
  for (const g of list(caps.guest)) {
    const a = first(g.arch);
    const name = attr(a, 'name');
    if (!name) continue;
    const e = arches.get(name) ?? { machines: new Set<string>(), domains: new Set<string>() };
    for (const m of list(a?.machine)) {
      e.machines.add(str(m));
      if (attr(m, 'canonical')) e.machines.add(attr(m, 'canonical'));
    }
    for (const d of list(a?.domain)) e.domains.add(attr(d, 'type'));
    arches.set(name, e);
  }
  return { uuid: str(host?.uuid), arches };
}

export interface DomCpu {
  /** mode name -> supported */
  modes: Map<string, boolean>;
  /** custom model -> usable ('yes', 'no', 'unknown') */
  models: Map<string, string>;
}

const domcapsParser = xmlParser(['mode', 'model']);

/** The <cpu> of `virsh domcapabilities`: which CPU modes and models the target can give a guest. */
export function parseDomCapsCpu(xml: string): DomCpu {
  const caps = first((domcapsParser.parse(xml) as Node).domainCapabilities) ?? {};
  const modes = new Map<string, boolean>();
  const models = new Map<string, string>();
  for (const m of list(first(caps.cpu)?.mode)) {
    modes.set(attr(m, 'name'), attr(m, 'supported') === 'yes');
    if (attr(m, 'name') === 'custom') for (const x of list(m.model)) models.set(str(x), attr(x, 'usable') || 'unknown');
  }
  return { modes, models };
}

/** What the target host says, read before the migration (absent: could not be read). */
export interface TargetFacts {
  /** the target's name as virtui shows it */
  name: string;
  /** the source host's UUID (from its capabilities), to catch a "migration" to itself */
  sourceUuid?: string;
  caps?: HostCaps;
  cpu?: DomCpu;
  networks?: Array<{ name: string; active: boolean }>;
  pools?: Array<{ name: string; active: boolean; path: string }>;
  /** nodememstats, KiB */
  mem?: Record<string, number>;
  domains?: string[];
  /** each disk path: whether the target has it (in one of its pools, by vol-info) */
  paths?: Map<string, boolean>;
}

// ---- the target volumes of --copy-storage-all

/** a volume virtui creates on the target before the copy: the disk's own name, size and format, in the pool of its directory */
export interface NewVolume {
  /** the guest's device (vda) */
  disk: string;
  path: string;
  pool: string;
  name: string;
  /** bytes */
  capacity: number;
  format: string;
}

export interface VolumePlan {
  create: NewVolume[];
  /** a disk to be copied for which no volume can be made, and what to do */
  problems: Array<{ disk: string; path: string; text: string }>;
}

/** the disks a copy-storage migration copies: those with a path the target does not have (not a read-only cdrom) */
export function disksToCopy(g: GuestFacts, t: TargetFacts): GuestDisk[] {
  return g.disks.filter((d) => d.path && !(d.readonly && d.device === 'cdrom') && t.paths?.get(d.path) === false)
    .filter((d, i, all) => all.findIndex((x) => x.path === d.path) === i);
}

/**
 * Where each disk the target lacks is created before `--copy-storage-all` copies into it: the
 * target's active pool whose directory holds the path, with the name, capacity and format of the
 * source's volume (`vol-dumpxml` on the source; undefined: the source has no volume at that path).
 */
export function volumePlan(g: GuestFacts, t: TargetFacts, source: ReadonlyMap<string, VolumeXmlInfo | undefined>): VolumePlan {
  const plan: VolumePlan = { create: [], problems: [] };
  for (const d of disksToCopy(g, t)) {
    const problem = (text: string) => plan.problems.push({ disk: d.target, path: d.path, text });
    const dir = dirOf(d.path);
    const name = d.path.slice(dir.length + (dir === '/' ? 0 : 1));
    const pools = t.pools?.filter((p) => p.path && p.path.replace(/\/+$/, '') === dir) ?? [];
    const pool = pools.find((p) => p.active);
    const v = source.get(d.path);
    if (!t.pools) problem(`${t.name}'s pools could not be read`);
    else if (!pools.length) problem(`no pool on ${t.name} has the directory ${dir}: define one there (pool-define-as NAME dir --target ${dir}, then pool-build and pool-start), or move the disk to a directory a pool of ${t.name} has`);
    else if (!pool) problem(`${t.name}'s pool ${pools[0]!.name} (${dir}) is not active: start it there`);
    else if (!v || !v.capacity) problem(`its size and format are unknown: the source has no volume at that path (refresh the source's pool of ${dir}, or define one)`);
    else if (!['qcow2', 'raw'].includes(v.format)) problem(`its format is ${v.format || 'not said'}: virtui creates qcow2 and raw volumes only (create it on ${t.name} yourself)`);
    else plan.create.push({ disk: d.target, path: d.path, pool: pool.name, name, capacity: v.capacity, format: v.format });
  }
  return plan;
}

/** `vol-create-as`: a raw one is left sparse (the copy writes it), a qcow2 one grows as it is written */
export function createVolumeArgs(v: NewVolume): string[] {
  return ['vol-create-as', '--pool', v.pool, '--name', v.name, '--capacity', String(Math.round(v.capacity)), '--format', v.format,
    ...(v.format === 'raw' ? ['--allocation', '0'] : [])];
}

export function deleteVolumeArgs(v: NewVolume): string[] {
  return ['vol-delete', '--pool', v.pool, '--vol', v.name];
}

export type CheckLevel = 'ok' | 'warn' | 'fail';
export interface Check { level: CheckLevel; text: string }

const dirOf = (p: string) => p.replace(/\/[^/]*$/, '') || '/';

/**
 * The checks shown before a migration starts: what would make libvirt refuse it or the guest
 * fail on the target, from the guest's XML and what the target host said.
 */
export function preflight(g: GuestFacts, t: TargetFacts, o: Pick<MigrateOptions, 'kind' | 'copyStorage' | 'unsafe'> & { state: string }, plan?: VolumePlan): Check[] {
  const out: Check[] = [];
  const ok = (text: string) => out.push({ level: 'ok', text });
  const warn = (text: string) => out.push({ level: 'warn', text });
  const fail = (text: string) => out.push({ level: 'fail', text });

  if (o.kind === 'live') {
    if (['running', 'paused'].includes(o.state)) ok(`${g.name} is ${o.state}: it moves live`);
    else fail(`${g.name} is ${o.state}: a live migration needs it running (choose offline)`);
  } else if (o.state === 'shut off') ok(`${g.name} is shut off: its definition moves`);
  else fail(`${g.name} is ${o.state}: an offline migration needs it shut off (choose live)`);

  if (t.caps && t.sourceUuid && t.caps.uuid === t.sourceUuid) fail(`${t.name} is the same host as the source (host UUID ${t.caps.uuid})`);
  if (t.domains?.includes(g.name)) fail(`${t.name} already has a domain named ${g.name}`);

  // the CPU and the machine
  if (t.caps) {
    const a = t.caps.arches.get(g.arch);
    if (!a) fail(`arch ${g.arch}: ${t.name} runs no ${g.arch} guests (it has ${[...t.caps.arches.keys()].join(', ') || 'none'})`);
    else {
      if (g.type && !a.domains.has(g.type)) fail(`domain type ${g.type}: ${t.name} offers ${[...a.domains].join(', ') || 'none'} for ${g.arch}`);
      if (g.machine && !a.machines.has(g.machine)) fail(`machine ${g.machine}: ${t.name}'s QEMU does not have it (an older QEMU there?)`);
      if (a && (!g.type || a.domains.has(g.type)) && (!g.machine || a.machines.has(g.machine))) ok(`${g.arch} ${g.type || ''} machine ${g.machine || '(default)'}: ${t.name} runs it`.replace(/\s+/g, ' '));
    }
  } else warn(`${t.name}'s capabilities could not be read: arch and machine not checked`);
  if (t.cpu) {
    const mode = g.cpu.mode || 'custom';
    if (mode === 'host-passthrough') {
      if (t.cpu.modes.get('host-passthrough') === false) fail(`CPU host-passthrough: ${t.name} cannot give it (its domcapabilities say so)`);
      else warn('CPU host-passthrough: the guest sees the source\'s exact CPU; a target with another CPU can crash it (give it a named model to be safe)');
    } else if (g.cpu.model) {
      const u = t.cpu.models.get(g.cpu.model);
      if (u === 'no') fail(`CPU model ${g.cpu.model}: not usable on ${t.name}'s CPU (give the guest a model both hosts have)`);
      else if (u === undefined) fail(`CPU model ${g.cpu.model}: ${t.name} does not know it`);
      else ok(`CPU model ${g.cpu.model}: usable on ${t.name}`);
    } else ok(`CPU: the hypervisor's default model (${mode}), fine on ${t.name}`);
  }

  // the networks and the pools it uses
  for (const n of g.networks) {
    const tn = t.networks?.find((x) => x.name === n);
    if (!t.networks) warn(`network ${n}: ${t.name}'s networks could not be read`);
    else if (!tn) fail(`network ${n}: ${t.name} has none of that name (define it there, or change the guest's NIC)`);
    else if (!tn.active) fail(`network ${n}: defined on ${t.name} but not active (start it there)`);
    else ok(`network ${n}: active on ${t.name}`);
  }
  for (const b of g.bridges) warn(`bridge ${b}: virtui cannot see ${t.name}'s bridges; it must exist there`);
  const pools = new Set(g.disks.map((d) => d.pool).filter(Boolean));
  for (const p of pools) {
    const tp = t.pools?.find((x) => x.name === p);
    if (!t.pools) warn(`pool ${p}: ${t.name}'s pools could not be read`);
    else if (!tp) fail(`pool ${p}: ${t.name} has none of that name`);
    else if (!tp.active) fail(`pool ${p}: defined on ${t.name} but not active (start it there)`);
    else ok(`pool ${p}: active on ${t.name}`);
  }

  // memory
  if (t.mem && o.kind === 'live') {
    const avail = (t.mem.free ?? 0) + (t.mem.buffers ?? 0) + (t.mem.cached ?? 0);
    const need = g.memoryKiB;
    const h = (k: number) => humanBytes(k * 1024);
    if (need > avail) fail(`memory: ${g.name} needs ${h(need)}, ${t.name} has ${h(avail)} free`);
    else if (need > (t.mem.free ?? 0)) warn(`memory: ${g.name} needs ${h(need)}; ${t.name} has ${h(t.mem.free ?? 0)} free (${h(avail)} with its caches)`);
    else ok(`memory: ${g.name} needs ${h(need)}, ${t.name} has ${h(t.mem.free ?? 0)} free`);
  }

  // the disks: on the target already (shared storage), or copied
  const missing: GuestDisk[] = [];
  for (const d of g.disks) {
    if (!d.path) continue;
    if (d.readonly && d.device === 'cdrom') continue;
    const there = t.paths?.get(d.path);
    if (there === undefined) warn(`${d.target} ${d.path}: not known whether ${t.name} has it`);
    else if (there) ok(`${d.target} ${d.path}: ${t.name} has it (shared storage)`);
    else missing.push(d);
  }
  for (const d of missing) {
    if (o.kind === 'offline') fail(`${d.target} ${d.path}: not on ${t.name}; an offline migration copies no disk (copy it first)`);
    else if (!o.copyStorage) fail(`${d.target} ${d.path}: not on ${t.name}: tick --copy-storage-all to copy it`);
    else if (!plan) {
      const pool = t.pools?.find((p) => p.path && p.path === dirOf(d.path));
      if (pool) ok(`${d.target} ${d.path}: copied into ${t.name}'s pool ${pool.name}`);
      else fail(`${d.target} ${d.path}: to be copied, but no pool on ${t.name} has ${dirOf(d.path)}: define one there (or create the file)`);
    } else {
      const v = plan.create.find((x) => x.path === d.path);
      const why = plan.problems.find((x) => x.path === d.path);
      if (v) ok(`${d.target} ${d.path}: copied; virtui first creates it in ${t.name}'s pool ${v.pool} (${v.format}, ${humanBytes(v.capacity)})`);
      else fail(`${d.target} ${d.path}: to be copied, but ${why?.text ?? 'virtui cannot tell where'}`);
    }
  }
  const shared = g.disks.some((d) => d.path && t.paths?.get(d.path));
  if (o.kind === 'live' && shared && !o.unsafe && !o.copyStorage) {
    warn('libvirt refuses a live migration unless it can prove the storage is shared (NFS, Ceph, GlusterFS ...); for a plain directory both hosts see, tick --unsafe');
  }
  if (o.unsafe) warn('--unsafe: libvirt does not check that the disks are safe to share; if both hosts write one, it is corrupted');
  return out;
}

/** a check as one line: ✓ ok, ! warn, ✗ fail */
export function checkLine(c: Check): string {
  return `${c.level === 'ok' ? '✓' : c.level === 'warn' ? '!' : '✗'} ${c.text}`;
}
