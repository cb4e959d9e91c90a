// The stats of one domain: four line charts (CPU, memory, disk, network) over the chosen
// window, the current rates above them, the events of the window below. Used by the stats
// view (`v`) and by the Stats tab of the domain details.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { blessed, esc } from '../../src/ui/blessed-compat.ts';
import { LineChart, type ChartData, type ChartLine } from '../../src/ui/chart.ts';
import { fit, humanKiB } from '../../src/ui/text.ts';
import { theme } from '../../src/ui/theme.ts';
import { humanPercent, humanRate, rateUnit } from '../../src/ui/sparkline.ts';
import { RESOLUTIONS, type Resolution } from '../../src/model/ring.ts';
import type { DomHistory, Mark } from '../../src/model/stats.ts';
import type { Domain } from '../../src/libvirt/types.ts';

const VCPU_COLORS = ['cyan', 'magenta', 'green', 'blue'];

/** "-59s" ... "now"; minutes past two */
export function xLabels(r: Resolution): string[] {
  return Array.from({ length: r.size }, (_, i) => {
    if (i === r.size - 1) return 'now';
    const s = ((r.size - 1 - i) * r.bucketMs) / 1000;
    return s < 120 ? `-${s}s` : `-${Math.round(s / 60)}m`;
  });
}

const TICK_SECONDS = [5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800];

/**
 * The time labels of window `r` on a plot `cells` wide: every N seconds or minutes back from
 * "now", N the smallest round step that leaves room between them, all in one unit ("-45s -30s
 * -15s now", "-4m -2m now", "-60m -45m ... now"). Pure.
 */
export function timeTicks(r: Resolution, cells: number): Array<{ at: number; text: string }> {
  const bucket = r.bucketMs / 1000;
  const span = (r.size - 1) * bucket;
  // room for the widest label ("-45m") and a space, and for "now", which is moved left to fit
  const gap = 9;
  const step = TICK_SECONDS.find((s) => s % bucket === 0 && (cells * s) / span >= gap) ?? span;
  const out: Array<{ at: number; text: string }> = [];
  for (let age = 0; age <= span; age += step) {
    const text = age === 0 ? 'now' : step >= 60 ? `-${age / 60}m` : `-${age}s`;
    out.unshift({ at: r.size - 1 - age / bucket, text });
  }
  return out;
}

/** the point index of each mark inside the window ending with the bucket of `now` */
export function markIndexes(marks: readonly Mark[], r: Resolution, now: number): number[] {
  const first = Math.floor(now / r.bucketMs) - r.size + 1;
  return marks.map((m) => Math.floor(m.t / r.bucketMs) - first).filter((i) => i >= 0 && i < r.size);
}

const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);

