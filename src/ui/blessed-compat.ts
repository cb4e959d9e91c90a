// Every blessed quirk and `any` cast lives here (DESIGN rule 8).
import blessed from 'blessed';
import { createRequire } from 'node:module';
import { PassThrough, type Readable, type Writable } from 'node:stream';

const require = createRequire(import.meta.url);
// blessed's own unicode module: the screen uses its tables to decide how many cells a character takes
const unicode = require('blessed/lib/unicode.js') as {
  charWidth(s: string | number, i?: number): number;
  strWidth(s: string): number;
  codePointAt(s: string, i: number): number;
  chars: { all: RegExp };
};

// blessed's tables date from 2015 and count most emoji as one cell, while terminals draw two:
// a name such as "ünï-🚀" would push the rest of its row one column right. Teach it the
// emoji blocks (U+1F300-U+1F64F, U+1F680-U+1F6FF, U+1F900-U+1F9FF, U+1FA70-U+1FAFF).
const EMOJI = '\\ud83c[\\udf00-\\udfff]|\\ud83d[\\udc00-\\ude4f\\ude80-\\udeff]|\\ud83e[\\udd00-\\uddff\\ude70-\\udeff]';
if (!(unicode as { virtuiPatched?: boolean }).virtuiPatched) {
  (unicode as { virtuiPatched?: boolean }).virtuiPatched = true;
  const isEmoji = (p: number) => (p >= 0x1f300 && p <= 0x1f64f) || (p >= 0x1f680 && p <= 0x1f6ff)
    || (p >= 0x1f900 && p <= 0x1f9ff) || (p >= 0x1fa70 && p <= 0x1faff);
  const orig = unicode.charWidth.bind(unicode);
  // blessed's lookup scans tables on every call, and it is asked for every character drawn (and,
  // in a terminal pane, every character a program prints): printable ASCII is answered at once
  // and the BMP is remembered (width + 1; tab is left out, its width is the screen's setting)
  const bmp = new Uint8Array(0x10000);
  unicode.charWidth = (s: string | number, i?: number) => {
    const p = typeof s === 'number' ? s : unicode.codePointAt(s, i ?? 0);
    if (p >= 0x20 && p < 0x7f) return 1;
    if (p >= 0x10000 || p === 0x09) return isEmoji(p) ? 2 : orig(p);
    const known = bmp[p]!;
    if (known) return known - 1;
    const w = orig(p);
    bmp[p] = w + 1;
    return w;
  };
  unicode.chars.all = new RegExp(`(${EMOJI}|${unicode.chars.all.source.slice(1, -1)})`, 'g');
}

// blessed turns each of the terminal's ~400 terminfo strings into a function (new Function) when
// the screen starts, and a screen uses a few dozen of them: each is now made the first time it is
// used (a tenth of the time to the first frame went here). Empty and non-string capabilities are
// blessed's own values, unchanged.
type TputProto = { _compile(info: unknown, key: string, str: unknown): unknown; virtuiLazy?: boolean };
const tputProto = (require('blessed/lib/tput.js') as { prototype: TputProto }).prototype;
if (!tputProto.virtuiLazy) {
  tputProto.virtuiLazy = true;
  const compile = tputProto._compile;
  tputProto._compile = function (this: TputProto, info, key, str) {
    if (typeof str !== 'string' || !str) return compile.call(this, info, key, str);
    let made: ((...a: unknown[]) => unknown) | undefined;
    const tput = this;
    return function (this: unknown, ...a: unknown[]) {
      made ??= compile.call(tput, info, key, str) as (...a: unknown[]) => unknown;
      return made.apply(this, a);
    };
  };
}

/**
 * An element's text, set only when it differs: blessed's setContent clears the element's region
 * and walks its text again every time, and the header, footer and tables are set on every frame
 * (a tick that changes one number redraws them all).
 */
export function setText(el: blessed.Widgets.BlessedElement, text: string): void {
  if ((el as unknown as { content?: string }).content === text) return;
  el.setContent(text);
}

/** Display width of a string in terminal cells, as the screen will draw it. */
export function strWidth(s: string): number {
  return unicode.strWidth(s);
}

/** Escapes blessed's {tags} in text that comes from outside (names, XML, virsh output). */
export function esc(s: string): string {
  return blessed.escape(s);
}

export interface ScreenIO { input?: Readable; output?: Writable; title?: string }

