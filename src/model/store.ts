// A list of one resource kind, reloaded on demand. Events: 'loaded' after each load, 'change'
// after a load that changed what is shown, 'failed' (VirshError) when a load failed: the last
// good list is kept.
import { EventEmitter } from 'node:events';
import { VirshError } from '../virsh/errors.ts';
import type { VirshRunner } from './domains.ts';

/** every load under way, with the connection it reads from: an action is done when the loads it caused are */
const loading = new Map<Promise<void>, VirshRunner>();

/** Resolves when no store of connection `v` is loading (the loads started by an action's 'changed' included). */
export async function loadsSettled(v: VirshRunner): Promise<void> {
  const mine = () => [...loading].filter(([, r]) => r === v).map(([p]) => p);
  for (let i = 0; i < 5 && mine().length; i++) await Promise.all(mine());
}

export abstract class Store<T extends { name: string }> extends EventEmitter {
  items: T[] = [];
  loaded = false;
  lastError: VirshError | null = null;
  private inflight: Promise<void> | null = null;
  private again = false;
  /** ms: when the load under way started (null when none is): a late one means libvirt does not answer */
  busySince: number | null = null;

  protected abstract fetch(): Promise<T[]>;
  /** The new list shows nothing new (then no 'change': nothing is redrawn); a store that cannot tell says no. */
  protected same(_before: readonly T[], _after: readonly T[]): boolean { return false; }
  /** the connection it reads from */
  protected abstract readonly v: VirshRunner;

  /**
   * Reloads now; a refresh asked for while one runs is done once more right after it (with
   * `join`, it is that one: a load started a moment ago for the same reason).
   */
  refresh(join = false): Promise<void> {
    if (this.inflight) { if (!join) this.again = true; return this.inflight; }
    this.inflight = (async () => {
      do {
        this.again = false;
        this.busySince = Date.now();
        try {
          const before = this.items;
          const wasLoaded = this.loaded && !this.lastError;
          this.items = await this.fetch();
          this.loaded = true;
          this.lastError = null;
          this.emit('loaded');
          if (!wasLoaded || !this.same(before, this.items)) this.emit('change');
        } catch (e) {
          this.lastError = e instanceof VirshError ? e : new VirshError('virsh', (e as Error).message, '');
          this.emit('failed', this.lastError);
        }
      } while (this.again);
    })().finally(() => { loading.delete(p); this.inflight = null; this.busySince = null; });
    const p = this.inflight;
    loading.set(p, this.v);
    return p;
  }

  /** A first list while the load goes on (the rest of it comes with the load's end). */
  protected publish(items: T[]): void {
    this.items = items;
    this.loaded = true;
    this.emit('change');
  }

  get(name: string): T | undefined {
    return this.items.find((x) => x.name === name);
  }
}
