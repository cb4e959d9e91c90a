// One connection (one URI): its virsh session, its event stream, its stores (domains, networks,
// pools), the host's load, its health, its action log and its status line. Screens never call
// virsh: they call the connection (reads) or connection.action (changes). "host" is the
// hypervisor node the connection talks to, nothing else.
import { EventEmitter } from 'node:events';
import { AsyncLocalStorage } from 'node:async_hooks';
import { JOB_WATCHED, TEST_JOB_MS, VirshSession, type Replayed } from '../virsh/session.ts';
import { VirshError } from '../virsh/errors.ts';
import { shellLine } from '../virsh/quote.ts';
import { virshOnce } from '../virsh/spawn.ts';
import { ActionLog } from './actionlog.ts';
import { DomainStore, type DomainStoreOptions } from './domains.ts';
import { NetworkStore } from './networks.ts';
import { PoolStore } from './pools.ts';
import { HostLoad } from './hostload.ts';
import { EventStream } from './events.ts';
import { loadsSettled } from './store.ts';
import { accessDenied, connectionLost, errorLines, hintFor } from '../virsh/errors.ts';
import { markText, REFRESHING_EVENTS, type DomainEvent } from '../libvirt/events.ts';
import { hasHost, uriName, isTestDriver } from '../libvirt/uri.ts';

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

export interface ConnectionOptions {
  uri?: string; readonly: boolean; demo: boolean; timeoutMs?: number; virsh?: string;
  /** what the operator calls it (the config file's name); default: the host name, else the URI */
  name?: string;
  /** the domains store's clock and the demo's stand-in stats */
  stats?: DomainStoreOptions;
  /** false: no `virsh event` stream (screen tests) */
  events?: boolean;
}

/** connecting: the first connect is under way; down: it failed, or libvirt stopped answering */
export type ConnState = 'connecting' | 'connected' | 'down';

/** how long a connection that is down waits before it tries again: 2 s, doubling, at most 30 s */
export function backoffMs(failures: number): number {
  return Math.min(30_000, 2000 * 2 ** Math.max(0, failures - 1));
}

/**
 * Events: 'status' (Status), 'changed' (after an action; stores refresh), 'restart' (reason),
 * 'health' (Health), 'render' (something shown changed: a store loaded, the load, the events).
 */
let serials = 0;

export class Connection extends EventEmitter {
  /** stable while virtui runs (two connections may share a URI: read-write and read-only) */
  readonly id = ++serials;
  readonly session: VirshSession;
  readonly domains: DomainStore;
  readonly networks: NetworkStore;
  readonly pools: PoolStore;
  readonly hostLoad: HostLoad;
  /** the lifecycle event stream, made once the URI is known (none on the test driver) */
  events: EventStream | null = null;
  private readonly wantEvents: boolean;
  private readonly virsh: string | undefined;
  /** the name given (config, `:hosts` n), or '' (the host name is shown then) */
  private readonly given: string;
  state: ConnState = 'connecting';
  /** why the last connect failed */
  connectError = '';
  /** consecutive failed connects or refreshes while down: the backoff grows with them */
  private failures = 0;
  /** ms: when a connection that is down tries again */
  retryAt = 0;
  private connecting: Promise<void> | null = null;
  /** ms of the last calls' round trips (newest last, at most 20) */
  private readonly rtts: number[] = [];
  private readonly caches = new Map<string, unknown>();
  /** what it ran for the user; the App gives every connection its one log (`L` lists all hosts) */
  log = new ActionLog();
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
  /** "receiving a migration of web-01": a migration virtui runs involves this host (its domstats would wait for QEMU) */
  migrating = '';
  private serial = 0;
  /** actions not finished yet, by serial number */
  private readonly running = new Map<number, { command: string; done: Promise<void>; owner: string | undefined }>();

