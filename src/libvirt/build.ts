// Building new definitions from form values with fast-xml-parser's builder. Pure.
import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@', format: true, indentBy: '  ', suppressEmptyNode: true });

/** "192.168.100.1" -> number; undefined when not a dotted quad */
export function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s.trim());
  if (!m) return undefined;
  const p = m.slice(1).map(Number);
  if (p.some((x) => x > 255)) return undefined;
  return ((p[0]! << 24) >>> 0) + (p[1]! << 16) + (p[2]! << 8) + p[3]!;
}
export const ipText = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
/** the netmask of a prefix length, as a number */
export const maskOf = mask;

export type NetMode = 'nat' | 'route' | 'isolated' | 'open' | 'bridge';
export const NET_MODES: readonly NetMode[] = ['nat', 'route', 'isolated', 'open', 'bridge'];

export interface NetworkForm {
  name: string;
  mode: NetMode;
  /** the bridge libvirt creates (empty: libvirt picks virbrN), or for mode bridge the host's existing bridge */
  bridge: string;
  address: string;
  prefix: string;
  /** "start-end", or empty for no DHCP */
  dhcp: string;
}

/**
 * The one rule for the name of a network or pool virtui creates: letters, digits and . _ + -,
 * starting with a letter or digit (the name becomes files under /etc/libvirt and /var/lib/libvirt;
 * spaces, quotes and $() in it only cause trouble later, and a leading - reads as an option).
 * '' when the name is fine.
 */
export function checkNewName(name: string, noun: string): string {
  if (!name.trim()) return 'a name is needed';
  if (/^[-+._]/.test(name)) return `a ${noun} name starts with a letter or a digit (a leading ${name[0]} reads as an option or hides the file)`;
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(name)) return `no spaces or other signs in a ${noun} name: letters, digits and . _ + - (it names files on the host)`;
  if (name.length > 64) return 'at most 64 characters';
  return '';
}

/** The form's problems, one message per field id (empty when none). */
export function checkNetworkForm(f: NetworkForm): Record<string, string> {
  const e: Record<string, string> = {};
  const bad = checkNewName(f.name, 'network');
  if (bad) e['name'] = bad;
  if (f.mode === 'bridge') {
    if (!f.bridge.trim()) e['bridge'] = 'the name of an existing host bridge (e.g. br0)';
    return e;
  }
  if (f.bridge && !/^[A-Za-z0-9_.:-]{1,15}$/.test(f.bridge)) e['bridge'] = 'up to 15 letters, digits, - _ . :';
  const a = ipv4(f.address);
  const p = Number(f.prefix);
  if (a === undefined) e['address'] = 'an IPv4 address such as 192.168.100.1';
  if (!/^\d+$/.test(f.prefix) || p < 8 || p > 30) e['prefix'] = 'a prefix length from 8 to 30';
  if (f.dhcp.trim() && a !== undefined && !e['prefix']) {
    const [s, t] = f.dhcp.split('-').map((x) => ipv4(x));
    const net = (a & mask(p)) >>> 0;
    const inNet = (x: number) => ((x & mask(p)) >>> 0) === net && x !== net && x !== (net | ~mask(p)) >>> 0;
    if (s === undefined || t === undefined) e['dhcp'] = 'start-end, e.g. 192.168.100.2-192.168.100.254';
    else if (!inNet(s) || !inNet(t)) e['dhcp'] = `both ends inside ${ipText(net)}/${p}`;
    else if (s > t) e['dhcp'] = 'the start comes after the end';
    else if (a >= s && a <= t) e['dhcp'] = 'the range must not hold the network\'s own address';
  }
  return e;
}

/** The <network> XML for the form (checked first with checkNetworkForm). */
export function buildNetworkXml(f: NetworkForm): string {
  const net: Record<string, unknown> = { name: f.name };
  if (f.mode === 'bridge') {
    net['forward'] = { '@mode': 'bridge' };
    net['bridge'] = { '@name': f.bridge };
  } else {
    if (f.mode !== 'isolated') net['forward'] = { '@mode': f.mode };
    if (f.bridge) net['bridge'] = { '@name': f.bridge, '@stp': 'on', '@delay': '0' };
    const ip: Record<string, unknown> = { '@address': f.address.trim(), '@prefix': String(Number(f.prefix)) };
    if (f.dhcp.trim()) {
      const [s, t] = f.dhcp.split('-').map((x) => x.trim());
      ip['dhcp'] = { range: { '@start': s, '@end': t } };
    }
    net['ip'] = ip;
  }
  return String(builder.build({ network: net }));
}

/**
 * The first network whose IPv4 subnet overlaps `address`/`prefix` (two subnets overlap when the
 * shorter prefix's network holds the other's address): libvirt defines such a network and then
 * refuses to start it. undefined when none does.
 */
export function overlappingNetwork(address: string, prefix: number, others: ReadonlyArray<{ name: string; subnets: readonly string[] }>): { name: string; subnet: string } | undefined {
  const a = ipv4(address);
  if (a === undefined) return undefined;
  for (const o of others) {
    for (const s of o.subnets) {
      const [addr, p] = s.split('/');
      const b = ipv4(addr ?? '');
      const q = Number(p);
      if (b === undefined || !(q >= 0 && q <= 32)) continue;
      const m = mask(Math.min(prefix, q));
      if (((a & m) >>> 0) === ((b & m) >>> 0)) return { name: o.name, subnet: `${ipText((b & mask(q)) >>> 0)}/${q}` };
    }
  }
  return undefined;
}

/** A /24 no existing network uses: 192.168.100.0/24 upwards. Suggests address and DHCP range. */
export function freeSubnet(used: readonly string[]): { address: string; dhcp: string } {
  const taken = new Set(used.map((u) => ipv4(u.split('/')[0] ?? '')).filter((x): x is number => x !== undefined).map((x) => x >>> 8));
  for (let third = 100; third < 255; third++) {
    const base = ((192 << 24) >>> 0) + (168 << 16) + (third << 8);
    if (!taken.has(base >>> 8)) return { address: ipText(base + 1), dhcp: `${ipText(base + 2)}-${ipText(base + 254)}` };
  }
  return { address: '10.200.0.1', dhcp: '10.200.0.2-10.200.0.254' };
}

export type PoolType = 'dir' | 'fs' | 'netfs' | 'logical' | 'disk';
export const POOL_TYPES: readonly PoolType[] = ['dir', 'fs', 'netfs', 'logical', 'disk'];

/** which pool-define-as fields each type takes */
export const POOL_FIELDS: Record<PoolType, readonly string[]> = {
  dir: ['target'],
  fs: ['sourceDev', 'sourceFormat', 'target'],
  netfs: ['sourceHost', 'sourcePath', 'sourceFormat', 'target'],
  logical: ['sourceName', 'sourceDev', 'target'],
  disk: ['sourceDev', 'sourceFormat', 'target'],
};

/** `virsh pool-define-as` arguments for the form's values (only the fields of its type). */
export function poolDefineArgs(v: Record<string, string>): string[] {
  const type = v['type'] as PoolType;
  const args = ['pool-define-as', '--name', v['name']!, '--type', type];
  const opt: Record<string, string> = { sourceHost: '--source-host', sourcePath: '--source-path', sourceDev: '--source-dev', sourceName: '--source-name', sourceFormat: '--source-format', target: '--target' };
  for (const f of POOL_FIELDS[type] ?? []) if (v[f]?.trim()) args.push(opt[f]!, v[f]!.trim());
  return args;
}
