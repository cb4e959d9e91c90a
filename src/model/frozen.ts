// The guests whose filesystems virtui froze (domfsfreeze) or found frozen: shown as FROZEN until
// thawed, and quitting virtui with one of them frozen asks first (every write in it blocks).
import { EventEmitter } from 'node:events';

/** Events: 'change'. */
export class FrozenGuests extends EventEmitter {
  private readonly names = new Set<string>();
  version = 0;
  has(name: string): boolean { return this.names.has(name); }
  get list(): string[] { return [...this.names]; }
  set(name: string, frozen: boolean): void {
    if (frozen === this.names.has(name)) return;
    if (frozen) this.names.add(name); else this.names.delete(name);
    this.version++;
    this.emit('change');
  }
}

/** The frozen guests of a connection, made once (conn.cache). */
export function frozenOf(conn: { cache<V>(key: string, make: () => V): V }): FrozenGuests {
  return conn.cache('frozen', () => new FrozenGuests());
}