  constructor(opts: ConnectionOptions) {
    super();
    this.uri = opts.uri ?? '';
    this.readonly = opts.readonly;
    this.demo = opts.demo;
    this.given = opts.name ?? '';
    this.session = new VirshSession({ uri: opts.uri, readonly: opts.readonly, timeoutMs: opts.timeoutMs, virsh: opts.virsh });
    // (the test driver's world lives inside virtui's own virsh: nothing else changes it)
    this.domains = new DomainStore(this, { ...opts.stats, inactiveSettled: () => this.domains.eventsLive || isTestDriver(this.uri) });
    this.networks = new NetworkStore(this);
    this.pools = new PoolStore(this);
    this.hostLoad = new HostLoad(this, this.uri);
    this.wantEvents = opts.events !== false;
    this.virsh = opts.virsh;
    const render = () => this.emit('render');
    for (const s of [this.domains, this.networks, this.pools]) {
      s.on('change', render);
      s.on('failed', (e: VirshError) => this.refreshFailed(e));
    }
    this.hostLoad.on('change', render);
    this.domains.on('loaded', () => this.answered());
    this.on('changed', () => this.refresh());
    this.session.on('restart', (reason: string) => {
      // the test driver's world starts again from its file: what is not run again is lost
      if (isTestDriver(this.uri) && !this.session.changesKept) this.changes = 0;
      this.restartReason = reason;
      this.setStatus({ kind: 'error', text: `virsh session restarted: ${reason}${this.restartNote()}` });
      this.emit('restart', reason);
      this.refresh();
    });
    // the test driver's world rebuilt in the new virsh: the changes made in it, run again
    this.session.on('replayed', (r: Replayed) => {
      if (!this.session.changesKept) this.changes = 0;
      const what = `virsh restarted, test world rebuilt: ${r.ok} change${r.ok === 1 ? '' : 's'} run again`;
      const why = `virsh was restarted: ${this.restartReason}`;
      if (r.failed.length) this.setStatus({ kind: 'error', text: `${what}, ${r.failed.length} failed: ${r.failed[0]}`, hint: `${r.failed.length > 1 ? `${r.failed.slice(1).join('; ')}; ` : ''}what failed is lost: make it again (${why})` });
      else this.setStatus({ kind: 'ok', text: what, hint: why });
      this.refresh();
    });
    // virsh says at once when libvirt goes away (between calls): the rows grey out now, the event
    // stream stops (each restart would cost a login), and one probe at a time tries again
    this.session.on('lost', (line: string) => {
      this.events?.stop();
      this.failedProbe();
      this.setHealth({ state: 'down', reason: line, hint: hintFor(line) || 'virtui tries again by itself; ^R tries now' });
    });
    this.session.on('back', () => { if (this.state === 'connected') this.events?.start(); });
  }

  /**
   * A kind's store on this connection, made once (screens/kit/kind.ts): the connection needs no
   * import of the kinds; what it loads is drawn, and lives as long as the connection.
   */
  cache<V>(key: string, make: () => V): V {
    let v = this.caches.get(key) as V | undefined;
    if (v === undefined) {
      v = make();
      if (v instanceof EventEmitter) {
        v.on('change', () => this.emit('render'));
        v.on('failed', () => this.emit('render'));
      }
      this.caches.set(key, v);
    }
    return v;
  }

  /** connected, and libvirt answers: what it shows is current (else its rows are greyed) */
  get answering(): boolean { return this.state === 'connected' && this.health.state === 'ok'; }

  /** the name shown: the given one, else the host name, else the URI */
  get name(): string { return `${this.baseName}${this.suffix}`; }

  /** set by the App when another connection has the same name ("-2"): rows and logs never mix two hosts */
  suffix = '';

  /** the name before it is told apart from another's */
  get baseName(): string {
    if (this.given) return this.given;
    // a test-driver world runs in this process's virsh: the machine's name would not tell two apart
    if (isTestDriver(this.uri)) return uriName(this.uri).replace(/\.xml$/, '');
    // before it connects (or when it never does): the host part of its URI
    return this.hostname || (hasHost(this.uri) ? uriName(this.uri) : this.uri) || 'default';
  }

  /** median round trip of the last calls, ms (undefined before the first) */
  get rtt(): number | undefined {
    if (!this.rtts.length) return undefined;
    const s = [...this.rtts].sort((a, b) => a - b);
    return s[Math.floor(s.length / 2)];
  }

  /** what a restart costs on this connection */
  private restartNote(): string {
    if (!isTestDriver(this.uri)) return '';
    const n = this.session.changesKept;
    return n ? ` (the test driver world is rebuilt: ${n === 1 ? 'its change is' : `its ${n} changes are`} run again)` : ' (the test driver world was reloaded from its file)';
  }

  /** why the session last restarted (said again once the world is rebuilt) */
  private restartReason = '';

