// A resource kind declared once (DESIGN "Seams"): its name and aliases, its store on a
// connection, its columns (each with its own sort key, so sorting never depends on a column's
// index), its actions, its detail tabs and its create form. The generic list and tabbed views render any kind;
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
import { ListView, sortByValue, stepName } from './list.ts';
import { TabbedView, type Tab } from './tabbed.ts';
import { bulkable } from './bulk.ts';

export interface KindColumn<T> extends Column {
  cell(item: T): string;
  /** the value it sorts by (numbers as numbers); default: the cell, in natural order; `env`: what else the connection knows (a domain's CPU rate) */
  sort?(item: T, env?: KindEnv<T>): string | number;
}

/** A kind's list on one connection: loaded on demand, kept across visits. Events: 'change', 'failed'. */
export interface KindStore<T> extends EventEmitter {
  readonly items: readonly T[];
  readonly loaded: boolean;
  readonly lastError: VirshError | null;
  refresh(): Promise<void>;
  get(name: string): T | undefined;
}

/**
 * A kind whose list belongs to one object of another kind (`:vol POOL`, `:snap DOMAIN`): a store
 * per argument, the title names it, and `[` `]` step to the previous/next one.
 */
export interface KindArg {
  /** for help: "POOL" */
  name: string;
  /** what it names: "pool" ("next pool", "(no pool)") */
  noun: string;
  /** the one the list opens on: the one asked for, else a default ('' when there is none) */
  pick(conn: Connection, asked?: string): string;
  /** the names `[` and `]` step through, in order (absent: no such keys) */
  step?(conn: Connection): readonly string[];
}

/** What a kind's actions and tabs get: the screen context on the view's connection. */
export interface KindEnv<T> {
  ctx: ScreenContext;
  conn: Connection;
  /** the store of the current argument ('' for a kind without one) */
  readonly store: KindStore<T>;
  /** the argument shown now (`[`/`]` change it on the list) */
  readonly arg: string;
  /** the context's actions on this connection */
  host: ActionHost;
  openDetail(name: string): void;
}

/** The context every kind's actions get: the env and the selected item. */
export interface KindCtx<T> { env: KindEnv<T>; item: T | undefined }

/**
 * A kind's create form: a key on its list and detail that changes the host (so never offered on
 * a read-only connection), wants more than a yes (so with rows marked it is not run on each), and
 * is not offered while the kind's list cannot be read (a stopped pool's volumes).
 */
export interface KindCreate<C> {
  key: string;
  /** default: "new" */
  label?: string;
  help: string;
  /** offered only when true, besides the list being readable (a snapshot needs its domain) */
  when?(c: C): boolean;
  /** its place among the actions, so in the footer (default 1: right after Enter's) */
  at?: number;
  run(c: C): void | Promise<void>;
}

export interface KindSpec<T extends { name: string }, C = KindCtx<T>> {
  /** the registry name (`screens/index.ts`) */
  name: string;
  title: string;
  /** what `:` takes for it */
  aliases: string[];
  noun: string;
  /** the object whose list this is (`:vol POOL`); absent: the connection's list */
  arg?: KindArg;
  /** its store on `conn` (one per connection and argument: `conn.cache(key, make)`) */
  store(conn: Connection, arg: string): KindStore<T>;
  /** loads the list (default: the store's refresh): a kind that must read something first */
  refresh?(env: KindEnv<T>): Promise<void>;
  /** why the list cannot be read now (a stopped pool): the table is empty and says this */
  unavailable?(env: KindEnv<T>): string | undefined;
  columns: readonly KindColumn<T>[];
  /** its state in a word ("shut off", "inactive"): says why an action on marked rows skips it */
  state?(item: T): string | undefined;
  /** a row's color (green: up) */
  color?(item: T): string | undefined;
  /** a row made from more than the item (a domain's CPU history, the host's health); default: the columns' cells */
  row?(item: T, env: KindEnv<T>): Row;
  /** a line above the table (the host's load above the domains) */
  banner?(env: KindEnv<T>): string;
  /** a detail of its own instead of tabs (a domain's charts and tabs) */
  detail?(env: KindEnv<T>, name: string): View;
  /** a value that changes when the rows look different without new items (the domains' IP column) */
  version?(env: KindEnv<T>): unknown;
  /** called with each list view made (the domains list: other screens step in its order) */
  made?(view: ListView<T, unknown>, env: KindEnv<T>): void;
  /**
   * The rows as a tree: gets the items in the sort's order, gives them in tree order with the
   * prefix of each one's first cell ("`- "), the siblings kept in the sort's order.
   */
  tree?(sorted: readonly T[]): Array<{ item: T; prefix: string }>;
  /** Enter is the action bound to it, and so is a second click on a row */
  actions: readonly KeyAction<C>[];
  /** its create form (`n`): the kit binds it after the first action (Enter's) */
  create?: KindCreate<C>;
  /** the context the actions get (default: `{ env, item }`) */
  context?(env: KindEnv<T>, item: T | undefined): C;
  /** "4 interfaces, 3 up" */
  summary(items: readonly T[], store: KindStore<T>, env: KindEnv<T>): string;
  /** what an empty table says instead of "no <noun>s on this host" (a reason it cannot be read) */
  emptyText?(store: KindStore<T>, env: KindEnv<T>): string | undefined;
  /** the detail view's tabs (`openDetail`); none: no detail */
  tabs?(env: KindEnv<T>, name: string): Tab[];
  /** the keys that show the detail's next tab (default: Tab) */
  tabKeys?: string[];
  /** the detail's summary line ("active", "gone") */
  detailStatus?(item: T | undefined, env: KindEnv<T>): string;
  /** the detail's title (default: "<Noun> NAME") */
  detailTitle?(name: string, env: KindEnv<T>): string;
}

