// The migration screen (`o` on a domain, `:migrate DOMAIN`): where it goes and how (the form,
// `e`), the pre-flight checks and the exact command, then `enter` starts it as a job and the
// screen follows its progress; `x` cancels it (domjobabort, after asking). Leaving the screen
// leaves the migration running: its row and the jobs view show it.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { Job } from '../../src/model/jobs.ts';
import type { FormValues } from '../../src/ui/form.ts';
import { TextView } from '../../src/ui/textview.ts';
import { esc, type blessed } from '../../src/ui/blessed-compat.ts';
import { checkLine, optionProblem, preflight, type Check, type GuestFacts, type MigrateOptions, type TargetFacts, type VolumePlan } from '../../src/libvirt/migrate.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import { virshOnce } from '../../src/virsh/spawn.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { defaultValues, formOptions, migrateForm, TYPED, type TargetHost } from './form.ts';
import { readGuest, readTarget, readVolumePlan, type Reader } from './facts.ts';
import { migrateCommand, startMigration, volumeCommands } from './run.ts';
import { progressCell } from '../jobs/rows.ts';

const COLOR: Record<Check['level'], string> = { ok: 'green-fg', warn: 'yellow-fg', fail: 'red-fg' };

/** The screen's text, from what it knows. Pure. */
export function migrateLines(s: {
  domain: string; state: string; source: { name: string; uri: string }; target: string; o: MigrateOptions;
  checks: Check[] | null; problem: string; error: string; job: Job | null; readonly?: boolean;
  /** the target volumes a copy-storage migration creates first, and the target's URI */
  plan?: VolumePlan | null; targetUri?: string;
}): string[] {
  const o = s.o;
  const yn = (b: boolean) => (b ? 'yes' : 'no');
  const opts = [
    o.kind === 'live' && o.copyStorage && '--copy-storage-all', o.kind === 'live' && o.autoConverge && '--auto-converge',
    o.kind === 'live' && o.compressed && '--compressed', o.kind === 'live' && o.bandwidth && `--bandwidth ${o.bandwidth} MiB/s`,
    o.kind === 'live' && o.migrateUri && `--migrateuri ${o.migrateUri}`, o.unsafe && '--unsafe',
  ].filter(Boolean).join('  ');
  const out = [
    `Migrate ${esc(s.domain)} (${esc(s.state)}) from ${esc(s.source.name)}`,
    `  to        ${esc(s.target || '(none)')}${o.dest && o.dest !== s.target ? `  ${esc(o.dest)}` : ''}`,
    `  kind      ${o.kind}${o.kind === 'live' ? ' (it keeps running while its memory is copied)' : ' (its definition moves; no disk is copied)'}`,
    `  persistent on ${esc(s.target || 'the target')}: ${yn(o.persistent)}    undefined on ${esc(s.source.name)}: ${yn(o.undefineSource)}`,
    `  options   ${opts || 'none'}`,
    '',
  ];
  if (s.job) {
    const j = s.job;
    const state = j.state === 'running' ? (j.cancelling ? 'cancelling…' : 'running') : j.state;
    out.push(`{bold}Migration ${state}{/bold}${j.state === 'running' ? '  (x cancels; leaving this screen leaves it running)' : ''}`);
    if (j.state === 'running') out.push(`  ${esc(j.last ? progressCell(j, 20) : 'starting…')}`);
    else {
      const c = j.state === 'ok' ? 'green-fg' : j.state === 'cancelled' ? 'yellow-fg' : 'red-fg';
      out.push(`  {${c}}${esc(j.message)}{/}`);
      if (j.state !== 'ok' && j.message && s.error) out.push(`  ${esc(s.error)}`);
    }
    out.push('');
  }
  out.push('Pre-flight');
  if (s.problem) out.push(`  {red-fg}✗ ${esc(s.problem)}{/}`);
  if (s.error && !s.job) out.push(`  {red-fg}${esc(s.error)}{/}`);
  else if (!s.checks) out.push(`  checking ${esc(s.target)}…`);
  else out.push(...s.checks.map((c) => `  {${COLOR[c.level]}}${esc(checkLine(c))}{/}`));
  const creates = o.kind === 'live' && o.copyStorage ? s.plan?.create ?? [] : [];
  if (creates.length) {
    out.push('', `Commands (the volume${creates.length > 1 ? 's' : ''} first, on ${esc(s.target)}; deleted again if the migration fails or is cancelled)`);
    out.push(...volumeCommands(s.targetUri || o.dest, creates).map((c) => `  ${esc(c)}`));
    out.push(`  ${esc(migrateCommand(s.source.uri, o))}`, '');
  } else out.push('', 'Command', `  ${esc(migrateCommand(s.source.uri, o))}`, '');
  if (s.readonly) out.push(`{yellow-fg}${esc(s.source.name)} is read-only (-r): virtui does not migrate from it; the command is for you to run{/}`, 'e: options   ^R: check again   esc: back');
  else if (s.job?.state === 'ok') out.push('esc: back');
  else if (!s.job || s.job.state !== 'running') out.push('enter: start   e: options (target, kind, --unsafe ...)   ^R: check again   esc: back');
  return out;
}