/** The chart data of one domain in window `r`. Pure. */
export function chartData(h: DomHistory | undefined, r: number, now: number): { cpu: ChartData; mem: ChartData; disk: ChartData; net: ChartData; memUnit: string; diskUnit: string; netUnit: string; vcpus: number } {
  const res = RESOLUTIONS[r]!;
  const labels = xLabels(res);
  const marks = h ? markIndexes(h.marks, res, now) : [];
  const xTicks = (cells: number) => timeTicks(res, cells);
  const empty = () => new Array<number>(res.size).fill(NaN);
  const vals = (s: { values(r: number, now: number): number[] } | undefined) => (s ? s.values(r, now) : empty());
  const maxOf = (...xs: number[][]) => xs.reduce((m, a) => a.reduce((mm, v) => (Number.isFinite(v) && v > mm ? v : mm), m), 0);
  const scale = (xs: number[], d: number) => xs.map((v) => v / d);
  const cpuLines: ChartLine[] = [{ title: 'total', values: vals(h?.cpu), color: 'yellow' }];
  const vcpus = h?.vcpus.length ?? 0;
  // one line per vCPU while they can be told apart
  if (h && vcpus >= 1 && vcpus <= VCPU_COLORS.length) h.vcpus.forEach((s, i) => cpuLines.push({ title: `vCPU ${i}`, values: s.values(r, now), color: VCPU_COLORS[i]! }));
  const used = vals(h?.memUsed);
  const cur = vals(h?.memCur);
  const memMax = maxOf(used, cur);
  const [memDiv, memUnit] = memMax >= 1024 * 1024 * 2 ? [1024 * 1024, 'GiB'] : [1024, 'MiB'];
  const rd = vals(h?.diskRd);
  const wr = vals(h?.diskWr);
  const [dDiv, diskUnit] = rateUnit(maxOf(rd, wr));
  const rx = vals(h?.netRx);
  const tx = vals(h?.netTx);
  const [nDiv, netUnit] = rateUnit(maxOf(rx, tx));
  return {
    cpu: { lines: cpuLines, xLabels: labels, xTicks, marks, floor: 1 },
    mem: { lines: [{ title: 'used', values: scale(used, memDiv), color: 'yellow' }, { title: 'balloon', values: scale(cur, memDiv), color: 'cyan' }], xLabels: labels, xTicks, marks, floor: 1 },
    disk: { lines: [{ title: 'read', values: scale(rd, dDiv), color: 'green' }, { title: 'write', values: scale(wr, dDiv), color: 'yellow' }], xLabels: labels, xTicks, marks, floor: 1 },
    net: { lines: [{ title: 'rx', values: scale(rx, nDiv), color: 'green' }, { title: 'tx', values: scale(tx, nDiv), color: 'yellow' }], xLabels: labels, xTicks, marks, floor: 1 },
    memUnit, diskUnit, netUnit, vcpus,
  };
}

/** The lines above the charts: the rates now; per disk and per NIC when `detail`. Pure. */
export function rateLines(name: string, dom: Domain | undefined, h: DomHistory | undefined, detail: boolean): string[] {
  if (!dom) return [`${name} is not defined any more`];
  if (dom.id === null) return [`${name} is ${dom.state}: no live statistics${h?.marks.length ? ' (the history of this session is kept)' : ''}`];
  const r = h?.rates;
  if (!r) {
    if (h?.sample && h.sample.cpuTime === undefined) return [`this connection gives no statistics for ${name} (the test driver reports only the state)`];
    return [`${name}: measuring… (rates need two samples a tick apart)`];
  }
  const vc = r.vcpus.length;
  const out = [[
    // total includes QEMU's own threads; the vCPUs' share is what the guest ran
    `CPU ${humanPercent(r.cpu)}${vc ? ` of ${vc} vCPU${vc > 1 ? 's' : ''}, ${humanPercent(r.vcpus.reduce((a, x) => a + (Number.isFinite(x) ? x : 0), 0))} in the guest` : ''}`,
    `mem ${r.memUsed !== undefined ? humanKiB(r.memUsed) : '-'} used of ${humanKiB(r.memCur)}${r.memMax !== undefined && r.memMax !== r.memCur ? ` (max ${humanKiB(r.memMax)})` : ''}`,
    `disk r ${humanRate(r.diskRd)} w ${humanRate(r.diskWr)} ${Math.round(r.diskRdIops + r.diskWrIops)} IOPS`,
    `net rx ${humanRate(r.netRx)} tx ${humanRate(r.netTx)}`,
  ].join('  ')];
  if (detail) {
    for (const d of r.disks) out.push(`  disk ${d.name.padEnd(8)} read ${humanRate(d.rd).padStart(11)} ${d.rdIops.toFixed(1).padStart(7)} IOPS   write ${humanRate(d.wr).padStart(11)} ${d.wrIops.toFixed(1).padStart(7)} IOPS`);
    for (const n of r.nics) out.push(`  nic  ${n.name.padEnd(8)} rx   ${humanRate(n.rx).padStart(11)}   tx ${humanRate(n.tx).padStart(11)}`);
  }
  return out;
}

