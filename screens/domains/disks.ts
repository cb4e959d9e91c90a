// Inside a guest's disks, read-only and without a shell: the Disks tab of the details (virt-df:
// each filesystem's size, used and free) and the file browser (virt-ls -l, virt-cat). Each run
// starts a libguestfs appliance (10-40 s): it is a job, and the UI never waits for it.
//
// A running guest is allowed: these tools open its disks read-only, as guestfish does while a
// guest runs (screens/terminal/sessions.ts), so nothing can be damaged; what they read may lag
// behind the guest (data it has not written yet), and the tab says so.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { View } from '../../src/ui/view.ts';
import { blessed, esc } from '../../src/ui/blessed-compat.ts';
import { Table, type Column, type Row } from '../../src/ui/table.ts';
import { listKeys } from '../../src/ui/listnav.ts';
import { humanKiB, plural } from '../../src/ui/text.ts';
import { theme } from '../../src/ui/theme.ts';
import {
  guestfsEnv, joinPath, NO_OS, parseVirtDfCsv, parseVirtLsLong, usePercent, virtCatArgs, virtDfArgs, virtLsArgs, type DfRow, type LsEntry,
} from '../../src/libvirt/guestfs.ts';
import { plainText } from '../../src/pty/commands.ts';
import { runTool } from '../../src/virsh/spawn.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { OutputView } from '../output/screen.ts';
import type { DomainCtx } from './actions.ts';

const why = (e: unknown) => (e instanceof VirshError ? e.line : e instanceof Error ? e.message : String(e));
const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);

/** What is known of one guest's disks on a connection: shared by the Disks tab and the file browser. */
export class GuestDisks {
  df: { rows: DfRow[]; at: number; running: boolean } | null = null;
  dfError = '';
  /** the virt-df job under way: when it started */
  dfSince = 0;
  /** the filesystem mounted on / with -m, once inspection found no operating system */
  mount: string | undefined;
  private listeners = new Set<() => void>();

  constructor(private readonly app: ScreenContext, private readonly conn: Connection, readonly name: string) {}

  static of(app: ScreenContext, conn: Connection, name: string): GuestDisks {
    return conn.cache(`guestdisks:${name}`, () => new GuestDisks(app, conn, name));
  }

  on(cb: () => void): () => void { this.listeners.add(cb); return () => this.listeners.delete(cb); }
  private changed(): void { for (const cb of this.listeners) cb(); this.app.requestRender(); }

  get running(): boolean { const s = this.conn.domains.get(this.name)?.state; return !!s && s !== 'shut off' && s !== 'crashed'; }

  /** why these tools cannot run here at all, or '' */
  refusal(): string {
    if (this.conn.demo) return 'the demo host has no disks to open: its guests are not real';
    return '';
  }

  /** a libguestfs tool as a job; resolves to its output */
  tool(file: string, args: string[]): Promise<string> {
    const ac = new AbortController();
    const t0 = Date.now();
    return this.app.jobs.run({
      kind: file, host: this.conn.name, target: this.name, command: shellLine([file, ...args]),
      cancel: () => ac.abort(),
      cancelNote: `${file} only reads ${this.name}'s disks: ending it leaves nothing behind.`,
      progress: async () => ({ text: `starting the appliance… ${Math.round((Date.now() - t0) / 1000)} s` }),
    }, () => runTool(file, args, { timeoutMs: 600_000, env: guestfsEnv(process.env), signal: ac.signal })).done;
  }

  /** virt-df on the domain's disks, as a job */
  async readDf(): Promise<void> {
    if (this.dfSince) return;
    const no = this.refusal();
    if (no) { this.dfError = no; this.changed(); return; }
    this.dfSince = Date.now();
    this.dfError = '';
    const running = this.running;
    this.changed();
    try {
      const rows = parseVirtDfCsv(await this.tool('virt-df', virtDfArgs(this.conn.uri, { kind: 'domain', name: this.name })));
      this.df = { rows, at: Date.now(), running };
    } catch (e) {
      this.dfError = why(e);
    } finally {
      this.dfSince = 0;
    }
    this.changed();
  }

