// A list screen of one resource kind: the table, the `/` filter, the sort, the selection kept
// across visits, and the kind's actions bound to the selected row. A kind gives a ListSpec.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { Table, type Column, type Row } from '../../src/ui/table.ts';
import { listKeys } from '../../src/ui/listnav.ts';
import { rowMatches } from '../../src/ui/filter.ts';
import { bindKeys, type View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { blessed, esc } from '../../src/ui/blessed-compat.ts';
import { fit } from '../../src/ui/text.ts';
import { theme } from '../../src/ui/theme.ts';
import type { DialogSpec } from '../../src/ui/dialog.ts';
import type { EDIT_KINDS } from '../../src/xmledit.ts';
import type { ActionHost } from '../../src/context.ts';

export type { ActionHost };

/** The `e` key of a kind whose XML can be edited. */
/** Persistent objects only: a define would make a transient one persistent behind the user's back. */
export function editKey<C extends { host: ActionHost }>(kind: keyof typeof EDIT_KINDS, item: (c: C) => { name: string; persistent: boolean } | undefined): KeyAction<C> {
  return {
    keys: ['e'], label: 'edit XML', help: `edit the ${kind}'s XML in $EDITOR: validated, shown as a diff, backed up, then defined`, mutates: true,
    when: (c) => !!item(c)?.persistent, run: (c) => c.host.editXml(kind, item(c)!.name),
  };
}

/** Asks a dangerous question (it names what is lost); runs `args` only on yes. */
export async function confirmThen(c: { host: ActionHost }, spec: Omit<DialogSpec, 'dangerous'>, args: string[], timeoutMs?: number): Promise<void> {
  const r = await c.host.ask({ ...spec, dangerous: true });
  if (r.confirmed) await c.host.action(args, { timeoutMs });
}

interface Autostartable { name: string; persistent: boolean; autostart: boolean }

/** The `a` pair every persistent kind has: autostart on, autostart off (`virsh <command> [--disable] <option> NAME`). */
export function autostartKeys<C extends { host: ActionHost }, T extends Autostartable = Autostartable>(command: string, option: string, item: (c: C) => T | undefined, arg: (item: T) => string = (i) => i.name): KeyAction<C>[] {
  return [
    {
      keys: ['a'], label: 'autostart on', help: 'autostart on/off (start with the host)', mutates: true,
      when: (c) => !!item(c)?.persistent && !item(c)!.autostart, run: (c) => { void c.host.action([command, option, arg(item(c)!)]); },
    },
    {
      keys: ['a'], label: 'autostart off', help: 'autostart off', mutates: true,
      when: (c) => !!item(c)?.persistent && item(c)!.autostart, run: (c) => { void c.host.action([command, '--disable', option, arg(item(c)!)]); },
    },
  ];
}

/** the name `step` places after `current` in `names`, round the end; undefined when there are none */
export function stepName(names: readonly string[], current: string, step: number): string | undefined {
  if (!names.length) return undefined;
  return names[(names.indexOf(current) + step + names.length) % names.length];
}

/** natural order: web-2 before web-10 */
const collator = new Intl.Collator('en', { numeric: true });

/** Sorts by a column's value (numbers as numbers, text in natural order), then by name. */
export function sortByValue<T extends { name: string }>(list: readonly T[], value: (item: T) => string | number, desc: boolean): T[] {
  const out = [...list].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return c || collator.compare(a.name, b.name);
  });
  return desc ? out.reverse() : out;
}

