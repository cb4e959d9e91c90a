// The domains list: the table, the filter, the sort, and the actions bound to the selection.
import type { App } from '../../src/app.ts';
import { Table } from '../../src/ui/table.ts';
import { listKeys } from '../../src/ui/listnav.ts';
import { rowMatches } from '../../src/ui/filter.ts';
import { bindKeys, type View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { blessed } from '../../src/ui/blessed-compat.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import { DOMAIN_COLUMNS, domainRow, sortDomains } from './columns.ts';
import type { Row } from '../../src/ui/table.ts';

/** "6 running, 1 paused, 4 shut off" in the order of the list's state sort */
export function stateCounts(list: readonly Domain[]): string {
  const counts = new Map<string, number>();
  for (const d of sortDomains(list, 1, false)) counts.set(d.state, (counts.get(d.state) ?? 0) + 1);
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
}
import { DOMAIN_ACTIONS, type DomainActionHost, type DomainCtx } from './actions.ts';
import { DomainDetailView } from './detail.ts';

/** The app as domain actions see it. */
export function actionHost(app: App): DomainActionHost {
  return {
    readonly: app.host.readonly,
    ask: (spec) => app.ask(spec),
    action: (args, opts) => app.host.action(args, opts),
    run: (args) => app.host.run(args),
    openDetail: (name) => app.push(new DomainDetailView(app, name)),
  };
}

export class DomainsView implements View {
  readonly title = 'Domains';
  private table: Table | null = null;
  private sortColumn = 0;
  private sortDesc = false;
  private shown: Domain[] = [];
  private version = -1;
  private seen: Domain[] | null = null;
  private readonly bound: KeyAction<void>[];
  private readonly ownKeys: KeyAction<void>[];

  constructor(private readonly app: App) {
    const host = actionHost(app);
    this.bound = bindKeys<DomainCtx>(DOMAIN_ACTIONS, () => ({ host, dom: this.selected() }));
    this.ownKeys = [
      {
        keys: ['s'], label: 'sort', help: 'sort by the next column',
        run: () => { this.sortColumn = (this.sortColumn + 1) % DOMAIN_COLUMNS.length; this.sortDesc = false; this.rebuild(true); },
      },
      { keys: ['S'], label: 'reverse', help: 'reverse the sort order', footer: false, run: () => { this.sortDesc = !this.sortDesc; this.rebuild(true); } },
      ...listKeys(() => this.table?.nav),
    ];
  }

  readonly filter = { value: '', set: (v: string) => { this.filter.value = v; this.rebuild(); } };

  keys(): readonly KeyAction<void>[] {
    return [...this.bound, ...this.ownKeys];
  }

  selected(): Domain | undefined {
    // while another view is on top (help, details) the table is gone: the saved key stands in
    const key = this.table ? this.table.selectedRow()?.key : this.savedKey;
    return key === undefined ? undefined : this.shown.find((d) => d.name === key);
  }

  /** the selection survives a visit to another view */
  private savedKey: string | undefined;

  mount(parent: blessed.Widgets.BoxElement): void {
    this.table = new Table(parent, DOMAIN_COLUMNS);
    this.table.empty = 'loading…';
    this.table.onSelect = () => this.app.requestRender();
    this.table.onActivate = (row) => this.app.push(new DomainDetailView(this.app, row.key));
    this.seen = null;
    this.rebuild();
    if (this.savedKey !== undefined) this.table.selectKey(this.savedKey);
  }

  unmount(): void {
    this.savedKey = this.table?.selectedRow()?.key;
    this.table?.box.destroy();
    this.table = null;
  }

  /** rendered rows of the current data, by name: a sort or a filter only picks and orders them */
  private rowCache = new Map<string, Row>();

  private rebuild(reordered = false): void {
    const all = this.app.domains.domains;
    if (this.seen !== all) {
      this.rowCache = new Map(all.map((d) => [d.name, domainRow(d)]));
      this.seen = all;
      reordered = false;
    }
    const sorted = sortDomains(all, this.sortColumn, this.sortDesc);
    const rows = sorted.map((d) => this.rowCache.get(d.name)!).filter((r) => rowMatches(r.cells, this.filter.value));
    const keep = new Set(rows.map((r) => r.key));
    this.shown = sorted.filter((d) => keep.has(d.name));
    if (!this.table) return;
    this.table.sortColumn = this.sortColumn;
    this.table.sortDesc = this.sortDesc;
    this.table.empty = !this.app.domains.loaded ? 'loading…' : this.filter.value ? `no domain matches /${this.filter.value}` : 'no domains on this host';
    this.table.setRows(rows, reordered);
  }

  render(): void {
    if (!this.table) return;
    if (this.seen !== this.app.domains.domains) this.rebuild();
    this.table.render();
  }

  summary(): string {
    const all = this.app.domains.domains;
    // the filter first: it explains why rows are missing
    const f = this.filter.value ? `/${this.filter.value}: ${this.shown.length} shown | ` : '';
    return `${f}${all.length} domains, ${stateCounts(all)}`;
  }
}