  /**
   * virt-ls or virt-cat: with inspection first; when it finds no operating system (a data disk),
   * again with the guest's filesystem mounted on / (-m), learnt from virt-df.
   */
  async inside(kind: 'ls' | 'cat', path: string, pick: (fs: string[]) => Promise<string | null>): Promise<string> {
    const run = () => (kind === 'ls'
      ? this.tool('virt-ls', virtLsArgs(this.conn.uri, { kind: 'domain', name: this.name }, path, this.mount))
      : this.tool('virt-cat', virtCatArgs(this.conn.uri, { kind: 'domain', name: this.name }, path, this.mount)));
    try {
      return await run();
    } catch (e) {
      if (this.mount !== undefined || !NO_OS.test(why(e))) throw e;
    }
    if (!this.df) await this.readDf();
    const fs = (this.df?.rows ?? []).map((r) => r.fs);
    if (!fs.length) throw new Error(`no operating system and no filesystem found on ${this.name}'s disks${this.dfError ? ` (${this.dfError})` : ''}`);
    const chosen = fs.length === 1 ? fs[0]! : await pick(fs);
    if (!chosen) throw new Error('no filesystem chosen');
    this.mount = chosen;
    this.changed();
    return run();
  }
}

/** The Disks tab's lines. Pure. */
export function disksLines(name: string, d: { df: GuestDisks['df']; dfError: string; dfSince: number; running: boolean; refusal: string; mount?: string }): string[] {
  const out: string[] = [];
  if (d.refusal) return [d.refusal];
  out.push(`Filesystems inside ${name}'s disks (virt-df, read-only)`);
  if (d.dfSince) out.push('', `starting the appliance… (virt-df since ${clock(d.dfSince)}; it takes 10-40 s, the jobs view :jobs shows it)`);
  else if (d.dfError) out.push('', `virt-df failed: ${d.dfError}`);
  if (d.df) {
    out.push('', `  ${'FILESYSTEM'.padEnd(28)} ${'SIZE'.padStart(9)} ${'USED'.padStart(9)} ${'FREE'.padStart(9)} ${'USE%'.padStart(5)}`);
    if (!d.df.rows.length) out.push('  (no filesystem found)');
    for (const r of d.df.rows) {
      out.push(`  ${r.fs.padEnd(28)} ${humanKiB(r.sizeKiB).padStart(9)} ${humanKiB(r.usedKiB).padStart(9)} ${humanKiB(r.availKiB).padStart(9)} ${`${usePercent(r)}%`.padStart(5)}`);
    }
    out.push('', `read at ${clock(d.df.at)}${d.df.running ? ' while it ran: a running guest\'s numbers may lag behind what it has not written yet' : ''}`);
  } else if (!d.dfSince && !d.dfError) {
    out.push('', 'Enter reads them (starts a libguestfs appliance: 10-40 s, as a job).');
  }
  if (d.running && !d.df) out.push('', `${name} is running: its disks are opened read-only, and what they show may lag behind the guest.`);
  out.push('', `b browses its files (virt-ls, virt-cat; read-only)${d.mount ? `: ${d.mount} mounted on / (no operating system to inspect)` : ''}.`);
  return out;
}

/** The Disks tab: its lines and keys, given to the details view. */
export class DisksTab {
  private off: (() => void) | null = null;
  constructor(private readonly app: ScreenContext, private readonly conn: Connection, private readonly name: string, private readonly onChange: () => void) {}
  private get disks(): GuestDisks { return GuestDisks.of(this.app, this.conn, this.name); }
  listen(on: boolean): void {
    this.off?.();
    this.off = on ? this.disks.on(this.onChange) : null;
  }
  lines(): string[] {
    const d = this.disks;
    return disksLines(this.name, { df: d.df, dfError: d.dfError, dfSince: d.dfSince, running: d.running, refusal: d.refusal(), mount: d.mount });
  }
  keys(shown: () => boolean): KeyAction<DomainCtx>[] {
    return [
      { keys: ['enter'], label: 'virt-df', help: 'the Disks tab: read its filesystems\' use (virt-df, read-only, a job of 10-40 s)', when: () => shown() && !this.disks.dfSince && !this.disks.refusal(), run: () => { void this.disks.readDf(); } },
      { keys: ['b'], label: 'browse files', help: 'the Disks tab: browse its files read-only (virt-ls, virt-cat)', when: () => shown() && !this.disks.refusal(), run: () => this.app.push(new FileBrowserView(this.app, this.conn, this.name)) },
    ];
  }
}

