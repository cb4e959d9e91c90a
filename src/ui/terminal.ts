// A terminal pane: a program in a pty (src/pty/process.ts) whose screen is emulated by
// @xterm/headless and drawn cell by cell into a blessed box. The program's bytes only ever reach
// the emulator: titles, clears, OSC 52, mode changes act on the emulated screen or nowhere, never
// on the terminal virtui runs in.
import { EventEmitter } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type * as Xterm from '@xterm/headless';
import { createRequire } from 'node:module';
import { blessed, CELL_FLAGS, charWidth, DEFAULT_COLOR, drawRows, nearestColor, type Cell } from './blessed-compat.ts';
import { findProgram, PtyProcess, type PtyExit, type PtySpec } from '../pty/process.ts';
import { plainText } from '../pty/commands.ts';

export const SCROLLBACK = 10_000;

// loaded with the first pane, not at start (the first frame opens none)
let xtermModule: typeof Xterm | undefined;
const xterm = (): typeof Xterm => (xtermModule ??= createRequire(import.meta.url)('@xterm/headless') as typeof Xterm);

// xterm's width tables and blessed's must agree, or a wide character shifts the rest of its row
const BLESSED_WIDTHS: Xterm.IUnicodeVersionProvider = {
  version: 'virtui',
  wcwidth: charWidth,
  charProperties(cp, preceding) {
    // the encoding of xterm's UnicodeService: (state << 3) | (width << 1) | shouldJoin
    let cells: number = charWidth(cp);
    let join = cells === 0 && preceding !== 0;
    if (join) {
      const old = (preceding >> 1) & 3;
      if (old === 0) join = false;
      else if (old > cells) cells = old;
    }
    return ((cells & 3) << 1) | (join ? 1 : 0);
  },
};

export interface SearchState { query: string; line: number; col: number; count: number }

export class TerminalPane extends EventEmitter {
  readonly term: Xterm.Terminal;
  private proc: PtyProcess | null = null;
  /** lines scrolled up from the live screen (0: following the output) */
  offset = 0;
  search: SearchState | null = null;
  logPath: string | null = null;
  private log: WriteStream | null = null;
  /** the last few KB of plain output, to read why a program ended */
  recent = '';
  /** chunks read from the pty that the emulator has not parsed yet */
  private unparsed = 0;

  constructor(cols: number, rows: number, readonly scrollback = SCROLLBACK) {
    super();
    // logLevel off: the emulator reports a program's malformed output ("Parsing error") with console.error
    this.term = new (xterm().Terminal)({ cols: Math.max(2, cols), rows: Math.max(2, rows), scrollback, allowProposedApi: true, logLevel: 'off' });
    this.term.unicode.register(BLESSED_WIDTHS);
    this.term.unicode.activeVersion = 'virtui';
    // the emulator's replies to the program's queries (cursor position, device attributes)
    this.term.onData((d) => this.proc?.write(d));
  }

  get cols(): number { return this.term.cols; }
  get rows(): number { return this.term.rows; }
  get running(): boolean { return !!this.proc && !this.proc.exited; }
  /** All the output read so far is on the emulated screen (the screen tests wait for it). */
  get settled(): boolean { return this.unparsed === 0; }

