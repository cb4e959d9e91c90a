// Host network interfaces: libvirt's interface listing and XML, and `ip -j -d addr` (the local
// fallback when libvirt has no interface driver, and the live addresses its udev backend never
// reports). Pure.
import { xmlParser, obj, str, list, type Node } from '../../src/libvirt/xmlnode.ts';

export interface Iface {
  name: string;
  /** ethernet, bridge, bond, vlan; from `ip` also veth, tun, loopback, dummy ... */
  type: string;
  /** '' when unknown (libvirt's udev backend gives none for a bridge) */
  mac: string;
  /** libvirt: active | inactive; ip: its operstate in lower case (up, down, unknown ...) */
  state: string;
  /** address/prefix, IPv4 then IPv6 */
  addresses: string[];
  /** a bridge's ports, a bond's slaves */
  ports: string[];
  vlan?: { tag: number; parent: string };
  mtu?: number;
  /** ip: the bridge or bond it is a port of */
  master?: string;
  /** libvirt: <start mode>: onboot, none, hotplug */
  start?: string;
  source: 'libvirt' | 'ip';
  /** the fields that came from `ip` on this machine although libvirt listed the interface */
  fromIp?: Array<'addresses' | 'ports' | 'mac' | 'master'>;
  /** what it was read from (the XML, or the `ip` JSON object pretty-printed): the detail shows it */
  raw: string;
}

export interface IfaceListRow { name: string; active: boolean; mac: string }

/** `virsh -q iface-list --all`: name, state, MAC (empty for a bridge or a vlan of the test driver). */
export function parseIfaceList(text: string): IfaceListRow[] {
  const out: IfaceListRow[] = [];
  // a Linux interface name has no blanks: the columns split on them
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+(active|inactive)(?:\s+(\S+))?\s*$/.exec(line);
    if (m) out.push({ name: m[1]!, active: m[2] === 'active', mac: m[3] ?? '' });
  }
  return out;
}

const parser = xmlParser(['interface', 'protocol', 'ip']);

const num = (v: unknown): number | undefined => { const n = Number(str(v)); return str(v) !== '' && Number.isFinite(n) ? n : undefined; };

/** IPv4 before IPv6, a link-local address after the others: the first one is the one to show */
function addressOrder(a: string): number {
  return (a.includes(':') ? 2 : 0) + (/^fe80:|^169\.254\./i.test(a) ? 1 : 0);
}
const ordered = (addrs: string[]): string[] => [...addrs].sort((a, b) => addressOrder(a) - addressOrder(b));

/** `virsh iface-dumpxml`: one interface's XML, as far as it tells. `row` is its iface-list line. */
export function parseIfaceXml(xml: string, row?: IfaceListRow): Iface {
  const root = list((parser.parse(xml) as Node)['interface'])[0] ?? {};
  const type = str(root['@type']) || 'ethernet';
  const addresses = list(root['protocol']).flatMap((p) => list(p['ip']).map((ip) => {
    const prefix = str(ip['@prefix']);
    return `${str(ip['@address'])}${prefix ? `/${prefix}` : ''}`;
  })).filter((a) => !a.startsWith('/') && a !== '');
  // a bridge's ports may themselves be bonds or vlans: their own names are the ports
  const holder = obj(root['bridge']) ?? obj(root['bond']);
  const ports = list(holder?.['interface']).map((i) => str(i['@name'])).filter(Boolean);
  const vlanNode = obj(root['vlan']);
  const vlan = vlanNode ? { tag: num(vlanNode['@tag']) ?? 0, parent: str(list(vlanNode['interface'])[0]?.['@name']) } : undefined;
  const linkState = str(obj(root['link'])?.['@state']);
  return {
    name: str(root['@name']) || row?.name || '',
    type,
    mac: str(obj(root['mac'])?.['@address']) || row?.mac || '',
    state: row ? (row.active ? 'active' : 'inactive') : linkState || 'unknown',
    addresses: ordered(addresses),
    ports,
    ...(vlan ? { vlan } : {}),
    ...(num(obj(root['mtu'])?.['@size']) !== undefined ? { mtu: num(obj(root['mtu'])?.['@size']) } : {}),
    ...(str(obj(root['start'])?.['@mode']) ? { start: str(obj(root['start'])?.['@mode']) } : {}),
    source: 'libvirt',
    raw: xml.replace(/\n+$/, ''),
  };
}

