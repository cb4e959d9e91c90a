// The domains store. A full read is a handful of bulk calls, plus `dominfo` for the domains whose
// numbers `domstats` does not give (the test driver reports only their state), remembered until
// the domain changes. A steady tick is one call whatever the number of domains: `domstats` (the
// names, states and numbers); a tick that finds a domain come, go, start or stop reads everything
// again, and so do actions, libvirt's events, and a look every FULL_EVERY_MS at the flags no event
// reports (autostart, persistence, managed save) that finds one changed.
import { Store } from './store.ts';
import type { Domain } from '../libvirt/types.ts';
import { domainArg, exactNames, parseDomList, parseDominfo, parseNames, parseUuidNames } from '../libvirt/parse.ts';
import { VirshError } from '../virsh/errors.ts';
import { STATS_ARGS, parseSamples, type DomSample } from '../libvirt/stats.ts';
import { StatsHistory } from './stats.ts';

export interface VirshRunner { run(args: readonly string[]): Promise<string> }

/** The calls of one full refresh, in order; the benchmark replays exactly these. */
export const BULK_CALLS: readonly (readonly string[])[] = [
  ['list', '--all'],
  ['list', '--all', '--name', '--autostart'],
  ['list', '--all', '--name', '--transient'],
  ['list', '--all', '--name', '--with-managed-save'],
  STATS_ARGS,
  // the names as they are (the table above escapes some characters), and their UUIDs
  ['list', '--all', '--uuid', '--name'],
];

/** The calls of a steady tick: one. */
export const TICK_CALLS: readonly (readonly string[])[] = [STATS_ARGS];

/**
 * A steady tick where a shut-off domain cannot change unseen (see `inactiveSettled`): the running
 * ones alone. A shut-off domain's numbers change only when it is defined again, which libvirt
 * announces; one that starts shows up in it, and that is a change like any other.
 */
export const ACTIVE_TICK_ARGS: readonly string[] = Object.freeze([...STATS_ARGS, '--list-active']);

/** What `dominfo` adds where domstats is silent; it changes only when the domain does. */
interface Info { vcpus?: number; memoryMax?: number; memory?: number }

/** the numbers domstats gives of one domain (or not: then `dominfo`'s, remembered) */
function withSample(d: Domain, s: DomSample | undefined): void {
  const active = d.id !== null;
  d.vcpus = s?.vcpuCurrent;
  d.vcpusMax = s?.vcpuMax;
  d.memory = s?.balloonCur;
  d.memoryMax = s?.balloonMax;
  d.cpuTime = active && s?.cpuTime !== undefined ? s.cpuTime / 1e9 : undefined;
}

function withInfo(d: Domain, info: Info): void {
  d.vcpus ??= info.vcpus;
  d.memoryMax ??= info.memoryMax;
  d.memory ??= info.memory;
}

const infoKey = (d: Domain) => d.uuid ?? `name:${d.name}`;

/**
 * One full read. `infos` (by UUID) holds what dominfo said of each domain: a domain found there
 * is not asked again; the others are, and added to it. `early` gets the list before dominfo's
 * numbers when some are asked.
 */
export async function fetchDomains(v: VirshRunner, infos: Map<string, Info> = new Map(), early?: (domains: Domain[]) => void): Promise<{ domains: Domain[]; calls: number; stats: DomSample[] }> {
  const [list, auto, transient, managed, statsText, names] = await Promise.all(BULK_CALLS.map((a) => v.run(a)));
  const autoSet = new Set(parseNames(auto!));
  const transientSet = new Set(parseNames(transient!));
  const managedSet = new Set(parseNames(managed!));
  const stats = parseSamples(statsText!);
  const statsByName = new Map(stats.map((s) => [s.name, s]));
  const rows = parseDomList(list!);
  const uuids = parseUuidNames(names!);
  const uuidOf = new Map(uuids.map((u) => [u.name, u.uuid]));
  const exact = exactNames(rows.map((r) => r.name), uuids.map((u) => u.name));
  const domains: Domain[] = rows.map((row, i) => {
    const name = exact[i]!;
    const s = statsByName.get(name);
    const d: Domain = {
      name,
      id: row.id,
      uuid: uuidOf.get(name),
      state: s?.state ?? row.state,
      autostart: autoSet.has(name),
      persistent: !transientSet.has(name),
      managedSave: managedSet.has(name),
    };
    withSample(d, s);
    return d;
  });
  const missing = domains.filter((d) => d.vcpus === undefined || d.memoryMax === undefined);
  const asked = missing.filter((d) => !infos.has(infoKey(d)));
  // the names and states can be shown while dominfo is asked (a second at 1000 test domains)
  if (asked.length) early?.(domains.map((d) => ({ ...d })));
  await Promise.all(asked.map(async (d) => {
    try {
      const info = parseDominfo(await v.run(['dominfo', '--domain', domainArg(d)]));
      infos.set(infoKey(d), { vcpus: info.vcpus, memoryMax: info.memoryMax, memory: info.memory });
    } catch (e) {
      // undefined between the list and now: the next refresh drops it
      if (!(e instanceof VirshError)) throw e;
    }
  }));
  for (const d of missing) { const info = infos.get(infoKey(d)); if (info) withInfo(d, info); }
  return { domains, calls: BULK_CALLS.length + asked.length, stats };
}

