// A line chart (blessed-contrib) that keeps its data, redraws at its new size after a resize,
// draws event marks, and picks a y scale that never divides by zero.
import { blessed, drawChartMarks, lineChart, resizeChart, setChartData, type ContribLine } from './blessed-compat.ts';

export interface ChartLine { title: string; values: readonly number[]; color: string }

export interface ChartData {
  lines: ChartLine[];
  /** one label per point ("-60s" ... "now") */
  xLabels: string[];
  /** point indexes where an event happened */
  marks: number[];
  /** the smallest top of the y axis (1 % of CPU, 1 KiB/s ...): a flat line at 0 stays at the bottom */
  floor: number;
}

/** A round top for the y axis, at or above `max` (1, 2 or 5 times a power of ten: five labels stay round). */
export function niceMax(max: number, floor: number): number {
  const m = Math.max(max, floor, 1e-9);
  const p = 10 ** Math.floor(Math.log10(m));
  for (const k of [1, 2, 5, 10]) if (k * p >= m) return k * p;
  return 10 * p;
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
      style: { line: 'yellow', text: 'green', baseline: 'white', border: { fg: 'gray' } },
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
    const maxY = niceMax(max, d.floor);
    this.widget.options.maxY = maxY;
    // what was not measured is a gap in the line
    setChartData(this.widget, d.lines.map((l) => ({ title: l.title, x: d.xLabels, y: [...l.values], style: { line: l.color } })));
    drawChartMarks(this.widget, d.marks, d.xLabels.length, yLabel(maxY, this.widget.options.numYLabels).length, 'red');
    this.drawnFor = key;
  }

  destroy(): void { this.widget.destroy(); }
}
