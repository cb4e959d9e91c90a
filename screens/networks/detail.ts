// One network: its addresses, DHCP leases, the domains using it, and its XML.
import type { Connection } from '../../src/model/connection.ts';
import type { Tab } from '../kit/tabbed.ts';
import type { KindEnv } from '../kit/kind.ts';
import { parseLeases, type Lease } from '../../src/libvirt/netxml.ts';
import { padCells } from '../../src/ui/text.ts';
import { strWidth } from '../../src/ui/blessed-compat.ts';
import { networkUsers } from './users.ts';
import type { VirshError } from '../../src/virsh/errors.ts';
import type { Network } from '../../src/model/networks.ts';

/** The overview as plain lines. Pure. */
export function networkLines(n: Network, leases: Lease[] | string, users: Array<[string, string]>): string[] {
  // padded by display width: a name with 🚀 or 漢字 keeps the next column in line
  const out = [
    'Network',
    `  ${'State:'.padEnd(12)} ${n.active ? 'active' : 'inactive'}${n.persistent ? '' : ' (transient)'}`,
    `  ${'Autostart:'.padEnd(12)} ${n.autostart ? 'yes' : 'no'}`,
    `  ${'Forward:'.padEnd(12)} ${n.forward}`,
    `  ${'Bridge:'.padEnd(12)} ${n.bridge || '-'}`,
    `  ${'IPv4:'.padEnd(12)} ${n.ipv4 || '-'}`,
    `  ${'DHCP range:'.padEnd(12)} ${n.dhcp || '-'}`,
    ...(n.ipv6.length ? [`  ${'IPv6:'.padEnd(12)} ${n.ipv6.join(', ')}`] : []),
    '',
  ];
  if (typeof leases === 'string') out.push('DHCP leases', `  ${leases}`);
  else {
    out.push(`DHCP leases (${leases.length})`);
    if (!leases.length) out.push('  (none)');
    for (const l of leases) out.push(`  ${l.ip.padEnd(20)} ${l.mac.padEnd(18)} ${padCells(l.hostname, 20)} expires ${l.expiry}`);
  }
  out.push('', `Domains using it (${users.length})`);
  if (!users.length) out.push('  (none)');
  const w = Math.max(30, ...users.map(([dom]) => strWidth(dom)));
  for (const [dom, mac] of users) out.push(`  ${padCells(dom, w)} ${mac}`);
  return out;
}

/** the domains of the app, as the network actions need them (who uses a network) */
export function domainStates(conn: Connection): Array<{ name: string; uuid?: string; running: boolean }> {
  return conn.domains.domains.map((d) => ({ name: d.name, uuid: d.uuid, running: d.id !== null }));
}

/** Overview (addresses, leases, the domains using it) and XML. */
export function networkTabs(env: KindEnv<Network>, name: string): Tab[] {
  const { conn } = env;
  const run = (args: string[]) => conn.run(args);
  const overview = async (): Promise<string[]> => {
    await env.store.refresh();
    const n = env.store.get(name);
    if (!n) return [`network ${name} no longer exists`];
    const [leases, users] = await Promise.all([
      n.active ? run(['net-dhcp-leases', '--network', name]).then(parseLeases).catch((e: VirshError) => `not available: ${e.line}`) : Promise.resolve('the network is not active'),
      networkUsers(run, domainStates(conn), name).then((us) => us.map((u): [string, string] => [u.domain, u.mac])),
    ]);
    return networkLines(n, leases, users);
  };
  return [
    { name: 'Overview', load: overview },
    { name: 'XML', load: async () => (await run(['net-dumpxml', '--network', name])).replace(/\n$/, '').split('\n') },
  ];
}
