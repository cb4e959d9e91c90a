// virt-install, virt-clone and domrename from a form's values: the argument lists and the checks
// of each field (pure). Sizes are exact: bytes as BigInt, shown to virt-install as an exact
// decimal of GiB (every whole number of bytes below 2^53 is a float virt-install reads exactly).
import { checkNewName } from './build.ts';
import { shellQuote } from '../virsh/quote.ts';
import { humanBytes } from './units.ts';

export type InstallSource = 'cdrom' | 'import' | 'kernel' | 'pxe' | 'cloud';
export const INSTALL_SOURCES: readonly InstallSource[] = ['cdrom', 'kernel', 'import', 'pxe', 'cloud'];
export const DISK_MODES = ['new', 'existing', 'none'] as const;
export const NET_KINDS = ['network', 'bridge', 'none'] as const;
export const GRAPHICS = ['none', 'vnc', 'spice'] as const;
export const DISK_FORMATS = ['qcow2', 'raw'] as const;
export const DISK_BUSES = ['virtio', 'sata', 'scsi', 'ide'] as const;
export const NIC_MODELS = ['virtio', 'e1000', 'rtl8139'] as const;

export interface InstallForm {
  name: string;
  /** 'detect', or an osinfo short id ("debian12") */
  osinfo: string;
  /** MiB, or with a unit (512M, 2G) */
  memory: string;
  vcpus: string;
  firmware: 'bios' | 'uefi';
  virtType: string;
  source: InstallSource;
  /** cdrom: a path, or POOL/VOLUME */
  iso?: string;
  kernel?: string;
  initrd?: string;
  kernelArgs?: string;
  /** import, cloud: the disk to boot, a path or POOL/VOLUME */
  image?: string;
  /** cloud-init: the SSH public key file, and files virtui wrote (user-data, root password) */
  sshKey?: string;
  userData?: string;
  passwordFile?: string;
  disk: (typeof DISK_MODES)[number];
  pool?: string;
  /** GiB by default, or with a unit (64M, 10G) */
  size?: string;
  format?: string;
  bus?: string;
  /** disk 'existing': a path or POOL/VOLUME */
  volume?: string;
  net: (typeof NET_KINDS)[number];
  network?: string;
  bridge?: string;
  model?: string;
  graphics: (typeof GRAPHICS)[number];
}

/** What the checks know of the host. */
export interface HostFacts {
  /** KiB: the host's memory (nodeinfo) and free memory (nodememstats); undefined when unknown */
  memKiB?: number;
  freeKiB?: number;
  cpus?: number;
  /** domain names taken */
  domains: readonly string[];
  pools: ReadonlyArray<{ name: string; available?: number; active?: boolean; volumes?: readonly string[] }>;
  networks: readonly string[];
  /** of those, the ones not started: a guest on one would not start */
  inactiveNetworks?: readonly string[];
  /** osinfo short ids (empty: osinfo-query is missing, anything goes) */
  osinfo: readonly string[];
  /** does a local path exist (the ISO, the kernel); undefined: cannot tell (remote host) */
  exists?: (path: string) => boolean;
}

/** the Debian package of each optional tool */
export const TOOL_PACKAGES: Record<string, string> = {
  'virt-install': 'virtinst', 'virt-clone': 'virtinst', 'virt-xml-validate': 'libvirt-clients', 'osinfo-query': 'libosinfo-bin',
};

/** Why an action cannot run: the first of `tools` that `find` does not find, with its package; '' when all are there */
export function missingTool(tools: readonly string[], find: (tool: string) => string | null): string {
  const gone = tools.find((t) => !find(t));
  return gone ? `${gone} is not installed: apt-get install ${TOOL_PACKAGES[gone] ?? gone}` : '';
}

const UNITS: Record<string, bigint> = {
  '': 1n, b: 1n, k: 1n << 10n, kib: 1n << 10n, m: 1n << 20n, mib: 1n << 20n, g: 1n << 30n, gib: 1n << 30n, t: 1n << 40n, tib: 1n << 40n,
  kb: 1000n, mb: 1000n ** 2n, gb: 1000n ** 3n, tb: 1000n ** 4n,
};

/** 2^53 bytes: above this virt-install's float arithmetic loses bytes */
export const MAX_BYTES = 1n << 53n;

/**
 * "64M", "1.5 GiB", "10" (in `unit`) -> bytes, exact; or an error message. Negative, zero, a
 * fraction of a byte and more than 2^53 bytes are refused.
 */