interface IpAddrInfo { family?: string; local?: string; prefixlen?: number }
interface IpLink {
  ifname?: string; link?: string | null; master?: string; mtu?: number; operstate?: string;
  link_type?: string; address?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string; info_data?: { id?: number } };
  addr_info?: IpAddrInfo[];
}

/**
 * `ip -j -d addr` (iproute2's JSON, with -d its linkinfo: the kind and what it is a port of).
 * A bridge's or a bond's ports are the interfaces whose `master` it is.
 */
export function parseIpAddr(json: string): Iface[] {
  const links = JSON.parse(json) as IpLink[];
  if (!Array.isArray(links)) throw new Error('ip -j addr: not a list');
  const named = links.filter((l) => typeof l.ifname === 'string' && l.ifname);
  return named.map((l): Iface => {
    const kind = l.linkinfo?.info_kind || (l.link_type === 'loopback' ? 'loopback' : l.link_type === 'ether' || !l.link_type ? 'ethernet' : l.link_type);
    const addrs = (l.addr_info ?? []).filter((a) => a.local).map((a) => `${a.local}${a.prefixlen !== undefined ? `/${a.prefixlen}` : ''}`);
    return {
      name: l.ifname!,
      type: kind,
      mac: l.address ?? '',
      state: (l.operstate ?? 'unknown').toLowerCase(),
      addresses: ordered(addrs),
      ports: named.filter((p) => p.master === l.ifname).map((p) => p.ifname!),
      ...(kind === 'vlan' ? { vlan: { tag: l.linkinfo?.info_data?.id ?? 0, parent: l.link ?? '' } } : {}),
      ...(typeof l.mtu === 'number' ? { mtu: l.mtu } : {}),
      ...(l.master ? { master: l.master } : {}),
      source: 'ip',
      raw: JSON.stringify(l, null, 2),
    };
  });
}

/**
 * libvirt's interfaces with what it left empty taken from `ip` on the same machine: its udev
 * backend (Debian, Ubuntu) reports no addresses, and sometimes no MAC or ports. What libvirt
 * says wins; interfaces `ip` alone knows are not added (libvirt chose what to list).
 */
export function fillFromIp(fromLibvirt: readonly Iface[], fromIp: readonly Iface[]): Iface[] {
  const byName = new Map(fromIp.map((i) => [i.name, i]));
  return fromLibvirt.map((i) => {
    const live = byName.get(i.name);
    if (!live) return i;
    const out: Iface = { ...i };
    const filled: NonNullable<Iface['fromIp']> = [];
    if (!i.addresses.length && live.addresses.length) { out.addresses = live.addresses; filled.push('addresses'); }
    if (!i.ports.length && live.ports.length) { out.ports = live.ports; filled.push('ports'); }
    if (!i.mac && live.mac) { out.mac = live.mac; filled.push('mac'); }
    if (!i.master && live.master) { out.master = live.master; filled.push('master'); }
    return filled.length ? { ...out, fromIp: filled } : out;
  });
}

/** The host's bridges, by name: what a network in bridge mode (or a NIC) can be put on. */
export function bridgeNames(ifaces: readonly Iface[]): string[] {
  return ifaces.filter((i) => i.type === 'bridge').map((i) => i.name).sort();
}

/** libvirt has no interface driver on this connection (virsh says so in several ways) */
export function noInterfaceDriver(errorLine: string): boolean {
  return /not supported|no interface driver|virtinterfaced|interface driver/i.test(errorLine);
}