export function createScreen(io: ScreenIO = {}): blessed.Widgets.Screen {
  const term = process.env.TERM && process.env.TERM !== 'dumb' ? process.env.TERM : 'xterm-256color';
  // inside tmux, blessed's Program runs `tmux -V` (a process, before the first frame) only to
  // know whether tmux is 2 or later, for one mouse mode: every tmux since 2015 is. Not asked.
  const tmux = process.env.TMUX;
  delete process.env.TMUX;
  let screen: blessed.Widgets.Screen;
  try {
    screen = blessed.screen({
      input: io.input as NodeJS.ReadableStream | undefined,
      output: io.output as NodeJS.WritableStream | undefined,
      smartCSR: true,
      fullUnicode: true,
      autoPadding: false,
      warnings: false,
      terminal: term,
      title: io.title ?? 'virtui',
      // blessed otherwise installs its own SIGINT/exit handlers; app.ts owns the exit
      handleUncaughtExceptions: false,
      forceUnicode: true,
    } as blessed.Widgets.IScreenOptions);
  } finally {
    if (tmux !== undefined) process.env.TMUX = tmux;
  }
  Object.assign((screen as unknown as { program: object }).program, { tmux: !!tmux, tmuxVersion: 2 });
  // blessed's default `C-c` does nothing; app.ts binds it. Ignore blessed's terminfo warnings.
  // blessed would draw │ · and other line characters through the DEC alternate charset, which
  // tmux (and a guest's output shown in a pane) then shows as "x" and "~": UTF-8 works everywhere.
  (screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  return screen;
}

/**
 * Rows for a tagged box's content: blessed drops a line that holds tags and no text ("{/}",
 * "{bold}{/bold}"), so such a line is given empty ({open} and {close} are text, not tags).
 */
export function taggedRows(rows: readonly string[]): string {
  return rows.map((r) => (/^(?:\{\/?(?!open\}|close\})[a-z0-9-]*\})*$/.test(r) ? '' : r)).join('\n');
}

/** how many colours the terminal has, as blessed's terminfo says (xterm, screen, linux: 8) */
export function terminalColors(screen: blessed.Widgets.Screen): number {
  return (screen as unknown as { tput: { colors?: number } }).tput.colors ?? 8;
}

/**
 * No colour reaches the terminal (NO_COLOR, the monochrome theme): before blessed writes the
 * changed lines out, each cell's foreground and background become the terminal's own, whatever
 * a widget or a tag asked for; bold, underline and inverse stay. blessed packs a cell's
 * attributes as flags<<18 | fg<<9 | bg, 0x1ff being "default", and writes them inline in draw().
 */
export function dropColors(screen: blessed.Widgets.Screen): void {
  const s = screen as unknown as { draw(start: number, end: number): void; lines: Array<Array<[number, string]> & { dirty?: boolean }> };
  const draw = s.draw.bind(s);
  s.draw = (start: number, end: number) => {
    for (let y = start; y <= end; y++) {
      const line = s.lines[y];
      if (!line?.dirty) continue;
      for (const cell of line) cell[0] = (cell[0] & ~0x3ffff) | (0x1ff << 9) | 0x1ff;
    }
    draw(start, end);
  };
}

export interface KeyEvent { name?: string; full?: string; ctrl?: boolean; shift?: boolean; meta?: boolean; sequence?: string }

/**
 * One name per key press: a printable character is itself ("D", "/", "?"), anything else is
 * blessed's full name ("enter", "escape", "up", "C-r", "pagedown", "S-tab").
 */
export function keyName(ch: string | undefined, key: KeyEvent | undefined): string {
  const full = key?.full ?? key?.name ?? '';
  if (ch && ch.length >= 1 && !key?.ctrl && !key?.meta && ch >= ' ' && ch !== '\x7f' && full !== 'enter' && full !== 'return' && full !== 'tab' && full !== 'space') {
    return ch;
  }
  // blessed emits every Enter twice: as "enter", then as "return". Keep one.
  if (full === 'return') return '';
  if (full === 'space') return ' ';
  if (full === 'linefeed' || full === 'C-j' && ch === '\n') return 'enter';
  // blessed has no names for Ctrl+\ ] ^ _ (0x1c-0x1f): "C-]" as for the letters
  if (full.length === 1 && full >= '\x1c' && full <= '\x1f') return `C-${String.fromCharCode(full.charCodeAt(0) + 0x40)}`;
  return full;
}