export function parseSize(text: string, unit: 'G' | 'M' = 'G'): bigint | string {
  const t = text.trim();
  if (!t) return 'a size is needed (e.g. 10G or 512M)';
  const m = /^([+-]?)(\d*)(?:\.(\d*))?\s*([a-zA-Z]*)$/.exec(t);
  if (!m || (!m[2] && !m[3])) return `not a size: ${t} (e.g. 10G, 512M, 1.5G)`;
  const u = m[4]!.toLowerCase();
  const mult = u === '' ? UNITS[unit.toLowerCase()]! : UNITS[u];
  if (mult === undefined) return `unknown unit ${m[4]} (K, M, G, T: binary; KB, MB, GB, TB: decimal)`;
  const frac = m[3] ?? '';
  const scaled = BigInt(`${m[2] || '0'}${frac}`) * mult;
  const div = 10n ** BigInt(frac.length);
  if (m[1] === '-' && scaled > 0n) return 'a size cannot be negative';
  if (scaled === 0n) return 'a size of 0 makes no disk';
  if (scaled % div !== 0n) return `${t} is not a whole number of bytes`;
  const bytes = scaled / div;
  if (bytes > MAX_BYTES) return `${t} is beyond 2^53 bytes (8 PiB): no pool holds that, and virt-install would round it`;
  return bytes;
}

/** bytes as an exact decimal number of GiB ("0.0625" for 64 MiB) */
export function gibString(bytes: bigint): string {
  const whole = bytes >> 30n;
  const rest = bytes & ((1n << 30n) - 1n);
  if (rest === 0n) return whole.toString();
  // 2^30 divides 10^30: the fraction has at most 30 decimals, all exact
  const frac = ((rest * 10n ** 30n) >> 30n).toString().padStart(30, '0').replace(/0+$/, '');
  return `${whole}.${frac}`;
}

/**
 * A value inside a virt-install option ("kernel_args=..."): virt-install splits the option on
 * commas with shlex, so a value with a comma, a quote or a space goes in double quotes.
 */