  /** Connects (once; a second call waits for the first). Throws the VirshError of a failed connect. */
  connect(): Promise<void> {
    this.connecting ??= this.connectNow().finally(() => { this.connecting = null; });
    return this.connecting;
  }

  private async connectNow(): Promise<void> {
    // a retry shows as connecting too: the tick leaves it alone meanwhile
    this.state = 'connecting';
    this.emit('render');
    try {
      await this.session.start();
      if (!this.uri) {
        this.uri = (await this.run(['uri'])).trim();
        this.session.uri = this.uri;
      }
      // one batch, one round trip (a remote host's costs a few ms each)
      const [host, v] = await Promise.all([this.run(['hostname']).catch(() => ''), this.run(['version']).catch(() => '')]);
      this.hostname = host.trim();
      this.libvirtVersion = /Using library: libvirt (\S+)/.exec(v)?.[1] ?? '';
    } catch (e) {
      this.state = 'down';
      // the most specific line is the last ("ssh: connect to host ... Connection refused")
      this.connectError = (e instanceof VirshError ? (errorLines(e.stderr).at(-1) ?? e.line) : (e as Error).message).replace(/^Cannot recv data: /, '');
      this.failures++;
      // a refused login or key is not retried by itself: each try would be refused again (^R tries)
      const denied = e instanceof VirshError && accessDenied(e.stderr || e.line);
      this.retryAt = denied ? Infinity : Date.now() + backoffMs(this.failures);
      if (this.announce) this.setStatus({ kind: 'error', text: `cannot connect: ${this.connectError}`, hint: e instanceof VirshError ? e.hint : '' });
      this.emit('render');
      throw e;
    }
    this.state = 'connected';
    this.connectError = '';
    this.failures = 0;
    this.retryAt = 0;
    if (this.announce) this.setStatus({ kind: 'ok', text: `connected${this.libvirtVersion ? ` (libvirt ${this.libvirtVersion})` : ''}` });
    this.startEvents();
    this.emit('render');
  }

  /**
   * Connects in the background (a remote host takes a second or more over SSH): the host is
   * shown as connecting meanwhile, and as down with the reason when it fails (the tick retries).
   */
  connectInBackground(): void {
    if (this.connecting) return;
    this.announce = true;
    this.connect().then(() => this.refresh(), () => { /* state and connectError say it */ });
  }

  /** a connect in the background says how it ended on the status line (the first one, main does) */
  private announce = false;

  /** One more failed probe (a refresh, a lost link): the next one waits longer. Failures of the same probe count once. */
  private failedProbe(): void {
    if (Date.now() < this.retryAt) return;
    this.failures++;
    this.retryAt = Date.now() + backoffMs(this.failures);
  }

  /** A read (not logged): stdout or a VirshError. */
  async run(args: readonly string[], timeoutMs?: number): Promise<string> {
    const t0 = performance.now();
    // (--nowait: what needs QEMU's monitor, busy with the migration, is left out instead of waited for)
    const out = await this.session.run(this.migrating && args[0] === 'domstats' ? [...args, '--nowait'] : args, { timeoutMs });
    this.rtts.push(performance.now() - t0);
    if (this.rtts.length > 20) this.rtts.shift();
    return out;
  }

  /**
   * The domains and the host's load; `view` is what the screen on top shows of it. The tick
   * leaves a connection that is down alone until its backoff ends; `now` (^R) tries at once.
   */
  refresh(view?: () => unknown, now = true): void {
    if (this.state === 'connecting') return;
    if (this.state === 'down' && !this.connectedOnce) {
      // never connected: try again
      if (now || Date.now() >= this.retryAt) this.connectInBackground();
      return;
    }
    if (!now && this.health.state === 'down' && Date.now() < this.retryAt) return;
    this.checkSlow();
    const domains = this.domains.refresh(this.prefetching);
    this.prefetching = false;
    // read from /proc, the load is there at once: taken when the domains are in, one frame shows
    // both (not one frame for the host line and another for the rows). Through virsh, its calls
    // go with the domains' in one write.
    if (this.hostLoad.local) void domains.finally(() => this.hostLoad.refresh());
    else void this.hostLoad.refresh();
    view?.();
  }

  /**
   * The first load, started as soon as the connection answers (main.ts), while the UI is still
   * being built: the first refresh of the UI joins it instead of asking again.
   */
  prefetch(): void {
    this.prefetching = true;
    void this.domains.refresh();
    void this.hostLoad.refresh();
  }
  private prefetching = false;

