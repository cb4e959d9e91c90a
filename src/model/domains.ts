// The domains store: one refresh = a handful of bulk calls, plus `dominfo` only for the domains
// whose numbers `domstats` did not give (the test driver reports only their state).
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

export async function fetchDomains(v: VirshRunner): Promise<{ domains: Domain[]; calls: number; stats: DomSample[] }> {
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
    const active = row.id !== null;
    return {
      name,
      id: row.id,
      uuid: uuidOf.get(name),
      state: s?.state ?? row.state,
      vcpus: s?.vcpuCurrent,
      vcpusMax: s?.vcpuMax,
      memory: s?.balloonCur,
      memoryMax: s?.balloonMax,
      cpuTime: active && s?.cpuTime !== undefined ? s.cpuTime / 1e9 : undefined,
      autostart: autoSet.has(name),
      persistent: !transientSet.has(name),
      managedSave: managedSet.has(name),
    };
  });
  const missing = domains.filter((d) => d.vcpus === undefined || d.memoryMax === undefined);
  await Promise.all(missing.map(async (d) => {
    try {
      const info = parseDominfo(await v.run(['dominfo', '--domain', domainArg(d)]));
      d.vcpus ??= info.vcpus;
      d.memoryMax ??= info.memoryMax;
      d.memory ??= info.memory;
      if (d.id !== null && d.cpuTime === undefined) d.cpuTime = info.cpuTime;
    } catch (e) {
      // undefined between the list and now: the next refresh drops it
      if (!(e instanceof VirshError)) throw e;
    }
  }));
  return { domains, calls: BULK_CALLS.length + missing.length, stats };
}

const MIN_SAMPLE_GAP_MS = 400;

export interface DomainStoreOptions {
  /** ms; Date.now by default (the charts' time axis) */
  clock?: () => number;
  /** the demo host's stand-in for the numbers the test driver does not give */
  augment?: (stats: DomSample[], domains: readonly Domain[], t: number) => DomSample[];
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
  constructor(protected readonly v: VirshRunner, private readonly opts: DomainStoreOptions = {}) {
    super();
    this.clock = opts.clock ?? Date.now;
  }

  protected async fetch(): Promise<Domain[]> {
    const { domains, stats } = await fetchDomains(this.v);
    const t = this.clock();
    if (!this.eventsLive && this.loaded) {
      const before = new Map(this.items.map((d) => [d.name, d.state]));
      for (const d of domains) {
        const old = before.get(d.name);
        if (old !== undefined && old !== d.state) this.stats.mark(d.name, t, `${old} -> ${d.state}`);
      }
    }
    // a refresh right after a tick (an action, an event) is not a sample: over a few ms the CPU
    // counter's 10 ms steps would read as 0 % or a spike (the shortest tick is 500 ms)
    if (!this.stats.lastT || t - this.stats.lastT >= MIN_SAMPLE_GAP_MS) {
      this.stats.ingestSamples(this.opts.augment ? this.opts.augment(stats, domains, t) : stats, t);
    }
    return domains;
  }

  get domains(): Domain[] { return this.items; }
}
