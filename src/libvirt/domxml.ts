// Reading a domain's XML for the detail view: disks, NICs, graphics. Pure. Must not throw on any
// XML libvirt can produce (tested on every domain XML under ../shared/fixtures/xml/domains).
import { XMLParser } from 'fast-xml-parser';
import type { DiskInfo, DomainXmlInfo, GraphicsInfo, NicInfo } from './types.ts';

type Node = Record<string, unknown>;

const ALWAYS_ARRAY = new Set(['disk', 'interface', 'graphics', 'listen', 'console', 'serial', 'host', 'source']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ALWAYS_ARRAY.has(name),
});

function attr(n: unknown, name: string): string {
  if (!n || typeof n !== 'object') return '';
  const v = (n as Node)[`@${name}`];
  return v === undefined || v === null ? '' : String(v);
}
function child(n: unknown, name: string): Node | undefined {
  if (!n || typeof n !== 'object') return undefined;
  const v = (n as Node)[name];
  if (Array.isArray(v)) return (v[0] ?? undefined) as Node | undefined;
  return v && typeof v === 'object' ? (v as Node) : v === '' ? {} : undefined;
}
function children(n: unknown, name: string): Node[] {
  if (!n || typeof n !== 'object') return [];
  const v = (n as Node)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (x && typeof x === 'object' ? (x as Node) : {}));
}
function text(n: unknown, name: string): string {
  if (!n || typeof n !== 'object') return '';
  const v = (n as Node)[name];
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return String((v as Node)['#text'] ?? '');
  return String(v);
}

export function diskSource(disk: Node): string {
  const src = child(disk, 'source');
  if (!src) return '';
  for (const k of ['file', 'dev', 'dir']) if (attr(src, k)) return attr(src, k);
  if (attr(src, 'pool') || attr(src, 'volume')) return `${attr(src, 'pool')}/${attr(src, 'volume')}`;
  if (attr(src, 'protocol')) {
    const host = children(src, 'host')[0];
    const where = host ? `${attr(host, 'name') || attr(host, 'socket')}${attr(host, 'port') ? ':' + attr(host, 'port') : ''}/` : '';
    return `${attr(src, 'protocol')}://${where}${attr(src, 'name')}`;
  }
  if (attr(disk, 'type') === 'nvme') {
    const a = child(src, 'address');
    return `nvme ${attr(a, 'domain')}:${attr(a, 'bus')}:${attr(a, 'slot')}.${attr(a, 'function')} ns ${attr(src, 'namespace')}`;
  }
  if (attr(src, 'type') && attr(src, 'path')) return `${attr(src, 'type')}:${attr(src, 'path')}`;
  return '';
}

export function nicSource(nic: Node): string {
  const type = attr(nic, 'type');
  const src = child(nic, 'source');
  if (src) {
    if (attr(src, 'network')) return attr(src, 'network') + (attr(src, 'portgroup') ? `/${attr(src, 'portgroup')}` : '');
    if (attr(src, 'bridge')) return attr(src, 'bridge');
    if (attr(src, 'dev')) return attr(src, 'dev') + (attr(src, 'mode') ? ` (${attr(src, 'mode')})` : '');
    if (attr(src, 'path')) return attr(src, 'path');
    if (attr(src, 'address')) return `${attr(src, 'address')}${attr(src, 'port') ? ':' + attr(src, 'port') : ''}`;
    const addr = child(src, 'address');
    if (addr && attr(addr, 'bus')) return `pci ${attr(addr, 'domain')}:${attr(addr, 'bus')}:${attr(addr, 'slot')}.${attr(addr, 'function')}`;
  }
  if (type === 'user') return 'user-mode (SLIRP)';
  return '';
}

function graphicsListen(g: Node): string {
  if (attr(g, 'listen')) return attr(g, 'listen');
  if (attr(g, 'socket')) return attr(g, 'socket');
  for (const l of children(g, 'listen')) {
    if (attr(l, 'address')) return attr(l, 'address');
    if (attr(l, 'socket')) return attr(l, 'socket');
    if (attr(l, 'network')) return `network ${attr(l, 'network')}`;
    // the type alone: no address was given, so libvirt uses qemu.conf's (vnc_listen, spice_listen)
    if (attr(l, 'type') === 'address') return 'default (qemu.conf)';
    if (attr(l, 'type') === 'none') return 'none (no network)';
    if (attr(l, 'type') === 'socket') return 'a UNIX socket';
    if (attr(l, 'type')) return attr(l, 'type');
  }
  return '';
}

export function parseDomainXml(xml: string): DomainXmlInfo {
  const doc = parser.parse(xml) as Node;
  const dom = child(doc, 'domain') ?? {};
  const os = child(dom, 'os');
  const osType = child(os, 'type');
  const devices = child(dom, 'devices') ?? {};
  const disks: DiskInfo[] = children(devices, 'disk').map((d) => ({
    target: attr(child(d, 'target'), 'dev'),
    device: attr(d, 'device') || 'disk',
    type: attr(d, 'type'),
    source: diskSource(d),
    bus: attr(child(d, 'target'), 'bus'),
    format: attr(child(d, 'driver'), 'type'),
    readonly: child(d, 'readonly') !== undefined,
  }));
  const nics: NicInfo[] = children(devices, 'interface').map((n) => ({
    mac: attr(child(n, 'mac'), 'address'),
    type: attr(n, 'type'),
    source: nicSource(n),
    model: attr(child(n, 'model'), 'type'),
    target: attr(child(n, 'target'), 'dev'),
  }));
  const graphics: GraphicsInfo[] = children(devices, 'graphics').map((g) => ({
    type: attr(g, 'type'),
    port: attr(g, 'port') || attr(g, 'tlsPort'),
    listen: graphicsListen(g),
    autoport: attr(g, 'autoport') === 'yes',
  }));
  return {
    name: text(dom, 'name'),
    uuid: text(dom, 'uuid'),
    title: text(dom, 'title'),
    description: text(dom, 'description'),
    type: attr(dom, 'type'),
    arch: attr(osType, 'arch'),
    machine: attr(osType, 'machine'),
    osType: typeof (os as Node | undefined)?.['type'] === 'string' ? String((os as Node)['type']) : text(os, 'type'),
    disks,
    nics,
    graphics,
    consoles: children(devices, 'console').length + children(devices, 'serial').length,
    hasNvram: child(os, 'nvram') !== undefined || attr(os, 'firmware') === 'efi',
  };
}