/** The node where blessed keeps a box's absolute top (after layout). */
export function absTop(el: blessed.Widgets.BlessedElement): number {
  return (el as unknown as { atop: number }).atop ?? 0;
}

/** Screen-wide mouse reporting (blessed enables it lazily when an element asks). */
export function enableMouse(screen: blessed.Widgets.Screen): void {
  (screen as unknown as { enableMouse(): void }).enableMouse();
}

/** Streams that blessed takes for a terminal of a fixed size (screen tests, benchmarks). */
export function fakeTerminal(cols: number, rows: number) {
  const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: true, setRawMode() { return this; } });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: cols, rows });
  output.resume(); // nobody reads what blessed draws: the tests read screenText()
  return { input, output };
}

/** The rendered screen as plain text lines (for screen tests). */
export function screenText(screen: blessed.Widgets.Screen): string[] {
  const lines = (screen as unknown as { lines: Array<Array<[number, string]>> }).lines;
  return lines.map((row) => row.map((cell) => (cell[1] === '\x03' ? '' : cell[1])).join('').replace(/\s+$/, ''));
}

// blessed-contrib's line chart. Its canvas is sized once, when the chart is attached, so a
// resized chart would keep drawing at its old size: resizeChart() makes a new canvas.
// Loaded with the first chart, not at start: blessed-contrib takes ~200 ms to import, and the
// first frame (the domains list) has no chart.
let contrib: { line(opts: Record<string, unknown>): ContribLine } | undefined;
let InnerCanvas: (new (w: number, h: number) => { getContext(): CanvasCtx }) | undefined;

