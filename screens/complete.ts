// What the `:` line's Tab completes from on the current host: the registry's aliases and what
// their argument names, and the host's objects of each kind (from the stores the screens use; a
// list not read yet is read now, and the next Tab finds it).
import type { Connection } from '../src/model/connection.ts';
import type { ObjectKind } from '../src/completion.ts';
import { SCREENS, findScreen } from './index.ts';
import { VOLUME_KIND, pickPool } from './volumes/kind.ts';
import { SNAPSHOT_KIND } from './snapshots/kind.ts';

/** every alias of the registry, and the line's own words */
export function screenWords(): string[] {
  return [...SCREENS.flatMap((s) => s.aliases), 'q', 'q!', 'shell', 'console', 'quit'];
}

/** what a screen's argument names: `:vol POOL` -> pool, `:snap DOMAIN` -> domain */
export function screenArgKind(alias: string): ObjectKind | undefined {
  if (alias === 'console') return 'domain';
  const arg = findScreen(alias)?.arg;
  return arg === 'POOL' ? 'pool' : arg === 'DOMAIN' ? 'domain' : undefined;
}

/** the hint line for a screen's alias: ":vol [POOL]  Volumes" */
export function screenUse(alias: string): string | undefined {
  const d = findScreen(alias);
  if (!d) return alias === 'console' ? 'console DOMAIN  (its serial console in a terminal pane)' : undefined;
  return `:${alias}${d.arg ? ` [${d.arg}]` : ''}  (${d.title}${d.create ? '' : ', not built yet'})`;
}

/** the lists Tab will want, read when the `:` line opens (the domains are always there) */
export function preloadNames(conn: Connection): void {
  for (const s of [conn.networks, conn.pools]) if (!s.loaded) void s.refresh();
}

/** the names of `kind` on `conn` as far as they are known now */
export function objectNames(conn: Connection, kind: ObjectKind, scope: { pool?: string; domain?: string }): string[] {
  const known = <T extends { name: string }>(store: { items: readonly T[]; loaded: boolean; refresh(): Promise<void> }) => {
    if (!store.loaded) void store.refresh();
    return store.items.map((i) => i.name);
  };
  switch (kind) {
    case 'domain': return conn.domains.domains.map((d) => d.name);
    case 'network': return known(conn.networks);
    case 'pool': return known(conn.pools);
    case 'vol': return known(VOLUME_KIND.store(conn, scope.pool ?? pickPool(conn)));
    case 'snapshot': return scope.domain ? known(SNAPSHOT_KIND.store(conn, scope.domain)) : [];
  }
}
