// The one interface screens and action tables receive (DESIGN "Seams"): the App implements it,
// and no file under screens/ imports the App. Tests give a small fake of it. The modules below
// the screens (the XML edit, the panes, the terminal sessions) take a slice of it (Pick<...>).
import type { Connection, ActionResult, Status } from './model/connection.ts';
import type { View } from './ui/view.ts';
import type { KeyAction } from './ui/keymap.ts';
import type { DialogResult, DialogSpec } from './ui/dialog.ts';
import type { FormResult, FormSpec } from './ui/form.ts';
import type { EDIT_KINDS, NewOutcome } from './xmledit.ts';
import type { FishTarget } from './pty/commands.ts';
import type { Job, JobProgress, JobSpec, Jobs } from './model/jobs.ts';
import type { Domain } from './libvirt/types.ts';

export type EditKind = keyof typeof EDIT_KINDS;

export interface ScreenContext {
  /** the current connection: what a new screen shows, what the header names */
  readonly conn: Connection;
  /** the domain of `conn` selected on the screen on top (the domains list, the fleet): what `:why` and `:stats` without a name are about */
  selectedDomain?(conn: Connection): string | undefined;
  /** every connection, the current one among them, in the order they were opened */
  readonly connections: readonly Connection[];
  /** the refresh tick, ms */
  readonly interval: number;
  /** bumped when the rows' look changes without new data (a connection went stale or came back) */
  readonly epoch: number;
  readonly globalKeys: readonly KeyAction<void>[];
  /** -r was given: every connection opened is read-only */
  readonly readonlyAll: boolean;
  /** the long operations under way and ended, on every host (`:jobs`) */
  readonly jobs: Jobs;

  // --- navigation and drawing
  requestRender(): void;
  push(view: View): void;
  /** a registry screen (`stats`, `snapshots` ...) about `arg`, on `conn` (default: the current one) */
  openScreen(screen: string, arg?: string, conn?: Connection): void;
  /** the status line (of the current connection) */
  setStatus(s: Status): void;
  /** an entry in the current connection's action log (a pane's session log started, failed) */
  log(command: string, ok: boolean, message: string): void;

  // --- questions
  ask(spec: DialogSpec): Promise<DialogResult>;
  form(spec: FormSpec): Promise<FormResult>;
  prompt(text: string, initial?: string, onChange?: (v: string) => void): Promise<string | null>;

  /** runs a key's action on one object, held until its action and the refresh after it are done */
  guarded(target: string | undefined, run: () => void | Promise<void>, conn?: Connection): void | Promise<void>;

  // --- connections
  /** makes `conn` the current one (its domains screen comes up) */
  use(conn: Connection): void;
  /** opens (in the background) a connection to `uri`; an open one with the same URI is returned */
  addConnection(uri: string, readonly?: boolean, name?: string): Connection;
  /** closes a connection that is not the only one (after a question when it has sessions or actions) */
  closeConnection(conn: Connection): Promise<void>;

  // --- terminal sessions, XML editing, files
  openConsole(conn: Connection, domain: string, force?: boolean): Promise<void>;
  openGuestfish(conn: Connection, target: FishTarget, running: boolean, users?: string): Promise<void>;
  openShell(conn: Connection): void;
  /** keys typed while `work` runs wait, and are dropped if it opens a question or form (they never act on the list behind it) */
  holdKeysWhile(work: () => Promise<void>): Promise<void>;
  /** a program (virt-install, virt-clone) in a terminal pane, its output live; `exited`: its exit code and last output (code null: the pane was closed first) */
  openProgram(conn: Connection, title: string, file: string, args: string[]): { exited: Promise<{ code: number | null; out: string }>; close(): void };
  editXml(conn: Connection, kind: EditKind, name: string): Promise<void>;
  defineNew(conn: Connection, kind: EditKind, name: string, xml: string, note?: string[]): Promise<NewOutcome>;
  readFile(path: string): string;
  /** opens the file in the user's editor (virtui suspended); resolves when it exits, with its exit code (void: 0) */
  editFile(path: string): Promise<number | null | void>;
}

/**
 * What an action table needs: the context bound to one connection (the row's own, in the fleet
 * view). Made by `bind(ctx, conn)`, never by hand; the tests give a fake one.
 */