  /** the refresh tick (ms), for the slow check */
  interval = 2000;

  private get connectedOnce(): boolean { return !!this.libvirtVersion || this.state === 'connected'; }

  /** A refresh failed: a lost connection marks the lists stale; either way the status line says why. */
  private refreshFailed(e: VirshError): void {
    const lost = e.kind === 'died' || e.kind === 'timeout' || connectionLost(e.stderr || e.line);
    if (!lost) {
      this.setStatus({ kind: 'error', text: `refresh failed: ${e.line}`, hint: e.hint, source: 'refresh' });
      return;
    }
    // the most specific line is the last ("... libvirt-sock': Connection refused")
    const cause = (errorLines(e.stderr).at(-1) ?? e.line).replace(/^Failed to connect socket to '([^']*)': (.*)$/, '$2 ($1)');
    this.failedProbe();
    this.setHealth({ state: 'down', reason: cause, hint: e.hint });
    this.setStatus({ kind: 'error', text: `libvirt does not answer: ${cause}`, hint: e.hint, source: 'refresh' });
  }

  /** The domains came back: the connection is healthy, and an error a failed refresh left is cleared. */
  private answered(): void {
    const h = this.health;
    this.failures = 0;
    this.retryAt = 0;
    if (h.state !== 'ok') {
      const away = Math.round((Date.now() - h.since) / 1000);
      this.setHealth({ state: 'ok', reason: '', hint: '' });
      this.setStatus({ kind: 'ok', text: `libvirt answers again${away ? ` after ${away} s` : ''}: the lists are current` });
    } else if (this.status.source === 'refresh' && !this.networks.lastError && !this.pools.lastError) {
      this.setStatus({ kind: 'ok', text: 'refreshed: the lists are current' });
    }
  }

  /** Each tick: a refresh that has waited too long marks the lists stale before the session's time limit. */
  private checkSlow(): void {
    const since = this.domains.busySince;
    const late = Math.max(5000, 2 * this.interval);
    // a refresh queued behind a long action in the session waits for it, not for a hung libvirt
    if (this.runningActions.length) return;
    if (since !== null && Date.now() - since > late && this.health.state === 'ok') {
      const hint = 'the daemon may be hung or overloaded; virtui waits for it';
      this.setHealth({ state: 'slow', since, reason: this.migrating || 'a refresh is still waiting', hint });
      this.setStatus({ kind: 'error', text: `libvirt has not answered for ${Math.round((Date.now() - since) / 1000)} s`, hint, source: 'refresh' });
    }
    // the stale line counts the seconds
    if (this.health.state !== 'ok') this.emit('render');
  }

  private startEvents(): void {
    if (this.events || !this.wantEvents || !EventStream.usable(this.uri)) return;
    const ev = new EventStream({ uri: this.uri, readonly: this.readonly, virsh: this.virsh, known: () => new Set(this.domains.domains.map((d) => d.name)) });
    ev.on('event', (e: DomainEvent) => this.onEvent(e));
    ev.on('live', (live: boolean) => {
      this.domains.eventsLive = live;
      // what happened while the stream was away went unheard: the next refresh reads everything
      if (live) this.domains.invalidate([]);
      this.emit('render');
    });
    this.events = ev;
    ev.start();
  }

  /** A libvirt event: the list follows at once, and lifecycle events are marked on the charts. */
  private onEvent(e: DomainEvent): void {
    const text = markText(e);
    if (text) this.domains.stats.mark(e.domain, e.t ?? Date.now(), text);
    if (REFRESHING_EVENTS.has(e.event)) {
      this.domains.invalidate([e.domain]);
      void this.domains.refresh();
    }
  }

  /** the header's events state: null where no stream can run (the test driver) */
  eventsState(): boolean | null {
    return this.events ? this.events.live : null;
  }

  /** Resolves when none of this connection's stores is loading. */
  settled(): Promise<void> { return loadsSettled(this); }

  /** A change: alone in its batch, so it never runs twice. */
  private runAction(args: readonly string[], timeoutMs?: number, record = true): Promise<string> {
    return this.session.run(args, { timeoutMs, exclusive: true, record });
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
  async action(args: readonly string[], opts: { timeoutMs?: number; quiet?: boolean; long?: boolean; changes?: boolean; secret?: string | readonly string[]; signal?: AbortSignal } = {}): Promise<ActionResult> {
    // a password (set-user-password): the log, the status line and the errors show it masked
    // (the longest first: a secret inside another leaves none of it)
    const secrets = (typeof opts.secret === 'string' ? [opts.secret] : opts.secret ?? []).filter(Boolean).sort((a, b) => b.length - a.length);
    const secret = secrets.length > 0;
    const hide = (s: string) => secrets.reduce((t, x) => t.split(x).join('********'), s);
    const shown = secret ? args.map(hide) : args;
    const command = this.session.display(shown);
    // the status line leaves out "-c URI" (the header shows it); the log keeps the whole command
    const short = shellLine(['virsh', ...shown]);
    this.setStatus({ kind: 'busy', text: `running: ${short}` });
    const id = ++this.serial;
    let finished!: () => void;
    this.running.set(id, { command: short, done: new Promise<void>((r) => { finished = r; }), owner: owners.getStore() });
    try {
      // a long job (managed save ...) in its own process, so the lists keep refreshing meanwhile;
      // not on the test driver, whose world lives only in this session's connection
      const out = opts.long && !isTestDriver(this.uri)
        ? await virshOnce(this.uri, args, { readonly: this.readonly, timeoutMs: opts.timeoutMs, signal: opts.signal })
        // (a test-driver job ends at once: a long limit would only leave a virsh hung after it, in
        // virsh 9's job watcher (see onOneCpu), unanswered for minutes; the session runs it again)
        // (a read typed on the : line, or a command with a password, is no change to run again)
        : await this.runAction(args, opts.long ? TEST_JOB_MS : opts.timeoutMs, opts.changes !== false && !secret);
      const first = hide(out.split('\n').map((l) => l.trim()).find(Boolean) ?? 'ok');
      // a command with a password is never written out again (`:log save`): its arguments are not kept
      this.log.add({ command, short, ok: true, message: first, hint: '', detail: hide(out), host: this.name, args: secret ? undefined : [...args], uri: this.uri, readonly: this.readonly, changes: opts.changes !== false });
      if (opts.changes !== false) this.changes++;
      if (!opts.quiet) this.setStatus({ kind: 'ok', text: `${short}: ${first}`, command: short, reason: first });
      this.domains.invalidate(domainsOf(args));
      this.emit('changed');
      return { ok: true, output: out };
    } catch (e) {
      let err = e instanceof VirshError ? e : new VirshError(command, (e as Error).message, '');
      if (secret) err = new VirshError(command, hide(err.line), hide(err.hint), hide(err.stderr), err.kind);
      if (err.kind === 'died' || err.kind === 'timeout') {
        // this failure replaces the restart notice in the status line: keep what it said
        // virsh 9 can wait for ever after a job that ended at once (see onOneCpu): say so
        const watcher = err.kind === 'timeout' && isTestDriver(this.uri) && JOB_WATCHED.has(args[0] ?? '')
          ? '; virsh hung after the job had ended (a race in virsh 9\'s job watcher, not in libvirt)' : '';
        err = new VirshError(err.command, err.line, `${err.hint}${watcher}${this.restartNote()}`, err.stderr, err.kind);
      }
      this.log.add({ command, short, ok: false, message: err.line, hint: err.hint, detail: err.stderr || err.line, host: this.name, args: secret ? undefined : [...args], uri: this.uri, readonly: this.readonly, changes: opts.changes !== false });
      this.setStatus({ kind: 'error', text: `${short}: ${err.line}`, hint: err.hint, command: short, reason: err.line });
      this.domains.invalidate(domainsOf(args));
      this.emit('changed');
      return { ok: false, output: '', error: err };
    } finally {
      this.running.delete(id);
      finished();
    }
  }

  close(): void {
    this.events?.stop();
    this.session.close();
  }
}

/**
 * The domains a command may have changed, for the domains store to read again: the one named
 * after --domain; none for a command about networks, storage and the like; all (undefined) for
 * anything else (`define FILE`).
 */
export function domainsOf(args: readonly string[]): string[] | undefined {
  const i = args.indexOf('--domain');
  if (i >= 0 && i + 1 < args.length) return [args[i + 1]!];
  if (/^(net|pool|vol|iface|secret|nwfilter|nodedev)-/.test(args[0] ?? '')) return [];
  return undefined;
}
