// The host interfaces table. Pure.
import type { Iface } from './parse.ts';
import type { Row } from '../../src/ui/table.ts';
import { kindRow, kindSort, type KindColumn } from '../kit/kind.ts';

export { bridgeNames } from './parse.ts';

/** "192.168.10.1/24 +1": the first address in full, and how many more the detail shows */
export function addressCell(i: Iface): string {
  if (!i.addresses.length) return '-';
  return i.addresses.length > 1 ? `${i.addresses[0]} +${i.addresses.length - 1}` : i.addresses[0]!;
}

/** a bridge's or a bond's ports; for a vlan its tag and parent; for a port, what holds it */
export function portsCell(i: Iface): string {
  if (i.ports.length) return i.ports.join(' ');
  if (i.vlan) return `tag ${i.vlan.tag} on ${i.vlan.parent || '?'}`;
  if (i.master) return `in ${i.master}`;
  return '-';
}

const up = (i: Iface) => i.state === 'active' || i.state === 'up';

/** Each column with its cell and its own sort key. */
export const IFACE_COLUMNS: readonly KindColumn<Iface>[] = [
  { title: 'NAME', flex: 1, min: 8, max: 20, cell: (i) => i.name },
  { title: 'TYPE', cell: (i) => i.type },
  // up first
  { title: 'STATE', cell: (i) => i.state, sort: (i) => (up(i) ? 0 : 1) },
  // a narrow screen cuts the last fixed column: better the MAC than the state
  { title: 'MAC', min: 17, max: 17, cell: (i) => i.mac || '-' },
  { title: 'ADDRESSES', short: 'ADDR', flex: 2, min: 12, max: 44, cell: addressCell },
  // gives way first: the addresses say more about a host than a port list; the most ports first
  { title: 'PORTS', flex: 3, min: 6, max: 40, cell: portsCell, sort: (i) => (i.ports.length ? -i.ports.length : 0) },
];

/** active and up rows are green */
export const ifaceColor = (i: Iface): string | undefined => (up(i) ? 'green-fg' : undefined);

export function ifaceRow(i: Iface): Row {
  return kindRow({ columns: IFACE_COLUMNS, color: ifaceColor }, i);
}

export function sortIfaces(list: readonly Iface[], col: number, desc: boolean): Iface[] {
  return kindSort({ columns: IFACE_COLUMNS }, list, col, desc);
}

/** The overview as plain lines. Pure. */
export function ifaceLines(i: Iface): string[] {
  const fields: Array<[string, string]> = [
    ['Name', i.name], ['Type', i.type], ['State', i.state], ['MAC', i.mac || '-'],
    ['MTU', i.mtu === undefined ? '-' : String(i.mtu)],
  ];
  if (i.start) fields.push(['Start', i.start]);
  if (i.vlan) fields.push(['VLAN', `tag ${i.vlan.tag} on ${i.vlan.parent || '?'}`]);
  if (i.master) fields.push(['Port of', i.master]);
  const w = Math.max(...fields.map(([k]) => k.length)) + 2;
  const out = ['Interface', ...fields.map(([k, v]) => `  ${`${k}:`.padEnd(w)}${v}`), ''];
  out.push(`Addresses (${i.addresses.length})`, ...(i.addresses.length ? i.addresses.map((a) => `  ${a}`) : ['  (none)']), '');
  out.push(`${i.type === 'bond' ? 'Slaves' : 'Ports'} (${i.ports.length})`, ...(i.ports.length ? i.ports.map((p) => `  ${p}`) : ['  (none)']));
  const from = i.source === 'ip'
    ? ['', 'Read with `ip` on this machine: libvirt has no interface driver.']
    : i.fromIp?.length ? ['', `${i.fromIp.join(', ')}: from \`ip\` on this machine (libvirt left them out)`] : [];
  return [...out, ...from];
}
