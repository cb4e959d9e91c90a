// The domains store: one refresh = a handful of bulk calls, plus `dominfo` only for the domains
// whose numbers `domstats` did not give (the test driver reports only their state).
import { Store } from './store.ts';
import type { Domain } from '../libvirt/types.ts';
import { parseDomList, parseDominfo, parseDomstats, parseNames, statsNumber, statsState } from '../libvirt/parse.ts';
import { VirshError } from '../virsh/errors.ts';

export interface VirshRunner { run(args: readonly string[]): Promise<string> }

/** The calls of one full refresh, in order; the benchmark replays exactly these. */
export const BULK_CALLS: readonly (readonly string[])[] = [
  ['list', '--all'],
  ['list', '--all', '--name', '--autostart'],
  ['list', '--all', '--name', '--transient'],
  ['list', '--all', '--name', '--with-managed-save'],
  ['domstats', '--raw', '--state', '--cpu-total', '--balloon', '--vcpu'],
];

export async function fetchDomains(v: VirshRunner): Promise<{ domains: Domain[]; calls: number }> {
  const [list, auto, transient, managed, stats] = await Promise.all(BULK_CALLS.map((a) => v.run(a)));
  const autoSet = new Set(parseNames(auto!));
  const transientSet = new Set(parseNames(transient!));
  const managedSet = new Set(parseNames(managed!));
  const statsByName = new Map(parseDomstats(stats!).map((s) => [s.name, s]));
  const domains: Domain[] = parseDomList(list!).map((row) => {
    const s = statsByName.get(row.name);
    const active = row.id !== null;
    return {
      name: row.name,
      id: row.id,
      state: (s && statsState(s)) || row.state,
      vcpus: s && statsNumber(s, 'vcpu.current'),
      vcpusMax: s && statsNumber(s, 'vcpu.maximum'),
      memory: s && statsNumber(s, 'balloon.current'),
      memoryMax: s && statsNumber(s, 'balloon.maximum'),
      cpuTime: active && s && statsNumber(s, 'cpu.time') !== undefined ? statsNumber(s, 'cpu.time')! / 1e9 : undefined,
      autostart: autoSet.has(row.name),
      persistent: !transientSet.has(row.name),
      managedSave: managedSet.has(row.name),
    };
  });
  const missing = domains.filter((d) => d.vcpus === undefined || d.memoryMax === undefined);
  await Promise.all(missing.map(async (d) => {
    try {
      const info = parseDominfo(await v.run(['dominfo', d.name]));
      d.vcpus ??= info.vcpus;
      d.memoryMax ??= info.memoryMax;
      d.memory ??= info.memory;
      if (d.id !== null && d.cpuTime === undefined) d.cpuTime = info.cpuTime;
    } catch (e) {
      // undefined between the list and now: the next refresh drops it
      if (!(e instanceof VirshError)) throw e;
    }
  }));
  return { domains, calls: BULK_CALLS.length + missing.length };
}

export class DomainStore extends Store<Domain> {
  constructor(private readonly v: VirshRunner) { super(); }
  protected async fetch(): Promise<Domain[]> { return (await fetchDomains(this.v)).domains; }
  get domains(): Domain[] { return this.items; }
}
