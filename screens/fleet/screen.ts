// The fleet view (`:dom all`, F): the domains of every host in one table with a HOST column.
// Every action acts on the row's own host; the filter and the sort span hosts. A host that does
// not answer keeps its last rows, greyed, and the line above says why and when it is retried.
import type { ScreenContext, ActionHost } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { plural } from '../../src/ui/text.ts';
import { ListView, sortByValue } from '../kit/list.ts';
import { DOMAIN_COLUMNS, domainRow, domainSortValue, jobsVersion, rowJob } from '../domains/columns.ts';
import type { Job } from '../../src/model/jobs.ts';
import { DOMAIN_ACTIONS, type DomainCtx } from '../domains/actions.ts';
import { actionHost, domainState, staleRow } from '../domains/kind.ts';
import { DomainDetailView } from '../domains/detail.ts';
import { hostState } from '../hosts/columns.ts';
import { ipsOf } from '../../src/model/ips.ts';
import { frozenOf } from '../../src/model/frozen.ts';

/** one row: a domain of a host, or a host with nothing to show (connecting, down) */
export interface FleetItem {
  /** unique in the table: "<connection id>/<domain>" */
  name: string;
  conn: Connection;
  dom: Domain | undefined;
}

const collate = new Intl.Collator('en', { numeric: true }).compare;

// the domain's name wins the room on a narrow screen: a host name is cut first, and persistence,
// autostart and the sparkline are left out (in that order) before a name is cut short
const LEAVE_OUT: Record<string, number> = { IPv6: 9, PERSISTENT: 3, AUTOSTART: 2, 'CPU LAST 60s': 1, IP: 0.5 };
export const FLEET_COLUMNS: Column[] = [
  { title: 'HOST', min: 4, max: 14 },
  ...DOMAIN_COLUMNS.map((c) => (c.title === 'NAME' ? { ...c, min: 14 } : LEAVE_OUT[c.title] ? { ...c, optional: LEAVE_OUT[c.title] } : c)),
];

/** A host's rows: its domains, or one line saying why there are none. Pure but for the connection. */
export function fleetRow(it: FleetItem, now: number, jobs: readonly Job[] = []): Row {
  const c = it.conn;
  if (!it.dom) {
    const why = c.state === 'connecting' ? '(connecting…)' : c.state === 'down' ? `(${hostState(c, now)}: ${c.connectError})` : '(no domains)';
    return { key: it.name, cells: [c.name, why, '', '', '', '', '', '', '', '', ''] };
  }
  const d = it.dom;
  const ip = ipsOf(c).get(d.name);
  const frozen = frozenOf(c).has(d.name);
  const job = rowJob(jobs, c.name, d.name);
  const r = c.health.state === 'ok'
    ? domainRow(d, { history: c.domains.stats.get(d.name), now: c.domains.stats.lastT, ip, frozen, job })
    : staleRow(domainRow(d, { history: undefined, now: 0, ip, frozen, job }));
  return { ...r, key: it.name, cells: [c.name, ...r.cells] };
}

/** "lab2 down (retry in 8 s): Connection refused" for each host that is not up; '' when all are */
export function fleetBanner(conns: readonly Connection[], now: number): string {
  const bad = conns.filter((c) => !c.answering);
  const up = conns.length - bad.length;
  const notes = bad.map((c) => `${c.name} ${hostState(c, now)}${c.connectError || c.health.reason ? `: ${c.connectError || c.health.reason}` : ''}`);
  return [`${plural(conns.length, 'host')}, ${up} up`, ...notes].join('  |  ');
}

