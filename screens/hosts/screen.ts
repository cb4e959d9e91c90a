// `:hosts` (k9s's contexts): every connection with its state, URI, libvirt version, running and
// total domains, host CPU and memory, and the round trip of its last calls. Enter makes one
// current, n opens another by URI, X closes one.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { plural } from '../../src/ui/text.ts';
import { ListView } from '../kit/list.ts';
import { kindRow, kindSort } from '../kit/kind.ts';
import { HOST_COLUMNS, hostColor, type HostItem } from './columns.ts';

export interface HostsCtx { ctx: ScreenContext; item: HostItem | undefined }

/** "-r qemu+ssh://kvm1/system" opens it read-only */
export function parseNewHost(text: string): { uri: string; readonly: boolean } | null {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const readonly = words.some((w) => w === '-r' || w === '--readonly');
  const uri = words.filter((w) => w !== '-r' && w !== '--readonly');
  return uri.length === 1 ? { uri: uri[0]!, readonly } : null;
}

export async function newHost(ctx: ScreenContext): Promise<void> {
  const text = await ctx.prompt('open host (URI, -r for read-only): ');
  if (text === null || !text.trim()) return;
  const want = parseNewHost(text);
  if (!want) {
    ctx.setStatus({ kind: 'error', text: `not one URI: ${JSON.stringify(text.trim())}`, hint: 'e.g. qemu+ssh://root@kvm1/system (add -r for read-only)' });
    return;
  }
  const readonly = want.readonly || ctx.readonlyAll;
  const c = ctx.addConnection(want.uri, readonly);
  ctx.setStatus({ kind: 'info', text: `connecting to ${c.uri}${readonly ? ' (read-only)' : ''} in the background: Enter on it makes it current` });
}

export const HOSTS_ACTIONS: readonly KeyAction<HostsCtx>[] = [
  { keys: ['enter'], label: 'use', help: 'make this host current: its domains come up', when: (c) => !!c.item, run: (c) => c.ctx.use(c.item!.conn) },
  { keys: ['n'], label: 'open host', help: 'open another host by URI (connects in the background)', run: (c) => newHost(c.ctx) },
  {
    keys: ['X'], label: 'close', help: 'close the connection (asks when it has sessions or actions running)',
    when: (c) => !!c.item && c.ctx.connections.length > 1, run: (c) => c.ctx.closeConnection(c.item!.conn),
  },
];

const keyOf = (c: Connection) => String(c.id);

export function hostsView(ctx: ScreenContext, conn: Connection): ListView<HostItem, HostsCtx> {
  const items = (): HostItem[] => {
    const now = Date.now();
    return ctx.connections.map((c) => ({ name: keyOf(c), conn: c, current: c === ctx.conn, now }));
  };
  const spec = { columns: HOST_COLUMNS, color: hostColor };
  return new ListView<HostItem, HostsCtx>(ctx, conn, {
    title: 'Hosts',
    noun: 'host',
    columns: [...HOST_COLUMNS],
    items,
    loaded: () => true,
    key: (h) => h.name,
    row: (h) => ({ ...kindRow(spec, h), key: h.name }),
    sort: (list, col, desc) => kindSort(spec, list, col, desc),
    // a host that does not answer is greyed; the others are what they say
    stale: (h) => !h.conn.answering,
    actions: HOSTS_ACTIONS,
    context: (item) => ({ ctx, item }),
    summary: (all) => `${plural(all.length, 'host')}, ${all.filter((h) => h.conn.answering).length} up`,
    open: (h) => ctx.use(h.conn),
    initial: () => keyOf(ctx.conn),
  });
}