export class MigrateView implements View {
  private text: TextView | null = null;
  readonly title: string;
  readonly screen = 'migrate';
  private values: FormValues;
  private checks: Check[] | null = null;
  private plan: VolumePlan | null = null;
  private error = '';
  private job: Job | null = null;
  private serial = 0;
  private readonly own: KeyAction<void>[];
  private readonly onJobs = () => this.fill();

  constructor(private readonly app: ScreenContext, readonly conn: Connection, private readonly domain: string) {
    this.title = `Migrate ${domain}`;
    this.values = defaultValues(this.state(), this.targets());
    this.own = [
      { keys: ['enter'], label: 'start', help: 'start the migration (asks, showing the command)', mutates: true, when: () => !this.running() && !this.moved(), run: () => this.start() },
      { keys: ['e'], label: 'options', help: 'the target, live or offline, persistent, undefine source, --unsafe, copy disks, bandwidth …', when: () => !this.running() && !this.moved(), run: () => this.edit() },
      { keys: ['C-r', 'f5'], label: 'check again', help: 'read the target again and redo the pre-flight', when: () => !this.moved(), run: () => { void this.check(); } },
      { keys: ['x'], label: 'cancel', help: 'cancel the running migration (domjobabort; asks): the guest stays on the source', mutates: true, when: () => this.running(), run: () => this.cancel() },
    ];
  }