export function fleetView(ctx: ScreenContext, conn: Connection): ListView<FleetItem, DomainCtx> {
  // the table's rows are made again only when a host's list (or the set of hosts) is another one
  let cache: { lists: unknown[]; items: FleetItem[] } | null = null;
  const items = (): FleetItem[] => {
    const conns = ctx.connections;
    const lists = conns.flatMap((c) => [c, c.domains.domains, c.state]);
    if (!cache || cache.lists.length !== lists.length || cache.lists.some((x, i) => x !== lists[i])) {
      const out: FleetItem[] = [];
      for (const c of conns) {
        const doms = c.domains.domains;
        // keyed by the connection's id, never its place: closing one must not move the selection to another's row
        if (!doms.length) out.push({ name: `${c.id}/`, conn: c, dom: undefined });
        for (const d of doms) out.push({ name: `${c.id}/${d.name}`, conn: c, dom: d });
      }
      cache = { lists, items: out };
    }
    return cache.items;
  };
  const hosts = new Map<Connection, ActionHost>();
  const hostOf = (c: Connection) => {
    let h = hosts.get(c);
    if (!h) { h = actionHost(ctx, c); hosts.set(c, h); }
    return h;
  };
  const cpu = (it: FleetItem) => (it.dom ? it.conn.domains.stats.get(it.dom.name)?.rates?.cpu ?? -1 : -1);
  // the IP column asks each host only about its rows on screen
  const focused = new WeakSet<Connection>();
  const focus = (c: Connection) => {
    if (focused.has(c)) return;
    focused.add(c);
    ipsOf(c).focus('fleet', () => {
      const s = view.onScreen();
      const mine = (it: FleetItem | undefined) => (it?.conn === c && it.dom ? it.dom.name : undefined);
      return { selected: mine(s.selected), visible: s.visible.map(mine).filter((n): n is string => !!n) };
    });
  };
  const view: ListView<FleetItem, DomainCtx> = new ListView<FleetItem, DomainCtx>(ctx, conn, {
    title: 'Fleet',
    noun: 'domain',
    columns: FLEET_COLUMNS,
    items,
    loaded: () => ctx.connections.some((c) => c.domains.loaded),
    key: (it) => it.name,
    row: (it) => { focus(it.conn); return fleetRow(it, Date.now(), ctx.jobs.list); },
    version: () => `${ctx.connections.map((c) => `${ipsOf(c).version}/${frozenOf(c).version}`).join(',')}/${jobsVersion(ctx.jobs.list)}`,
    // HOST: the hosts in the order of their names, each one's domains by name; another column by
    // the domain's own value (ties: by host, then name); a host without rows (down) goes last
    sort: (list, col, desc) => {
      const rank = new Map([...new Set(list.map((it) => it.conn))].sort((a, b) => collate(a.name, b.name)).map((c, i) => [c, i]));
      return sortByValue(list, (it) => {
        if (col === 0) return `${String(rank.get(it.conn)).padStart(4, '0')} ${it.dom?.name ?? ''}`;
        if (!it.dom) return desc ? -Infinity : Infinity;
        return col === 3 || col === 4 ? cpu(it) : domainSortValue(it.dom, col - 1, () => cpu(it), (d) => ipsOf(it.conn).get(d.name));
      }, desc);
    },
    stale: (it) => !it.conn.answering,
    // a host's line without domains is nothing to act on
    marks: true,
    screen: 'fleet',
    subject: (it) => (it.dom ? { name: it.dom.name, conn: it.conn } : undefined),
    markable: (it) => !!it.dom,
    nameOf: (it) => (ctx.connections.length > 1 ? `${it.dom?.name ?? ''}@${it.conn.name}` : it.dom?.name ?? it.name),
    state: (it) => (it.dom ? domainState(it.dom) : undefined),
    connOf: (it) => it.conn,
    // the same domain as on its host's own screens: one action at a time on it, wherever pressed
    target: (it) => `domain:${it.dom?.name ?? ''}`,
    banner: () => fleetBanner(ctx.connections, Date.now()),
    actions: DOMAIN_ACTIONS,
    context: (it) => ({ host: hostOf(it?.conn ?? conn), dom: it?.dom }),
    summary: (all) => {
      const doms = all.filter((it) => it.dom);
      return `${plural(ctx.connections.length, 'host')}, ${plural(doms.length, 'domain')}, ${doms.filter((it) => it.dom!.state === 'running').length} running`;
    },
    emptyText: () => (ctx.connections.every((c) => c.state === 'connecting') ? 'connecting…' : undefined),
    open: (it) => { if (it.dom) ctx.push(new DomainDetailView(ctx, it.conn, it.dom.name)); },
  });
  return view;
}
