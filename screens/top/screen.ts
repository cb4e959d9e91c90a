// `:top`: every running domain with its rates, sorted by CPU, memory, disk or network (P M B N),
// refreshed each tick, like virt-top.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { ListView } from '../kit/list.ts';
import { hostBanner } from '../kit/hostline.ts';
import { DomainDetailView } from '../domains/detail.ts';
import { DomainStatsView } from '../stats/screen.ts';
import { TOP_COLUMNS, TOP_SORTS, sortTop, topRow, type TopItem } from './columns.ts';

interface TopCtx { item: TopItem | undefined; view: () => ListView<TopItem, TopCtx> }

const TOP_ACTIONS = (app: ScreenContext, conn: Connection): KeyAction<TopCtx>[] => [
  { keys: ['enter'], label: 'details', help: 'the domain\'s details', when: (c) => !!c.item, run: (c) => app.push(new DomainDetailView(app, conn, c.item!.name)) },
  { keys: ['v'], label: 'stats', help: 'the domain\'s charts', when: (c) => !!c.item, run: (c) => app.push(new DomainStatsView(app, conn, c.item!.name)) },
  ...TOP_SORTS.map((s): KeyAction<TopCtx> => ({
    keys: [s.key], label: `by ${s.name}`, help: `sort by ${s.name} (highest first)`,
    run: (c) => c.view().sortBy(s.column, true),
  })),
];

export function topView(app: ScreenContext, conn: Connection): ListView<TopItem, TopCtx> {
  let cache: { version: number; list: readonly unknown[]; items: TopItem[] } | null = null;
  const items = (): TopItem[] => {
    const st = conn.domains.stats;
    const list = conn.domains.domains;
    if (!cache || cache.version !== st.version || cache.list !== list) {
      cache = { version: st.version, list, items: list.filter((d) => d.id !== null).map((d) => ({ name: d.name, dom: d, rates: st.get(d.name)?.rates })) };
    }
    return cache.items;
  };
  const sortName = () => {
    const { column, desc } = view.sorting;
    const s = TOP_SORTS.find((x) => x.column === column);
    return `by ${s ? s.name : TOP_COLUMNS[column]!.title.toLowerCase()}${desc ? '' : ' (lowest first)'}`;
  };
  const view: ListView<TopItem, TopCtx> = new ListView<TopItem, TopCtx>(app, conn, {
    title: 'Top',
    noun: 'running domain',
    columns: TOP_COLUMNS,
    items,
    loaded: () => conn.domains.loaded,
    key: (it) => it.name,
    row: topRow,
    sort: sortTop,
    actions: TOP_ACTIONS(app, conn),
    context: (item) => ({ item, view: () => view }),
    summary: (all) => `${all.length} active, ${sortName()}`,
    banner: () => hostBanner(app, conn),
    open: (it) => app.push(new DomainDetailView(app, conn, it.name)),
  });
  view.sortBy(2, true);
  return view;
}