  keys(): readonly KeyAction<void>[] { return [...this.own, ...(this.text?.scrollKeys() ?? [])]; }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.text = new TextView(parent, {}, this.app);
    this.app.jobs.on('change', this.onJobs);
    this.fill();
    if (!this.checks) void this.check();
  }

  unmount(): void {
    this.app.jobs.off('change', this.onJobs);
    this.text?.box.destroy();
    this.text = null;
  }

  render(): void { this.text?.render(); }

  summary(): string {
    if (this.job) return `migration ${this.job.state}`;
    if (!this.options().dest) return 'no target';
    const fails = this.checks?.filter((c) => c.level === 'fail').length ?? 0;
    return this.checks ? (fails ? `${fails} check${fails > 1 ? 's' : ''} fail` : 'pre-flight passed') : 'checking…';
  }

  private running(): boolean { return this.job?.state === 'running'; }
  /** it went: nothing is left here to migrate or check (the guest is on the target now) */
  private moved(): boolean { return this.job?.state === 'ok'; }
  private state(): string { return this.conn.domains.get(this.domain)?.state ?? 'unknown'; }

  /** the other connections, by name */
  private targets(): TargetHost[] {
    return this.app.connections.filter((c) => c !== this.conn && c.state !== 'down').map((c) => ({ name: c.name, uri: c.uri }));
  }

  private options(): MigrateOptions {
    const d = this.conn.domains.get(this.domain);
    return formOptions(d ? domainArg(d) : this.domain, this.values, this.targets());
  }

  private targetName(): string {
    return this.values.target === TYPED ? (this.values.uri ?? '').trim() : this.values.target ?? '';
  }

  private targetConn(): Connection | undefined {
    const o = this.options();
    return this.app.connections.find((c) => c !== this.conn && (c.name === this.values.target || c.uri === o.dest));
  }

  private fill(): void {
    if (!this.text) return;
    const o = this.options();
    this.text.setLines(migrateLines({
      // (the source last saw it paused, in the migration's last step)
      domain: this.domain, state: this.job?.state === 'ok' ? `now on ${this.targetName()}` : this.state(), source: { name: this.conn.name, uri: this.conn.uri }, target: this.targetName(), o,
      checks: this.checks, problem: this.job ? '' : optionProblem(o, this.state(), this.conn.uri), error: this.error, job: this.job, readonly: this.conn.readonly,
      plan: this.plan, targetUri: this.targetConn()?.uri,
    }), true);
    this.app.requestRender();
  }

  private async check(): Promise<void> {
    const mine = ++this.serial;
    this.checks = null;
    this.plan = null;
    this.error = '';
    this.fill();
    const o = this.options();
    // nothing to read: the problem line says why
    if (!o.dest) { this.checks = []; this.fill(); return; }
    const source: Reader = (args) => this.conn.run(args);
    const tc = this.targetConn();
    const target: Reader = tc ? (args) => tc.run(args) : (args) => virshOnce(o.dest, args, { timeoutMs: 30_000, readonly: this.conn.readonly });
    let g: GuestFacts;
    let t: TargetFacts;
    let plan: VolumePlan | null = null;
    try {
      g = await readGuest(source, o.domain);
      t = await readTarget(this.targetName(), target, source, g);
      if (o.kind === 'live' && o.copyStorage) plan = await readVolumePlan(source, g, t);
    } catch (e) {
      if (mine !== this.serial) return;
      this.error = e instanceof VirshError ? `${e.line}${e.hint ? ` (${e.hint})` : ''}` : String(e);
      this.checks = [];
      this.fill();
      return;
    }
    if (mine !== this.serial) return;
    this.plan = plan;
    this.checks = preflight(g, t, { kind: o.kind, copyStorage: o.copyStorage, unsafe: o.unsafe, state: this.state() }, plan ?? undefined);
    this.fill();
  }

  private async edit(): Promise<void> {
    const r = await this.app.form(migrateForm(this.domain, this.conn.name, this.targets(), this.values));
    if (!r.submitted) return;
    this.values = { ...this.values, ...r.values };
    this.job = null;
    await this.check();
  }

  private async start(): Promise<void> {
    if (this.conn.readonly) { this.app.setStatus({ kind: 'error', text: `${this.conn.name} is read-only: no migration` }); return; }
    const o = this.options();
    const problem = optionProblem(o, this.state(), this.conn.uri);
    if (problem) { this.app.setStatus({ kind: 'error', text: problem, hint: 'e changes the options' }); return; }
    const fails = this.checks?.filter((c) => c.level === 'fail') ?? [];
    const where = this.targetName();
    const tc0 = this.targetConn();
    const creates = o.kind === 'live' && o.copyStorage ? this.plan?.create ?? [] : [];
    const r = await this.app.ask({
      title: `Migrate ${this.domain} to ${where}`,
      confirmLabel: 'Migrate',
      dangerous: fails.length > 0,
      message: [
        `${this.domain} moves ${o.kind} from ${this.conn.name} to ${where}.`,
        ...(o.undefineSource ? [`Its definition is removed from ${this.conn.name}.`] : [`Its definition stays on ${this.conn.name} too.`]),
        ...(fails.length ? [`${fails.length} pre-flight check${fails.length > 1 ? 's fail' : ' fails'}: libvirt will probably refuse.`] : []),
        ...(creates.length ? [`virtui first creates ${creates.length} volume${creates.length > 1 ? 's' : ''} on ${where} for the copy; it deletes them again if the migration fails or is cancelled.`] : []),
      ],
      pre: [...volumeCommands(tc0?.uri ?? o.dest, creates), migrateCommand(this.conn.uri, o)],
    });
    if (!r.confirmed) return;
    this.error = '';
    const tc = this.targetConn();
    const run = async (args: string[]) => {
      if (!tc) { await virshOnce(o.dest, args, { timeoutMs: 300_000 }); return; }
      const x = await tc.action(args, { timeoutMs: 300_000 });
      if (!x.ok) throw x.error!;
    };
    const { job, done } = startMigration(this.app, this.conn, o, where, tc, creates.length ? { create: creates, run } : undefined);
    this.job = job;
    done.then(
      // a host typed in: opened, so that the guest shows there (the fleet view, :hosts)
      () => { if (!tc) this.app.addConnection(o.dest); },
      (e: unknown) => { this.error = e instanceof VirshError ? e.hint : ''; this.fill(); },
    );
    this.fill();
  }

  private async cancel(): Promise<void> {
    const job = this.job;
    if (!job || job.state !== 'running') return;
    const r = await this.app.ask({
      title: `Cancel the migration of ${this.domain}`, confirmLabel: 'Cancel it', cancelLabel: 'Let it run',
      message: [`domjobabort stops the migration; ${this.domain} keeps running on ${this.conn.name}.`],
    });
    if (!r.confirmed || job.state !== 'running') return;
    try {
      await this.app.jobs.cancel(job);
    } catch (e) {
      this.app.setStatus({ kind: 'error', text: `domjobabort ${this.domain}: ${e instanceof VirshError ? e.line : String(e)}` });
    }
    this.fill();
  }
}
