// Why a domain is in its state and why `start` would fail (the Diagnose tab), and the host-wide
// lint (`:lint`). Pure: facts in (read by src/model/diagnose.ts), findings out, each with the
// command or the key that fixes it.
import { xmlParser, first, list, str, type Node } from './xmlnode.ts';
import { blkErrorWords, reasonWords, type BlkError, type StateReason } from './guest.ts';
import { shellLine } from '../virsh/quote.ts';
import { humanKiB } from './units.ts';

export interface Finding {
  level: 'error' | 'warn' | 'info';
  text: string;
  /** the command that fixes it, or a key ("u: start") */
  fix?: string;
  /** what the finding is about (lint: the domain, network, pool or volume) */
  about?: string;
}

export interface PreflightDisk {
  target: string;
  device: string;
  /** file or block path, '' when the source is a pool's volume or a network disk */
  path: string;
  pool: string;
  volume: string;
  /** a cdrom or floppy may be empty */
  removable: boolean;
}

export interface PreflightXml {
  name: string;
  memoryKiB: number;
  vcpus: number;
  emulator: string;
  disks: PreflightDisk[];
  networks: string[];
  agent: boolean;
}

const parser = xmlParser(['disk', 'interface', 'channel']);
const child = (n: Node | undefined, name: string): Node | undefined => (n ? first(n[name]) : undefined);
const children = (n: Node | undefined, name: string): Node[] => (n ? list(n[name]) : []);
const attr = (n: Node | undefined, name: string): string => (n ? str(n[`@${name}`]) : '');
/** an element's text (`<name>x</name>` is a plain string to the parser, `<vcpu placement=...>` a node) */
const text = (n: Node | undefined, name: string): string => { const v = n?.[name]; return str(Array.isArray(v) ? v[0] : v); };

const KIB: Record<string, number> = { b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, kb: 1000 / 1024, m: 1024, mib: 1024, mb: 1e6 / 1024, g: 1024 ** 2, gib: 1024 ** 2, gb: 1e9 / 1024, t: 1024 ** 3, tib: 1024 ** 3 };

/** What the pre-flight checks and the lint read of a domain's XML. Pure; never throws. */
export function parsePreflightXml(xml: string): PreflightXml {
  let doc: Node = {};
  try { doc = parser.parse(xml) as Node; } catch { /* an empty record */ }
  const dom = child(doc, 'domain') ?? {};
  const devices = child(dom, 'devices') ?? {};
  const mem = child(dom, 'memory');
  const unit = (attr(mem, 'unit') || 'KiB').toLowerCase();
  const disks = children(devices, 'disk').map((d): PreflightDisk => {
    const src = child(d, 'source');
    const device = attr(d, 'device') || 'disk';
    return {
      target: attr(child(d, 'target'), 'dev'), device,
      path: attr(src, 'file') || attr(src, 'dev') || attr(src, 'dir'),
      pool: attr(src, 'pool'), volume: attr(src, 'volume'),
      removable: device === 'cdrom' || device === 'floppy',
    };
  });
  return {
    name: text(dom, 'name'),
    memoryKiB: Math.round(Number(text(dom, 'memory') || 0) * (KIB[unit] ?? 1)),
    vcpus: Number(text(dom, 'vcpu') || 1),
    emulator: text(devices, 'emulator'),
    disks,
    networks: children(devices, 'interface').filter((n) => attr(n, 'type') === 'network').map((n) => attr(child(n, 'source'), 'network')),
    agent: children(devices, 'channel').some((c) => attr(child(c, 'target'), 'name') === 'org.qemu.guest_agent.0'),
  };
}

/** A disk as the checks see it: where its data is, and whether that exists (undefined: cannot tell). */
export interface DiskFact {
  target: string;
  /** the path, or "pool/volume" */
  source: string;
  exists: boolean | undefined;
  /** the backing chain below it, each with whether it exists */
  backing: Array<{ path: string; exists: boolean | undefined }>;
  /** the pool it lives in ('' when none is known) */
  pool: string;
  removable: boolean;
}

export interface PoolFact { name: string; active: boolean; capacity?: number; available?: number; missing?: boolean }
export interface NetFact { name: string; active: boolean; missing?: boolean }

