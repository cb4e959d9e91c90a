// One terminal pane: what runs in it (a job: console, guestfish, virsh shell) and its box.
import { blessed } from '../../src/ui/blessed-compat.ts';
import { TerminalPane } from '../../src/ui/terminal.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { PtyExit, PtySpec } from '../../src/pty/process.ts';
import { shellLine } from '../../src/virsh/quote.ts';

/** What a job may do with its pane. */
export interface TermCtl {
  readonly pane: TerminalPane;
  /** starts the job's program (again) in the same pane */
  start(): void;
  note(text: string, kind?: 'info' | 'error'): void;
  /** closes the pane (the program is ended) */
  close(): void;
  changed(): void;
  /** the user asked to end it (x): an exit is no surprise */
  readonly ending: boolean;
}

/** A kind of session: console, guestfish, virsh shell, or any program (tests). */
export interface TermJob {
  /** the tab's label: "console lab-alpha" */
  readonly title: string;
  /** what to run now (a console re-attach may add --force, guestfish may drop -i) */
  spec(): PtySpec;
  started?(t: TermCtl): void;
  output?(t: TermCtl): void;
  /** the program ended; `out` is the plain text of its last output */
  exited?(t: TermCtl, e: PtyExit, out: string): void | Promise<void>;
  /** the job's state for the pane's status line (progress, read-only, ended) */
  status?(): string;
  /** keys of its own in the pane's command mode (re-attach) */
  keys?(t: TermCtl): KeyAction<void>[];
  /** what the program takes as "leave" (virsh console ignores SIGHUP and SIGTERM, but not its escape key) */
  readonly quit?: string;
  /** how long it may take to leave before it is killed (default 1.5 s) */
  readonly quitGraceMs?: number;
  /** for the file name of the session log */
  readonly logName: string;
  dispose?(): void;
}

export class TerminalView implements TermCtl {
  readonly pane: TerminalPane;
  box: blessed.Widgets.BoxElement | null = null;
  ending = false;
  closed = false;
  /** the program's exit, until it starts again */
  exit: PtyExit | null = null;
  /** when it ended (ms) */
  endedAt: number | null = null;
  /** the user has seen the end (or was not typing into it): the pane's own keys may act */
  acked = false;
  /** output arrived while another pane was shown */
  unseen = false;

  constructor(readonly job: TermJob, cols: number, rows: number, private readonly hooks: {
    changed: () => void;
    close: (v: TerminalView) => void;
    log: (command: string, ok: boolean, message: string) => void;
    /** the program ended (before the job hears of it) */
    ended?: (v: TerminalView) => void;
  }) {
    this.pane = new TerminalPane(cols, rows);
    this.pane.on('change', () => this.hooks.changed());
    this.pane.on('output', () => { this.unseen = true; this.job.output?.(this); });
    this.pane.on('exit', (e: PtyExit, out: string) => {
      this.exit = e;
      this.endedAt = Date.now();
      this.hooks.ended?.(this);
      this.hooks.changed();
      if (this.closed) return;
      if (this.ending) { this.close(); return; }
      void Promise.resolve(this.job.exited?.(this, e, out)).finally(() => this.hooks.changed());
    });
  }

  /** the host it talks to, when virtui has several (the tab says "console web-01 @kvm2") */
  where = '';
  get title(): string { return this.where ? `${this.job.title} @${this.where}` : this.job.title; }
  /** the job's own title, without the host */
  get jobTitle(): string { return this.job.title; }

  start(): void {
    this.exit = null;
    this.endedAt = null;
    this.acked = false;
    const spec = this.job.spec();
    const command = shellLine([spec.file, ...spec.args]);
    const env = Object.entries(spec.env ?? {}).map(([k, v]) => `${k}=${v}`).join(' ');
    this.pane.note(`${env ? `${env} ` : ''}${command}`);
    const ok = this.pane.start(spec);
    this.hooks.log(command, ok, ok ? `opened ${this.job.title} in a pane` : `${spec.file} is not installed`);
    if (ok) this.job.started?.(this);
    this.hooks.changed();
  }

  note(text: string, kind: 'info' | 'error' = 'info'): void {
    this.pane.note(text, kind);
  }

  /** `now`: SIGKILL what still runs (virtui is going away and cannot wait) */
  close(now = false): void {
    if (this.closed) return;
    this.closed = true;
    this.ending = true;
    this.job.dispose?.();
    this.pane.dispose(now);
    this.box?.destroy();
    this.box = null;
    this.hooks.close(this);
  }

  /** x: ends the program; the pane closes when it has ended */
  end(): void {
    this.ending = true;
    if (!this.pane.running) { this.close(); return; }
    if (this.job.quit) {
      this.pane.input(this.job.quit);
      setTimeout(() => { if (!this.closed) this.pane.kill(); }, this.grace).unref?.();
    } else this.pane.kill();
  }

  changed(): void { this.hooks.changed(); }

  get grace(): number { return this.job.quitGraceMs ?? 1500; }

  mount(parent: blessed.Widgets.BoxElement, typing: () => boolean): void {
    if (this.box) return;
    this.box = blessed.box({ parent, top: 1, left: 0, width: '100%', height: '100%-2' });
    this.pane.attach(this.box, typing);
  }
}
