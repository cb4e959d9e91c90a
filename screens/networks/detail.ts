// One network: its addresses, DHCP leases, the domains using it, and its XML.
import type { App } from '../../src/app.ts';
import type { View } from '../../src/ui/view.ts';
import { TabbedView } from '../tabbed.ts';
import { parseLeases, type Lease } from '../../src/libvirt/netxml.ts';
import { parseDomainXml } from '../../src/libvirt/domxml.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import type { VirshError } from '../../src/virsh/errors.ts';
import type { Network } from '../../src/model/networks.ts';
import { NETWORK_ACTIONS, type NetworkCtx } from './actions.ts';

/** The overview as plain lines. Pure. */
export function networkLines(n: Network, leases: Lease[] | string, users: Array<[string, string]>): string[] {
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
    for (const l of leases) out.push(`  ${l.ip.padEnd(20)} ${l.mac.padEnd(18)} ${l.hostname.padEnd(20)} expires ${l.expiry}`);
  }
  out.push('', `Domains using it (${users.length})`);
  if (!users.length) out.push('  (none)');
  for (const [dom, mac] of users) out.push(`  ${dom.padEnd(30)} ${mac}`);
  return out;
}

/** Overview (addresses, leases, the domains using it) and XML, with the network's keys. */
export function networkDetailView(app: App, name: string, host: NetworkCtx['host']): View {
  const run = (args: string[]) => app.host.run(args);
  const overview = async (): Promise<string[]> => {
    await app.networks.refresh();
    const n = app.networks.get(name);
    if (!n) return [`network ${name} no longer exists`];
    const [leases, users] = await Promise.all([
      n.active ? run(['net-dhcp-leases', '--network', name]).then(parseLeases).catch((e: VirshError) => `not available: ${e.line}`) : Promise.resolve('the network is not active'),
      Promise.all(app.domains.domains.map(async (d) => {
        // the XML, not domiflist: a table escapes some characters of the network's name (a portgroup follows a /)
        const xml = await run(['dumpxml', '--domain', domainArg(d)]).catch(() => '');
        const nics = xml ? parseDomainXml(xml).nics : [];
        return nics.filter((i) => i.type === 'network' && (i.source === name || i.source.startsWith(`${name}/`))).map((i): [string, string] => [d.name, i.mac]);
      })).then((x) => x.flat()),
    ]);
    return networkLines(n, leases, users);
  };
  return new TabbedView<NetworkCtx>(app, `Network ${name}`, [
    { name: 'Overview', load: overview },
    { name: 'XML', load: async () => (await run(['net-dumpxml', '--network', name])).replace(/\n$/, '').split('\n') },
  ], NETWORK_ACTIONS.filter((a) => !a.keys.includes('enter')), () => ({ host, net: app.networks.get(name), networks: app.networks.networks }),
  () => { const n = app.networks.get(name); return n ? (n.active ? 'active' : 'inactive') : 'gone'; }, ['tab', 'x']);
}