export interface ListSpec<T, C> {
  title: string;
  columns: Column[];
  /** the store's current list: a new array after each refresh */
  items(): readonly T[];
  loaded(): boolean;
  key(item: T): string;
  row(item: T): Row;
  sort(list: readonly T[], column: number, desc: boolean): T[];
  /** the kind's actions and the context they run with */
  actions: readonly KeyAction<C>[];
  context(item: T | undefined): C;
  /** "13 domains, 6 running" */
  summary(items: readonly T[]): string;
  noun: string;
  /** what an empty table says instead of "no <noun>s on this host" */
  emptyText?(): string | undefined;
  /** a line above the table (the host's load above the domains) */
  banner?(): string;
  /** Enter or a second click */
  open?(item: T): void;
  /** a row's look depends on the order (a tree's prefixes): rows are made again after each sort */
  rowsFollowSort?: boolean;
  /** the row is what its connection last said, which no longer answers (default: the view's connection is not ok) */
  stale?(item: T): boolean;
  /** the connection an object's actions run on (the fleet view: the row's own; default: the view's) */
  connOf?(item: T): Connection;
  /** the object a key acts on, for holding its keys while its action runs (default: "<noun>:<key>") */
  target?(item: T): string;
  /** the key of the row selected when the list opens for the first time (the current host in :hosts) */
  initial?(): string | undefined;
  refresh?(): Promise<void>;
  /** a value that changes when rows look different without new items (the IP column learnt an address) */
  version?(): unknown;
}

export class ListView<T, C> implements View {
  private table: Table | null = null;
  private bannerBox: blessed.Widgets.BoxElement | null = null;
  private frame: blessed.Widgets.BoxElement | null = null;
  private sortColumn = 0;
  private sortDesc = false;
  private shown: T[] = [];
  private seen: readonly T[] | null = null;
  private seenEpoch = -1;
  private seenVersion: unknown = undefined;
  /** rendered rows of the current data, by key: a sort or a filter only picks and orders them */
  private rowCache = new Map<string, Row>();
  /** the selection survives a visit to another view */
  private savedKey: string | undefined;
  private readonly bound: KeyAction<void>[];
  private readonly ownKeys: KeyAction<void>[];
  readonly filter = { value: '', set: (v: string) => { this.filter.value = v; this.rebuild(); } };

  constructor(private readonly app: ScreenContext, readonly conn: Connection, private readonly spec: ListSpec<T, C>) {
    this.bound = bindKeys<C>(spec.actions, () => spec.context(this.selected()), {
      target: () => { const it = this.selected(); return it === undefined ? undefined : spec.target ? spec.target(it) : `${spec.noun}:${spec.key(it)}`; },
      run: (target, run) => { const it = this.selected(); return app.guarded(target, run, it !== undefined && spec.connOf ? spec.connOf(it) : conn); },
    });
    this.ownKeys = [
      {
        keys: ['s'], label: 'sort', help: 'sort by the next column',
        run: () => { this.sortColumn = (this.sortColumn + 1) % spec.columns.length; this.sortDesc = false; this.rebuild(true); },
      },
      { keys: ['S'], label: 'reverse', help: 'reverse the sort order', footer: false, run: () => { this.sortDesc = !this.sortDesc; this.rebuild(true); } },
      ...listKeys(() => this.table?.nav),
    ];
  }

  get title(): string { return this.spec.title; }

  /** the keys act on the selected row's connection (the fleet view), else on the view's */
  get readonly(): boolean {
    const it = this.selected();
    return it !== undefined && this.spec.connOf ? this.spec.connOf(it).readonly : this.conn.readonly;
  }

  /** sorts by column `col` (the top view's P M B N keys) */
  sortBy(col: number, desc: boolean): void {
    this.sortColumn = col;
    this.sortDesc = desc;
    this.rebuild(true);
  }

  get sorting(): { column: number; desc: boolean } { return { column: this.sortColumn, desc: this.sortDesc }; }

  /** every item in the order the list shows them (the filter aside) */
  ordered(): T[] { return this.spec.sort(this.spec.items(), this.sortColumn, this.sortDesc); }

  keys(): readonly KeyAction<void>[] {
    return [...this.bound, ...this.ownKeys];
  }

  selected(): T | undefined {
    // while another view is on top (help, details) the table is gone: the saved key stands in
    const key = this.table ? this.table.selectedRow()?.key : this.savedKey;
    return key === undefined ? undefined : this.shown.find((d) => this.spec.key(d) === key);
  }

