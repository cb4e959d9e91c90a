// A scrollable text area drawn by us (XML, virsh output, help, the log): no blessed scrolling quirks.
// Long lines wrap (a cut line would hide the reason of an error); `/` searches, `n` `N` step.
import { blessed, esc, strWidth, taggedRows } from './blessed-compat.ts';
import { ListNav } from './listnav.ts';
import { theme } from './theme.ts';
import type { KeyAction } from './keymap.ts';

/** What the search keys need from the app (App fits it). */
export interface SearchUi {
  prompt(text: string, initial?: string, onChange?: (v: string) => void): Promise<string | null>;
  setStatus(s: { kind: 'info' | 'error'; text: string }): void;
  requestRender(): void;
}

/** One visible cell group of a line: its text as blessed takes it, width, and the tags before it. */
interface Unit { text: string; plain: string; w: number; tags: string }

/** A shown row: a piece of line `line`, from plain offset `from` to `to`. */
interface WrappedRow { line: number; units: Unit[]; from: number; to: number; indent: number }

const TAG = /\{(\/?)([a-z0-9-]*|open|close)\}/y;

/** A line cut into units: escaped braces ({open} {close}) are one cell, other tags are zero. */
function unitsOf(line: string, tagged: boolean): Unit[] {
  const out: Unit[] = [];
  let tags = '';
  if (!tagged) {
    for (const ch of line) out.push({ text: esc(ch), plain: ch, w: strWidth(ch), tags: '' });
    return out;
  }
  let i = 0;
  while (i < line.length) {
    if (line[i] === '{') {
      TAG.lastIndex = i;
      const m = TAG.exec(line);
      if (m) {
        if (m[2] === 'open' || m[2] === 'close') out.push({ text: m[0], plain: m[2] === 'open' ? '{' : '}', w: 1, tags });
        else tags += m[0];
        if (m[2] === 'open' || m[2] === 'close') tags = '';
        i += m[0].length;
        continue;
      }
    }
    const ch = String.fromCodePoint(line.codePointAt(i)!);
    out.push({ text: ch, plain: ch, w: strWidth(ch), tags });
    tags = '';
    i += ch.length;
  }
  if (tags) out.push({ text: '', plain: '', w: 0, tags });
  return out;
}

/** The tags open after `tags` (a closing {/} shuts all, {/x} shuts x). */
function openTags(stack: string[], tags: string): string[] {
  const re = /\{(\/?)([a-z0-9-]*)\}/g;
  let m: RegExpExecArray | null;
  let s = stack;
  while ((m = re.exec(tags))) {
    if (m[1]) s = m[2] ? s.filter((t) => t !== m![2]) : [];
    else s = [...s, m[2]!];
  }
  return s;
}

/**
 * `units` in rows of at most `width` cells, broken after a space where one is near, else anywhere;
 * a continuation row keeps the line's indent (up to a third of the width) and starts with it.
 */
function wrapUnits(units: Unit[], width: number): Array<{ start: number; end: number; indent: number }> {
  const rows: Array<{ start: number; end: number; indent: number }> = [];
  let lead = 0;
  while (lead < units.length && units[lead]!.plain === ' ') lead++;
  const hang = Math.min(lead + 2, Math.floor(width / 3));
  let start = 0;
  let indent = 0;
  while (start < units.length || rows.length === 0) {
    const room = Math.max(1, width - indent);
    let w = 0;
    let end = start;
    while (end < units.length && w + units[end]!.w <= room) { w += units[end]!.w; end++; }
    if (end === start && end < units.length) end++; // a wide character in a 1-cell room
    if (end < units.length) {
      let sp = end;
      while (sp > start && units[sp - 1]!.plain !== ' ') sp--;
      if (sp > start && sp - start > (end - start) / 2) end = sp;
    }
    rows.push({ start, end, indent });
    if (end >= units.length) break;
    start = end;
    indent = hang;
  }
  return rows;
}

