// The line above the domain lists (the host's load, or why the rows are stale) and the state
// counts the header shows: used by the domains, top and fleet views. Pure but for hostBanner.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection, Health } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { Load } from '../../src/model/hostload.ts';
import { humanPair } from '../../src/ui/text.ts';
import { humanPercent } from '../../src/ui/sparkline.ts';
import { STATE_ORDER } from '../domains/columns.ts';

/** "guest CPU 12% of 16": the guests' CPU over all host CPUs; undefined when none was measured */
function guestCpuText(active: readonly Domain[], cpus: number | undefined, cpuOf: ((d: Domain) => number | undefined) | undefined): string | undefined {
  let sum = 0;
  let seen = false;
  for (const d of active) {
    const c = cpuOf?.(d);
    if (c !== undefined) { sum += c; seen = true; }
  }
  if (!seen) return undefined;
  return cpus ? `guest CPU ${humanPercent(sum / cpus)} of ${cpus}` : `guest CPU ${humanPercent(sum)}`;
}

/** "6 running, 1 paused, 4 shut off" in the order of the list's state sort */
export function stateCounts(list: readonly Domain[]): string {
  // counted, then put in the states' order (no sort of the list: this runs at every frame)
  const counts = new Map<string, number>();
  for (const d of list) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);
  const rank = (s: string) => STATE_ORDER.indexOf(s);
  return [...counts].sort((a, b) => rank(a[0]) - rank(b[0])).map(([s, n]) => `${n} ${s}`).join(', ');
}

/**
 * The line above the domains: the host's CPU and memory, running domains, the tick. A driver
 * without host statistics (the test driver) shows what the guests use instead: `guestCpu` gives
 * a domain's CPU % of one host CPU. Pure.
 */
export function hostLine(load: Load, list: readonly Domain[], o: { events: boolean | null; interval: number; guestCpu?: (d: Domain) => number | undefined }): string {
  const active = list.filter((d) => d.id !== null);
  const running = list.filter((d) => d.state === 'running');
  const guest = load.cpu === undefined ? guestCpuText(active, load.cpus, o.guestCpu) : undefined;
  const cpu = guest ?? (load.cpu === undefined ? 'host CPU -' : `host CPU ${humanPercent(load.cpu)}${load.cpus ? ` of ${load.cpus}` : ''}`);
  // a driver without memory stats (the test driver): what the running guests hold instead
  const mem = load.memUsed !== undefined
    ? `${guest ? 'host ' : ''}mem ${humanPair(load.memUsed, load.memTotal)}`
    : `guest mem ${humanPair(active.reduce((a, d) => a + (d.memory ?? d.memoryMax ?? 0), 0), load.memTotal)}`;
  const ev = o.events === null ? '' : o.events ? '  events live' : '  events: polling';
  return `${cpu}  ${mem}  ${running.length}/${list.length} running  tick ${o.interval / 1000} s${ev}`;
}

/** "no answer from libvirt for 12 s (Disconnected ...): rows as of 21:30:02" while the connection is down. Pure. */
export function staleLine(h: Health, asOf: number | undefined, now: number, retryAt = 0): string {
  const secs = Math.max(0, Math.round((now - h.since) / 1000));
  const at = asOf ? new Date(asOf).toTimeString().slice(0, 8) : '';
  // the backoff before the reason, so that a narrow screen keeps it: a quiet screen is not a hung one
  const retry = retryText(retryAt, now);
  return `STALE: no answer from libvirt for ${secs} s${retry ? `, ${retry}` : ''}${h.reason ? ` (${h.reason})` : ''}${at ? `; rows as of ${at}` : ''}`;
}

/** "retry in 8 s", "not retried by itself" (a refused login), or '' once the retry is due */
export function retryText(retryAt: number, now: number): string {
  if (retryAt === Infinity) return 'not retried by itself';
  return retryAt > now ? `retry in ${Math.ceil((retryAt - now) / 1000)} s` : '';
}

/** the host line of the app's connection, as the domains and top views show it above their tables */
export function hostBanner(app: ScreenContext, conn: Connection): string {
  const h = conn.health;
  if (conn.state === 'connecting') return `connecting to ${conn.uri || 'libvirt'}…`;
  if (conn.state === 'down') {
    const retry = retryText(conn.retryAt, Date.now());
    return `cannot connect${retry ? ` (${retry})` : ''}: ${conn.connectError}`;
  }
  if (h.state !== 'ok') return staleLine(h, conn.domains.stats.lastT || undefined, Date.now(), conn.retryAt);
  return hostLine(conn.hostLoad.load, conn.domains.domains, { events: conn.eventsState(), interval: app.interval, guestCpu: (d) => conn.domains.stats.get(d.name)?.rates?.cpu });
}