  /**
   * Starts `spec` in this pane (again, for a re-attach: the old screen stays above).
   * False, with a message in the pane, when the program is not installed.
   */
  start(spec: PtySpec): boolean {
    this.proc?.kill();
    if (!findProgram(spec.file)) {
      this.note(`${spec.file} is not installed${spec.pkg ? ` (apt-get install ${spec.pkg})` : ''}`, 'error');
      this.emit('exit', { code: 127, signal: 0 } satisfies PtyExit, `${spec.file}: not installed`);
      return false;
    }
    this.recent = '';
    // chunks that arrive in the same turn of the event loop go to the emulator as one write:
    // xterm schedules its parsing per write, and a busy program sends many small chunks
    let pending: string[] = [];
    const flush = () => {
      const data = pending.join('');
      const n = pending.length;
      pending = [];
      if (proc !== this.proc) { this.unparsed -= n; return; }
      const text = plainText(data);
      this.recent = (this.recent + text).slice(-4000);
      this.log?.write(text);
      this.term.write(data, () => { this.unparsed -= n; this.emit('change'); });
      this.emit('output', data);
    };
    const proc = new PtyProcess(spec, this.cols, this.rows, (data) => {
      if (proc !== this.proc) return;
      if (!pending.length) setImmediate(flush);
      pending.push(data);
      this.unparsed++;
    }, (e) => {
      if (proc !== this.proc) return;
      // the last bytes are parsed before the pane says the program ended
      this.term.write('', () => this.emit('exit', e, this.recent));
    });
    this.proc = proc;
    return true;
  }

  /** Keys typed by the user. Typing brings the view back to the live screen. */
  input(data: string): void {
    if (!this.running) return;
    this.offset = 0;
    this.proc!.write(data);
  }

  /** A line of virtui's own in the pane's history ("console ended: ..."). */
  note(text: string, kind: 'info' | 'error' = 'info'): void {
    const col = kind === 'error' ? '31' : '36';
    const atStart = this.term.buffer.active.cursorX === 0;
    const safe = plainText(text).replace(/\n/g, '\r\n');
    this.term.write(`${atStart ? '' : '\r\n'}\x1b[0;${col}m[virtui] ${safe}\x1b[0m\r\n`, () => this.emit('change'));
  }

  resize(cols: number, rows: number): void {
    cols = Math.max(2, cols);
    rows = Math.max(2, rows);
    if (cols === this.cols && rows === this.rows) return;
    this.term.resize(cols, rows);
    this.proc?.resize(cols, rows);
    this.offset = Math.min(this.offset, this.maxOffset());
  }

  kill(): void {
    this.proc?.kill();
  }

  /** Ends the program (`now`: SIGKILL at once) and the log; the pane is gone. */
  dispose(now = false): void {
    this.proc?.kill(now);
    this.proc = null;
    this.setLog(null);
    this.term.dispose();
  }

  // --- scrollback ---

  maxOffset(): number {
    return this.term.buffer.active.baseY;
  }

  scroll(lines: number): void {
    this.offset = Math.max(0, Math.min(this.maxOffset(), this.offset + lines));
  }

  /** the buffer line at the top of the view */
  topLine(): number {
    return this.term.buffer.active.baseY - this.offset;
  }

  lineText(y: number): string {
    return this.term.buffer.active.getLine(y)?.translateToString(true) ?? '';
  }

  /** The text the pane shows now (tests, search). */
  visibleText(): string[] {
    const top = this.topLine();
    return Array.from({ length: this.rows }, (_, i) => this.lineText(top + i).trimEnd());
  }

  /**
   * The next match of `query` (case-insensitive) above (dir -1) or below (dir 1) the current
   * one, scrolled into view. The first search starts at the bottom and goes up, like less's `?`.
   */
  find(query: string, dir: -1 | 1 = -1): SearchState | null {
    const buf = this.term.buffer.active;
    const q = query.toLowerCase();
    if (!q) { this.search = null; return null; }
    let count = 0;
    const hits: Array<[number, number]> = [];
    for (let y = 0; y < buf.length; y++) {
      const t = this.lineText(y).toLowerCase();
      for (let i = t.indexOf(q); i >= 0; i = t.indexOf(q, i + 1)) { hits.push([y, i]); count++; }
    }
    if (!hits.length) { this.search = { query, line: -1, col: -1, count: 0 }; return this.search; }
    const cur = this.search && this.search.query === query && this.search.line >= 0 ? [this.search.line, this.search.col] : null;
    let hit: [number, number] | undefined;
    if (!cur) hit = hits[hits.length - 1];
    else if (dir < 0) hit = [...hits].reverse().find(([y, x]) => y < cur[0]! || (y === cur[0] && x < cur[1]!)) ?? hits[hits.length - 1];
    else hit = hits.find(([y, x]) => y > cur[0]! || (y === cur[0] && x > cur[1]!)) ?? hits[0];
    this.search = { query, line: hit![0], col: hit![1], count };
    // the match in view, a third from the top when it has to move
    const top = this.topLine();
    if (hit![0] < top || hit![0] >= top + this.rows) {
      const want = Math.max(0, hit![0] - Math.floor(this.rows / 3));
      this.offset = Math.max(0, Math.min(this.maxOffset(), buf.baseY - want));
    }
    return this.search;
  }

