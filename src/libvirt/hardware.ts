// The hardware editor's pure half: what a domain's XML says of its memory, vCPUs, disks, CD-ROMs,
// NICs, graphics, serial ports, channels and boot order; the virsh argument arrays that change
// them; the XML each change should leave (to show as a diff before it runs); the checks of what
// the operator typed. Must not throw on any XML libvirt can produce (tested on every domain XML
// under ../shared/fixtures/xml/domains).
import { xmlParser, obj, str, list, first, type Node } from './xmlnode.ts';
import { diskSource, nicSource } from './domxml.ts';
import { parseSize } from '../ui/text.ts';
import { humanKiB } from './units.ts';

export interface HwDisk {
  target: string;
  bus: string;
  /** disk, cdrom, floppy, lun */
  device: string;
  /** file, block, volume, network ... */
  type: string;
  source: string;
  /** the file or device a CD-ROM or disk reads ('' for none, a volume or a network disk) */
  path: string;
  /** <source pool= volume=> */
  pool: string;
  volume: string;
  format: string;
  readonly: boolean;
  /** <boot order='N'/>, 0 when none */
  boot: number;
}

export interface HwNic { mac: string; type: string; source: string; model: string; target: string; boot: number }
export interface HwGraphics { type: string; port: string; listen: string; autoport: boolean }
export interface HwSerial { kind: 'serial' | 'console'; type: string; target: string; port: string; path: string }
export interface HwChannel { type: string; name: string; state: string }

export interface Hardware {
  name: string;
  /** KiB: <memory> (the maximum the guest boots with), <currentMemory> (the balloon's target) */
  memoryKiB: number;
  currentKiB: number;
  /** <maxMemory>: the ceiling for memory hotplug (DIMMs), 0 when absent */
  hotplugMaxKiB: number;
  vcpusMax: number;
  vcpus: number;
  disks: HwDisk[];
  nics: HwNic[];
  graphics: HwGraphics[];
  serials: HwSerial[];
  channels: HwChannel[];
  /** <os><boot dev='hd'/>...: the old way of ordering, by device kind */
  bootDevs: string[];
  /** direct kernel boot: <os><kernel> (the boot order does not apply) */
  kernel: string;
}

const parser = xmlParser(['disk', 'interface', 'graphics', 'listen', 'console', 'serial', 'channel', 'boot', 'host', 'source']);

const KIB: Record<string, number> = { b: 1 / 1024, bytes: 1 / 1024, k: 1, kib: 1, kb: 1000 / 1024, m: 1024, mib: 1024, mb: 1e6 / 1024, g: 1024 ** 2, gib: 1024 ** 2, gb: 1e9 / 1024, t: 1024 ** 3, tib: 1024 ** 3, tb: 1e12 / 1024 };

/** <memory unit='MiB'>2048</memory> -> KiB (libvirt's default unit) */
function kibOf(v: unknown): number {
  const n = Number(str(v).trim());
  if (!Number.isFinite(n)) return 0;
  const unit = str(obj(v)?.['@unit']).toLowerCase() || 'kib';
  return Math.round(n * (KIB[unit] ?? 1));
}

const attr = (n: Node | undefined, a: string) => str(n?.[`@${a}`]);