export class TextView {
  readonly box: blessed.Widgets.BoxElement;
  readonly nav = new ListNav(false);
  private lines: string[] = [];
  /** lines already holding blessed tags (help, styled sections) */
  private tagged = false;
  private rows: WrappedRow[] = [];
  private rowsFor = '';
  private query = '';
  /** index into `rows` of the current match */
  private hit = -1;

  constructor(parent: blessed.Widgets.Node, opts: Partial<blessed.Widgets.BoxOptions> = {}, private readonly ui?: SearchUi) {
    this.box = blessed.box({ parent, top: 0, left: 0, width: '100%', height: '100%', tags: true, wrap: false, ...opts });
    this.box.on('wheeldown', () => this.nav.scroll(3));
    this.box.on('wheelup', () => this.nav.scroll(-3));
  }

  setLines(lines: string[], tagged = false): void {
    this.lines = lines.map((l) => l.replace(/\t/g, '    ').replace(/\r$/, ''));
    this.tagged = tagged;
    this.rowsFor = '';
    this.layout();
  }

  /** the plain text of the lines (no tags): what search looks in, and what the tests read */
  plainLines(): string[] {
    return this.lines.map((l) => unitsOf(l, this.tagged).map((u) => u.plain).join(''));
  }

  private width(): number { return (this.box.width as number) || 80; }

  /** wraps the lines at the box's width (again only when the text or the width changed) */
  private layout(): void {
    const width = this.width();
    const key = `${width}`;
    if (this.rowsFor === key) return;
    this.rowsFor = key;
    this.rows = [];
    this.lines.forEach((l, line) => {
      const units = unitsOf(l, this.tagged);
      let off = 0;
      const offs = units.map((u) => { const o = off; off += u.plain.length; return o; });
      for (const r of wrapUnits(units, width)) {
        this.rows.push({ line, units: units.slice(r.start, r.end), from: offs[r.start] ?? off, to: r.end < units.length ? offs[r.end]! : off, indent: r.indent });
      }
    });
    this.nav.setCount(this.rows.length);
  }

  /** j/k/PgUp/PgDn/g/G scroll the text */
  scrollKeys(): KeyAction<void>[] {
    const n = this.nav;
    return [
      { keys: ['j', 'down'], label: 'scroll down', footer: false, run: () => n.scroll(1) },
      { keys: ['k', 'up'], label: 'scroll up', footer: false, run: () => n.scroll(-1) },
      { keys: ['pagedown', ' ', 'C-f'], label: 'page down', footer: false, run: () => n.scroll(n.height - 1) },
      { keys: ['pageup', 'C-b'], label: 'page up', footer: false, run: () => n.scroll(-(n.height - 1)) },
      { keys: ['g', 'home'], label: 'top', footer: false, run: () => { n.top = 0; } },
      { keys: ['G', 'end'], label: 'bottom', footer: false, run: () => n.scroll(n.count) },
    ];
  }

  /**
   * `/` searches the text (case-insensitive), `n` and `N` go to the next and previous match. Put
   * them before the view's other keys: while a search is active, `n` is the next match.
   */
  searchKeys(): KeyAction<void>[] {
    if (!this.ui) return [];
    return [
      { keys: ['/'], label: 'search', help: 'search the text (n next match, N previous; / and Enter on an empty line ends the search)', run: () => this.startSearch() },
      { keys: ['n'], label: 'next match', footer: false, when: () => !!this.query, run: () => this.step(1) },
      { keys: ['N'], label: 'prev match', footer: false, when: () => !!this.query, run: () => this.step(-1) },
    ];
  }

  private async startSearch(): Promise<void> {
    const ui = this.ui!;
    const from = this.nav.top;
    const v = await ui.prompt('/', '', (q) => { this.search(q, from, 1); ui.requestRender(); });
    this.search(v ?? '', from, 1);
    if (v && this.hit < 0) ui.setStatus({ kind: 'error', text: `/${v}: not found` });
    ui.requestRender();
  }