export function subValue(v: string): string {
  return /[,"'\\\s]/.test(v) ? `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"` : v;
}

const opts = (pairs: Array<[string, string | undefined]>) => pairs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${subValue(v!)}`).join(',');

/** a "POOL/VOLUME" reference (not an absolute path) */
const isVolRef = (s: string) => !s.startsWith('/') && s.includes('/');

/** --disk for a path or POOL/VOLUME */
function diskRef(ref: string, extra: Array<[string, string | undefined]>, device?: string): string {
  const r = ref.trim();
  return opts([[isVolRef(r) ? 'vol' : 'path', r], ...(device ? [['device', device] as [string, string]] : []), ...extra]);
}

/** The memory in MiB (virt-install's unit), exact; or an error message. */
export function memoryMiB(text: string): number | string {
  const b = parseSize(text, 'M');
  if (typeof b === 'string') return b.replace('a size of 0 makes no disk', 'a guest needs some memory').replace('a size', 'memory');
  if (b % (1n << 20n) !== 0n) return 'a whole number of MiB';
  return Number(b >> 20n);
}

/** The virt-install argument list (after the program's name), without --print-xml. */
export function installArgs(uri: string, f: InstallForm): string[] {
  const a: string[] = ['--connect', uri, '--name', f.name];
  a.push('--osinfo', f.osinfo === 'detect' || !f.osinfo ? 'detect=on,require=off' : f.osinfo);
  const mem = memoryMiB(f.memory);
  a.push('--memory', String(typeof mem === 'number' ? mem : f.memory), '--vcpus', f.vcpus.trim());
  if (f.virtType) a.push('--virt-type', f.virtType);
  const boot: string[] = [];
  if (f.firmware === 'uefi') boot.push('uefi');
  switch (f.source) {
    case 'cdrom': {
      const iso = f.iso!.trim();
      // a volume goes through --disk (virt-install's --cdrom takes a path only)
      if (isVolRef(iso)) a.push('--disk', diskRef(iso, [], 'cdrom'));
      else a.push('--cdrom', iso);
      break;
    }
    case 'kernel':
      // --boot, not --install: the domain keeps booting this kernel (--install kernel= is for the
      // installer's first boot only); --import: no install phase (virt-install wants a method, and
      // --print-xml does not say so)
      a.push('--import');
      boot.push(opts([['kernel', f.kernel?.trim()], ['initrd', f.initrd?.trim()], ['kernel_args', f.kernelArgs]]));
      break;
    case 'pxe': a.push('--pxe'); break;
    case 'import': case 'cloud': a.push('--import'); break;
  }
  if (boot.length) a.push('--boot', boot.join(','));
  if (f.source === 'import' || f.source === 'cloud') a.push('--disk', diskRef(f.image!, [['bus', f.bus || 'virtio']]));
  if (f.source === 'cloud') {
    const ci = opts([['user-data', f.userData], ['root-password-file', f.passwordFile], ['root-ssh-key', f.sshKey], ['clouduser-ssh-key', f.sshKey]]);
    a.push('--cloud-init', ci || 'root-password-generate=on');
  }
  if (f.disk === 'new') {
    const bytes = parseSize(f.size ?? '');
    a.push('--disk', opts([['pool', f.pool], ['size', typeof bytes === 'bigint' ? gibString(bytes) : f.size], ['format', f.format || 'qcow2'], ['bus', f.bus || 'virtio']]));
  } else if (f.disk === 'existing') a.push('--disk', diskRef(f.volume!, [['bus', f.bus || 'virtio']]));
  else if (f.source !== 'import' && f.source !== 'cloud' && !(f.source === 'cdrom' && isVolRef(f.iso!.trim()))) a.push('--disk', 'none');
  if (f.net === 'network') a.push('--network', opts([['network', f.network], ['model', f.model || 'virtio']]));
  else if (f.net === 'bridge') a.push('--network', opts([['bridge', f.bridge], ['model', f.model || 'virtio']]));
  else a.push('--network', 'none');
  a.push('--graphics', f.graphics);
  // always a serial port: the console pane (virsh console) needs one
  a.push('--serial', 'pty');
  a.push('--noautoconsole');
  return a;
}

/**
 * A command for reading, as lines to paste into a shell: each option with its value on one line
 * ("--name web-01 \\"), not one word a line.
 */
export function commandLines(program: string, args: readonly string[]): string[] {
  const groups: string[][] = [];
  for (const a of args) {
    const last = groups[groups.length - 1];
    if (!last || a.startsWith('--') || last.length > 1 || !last[0]!.startsWith('--')) groups.push([a]);
    else last.push(a);
  }
  return [`${program} \\`, ...groups.map((g, i) => `  ${g.map(shellQuote).join(' ')}${i < groups.length - 1 ? ' \\' : ''}`)];
}

/** The preview: the same arguments, the XML printed and nothing created (--print-xml alone creates the disk). */
export function printXmlArgs(args: readonly string[]): string[] {
  return [...args, '--print-xml', '--dry-run'];
}

/** The name virt-install gives a disk it creates in a pool ("NAME.qcow2"), when that name is free. */
export function newVolumeName(name: string, format: string): string {
  return `${name}${format === 'raw' ? '.img' : `.${format || 'qcow2'}`}`;
}

/** The form's problems, one message per field id (empty: none). */
export function checkInstall(f: InstallForm, h: HostFacts): Record<string, string> {
  const e: Record<string, string> = {};
  const name = checkNewName(f.name, 'domain');
  if (name) e['name'] = name;
  else if (h.domains.includes(f.name)) e['name'] = `a domain named ${f.name} exists on this host`;
  if (f.osinfo && f.osinfo !== 'detect' && h.osinfo.length && !h.osinfo.includes(f.osinfo)) e['osinfo'] = `${f.osinfo} is not an OS that osinfo-query knows (type part of a name to search)`;
  const mem = memoryMiB(f.memory);
  if (typeof mem === 'string') e['memory'] = mem;
  else if (h.memKiB !== undefined && mem * 1024 > h.memKiB) e['memory'] = `${mem} MiB is more than the host's memory (${Math.floor(h.memKiB / 1024)} MiB)`;
  if (!/^\d+$/.test(f.vcpus.trim()) || Number(f.vcpus) < 1) e['vcpus'] = 'a whole number, 1 or more';
  else if (h.cpus !== undefined && Number(f.vcpus) > h.cpus) e['vcpus'] = `more than the host's ${h.cpus} CPUs`;
  const path = (id: string, v: string | undefined, what: string) => {
    const p = (v ?? '').trim();
    if (!p) { e[id] = `${what} is needed`; return; }
    if (isVolRef(p)) {
      const [pool, ...rest] = p.split('/');
      const vol = rest.join('/');
      const pl = h.pools.find((x) => x.name === pool);
      if (!pl) e[id] = `no pool ${pool} on this host`;
      else if (pl.volumes && !pl.volumes.includes(vol)) e[id] = `pool ${pool} has no volume ${vol}`;
      return;
    }
    if (!p.startsWith('/')) { e[id] = 'an absolute path, or POOL/VOLUME'; return; }
    if (h.exists && !h.exists(p)) e[id] = `${p} does not exist`;
  };
  if (f.source === 'cdrom') path('iso', f.iso, 'an ISO');
  if (f.source === 'kernel') {
    path('kernel', f.kernel, 'a kernel');
    if (f.initrd?.trim()) path('initrd', f.initrd, 'an initrd');
  }
  if (f.source === 'import' || f.source === 'cloud') path('image', f.image, 'a disk image');
  if (f.source === 'cloud' && f.sshKey?.trim()) path('sshKey', f.sshKey, 'a key file');
  if (f.disk === 'new') {
    const pool = h.pools.find((p) => p.name === f.pool);
    const bytes = parseSize(f.size ?? '');
    if (!pool) e['pool'] = f.pool ? `no pool ${f.pool} on this host` : 'a pool is needed';
    else if (pool.active === false) e['pool'] = `pool ${pool.name} is not active (u on the pools screen starts it)`;
    else if (pool.volumes?.includes(newVolumeName(f.name, f.format ?? 'qcow2'))) e['pool'] = `pool ${pool.name} has a volume ${newVolumeName(f.name, f.format ?? 'qcow2')} already`;
    if (typeof bytes === 'string') e['size'] = bytes;
    else if (pool?.available !== undefined && bytes > BigInt(pool.available)) e['size'] = `beyond the ${humanBytes(pool.available)} free in pool ${pool.name}`;
  }
  if (f.disk === 'existing') path('volume', f.volume, 'a volume');
  if (f.net === 'network') {
    if (!f.network) e['network'] = 'a network is needed';
    else if (!h.networks.includes(f.network)) e['network'] = `no network ${f.network} on this host`;
    else if (h.inactiveNetworks?.includes(f.network)) e['network'] = `network ${f.network} is not active (u on the networks screen starts it)`;
  }
  if (f.net === 'bridge' && !/^[A-Za-z0-9_.:-]{1,15}$/.test(f.bridge ?? '')) e['bridge'] = 'a host bridge name (up to 15 letters, digits, - _ . :)';
  return e;
}

/** The first line of virt-install's complaint ("ERROR    Requested operation...") */
export function installError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const i = lines.findIndex((l) => /^ERROR\b/.test(l));
  if (i < 0) return lines[lines.length - 1] ?? 'failed';
  // a pane's narrow lines may put the message on the line after "ERROR"
  return lines[i]!.replace(/^ERROR\s*/, '') || lines[i + 1] || 'failed';
}