/** A row of the kind's columns; `prefix` goes before the first cell (a tree's branches). Pure. */
export function kindRow<T extends { name: string }>(spec: Pick<KindSpec<T>, 'columns' | 'color'>, item: T, prefix = ''): Row {
  const cells = spec.columns.map((c) => c.cell(item));
  if (prefix) cells[0] = `${prefix}${cells[0]}`;
  return { key: item.name, cells, color: spec.color?.(item) };
}

/** Sorts by the column's own sort key, then by name. Pure. */
export function kindSort<T extends { name: string }>(spec: Pick<KindSpec<T>, 'columns'>, list: readonly T[], column: number, desc: boolean, env?: KindEnv<T>): T[] {
  const col = spec.columns[column] ?? spec.columns[0]!;
  return sortByValue(list, (i) => (col.sort ? col.sort(i, env) : col.cell(i)), desc);
}

/** The rows' order: sorted, then (a tree) children under their parent. Pure. */
export function kindOrder<T extends { name: string }>(spec: Pick<KindSpec<T>, 'columns' | 'tree'>, list: readonly T[], column: number, desc: boolean, env?: KindEnv<T>): Array<{ item: T; prefix: string }> {
  const sorted = kindSort(spec, list, column, desc, env);
  return spec.tree ? spec.tree(sorted) : sorted.map((item) => ({ item, prefix: '' }));
}

const createKeys = new WeakMap<object, KeyAction<never>>();

/** A kind's create form as a key: one object per kind, since the config's remaps change its keys in place. */
export function createKey<C>(create: KindCreate<C>): KeyAction<C> {
  let k = createKeys.get(create) as KeyAction<C> | undefined;
  if (!k) {
    k = {
      keys: [create.key], label: create.label ?? 'new', help: create.help, mutates: true, bulk: false,
      ...(create.when ? { when: (c: C) => create.when!(c) } : {}), run: (c) => create.run(c),
    };
    createKeys.set(create, k as KeyAction<never>);
  }
  return k;
}

/**
 * The create form goes right after the first action (Enter's: open, details), ahead of the
 * others, so that the footer shows it however many a kind has; a kind whose everyday keys come
 * first (the domains: start, shut down) says where.
 */
function withCreate<C>(actions: readonly KeyAction<C>[], create: KeyAction<C>, at = 1): KeyAction<C>[] {
  return [...actions.slice(0, at), create, ...actions.slice(at)];
}

/** Every key of a kind: its actions with its create form among them (withCreate). */
export function kindKeys<T extends { name: string }, C>(spec: Pick<KindSpec<T, C>, 'actions' | 'create'>): readonly KeyAction<C>[] {
  return spec.create ? withCreate(spec.actions, createKey(spec.create), spec.create.at) : spec.actions;
}

/** The kind's keys on a view: the create form only while the list can be read. */
function keysOn<T extends { name: string }, C>(spec: KindSpec<T, C>, env: KindEnv<T>): readonly KeyAction<C>[] {
  if (!spec.create) return spec.actions;
  // a copy made now carries the keys as remapped
  const k = createKey(spec.create);
  return withCreate(spec.actions, { ...k, when: (c: C) => !spec.unavailable?.(env) && (!k.when || k.when(c)) }, spec.create.at);
}

/** an empty list that stays the same array (the list view redraws on a new one) */
const NONE: never[] = [];

function envOf<T extends { name: string }, C>(ctx: ScreenContext, conn: Connection, spec: KindSpec<T, C>, arg: string): KindEnv<T> & { arg: string } {
  const env: KindEnv<T> & { arg: string } = {
    ctx, conn, arg,
    get store() { return spec.store(conn, env.arg); },
    // the detail stays on the argument it was opened on
    openDetail: (name) => {
      if (spec.detail) ctx.push(spec.detail(env, name));
      else if (spec.tabs) ctx.push(kindDetail(ctx, conn, spec, name, env.arg));
    },
    host: undefined as unknown as ActionHost,
  };
  env.host = bind(ctx, conn, env.openDetail);
  return env;
}

const contextOf = <T extends { name: string }, C>(spec: KindSpec<T, C>, env: KindEnv<T>) =>
  (item: T | undefined): C => (spec.context ? spec.context(env, item) : ({ env, item } as C));

