// The guests' IP addresses of one connection, for the IP column and the details. Each tick (after
// the domains' refresh) it asks only about the rows a screen shows (the visible rows of the
// domains list or the fleet, the domain of an open detail), running domains only:
//   - the DHCP lease (`domifaddr --source lease`): cheap, every visible row at most every 10 s;
//   - the guest agent (`--source agent`): ~30 ms a call on a real host, so at most AGENT_PER_TICK
//     rows a tick, the selected one first, each at most every 15 s; a domain whose agent channel is
//     missing is not asked again until it restarts;
//   - a source that gave an address is asked again only every KNOWN_MS (a lease lasts an hour, a
//     static address for good; a guest that restarts is asked afresh), but for the selected row:
//     the cadences above are for a guest still booting, whose address is yet to come;
//   - the host's ARP table (`--source arp`): only for the selected row when neither answered, and
//     never again on a connection where it failed (the lab's network namespace: "wrong nlmsg len").
// The agent's word wins over the lease's, the lease's over ARP's: the guest knows its own
// addresses (static ones included). Rows not shown keep what was learnt last.
import { EventEmitter } from 'node:events';
import { VirshError } from '../virsh/errors.ts';
import { domainArg } from '../libvirt/parse.ts';
import type { Domain } from '../libvirt/types.ts';
import { noAgentChannel, parseDomifaddr, shownAddrs, type AddrSource, type IfAddr } from '../libvirt/guest.ts';

export interface GuestAddrs {
  /** the addresses shown (no loopback, no link-local) */
  v4: string[];
  v6: string[];
  source: AddrSource;
  /** every address of that source, for the details' NICs */
  all: IfAddr[];
}

/** What the store needs of a connection (a fake in the tests). */
export interface IpHost {
  run(args: readonly string[]): Promise<string>;
  readonly domains: EventEmitter & { readonly domains: readonly Domain[] };
}

export const LEASE_MS = 10_000;
export const AGENT_MS = 15_000;
export const ARP_MS = 30_000;
export const KNOWN_MS = 60_000;
export const AGENT_PER_TICK = 4;

interface Known {
  /** the domain's id when learnt: a restarted domain is asked afresh */
  id: number | null;
  by: Partial<Record<AddrSource, { addrs: IfAddr[]; t: number }>>;
  /** when each source was last asked (ms) */
  asked: Partial<Record<AddrSource, number>>;
  noAgent: boolean;
}

/** the rows a screen shows: the selected first */
export interface Focus { selected?: string; visible: readonly string[] }

/** Events: 'change' when an address shown changed. */
export class IpStore extends EventEmitter {
  private readonly known = new Map<string, Known>();
  private readonly focuses = new Map<string, () => Focus>();
  private busy: Promise<void> | null = null;
  /** ARP failed on this connection: not asked again */
  arpBroken = false;
  /** bumped at each change: the lists make their rows again */
  version = 0;
  /** false: asks nothing (the benchmark's refresh without the IP column) */
  enabled = true;
  private readonly tick = () => { void this.refresh(); };

  constructor(private readonly host: IpHost, private readonly clock: () => number = Date.now) {
    super();
    host.domains.on('loaded', this.tick);
  }

  /** What a screen shows (`key` names the screen); null: it no longer shows anything. */
  focus(key: string, f: (() => Focus) | null): void {
    if (f) this.focuses.set(key, f);
    else this.focuses.delete(key);
  }

  /** what is known of a domain's addresses, from the most trusted source that gave any */
  get(name: string): GuestAddrs | undefined {
    const k = this.known.get(name);
    if (!k) return undefined;
    for (const source of ['agent', 'lease', 'arp'] as const) {
      const got = k.by[source];
      if (!got) continue;
      const shown = shownAddrs(got.addrs);
      if (shown.v4.length || shown.v6.length) return { ...shown, source, all: got.addrs };
    }
    return undefined;
  }

  /** the domain has no guest agent channel (learnt when it was asked) */
  noAgent(name: string): boolean { return !!this.known.get(name)?.noAgent; }

  /** One tick: asks what is due for the rows shown. A tick while one runs is skipped. */
  refresh(): Promise<void> {
    this.busy ??= this.ask().finally(() => { this.busy = null; });
    return this.busy;
  }