/** `osinfo-query os -f short-id,name`: [id, name] pairs */
export function parseOsinfo(text: string): Array<{ id: string; name: string }> {
  const out: Array<{ id: string; name: string }> = [];
  for (const line of text.split('\n').slice(2)) {
    const [id, name] = line.split('|').map((c) => c.trim());
    if (id) out.push({ id, name: name ?? '' });
  }
  return out;
}

/** the osinfo ids matching what is typed (id or name, any case), best first */
export function searchOsinfo(list: ReadonlyArray<{ id: string; name: string }>, q: string, max = 8): Array<{ id: string; name: string }> {
  const s = q.trim().toLowerCase();
  if (!s) return [];
  const hits = list.filter((o) => o.id.toLowerCase().includes(s) || o.name.toLowerCase().includes(s));
  const rank = (o: { id: string }) => (o.id.toLowerCase() === s ? 0 : o.id.toLowerCase().startsWith(s) ? 1 : 2);
  return hits.sort((a, b) => rank(a) - rank(b)).slice(0, max);
}

/** `virsh capabilities`: the domain types the host offers for hvm guests of its arch (kvm first) */
export function virtTypes(capsXml: string): string[] {
  const hostArch = /<host>[\s\S]*?<arch>([^<]+)<\/arch>/.exec(capsXml)?.[1];
  const types = new Set<string>();
  for (const g of capsXml.split('<guest>').slice(1)) {
    if (!/<os_type>hvm<\/os_type>/.test(g)) continue;
    const arch = /<arch name=['"]([^'"]+)['"]/.exec(g)?.[1];
    if (hostArch && arch !== hostArch) continue;
    for (const m of g.matchAll(/<domain type=['"]([^'"]+)['"]/g)) types.add(m[1]!);
  }
  return [...types].sort((a, b) => (a === 'kvm' ? -1 : b === 'kvm' ? 1 : a.localeCompare(b)));
}