/** Autostart, persistence and managed saves change without an event: they are looked at this often. */
export const FULL_EVERY_MS = 60_000;

/** The look at those flags: the names of the domains that have each (a few lines, where the full read parses every domain twice). */
export const FLAG_CALLS: readonly (readonly string[])[] = [BULK_CALLS[1]!, BULK_CALLS[2]!, BULK_CALLS[3]!];

const MIN_SAMPLE_GAP_MS = 400;

export interface DomainStoreOptions {
  /** ms; Date.now by default (the charts' time axis) */
  clock?: () => number;
  /** the demo host's stand-in for the numbers the test driver does not give */
  augment?: (stats: DomSample[], domains: readonly Domain[], t: number) => DomSample[];
  /**
   * True while nothing can change a shut-off domain without virtui hearing of it: libvirt's
   * events are live, or the test driver, whose world lives inside virtui's own virsh. Then a
   * steady tick asks only about the active domains (ACTIVE_TICK_ARGS).
   */
  inactiveSettled?: () => boolean;
}

/**
 * The domains and, from the same domstats call, their stats history. While no event stream runs
 * (`eventsLive` false: the test driver, or `virsh event` not available), a state that changed
 * between two refreshes is marked on the charts instead.
 */
export class DomainStore extends Store<Domain> {
  readonly stats = new StatsHistory();
  eventsLive = false;
  private readonly clock: () => number;
  /** dominfo's numbers by UUID, where domstats has none (see fetchDomains) */
  private readonly infos = new Map<string, Info>();
  /** the next load reads everything (a change was made or announced) */
  private stale = true;
  private fullAt = 0;
  /** calls made by the loads, for the benchmark and the tests */
  calls = 0;
  constructor(protected readonly v: VirshRunner, private readonly opts: DomainStoreOptions = {}) {
    super();
    this.clock = opts.clock ?? Date.now;
  }

  /**
   * Something changed (an action, an event): the next load reads everything, and asks dominfo
   * again for the domains named (all of them without a name).
   */
  invalidate(names?: readonly string[]): void {
    this.stale = true;
    if (!names) { this.infos.clear(); return; }
    for (const n of names) {
      // a command names a domain as domainArg does: by name, or by UUID (or id) when its name reads as one
      const d = this.get(n) ?? this.items.find((x) => x.uuid === n || (x.id !== null && String(x.id) === n.trim()));
      this.infos.delete(d ? infoKey(d) : `name:${n}`);
    }
  }

  protected async fetch(): Promise<Domain[]> {
    const t0 = this.clock();
    let got: { domains: Domain[]; stats: DomSample[] } | null = null;
    if (!this.stale && this.loaded) {
      const due = t0 - this.fullAt >= FULL_EVERY_MS;
      const [flagsSame, ticked] = await Promise.all([due ? this.flagsSame() : true, this.tick()]);
      if (due && flagsSame) this.fullAt = t0;
      got = flagsSame ? ticked : null;
    }
    if (!got) {
      this.stale = false;
      this.fullAt = t0;
      // the first load shows the list at once, the numbers dominfo adds a moment later
      const r = await fetchDomains(this.v, this.infos, this.loaded ? undefined : (d) => this.publish(d));
      this.calls += r.calls;
      // forget what dominfo said of domains that are gone
      const keys = new Set(r.domains.map(infoKey));
      for (const k of this.infos.keys()) if (!keys.has(k)) this.infos.delete(k);
      got = r;
    }
    const { domains, stats } = got;
    const t = this.clock();
    // (a quiet tick keeps the list itself: no state changed)
    if (!this.eventsLive && this.loaded && domains !== this.items) {
      const before = new Map(this.items.map((d) => [d.name, d.state]));
      for (const d of domains) {
        const old = before.get(d.name);
        if (old !== undefined && old !== d.state) this.stats.mark(d.name, t, `${old} -> ${d.state}`);
      }
    }
    // a refresh right after a tick (an action, an event) is not a sample: over a few ms the CPU
    // counter's 10 ms steps would read as 0 % or a spike (the shortest tick is 500 ms)
    const samples = this.opts.augment ? this.opts.augment(stats, domains, t) : stats;
    // (a tick of the active domains alone: the shut-off ones keep their history, and their marks)
    if (!this.stats.lastT || t - this.stats.lastT >= MIN_SAMPLE_GAP_MS) this.stats.ingestSamples(samples, t, samples.length < domains.length ? domains : undefined);
    this.moved = samples.some((s) => s.cpuTime !== undefined || s.disks.length > 0 || s.nics.length > 0);
    return domains;
  }

