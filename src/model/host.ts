// A connection as the UI sees it: the virsh session, the action log and the status line.
// Screens never call virsh: they call the host (reads) or host.action (changes).
import { EventEmitter } from 'node:events';
import { AsyncLocalStorage } from 'node:async_hooks';
import { VirshSession } from '../virsh/session.ts';
import { VirshError } from '../virsh/errors.ts';
import { shellLine } from '../virsh/quote.ts';
import { virshOnce } from '../virsh/spawn.ts';
import { ActionLog } from './actionlog.ts';

/** the object ("domain:web-01") whose key started the actions run inside `asOwner` (and its awaits) */
const owners = new AsyncLocalStorage<string>();

/** Runs `fn` so that every action it starts, at once or after a question, belongs to `target`. */
export function asOwner<T>(target: string, fn: () => T): T {
  return owners.run(target, fn);
}

export interface Status {
  text: string; kind: 'info' | 'ok' | 'error' | 'busy'; hint?: string;
  /** 'refresh': a failed refresh, which the next successful one clears */
  source?: 'refresh';
  /** an action's command and its result: cut to the width, the result goes first */
  command?: string;
  reason?: string;
}

/** Whether libvirt answers on this connection: the lists are stale while it does not. */
export interface Health {
  state: 'ok' | 'down' | 'slow';
  /** ms: when it stopped answering (0 while ok) */
  since: number;
  reason: string;
  hint: string;
}

export interface ActionResult { ok: boolean; output: string; error?: VirshError }

export interface HostOptions { uri?: string; readonly: boolean; demo: boolean; timeoutMs?: number; virsh?: string }

/**
 * Events: 'status' (Status), 'changed' (after an action; stores refresh), 'restart' (reason).
 */
export class Host extends EventEmitter {
  readonly session: VirshSession;
  readonly log = new ActionLog();
  /** the URI as libvirt reports it once connected */
  uri: string;
  readonly readonly: boolean;
  readonly demo: boolean;
  /** what `virsh hostname` and `virsh version` said, filled by connect() */
  hostname = '';
  libvirtVersion = '';
  status: Status = { text: '', kind: 'info' };
  health: Health = { state: 'ok', since: 0, reason: '', hint: '' };
  /** successful actions that may have changed the host (what the demo host loses at quit) */
  changes = 0;
  private serial = 0;
  /** actions not finished yet, by serial number */
  private readonly running = new Map<number, { command: string; done: Promise<void>; owner: string | undefined }>();

  constructor(opts: HostOptions) {
    super();
    this.uri = opts.uri ?? '';
    this.readonly = opts.readonly;
    this.demo = opts.demo;
    this.session = new VirshSession({ uri: opts.uri, readonly: opts.readonly, timeoutMs: opts.timeoutMs, virsh: opts.virsh });
    this.session.on('restart', (reason: string) => {
      // the test driver's world starts again from its file: nothing is left to lose at quit
      if (this.uri.startsWith('test:')) this.changes = 0;
      this.setStatus({ kind: 'error', text: `virsh session restarted: ${reason}${this.restartNote()}` });
      this.emit('restart', reason);
    });
  }

  /** what a restart costs on this connection */
  private restartNote(): string {
    return this.uri.startsWith('test:') ? ' (the test driver world was reloaded: earlier changes are gone)' : '';
  }

  async connect(): Promise<void> {
    await this.session.start();
    if (!this.uri) {
      this.uri = (await this.run(['uri'])).trim();
      this.session.uri = this.uri;
    }
    this.hostname = (await this.run(['hostname']).catch(() => '')).trim();
    const v = await this.run(['version']).catch(() => '');
    this.libvirtVersion = /Using library: libvirt (\S+)/.exec(v)?.[1] ?? '';
  }

  /** A read (not logged): stdout or a VirshError. */
  run(args: readonly string[], timeoutMs?: number): Promise<string> {
    return this.session.run(args, { timeoutMs });
  }

  /** A change: alone in its batch, so it never runs twice. */
  private runAction(args: readonly string[], timeoutMs?: number): Promise<string> {
    return this.session.run(args, { timeoutMs, exclusive: true });
  }

  setStatus(s: Status): void {
    this.status = s;
    this.emit('status', s);
  }

  /** Events: 'health' when it changes state. */
  setHealth(h: Omit<Health, 'since'> & { since?: number }): void {
    const was = this.health.state;
    this.health = { ...h, since: h.state === 'ok' ? 0 : was === 'ok' ? (h.since ?? Date.now()) : this.health.since };
    if (was !== h.state || h.state !== 'ok') this.emit('health', this.health);
  }

  /** the commands of the actions still running */
  get runningActions(): string[] { return [...this.running.values()].map((r) => r.command); }

  /** Resolves when every action started for `owner` (asOwner) has ended; never waits for another object's. */
  async settledFor(owner: string): Promise<void> {
    await Promise.all([...this.running.values()].filter((r) => r.owner === owner).map((r) => r.done));
  }

  /** the command of the last action still running for `owner` */
  runningFor(owner: string): string | undefined {
    return [...this.running.values()].filter((r) => r.owner === owner).at(-1)?.command;
  }

  /**
   * A change: shows the command, runs it, logs it, shows the result or the error with a hint,
   * and tells the stores to refresh. Never throws.
   */
  async action(args: readonly string[], opts: { timeoutMs?: number; quiet?: boolean; long?: boolean; changes?: boolean } = {}): Promise<ActionResult> {
    const command = this.session.display(args);
    // the status line leaves out "-c URI" (the header shows it); the log keeps the whole command
    const short = shellLine(['virsh', ...args]);
    this.setStatus({ kind: 'busy', text: `running: ${short}` });
    const id = ++this.serial;
    let finished!: () => void;
    this.running.set(id, { command: short, done: new Promise<void>((r) => { finished = r; }), owner: owners.getStore() });
    try {
      // a long job (managed save ...) in its own process, so the lists keep refreshing meanwhile;
      // not on the test driver, whose world lives only in this session's connection
      const out = opts.long && !this.uri.startsWith('test:')
        ? await virshOnce(this.uri, args, { readonly: this.readonly, timeoutMs: opts.timeoutMs })
        : await this.runAction(args, opts.timeoutMs);
      const first = out.split('\n').map((l) => l.trim()).find(Boolean) ?? 'ok';
      this.log.add({ command, short, ok: true, message: first, hint: '', detail: out });
      if (opts.changes !== false) this.changes++;
      if (!opts.quiet) this.setStatus({ kind: 'ok', text: `${short}: ${first}`, command: short, reason: first });
      this.emit('changed');
      return { ok: true, output: out };
    } catch (e) {
      let err = e instanceof VirshError ? e : new VirshError(command, (e as Error).message, '');
      if (err.kind === 'died' || err.kind === 'timeout') {
        // this failure replaces the restart notice in the status line: keep what it said
        err = new VirshError(err.command, err.line, `${err.hint}${this.restartNote()}`, err.stderr, err.kind);
      }
      this.log.add({ command, short, ok: false, message: err.line, hint: err.hint, detail: err.stderr || err.line });
      this.setStatus({ kind: 'error', text: `${short}: ${err.line}`, hint: err.hint, command: short, reason: err.line });
      this.emit('changed');
      return { ok: false, output: '', error: err };
    } finally {
      this.running.delete(id);
      finished();
    }
  }

  close(): void {
    this.session.close();
  }
}
