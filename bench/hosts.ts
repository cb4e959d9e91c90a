// Many hosts, each with its own virsh session, refreshed at once as the app does:
//  - 3 hosts x 1000 domains through 3 sessions against the same 3000 domains through one (wall
//    time, and the UI thread's own CPU time: it should grow no faster than the number of hosts);
//  - a slow host (test/fixtures/slow-virsh: every batch answered 1 s late) beside the other two:
//    their refresh should take as long as without it. Once with a host that only answers late,
//    once with one of 1000 domains, whose test driver and parsing also take this machine's CPU.
// Run by bench/run.ts in its own process, so the UI thread's CPU time is these refreshes' only;
// `node --import tsx bench/hosts.ts` runs it alone.
import { performance } from 'node:perf_hooks';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '../src/model/connection.ts';
import { DomainStore } from '../src/model/domains.ts';
import { writeWorld } from './world.ts';
import { hostsLines, type HostsMeasures } from './hosts-report.ts';

const HOSTS = 3;
const DOMAINS = 1000;
const ROUNDS = 5;
const SLOW_ROUNDS = 7;
const SLOW_DELAY_S = 1;
/** the slow host that only answers late: its few domains cost this machine next to nothing */
const LATE_DOMAINS = 10;
const SLOW_VIRSH = join(fileURLToPath(import.meta.url), '..', '..', 'test', 'fixtures', 'slow-virsh');

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
const perThread = (() => { try { readFileSync(SCHEDSTAT); return true; } catch { return false; } })();
/**
 * CPU time of the main (UI) thread, ms. Linux's schedstat counts it alone, in ns; elsewhere the
 * whole process is taken (GC helper threads included). Not the event loop's busy time: with more
 * virsh processes than cores, the thread waiting for a core would count as busy.
 */
function uiCpu(): number {
  if (perThread) return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6;
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function timed(fn: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const c0 = uiCpu();
  const t0 = performance.now();
  await fn();
  return { wall: performance.now() - t0, cpu: uiCpu() - c0 };
}

const worlds: string[] = [];
const conns: Connection[] = [];

interface Opened { conn: Connection; store: DomainStore; domains: number }

function open(domains: number, virsh?: string): Opened {
  const file = writeWorld(domains);
  worlds.push(file);
  const conn = new Connection({ uri: `test://${file}`, readonly: false, demo: false, virsh });
  conns.push(conn);
  // a tick 2 s after the last: every refresh records its stats sample, as the app's do
  let t = 1_800_000_000_000;
  return { conn, store: new DomainStore(conn, { clock: () => (t += 2000) }), domains };
}

/** Refreshes and checks it worked: a benchmark of failing refreshes would measure nothing. */
async function refresh(h: Opened): Promise<void> {
  await h.store.refresh();
  if (h.store.lastError) throw h.store.lastError;
  if (h.store.items.length !== h.domains) throw new Error(`refreshed ${h.store.items.length} domains, not ${h.domains}`);
}

/** Times `fastOnes` `rounds` times while `slow` refreshes all along, as it would on every tick (a tick during its refresh only asks for one more). */
async function besideSlow(slow: Opened, fastOnes: () => Promise<unknown>, rounds: number, fast: number[], own: number[]): Promise<void> {
  let on = true;
  const loop = (async () => {
    while (on) own.push((await timed(() => refresh(slow))).wall);
  })();
  for (let r = 0; r < rounds; r++) fast.push((await timed(fastOnes)).wall);
  on = false;
  await loop;
}

try {
  const fast = Array.from({ length: HOSTS }, () => open(DOMAINS));
  await Promise.all(fast.map((h) => h.conn.connect()));
  const all = () => Promise.all(fast.map(refresh));
  const inARow = async () => { for (let i = 0; i < HOSTS; i++) await refresh(fast[0]!); };

  const m: HostsMeasures = {
    hosts: HOSTS, domains: DOMAINS, rounds: ROUNDS, cpuSource: perThread ? 'its CPU time (schedstat)' : 'CPU time of the whole process',
    manyWall: [], manyCpu: [], oneWall: [], oneCpu: [],
    slowDelayS: SLOW_DELAY_S, slowRounds: SLOW_ROUNDS, lateDomains: LATE_DOMAINS,
    fastAlone: [], fastBesideLate: [], lateOwn: [], fastBesideSlow: [], slowOwn: [],
  };
  await all();
  await inARow();
  for (let r = 0; r < ROUNDS; r++) {
    // either order half the time: what one leaves behind (garbage, a warm cache) falls on both
    for (const way of r % 2 ? ['one', 'many'] : ['many', 'one']) {
      const x = await timed(way === 'many' ? all : inARow);
      if (way === 'many') { m.manyWall.push(x.wall); m.manyCpu.push(x.cpu); } else { m.oneWall.push(x.wall); m.oneCpu.push(x.cpu); }
    }
  }

  // A slow host takes the third's place: one that only answers late (a few domains), then one
  // whose 1000 domains also cost this machine (its virsh runs the test driver here, and its
  // answers are parsed on the UI thread). Both are connected, and idle, while the others run alone.
  process.env['SLOW_VIRSH_DELAY'] = String(SLOW_DELAY_S);
  const late = open(LATE_DOMAINS, SLOW_VIRSH);
  const slow = open(DOMAINS, SLOW_VIRSH);
  const fastOnes = () => Promise.all(fast.slice(0, HOSTS - 1).map(refresh));
  await Promise.all([late.conn.connect(), slow.conn.connect()]);
  await fastOnes();
  // alone, beside the slow hosts, alone again: a load that drifts meanwhile falls on both sides
  const alone = async (n: number) => { for (let r = 0; r < n; r++) m.fastAlone.push((await timed(fastOnes)).wall); };
  await alone(Math.ceil(SLOW_ROUNDS / 2));
  await besideSlow(late, fastOnes, SLOW_ROUNDS, m.fastBesideLate, m.lateOwn);
  await besideSlow(slow, fastOnes, SLOW_ROUNDS, m.fastBesideSlow, m.slowOwn);
  await alone(Math.floor(SLOW_ROUNDS / 2));

  for (const line of hostsLines(m)) console.log(line);
} finally {
  for (const c of conns) c.close();
  for (const f of worlds) rmSync(dirname(f), { recursive: true, force: true });
}
process.exit(0);
