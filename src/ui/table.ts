// A table drawn by us into one blessed box: only the visible rows are formatted, so a key press
// in a 1000-row list costs the same as in a 10-row one.
import { blessed, esc, strWidth, absTop, setText } from './blessed-compat.ts';
import { fit, middleEllipsis, type Align } from './text.ts';
import { ListNav } from './listnav.ts';
import { theme } from './theme.ts';

/** flex: the column gives up width when the table is too wide; a larger number gives up first, equal numbers share */
export interface Column {
  title: string; short?: string; align?: Align; min?: number; max?: number; flex?: boolean | number;
  /** on a screen too narrow for every column, this one is left out (the highest first) rather than all cut to a "…" */
  optional?: number;
  /** a cell too long is cut in the middle (a URI: its two ends tell them apart), not at its end */
  cutMiddle?: boolean;
  /** not shown while no row has anything in it (IPv6: most guests have none) */
  hideEmpty?: boolean;
}
export interface Row { key: string; cells: string[]; color?: string }

export interface Layout { widths: number[]; titles: string[] }

/** Column widths for `width` cells. Pure. The flex column takes what is left. */
export function layoutColumns(cols: readonly Column[], rows: readonly Row[], width: number): Layout {
  const natural = cols.map((c, i) => {
    // +1: room for the sort marker
    let w = Math.max(strWidth(c.title) + 1, c.min ?? 0);
    for (const r of rows) w = Math.max(w, strWidth(r.cells[i] ?? ''));
    return Math.min(w, c.max ?? Infinity);
  });

  let titles = cols.map((c) => c.title);
  let widths = [...natural];
  // one space between the columns shown
  const total = () => widths.reduce((a, b) => a + b, 0) + widths.filter((w) => w > 0).length - 1;
  if (total() > width) {
    // short titles first
    titles = cols.map((c) => c.short ?? c.title);
    widths = cols.map((c, i) => Math.min(natural[i]!, Math.max(strWidth(titles[i]!) + 1, c.min ?? 0, ...rows.map((r) => strWidth(r.cells[i] ?? '')))));
  }
  cols.forEach((c, i) => { if (c.hideEmpty && rows.every((r) => !(r.cells[i] ?? '').trim())) widths[i] = 0; });
  // a flex column (a name) is not cut for an optional one: those are left out first, the
  // highest first, while that is needed
  const optional = cols.map((c, i) => i).filter((i) => cols[i]!.optional !== undefined).sort((a, b) => cols[b]!.optional! - cols[a]!.optional!);
  for (const i of optional) {
    if (total() <= width) break;
    widths[i] = 0;
  }
  // too wide: the flex columns give up width, the highest flex first (equal ones in proportion
  // to what they have), each down to its minimum
  const flex = cols.map((c, i) => (c.flex ? i : -1)).filter((i) => i >= 0);
  const rank = (i: number) => (cols[i]!.flex === true ? 1 : Number(cols[i]!.flex));
  const minOf = (i: number) => Math.max(cols[i]!.min ?? 8, strWidth(titles[i]!) + 1);
  for (const r of [...new Set(flex.map(rank))].sort((a, b) => b - a)) {
    const group = flex.filter((i) => rank(i) === r);
    let excess = total() - width;
    for (let pass = 0; pass < 3 && excess > 0; pass++) {
      const room = group.map((i) => Math.max(0, widths[i]! - minOf(i)));
      const sum = room.reduce((a, b) => a + b, 0);
      if (sum === 0) break;
      group.forEach((i, k) => { widths[i] = widths[i]! - Math.min(room[k]!, Math.ceil((excess * room[k]!) / sum)); });
      excess = total() - width;
    }
  }
  // what leaving some out freed goes back to the flex columns, up to their natural width
  if (widths.some((w) => w === 0)) {
    for (const i of flex) widths[i] = Math.min(natural[i]!, widths[i]! + Math.max(0, width - total()));
  }
  // still too wide: trim the last columns
  let over = total() - width;
  for (let i = cols.length - 1; i >= 0 && over > 0; i--) {
    if (flex.includes(i) || widths[i] === 0) continue;
    const cut = Math.min(over, widths[i]! - 1);
    widths[i] = widths[i]! - cut;
    over -= cut;
  }
  return { widths, titles };
}