  /**
   * A steady tick: the stats alone (they name every domain and give its state). Null when they
   * are not of the domains the last read saw, in the same states (one came or went, started or
   * stopped, or restarted between two ticks: its CPU time went back): then everything is read again.
   */
  private async tick(): Promise<{ domains: Domain[]; stats: DomSample[] } | null> {
    const activeOnly = this.opts.inactiveSettled?.() ?? false;
    const statsText = await this.v.run(activeOnly ? ACTIVE_TICK_ARGS : STATS_ARGS);
    this.calls++;
    // word for word what the last tick read, about the list it made: nothing moved (guests all
    // shut off or idle to the nanosecond, or a driver that gives only states), nothing to parse
    const q = this.quiet;
    // (the demo's made-up numbers move on all the same: its rows are made again from a new list)
    if (q && q.text === statsText && q.domains === this.items && q.activeOnly === activeOnly) {
      if (this.opts.augment) q.domains = [...this.items];
      return { domains: q.domains, stats: q.stats };
    }
    const stats = parseSamples(statsText!);
    // (libvirt's active domains are those with an id)
    let expected = 0;
    for (const d of this.items) if (!activeOnly || d.id !== null) expected++;
    if (stats.length !== expected) return null;
    const statsByName = new Map<string, DomSample>();
    for (const s of stats) statsByName.set(s.name, s);
    const domains: Domain[] = [];
    for (const prev of this.items) {
      const s = statsByName.get(prev.name);
      // a shut-off domain not asked about: as it was
      if (!s && activeOnly && prev.id === null) { domains.push(prev); continue; }
      if (!s || (s.state !== undefined && s.state !== prev.state)) return null;
      const cpuTime = prev.id !== null && s.cpuTime !== undefined ? s.cpuTime / 1e9 : undefined;
      // CPU time that went back: another QEMU (restarted between two ticks), with another id
      if (cpuTime !== undefined && prev.cpuTime !== undefined && cpuTime < prev.cpuTime) return null;
      // the same numbers (an idle guest, or a driver that gives none): the same row, no copy
      if (cpuTime === prev.cpuTime && (s.vcpuCurrent ?? prev.vcpus) === prev.vcpus && (s.balloonCur ?? prev.memory) === prev.memory
        && (s.balloonMax ?? prev.memoryMax) === prev.memoryMax && (s.vcpuMax ?? prev.vcpusMax) === prev.vcpusMax) {
        domains.push(prev);
        continue;
      }
      const d: Domain = { ...prev };
      withSample(d, s);
      if (d.vcpus === undefined || d.memoryMax === undefined) {
        const info = this.infos.get(infoKey(d));
        if (info) withInfo(d, info);
      }
      domains.push(d);
    }
    this.quiet = { text: statsText!, stats, domains, activeOnly };
    return { domains, stats };
  }

  /** The flags no event reports are as the list shows them. */
  private async flagsSame(): Promise<boolean> {
    const [auto, transient, managed] = await Promise.all(FLAG_CALLS.map((a) => this.v.run(a)));
    this.calls += FLAG_CALLS.length;
    const [a, tr, m] = [auto!, transient!, managed!].map((t) => new Set(parseNames(t))) as [Set<string>, Set<string>, Set<string>];
    let na = 0, nt = 0, nm = 0;
    for (const d of this.items) {
      if (d.autostart !== a.has(d.name) || d.persistent === tr.has(d.name) || !!d.managedSave !== m.has(d.name)) return false;
      if (d.autostart) na++;
      if (!d.persistent) nt++;
      if (d.managedSave) nm++;
    }
    // a name on a list that no row has (one that came between two looks)
    return na === a.size && nt === tr.size && nm === m.size;
  }

  /** the last tick's domstats text, what it parsed to and the list it made */
  private quiet: { text: string; stats: DomSample[]; domains: Domain[]; activeOnly: boolean } | null = null;

  /** the last load brought numbers that move (CPU, disk, network): the charts and rates changed */
  private moved = false;

  /** Nothing shown changed: no 'change', no redraw (a steady tick on an idle host). */
  protected same(before: readonly Domain[], after: readonly Domain[]): boolean {
    return !this.moved && sameDomains(before, after);
  }

  get domains(): Domain[] { return this.items; }
}

const FIELDS: readonly (keyof Domain)[] = ['name', 'id', 'uuid', 'state', 'vcpus', 'vcpusMax', 'memory', 'memoryMax', 'cpuTime', 'autostart', 'persistent', 'managedSave'];

export function sameDomains(a: readonly Domain[], b: readonly Domain[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    for (const f of FIELDS) if (x[f] !== y[f]) return false;
  }
  return true;
}
