// The host interfaces list (`:iface`): read-only; Enter shows one interface.
import { plural } from '../../src/ui/text.ts';
import type { App } from '../../src/app.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { IfaceStore, type Iface } from '../../src/model/ifaces.ts';
import { ListView } from '../list.ts';
import { TabbedView } from '../tabbed.ts';
import { isLocalUri } from '../volumes/screen.ts';
import { IFACE_COLUMNS, ifaceLines, ifaceRow, sortIfaces } from './columns.ts';

export interface IfaceCtx { iface: Iface | undefined; open(name: string): void }

export const IFACE_ACTIONS: readonly KeyAction<IfaceCtx>[] = [
  { keys: ['enter'], label: 'details', help: 'details: addresses, ports, and the XML (or what ip said)', when: (c) => !!c.iface, run: (c) => c.open(c.iface!.name) },
];

/** one store per connection, kept across visits (until the connection owns it) */
const stores = new WeakMap<object, IfaceStore>();

function storeOf(app: App): IfaceStore {
  let s = stores.get(app.host);
  if (!s) {
    s = new IfaceStore(app.host, IfaceStore.options(isLocalUri(app.host.uri)));
    s.on('change', () => app.requestRender());
    s.on('failed', () => app.requestRender());
    stores.set(app.host, s);
  }
  return s;
}

export function ifacesView(app: App, store: IfaceStore = storeOf(app)): ListView<Iface, IfaceCtx> {
  const open = (name: string) => app.push(ifaceDetailView(app, store, name));
  // ListView makes its rows (and its empty text) again only when the list is another array: a
  // failed load keeps the list, so the error gets a new one, else "loading…" would stay
  let seen = { list: store.ifaces, error: store.lastError, items: store.ifaces };
  const items = () => {
    if (seen.list !== store.ifaces || seen.error !== store.lastError) seen = { list: store.ifaces, error: store.lastError, items: [...store.ifaces] };
    return seen.items;
  };
  return new ListView<Iface, IfaceCtx>(app, {
    title: 'Host interfaces',
    noun: 'interface',
    columns: IFACE_COLUMNS,
    items,
    loaded: () => store.loaded || !!store.lastError,
    key: (i) => i.name,
    row: ifaceRow,
    sort: sortIfaces,
    actions: IFACE_ACTIONS,
    context: (iface) => ({ iface, open }),
    // the short reason first: virsh's own line is in the error (and the hint) in full
    emptyText: () => (!store.lastError || store.ifaces.length ? undefined
      : store.unavailable ? 'no interface driver in that host\'s libvirt, and ip reads only this machine' : store.lastError.line),
    summary: (all) => {
      if (store.lastError && !all.length) return 'host interfaces not available';
      const bridges = all.filter((i) => i.type === 'bridge').length;
      const active = all.filter((i) => i.state === 'active' || i.state === 'up').length;
      return `${plural(all.length, 'interface')}, ${active} up, ${plural(bridges, 'bridge')}${store.source === 'ip' ? ' (from ip on this machine: libvirt has no interface driver)' : ''}`;
    },
    open: (i) => open(i.name),
    refresh: () => store.refresh(),
  });
}

/** Overview and what it was read from (the XML, or `ip`'s JSON). */
export function ifaceDetailView(app: App, store: IfaceStore, name: string): View {
  const current = () => store.get(name);
  const gone = [`interface ${name} no longer exists`];
  return new TabbedView<IfaceCtx>(app, `Interface ${name}`, [
    { name: 'Overview', load: async () => { await store.refresh(); const i = current(); return i ? ifaceLines(i) : gone; } },
    { name: current()?.source === 'ip' ? 'ip' : 'XML', load: async () => current()?.raw.split('\n') ?? gone },
  ], [], () => ({ iface: current(), open: () => {} }), () => current()?.state ?? 'gone');
}