export function parseHardware(xml: string): Hardware {
  let doc: Node;
  try { doc = parser.parse(xml) as Node; } catch { doc = {}; }
  const dom = obj(doc['domain']) ?? {};
  const os = obj(dom['os']) ?? {};
  const dev = obj(dom['devices']) ?? {};
  const vcpu = first(dom['vcpu']);
  const vcpusMax = Number(str(dom['vcpu']).trim()) || 0;
  const memoryKiB = kibOf(dom['memory']);
  const disks: HwDisk[] = list(dev['disk']).map((d) => {
    const src = first(d['source']);
    const target = first(d['target']);
    return {
      target: attr(target, 'dev'), bus: attr(target, 'bus'), device: attr(d, 'device') || 'disk', type: attr(d, 'type'),
      source: diskSource(d), path: attr(src, 'file') || attr(src, 'dev'), pool: attr(src, 'pool'), volume: attr(src, 'volume'),
      format: attr(first(d['driver']), 'type'), readonly: d['readonly'] !== undefined, boot: Number(attr(first(d['boot']), 'order')) || 0,
    };
  });
  const nics: HwNic[] = list(dev['interface']).map((n) => ({
    mac: attr(first(n['mac']), 'address'), type: attr(n, 'type'), source: nicSource(n), model: attr(first(n['model']), 'type'),
    target: attr(first(n['target']), 'dev'), boot: Number(attr(first(n['boot']), 'order')) || 0,
  }));
  const graphics: HwGraphics[] = list(dev['graphics']).map((g) => ({
    type: attr(g, 'type'), port: attr(g, 'port') || attr(g, 'tlsPort'),
    listen: attr(g, 'listen') || attr(first(g['listen']), 'address') || attr(g, 'socket') || attr(first(g['listen']), 'type'), autoport: attr(g, 'autoport') === 'yes',
  }));
  const serials: HwSerial[] = (['serial', 'console'] as const).flatMap((kind) => list(dev[kind]).map((s) => {
    const t = first(s['target']);
    return { kind, type: attr(s, 'type'), target: attr(t, 'type'), port: attr(t, 'port'), path: attr(first(s['source']), 'path') || attr(s, 'tty') };
  }));
  const channels: HwChannel[] = list(dev['channel']).map((c) => {
    const t = first(c['target']);
    return { type: attr(c, 'type'), name: attr(t, 'name') || attr(t, 'type'), state: attr(t, 'state') };
  });
  return {
    name: str(dom['name']),
    memoryKiB,
    currentKiB: kibOf(dom['currentMemory']) || memoryKiB,
    hotplugMaxKiB: kibOf(dom['maxMemory']),
    vcpusMax,
    vcpus: Number(attr(vcpu, 'current')) || vcpusMax,
    disks, nics, graphics, serials, channels,
    bootDevs: list(os['boot']).map((b) => attr(b, 'dev')).filter(Boolean),
    kernel: str(os['kernel']),
  };
}

// --- targets and MACs

const PREFIX: Record<string, string> = { virtio: 'vd', scsi: 'sd', sata: 'sd', usb: 'sd', ide: 'hd', xen: 'xvd', fdc: 'fd', sd: 'mmcblk' };

/** the target prefix libvirt expects for a bus (vd for virtio, sd for SCSI/SATA/USB, hd for IDE) */
export const targetPrefix = (bus: string): string => PREFIX[bus] ?? 'sd';

/** a, b ... z, aa, ab ...: libvirt's disk index to letters */
function letters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(97 + ((n - 1) % 26)) + s;
  return s;
}

/** every disk target named in these XMLs (the live and the persistent definition may differ) */
export function usedTargets(...xmls: string[]): Set<string> {
  const out = new Set<string>();
  for (const x of xmls) for (const d of parseHardware(x).disks) if (d.target) out.add(d.target);
  return out;
}

/** The first free target for `bus` (vdb when vda is used), in neither the live nor the inactive XML. */
export function freeTarget(bus: string, ...xmls: string[]): string {
  const used = usedTargets(...xmls);
  const p = targetPrefix(bus);
  for (let i = 0; ; i++) if (!used.has(p + letters(i))) return p + letters(i);
}

/** A MAC in QEMU's 52:54:00 range (locally administered, unicast); `bytes` gives three random bytes. */
export function newMac(bytes: () => number[], taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const b = bytes().slice(0, 3).map((x) => (x & 0xff).toString(16).padStart(2, '0'));
    const mac = `52:54:00:${b.join(':')}`;
    if (!taken.has(mac)) return mac;
  }
}

export const validMac = (m: string): boolean => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(m) && (parseInt(m.slice(0, 2), 16) & 1) === 0;

// --- when a change applies

/** now and persistently, now only, from the next boot */
export type Mode = 'both' | 'live' | 'config';
export const MODE_LABEL: Record<Mode, string> = { both: 'now and persistently', live: 'now only', config: 'from next boot' };
export const MODE_FLAGS: Record<Mode, string[]> = { both: ['--live', '--config'], live: ['--live'], config: ['--config'] };

/** What can be asked of a domain: a running persistent one all three, a transient one now only, a shut-off one the definition. */
export function modesFor(running: boolean, persistent: boolean): Mode[] {
  if (!running) return ['config'];
  return persistent ? ['both', 'live', 'config'] : ['live'];
}

export const modeOf = (label: string): Mode => (Object.entries(MODE_LABEL).find(([, l]) => l === label)?.[0] as Mode | undefined) ?? 'config';
export const hasLive = (m: Mode) => m !== 'config';