export function formatRow(cells: readonly string[], layout: Layout, cols: readonly Column[]): string {
  // a column left out (width 0) takes no cell and no gap
  return cells.map((c, i) => (layout.widths[i] === 0 ? null
    : fit(cols[i]?.cutMiddle ? middleEllipsis(c, layout.widths[i]!) : c, layout.widths[i]!, cols[i]?.align))).filter((c) => c !== null).join(' ');
}

export class Table {
  readonly box: blessed.Widgets.BoxElement;
  readonly nav = new ListNav();
  private rows: Row[] = [];
  private layout: Layout | null = null;
  private layoutWidth = 0;
  /** -1: not sorted by the user (no marker) */
  sortColumn = -1;
  sortDesc = false;
  /** text shown when there are no rows */
  empty = 'nothing to show';
  /** the marked rows' keys (Space, `*`): a `*` before each, in a gutter there only while some are marked */
  marks: ReadonlySet<string> = new Set();
  onSelect?: (row: Row | undefined) => void;
  onActivate?: (row: Row) => void;

  constructor(parent: blessed.Widgets.Node, readonly columns: Column[]) {
    this.box = blessed.box({
      parent, top: 0, left: 0, width: '100%', height: '100%', tags: true, wrap: false,
      style: { fg: theme.fg },
    } as blessed.Widgets.BoxOptions);
    this.box.on('click', (data: { y: number }) => {
      const i = this.nav.top + (data.y - absTop(this.box) - 1);
      if (i >= 0 && i < this.rows.length) {
        const again = i === this.nav.selected;
        this.nav.select(i);
        this.onSelect?.(this.selectedRow());
        if (again) this.onActivate?.(this.rows[i]!);
      }
    });
    this.box.on('wheeldown', () => { this.nav.move(3); this.onSelect?.(this.selectedRow()); });
    this.box.on('wheelup', () => { this.nav.move(-3); this.onSelect?.(this.selectedRow()); });
  }

  /**
   * New rows; the selection stays on the same key when it is still there. `reordered`: the same
   * rows in another order (a sort), so the column widths stay as they are.
   */
  setRows(rows: Row[], reordered = false): void {
    const key = this.selectedRow()?.key;
    this.rows = rows;
    if (!reordered) this.layout = null;
    this.nav.setCount(rows.length);
    if (key !== undefined) {
      const i = rows.findIndex((r) => r.key === key);
      if (i >= 0) this.nav.select(i);
    }
  }

  selectedRow(): Row | undefined { return this.rows[this.nav.selected]; }
  selectKey(key: string): void {
    const i = this.rows.findIndex((r) => r.key === key);
    if (i >= 0) this.nav.select(i);
  }

  render(): void {
    const full = (this.box.width as number) || 80;
    const gutter = this.marks.size ? 2 : 0;
    const width = full - gutter;
    const height = ((this.box.height as number) || 24) - 1;
    this.nav.setHeight(height);
    if (!this.layout || this.layoutWidth !== width) {
      this.layout = layoutColumns(this.columns, this.rows, width);
      this.layoutWidth = width;
    }
    const layout = this.layout;
    const titles = layout.titles.map((t, i) => (i === this.sortColumn ? `${t}${this.sortDesc ? '▼' : '▲'}` : t));
    const header = formatRow(titles, layout, this.columns);
    const pad = ' '.repeat(gutter);
    const lines = [`{${theme.header}}${pad}${esc(fit(header, width))}{/}`];
    if (this.rows.length === 0) lines.push(`{${theme.dim}}${esc(this.empty)}{/}`);
    const end = Math.min(this.rows.length, this.nav.top + height);
    for (let i = this.nav.top; i < end; i++) {
      const r = this.rows[i]!;
      const marked = gutter > 0 && this.marks.has(r.key);
      const text = `${gutter ? (marked ? '* ' : pad) : ''}${esc(fit(formatRow(r.cells, layout, this.columns), width))}`;
      if (i === this.nav.selected) lines.push(`{${theme.selected}}${text}{/}`);
      else if (marked) lines.push(`{${theme.marked}}${text}{/}`);
      else lines.push(r.color ? `{${r.color}}${text}{/}` : text);
    }
    setText(this.box, lines.join('\n'));
  }
}