export interface DiagFacts {
  name: string;
  state: string;
  reason: StateReason;
  blkErrors: BlkError[];
  disks: DiskFact[];
  pools: PoolFact[];
  networks: NetFact[];
  memoryKiB: number;
  /** free + buffers + cached, KiB; undefined when the host does not say */
  hostFreeKiB?: number;
  emulator: string;
  /** '' when the host has it, the error when it does not, undefined when not checked */
  emulatorError?: string;
  /** the QEMU log's last lines, or why it cannot be read */
  logTail?: string[];
  logNote?: string;
  events: Array<{ t: number; text: string }>;
}

const pctUsed = (p: PoolFact) => (p.capacity && p.available !== undefined ? (100 * (p.capacity - p.available)) / p.capacity : undefined);

/** The domain's state in words, and what stands in its way. Pure. */
export function diagnose(f: DiagFacts): Finding[] {
  const out: Finding[] = [];
  const arg = (s: string) => shellLine([s]);
  out.push({ level: f.state === 'crashed' || f.reason.reason === 'failed' || f.reason.reason === 'ioerror' || f.reason.reason === 'crashed' ? 'error' : 'info',
    text: `${f.state}${f.reason.reason ? ` (${f.reason.reason})` : ''}: ${reasonWords(f.reason)}` });
  for (const e of f.blkErrors) {
    out.push({ level: 'error', text: `disk ${e.disk}: ${e.error}: ${blkErrorWords(e.error)}`, fix: 'free space in its pool (or grow it), then p: resume' });
  }
  if (f.state === 'paused') {
    for (const p of f.pools) {
      const u = pctUsed(p);
      if (u !== undefined) out.push({ level: u >= 90 ? 'warn' : 'info', text: `pool ${p.name}: ${humanKiB((p.available ?? 0) / 1024)} free of ${humanKiB((p.capacity ?? 0) / 1024)} (${Math.round(u)} % used)` });
    }
  }
  // pre-flight: what `start` would trip over
  const inactive = f.state === 'shut off' || f.state === 'crashed';
  for (const d of f.disks) {
    if (d.exists === false && !(d.removable && !d.source)) {
      out.push({ level: inactive ? 'error' : 'warn', text: `disk ${d.target}: its source ${d.source} does not exist`, fix: `restore the file, or e: point ${d.target} at another (virsh edit --domain ${arg(f.name)})` });
    }
    for (const b of d.backing) {
      if (b.exists === false) out.push({ level: inactive ? 'error' : 'warn', text: `disk ${d.target}: its backing file ${b.path} does not exist`, fix: 'restore the backing file, or rebase the image (qemu-img rebase)' });
    }
  }
  for (const p of f.pools) {
    if (p.missing) out.push({ level: 'error', text: `pool ${p.name} (of its disks) does not exist`, fix: `define it, or e: point the disk at another pool's volume` });
    else if (!p.active) out.push({ level: inactive ? 'error' : 'warn', text: `pool ${p.name} (of its disks) is not active`, fix: `virsh pool-start --pool ${arg(p.name)} (or u on :pool)` });
  }
  for (const n of f.networks) {
    if (n.missing) out.push({ level: 'error', text: `network ${n.name} (of its NICs) does not exist`, fix: `define it, or e: attach the NIC to another network` });
    else if (!n.active) out.push({ level: inactive ? 'error' : 'warn', text: `network ${n.name} (of its NICs) is not active`, fix: `virsh net-start --network ${arg(n.name)} (or u on :net)` });
  }
  if (inactive && f.hostFreeKiB !== undefined && f.memoryKiB > f.hostFreeKiB) {
    out.push({ level: 'warn', text: `it needs ${humanKiB(f.memoryKiB)} of memory; the host has ${humanKiB(f.hostFreeKiB)} free`, fix: 'stop another guest, or lower its memory (e)' });
  }
  if (f.emulatorError) out.push({ level: 'error', text: `its emulator ${f.emulator} is missing: ${f.emulatorError}`, fix: 'install QEMU on the host (apt-get install qemu-system-x86), or e: fix <emulator>' });
  if (inactive && out.length === 1) out.push({ level: 'info', text: 'nothing found that would stop it from starting', fix: 'u: start' });
  return out;
}

