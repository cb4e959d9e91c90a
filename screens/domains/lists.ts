// The domains list of each connection, apart from the kind, so that the forms that make a domain
// (screens/install) can select it without importing the kind (whose actions import them).
import type { Connection } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { ListView } from '../kit/list.ts';

/** the domains list of each app: other screens step through the domains in its order */
export const domainLists = new WeakMap<Connection, ListView<Domain, unknown>>();

/** Selects a domain on the domains list of `conn` (a new one, once the list has it). */
export function selectDomain(conn: Connection, name: string): void {
  domainLists.get(conn)?.select(name);
}
