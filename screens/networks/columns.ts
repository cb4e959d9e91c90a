// The networks table. Pure.
import type { Network } from '../../src/model/networks.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { sortByValue } from '../kit/list.ts';

export const NETWORK_COLUMNS: Column[] = [
  { title: 'NAME', flex: 1, min: 10, max: 40 },
  { title: 'STATE' },
  { title: 'AUTOSTART', short: 'AUTO' },
  { title: 'PERSISTENT', short: 'PERS' },
  { title: 'BRIDGE', flex: 2, min: 6, max: 16 },
  { title: 'FORWARD', short: 'MODE' },
  { title: 'IPV4', flex: 1, min: 16, max: 20 },
  { title: 'DHCP RANGE', short: 'DHCP', flex: 3, min: 9, max: 33 },
  { title: 'LEASES', short: 'LEASE', align: 'right' },
];

export function networkRow(n: Network): Row {
  return {
    key: n.name,
    cells: [n.name, n.active ? 'active' : 'inactive', n.autostart ? 'yes' : 'no', n.persistent ? 'yes' : 'no',
      n.bridge || '-', n.forward, n.ipv4 || '-', n.dhcp || '-', n.leases === undefined ? '-' : String(n.leases)],
    color: n.active ? 'green-fg' : undefined,
  };
}

export function sortNetworks(list: readonly Network[], col: number, desc: boolean): Network[] {
  return sortByValue(list, (n) => {
    switch (col) {
      case 1: return n.active ? 0 : 1;
      case 2: return n.autostart ? 0 : 1;
      case 3: return n.persistent ? 0 : 1;
      case 8: return n.leases ?? -1;
      default: return networkRow(n).cells[col] ?? '';
    }
  }, desc);
}
