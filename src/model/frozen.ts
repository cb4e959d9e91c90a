// The guests whose filesystems virtui froze (domfsfreeze) or found frozen: shown as FROZEN until
// thawed, and quitting virtui with one of them frozen asks first (every write in it blocks).
// A guest that stops, restarts or goes away is frozen no more: a new QEMU starts thawed.
import { EventEmitter } from 'node:events';

/** What it needs of the domains: each one's id (null when shut off), and each load's end */
export interface FrozenDomains extends EventEmitter { get(name: string): { id: number | null } | undefined }

/** Events: 'change'. */
export class FrozenGuests extends EventEmitter {
  /** name -> the domain's id when it was frozen */
  private readonly names = new Map<string, number | null | undefined>();
  version = 0;

  constructor(private readonly domains?: FrozenDomains) {
    super();
    domains?.on('loaded', () => {
      for (const [name, id] of this.names) {
        const now = domains.get(name)?.id ?? null;
        if (now === null || (id !== undefined && id !== null && now !== id)) this.set(name, false);
      }
    });
  }

  has(name: string): boolean { return this.names.has(name); }
  get list(): string[] { return [...this.names.keys()]; }
  set(name: string, frozen: boolean): void {
    if (frozen === this.names.has(name)) return;
    if (frozen) this.names.set(name, this.domains?.get(name)?.id); else this.names.delete(name);
    this.version++;
    this.emit('change');
  }
}

/** The frozen guests of a connection, made once (conn.cache). */
export function frozenOf(conn: { cache<V>(key: string, make: () => V): V; domains?: FrozenDomains }): FrozenGuests {
  return conn.cache('frozen', () => new FrozenGuests(conn.domains));
}
