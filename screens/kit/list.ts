// A list screen of one resource kind: the table, the `/` filter, the sort, the selection kept
// across visits, and the kind's actions bound to the selected row. A kind gives a ListSpec.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { Table, type Column, type Row } from '../../src/ui/table.ts';
import { listKeys } from '../../src/ui/listnav.ts';
import { rowMatches } from '../../src/ui/filter.ts';
import { bindKeys, type View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { blessed, esc, setText } from '../../src/ui/blessed-compat.ts';
import { fit } from '../../src/ui/text.ts';
import { theme } from '../../src/ui/theme.ts';
import type { DialogSpec } from '../../src/ui/dialog.ts';
import type { EDIT_KINDS } from '../../src/xmledit.ts';
import type { ActionHost } from '../../src/context.ts';
import { bulkable, runBulk, type BulkTarget } from './bulk.ts';

export type { ActionHost };

/** The `e` key of a kind whose XML can be edited. */
/** Persistent objects only: a define would make a transient one persistent behind the user's back. */
export function editKey<C extends { host: ActionHost }>(kind: keyof typeof EDIT_KINDS, item: (c: C) => { name: string; persistent: boolean } | undefined): KeyAction<C> {
  return {
    keys: ['e'], label: 'edit XML', help: `edit the ${kind}'s XML in $EDITOR: validated, shown as a diff, backed up, then defined`, mutates: true, bulk: false,
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
  /** rows can be marked (Space, `*`), and the changing actions then act on every marked row */
  marks?: boolean;
  /** whether this row can be marked (default: every row) */
  markable?(item: T): boolean;
  /** what a question and a summary call the object (default: its key) */
  nameOf?(item: T): string;
  /** its state, which says why an action skips it ("shut off") */
  state?(item: T): string | undefined;
  /** the registry name of what it lists (user commands name their screens) */
  screen?: string;
  /** the object a user command acts on: its name, its connection, its pool */
  subject?(item: T): { name: string; conn?: Connection; pool?: string } | undefined;
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
  /** the marked rows' keys: they survive refreshes, and go with the objects that go */
  private readonly marks = new Set<string>();
  /** with rows marked, the changing actions act on all of them (in place of the selected row's) */
  private readonly bulkKeys: KeyAction<void>[];
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
      ...(spec.marks ? this.markKeys() : []),
    ];
    this.bulkKeys = spec.actions.filter(bulkable).map((a) => {
      const view = this;
      return {
        keys: a.keys, help: a.help, dangerous: a.dangerous, mutates: a.mutates, footer: a.footer,
        get label() { return `${a.label} (${view.marks.size})`; },
        // (asked at each render: the marked rows in the store's order, not sorted)
        when: () => this.markedItems(false).some((it) => !this.skipOf(a, it)),
        run: () => runBulk(app, a, spec.noun, this.markedTargets(a)),
      };
    });
  }

  private markKeys(): KeyAction<void>[] {
    const canMark = (it: T) => !this.spec.markable || this.spec.markable(it);
    return [
      {
        keys: [' '], label: 'mark', help: 'mark the row and go down: the changing keys then act on every marked row', footer: false,
        run: () => {
          const it = this.selected();
          if (it === undefined) return;
          const k = this.spec.key(it);
          if (this.marks.has(k)) this.marks.delete(k); else if (canMark(it)) this.marks.add(k);
          this.table?.nav.move(1);
        },
      },
      {
        keys: ['*'], label: 'mark all', help: 'mark every row the filter shows (again: unmark them)', footer: false,
        run: () => {
          const keys = this.shown.filter(canMark).map((it) => this.spec.key(it));
          if (keys.length && keys.every((k) => this.marks.has(k))) for (const k of keys) this.marks.delete(k);
          else for (const k of keys) this.marks.add(k);
        },
      },
      { keys: ['U'], label: 'unmark', help: 'clear the marks', when: () => this.marks.size > 0, run: () => this.clearMarks() },
    ];
  }

  /** the marks go (another pool's volumes are shown) */
  clearMarks(): void { this.marks.clear(); }

  /** the marked objects, in the list's order (`sorted` false: the store's, cheaper) */
  markedItems(sorted = true): T[] {
    if (!this.marks.size) return [];
    return (sorted ? this.ordered() : this.spec.items()).filter((it) => this.marks.has(this.spec.key(it)));
  }

  /** why `a` skips `it` (its host is read-only, or its state does not allow it); undefined: it applies */
  private skipOf(a: KeyAction<C>, it: T): string | undefined {
    const conn = this.spec.connOf ? this.spec.connOf(it) : this.conn;
    if (conn.readonly) return 'read-only';
    return a.when && !a.when(this.spec.context(it)) ? (this.spec.state?.(it) || 'does not apply') : undefined;
  }

  /** the marked rows as targets of `a`, each with why `a` skips it */
  private markedTargets(a: KeyAction<C>): BulkTarget<C>[] {
    const { spec } = this;
    return this.markedItems().map((it) => {
      const skip = this.skipOf(a, it);
      return { name: spec.nameOf ? spec.nameOf(it) : spec.key(it), conn: spec.connOf ? spec.connOf(it) : this.conn, ctx: spec.context(it), target: spec.target ? spec.target(it) : `${spec.noun}:${spec.key(it)}`, ...(skip ? { skip } : {}) };
    });
  }

  get title(): string { return this.spec.title; }
  get screen(): string | undefined { return this.spec.screen; }

  subject(): { name: string; conn?: Connection; pool?: string } | undefined {
    const it = this.selected();
    if (it === undefined || !this.spec.subject) return undefined;
    const s = this.spec.subject(it);
    return s && { conn: this.spec.connOf ? this.spec.connOf(it) : this.conn, ...s };
  }

  /** the keys act on the selected row's connection (the fleet view), else on the view's */
  get readonly(): boolean {
    // with rows marked, the keys act on them: read-only when every one of them is
    if (this.marks.size) return this.markedItems(false).every((it) => (this.spec.connOf ? this.spec.connOf(it) : this.conn).readonly);
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
    if (!this.marks.size) return [...this.bound, ...this.ownKeys];
    // the way out of the marks first: the footer shows it
    const unmark = this.ownKeys.filter((k) => k.keys[0] === 'U');
    // the view is read-only by the marked rows; a key that acts on the selected row alone asks its own host
    const selectedReadonly = () => { const it = this.selected(); return it !== undefined && (this.spec.connOf ? this.spec.connOf(it) : this.conn).readonly; };
    const single = this.bound.filter((_, i) => !bulkable(this.spec.actions[i]!))
      .map((k) => (k.mutates ? { ...k, when: () => !selectedReadonly() && (!k.when || k.when()) } : k));
    return [...unmark, ...this.bulkKeys, ...single, ...this.ownKeys.filter((k) => !unmark.includes(k))];
  }

  /** selects the row of `key` (now, or when the view is shown again) */
  select(key: string): void {
    this.savedKey = key;
    this.rebuild();
    this.table?.selectKey(key);
    this.app.requestRender();
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
    this.table.marks = this.marks;
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
    if (this.seen !== all && this.marks.size) {
      const keys = new Set(all.map((d) => this.spec.key(d)));
      for (const k of this.marks) if (!keys.has(k)) this.marks.delete(k);
    }
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
    if (this.bannerBox && this.spec.banner) setText(this.bannerBox, esc(fit(this.spec.banner(), (this.bannerBox.width as number) || 80).trimEnd()));
    this.table.render();
  }

  summary(): string {
    // the filter first: it explains why rows are missing
    const f = this.filter.value ? `/${this.filter.value}: ${this.shown.length} shown | ` : '';
    const m = this.marks.size ? `${this.marks.size} marked | ` : '';
    return `${m}${f}${this.spec.summary(this.spec.items())}`;
  }
}