// --- argument arrays

export const setmemArgs = (dom: string, kib: bigint, mode: Mode) => ['setmem', '--domain', dom, '--size', `${kib}KiB`, ...MODE_FLAGS[mode]];
/** QEMU cannot change a running guest's <memory>: only --config is offered for it while it runs */
export const setmaxmemArgs = (dom: string, kib: bigint) => ['setmaxmem', '--domain', dom, '--size', `${kib}KiB`, '--config'];
export const setvcpusArgs = (dom: string, n: number, mode: Mode) => ['setvcpus', '--domain', dom, '--count', String(n), ...MODE_FLAGS[mode]];
/** --maximum goes with --config only: the maximum is fixed while the guest runs */
export const setmaxvcpusArgs = (dom: string, n: number) => ['setvcpus', '--domain', dom, '--count', String(n), '--maximum', '--config'];

export interface NewDisk { source: string; target: string; bus: string; format: string; cdrom?: boolean }

export function attachDiskArgs(dom: string, d: NewDisk, mode: Mode): string[] {
  return ['attach-disk', '--domain', dom, '--source', d.source, '--target', d.target, '--targetbus', d.bus,
    '--driver', 'qemu', '--subdriver', d.format || 'raw', ...(d.cdrom ? ['--type', 'cdrom', '--mode', 'readonly'] : []), ...MODE_FLAGS[mode]];
}
export const detachDiskArgs = (dom: string, target: string, mode: Mode) => ['detach-disk', '--domain', dom, '--target', target, ...MODE_FLAGS[mode]];

export interface NewNic { type: 'network' | 'bridge'; source: string; model: string; mac: string }

export const attachNicArgs = (dom: string, n: NewNic, mode: Mode) =>
  ['attach-interface', '--domain', dom, '--type', n.type, '--source', n.source, '--model', n.model, '--mac', n.mac, ...MODE_FLAGS[mode]];
export const detachNicArgs = (dom: string, type: string, mac: string, mode: Mode) => ['detach-interface', '--domain', dom, '--type', type, '--mac', mac, ...MODE_FLAGS[mode]];

export type MediaOp = 'insert' | 'eject' | 'update';
export function changeMediaArgs(dom: string, target: string, op: MediaOp, source: string, mode: Mode): string[] {
  return ['change-media', '--domain', dom, '--path', target, `--${op}`, ...(op === 'eject' ? [] : ['--source', source]), ...MODE_FLAGS[mode]];
}
export const attachDeviceArgs = (dom: string, file: string, mode: Mode) => ['attach-device', '--domain', dom, '--file', file, ...MODE_FLAGS[mode]];
export const autostartArgs = (dom: string, on: boolean) => (on ? ['autostart', '--domain', dom] : ['autostart', '--disable', '--domain', dom]);
export const volCreateArgs = (pool: string, name: string, bytes: bigint, format: string) =>
  ['vol-create-as', '--pool', pool, '--name', name, '--capacity', String(bytes), '--format', format, '--allocation', '0'];
export const volDeleteArgs = (pool: string, name: string) => ['vol-delete', '--pool', pool, '--vol', name];
export const defineArgs = (file: string) => ['define', '--file', file];

// --- XML: the device elements, and the definition each change should leave

const xq = (s: string) => s.replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function diskXml(d: NewDisk): string[] {
  return [
    `<disk type='file' device='${d.cdrom ? 'cdrom' : 'disk'}'>`,
    `  <driver name='qemu' type='${xq(d.format || 'raw')}'/>`,
    ...(d.source ? [`  <source file='${xq(d.source)}'/>`] : []),
    `  <target dev='${xq(d.target)}' bus='${xq(d.bus)}'/>`,
    ...(d.cdrom ? ['  <readonly/>'] : []),
    '</disk>',
  ];
}

export function nicXml(n: NewNic): string[] {
  return [
    `<interface type='${n.type}'>`,
    `  <mac address='${xq(n.mac)}'/>`,
    `  <source ${n.type === 'bridge' ? 'bridge' : 'network'}='${xq(n.source)}'/>`,
    `  <model type='${xq(n.model)}'/>`,
    '</interface>',
  ];
}

