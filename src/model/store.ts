// A list of one resource kind, reloaded on demand. Events: 'loaded' after each load, 'change'
// after a load that changed what is shown, 'failed' (VirshError) when a load failed: the last
// good list is kept.
import { EventEmitter } from 'node:events';
import { VirshError } from '../virsh/errors.ts';
import type { VirshRunner } from './domains.ts';

/** the stores loading now, with the connection each reads from */
const loading = new Map<Store<{ name: string }>, VirshRunner>();

/**
 * Resolves when each store of connection `v` has ended the load it is doing or was just asked
 * for (the loads an action's 'changed' asked for): then the screen shows the action's result.
 * A load asked for later (a libvirt event's, the next tick's) is not waited for: the keys would
 * be refused while the row already shows what they act on.
 */
export async function loadsSettled(v: VirshRunner): Promise<void> {
  await Promise.all([...loading].filter(([, r]) => r === v).map(([s]) => s.loadedNow()));
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
    let ended = false;
    const load = (async () => {
      try {
        do {
          this.again = false;
          this.busySince = Date.now();
          this.begun++;
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
          this.ended++;
          this.wake(this.ended);
        } while (this.again);
      } finally {
        // at once, in the same turn as the loop's last test: a refresh asked for a moment later
        // starts a load of its own instead of joining one that has ended
        ended = true;
        loading.delete(this);
        this.inflight = null;
        this.busySince = null;
        // no load is coming for those still waiting
        this.wake(Infinity);
      }
    })();
    // (a fetch that failed before its first await has ended already)
    if (!ended) {
      this.inflight = load;
      loading.set(this, this.v);
    }
    return load;
  }

  /** loads begun and ended (each turn of a refresh's loop is one) */
  private begun = 0;
  private ended = 0;
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  /** resolves the waiters for the loads up to the `n`th */
  private wake(n: number): void {
    const now = this.waiters.filter((w) => w.n <= n);
    if (!now.length) return;
    this.waiters = this.waiters.filter((w) => w.n > n);
    for (const w of now) w.resolve();
  }

  /**
   * Resolves when the load under way has ended, or, when another was asked for meanwhile, that
   * one: the first whose list was read after this call. Not the loads asked for after it.
   */
  loadedNow(): Promise<void> {
    const n = this.inflight && this.again ? this.begun + 1 : this.begun;
    if (this.ended >= n) return Promise.resolve();
    return new Promise((resolve) => { this.waiters.push({ n, resolve }); });
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