  // --- logging ---

  /** Logs the plain text of the output to `path` (appending), or stops logging (null). */
  setLog(path: string | null): void {
    this.log?.end();
    this.log = null;
    this.logPath = null;
    if (!path) return;
    mkdirSync(dirname(path), { recursive: true });
    this.log = createWriteStream(path, { flags: 'a', mode: 0o600 });
    this.log.on('error', (e) => { this.note(`log: ${e.message}`, 'error'); this.log = null; this.logPath = null; });
    this.logPath = path;
  }

  // --- drawing ---

  /** Draws into `box` from now on; `showCursor` says whether the pane has the keys. */
  attach(box: blessed.Widgets.BoxElement, showCursor: () => boolean): void {
    const cellOf = this.term.buffer.active.getNullCell();
    drawRows(box, (r, width) => {
      const buf = this.term.buffer.active;
      const y = this.topLine() + r;
      const line = buf.getLine(y);
      const out: Cell[] = [];
      const cursorX = showCursor() && this.offset === 0 && !cursorHidden(this.term) && r === buf.cursorY ? buf.cursorX : -1;
      const s = this.search && this.search.count ? this.search : null;
      const hitFrom = s && s.line === y ? s.col : -1;
      for (let x = 0; x < width; x++) {
        const c = line && x < this.cols ? line.getCell(x, cellOf) : undefined;
        if (!c) { out.push([x === cursorX ? (CELL_FLAGS.inverse << 18) | (DEFAULT_COLOR << 9) | DEFAULT_COLOR : (DEFAULT_COLOR << 9) | DEFAULT_COLOR, ' ']); continue; }
        let attr = attrOf(c);
        if (x === cursorX) attr ^= CELL_FLAGS.inverse << 18;
        if (hitFrom >= 0 && x >= hitFrom && x < hitFrom + s!.query.length) attr = (CELL_FLAGS.bold << 18) | (0 << 9) | 11;
        const w = c.getWidth();
        const ch = w === 0 ? ' ' : c.getChars() || ' ';
        out.push([attr, ch]);
      }
      return out;
    });
  }
}

function color(mode: 'fg' | 'bg', c: Xterm.IBufferCell): number {
  if (mode === 'fg' ? c.isFgDefault() : c.isBgDefault()) return DEFAULT_COLOR;
  const v = mode === 'fg' ? c.getFgColor() : c.getBgColor();
  if (mode === 'fg' ? c.isFgRGB() : c.isBgRGB()) return nearestColor(v);
  return v & 0xff;
}

function attrOf(c: Xterm.IBufferCell): number {
  let flags = 0;
  if (c.isBold()) flags |= CELL_FLAGS.bold;
  if (c.isUnderline()) flags |= CELL_FLAGS.underline;
  if (c.isBlink()) flags |= CELL_FLAGS.blink;
  if (c.isInverse()) flags |= CELL_FLAGS.inverse;
  if (c.isInvisible()) flags |= CELL_FLAGS.invisible;
  return (flags << 18) | (color('fg', c) << 9) | color('bg', c);
}

/** DECTCEM (`CSI ? 25 l`): xterm keeps it in its core service, not in the public API */
function cursorHidden(t: Xterm.Terminal): boolean {
  return !!(t as unknown as { _core?: { coreService?: { isCursorHidden?: boolean } } })._core?.coreService?.isCursorHidden;
}
