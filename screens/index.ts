// The registry: the one list of screens, with their `:` aliases (DESIGN rule 1).
import type { ScreenContext } from '../src/context.ts';
import type { Connection } from '../src/model/connection.ts';
import type { View } from '../src/ui/view.ts';
import { DOMAIN_KIND } from './domains/kind.ts';
import { LogView } from './log/screen.ts';
import { NETWORK_KIND } from './networks/kind.ts';
import { POOL_KIND } from './pools/kind.ts';
import { VOLUME_KIND } from './volumes/kind.ts';
import { SNAPSHOT_KIND } from './snapshots/kind.ts';
import { HostView } from './host/screen.ts';
import { topView } from './top/screen.ts';
import { DomainStatsView } from './stats/screen.ts';
import { IFACE_KIND } from './ifaces/kind.ts';
import { hostsView } from './hosts/screen.ts';
import { fleetView } from './fleet/screen.ts';
import { kindKeys, kindView, type KindSpec } from './kit/kind.ts';
import { LintView } from './lint/screen.ts';
import { DomainDetailView } from './domains/detail.ts';
import { MigrateView } from './migrate/view.ts';
import { JobsView } from './jobs/screen.ts';
import type { KeyScreen } from '../src/ui/remap.ts';
import type { KeyAction } from '../src/ui/keymap.ts';

export interface ScreenDef {
  name: string;
  title: string;
  aliases: string[];
  /** absent: not built yet; on connection `conn`; `arg` is what follows the alias (`:vol POOL`, `:snap DOMAIN`) */
  create?: (app: ScreenContext, conn: Connection, arg?: string) => View;
  /** what the argument names, for help ("POOL") */
  arg?: string;
  planned?: string;
  /** a kind's screen: its keys, which the config can remap or add to */
  keys?: KeyScreen;
}

/** the keys a list binds itself (kit/list.ts), which a remap or a user command cannot take */
const LIST_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['s', 'sort'], ['S', 'reverse'], ['j', 'down'], ['k', 'up'], ['down', 'down'], ['up', 'up'], ['pagedown', 'page down'], ['C-f', 'page down'],
  ['pageup', 'page up'], ['C-b', 'page up'], ['home', 'first'], ['G', 'last'], ['end', 'last'], [' ', 'mark'], ['*', 'mark all'], ['U', 'unmark'],
];

export const SCREENS: readonly ScreenDef[] = [
  kindScreen(DOMAIN_KIND),
  { name: 'fleet', title: 'Fleet', aliases: ['fleet', 'all'], create: fleetView },
  { name: 'hosts', title: 'Hosts', aliases: ['hosts', 'ctx', 'contexts', 'connections'], create: hostsView },
  kindScreen(NETWORK_KIND),
  kindScreen(POOL_KIND),
  kindScreen(VOLUME_KIND),
  kindScreen(SNAPSHOT_KIND),
  { name: 'host', title: 'Host', aliases: ['host', 'node'], create: (app, conn) => new HostView(app, conn) },
  { name: 'top', title: 'Top', aliases: ['top'], create: topView },
  { name: 'stats', title: 'Stats', aliases: ['stats', 'stat', 'charts'], arg: 'DOMAIN', create: statsView },
  kindScreen(IFACE_KIND),
  { name: 'why', title: 'Diagnose', aliases: ['why', 'diagnose', 'diag'], arg: 'DOMAIN', create: (app, conn, arg) => new DomainDetailView(app, conn, arg ?? app.selectedDomain?.(conn) ?? conn.domains.domains[0]?.name ?? '', 'diagnose') },
  { name: 'migrate', title: 'Migrate', aliases: ['migrate', 'migration'], arg: 'DOMAIN', create: (app, conn, arg) => new MigrateView(app, conn, arg ?? app.selectedDomain?.(conn) ?? '') },
  { name: 'hw', title: 'Hardware', aliases: ['hw', 'hardware'], arg: 'DOMAIN', create: (app, conn, arg) => new DomainDetailView(app, conn, arg ?? app.selectedDomain?.(conn) ?? conn.domains.domains[0]?.name ?? '', 'hardware') },
  { name: 'screen', title: 'Screen', aliases: ['screen'], arg: 'DOMAIN', create: (app, conn, arg) => new DomainDetailView(app, conn, arg ?? app.selectedDomain?.(conn) ?? conn.domains.domains[0]?.name ?? '', 'screen') },
  { name: 'lint', title: 'Lint', aliases: ['lint', 'popeye'], create: (app, conn) => new LintView(app, conn) },
  { name: 'log', title: 'Action log', aliases: ['log', 'logs', 'actions'], create: (app, conn) => new LogView(app, conn) },
  { name: 'jobs', title: 'Jobs', aliases: ['jobs', 'job'], create: (app) => new JobsView(app) },
];

/** every screen whose keys the config can remap or add to (src/ui/remap.ts), by registry name */
export const KEY_SCREENS: KeyScreen[] = [
  ...SCREENS.flatMap((s) => (s.keys ? [s.keys] : [])),
  { title: 'fleet', tables: [DOMAIN_KIND.actions as readonly KeyAction<never>[]], fixed: LIST_KEYS },
];

/** A kind's list as a screen of the registry. */
function kindScreen<T extends { name: string }, C>(spec: KindSpec<T, C>): ScreenDef {
  return {
    name: spec.name, title: spec.title, aliases: spec.aliases, arg: spec.arg?.name, create: (app, conn, arg) => kindView(app, conn, spec, arg),
    keys: { title: spec.name, tables: [kindKeys(spec) as readonly KeyAction<never>[]], fixed: [...LIST_KEYS, ...(spec.arg?.step ? [[']', `next ${spec.arg.noun}`] as const, ['[', `prev ${spec.arg.noun}`] as const] : [])] },
  };
}

/** `:stats [DOMAIN]`: the named domain, else the first running one */
function statsView(app: ScreenContext, conn: Connection, arg?: string): View {
  const name = arg ?? app.selectedDomain?.(conn) ?? conn.domains.domains.find((d) => d.id !== null)?.name ?? conn.domains.domains[0]?.name ?? '';
  return new DomainStatsView(app, conn, name);
}

export function findScreen(alias: string): ScreenDef | undefined {
  const a = alias.toLowerCase();
  return SCREENS.find((s) => s.aliases.includes(a));
}

/** `:dom all` is the fleet view: the domains of every host */
export function screenArgs(args: readonly string[]): readonly string[] {
  return args.length === 2 && args[1]!.toLowerCase() === 'all' && findScreen(args[0]!)?.name === 'domains' ? ['fleet'] : args;
}
