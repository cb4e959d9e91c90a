// Host network interfaces (`:iface`), a kind declared once: read-only; Enter shows one interface
// with what it was read from (libvirt's XML, or `ip` on this machine).
import { plural } from '../../src/ui/text.ts';
import { ifaceStore, type IfaceStore, type Iface } from './store.ts';
import type { KindSpec } from '../kit/kind.ts';
import { IFACE_COLUMNS, ifaceColor, ifaceLines } from './columns.ts';

export const IFACE_KIND: KindSpec<Iface> = {
  name: 'ifaces',
  title: 'Host interfaces',
  aliases: ['iface', 'ifaces', 'interface', 'interfaces'],
  noun: 'interface',
  store: ifaceStore,
  columns: IFACE_COLUMNS,
  color: ifaceColor,
  actions: [
    { keys: ['enter'], label: 'details', help: 'details: addresses, ports, and the XML (or what ip said)', when: (c) => !!c.item, run: (c) => c.env.openDetail(c.item!.name) },
  ],
  summary: (all, store) => {
    if (store.lastError && !all.length) return 'host interfaces not available';
    const bridges = all.filter((i) => i.type === 'bridge').length;
    const active = all.filter((i) => i.state === 'active' || i.state === 'up').length;
    const fromIp = (store as IfaceStore).source === 'ip' ? ' (from ip on this machine: libvirt has no interface driver)' : '';
    return `${plural(all.length, 'interface')}, ${active} up, ${plural(bridges, 'bridge')}${fromIp}`;
  },
  // the short reason first: virsh's own line is in the error (and the hint) in full
  emptyText: (store) => (!store.lastError || store.items.length ? undefined
    : (store as IfaceStore).unavailable ? 'no interface driver in that host\'s libvirt, and ip reads only this machine' : store.lastError.line),
  detailTitle: (name) => `Interface ${name}`,
  detailStatus: (i) => i?.state ?? 'gone',
  tabs: (env, name) => {
    const current = () => env.store.get(name);
    const gone = [`interface ${name} no longer exists`];
    return [
      { name: 'Overview', load: async () => { await env.store.refresh(); const i = current(); return i ? ifaceLines(i) : gone; } },
      { name: current()?.source === 'ip' ? 'ip' : 'XML', load: async () => current()?.raw.split('\n') ?? gone },
    ];
  },
};
