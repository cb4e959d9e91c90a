// What can be done to a network, by key, offered only when its state allows it.
import type { Network } from '../../src/model/networks.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { autostartKeys, confirmThen, editKey, type ActionHost } from '../kit/list.ts';
import { createNetwork, defineFromFile } from '../create.ts';
import { networkUsers, usersText } from './users.ts';
import type { KindCreate } from '../kit/kind.ts';

export interface NetworkCtx {
  host: ActionHost;
  net: Network | undefined;
  networks: readonly Network[];
  /** the host's domains: the stop question names those using the network */
  domains?: ReadonlyArray<{ name: string; running: boolean }>;
  /** the host's bridges (`:iface`), for the form's bridge mode; null when they cannot be read */
  bridges?: () => Promise<string[] | null>;
}

export const NETWORK_ACTIONS: KeyAction<NetworkCtx>[] = [
  { keys: ['enter'], label: 'details', help: 'details: addresses, DHCP leases, the domains using it, the XML', when: (c) => !!c.net, run: (c) => c.host.openDetail(c.net!.name) },
  { keys: ['u'], label: 'start', help: 'start the network', mutates: true, when: (c) => !!c.net && !c.net.active, run: (c) => { void c.host.action(['net-start', '--network', c.net!.name]); } },
  {
    keys: ['D'], label: 'stop', help: 'stop the network (net-destroy)', mutates: true, dangerous: true, when: (c) => !!c.net?.active,
    run: async (c) => {
      const users = await networkUsers((a) => c.host.run(a), c.domains ?? [], c.net!.name);
      const running = users.filter((u) => u.running);
      const off = users.filter((u) => !u.running);
      const one = new Set(running.map((u) => u.domain)).size === 1;
      return confirmThen(c, {
        title: `Stop network ${c.net!.name}`, confirmLabel: 'Stop',
        message: [`Stop ${c.net!.name}: its bridge${c.net!.bridge ? ` ${c.net!.bridge}` : ''} goes down${running.length ? ` and ${usersText(running)} lose${one ? 's its' : ' their'} connection` : ''}.`,
          running.length ? '' : 'No running domain uses it.',
          off.length ? `${usersText(off)} cannot start while it is stopped.` : '',
          ...(c.net!.persistent ? [] : [`${c.net!.name} is transient: it disappears when it stops.`])].filter(Boolean),
      }, ['net-destroy', '--network', c.net!.name]);
    },
  },
  ...autostartKeys<NetworkCtx>('net-autostart', '--network', (c) => c.net),
  {
    keys: ['X'], label: 'undefine', help: 'undefine: remove the definition (asks; you type the name; stops it first)', mutates: true, dangerous: true,
    when: (c) => !!c.net?.persistent,
    run: async (c) => {
      const n = c.net!;
      const r = await c.host.ask({
        title: `Undefine network ${n.name}`, confirmLabel: 'Undefine', dangerous: true, typeToConfirm: n.name,
        message: [`Undefine ${n.name}: its definition is removed from libvirt.`,
          ...(n.active ? ['It is active: libvirt refuses to undefine it while it runs, so it is stopped first, and the domains using it lose their connection.'] : [])],
      });
      if (!r.confirmed) return;
      if (n.active && !(await c.host.action(['net-destroy', '--network', n.name])).ok) return;
      await c.host.action(['net-undefine', '--network', n.name]);
    },
  },
  { keys: ['F'], label: 'from file', help: 'define a network from an XML file', mutates: true, bulk: false, footer: false, run: (c) => defineFromFile(c.host, 'network') },
  editKey<NetworkCtx>('network', (c) => c.net),
];

/** `n`: the create form */
export const NETWORK_CREATE: KindCreate<NetworkCtx> = {
  key: 'n', help: 'create a network from a form (NAT, routed, isolated, open, bridge): XML shown and validated first', run: (c) => createNetwork(c.host, c.networks, c.bridges),
};