/** [start, end) of each element `tag` in the text (device elements do not nest in themselves) */
function blocks(xml: string, tag: string): Array<{ start: number; end: number; text: string }> {
  const out: Array<{ start: number; end: number; text: string }> = [];
  const re = new RegExp(`^[ \\t]*<${tag}\\b[^>]*?(/>|>[\\s\\S]*?</${tag}>)[ \\t]*\\n?`, 'gm');
  for (const m of xml.matchAll(re)) out.push({ start: m.index!, end: m.index! + m[0].length, text: m[0] });
  return out;
}

const diskBlock = (xml: string, target: string) => blocks(xml, 'disk').find((b) => new RegExp(`<target\\s[^>]*dev=['"]${escRe(target)}['"]`).test(b.text));
const nicBlock = (xml: string, mac: string) => blocks(xml, 'interface').find((b) => new RegExp(`<mac\\s[^>]*address=['"]${escRe(mac)}['"]`, 'i').test(b.text));
const escRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const indentOf = (xml: string, tag: string) => new RegExp(`^([ \\t]*)<${tag}\\b`, 'm').exec(xml)?.[1];

/** `<memory unit='KiB'>N</memory>` (or currentMemory) set to `kib` */
function setElement(xml: string, tag: string, value: string, after: string): string {
  const re = new RegExp(`<${tag}(\\s[^>]*)?>[^<]*</${tag}>`);
  if (re.test(xml)) return xml.replace(re, `<${tag} unit='KiB'>${value}</${tag}>`);
  const at = new RegExp(`^([ \\t]*)<${after}\\b[^\\n]*\\n`, 'm').exec(xml);
  if (!at) return xml;
  const i = at.index + at[0].length;
  return `${xml.slice(0, i)}${at[1]}<${tag} unit='KiB'>${value}</${tag}>\n${xml.slice(i)}`;
}

export const withMemory = (xml: string, kib: bigint | number) => setElement(xml, 'memory', String(kib), 'name');
export const withCurrentMemory = (xml: string, kib: bigint | number) => setElement(xml, 'currentMemory', String(kib), 'memory');