const FILE_COLUMNS: Column[] = [
  { title: 'MODE' },
  { title: 'SIZE', align: 'right' },
  { title: 'TIME' },
  { title: 'NAME', flex: true, min: 20, max: 400 },
];

/** A listing's rows: directories first, then by name; '..' on top except at /. Pure. */
export function fileRows(path: string, entries: readonly LsEntry[]): Row[] {
  const kept = entries.filter((e) => e.name !== '.' && (e.name !== '..' || path !== '/'));
  const rank = (e: LsEntry) => (e.name === '..' ? 0 : e.type === 'd' ? 1 : 2);
  kept.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  return kept.map((e) => ({
    key: e.name,
    cells: [`${e.type}${e.mode}`, e.size, e.time, `${e.name}${e.type === 'd' && e.name !== '..' ? '/' : ''}${e.target ? ` -> ${e.target}` : ''}`],
    color: e.type === 'd' ? theme.key : undefined,
  }));
}

/** A guest's files, read-only: a directory at a time (virt-ls -l), a file in a text view (virt-cat). */
export class FileBrowserView implements View {
  private path = '/';
  private entries: LsEntry[] = [];
  private loading = '';
  private error = '';
  private table: Table | null = null;
  private frame: blessed.Widgets.BoxElement | null = null;
  private head: blessed.Widgets.BoxElement | null = null;
  private readonly own: KeyAction<void>[];
  private readonly disks: GuestDisks;
  private serial = 0;

  constructor(private readonly app: ScreenContext, readonly conn: Connection, private readonly name: string) {
    this.disks = GuestDisks.of(app, conn, name);
    this.own = [
      { keys: ['enter'], label: 'open', help: 'open the directory, or show the file (virt-cat)', when: () => !!this.table?.selectedRow() && !this.loading, run: () => this.open() },
      { keys: ['backspace', '-'], label: 'up', help: 'the directory above', when: () => this.path !== '/' && !this.loading, run: () => { void this.list(joinPath(this.path, '..')); } },
      { keys: ['o'], label: 'go to', help: 'a path to list (a directory) or show (a file)', when: () => !this.loading, run: () => this.goTo() },
      { keys: ['r'], label: 'reload', help: 'list the directory again', when: () => !this.loading, run: () => { void this.list(this.path); } },
      ...listKeys(() => this.table?.nav),
    ];
  }