  /** rows holding a match of the query, in order */
  private matchRows(): number[] {
    if (!this.query) return [];
    this.layout();
    const q = this.query.toLowerCase();
    const plain = this.plainLines().map((l) => l.toLowerCase());
    const out: number[] = [];
    this.rows.forEach((r, i) => {
      const l = plain[r.line]!;
      for (let at = l.indexOf(q); at >= 0; at = l.indexOf(q, at + 1)) {
        if (at >= r.from && at < r.to) { out.push(i); break; }
      }
    });
    return out;
  }

  /** Sets the query and goes to the first match from row `from` in direction `dir`. */
  search(q: string, from = this.nav.top, dir: 1 | -1 = 1): void {
    this.query = q;
    this.hit = -1;
    const rows = this.matchRows();
    if (!rows.length) return;
    const next = dir > 0 ? rows.find((r) => r >= from) ?? rows[0]! : [...rows].reverse().find((r) => r <= from) ?? rows.at(-1)!;
    this.goTo(next);
  }

  private step(dir: 1 | -1): void {
    const rows = this.matchRows();
    if (!rows.length) { this.ui?.setStatus({ kind: 'error', text: `/${this.query}: not found` }); return; }
    const at = this.hit < 0 ? this.nav.top : this.hit;
    const next = dir > 0 ? rows.find((r) => r > at) ?? rows[0]! : [...rows].reverse().find((r) => r < at) ?? rows.at(-1)!;
    this.goTo(next);
    const k = rows.indexOf(next) + 1;
    this.ui?.setStatus({ kind: 'info', text: `/${this.query}: match ${k} of ${rows.length}` });
  }

  private goTo(row: number): void {
    this.hit = row;
    // the match a third down the view, so what leads to it shows too
    this.nav.top = Math.max(0, row - Math.floor(this.nav.height / 3));
    this.nav.scroll(0);
  }

  /** a row as tagged text, the query's matches shown inverse */
  private rowText(r: WrappedRow, stack: string[]): string {
    const plainLine = this.query ? this.plainLines1(r.line).toLowerCase() : '';
    const q = this.query.toLowerCase();
    const marked = new Set<number>();
    if (q) {
      for (let at = plainLine.indexOf(q); at >= 0; at = plainLine.indexOf(q, at + 1)) {
        for (let k = at; k < at + q.length; k++) marked.add(k);
      }
    }
    let out = stack.map((t) => `{${t}}`).join('') + ' '.repeat(r.indent);
    let off = r.from;
    let inv = false;
    for (const u of r.units) {
      const m = marked.has(off) && u.plain !== '';
      if (m !== inv) { out += m ? '{inverse}' : '{/inverse}'; inv = m; }
      out += u.tags + u.text;
      off += u.plain.length;
    }
    if (inv) out += '{/inverse}';
    return `${out}{/}`;
  }

  private plainCache: { line: number; text: string } | null = null;
  private plainLines1(line: number): string {
    if (this.plainCache?.line !== line) this.plainCache = { line, text: unitsOf(this.lines[line]!, this.tagged).map((u) => u.plain).join('') };
    return this.plainCache.text;
  }

  render(): void {
    const height = (this.box.height as number) || 24;
    this.layout();
    this.nav.setHeight(height);
    const shown: string[] = [];
    for (let i = this.nav.top; i < Math.min(this.rows.length, this.nav.top + height); i++) {
      const r = this.rows[i]!;
      // the tags still open where this row starts (a wrapped coloured line stays coloured)
      let stack: string[] = [];
      let first = i;
      while (first > 0 && this.rows[first - 1]!.line === r.line) first--;
      for (let k = first; k < i; k++) for (const u of this.rows[k]!.units) stack = openTags(stack, u.tags);
      shown.push(this.rowText(r, stack));
    }
    this.box.setContent(taggedRows(shown));
    this.plainCache = null;
  }
}

/** The tab line of a detail view: "[Overview]  XML   Tab switches" (tagged). */
export function tabLine(tabs: readonly string[], current: number): string {
  const names = tabs.map((t, i) => `{bold}${i === current ? `[${t}]` : ` ${t} `}{/bold}`).join('  ');
  return `${names}   {${theme.dim}}Tab switches{/}`;
}
