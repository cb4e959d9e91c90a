// The networks table. Pure.
import type { Network } from '../../src/model/networks.ts';
import type { Row } from '../../src/ui/table.ts';
import { kindRow, kindSort, type KindColumn } from '../kit/kind.ts';

const yes = (b: boolean) => (b ? 'yes' : 'no');

/** Each column with its cell and its own sort key (active, autostart, persistent first; the most leases first when reversed). */
export const NETWORK_COLUMNS: readonly KindColumn<Network>[] = [
  { title: 'NAME', flex: 1, min: 10, max: 40, cell: (n) => n.name },
  { title: 'STATE', cell: (n) => (n.active ? 'active' : 'inactive'), sort: (n) => (n.active ? 0 : 1) },
  { title: 'AUTOSTART', short: 'AUTO', cell: (n) => yes(n.autostart), sort: (n) => (n.autostart ? 0 : 1) },
  { title: 'PERSISTENT', short: 'PERS', cell: (n) => yes(n.persistent), sort: (n) => (n.persistent ? 0 : 1) },
  { title: 'BRIDGE', flex: 2, min: 6, max: 16, cell: (n) => n.bridge || '-' },
  { title: 'FORWARD', short: 'MODE', cell: (n) => n.forward },
  { title: 'IPV4', flex: 1, min: 16, max: 20, cell: (n) => n.ipv4 || '-' },
  { title: 'DHCP RANGE', short: 'DHCP', flex: 3, min: 9, max: 33, cell: (n) => n.dhcp || '-' },
  { title: 'LEASES', short: 'LEASE', align: 'right', cell: (n) => (n.leases === undefined ? '-' : String(n.leases)), sort: (n) => n.leases ?? -1 },
];

/** active networks are green */
export const networkColor = (n: Network): string | undefined => (n.active ? 'green-fg' : undefined);

export function networkRow(n: Network): Row {
  return kindRow({ columns: NETWORK_COLUMNS, color: networkColor }, n);
}

export function sortNetworks(list: readonly Network[], col: number, desc: boolean): Network[] {
  return kindSort({ columns: NETWORK_COLUMNS }, list, col, desc);
}
