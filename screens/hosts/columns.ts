// The hosts table (`:hosts`): one row per connection. Pure but for the connection it reads.
import type { Connection } from '../../src/model/connection.ts';
import type { KindColumn } from '../kit/kind.ts';
import { retryText } from '../kit/hostline.ts';
import { humanKiB, humanPair } from '../../src/ui/text.ts';
import { humanPercent } from '../../src/ui/sparkline.ts';
import { isTestDriver } from '../../src/libvirt/uri.ts';

/** What a row shows of a connection, read once per render. */
export interface HostItem {
  /** the connection's key in the list (its position can change when one closes) */
  name: string;
  conn: Connection;
  current: boolean;
  now: number;
}

/** "up", "connecting", "down (retry in 8 s)", "slow", "migrating" */
export function hostState(c: Connection, now: number): string {
  if (c.state === 'connecting') return 'connecting';
  const retry = c.retryAt > now ? ` (${retryText(c.retryAt, now)})` : '';
  if (c.state === 'down') return `down${retry}`;
  if (c.health.state === 'down') return `down${retry}`;
  // (a host receiving a migration is busy, not hung: its domstats waits for QEMU)
  if (c.migrating) return 'migrating';
  if (c.health.state === 'slow') return 'slow';
  return 'up';
}

/** why it is not up, else the host's own name */
export function hostNote(c: Connection): string {
  if (c.state === 'down') return c.connectError;
  if (c.migrating) return c.migrating;
  if (c.health.state !== 'ok') return c.health.reason;
  return c.hostname && c.hostname !== c.name && !isTestDriver(c.uri) ? `host ${c.hostname}` : '';
}

const ORDER = ['up', 'migrating', 'slow', 'connecting', 'down'];

export const HOST_COLUMNS: readonly KindColumn<HostItem>[] = [
  // the current host is marked: Enter makes another one current
  // the current host is marked; a read-only connection says so (one host may be open both ways)
  { title: 'NAME', flex: 1, min: 8, max: 28, cell: (h) => `${h.current ? '*' : ' '}${h.conn.name}${h.conn.readonly ? ' (ro)' : ''}`, sort: (h) => h.conn.name },
  { title: 'STATE', min: 5, cell: (h) => hostState(h.conn, h.now), sort: (h) => ORDER.indexOf(hostState(h.conn, h.now).split(' ')[0]!) },
  {
    title: 'DOMAINS', short: 'DOMS', align: 'right',
    cell: (h) => (h.conn.domains.loaded ? `${h.conn.domains.domains.filter((d) => d.state === 'running').length}/${h.conn.domains.domains.length}` : '-'),
    sort: (h) => h.conn.domains.domains.length,
  },
  { title: 'CPU', align: 'right', cell: (h) => (h.conn.hostLoad.load.cpu === undefined ? '-' : humanPercent(h.conn.hostLoad.load.cpu)), sort: (h) => h.conn.hostLoad.load.cpu ?? -1 },
  {
    title: 'MEMORY', short: 'MEM', align: 'right',
    // (a driver without memory stats: the total only)
    cell: (h) => {
      const l = h.conn.hostLoad.load;
      return l.memTotal === undefined ? '-' : l.memUsed === undefined ? humanKiB(l.memTotal) : humanPair(l.memUsed, l.memTotal);
    },
    sort: (h) => h.conn.hostLoad.load.memUsed ?? -1,
  },
  // the round trip of its last calls: a slow link or a loaded daemon shows here first
  { title: 'RTT', align: 'right', cell: (h) => rttText(h.conn.rtt), sort: (h) => h.conn.rtt ?? Infinity },
  { title: 'LIBVIRT', short: 'LIBV', cell: (h) => h.conn.libvirtVersion || '-' },
  // a narrow screen cuts the URI first, down to 20 (in its middle: the scheme and the socket's end
  // stay), then the note: it carries why a host is down, or its own host name
  { title: 'URI', flex: 3, min: 20, max: 80, cutMiddle: true, cell: (h) => h.conn.uri || '(libvirt default)' },
  { title: 'NOTE', flex: 2, min: 4, max: 80, cell: (h) => hostNote(h.conn) || '-' },
];

/** "0.4 ms", "12 ms", "1.2 s" */
export function rttText(ms: number | undefined): string {
  if (ms === undefined) return '-';
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function hostColor(h: HostItem): string | undefined {
  const s = hostState(h.conn, h.now);
  return s === 'up' ? 'green-fg' : s.startsWith('down') ? 'red-fg' : 'yellow-fg';
}