interface CanvasCtx {
  strokeStyle: string;
  fillText(text: string, x: number, y: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
}

export interface ContribLine extends blessed.Widgets.BoxElement {
  options: Record<string, unknown> & { maxY?: number; xPadding: number; xLabelPadding: number; numYLabels: number; minY: number };
  canvasSize: { width: number; height: number };
  ctx?: CanvasCtx;
  _canvas?: unknown;
  calcSize(): void;
  setData(data: Array<{ title: string; x: string[]; y: number[]; style?: { line: string } }>): void;
}

export function lineChart(opts: Record<string, unknown>): ContribLine {
  contrib ??= require('blessed-contrib') as { line(opts: Record<string, unknown>): ContribLine };
  return contrib.line(opts);
}

/**
 * setData() where a NaN value (nothing measured) leaves a gap: line.js would draw a line to
 * NaN coordinates, so while it draws, a point at NaN breaks the path and the next one starts anew.
 */
export function setChartData(chart: ContribLine, data: Parameters<ContribLine['setData']>[0]): void {
  const c = chart.ctx;
  if (!c) return;
  const { beginPath, lineTo } = c;
  let gap = true;
  c.beginPath = () => { gap = true; beginPath.call(c); };
  c.lineTo = (x: number, y: number) => {
    if (!Number.isFinite(x) || !Number.isFinite(y)) { gap = true; return; }
    if (gap) { gap = false; c.moveTo(x, y); } else lineTo.call(c, x, y);
  };
  try {
    chart.setData(data);
  } finally {
    c.beginPath = beginPath;
    c.lineTo = lineTo;
  }
}

/** A new canvas for the chart's current size (after a resize). */
export function resizeChart(chart: ContribLine): void {
  chart.calcSize();
  InnerCanvas ??= require('drawille-canvas-blessed-contrib').Canvas as new (w: number, h: number) => { getContext(): CanvasCtx };
  chart._canvas = new InnerCanvas(Math.max(2, chart.canvasSize.width), Math.max(4, chart.canvasSize.height));
  chart.ctx = (chart._canvas as { getContext(): CanvasCtx }).getContext();
}

/**
 * Vertical lines at point indexes `at` of `points` (the event marks), drawn after setData()
 * with the same geometry line.js uses (its padding depends on the widest y label).
 */
export function drawChartMarks(chart: ContribLine, at: readonly number[], points: number, yLabelWidth: number, color: string): void {
  const c = chart.ctx;
  if (!c || !at.length) return;
  const xLabelPadding = Math.max(chart.options.xLabelPadding, yLabelWidth * 2);
  const xPadding = Math.max(chart.options.xPadding, xLabelPadding);
  const w = chart.canvasSize.width;
  const h = chart.canvasSize.height;
  c.strokeStyle = color;
  for (const i of at) {
    const x = Math.round(((w - xPadding) / points) * i + xPadding + 2);
    c.beginPath();
    c.lineTo(x, 0);
    c.lineTo(x, h - 11);
    c.stroke();
  }
}

/** What line.js leaves for the plot: its height in canvas pixels (4 a row), and its left padding. */
export function chartPlot(chart: ContribLine, yLabelWidth: number): { xPadding: number; width: number; height: number } {
  const xLabelPadding = Math.max(chart.options.xLabelPadding, yLabelWidth * 2);
  const xPadding = Math.max(chart.options.xPadding, xLabelPadding);
  // line.js: yPadding 11, and 2 more between the baseline and the lowest point
  return { xPadding, width: chart.canvasSize.width, height: chart.canvasSize.height - 11 };
}

/**
 * Time labels under the x axis at point indexes of our choosing (line.js puts one every Nth
 * point from the first, so "-5m -4m -3m -85s"); its own are left empty. Each is moved left
 * when it would run past the right edge.
 */
export function drawChartXTicks(chart: ContribLine, ticks: ReadonlyArray<{ at: number; text: string }>, points: number, yLabelWidth: number): void {
  const c = chart.ctx;
  if (!c) return;
  const { xPadding, width, height } = chartPlot(chart, yLabelWidth);
  for (const t of ticks) {
    const x = Math.min(((width - xPadding) / points) * t.at + xPadding + 2, width - t.text.length * 2);
    c.fillText(t.text, x, height + 3);
  }
}

export { blessed };

/** Cells a code point takes on the screen, by blessed's (emoji-patched) tables. */
export function charWidth(codePoint: number): 0 | 1 | 2 {
  const w = unicode.charWidth(codePoint);
  return w <= 0 ? 0 : w >= 2 ? 2 : 1;
}

const colors = require('blessed/lib/colors.js') as { match(r: number, g: number, b: number): number };

/** The nearest of the 256 colours (blessed's attributes hold a palette index only). */
export function nearestColor(rgb: number): number {
  return colors.match((rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff);
}

/** One screen cell as blessed keeps it: [attr, char]; attr = flags << 18 | fg << 9 | bg. */
export type Cell = [number, string];
export const CELL_FLAGS = { bold: 1, underline: 2, blink: 4, inverse: 8, invisible: 16 } as const;
export const DEFAULT_COLOR = 0x1ff;

/**
 * Draws rows of cells straight into the screen's buffer after the box has drawn itself (border,
 * label): `row(r, width, height)` gives the cells of the box's inner row r. This is how blessed's
 * own terminal widget draws; text never goes through tag parsing, so nothing in it is markup.
 */
export function drawRows(box: blessed.Widgets.BoxElement, row: (r: number, width: number, height: number) => readonly Cell[] | null): void {
  const el = box as unknown as { render(): { xi: number; xl: number; yi: number; yl: number } | undefined; ileft: number; iright: number; itop: number; ibottom: number; screen: { lines: Array<Cell[] & { dirty?: boolean }> } };
  const base = el.render.bind(el);
  el.render = () => {
    const ret = base();
    if (!ret) return ret;
    const xi = ret.xi + el.ileft;
    const xl = ret.xl - el.iright;
    const yi = ret.yi + el.itop;
    const yl = ret.yl - el.ibottom;
    const lines = el.screen.lines;
    for (let y = Math.max(0, yi); y < yl; y++) {
      const line = lines[y];
      if (!line) break;
      const cells = row(y - yi, xl - xi, yl - yi);
      if (!cells) continue;
      for (let x = Math.max(0, xi), i = x - xi; x < xl && i < cells.length; x++, i++) {
        if (!line[x]) break;
        line[x]![0] = cells[i]![0];
        line[x]![1] = cells[i]![1];
      }
      line.dirty = true;
    }
    return ret;
  };
}

/**
 * Puts text on the operator's clipboard with OSC 52 (xterm, iTerm2, kitty, Windows Terminal,
 * tmux with set-clipboard on; others ignore it). blessed has no call for it: `_twrite` is how its
 * own program writes a sequence past tmux (wrapped in tmux's passthrough when $TMUX is set).
 */
export function copyToClipboard(el: blessed.Widgets.Node, text: string): void {
  const program = (el.screen as unknown as { program: { _twrite(s: string): void } }).program;
  program._twrite(`\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`);
}