/** The list of a kind on a connection; `asked`: the argument given (`:vol POOL`). */
export function kindView<T extends { name: string }, C = KindCtx<T>>(ctx: ScreenContext, conn: Connection, spec: KindSpec<T, C>, asked?: string): ListView<T, C> {
  const env = envOf(ctx, conn, spec, spec.arg ? spec.arg.pick(conn, asked) : '');
  const context = contextOf(spec, env);
  const unavailable = () => spec.unavailable?.(env);
  // nothing to read while unavailable: the table says why
  const load = () => (unavailable() ? (ctx.requestRender(), Promise.resolve()) : spec.refresh ? spec.refresh(env) : env.store.refresh());
  // the tree's prefixes follow the sort (which sibling is last): set by each sort
  let prefixes = new Map<string, string>();
  const enter = spec.actions.find((a) => a.keys.includes('enter'));
  const view = new ListView<T, C>(ctx, conn, {
    get title() { return spec.arg ? `${spec.title} of ${env.arg || `(no ${spec.arg.noun})`}` : spec.title; },
    noun: spec.noun,
    columns: [...spec.columns],
    items: () => (unavailable() ? NONE : env.store.items),
    // a first load that failed is done too: the table says why instead of "loading…"
    loaded: () => !!unavailable() || env.store.loaded || !!env.store.lastError,
    key: (i) => i.name,
    row: (i) => (spec.row ? spec.row(i, env) : kindRow(spec, i, prefixes.get(i.name))),
    sort: (list, col, desc) => {
      const rows = kindOrder(spec, list, col, desc, env);
      if (spec.tree) prefixes = new Map(rows.map((r) => [r.item.name, r.prefix]));
      return rows.map((r) => r.item);
    },
    rowsFollowSort: !!spec.tree,
    // another pool's volumes are other objects: the marks go
    actions: [...keysOn(spec, env), ...stepKeys(ctx, conn, spec, env, () => { view.clearMarks(); return load(); })],
    marks: spec.actions.some(bulkable),
    screen: spec.name,
    // $POOL: the volumes' pool, or the pool itself
    subject: (i) => ({ name: i.name, ...(spec.name === 'volumes' ? { pool: env.arg } : spec.name === 'pools' ? { pool: i.name } : {}) }),
    ...(spec.state ? { state: spec.state } : {}),
    context,
    summary: (all) => spec.summary(all, env.store, env),
    // a first load that failed: why, rather than "no <noun>s"
    emptyText: () => unavailable() ?? spec.emptyText?.(env.store, env) ?? (!env.store.loaded ? env.store.lastError?.line : undefined),
    open: enter ? (i) => { const c = context(i); if (!enter.when || enter.when(c)) void enter.run(c); } : undefined,
    refresh: load,
    ...(spec.banner ? { banner: () => spec.banner!(env) } : {}),
    ...(spec.version ? { version: () => spec.version!(env) } : {}),
  });
  spec.made?.(view as ListView<T, unknown>, env);
  return view;
}

/** `]` and `[`: the list of the next/previous argument (pool, domain) */
function stepKeys<T extends { name: string }, C>(ctx: ScreenContext, conn: Connection, spec: KindSpec<T, C>, env: { arg: string }, refresh: () => Promise<void>): KeyAction<C>[] {
  const arg = spec.arg;
  if (!arg?.step) return [];
  const step = (by: number) => {
    const next = stepName(arg.step!(conn), env.arg, by);
    if (next === undefined) return;
    env.arg = next;
    void refresh();
    ctx.requestRender();
  };
  return [
    { keys: [']'], label: `next ${arg.noun}`, help: `the ${spec.noun}s of the next ${arg.noun}`, run: () => step(1) },
    { keys: ['['], label: `prev ${arg.noun}`, help: `the ${spec.noun}s of the previous ${arg.noun}`, footer: false, run: () => step(-1) },
  ];
}

/**
 * The tabbed detail of one object of a kind (of argument `arg`); the kind's keys stay on it, but
 * Enter and those the tab keys take (the pools' x opens the detail that is already open).
 */
export function kindDetail<T extends { name: string }, C = KindCtx<T>>(ctx: ScreenContext, conn: Connection, spec: KindSpec<T, C>, name: string, arg = ''): View {
  const env = envOf(ctx, conn, spec, arg);
  const context = contextOf(spec, env);
  const title = spec.detailTitle?.(name, env) ?? `${spec.noun[0]!.toUpperCase()}${spec.noun.slice(1)} ${name}`;
  const taken = new Set(['enter', ...(spec.tabKeys ?? [])]);
  return new TabbedView<C>(ctx, conn, title, spec.tabs!(env, name),
    keysOn(spec, env).filter((a) => !a.keys.some((k) => taken.has(k))), () => context(env.store.get(name)),
    () => spec.detailStatus?.(env.store.get(name), env) ?? (env.store.get(name) ? '' : 'gone'), spec.tabKeys);
}
