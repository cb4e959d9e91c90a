// `:jobs` (J): the long operations of every host, newest first: what, where, the command, how
// long, how far, how it ended. Progress is read only while this view shows; x cancels one.
import type { ScreenContext } from '../../src/context.ts';
import type { Job } from '../../src/model/jobs.ts';
import { Table } from '../../src/ui/table.ts';
import { listKeys } from '../../src/ui/listnav.ts';
import { rowMatches } from '../../src/ui/filter.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { blessed, esc } from '../../src/ui/blessed-compat.ts';
import { plural, wrapText } from '../../src/ui/text.ts';
import { theme } from '../../src/ui/theme.ts';
import { OutputView } from '../output/screen.ts';
import { JOB_COLUMNS, jobDetail, jobRows, stateLine } from './rows.ts';

/** how often a running job's time and progress are read while the view shows */
const TICK_MS = 1000;

export class JobsView implements View {
  readonly title = 'Jobs';
  readonly screen = 'jobs';
  private table: Table | null = null;
  private frame: blessed.Widgets.BoxElement | null = null;
  private tableBox: blessed.Widgets.BoxElement | null = null;
  private preview: blessed.Widgets.BoxElement | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling = false;
  private filterText = '';
  private readonly onChange = () => { this.rebuild(); this.app.requestRender(); };
  readonly filter = { value: '', set: (v: string) => { this.filterText = v; this.filter.value = v; this.rebuild(); } };
  private readonly own: KeyAction<void>[];

  constructor(private readonly app: ScreenContext, private readonly now: () => number = Date.now) {
    this.own = [
      { keys: ['enter'], label: 'detail', help: 'the job whole: its command, progress, outcome and full output or error', when: () => !!this.selected(), run: () => this.open() },
      {
        keys: ['x'], label: 'cancel', help: 'cancel the selected job (asks; says what cancelling leaves behind)', mutates: true, dangerous: true,
        when: () => { const j = this.selected(); return !!j && j.state === 'running' && !!j.cancel && !j.cancelling; },
        run: () => this.cancel(),
      },
      ...listKeys(() => this.table?.nav),
    ];
  }

  keys(): readonly KeyAction<void>[] { return this.own; }

  private selected(): Job | undefined {
    const row = this.table?.selectedRow();
    return row ? this.app.jobs.list.find((j) => String(j.id) === row.key) : undefined;
  }

  private open(): void {
    const j = this.selected();
    if (j) this.app.push(new OutputView(this.app, `${j.kind} of ${j.target}`, jobDetail(j, this.now()), j.state === 'failed'));
  }

  private async cancel(): Promise<void> {
    const j = this.selected();
    if (!j) return;
    const r = await this.app.ask({
      title: `Cancel ${j.kind} of ${j.target}`, confirmLabel: 'Cancel it', cancelLabel: 'Let it run', dangerous: true,
      message: [`Cancel ${j.kind} of ${j.target} on ${j.host}, running for ${Math.round((this.now() - j.started) / 1000)} s:`, j.command, ...(j.cancelNote ? [j.cancelNote] : [])],
    });
    if (!r.confirmed) return;
    try {
      await this.app.jobs.cancel(j);
    } catch (e) {
      this.app.setStatus({ kind: 'error', text: `cancel ${j.kind} of ${j.target}: ${(e as Error).message.split('\n')[0]}`, hint: 'the job goes on' });
    }
  }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.frame = blessed.box({ parent, top: 0, left: 0, width: '100%', height: '100%' });
    this.tableBox = blessed.box({ parent: this.frame, top: 0, left: 0, width: '100%', height: '100%' });
    this.preview = blessed.box({ parent: this.frame, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
    this.table = new Table(this.tableBox, JOB_COLUMNS);
    this.table.onActivate = () => this.open();
    this.table.onSelect = () => this.app.requestRender();
    this.app.jobs.on('change', this.onChange);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    this.rebuild();
    void this.poll();
  }

  unmount(): void {
    this.app.jobs.off('change', this.onChange);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.frame?.destroy();
    this.frame = this.tableBox = this.preview = null;
    this.table = null;
  }

  /** the running jobs' time ticks; their progress is read again (one read at a time) */
  private tick(): void {
    if (!this.app.jobs.running().length) return;
    this.rebuild();
    this.app.requestRender();
    void this.poll();
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try { await this.app.jobs.poll(); } finally { this.polling = false; }
  }

  refresh(): Promise<void> { return this.poll(); }

  private rebuild(): void {
    if (!this.table) return;
    const rows = jobRows(this.app.jobs.list, this.now()).filter((r) => rowMatches(r.cells, this.filterText));
    this.table.empty = 'no jobs yet: save, migrate, clone, upload ... show here';
    this.table.setRows(rows);
  }

  render(): void {
    if (!this.table || !this.frame || !this.tableBox || !this.preview) return;
    const j = this.selected();
    const width = (this.frame.width as number) || 80;
    const height = (this.frame.height as number) || 20;
    // the table cuts the command and the outcome: the selected job's are shown whole below it
    const lines = j ? [
      ...wrapText(`${j.host}: ${j.command}`, width, 2).slice(0, 2).map((l) => `{bold}${esc(l)}{/bold}`),
      ...wrapText(stateLine(j), width, 2).slice(0, 2).map((l) => `{${j.state === 'failed' ? theme.error : theme.fg}}${esc(l)}{/}`),
    ] : [];
    this.preview.height = Math.max(1, lines.length);
    this.preview.hidden = !lines.length;
    this.tableBox.height = height - (lines.length ? lines.length + 1 : 0);
    this.preview.setContent(lines.join('\n'));
    this.table.render();
  }

  summary(): string {
    const running = this.app.jobs.running().length;
    return `${plural(this.app.jobs.list.length, 'job')}${running ? `, ${running} running` : ''}`;
  }
}
