// A line chart (blessed-contrib) that keeps its data, redraws at its new size after a resize,
// draws event marks, and picks a y scale that never divides by zero.
import { theme } from './theme.ts';
import { blessed, chartPlot, drawChartMarks, drawChartXTicks, lineChart, resizeChart, setChartData, type ContribLine } from './blessed-compat.ts';

export interface ChartLine { title: string; values: readonly number[]; color: string }

export interface Tick { at: number; text: string }

export interface ChartData {
  lines: ChartLine[];
  /** one label per point ("-60s" ... "now") */
  xLabels: string[];
  /** the labels under the x axis for a plot `cells` wide: evenly spaced, in one unit */
  xTicks?: (cells: number) => Tick[];
  /** point indexes where an event happened */
  marks: number[];
  /** the smallest top of the y axis (1 % of CPU, 1 KiB/s ...): a flat line at 0 stays at the bottom */
  floor: number;
}

/** the smallest of 1, 2, 5 times a power of ten at or above `x` */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const k of [1, 2, 5, 10]) if (k * p >= x * (1 - 1e-12)) return k * p;
  return 10 * p;
}

/**
 * The text rows line.js writes `steps` y labels on, for a plot `plotPx` canvas pixels high (4
 * a row; a label at value v goes at pixel plotPx - 2 - plotPx * v / maxY).
 */
function labelRows(plotPx: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, k) => Math.floor((plotPx - 2 - (plotPx * k) / steps) / 4));
}

/**
 * The y axis for values up to `max` on a plot `plotPx` canvas pixels high: a round step, and as
 * many steps (up to 5) as put the labels on evenly spaced rows of their own ("0 10 20 30", never
 * "0 8 12 16" with one label lost under another, or a gap of two rows after one of one). Pure.
 */
export function yAxis(max: number, floor: number, plotPx: number): { maxY: number; steps: number } {
  const m = Math.max(max, floor, 1e-9);
  const even: Array<{ maxY: number; steps: number }> = [];
  for (let n = 5; n >= 2; n--) {
    const rows = labelRows(plotPx, n);
    const gap = rows[0]! - rows[1]!;
    if (gap < 1 || rows.some((r, i) => r < 0 || (i > 0 && rows[i - 1]! - r !== gap))) continue;
    even.push({ maxY: niceStep(m / n) * n, steps: n });
  }
  if (!even.length) return { maxY: niceStep(m), steps: 1 };
  // the lowest top keeps the line tall; within a quarter of it, more labels read better
  const low = Math.min(...even.map((e) => e.maxY));
  return even.find((e) => e.maxY <= low * 1.3)!;
}

/** the y label line.js prints for the top of the axis (its width sets the left padding) */
function yLabel(maxY: number, labels: number): string {
  return maxY / labels < 1 ? maxY.toFixed(2) : maxY.toFixed(0);
}

export class LineChart {
  readonly widget: ContribLine;
  private data: ChartData | null = null;
  private drawnFor = '';

  constructor(parent: blessed.Widgets.Node, pos: { top: number | string; left: number | string; width: number | string; height: number | string }, label: string) {
    this.widget = lineChart({
      parent, ...pos, label: ` ${label} `, border: { type: 'line' },
      // the frame in the theme's dim colour: grey is black on an 8-colour terminal's black
      style: { line: 'yellow', text: 'green', baseline: 'white', border: { fg: theme.dim.replace(/-fg$/, '') } },
      xLabelPadding: 3, xPadding: 5, numYLabels: 5, showLegend: false, wholeNumbersOnly: false,
    });
  }

  setLabel(label: string): void { this.widget.setLabel(` ${label} `); }

  set(data: ChartData): void {
    this.data = data;
    this.drawnFor = '';
  }

  /** Draws the data at the chart's current size; call before the screen renders. */
  draw(): void {
    const w = this.widget.width as number;
    const h = this.widget.height as number;
    const key = `${w}x${h}`;
    if (!this.data || key === this.drawnFor) return;
    // line.js needs room for its axes and labels
    if (w < 16 || h < 5) { this.drawnFor = key; this.widget.setContent(''); return; }
    // a new canvas each time: line.js's clearRect leaves the old labels' text behind
    resizeChart(this.widget);
    const d = this.data;
    let max = 0;
    for (const l of d.lines) for (const v of l.values) if (Number.isFinite(v) && v > max) max = v;
    const { maxY, steps } = yAxis(max, d.floor, chartPlot(this.widget, 0).height);
    this.widget.options.maxY = maxY;
    this.widget.options.numYLabels = steps;
    const yw = yLabel(maxY, steps).length;
    // what was not measured is a gap in the line; the x labels are ours (xTicks)
    const x = d.xTicks ? d.xLabels.map(() => ' ') : d.xLabels;
    setChartData(this.widget, d.lines.map((l) => ({ title: l.title, x, y: [...l.values], style: { line: l.color } })));
    drawChartMarks(this.widget, d.marks, d.xLabels.length, yw, 'red');
    if (d.xTicks) {
      const p = chartPlot(this.widget, yw);
      drawChartXTicks(this.widget, d.xTicks(Math.floor((p.width - p.xPadding) / 2)), d.xLabels.length, yw);
    }
    this.drawnFor = key;
  }

  destroy(): void { this.widget.destroy(); }
}
