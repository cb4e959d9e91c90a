// The action log: every command virtui ran for the user, newest first; Enter shows its full output.
import type { App } from '../../src/app.ts';
import { Table, type Column, type Row } from '../../src/ui/table.ts';
import { listKeys } from '../../src/ui/listnav.ts';
import { rowMatches } from '../../src/ui/filter.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { blessed } from '../../src/ui/blessed-compat.ts';
import type { LogEntry } from '../../src/model/actionlog.ts';
import { OutputView } from '../output/screen.ts';

export const LOG_COLUMNS: Column[] = [
  { title: 'TIME' },
  { title: 'RESULT', short: 'OK' },
  { title: 'COMMAND', flex: true, min: 20, max: 200 },
  { title: 'MESSAGE', flex: 2, min: 16, max: 120 },
];

export function logRow(e: LogEntry, i: number): Row {
  return {
    key: String(i),
    cells: [e.time.toTimeString().slice(0, 8), e.ok ? 'ok' : 'FAILED', e.short, e.ok ? e.message : `${e.message}${e.hint ? ` (${e.hint})` : ''}`],
    color: e.ok ? undefined : 'red-fg',
  };
}

export class LogView implements View {
  readonly title = 'Action log';
  private table: Table | null = null;
  private filterText = '';
  private readonly onLog = () => { this.rebuild(); this.app.requestRender(); };
  readonly filter = { value: '', set: (v: string) => { this.filterText = v; this.filter.value = v; this.rebuild(); } };
  private readonly own: KeyAction<void>[];

  constructor(private readonly app: App) {
    this.own = [
      { keys: ['enter'], label: 'output', help: 'the full output or error of the command', when: () => !!this.table?.selectedRow(), run: () => this.open() },
      ...listKeys(() => this.table?.nav),
    ];
  }

  keys(): readonly KeyAction<void>[] { return this.own; }

  private open(): void {
    const row = this.table?.selectedRow();
    if (!row) return;
    const e = this.app.host.log.entries[Number(row.key)]!;
    this.app.push(new OutputView(this.app, e.command, [e.command, `${e.ok ? 'ok' : 'FAILED'}: ${e.message}`, ...(e.hint ? [`hint: ${e.hint}`] : []), '', ...e.detail.split('\n')], !e.ok));
  }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.table = new Table(parent, LOG_COLUMNS);
    this.table.onActivate = () => this.open();
    this.table.onSelect = () => this.app.requestRender();
    this.app.host.log.on('change', this.onLog);
    this.rebuild();
  }
  unmount(): void { this.app.host.log.off('change', this.onLog); this.table?.box.destroy(); this.table = null; }

  private rebuild(): void {
    if (!this.table) return;
    const rows = this.app.host.log.entries.map(logRow).reverse().filter((r) => rowMatches(r.cells, this.filterText));
    this.table.empty = 'no actions yet: what virtui runs for you is listed here';
    this.table.setRows(rows);
  }

  render(): void { this.table?.render(); }
  summary(): string { return `${this.app.host.log.entries.length} entries`; }
}