  get title(): string { return `Files of ${this.name}: ${this.path}`; }
  keys(): readonly KeyAction<void>[] { return this.own; }
  summary(): string { return this.loading ? 'starting the appliance…' : plural(Math.max(0, this.entries.filter((e) => e.name !== '.' && e.name !== '..').length), 'entry', 'entries'); }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.frame = blessed.box({ parent, top: 0, left: 0, width: '100%', height: '100%' });
    this.head = blessed.box({ parent: this.frame, top: 0, left: 0, width: '100%', height: 2, tags: true });
    const tableBox = blessed.box({ parent: this.frame, top: 2, left: 0, width: '100%', height: '100%-2' });
    this.table = new Table(tableBox, FILE_COLUMNS);
    this.table.onActivate = () => this.open();
    this.table.onSelect = () => this.app.requestRender();
    this.fill();
    if (!this.entries.length && !this.loading && !this.error) void this.list(this.path);
  }
  unmount(): void {
    this.frame?.destroy();
    this.frame = this.head = null;
    this.table = null;
  }

  private pick = async (fs: string[]): Promise<string | null> => {
    const f = await this.app.form({
      title: `No operating system on ${this.name}'s disks`,
      intro: ['virt-ls found no operating system to inspect. Which filesystem goes on / ?'],
      fields: [{ id: 'fs', label: 'Filesystem', kind: 'choice', options: fs }],
      buttons: ['Mount read-only'],
    });
    return f.submitted ? f.values['fs'] ?? null : null;
  };

  private async list(path: string): Promise<void> {
    const my = ++this.serial;
    this.loading = `virt-ls -l ${path}`;
    this.error = '';
    this.fill();
    this.app.requestRender();
    try {
      const out = await this.disks.inside('ls', path, this.pick);
      if (my !== this.serial) return;
      this.entries = parseVirtLsLong(out);
      this.path = path;
      this.table?.nav.select(0);
    } catch (e) {
      if (my !== this.serial) return;
      this.error = why(e);
    }
    this.loading = '';
    this.fill();
    this.app.requestRender();
  }

  private async show(path: string): Promise<void> {
    const my = ++this.serial;
    this.loading = `virt-cat ${path}`;
    this.error = '';
    this.fill();
    this.app.requestRender();
    let text: string;
    try {
      text = await this.disks.inside('cat', path, this.pick);
    } catch (e) {
      if (my !== this.serial) return;
      this.loading = '';
      this.error = why(e);
      // a link to a directory: list it
      if (/Is a directory/i.test(this.error)) { void this.list(path); return; }
      this.fill();
      this.app.requestRender();
      return;
    }
    if (my !== this.serial) return;
    this.loading = '';
    // the operator went elsewhere meanwhile (Esc): the file is not pushed over that screen
    if (!this.frame) return;
    this.fill();
    // a file is text to read, not a terminal's to interpret: control characters are dropped
    const lines = plainText(text.replace(/\0/g, '')).replace(/\n$/, '').split('\n');
    const max = 20_000;
    this.app.push(new OutputView(this.app, `${this.name}:${path} (virt-cat)`, lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more lines not shown`] : lines));
  }

  private open(): void {
    const row = this.table?.selectedRow();
    if (!row) return;
    const e = this.entries.find((x) => x.name === row.key);
    if (!e) return;
    const path = joinPath(this.path, e.name);
    if (e.type === 'd') void this.list(path);
    else if (e.type === '-' || e.type === 'l') void this.show(path);
    else this.app.setStatus({ kind: 'error', text: `${path} is not a file (${e.type === 'c' || e.type === 'b' ? 'a device' : e.type === 'p' ? 'a pipe' : 'a socket'}): nothing to show` });
  }

  private async goTo(): Promise<void> {
    const p = await this.app.prompt('path in the guest: ', this.path);
    if (!p) return;
    const path = joinPath(p.startsWith('/') ? '/' : this.path, p);
    // a trailing / or a known directory is listed; anything else is shown as a file
    const known = this.entries.find((e) => joinPath(this.path, e.name) === path);
    if (p.endsWith('/') || path === '/' || known?.type === 'd') void this.list(path);
    else void this.show(path);
  }

  private fill(): void {
    if (!this.head || !this.table) return;
    const note = this.loading ? `{${theme.busy}}starting the appliance… (${esc(this.loading)}: 10-40 s){/}`
      : this.error ? `{${theme.error}}${esc(this.error)}{/}`
        : `{${theme.dim}}read-only${this.disks.mount ? `; ${esc(this.disks.mount)} mounted on /` : ''}${this.disks.running ? `; ${esc(this.name)} is running: what it has not written yet is not seen` : ''}{/}`;
    this.head.setContent(`{bold}${esc(this.path)}{/bold}\n${note}`);
    this.table.empty = this.loading ? 'starting the appliance…' : this.error ? 'nothing listed' : 'an empty directory';
    this.table.setRows(fileRows(this.path, this.entries));
  }

  render(): void { this.table?.render(); }
}