/** "events: 05:20:41 Suspended Paused | 05:20:44 Resumed Unpaused" for the window. Pure. */
export function eventLine(marks: readonly Mark[], r: Resolution, now: number): string {
  const from = now - r.size * r.bucketMs;
  const shown = marks.filter((m) => m.t >= from);
  if (!shown.length) return `events (red marks): none in the ${r.label}`;
  return `events (red marks): ${shown.map((m) => `${clock(m.t)} ${m.text}`).join(' | ')}`;
}

export class StatsPanel {
  private box: blessed.Widgets.BoxElement | null = null;
  private info: blessed.Widgets.BoxElement | null = null;
  private events: blessed.Widgets.BoxElement | null = null;
  private charts: LineChart[] = [];
  private version = -1;
  private layoutFor = '';
  res = 0;

  constructor(private readonly app: ScreenContext, private readonly conn: Connection, public name: string) {}

  mount(parent: blessed.Widgets.BoxElement): void {
    this.box = blessed.box({ parent, top: 0, left: 0, width: '100%', height: '100%' });
    this.info = blessed.box({ parent: this.box, top: 0, left: 0, width: '100%', height: 1, tags: true });
    this.events = blessed.box({ parent: this.box, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
    this.charts = ['CPU %', 'Memory', 'Disk I/O', 'Network I/O'].map((l) => new LineChart(this.box!, { top: 1, left: 0, width: 10, height: 5 }, l));
    this.version = -1;
    this.layoutFor = '';
  }

  unmount(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
    this.box?.destroy();
    this.box = this.info = this.events = null;
  }

  cycleWindow(): void { this.res = (this.res + 1) % RESOLUTIONS.length; this.version = -1; }
  show(name: string): void { this.name = name; this.version = -1; }

  /** Places the four charts in a 2x2 grid under the rate lines. */
  private layout(w: number, h: number, infoLines: number): void {
    const key = `${w}x${h}x${infoLines}`;
    if (key === this.layoutFor) return;
    this.layoutFor = key;
    this.info!.height = infoLines;
    const top = infoLines;
    const ch = Math.max(0, h - infoLines - 1);
    const h1 = Math.floor(ch / 2);
    const w1 = Math.floor(w / 2);
    const pos = [[top, 0, w1, h1], [top, w1, w - w1, h1], [top + h1, 0, w1, ch - h1], [top + h1, w1, w - w1, ch - h1]];
    this.charts.forEach((c, i) => {
      const [t, l, cw, chh] = pos[i]!;
      Object.assign(c.widget, { top: t, left: l, width: cw, height: chh });
    });
  }

  render(): void {
    if (!this.box) return;
    const w = (this.box.width as number) || 80;
    const h = (this.box.height as number) || 20;
    const stats = this.conn.domains.stats;
    const hist = stats.get(this.name);
    const dom = this.conn.domains.get(this.name);
    const lines = rateLines(this.name, dom, hist, h >= 36);
    const infoLines = Math.min(lines.length, Math.max(1, h - 12));
    this.layout(w, h, infoLines);
    this.info!.setContent(lines.slice(0, infoLines).map((l) => esc(fit(l, w).trimEnd())).join('\n'));
    const now = stats.lastT || Date.now();
    const res = RESOLUTIONS[this.res]!;
    this.events!.setContent(`{${theme.dim}}${esc(fit(`${eventLine(hist?.marks ?? [], res, now)}   [w] window: ${res.label}`, w).trimEnd())}{/}`);
    if (this.version !== stats.version) {
      this.version = stats.version;
      const d = chartData(hist, this.res, now);
      const vc = d.vcpus >= 1 && d.vcpus <= VCPU_COLORS.length ? ', vCPUs' : '';
      const labels = [`CPU % ${res.key} (total${vc})`, `Memory ${d.memUnit} (used, balloon)`, `Disk ${d.diskUnit} (read, write)`, `Network ${d.netUnit} (rx, tx)`];
      [d.cpu, d.mem, d.disk, d.net].forEach((cd, i) => { this.charts[i]!.set(cd); this.charts[i]!.setLabel(labels[i]!); });
    }
    for (const c of this.charts) c.draw();
  }
}
