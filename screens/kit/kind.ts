// A resource kind declared once (DESIGN "Seams"): its name and aliases, its store on a
// connection, its columns (each with its own sort key, so sorting never depends on a column's
// index), its actions and its detail tabs. The generic list and tabbed views render any kind;
// the registry turns a spec into a screen with `kindScreen`. Adding a kind is one folder that
// exports a KindSpec and one line in screens/index.ts.
import type { EventEmitter } from 'node:events';
import type { ScreenContext, ActionHost } from '../../src/context.ts';
import { bind } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { VirshError } from '../../src/virsh/errors.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { View } from '../../src/ui/view.ts';
import { ListView, sortByValue } from './list.ts';
import { TabbedView, type Tab } from './tabbed.ts';

export interface KindColumn<T> extends Column {
  cell(item: T): string;
  /** the value it sorts by (numbers as numbers); default: the cell, in natural order */
  sort?(item: T): string | number;
}

/** A kind's list on one connection: loaded on demand, kept across visits. Events: 'change', 'failed'. */
export interface KindStore<T> extends EventEmitter {
  readonly items: readonly T[];
  readonly loaded: boolean;
  readonly lastError: VirshError | null;
  refresh(): Promise<void>;
  get(name: string): T | undefined;
}

/** What a kind's actions and tabs get: the screen context on the view's connection. */
export interface KindEnv<T> {
  ctx: ScreenContext;
  conn: Connection;
  store: KindStore<T>;
  /** the context's actions on this connection */
  host: ActionHost;
  openDetail(name: string): void;
}

/** The context every kind's actions get: the env and the selected item. */
export interface KindCtx<T> { env: KindEnv<T>; item: T | undefined }

export interface KindSpec<T extends { name: string }, C = KindCtx<T>> {
  /** the registry name (`screens/index.ts`) */
  name: string;
  title: string;
  /** what `:` takes for it */
  aliases: string[];
  noun: string;
  /** its store on `conn` (one per connection: `conn.cache(name, make)`) */
  store(conn: Connection): KindStore<T>;
  columns: readonly KindColumn<T>[];
  /** a row's color (green: up) */
  color?(item: T): string | undefined;
  actions: readonly KeyAction<C>[];
  /** the context the actions get (default: `{ env, item }`) */
  context?(env: KindEnv<T>, item: T | undefined): C;
  /** "4 interfaces, 3 up" */
  summary(items: readonly T[], store: KindStore<T>): string;
  /** what an empty table says instead of "no <noun>s on this host" (a reason it cannot be read) */
  emptyText?(store: KindStore<T>): string | undefined;
  /** the detail view's tabs (Enter); none: no detail */
  tabs?(env: KindEnv<T>, name: string): Tab[];
  /** the detail's summary line ("active", "gone") */
  detailStatus?(item: T | undefined): string;
  /** the detail's title (default: "<Noun> NAME") */
  detailTitle?(name: string): string;
}

/** A row of the kind's columns. Pure. */
export function kindRow<T extends { name: string }>(spec: Pick<KindSpec<T>, 'columns' | 'color'>, item: T): Row {
  return { key: item.name, cells: spec.columns.map((c) => c.cell(item)), color: spec.color?.(item) };
}

/** Sorts by the column's own sort key, then by name. Pure. */
export function kindSort<T extends { name: string }>(spec: Pick<KindSpec<T>, 'columns'>, list: readonly T[], column: number, desc: boolean): T[] {
  const col = spec.columns[column] ?? spec.columns[0]!;
  return sortByValue(list, (i) => (col.sort ? col.sort(i) : col.cell(i)), desc);
}

function envOf<T extends { name: string }, C>(ctx: ScreenContext, conn: Connection, spec: KindSpec<T, C>): KindEnv<T> {
  const env: KindEnv<T> = {
    ctx, conn, store: spec.store(conn),
    openDetail: (name) => { if (spec.tabs) ctx.push(kindDetail(ctx, conn, spec, name)); },
    host: undefined as unknown as ActionHost,
  };
  env.host = bind(ctx, conn, env.openDetail);
  return env;
}

/** The list of a kind on a connection. */
export function kindView<T extends { name: string }, C = KindCtx<T>>(ctx: ScreenContext, conn: Connection, spec: KindSpec<T, C>): ListView<T, C> {
  const env = envOf(ctx, conn, spec);
  const { store } = env;
  const context = (item: T | undefined): C => (spec.context ? spec.context(env, item) : ({ env, item } as C));
  return new ListView<T, C>(ctx, conn, {
    title: spec.title,
    noun: spec.noun,
    columns: [...spec.columns],
    items: () => store.items,
    // a first load that failed is done too: the table says why instead of "loading…"
    loaded: () => store.loaded || !!store.lastError,
    key: (i) => i.name,
    row: (i) => kindRow(spec, i),
    sort: (list, col, desc) => kindSort(spec, list, col, desc),
    actions: spec.actions,
    context,
    summary: (all) => spec.summary(all, store),
    emptyText: spec.emptyText ? () => spec.emptyText!(store) : undefined,
    open: spec.tabs ? (i) => env.openDetail(i.name) : undefined,
    refresh: () => store.refresh(),
  });
}

/** The tabbed detail of one object of a kind; the kind's keys (but Enter) stay on it. */
export function kindDetail<T extends { name: string }, C = KindCtx<T>>(ctx: ScreenContext, conn: Connection, spec: KindSpec<T, C>, name: string): View {
  const env = envOf(ctx, conn, spec);
  const context = (item: T | undefined): C => (spec.context ? spec.context(env, item) : ({ env, item } as C));
  const title = spec.detailTitle?.(name) ?? `${spec.noun[0]!.toUpperCase()}${spec.noun.slice(1)} ${name}`;
  return new TabbedView<C>(ctx, conn, title, spec.tabs!(env, name),
    spec.actions.filter((a) => !a.keys.includes('enter')), () => context(env.store.get(name)),
    () => spec.detailStatus?.(env.store.get(name)) ?? (env.store.get(name) ? '' : 'gone'));
}