  /** the rows on screen now, the selected one apart (none while another view is on top) */
  onScreen(): { selected: T | undefined; visible: T[] } {
    const nav = this.table?.nav;
    if (!nav) return { selected: undefined, visible: [] };
    return { selected: this.selected(), visible: this.shown.slice(nav.top, nav.top + nav.height) };
  }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.frame = blessed.box({ parent, top: 0, left: 0, width: '100%', height: '100%' });
    let into: blessed.Widgets.Node = this.frame;
    if (this.spec.banner) {
      this.bannerBox = blessed.box({ parent: this.frame, top: 0, left: 0, width: '100%', height: 1, tags: true });
      into = blessed.box({ parent: this.frame, top: 1, left: 0, width: '100%', height: '100%-1' });
    }
    this.table = new Table(into, this.spec.columns);
    this.table.onSelect = () => this.app.requestRender();
    const open = this.spec.open;
    if (open) this.table.onActivate = (row) => { const item = this.shown.find((d) => this.spec.key(d) === row.key); if (item) open(item); };
    this.seen = null;
    this.rebuild();
    const key = this.savedKey ?? this.spec.initial?.();
    if (key !== undefined) this.table.selectKey(key);
    void this.spec.refresh?.();
  }

  unmount(): void {
    this.savedKey = this.table?.selectedRow()?.key;
    this.frame?.destroy();
    this.frame = this.table = this.bannerBox = null;
  }

  onShow(): void { void this.spec.refresh?.(); }
  refresh(): Promise<void> | undefined { return this.spec.refresh?.(); }

  private rebuild(reordered = false): void {
    const all = this.spec.items();
    // while libvirt does not answer, the rows are what it last said: dimmed (and the header says STALE)
    const down = this.conn.health.state !== 'ok';
    const stale = this.spec.stale ?? (() => down);
    const rowOf = (d: T): [string, Row] => {
      const r = this.spec.row(d);
      return [this.spec.key(d), stale(d) ? { ...r, color: theme.dim } : r];
    };
    if (this.seen !== all || this.seenEpoch !== this.app.epoch || this.seenVersion !== this.spec.version?.()) {
      this.rowCache = new Map(all.map(rowOf));
      this.seen = all;
      this.seenEpoch = this.app.epoch;
      this.seenVersion = this.spec.version?.();
      reordered = false;
    }
    const sorted = this.spec.sort(all, this.sortColumn, this.sortDesc);
    if (this.spec.rowsFollowSort) this.rowCache = new Map(sorted.map(rowOf));
    const rows = sorted.map((d) => this.rowCache.get(this.spec.key(d))!).filter((r) => rowMatches(r.cells, this.filter.value));
    const keep = new Set(rows.map((r) => r.key));
    this.shown = sorted.filter((d) => keep.has(this.spec.key(d)));
    if (!this.table) return;
    this.table.sortColumn = this.sortColumn;
    this.table.sortDesc = this.sortDesc;
    this.table.empty = this.emptyText();
    this.table.setRows(rows, reordered);
  }

  /** what the empty table says: asked at each render (a failed first load keeps the same empty list) */
  private emptyText(): string {
    return this.spec.emptyText?.() ?? (!this.spec.loaded() ? 'loading…' : this.filter.value ? `no ${this.spec.noun} matches /${this.filter.value}` : `no ${this.spec.noun}s on this host`);
  }

  render(): void {
    if (!this.table) return;
    if (this.seen !== this.spec.items() || this.seenEpoch !== this.app.epoch || this.seenVersion !== this.spec.version?.()) this.rebuild();
    this.table.empty = this.emptyText();
    if (this.bannerBox && this.spec.banner) this.bannerBox.setContent(esc(fit(this.spec.banner(), (this.bannerBox.width as number) || 80).trimEnd()));
    this.table.render();
  }

  summary(): string {
    // the filter first: it explains why rows are missing
    const f = this.filter.value ? `/${this.filter.value}: ${this.shown.length} shown | ` : '';
    return `${f}${this.spec.summary(this.spec.items())}`;
  }
}