  private async ask(): Promise<void> {
    if (!this.enabled) return;
    const doms = this.byName();
    const focus = [...this.focuses.values()].map((f) => f());
    const selected = new Set(focus.map((f) => f.selected).filter((s): s is string => !!s));
    const shown = [...new Set([...selected, ...focus.flatMap((f) => f.visible)])];
    const now = this.clock();
    // the same rows of the same list, and nothing due yet: nothing to do (most ticks)
    const sig = `${[...selected].join('\n')}\0${shown.join('\n')}`;
    const quiet = this.last;
    if (quiet && quiet.map === doms && quiet.sig === sig && now < quiet.due) return;
    // a domain that stopped (or went away) forgets its addresses: they may be another's tomorrow
    let changed = false;
    for (const [name, k] of this.known) {
      const d = doms.get(name);
      if (!d || d.state !== 'running' || d.id !== k.id) { this.known.delete(name); changed = true; }
    }
    const names = shown.filter((n) => doms.get(n)?.state === 'running');
    const calls: Array<Promise<boolean>> = [];
    let agents = 0;
    // the selected rows first (their agent is asked before the visible ones')
    const byAge = (n: string) => (selected.has(n) ? -1 : this.entry(n, doms.get(n)!).asked.agent ?? 0);
    for (const name of [...names].sort((a, b) => byAge(a) - byAge(b))) {
      const d = doms.get(name)!;
      const k = this.entry(name, d);
      const sel = selected.has(name);
      if (now >= this.dueAt(k, 'lease', sel)) calls.push(this.ask1(d, k, 'lease', now));
      if (!k.noAgent && agents < AGENT_PER_TICK && now >= this.dueAt(k, 'agent', sel)) {
        agents++;
        calls.push(this.ask1(d, k, 'agent', now));
      }
    }
    changed = (await Promise.all(calls)).some(Boolean) || changed;
    // ARP: the selected rows that nothing else answered for
    const arpFor = (n: string) => !this.arpBroken && doms.get(n)?.state === 'running' && !this.get(n);
    const arp = [...selected].filter(arpFor).map((n) => [doms.get(n)!, this.entry(n, doms.get(n)!)] as const)
      .filter(([, k]) => now >= this.dueAt(k, 'arp', true));
    changed = (await Promise.all(arp.map(([d, k]) => this.ask1(d, k, 'arp', now)))).some(Boolean) || changed;
    // when the next question is due, for a tick that finds these rows again
    let due = Infinity;
    for (const name of names) {
      const k = this.known.get(name);
      if (!k) continue;
      const sel = selected.has(name);
      due = Math.min(due, this.dueAt(k, 'lease', sel), k.noAgent ? Infinity : this.dueAt(k, 'agent', sel), sel && arpFor(name) ? this.dueAt(k, 'arp', true) : Infinity);
    }
    this.last = { map: doms, sig, due };
    if (changed) { this.version++; this.emit('change'); }
  }

  /** the last ask: of which list and rows, and when it is next due */
  private last: { map: Map<string, Domain>; sig: string; due: number } | null = null;

  /** when `source` is next to be asked about a domain (a source that gave an address: once a minute, but for the selected row) */
  private dueAt(k: Known, source: AddrSource, sel: boolean): number {
    const asked = k.asked[source] ?? -Infinity;
    if (source === 'arp') return asked + ARP_MS;
    const base = source === 'lease' ? LEASE_MS : sel ? LEASE_MS / 2 : AGENT_MS;
    return asked + (!sel && k.by[source]?.addrs.length ? KNOWN_MS : base);
  }

  /** the domains by name, made again only when the list is another (a quiet tick keeps it) */
  private byName(): Map<string, Domain> {
    const list = this.host.domains.domains;
    if (this.names?.list !== list) this.names = { list, map: new Map(list.map((d) => [d.name, d])) };
    return this.names.map;
  }
  private names: { list: readonly Domain[]; map: Map<string, Domain> } | null = null;

  private entry(name: string, d: Domain): Known {
    let k = this.known.get(name);
    if (!k) { k = { id: d.id, by: {}, asked: {}, noAgent: false }; this.known.set(name, k); }
    return k;
  }

  /** asks one source about one domain; true when what is shown changed */
  private async ask1(d: Domain, k: Known, source: AddrSource, now: number): Promise<boolean> {
    k.asked[source] = now;
    const before = JSON.stringify(this.get(d.name));
    try {
      const addrs = parseDomifaddr(await this.host.run(['domifaddr', '--domain', domainArg(d), '--source', source]));
      k.by[source] = { addrs, t: now };
    } catch (e) {
      if (!(e instanceof VirshError)) throw e;
      const why = e.stderr || e.line;
      if (source === 'agent' && noAgentChannel(why)) k.noAgent = true;
      // an agent that does not answer (yet): asked again at its cadence; what it said before is stale
      delete k.by[source];
      if (source === 'arp' && !/not running/i.test(why)) this.arpBroken = true;
    }
    if (this.known.get(d.name) !== k) return false;
    return JSON.stringify(this.get(d.name)) !== before;
  }

  close(): void { this.host.domains.off('loaded', this.tick); }
}

/** "192.168.150.11 lease": the IP column's cell (the details list every address). Pure. */
export function ipCell(a: GuestAddrs | undefined, running: boolean): string {
  if (!running) return '-';
  if (!a || !a.v4.length) return a?.v6.length ? `- ${a.source}` : '';
  return `${a.v4[0]} ${a.source}`;
}

/** the IPv6 column's cell (wide screens) */
export function ip6Cell(a: GuestAddrs | undefined): string {
  if (!a?.v6.length) return '';
  return `${a.v6[0]}${a.v6.length > 1 ? ` +${a.v6.length - 1}` : ''}`;
}

/** The IP store of a connection, made once (conn.cache): the connection needs no import of it. */
export function ipsOf(conn: IpHost & { cache<V>(key: string, make: () => V): V }): IpStore {
  return conn.cache('ips', () => new IpStore(conn));
}
