// Reading a network's XML and virsh's network listings. Pure.
import { xmlParser, obj, str, type Node } from './xmlnode.ts';

export interface NetworkXmlInfo {
  name: string;
  uuid: string;
  /** nat, route, open, bridge, passthrough, private, vepa, hostdev ...; "isolated" when there is no <forward> */
  forward: string;
  /** the bridge libvirt creates, or the host bridge a "bridge" network uses */
  bridge: string;
  /** "192.168.122.1/24" (the first IPv4 address) */
  ipv4: string;
  /** "192.168.122.2-192.168.122.254" (the first range of that address) */
  dhcp: string;
  ipv6: string[];
}

const parser = xmlParser(['ip', 'range', 'host', 'interface', 'portgroup']);


/** 255.255.255.0 -> 24 */
export function prefixOf(netmask: string): number | undefined {
  const parts = netmask.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
  const bits = parts.map((p) => p.toString(2).padStart(8, '0')).join('');
  return /^1*0*$/.test(bits) ? bits.indexOf('0') === -1 ? 32 : bits.indexOf('0') : undefined;
}

export function parseNetworkXml(xml: string): NetworkXmlInfo {
  const net = obj((parser.parse(xml) as Node)['network']) ?? {};
  const fwd = obj(net['forward']);
  const ips = ((net['ip'] as unknown[]) ?? []).map(obj).filter((x): x is Node => !!x);
  const isV6 = (ip: Node) => str(ip['@family']) === 'ipv6' || str(ip['@address']).includes(':');
  const v4 = ips.find((ip) => !isV6(ip));
  let ipv4 = '';
  let dhcp = '';
  if (v4) {
    const prefix = str(v4['@prefix']) || (str(v4['@netmask']) ? String(prefixOf(str(v4['@netmask'])) ?? str(v4['@netmask'])) : '');
    ipv4 = `${str(v4['@address'])}${prefix ? `/${prefix}` : ''}`;
    const range = ((obj(v4['dhcp'])?.['range'] as unknown[]) ?? []).map(obj)[0];
    if (range) dhcp = `${str(range['@start'])}-${str(range['@end'])}`;
  }
  return {
    name: str(net['name']),
    uuid: str(net['uuid']),
    forward: fwd ? str(fwd['@mode']) || 'nat' : 'isolated',
    bridge: str(obj(net['bridge'])?.['@name']),
    ipv4,
    dhcp,
    ipv6: ips.filter(isV6).map((ip) => `${str(ip['@address'])}${str(ip['@prefix']) ? `/${str(ip['@prefix'])}` : ''}`),
  };
}

/** Every IPv4 <ip> of a network's XML as "address/prefix" (a netmask turned into its prefix). */
export function ipv4Subnets(xml: string): string[] {
  const net = obj((parser.parse(xml) as Node)['network']) ?? {};
  const ips = ((net['ip'] as unknown[]) ?? []).map(obj).filter((x): x is Node => !!x);
  return ips.filter((ip) => str(ip['@family']) !== 'ipv6' && !str(ip['@address']).includes(':') && str(ip['@address']))
    .map((ip) => `${str(ip['@address'])}/${str(ip['@prefix']) || (str(ip['@netmask']) ? String(prefixOf(str(ip['@netmask'])) ?? 24) : '24')}`);
}

export interface NetListRow { name: string; active: boolean; autostart: boolean; persistent: boolean }

/** `virsh -q net-list --all`: the name is everything before the last three columns. */
export function parseNetList(text: string): NetListRow[] {
  const out: NetListRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(.*?)\s+(active|inactive)\s+(yes|no)\s+(yes|no)\s*$/.exec(line);
    if (m) out.push({ name: m[1]!, active: m[2] === 'active', autostart: m[3] === 'yes', persistent: m[4] === 'yes' });
  }
  return out;
}

export interface Lease { expiry: string; mac: string; protocol: string; ip: string; hostname: string; clientId: string }

/** `virsh -q net-dhcp-leases NAME` */
export function parseLeases(text: string): Lease[] {
  const out: Lease[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+ \S+)\s+(\S+)\s+(ipv4|ipv6)\s+(\S+)\s+(\S+)\s*(\S*)\s*$/.exec(line);
    if (m) out.push({ expiry: m[1]!, mac: m[2]!, protocol: m[3]!, ip: m[4]!, hostname: m[5]!, clientId: m[6]! });
  }
  return out;
}

export interface DomIface { iface: string; type: string; source: string; model: string; mac: string }

/** `virsh -q domiflist DOMAIN` */
export function parseDomIfList(text: string): DomIface[] {
  const out: DomIface[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 5) out.push({ iface: f[0]!, type: f[1]!, source: f[2]!, model: f[3]!, mac: f[4]! });
  }
  return out;
}
