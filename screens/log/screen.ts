// The action log: every command virtui ran for the user, newest first; Enter shows its full output.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { Table, type Column, type Row } from '../../src/ui/table.ts';
import { listKeys } from '../../src/ui/listnav.ts';
import { rowMatches } from '../../src/ui/filter.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { blessed, esc } from '../../src/ui/blessed-compat.ts';
import { wrapText, plural } from '../../src/ui/text.ts';
import { theme } from '../../src/ui/theme.ts';
import type { LogEntry } from '../../src/model/actionlog.ts';
import { OutputView } from '../output/screen.ts';

export const LOG_COLUMNS: Column[] = [
  { title: 'TIME' },
  { title: 'RESULT', short: 'OK' },
  { title: 'COMMAND', flex: true, min: 20, max: 200 },
  { title: 'MESSAGE', flex: 2, min: 16, max: 120 },
];

/** `withHost`: several hosts are open, and the command says which one it ran on */
export function logRow(e: LogEntry, i: number, withHost = false): Row {
  return {
    key: String(i),
    cells: [e.time.toTimeString().slice(0, 8), e.ok ? 'ok' : 'FAILED', withHost && e.host ? `${e.host}: ${e.short}` : e.short, e.ok ? e.message : `${e.message}${e.hint ? ` (${e.hint})` : ''}`],
    color: e.ok ? undefined : 'red-fg',
  };
}

/**
 * The selected entry whole, under the table (whose columns cut a long command): the command and
 * its result, wrapped to `width`, in at most `max` lines; when both do not fit they share them. Pure.
 */
export function logPreview(e: LogEntry, width: number, max = 6): { command: string[]; message: string[] } {
  const cmd = wrapText(e.command, width, 2);
  const msg = wrapText(`${e.ok ? 'ok' : 'FAILED'}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`, width, 2);
  const m = Math.min(msg.length, max - Math.min(cmd.length, Math.ceil(max / 2)));
  const c = Math.min(cmd.length, max - m);
  const cut = (l: string[], n: number) => (l.length > n ? [...l.slice(0, n - 1), `${[...l[n - 1]!].slice(0, -1).join('')}…`] : l);
  return { command: cut(cmd, c), message: cut(msg, m) };
}

export class LogView implements View {
  readonly title = 'Action log';
  private table: Table | null = null;
  private frame: blessed.Widgets.BoxElement | null = null;
  private tableBox: blessed.Widgets.BoxElement | null = null;
  private preview: blessed.Widgets.BoxElement | null = null;
  private filterText = '';
  private readonly onLog = () => { this.rebuild(); this.app.requestRender(); };
  readonly filter = { value: '', set: (v: string) => { this.filterText = v; this.filter.value = v; this.rebuild(); } };
  private readonly own: KeyAction<void>[];

  constructor(private readonly app: ScreenContext, readonly conn: Connection) {
    this.own = [
      { keys: ['enter'], label: 'output', help: 'the full output or error of the command', when: () => !!this.table?.selectedRow(), run: () => this.open() },
      ...listKeys(() => this.table?.nav),
    ];
  }

  keys(): readonly KeyAction<void>[] { return this.own; }

  private open(): void {
    const row = this.table?.selectedRow();
    if (!row) return;
    const e = this.conn.log.entries[Number(row.key)]!;
    this.app.push(new OutputView(this.app, e.command, [e.command, `${e.ok ? 'ok' : 'FAILED'}: ${e.message}`, ...(e.hint ? [`hint: ${e.hint}`] : []), '', ...e.detail.split('\n')], !e.ok));
  }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.frame = blessed.box({ parent, top: 0, left: 0, width: '100%', height: '100%' });
    this.tableBox = blessed.box({ parent: this.frame, top: 0, left: 0, width: '100%', height: '100%' });
    this.preview = blessed.box({ parent: this.frame, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
    this.table = new Table(this.tableBox, LOG_COLUMNS);
    this.table.onActivate = () => this.open();
    this.table.onSelect = () => this.app.requestRender();
    this.conn.log.on('change', this.onLog);
    this.rebuild();
  }
  unmount(): void {
    this.conn.log.off('change', this.onLog);
    this.frame?.destroy();
    this.frame = this.tableBox = this.preview = null;
    this.table = null;
  }

  private rebuild(): void {
    if (!this.table) return;
    const several = this.app.connections.length > 1;
    const rows = this.conn.log.entries.map((e, i) => logRow(e, i, several)).reverse().filter((r) => rowMatches(r.cells, this.filterText));
    this.table.empty = 'no actions yet: what virtui runs for you is listed here';
    this.table.setRows(rows);
  }

  render(): void {
    if (!this.table || !this.frame || !this.tableBox || !this.preview) return;
    const row = this.table.selectedRow();
    const e = row ? this.conn.log.entries[Number(row.key)] : undefined;
    const width = (this.frame.width as number) || 80;
    const height = (this.frame.height as number) || 20;
    const p = e ? logPreview(e, width, Math.max(2, Math.min(6, Math.floor(height / 3)))) : { command: [], message: [] };
    const color = e && !e.ok ? theme.error : theme.fg;
    const lines = [...p.command.map((l) => `{bold}${esc(l)}{/bold}`), ...p.message.map((l) => `{${color}}${esc(l)}{/}`)];
    this.preview.height = Math.max(1, lines.length);
    this.preview.hidden = !lines.length;
    this.tableBox.height = height - (lines.length ? lines.length + 1 : 0);
    this.preview.setContent(lines.join('\n'));
    this.table.render();
  }
  summary(): string { return plural(this.conn.log.entries.length, 'entry'); }
}