export interface ActionHost {
  readonly: boolean;
  /** the connection's URI: its driver decides what can be done at all */
  uri: string;
  /** the connection's name, as the header and the panes show it */
  readonly name: string;
  ask(spec: DialogSpec): Promise<DialogResult>;
  /** `secret`: a password (or several) among the arguments, masked wherever the command is shown or logged */
  /** `signal` (with `long`): aborting it ends the command's own virsh process (a job's cancel) */
  action(args: string[], opts?: { timeoutMs?: number; long?: boolean; quiet?: boolean; secret?: string | readonly string[]; signal?: AbortSignal }): Promise<ActionResult>;
  /** a read through the session (snapshot list, XML) */
  run(args: string[]): Promise<string>;
  openDetail(name: string): void;
  /** pushes another screen about this object (a pool's volumes, a domain's snapshots) */
  openScreen(screen: string, arg: string): void;
  form(spec: FormSpec): Promise<FormResult>;
  /** the safe XML edit (`e`) */
  editXml(kind: EditKind, name: string): Promise<void>;
  /** a new definition: validated, shown, confirmed, defined ('back': show the form again) */
  defineNew(kind: EditKind, name: string, xml: string, note?: string[]): Promise<NewOutcome>;
  /** reads a local file (define from a file) */
  readFile(path: string): string;
  /** a domain's serial console in a terminal pane */
  openConsole(domain: string): Promise<void>;
  /** guestfish in a terminal pane; `running`: only read-only is offered */
  openGuestfish(target: FishTarget, running: boolean, users?: string): Promise<void>;
  /** keys typed while `work` reads before its form wait, dropped when the form opens (ScreenContext.holdKeysWhile) */
  holdKeysWhile?(work: () => Promise<void>): Promise<void>;
  /** a long operation on this host as a job (`:jobs`): the UI does not wait for it */
  job<T>(spec: Omit<JobSpec, 'host'>, work: (job: Job) => Promise<T>): { job: Job; done: Promise<T> };
  /** a running job's progress, read by the action that started it (the row and `:jobs` follow) */
  report?(job: Job, p: JobProgress): void;
  /** this connection's status line */
  setStatus(s: Status): void;
  /** ScreenContext.editFile */
  editFile(path: string): Promise<number | null | void>;
  /** a domain of this connection as last listed */
  domain(name: string): Domain | undefined;
  refreshDomains(): Promise<void>;
  /** the last lifecycle event of a domain ("Stopped Destroyed") and when it came, ms */
  lastEvent(name: string): { text: string; t: number } | undefined;
  /** calls `cb` after every change of this connection's domains; returns the unsubscribe */
  onDomains(cb: () => void): () => void;
}

/** The context's actions on one connection; `openDetail` is the screen's own. */
export function bind(ctx: ScreenContext, conn: Connection, openDetail: (name: string) => void = () => {}): ActionHost {
  return {
    get readonly() { return conn.readonly; },
    // (a default URI is known only once connected)
    get uri() { return conn.uri; },
    get name() { return conn.name; },
    // with several hosts, a question names the one it is about ("Destroy web-01 on kvm2", "Define
    // pool p on kvm2?"); one about a local file is about no host
    ask: (spec) => ctx.ask(ctx.connections.length > 1 && !spec.local ? { ...spec, title: spec.title.replace(/\??$/, (q) => ` on ${conn.name}${q}`) } : spec),
    action: (args, opts) => conn.action(args, opts),
    run: (args) => conn.run(args),
    openDetail,
    openScreen: (screen, arg) => ctx.openScreen(screen, arg, conn),
    form: (spec) => ctx.form(spec),
    editXml: (kind, name) => ctx.editXml(conn, kind, name),
    defineNew: (kind, name, xml, note) => ctx.defineNew(conn, kind, name, xml, note),
    readFile: (path) => ctx.readFile(path),
    openConsole: (name) => ctx.openConsole(conn, name),
    openGuestfish: (t, running, users) => ctx.openGuestfish(conn, t, running, users),
    holdKeysWhile: (work) => ctx.holdKeysWhile(work),
    job: (spec, work) => ctx.jobs.run({ ...spec, host: conn.name }, work),
    report: (job, p) => ctx.jobs.report(job, p),
    setStatus: (s) => conn.setStatus(s),
    editFile: (path) => ctx.editFile(path),
    domain: (name) => conn.domains.domains.find((d) => d.name === name),
    refreshDomains: () => conn.domains.refresh(),
    lastEvent: (name) => conn.domains.stats.get(name)?.marks.at(-1),
    onDomains: (cb) => { conn.domains.on('change', cb); return () => conn.domains.off('change', cb); },
  };
}