// ---- the host-wide lint

export interface LintDomain {
  name: string;
  active: boolean;
  agent: boolean;
  vcpus: number;
  memoryKiB: number;
  /** paths of its disks (pool volumes resolved to their paths when known) */
  diskPaths: string[];
  /** pools its disks live in */
  pools: string[];
  snapshots: { internal: number; external: number };
}

export interface LintWorld {
  host: { cpus: number; memoryKiB: number };
  domains: LintDomain[];
  volumes: Array<{ pool: string; name: string; path: string }>;
  networks: Array<{ name: string; active: boolean; autostart: boolean }>;
  pools: Array<PoolFact & { autostart: boolean }>;
}

/** The lint's rules, every finding naming what it is about. Pure. */
export function lint(w: LintWorld): Finding[] {
  const out: Finding[] = [];
  for (const d of w.domains.filter((x) => !x.agent)) {
    out.push({ level: 'info', about: d.name, text: `${d.name}: no guest agent channel (no agent addresses, guest info, clock sync or fsfreeze)`, fix: 'Enter, Agent tab: the <channel> to add' });
  }
  const active = w.domains.filter((d) => d.active);
  const vcpus = active.reduce((a, d) => a + d.vcpus, 0);
  if (w.host.cpus && vcpus > w.host.cpus) out.push({ level: 'warn', about: 'host', text: `vCPU overcommit: the running domains have ${vcpus} vCPUs on ${w.host.cpus} host CPUs (${(vcpus / w.host.cpus).toFixed(1)}x)` });
  const mem = active.reduce((a, d) => a + d.memoryKiB, 0);
  if (w.host.memoryKiB && mem > w.host.memoryKiB) out.push({ level: 'warn', about: 'host', text: `memory overcommit: the running domains may use ${humanKiB(mem)} of the host's ${humanKiB(w.host.memoryKiB)} (${(mem / w.host.memoryKiB).toFixed(1)}x)` });
  const used = new Set(w.domains.flatMap((d) => d.diskPaths));
  for (const v of w.volumes.filter((x) => x.path && !used.has(x.path))) {
    out.push({ level: 'info', about: `${v.pool}/${v.name}`, text: `volume ${v.pool}/${v.name}: no domain uses it`, fix: `virsh vol-delete --pool ${shellLine([v.pool])} --vol ${shellLine([v.name])} (if it is not a backing file or a spare)` });
  }
  for (const d of w.domains.filter((x) => x.snapshots.internal > 0 && x.snapshots.external > 0)) {
    out.push({ level: 'warn', about: d.name, text: `${d.name}: mixes ${d.snapshots.internal} internal and ${d.snapshots.external} external snapshots (reverting and deleting get tricky)`, fix: `t: its snapshots` });
  }
  for (const n of w.networks.filter((x) => x.autostart && !x.active)) {
    out.push({ level: 'warn', about: n.name, text: `network ${n.name}: autostart but not active`, fix: `virsh net-start --network ${shellLine([n.name])}` });
  }
  for (const p of w.pools.filter((x) => x.autostart && !x.active)) {
    out.push({ level: 'warn', about: p.name, text: `pool ${p.name}: autostart but not active`, fix: `virsh pool-start --pool ${shellLine([p.name])}` });
  }
  const full = new Map(w.pools.filter((p) => (pctUsed(p) ?? 0) > 90).map((p) => [p.name, pctUsed(p)!]));
  for (const d of w.domains) {
    for (const p of d.pools.filter((x) => full.has(x))) {
      out.push({ level: 'warn', about: d.name, text: `${d.name}: its disks sit in pool ${p}, ${Math.round(full.get(p)!)} % full`, fix: `free space in ${p} or move the disks` });
    }
  }
  return out;
}

/** "  ✗ text" / "    fix: command" lines. Pure. */
export function findingLines(fs: readonly Finding[]): string[] {
  const icon = { error: '✗', warn: '!', info: '·' } as const;
  return fs.flatMap((f) => [`  ${icon[f.level]} ${f.text}`, ...(f.fix ? [`      fix: ${f.fix}`] : [])]);
}