/** `virsh domcapabilities`: does the host offer UEFI firmware */
export function offersUefi(domcapsXml: string): boolean {
  return /<value>efi<\/value>/.test(domcapsXml) || /<loader supported=['"]yes['"]>[\s\S]*?<value>[^<]*(OVMF|edk2|AAVMF)[^<]*<\/value>/.test(domcapsXml);
}

/** `virsh nodeinfo` -> CPUs and memory (KiB) */
export function parseNodeinfo(text: string): { cpus?: number; memKiB?: number } {
  const cpus = /^CPU\(s\):\s+(\d+)/m.exec(text)?.[1];
  const mem = /^Memory size:\s+(\d+)\s*KiB/m.exec(text)?.[1];
  return { cpus: cpus ? Number(cpus) : undefined, memKiB: mem ? Number(mem) : undefined };
}

/**
 * The memory a new guest may take: free + buffers + cached of `nodememstats`, but never more than
 * `nodeinfo`'s memory size (on a host in a container or cgroup the two disagree: the lab's
 * nodeinfo says 7 GiB of a 24 GiB machine, and "7257 MiB, 22217 MiB free" read as nonsense).
 */
export function hostFreeKiB(mem: Record<string, number>, memKiB?: number): number | undefined {
  if (mem['free'] === undefined) return undefined;
  const free = mem['free'] + (mem['buffers'] ?? 0) + (mem['cached'] ?? 0);
  return memKiB !== undefined ? Math.min(free, memKiB) : free;
}

// --- clone and rename

export interface CloneDisk { target: string; pool?: string; source: string; capacity?: number }

/** virt-clone's arguments: explicit --file per disk when named, else --auto-clone. */
export function cloneArgs(uri: string, original: string, name: string, files?: readonly string[]): string[] {
  // (argparse reads a value after a space that begins with '-' as an option: "expected one argument")
  const a = ['--connect', uri, ...(original.startsWith('-') ? [`--original=${original}`] : ['--original', original]), '--name', name];
  if (files && files.length) for (const f of files) a.push('--file', f);
  else a.push('--auto-clone');
  return a;
}

/**
 * The name a clone is offered: "NAME-clone", made a valid name when the original is not one
 * ("x running" -> "x-running-clone"): the offer itself must pass the form's check.
 */
export function defaultCloneName(original: string): string {
  const base = original.replace(/[^A-Za-z0-9._+-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/-+$/, '');
  return `${base || 'domain'}-clone`.slice(-64).replace(/^[^A-Za-z0-9]+/, '');
}

/** The new disk path virt-clone --auto-clone would pick, by its rule: "DIR/NEWNAME.qcow2" (and -1, -2 ... when taken). */
export function cloneFileName(source: string, newName: string, index: number): string {
  const dir = source.slice(0, source.lastIndexOf('/') + 1);
  const base = source.slice(source.lastIndexOf('/') + 1);
  const ext = /\.[A-Za-z0-9]+$/.exec(base)?.[0] ?? '';
  return `${dir}${newName}${index ? `-${index}` : ''}${ext}`;
}

/** A clone's problems: the name, the state, each disk pool's free space. */
export function checkClone(state: string, name: string, taken: readonly string[], need: ReadonlyArray<{ pool: string; bytes: number; available?: number }>): string {
  if (state !== 'shut off' && state !== 'paused') return `it is ${state}: virt-clone copies a shut-off (or paused) domain`;
  const bad = checkNewName(name, 'domain');
  if (bad) return bad;
  if (taken.includes(name)) return `a domain named ${name} exists on this host`;
  const byPool = new Map<string, { bytes: number; available?: number }>();
  for (const n of need) {
    const p = byPool.get(n.pool) ?? { bytes: 0, available: n.available };
    p.bytes += n.bytes;
    byPool.set(n.pool, p);
  }
  for (const [pool, p] of byPool) if (p.available !== undefined && p.bytes > p.available) return `the copies need ${humanBytes(p.bytes)} in pool ${pool}, which has ${humanBytes(p.available)} free`;
  return '';
}

/** Why a domain cannot be renamed now, or '' */
export function renameRefusal(d: { state: string; persistent: boolean; managedSave?: boolean }): string {
  if (!d.persistent) return 'it is transient: libvirt renames only a defined domain';
  if (d.state !== 'shut off') return `it is ${d.state}: libvirt renames only a shut-off domain (domrename)`;
  if (d.managedSave) return 'it has a managed save image: libvirt does not rename it (M drops the image)';
  return '';
}