/** `<vcpu ... current='c'>max</vcpu>`; current equal to max drops the attribute, as libvirt writes it */
export function withVcpus(xml: string, current: number, max: number): string {
  return xml.replace(/<vcpu(\s[^>]*)?>\s*\d+\s*<\/vcpu>/, (_, attrs: string | undefined) => {
    const kept = (attrs ?? '').replace(/\s+current=(['"])[^'"]*\1/, '');
    return `<vcpu${kept}${current < max ? ` current='${current}'` : ''}>${max}</vcpu>`;
  });
}

/** a device element added after the last of its kind (or before </devices>), indented as its siblings */
export function withDevice(xml: string, tag: 'disk' | 'interface', lines: string[]): string {
  const same = blocks(xml, tag).at(-1);
  const ind = indentOf(xml, tag) ?? `${indentOf(xml, 'devices') ?? '  '}  `;
  const text = lines.map((l) => `${ind}${l}\n`).join('');
  if (same) return xml.slice(0, same.end) + text + xml.slice(same.end);
  const close = /^[ \t]*<\/devices>/m.exec(xml);
  if (!close) return xml;
  return xml.slice(0, close.index) + text + xml.slice(close.index);
}

export function withoutDisk(xml: string, target: string): string {
  const b = diskBlock(xml, target);
  return b ? xml.slice(0, b.start) + xml.slice(b.end) : xml;
}

export function withoutNic(xml: string, mac: string): string {
  const b = nicBlock(xml, mac);
  return b ? xml.slice(0, b.start) + xml.slice(b.end) : xml;
}

/** the CD-ROM (or any disk) `target` with `path` as its source, or with none (ejected) */
export function withMedia(xml: string, target: string, path: string | null): string {
  const b = diskBlock(xml, target);
  if (!b) return xml;
  let t = b.text.replace(/^[ \t]*<source\b[^>]*?(\/>|>[\s\S]*?<\/source>)[ \t]*\n/m, '');
  if (path !== null) {
    const ind = /^([ \t]*)<target\b/m.exec(t)?.[1] ?? '      ';
    t = t.replace(/^[ \t]*<target\b/m, (m) => `${ind}<source file='${xq(path)}'/>\n${m}`);
    t = t.replace(/^([ \t]*<disk\b[^>]*\btype=)(['"])[^'"]*\2/m, `$1$2file$2`);
  }
  return xml.slice(0, b.start) + t + xml.slice(b.end);
}

export type BootDevice = { kind: 'disk'; target: string } | { kind: 'nic'; mac: string };

export const bootLabel = (d: BootDevice, hw: Hardware): string => {
  if (d.kind === 'nic') {
    const n = hw.nics.find((x) => x.mac === d.mac);
    return `network ${d.mac}${n?.source ? ` (${n.source})` : ''}`;
  }
  const x = hw.disks.find((k) => k.target === d.target);
  return `${x?.device === 'cdrom' ? 'cdrom' : 'disk'} ${d.target}${x?.source ? ` (${x.source})` : ''}`;
};

/** The devices in their boot order now: per-device <boot order>, else <os><boot dev> by kind. */
export function bootOrder(hw: Hardware): BootDevice[] {
  const per = [...hw.disks.filter((d) => d.boot).map((d) => ({ o: d.boot, d: { kind: 'disk' as const, target: d.target } })),
    ...hw.nics.filter((n) => n.boot).map((n) => ({ o: n.boot, d: { kind: 'nic' as const, mac: n.mac } }))];
  if (per.length) return per.sort((a, b) => a.o - b.o).map((x) => x.d);
  const out: BootDevice[] = [];
  for (const dev of hw.bootDevs.length ? hw.bootDevs : ['hd']) {
    if (dev === 'hd') out.push(...hw.disks.filter((d) => d.device === 'disk').slice(0, 1).map((d) => ({ kind: 'disk' as const, target: d.target })));
    else if (dev === 'cdrom') out.push(...hw.disks.filter((d) => d.device === 'cdrom').slice(0, 1).map((d) => ({ kind: 'disk' as const, target: d.target })));
    else if (dev === 'fd') out.push(...hw.disks.filter((d) => d.device === 'floppy').slice(0, 1).map((d) => ({ kind: 'disk' as const, target: d.target })));
    else if (dev === 'network') out.push(...hw.nics.slice(0, 1).map((n) => ({ kind: 'nic' as const, mac: n.mac })));
  }
  return out;
}

/**
 * The definition with `order` as per-device <boot order='N'/> (libvirt refuses them beside
 * <os><boot dev>, so those go). Devices left out of `order` do not boot.
 */
export function withBootOrder(xml: string, order: readonly BootDevice[]): string {
  // a line of its own goes with its line; one inside another line (hand-written XML) goes alone
  let out = xml.replace(/^[ \t]*<boot\s+(dev|order)=[^>]*\/>[ \t]*\n/gm, '').replace(/<boot\s+(dev|order)=[^>]*\/>/g, '');
  // a device named twice gets its first place only (libvirt refuses two orders in one device)
  const seen = new Set<string>();
  order.filter((d) => { const k = d.kind === 'disk' ? d.target : d.mac.toLowerCase(); return !seen.has(k) && !!seen.add(k); }).forEach((d, i) => {
    const b = d.kind === 'disk' ? diskBlock(out, d.target) : nicBlock(out, d.mac);
    if (!b) return;
    const anchor = d.kind === 'disk' ? /^([ \t]*)<target\b[^\n]*\n/m : /^([ \t]*)<(mac|model|source)\b[^\n]*\n/m;
    const m = anchor.exec(b.text);
    if (!m) return;
    const at = m.index + m[0].length;
    const t = `${b.text.slice(0, at)}${m[1]}<boot order='${i + 1}'/>\n${b.text.slice(at)}`;
    out = out.slice(0, b.start) + t + out.slice(b.end);
  });
  return out;
}

// --- the diff

/** A line diff of two texts (longest common subsequence), as unified-diff lines with `context` lines around each change. */
export function lineDiff(a: string, b: string, context = 2): string[] {
  const x = a.replace(/\n$/, '').split('\n');
  const y = b.replace(/\n$/, '').split('\n');
  // the common head and tail are trimmed first: a change touches a few lines of a long XML
  let head = 0;
  while (head < x.length && head < y.length && x[head] === y[head]) head++;
  let tail = 0;
  while (tail < x.length - head && tail < y.length - head && x[x.length - 1 - tail] === y[y.length - 1 - tail]) tail++;
  const xs = x.slice(head, x.length - tail);
  const ys = y.slice(head, y.length - tail);
  const n = xs.length;
  const m = ys.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = xs[i] === ys[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: Array<{ op: ' ' | '-' | '+'; line: string; ai: number; bi: number }> = [];
  for (let k = 0; k < head; k++) ops.push({ op: ' ', line: x[k]!, ai: k, bi: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && xs[i] === ys[j]) { ops.push({ op: ' ', line: xs[i]!, ai: head + i, bi: head + j }); i++; j++; }
    else if (j < m && (i >= n || lcs[i]![j + 1]! > lcs[i + 1]![j]!)) { ops.push({ op: '+', line: ys[j]!, ai: head + i, bi: head + j }); j++; }
    else { ops.push({ op: '-', line: xs[i]!, ai: head + i, bi: head + j }); i++; }
  }
  for (let k = 0; k < tail; k++) ops.push({ op: ' ', line: x[x.length - tail + k]!, ai: x.length - tail + k, bi: y.length - tail + k });
  const changed = ops.map((o, k) => (o.op !== ' ' ? k : -1)).filter((k) => k >= 0);
  if (!changed.length) return [];
  const out: string[] = [];
  let k = 0;
  while (k < changed.length) {
    const from = Math.max(0, changed[k]! - context);
    let to = changed[k]! + context;
    while (k + 1 < changed.length && changed[k + 1]! - context <= to + 1) to = changed[++k]! + context;
    to = Math.min(ops.length - 1, to);
    k++;
    const part = ops.slice(from, to + 1);
    const aLen = part.filter((o) => o.op !== '+').length;
    const bLen = part.filter((o) => o.op !== '-').length;
    out.push(`@@ -${part[0]!.ai + 1},${aLen} +${part[0]!.bi + 1},${bLen} @@`);
    for (const o of part) out.push(`${o.op}${o.line}`);
  }
  return out;
}

// --- what the operator typed

export const MAX_SAFE = 2n ** 53n;

/** A size as exact bytes, or why it is refused (0, negative, not a size, beyond 2^53 bytes, beyond `free`). */
export function checkSize(text: string, free?: number | bigint): { bytes?: bigint; error: string } {
  const t = text.trim();
  if (/^-/.test(t)) return { error: 'a size cannot be negative' };
  const b = parseSize(t);
  if (b === undefined) return { error: 'a size such as 32M, 10G or 1.5T' };
  if (b <= 0n) return { error: 'must be more than 0' };
  if (b > MAX_SAFE) return { error: `${b} bytes is beyond 2^53 bytes (8 PiB)` };
  if (free !== undefined && b > BigInt(Math.floor(Number(free)))) return { error: `more than the pool has free (${humanKiB(Number(free) / 1024)}: ${free} bytes)` };
  return { bytes: b, error: '' };
}

/** A new disk's size as exact bytes (checkSize's rules): a bare number is GiB, as virt-install and the new domain form read it. */
export function checkDiskSize(text: string, free?: number | bigint): { bytes?: bigint; error: string } {
  return checkSize(/^\s*\d+(\.\d+)?\s*$/.test(text) ? `${text.trim()}G` : text, free);
}

/** A memory size as exact KiB, or why not (checkSize's rules, MiB without a unit, whole KiB, not above the host's memory). */
export function checkMemory(text: string, hostKiB?: number): { kib?: bigint; error: string } {
  // a bare number is MiB, as in the new domain form (as bytes, "1024" would set 1 KiB)
  const s = checkSize(/^\s*\d+\s*$/.test(text) ? `${text.trim()}M` : text);
  if (s.error) return { error: s.error };
  if (s.bytes! % 1024n) return { error: 'memory is set in whole KiB' };
  const kib = s.bytes! / 1024n;
  if (hostKiB && kib > BigInt(hostKiB)) return { error: `above the host's memory (${humanKiB(hostKiB)})` };
  return { kib, error: '' };
}

export function checkCount(text: string, max: number, what: string): { n?: number; error: string } {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) return { error: 'a whole number' };
  const n = Number(t);
  if (n < 1) return { error: 'at least 1' };
  if (n > max) return { error: `above ${what} (${max})` };
  return { n, error: '' };
}

/** a target name the operator typed: the bus's prefix, and not one already used */
export function checkTarget(name: string, bus: string, used: ReadonlySet<string>): string {
  const p = targetPrefix(bus);
  if (!new RegExp(`^${p}[a-z]+$`).test(name)) return `a ${bus} target is ${p} and letters (${p}b, ${p}c ...)`;
  if (used.has(name)) return `${name} is already used by another disk`;
  return '';
}
