// The application: the screen, the stack of views, global keys, the command line, dialogs, exit.
import { blessed, createScreen, dropColors, terminalColors, esc, enableMouse, keyName, setText, strWidth, type KeyEvent, type ScreenIO } from './ui/blessed-compat.ts';
import { fit, middleEllipsis, plural, statusText } from './ui/text.ts';
import { applyTheme, chooseTheme, theme, type ThemeName } from './ui/theme.ts';
import { LineInput } from './ui/lineinput.ts';
import { frozenOf } from './model/frozen.ts';
import { DialogState, DialogWidget, type DialogResult, type DialogSpec, type Modal } from './ui/dialog.ts';
import { FormState, type FormResult, type FormSpec } from './ui/form.ts';
import { findAction, footerText, keyLabel, type KeyAction } from './ui/keymap.ts';
import type { View } from './ui/view.ts';
import { shellLine } from './virsh/quote.ts';
import { asOwner, Connection, type Status } from './model/connection.ts';
import { bind, type ScreenContext, type EditKind } from './context.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { homedir } from 'node:os';
import { logScript } from './model/actionlog.ts';
import { NO_CONFIG, type Config, type UserCommand } from './config.ts';
import { applyRemaps, planRemaps } from './ui/remap.ts';
import { commandsFor, fillArgs, uriHost } from './usercmd.ts';
import { runOnce } from './virsh/spawn.ts';
import { KEY_SCREENS, SCREENS, findScreen, screenArgs } from '../screens/index.ts';
import { editXml, defineNew, EDIT_KINDS, type NewOutcome } from './xmledit.ts';
import { stateDir } from './paths.ts';
import { join } from 'node:path';
import { HelpView } from '../screens/help/screen.ts';
import { Panes } from '../screens/terminal/panes.ts';
import { ProgramJob } from '../screens/terminal/jobs.ts';
import { TOOL_PACKAGES } from './libvirt/install.ts';
import { TerminalSessions } from '../screens/terminal/sessions.ts';
import type { TermJob, TerminalView } from '../screens/terminal/view.ts';
import type { FishTarget } from './pty/commands.ts';
import { editorOf, runEditor } from './pty/editor.ts';
import { virshCommandSpec } from './pty/commands.ts';
import { interpret, type CommandRegistry } from './command.ts';
import { OutputView } from '../screens/output/screen.ts';
import { complete, hintFor, type Completion, type CompletionSources } from './completion.ts';
import { History, loadHistory, saveHistory } from './history.ts';
import { VirshHelp } from './model/virshhelp.ts';
import { Jobs, type Job } from './model/jobs.ts';
import { endText, runningWork } from '../screens/jobs/rows.ts';
import { objectNames, preloadNames, screenArgKind, screenUse, screenWords } from '../screens/complete.ts';
import { isTestDriver } from './libvirt/uri.ts';

const FRAME_MS = 16;
/** a question that appears while the user types into a pane ignores keys this long */
const DIALOG_GRACE_MS = 600;

export interface AppOptions {
  /** the current connection at the start */
  conn: Connection;
  /** the other connections (connected in the background) */
  more?: Connection[];
  io?: ScreenIO;
  /** refresh tick, ms */
  interval?: number;
  version?: string;
  /** called once when the user quits (code 0) */
  onExit?: (code: number) => void;
  /** -r: every connection opened later is read-only too */
  readonly?: boolean;
  /** how a connection opened with `:hosts` n is made (default: a plain Connection) */
  newConnection?: (uri: string, readonly: boolean, name?: string) => Connection;
  /** opens a file in an editor (tests give their own; default: $VISUAL, $EDITOR or vi, with virtui suspended) */
  editFile?: (path: string) => Promise<number | null | void>;
  /** the key that leaves a terminal pane (default C-]) */
  leaveKey?: string;
  /** where session logs go (default: the state dir's sessions/) */
  sessionLogDir?: string;
  /** the config file (theme, key remaps, user commands); default: the one readConfig read */
  config?: Config;
  /** the config file's theme (NO_COLOR beats it; default: the config's) */
  theme?: ThemeName;
  /** the environment NO_COLOR is read from (tests give their own) */
  env?: NodeJS.ProcessEnv;
  /** where the `:` line's history is kept (default: the state dir's history; null: not kept) */
  historyFile?: string | null;
}

interface ActiveInput {
  prompt: string;
  line: LineInput;
  onChange?: (v: string) => void;
  resolve: (v: string | null) => void;
  /** the `:` line: Up/Down, Tab and the hint line above it */
  command?: { history: History; sources: CompletionSources; options: string[] };
}

/** an object's action under way, for its keys: what they wait for */
interface Busy {
  text: string;
  /** the action has ended: what is left is the reload it asked for */
  reading: boolean;
  /** the object's row when the action began (rowState) */
  row: string | undefined;
}

/**
 * What a domain's row shows that an action changes (not its moving numbers): when it differs
 * from the row at the action's start, the user sees the action's result. Undefined for other
 * objects (their keys wait for the reload).
 */
function rowState(conn: Connection, object: string): string | undefined {
  if (!object.startsWith('domain:')) return undefined;
  const d = conn.domains.get(object.slice('domain:'.length));
  return d ? [d.id, d.state, d.autostart, d.persistent, d.managedSave, d.vcpus, d.vcpusMax, d.memoryMax].join('|') : 'gone';
}

/** the registry as the `:` interpreter sees it */
const REGISTRY: CommandRegistry = {
  find: (alias) => { const d = findScreen(alias); return d && { name: d.name, title: d.title, arg: d.arg, built: !!d.create, planned: d.planned }; },
  rewrite: screenArgs,
};

export class App implements ScreenContext {
  readonly screen: blessed.Widgets.Screen;
  /** every connection, in the order opened; `current` indexes the one shown */
  readonly connections: Connection[] = [];
  private current: Connection;
  readonly panes: Panes;
  private readonly header: blessed.Widgets.BoxElement;
  private readonly body: blessed.Widgets.BoxElement;
  private readonly statusBox: blessed.Widgets.BoxElement;
  /** above the `:` line while it is typed: the command's synopsis, or what Tab can put there */
  private readonly hintBox: blessed.Widgets.BoxElement;
  private readonly config: Config;
  /** puts back the keys the config remapped (the kinds' tables are shared) */
  private unmap: () => void = () => {};
  /** what the config's keys and commands refused ("config.yaml:7: ..."), shown at the start */
  readonly configErrors: string[] = [];
  /** the theme in use (the config's, monochrome under NO_COLOR, 16 colours where the terminal has no more) */
  readonly themeName: ThemeName;
  /** the `:` line's history, kept across runs (historyFile) */
  readonly history: History;
  private readonly footer: blessed.Widgets.BoxElement;
  private readonly stack: View[] = [];
  /** the registry name of each view opened by `:` (or L), to go back to the first screen instead of stacking it again */
  private readonly screenNames = new WeakMap<View, string>();
  /** the pane whose keys a view was opened from (`?` in a pane): going back returns there */
  private readonly fromPane = new WeakMap<View, TerminalView>();
  /** objects with an action under way ("domain:web-01" -> what it waits for): their keys wait for its result */
  private readonly busy = new Map<string, Busy>();
  /** the connection each pane's session talks to (closing a connection ends them) */
  private readonly paneConn = new WeakMap<TerminalView, Connection>();
  /** when a console, guestfish or a shell may open, and how */
  private readonly sessions = new TerminalSessions(this);
  /** bumped when the rows' look changes without new data (the connection went stale or came back) */
  epoch = 0;
  private input: ActiveInput | null = null;
  /** the modal on top: a question or a form; `finish` resolves its promise once it is done */
  private dialog: { state: Modal; widget: DialogWidget; wide: boolean; finish: () => boolean } | null = null;
  private renderScheduled = false;
  private changePending = false;
  /** keys typed while an answered prompt's or question's outcome is still to run (holdKeys) */
  private held: Array<[string | undefined, KeyEvent | undefined]> | null = null;
  /** questions waiting for the one on screen to be answered */
  private readonly modals: Array<() => void> = [];
  /** what keys wait for besides the next turn: a pane being opened (holdKeys) */
  private readonly holds = new Set<object>();
  private dialogQuietUntil = 0;
  /** how long a question that appears while a pane is typed into ignores keys (tests lengthen it) */
  dialogGraceMs = DIALOG_GRACE_MS;
  /** key actions whose promise has not settled yet */
  private keysRunning = 0;
  private lastRender = 0;
  private timer: NodeJS.Timeout | null = null;
  private exited = false;
  interval: number;
  readonly version: string;
  readonly globalKeys: KeyAction<void>[];
  /** the leave key on the list: back into the panes (in the help; first in the footer while panes are open) */
  private readonly toPanes: KeyAction<void>;
  /** VIRTUI_DEBUG_CRASH=1: `:crash` throws, to test that the terminal is restored and the crash logged */
  debugCrash = false;

  constructor(private readonly opts: AppOptions) {
    this.current = opts.conn;
    this.interval = opts.interval ?? 2000;
    this.version = opts.version ?? '';
    this.screen = createScreen(opts.io);
    this.config = opts.config ?? NO_CONFIG;
    this.themeName = chooseTheme(opts.theme ?? this.config.theme, opts.env ?? process.env, terminalColors(this.screen));
    applyTheme(this.themeName);
    if (this.themeName === 'mono') dropColors(this.screen);
    this.header = blessed.box({ parent: this.screen, top: 0, left: 0, width: '100%', height: 1, tags: true });
    this.body = blessed.box({ parent: this.screen, top: 1, left: 0, width: '100%', height: '100%-3' });
    this.statusBox = blessed.box({ parent: this.screen, bottom: 1, left: 0, width: '100%', height: 1, tags: true });
    this.footer = blessed.box({ parent: this.screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
    this.hintBox = blessed.box({ parent: this.screen, bottom: 2, left: 0, width: '100%', height: 1, tags: true, hidden: true });
    this.history = new History(this.historyFile ? loadHistory(this.historyFile) : []);
    this.panes = new Panes(this.screen, this, opts.leaveKey, opts.sessionLogDir);
    enableMouse(this.screen);
    this.toPanes = { keys: [this.panes.leaveKey], label: 'panes', help: 'back into the terminal pane (the same key leaves it)', footer: false, when: () => this.panes.list.length > 0, run: () => this.panes.show(this.panes.current!) };
    this.globalKeys = this.makeGlobalKeys();
    // a job's end shows on its host's status line, whichever screen is on top
    this.jobs.on('end', (j: Job) => {
      const c = this.connections.find((x) => x.name === j.host) ?? this.conn;
      c.setStatus(j.state === 'failed' ? { kind: 'error', text: endText(j), hint: j.hint } : { kind: j.state === 'ok' ? 'ok' : 'info', text: endText(j) });
    });
    this.applyKeyConfig();

    this.screen.on('keypress', (ch: string | undefined, key: KeyEvent | undefined) => {
      if (this.held) {
        // ^C is never held: it cancels what the keys wait for, and the keys typed meanwhile
        if (keyName(ch, key) !== 'C-c') { this.held.push([ch, key]); return; }
        this.holds.clear();
        this.held = null;
      }
      this.dispatch(ch, key);
    });
    this.screen.on('resize', () => this.renderNow());
    for (const c of [opts.conn, ...(opts.more ?? [])]) this.watch(c);
  }

  /** the current connection */
  get conn(): Connection { return this.current; }

  /** The config's key remaps and user commands' keys: one taken by another action is refused, with its line. */
  private applyKeyConfig(): void {
    const c = this.config;
    if (!c.keys?.length && !c.commands?.length) return;
    const plan = planRemaps(KEY_SCREENS, this.globalKeys as KeyAction<never>[], c.keys ?? [], c.file ?? 'config', (c.commands ?? []).map((u) => ({ name: u.name, key: u.key, line: u.line, screens: u.screens })));
    this.unmap = applyRemaps(plan);
    this.configErrors.push(...plan.errors);
    const bad = new Set(plan.errors.map((e) => /: commands: (.*?): /.exec(e)?.[1]).filter(Boolean));
    this.userCommands = (c.commands ?? []).filter((u) => !bad.has(u.name));
  }

  selectedDomain(conn: Connection): string | undefined {
    const v = this.top;
    if (!v || (v.screen !== 'domains' && v.screen !== 'fleet')) return undefined;
    const s = v.subject?.();
    return s && (!s.conn || s.conn === conn) ? s.name : undefined;
  }

  /** the config's commands whose keys were not refused */
  private userCommands: UserCommand[] = [];

  /** the user commands of the view on top, bound to its selected object */
  private userKeys(v: View | undefined): KeyAction<void>[] {
    const subject = () => v?.subject?.();
    return commandsFor(this.userCommands, v?.screen).map((u) => ({
      keys: [u.key], label: u.name, help: `${u.name}: ${shellLine(u.argv)} (${u.mode === 'job' ? 'a job, its result in the action log' : 'in a terminal pane'}${u.confirm ? ', asks first' : ''})`,
      // a program virtui cannot see into may change anything: read-only hosts offer it only when the config says it changes nothing
      mutates: !u.readonly,
      when: () => !!subject(), run: () => this.runUserCommand(u, subject()!),
    }));
  }

  /** A user command on an object: its placeholders filled in, asked about if it says so, run in a pane or as a job. */
  private async runUserCommand(u: UserCommand, s: { name: string; conn?: Connection; pool?: string }): Promise<void> {
    const conn = s.conn ?? this.conn;
    const filled = fillArgs(u.argv, { NAME: s.name, URI: conn.uri, HOST: uriHost(conn.uri) || conn.hostname || 'localhost', POOL: s.pool });
    if ('missing' in filled) { this.conn.setStatus({ kind: 'error', text: `${u.name}: ${filled.missing} has no value on this screen`, hint: `${this.config.file ?? 'config'}:${u.line}` }); return; }
    if ('option' in filled) { this.conn.setStatus({ kind: 'error', text: `${u.name}: not run: ${u.argv[0]} would read ${filled.option} (${filled.value}) as an option`, hint: `put -- before ${filled.option} in the command (${this.config.file ?? 'config'}:${u.line}) if ${u.argv[0]} takes it` }); return; }
    const argv = filled.argv;
    const line = shellLine(argv);
    if (u.confirm) {
      const r = await this.ask({ title: `${u.name} ${s.name}`, message: [`Run ${line}`, u.mode === 'job' ? 'It runs in the background; its result goes to the action log.' : 'It runs in a terminal pane.'], confirmLabel: 'Run' });
      if (!r.confirmed) return;
    }
    if (u.mode === 'pane') { this.openPane(new ProgramJob(`${u.name} ${s.name}`, { file: argv[0]!, args: argv.slice(1) }), conn); return; }
    conn.setStatus({ kind: 'busy', text: `running: ${line}` });
    const r = await runOnce(argv[0]!, argv.slice(1), { timeoutMs: 600_000 }).catch((e: Error) => ({ stdout: '', stderr: e.message, exitCode: -1 }));
    const ok = r.exitCode === 0;
    const out = `${r.stdout}${r.stderr}`.trim();
    const first = out.split('\n').find((l) => l.trim())?.trim() ?? (ok ? 'ok' : `exit code ${r.exitCode}`);
    conn.log.add({ command: line, short: line, ok, message: first, hint: '', detail: out, host: conn.name });
    conn.setStatus({ kind: ok ? 'ok' : 'error', text: `${u.name} ${s.name}: ${first}` });
  }

  /** `:log save FILE`: the changing virsh commands as a shell script */
  private async saveLog(file: string): Promise<void> {
    const { text, count } = logScript(this.conn.log.entries);
    // ~/ is the home directory, as a shell would read it (no shell reads this line)
    const path = resolvePath(/^~(\/|$)/.test(file) ? join(homedir(), file.slice(1)) : file);
    // a file that is there (a typo, a script of one's own) is not replaced without a word
    if (existsSync(path)) {
      const r = await this.ask({
        title: 'Overwrite the file', confirmLabel: 'Overwrite', dangerous: true,
        message: [`${path} exists: :log save would replace what it holds with the script of ${plural(count, 'virsh command')}.`],
      });
      if (!r.confirmed) { this.conn.setStatus({ kind: 'info', text: `:log save: ${path} not written` }); return; }
    }
    try {
      writeFileSync(path, text, { mode: 0o755 });
      this.conn.setStatus({ kind: 'ok', text: `wrote ${plural(count, 'virsh command')} that changed something to ${path}` });
    } catch (e) {
      this.conn.setStatus({ kind: 'error', text: `:log save: ${(e as Error).message}` });
    }
  }

  get readonlyAll(): boolean { return !!this.opts.readonly; }
  /** the long operations on every host (`:jobs`) */
  readonly jobs = new Jobs();

  /** A connection joins the list: what it loads, its health and its actions' results show. */
  private watch(c: Connection): void {
    if (this.connections.includes(c)) return;
    // one log for every host: what ran before it joined comes along, in time order
    if (this.connections.length && c.log !== this.connections[0]!.log) {
      const log = this.connections[0]!.log;
      for (const e of c.log.entries) log.entries.push(e);
      log.entries.sort((a, b) => a.time.getTime() - b.time.getTime());
      c.log = log;
    }
    this.connections.push(c);
    this.distinctNames();
    c.interval = this.interval;
    c.on('status', (st: Status) => {
      // another host's messages (an action from the fleet view, a connect, a refusal) show here
      // too, named; its refreshes do not: the fleet view and :hosts say when it is down
      if (c !== this.current && st.source !== 'refresh') {
        if (!st.text) return;
        this.current.setStatus({ ...st, text: `${c.name}: ${st.text}`, ...(st.command !== undefined ? { command: `${c.name}: ${st.command}` } : {}) });
        return;
      }
      this.requestRender();
    });
    c.on('render', () => { this.distinctNames(); this.requestRender(); });
    c.on('changed', () => { if (c === this.current) void this.top?.refresh?.(); });
    c.on('health', () => { this.epoch++; this.requestRender(); });
  }

  setStatus(st: Status): void { this.conn.setStatus(st); }

  log(command: string, ok: boolean, message: string): void {
    this.conn.log.add({ command, short: command, ok, message, hint: '', detail: message });
  }

  /**
   * Two connections never show one name (two test worlds on this machine, a host opened read-write
   * and read-only, or by socket and by ssh): the later one is "-2", "-3". A name can change when a
   * host answers for the first time (its host name), so this runs after each change.
   */
  private distinctNames(): void {
    const seen = new Map<string, number>();
    for (const c of this.connections) {
      const n = (seen.get(c.baseName) ?? 0) + 1;
      seen.set(c.baseName, n);
      c.suffix = n > 1 ? `-${n}` : '';
    }
  }

  /** whether a view's keys act on a read-only connection: its own (the fleet: the selected row's), else the current one */
  viewReadonly(v: View | undefined): boolean {
    return v?.readonly ?? v?.conn?.readonly ?? this.conn.readonly;
  }

  readFile(path: string): string { return readFileSync(path, 'utf8'); }

  /** a registry screen on `conn` (the current connection by default) */
  openScreen(screen: string, arg?: string, conn: Connection = this.conn): void {
    const def = findScreen(screen);
    if (def?.create) this.push(def.create(this, conn, arg));
  }

  /** Makes `conn` the current connection: its domains come up, as a new first screen. */
  use(conn: Connection): void {
    if (!this.connections.includes(conn)) this.watch(conn);
    this.current = conn;
    while (this.stack.length) this.stack.pop()!.unmount();
    const def = SCREENS[0]!;
    const v = def.create!(this, conn);
    this.screenNames.set(v, def.name);
    this.push(v);
    this.epoch++;
    conn.setStatus(conn.state === 'connected'
      ? { kind: 'info', text: `now on ${conn.name} (${conn.uri})` }
      : conn.state === 'connecting' ? { kind: 'busy', text: `connecting to ${conn.uri}…` }
        : { kind: 'error', text: `${conn.name} is down: ${conn.connectError || conn.health.reason}`, hint: 'it is retried by itself; :hosts shows every host' });
    this.refresh();
  }

  /** Opens a connection to `uri` in the background (or returns the open one). */
  addConnection(uri: string, readonly = false, name?: string): Connection {
    const open = this.connections.find((c) => c.uri === uri && c.readonly === readonly);
    if (open) return open;
    const c = this.opts.newConnection?.(uri, readonly, name) ?? new Connection({ uri, readonly, demo: false, name });
    this.watch(c);
    c.connectInBackground();
    return c;
  }

  /** Closes a connection (not the last one); what it would lose is asked about first. */
  async closeConnection(conn: Connection): Promise<void> {
    if (this.connections.length <= 1) {
      this.conn.setStatus({ kind: 'error', text: `${conn.name} is the only connection: :q leaves virtui` });
      return;
    }
    const running = conn.runningActions;
    const panes = this.panes.list.filter((v) => v.pane.running && this.paneConn.get(v) === conn);
    const lost = [
      ...(running.length ? [`${plural(running.length, 'action')} not finished: ${running.join(', ')}. virtui stops waiting for them.`] : []),
      ...(panes.length ? [`Its sessions end: ${panes.map((v) => v.title).join(', ')}.`] : []),
      ...(conn.demo && conn.changes ? [`The demo host lives inside virtui: your ${plural(conn.changes, 'change')} to it are lost.`] : []),
    ];
    const r = await this.ask({ title: `Close ${conn.name}`, message: [`Close the connection to ${conn.uri}: its virsh session ends; :hosts n opens it again.`, ...lost], confirmLabel: 'Close', dangerous: lost.length > 0 });
    if (!r.confirmed) return;
    for (const v of panes) v.close();
    const i = this.connections.indexOf(conn);
    this.connections.splice(i, 1);
    this.distinctNames();
    conn.removeAllListeners();
    conn.close();
    if (conn === this.current) {
      this.use(this.connections[Math.min(i, this.connections.length - 1)]!);
    } else {
      // the screens about it go (a detail opened from the fleet view); the way back skips them
      const top = this.top;
      for (let k = this.stack.length - 1; k >= 1; k--) if (this.stack[k]!.conn === conn) this.stack.splice(k, 1);
      if (this.top !== top) { top?.unmount(); this.top!.mount(this.body); this.top!.onShow?.(); }
      this.conn.setStatus({ kind: 'ok', text: `closed ${conn.name}` });
    }
    this.epoch++;
    this.requestRender();
  }

  /**
   * Runs a key's action on one object (`target`, "domain:web-01"): refused while the previous
   * action on it is under way, and until the refresh after it has loaded, so that the next key
   * is judged on the state the action left (five `p` are one suspend, not one suspend and four
   * failures). A domain's row that already shows a new state (an event's reload, begun while the
   * action ran, showed it first) gives the keys back at once: they act on what the row shows.
   */
  guarded(object: string | undefined, run: () => void | Promise<void>, conn: Connection = this.conn): void | Promise<void> {
    if (object === undefined) return run();
    // the same name on two hosts (or on two connections to one host) is two objects
    const target = `${conn.id}|${object}`;
    const held = this.busy.get(target);
    if (held && !(held.reading && held.row !== undefined && rowState(conn, object) !== held.row)) {
      // refused, never queued: a key waiting for another's result could contradict it (p p)
      this.conn.setStatus({ kind: 'info', text: `${object.replace(/^[^:]*:/, '')}: key not taken: ${held.text} (press it again in a moment)` });
      return;
    }
    const mine: Busy = { text: 'the last action is running', reading: false, row: rowState(conn, object) };
    this.busy.set(target, mine);
    const release = () => { if (this.busy.get(target) === mine) this.busy.delete(target); this.requestRender(); };
    let r: void | Promise<void>;
    try {
      r = asOwner(target, run);
    } catch (e) {
      release();
      throw e;
    }
    const cmd = conn.runningFor(target);
    if (cmd) mine.text = `${cmd} is running`;
    void (async () => {
      try { await r; } catch { /* the key handler reports it */ }
      // only this object's actions count: a long job on another never holds it
      await conn.settledFor(target);
      // the action's end started the refreshes ('changed'): the next key is judged on what they
      // load, and on nothing later (the row shows the result once they end)
      mine.text = `reading the state ${cmd ? `after ${cmd}` : 'the last action left'}`;
      mine.reading = true;
      await conn.settled();
    })().finally(release);
    return r;
  }

  /** Shows the first screen, loads it, and starts the refresh tick. */
  start(first = 'domains'): void {
    const def = findScreen(first) ?? SCREENS[0]!;
    const v = def.create!(this, this.conn);
    this.screenNames.set(v, def.name);
    this.push(v);
    // the others connect meanwhile (a remote one takes a second or more over SSH)
    for (const c of this.connections) if (c.state === 'connecting' && c !== this.conn) c.connectInBackground();
    this.refresh();
    this.setTick(this.interval);
    // what the config's keys and commands refused, said once at the start (each with its line)
    const bad = this.configErrors;
    if (bad.length) this.conn.setStatus({ kind: 'error', text: `${bad[0]}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}; not applied`, hint: bad.slice(1).join('; ') });
    this.renderNow();
  }

  /** The refresh tick, changed live by `+` and `-`. */
  setTick(ms: number): void {
    this.interval = ms;
    for (const c of this.connections) c.interval = ms;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.refresh(false), ms);
    this.timer.unref?.();
  }

  private stepTick(dir: number): void {
    const steps = [500, 1000, 2000, 5000, 10_000, 30_000];
    const i = steps.findIndex((s) => s >= this.interval);
    const next = steps[Math.max(0, Math.min(steps.length - 1, (i < 0 ? steps.length - 1 : i) + dir))]!;
    this.setTick(next);
    this.conn.setStatus({ kind: 'info', text: `refreshing every ${next / 1000} s` });
  }

  get top(): View | undefined { return this.stack[this.stack.length - 1]; }

  /** The domains (the header counts them everywhere) and what the screen on top shows. */
  refresh(now = true): void {
    // every host's domains (the fleet view and :hosts count them), each on its own session; ^R
    // tries a host that is down at once only where it is shown: the current one, or all of them
    // on the screens of every host (a switch of host never sends a login to the others)
    const top = this.top && this.screenNames.get(this.top);
    const all = top === 'fleet' || top === 'hosts';
    for (const c of this.connections) c.refresh(c === this.conn ? () => this.top?.refresh?.() : undefined, now && (all || c === this.conn));
  }

  /** A new screen: the last action's message belongs to the old one (the action log keeps it). */
  private clearStatus(): void {
    const s = this.conn.status;
    if (!s.text || s.kind === 'busy' || s.source === 'refresh' || this.conn.health.state !== 'ok') return;
    this.conn.setStatus({ kind: 'info', text: '' });
  }

  push(view: View): void {
    // the first screen keeps what main said (connected, or why this is the demo)
    if (this.stack.length) this.clearStatus();
    // a screen that comes later (a long : command's output) never takes the keys from a pane
    // being typed into: the letters meant for the program would act on the screen
    const typing = this.panes.focus === 'typing' && !!this.panes.current;
    // help or a screen opened from a pane's keys comes back to the pane
    if (this.panes.focus === 'pane' && this.panes.current) this.fromPane.set(view, this.panes.current);
    if (!typing) this.panes.focus = 'list';
    else this.conn.setStatus({ kind: 'info', text: `${view.title} is ready behind the pane: ${keyLabel(this.panes.leaveKey)} then Esc shows it` });
    this.top?.unmount();
    this.stack.push(view);
    view.mount(this.body);
    this.requestRender();
  }

  pop(): void {
    if (this.stack.length <= 1) return;
    this.clearStatus();
    const gone = this.stack.pop()!;
    gone.unmount();
    const t = this.top!;
    t.mount(this.body);
    t.onShow?.();
    const pane = this.fromPane.get(gone);
    if (pane && this.panes.list.includes(pane)) this.panes.show(pane, 'pane');
    this.requestRender();
  }

  /**
   * `:dom`, `:log`, `L` ...: the screen goes on the stack, so Esc and q come back along the way
   * the user came; the first screen's own name goes back to it instead of stacking it again.
   */
  go(name: string, view: () => View, arg?: string): void {
    const root = this.stack[0];
    if (root && arg === undefined && this.screenNames.get(root) === name) {
      this.clearStatus();
      if (this.stack.length > 1) {
        while (this.stack.length > 1) this.stack.pop()!.unmount();
        root.mount(this.body);
      }
      root.onShow?.();
      this.panes.focus = 'list';
      this.requestRender();
      return;
    }
    const v = view();
    this.screenNames.set(v, name);
    this.push(v);
    // a long wander keeps the way back bounded: the oldest steps above the first screen go
    if (this.stack.length > 32) this.stack.splice(1, 1);
  }

  /** Asks a question in a dialog; resolves when the user answers. */
  ask(spec: DialogSpec): Promise<DialogResult> {
    return new Promise((resolve) => {
      const state = new DialogState(spec);
      this.openModal(state, !!spec.pre, () => { if (!state.done) return false; resolve(state.done); return true; });
    });
  }

  /** Shows a form; resolves with its values when submitted or cancelled. */
  form(spec: FormSpec): Promise<FormResult> {
    return new Promise((resolve) => {
      const state = new FormState(spec);
      this.openModal(state, true, () => { if (!state.done) return false; resolve(state.done); return true; });
    });
  }

  /**
   * One question at a time: a second one (a background job's, or one that follows two reads)
   * waits for the first to be answered instead of replacing it.
   */
  private openModal(state: Modal, wide: boolean, finish: () => boolean): void {
    const open = () => {
      this.dialog = { state, widget: new DialogWidget(this.screen, state), wide, finish };
      // keys typed before the question existed never answer it: those held are dropped, and
      // one that comes while the user types into a pane waits a moment before it takes keys
      this.holds.clear();
      this.held = null;
      this.dialogQuietUntil = this.panes.focus === 'typing' ? Date.now() + this.dialogGraceMs : 0;
      if (this.dialogQuietUntil) {
        if (state instanceof DialogState) state.quietUntil = this.dialogQuietUntil;
        setTimeout(() => this.requestRender(), this.dialogGraceMs + 5).unref?.();
      }
      this.renderNow();
    };
    if (this.dialog) this.modals.push(open);
    else open();
  }

  /** A one-line prompt in the status line; null when cancelled. */
  prompt(promptText: string, initial = '', onChange?: (v: string) => void, command?: ActiveInput['command']): Promise<string | null> {
    return new Promise((resolve) => {
      this.input = { prompt: promptText, line: new LineInput(initial), onChange, resolve, command };
      this.renderNow();
    });
  }

  /** Opens `path` in the user's editor with virtui suspended; resolves when the editor exits. */
  editFile(path: string): Promise<number | null | void> {
    if (this.opts.editFile) return this.opts.editFile(path);
    const editor = editorOf();
    return runEditor(this.screen, editor, path).then((code) => {
      this.screen.program.hideCursor();
      if (code === 127) this.conn.setStatus({ kind: 'error', text: `the editor ${JSON.stringify(editor)} did not start`, hint: 'set EDITOR (or VISUAL) to an installed editor' });
      this.renderNow();
      return code;
    });
  }

  /** `e`: the safe XML edit of a domain, network or pool (src/xmledit.ts). */
  async editXml(conn: Connection, kind: EditKind, name: string): Promise<void> {
    await editXml(bind(this, conn), EDIT_KINDS[kind], name);
  }

  /** A new definition from a form or a file: validated, shown, confirmed, defined. */
  defineNew(conn: Connection, kind: EditKind, name: string, xml: string, note: string[] = []): Promise<NewOutcome> {
    return defineNew(bind(this, conn), EDIT_KINDS[kind], name, xml, note);
  }

  // --- terminal panes ---

  /** the connection a pane's session talks to */
  paneConnection(v: TerminalView): Connection | undefined { return this.paneConn.get(v); }

  /** A job in a new pane (sized by the panes to where it will be in the body). */
  openPane(job: TermJob, conn: Connection = this.conn): TerminalView {
    const v = this.panes.open(job, (this.screen.width as number) || 80, ((this.screen.height as number) || 24) - 3);
    this.paneConn.set(v, conn);
    if (this.connections.length > 1) v.where = conn.name;
    this.renderNow();
    return v;
  }

  /**
   * `c`: the domain's serial console in a pane (the open one, when there is one). What is typed
   * while it opens (a read of the domain first) waits, and goes to the console once it is there.
   */
  openConsole(conn: Connection, name: string, force = false): Promise<void> {
    return this.holdKeysWhile(() => this.sessions.openConsole(conn, name, force));
  }

  /** `g`: guestfish on a domain's disks or on a volume; read-only unless it is safe and the user says so. */
  openGuestfish(conn: Connection, target: FishTarget, running: boolean, users = ''): Promise<void> {
    return this.holdKeysWhile(() => this.sessions.openGuestfish(conn, target, running, users));
  }

  /** `!` or `:shell`: an interactive virsh on this connection. */
  openShell(conn: Connection = this.conn): void {
    this.sessions.openShell(conn);
  }

  /** virt-install, virt-clone: a program in a pane; the domains are read again when it ends */
  openProgram(conn: Connection, title: string, file: string, args: string[]): { exited: Promise<{ code: number | null; out: string }>; close(): void } {
    let ended!: (r: { code: number | null; out: string }) => void;
    const exited = new Promise<{ code: number | null; out: string }>((r) => { ended = r; });
    const v = this.openPane(new ProgramJob(title, { file, args, pkg: TOOL_PACKAGES[file] }, (code, out) => { ended({ code, out }); conn.domains.invalidate(); }), conn);
    return { exited, close: () => v.close() };
  }

  /** help for the pane keys */
  private paneKeysView(): View {
    const title = `Pane: ${this.panes.current?.title ?? ''}`;
    return { title, keys: () => this.panes.keys(), mount() {}, unmount() {}, render() {} };
  }

  private makeGlobalKeys(): KeyAction<void>[] {
    return [
      { keys: ['/'], label: 'filter', help: 'filter the list (substring; a leading ! keeps what does not match)', when: () => !!this.top?.filter && this.panes.focus === 'list', run: () => this.startFilter() },
      { keys: [':'], label: 'command', help: ':dom :net :pool :log switch screens; any other text runs in virsh', run: () => this.startCommand() },
      { keys: ['?'], label: 'help', help: 'every key of this screen', run: () => this.push(new HelpView(this, this.panes.focus === 'pane' ? this.paneKeysView() : this.top)) },
      this.toPanes,
      { keys: ['!'], label: 'virsh shell', help: 'an interactive virsh on this connection, in a pane (also :shell)', footer: false, run: () => this.openShell() },
      { keys: ['H'], label: 'hosts', help: 'every host: its state, domains, load and round trip (also :hosts)', footer: false, run: () => this.runCommand('hosts') },
      { keys: ['A'], label: 'all hosts', help: 'the domains of every host in one table (also :dom all)', footer: false, run: () => this.runCommand('fleet') },
      { keys: ['L'], label: 'log', help: 'the action log: every command virtui ran for you', footer: false, run: () => this.runCommand('log') },
      { keys: ['J'], label: 'jobs', help: 'the long operations of every host: progress, outcome, cancel (also :jobs)', footer: false, run: () => this.runCommand('jobs') },
      { keys: ['+'], label: 'faster', help: 'refresh more often (0.5 s at the fastest)', footer: false, run: () => this.stepTick(-1) },
      { keys: ['-'], label: 'slower', help: 'refresh less often (30 s at the slowest)', footer: false, run: () => this.stepTick(1) },
      { keys: ['C-r', 'f5'], label: 'refresh', help: 'refresh now (the list also refreshes every tick)', footer: false, run: () => this.refresh() },
      { keys: ['escape'], label: 'back', help: 'back; on the first screen, clear the filter', footer: false, run: () => this.back() },
      { keys: ['q'], label: 'back', help: 'back to the previous screen', when: () => this.stack.length > 1, run: () => this.pop() },
      { keys: ['q'], label: 'quit', help: 'quit virtui (on the first screen)', when: () => this.stack.length <= 1, run: () => this.quit() },
      { keys: ['C-c'], label: 'quit', help: 'quit virtui', footer: false, run: () => this.quit() },
    ];
  }

  private back(): void {
    if (this.stack.length > 1) this.pop();
    else if (this.top?.filter?.value) { this.top.filter.set(''); this.requestRender(); }
  }

  private async startFilter(): Promise<void> {
    const f = this.top?.filter;
    if (!f) return;
    const v = await this.prompt('/', f.value, (x) => { f.set(x); this.requestRender(); });
    // Enter keeps the filter, Esc clears it
    f.set(v ?? '');
    this.requestRender();
  }

  private get historyFile(): string | null {
    return this.opts.historyFile === undefined ? join(stateDir(), 'history') : this.opts.historyFile;
  }

  /** what Tab completes from on the current connection (virsh's commands are read once, on the first `:`) */
  private completionSources(): CompletionSources {
    const conn = this.conn;
    const help = conn.cache('virsh-help', () => {
      const h = new VirshHelp((args) => conn.run(args));
      h.on('change', () => this.requestRender());
      return h;
    });
    help.load();
    preloadNames(conn);
    return {
      screens: screenWords(),
      get commands() { return help.commands; },
      synopsis: (cmd) => help.synopsis(cmd),
      screenArg: screenArgKind,
      names: (kind, scope) => objectNames(conn, kind, scope),
    };
  }

  private async startCommand(): Promise<void> {
    this.history.reset();
    const v = await this.prompt(':', '', undefined, { history: this.history, sources: this.completionSources(), options: [] });
    if (v === null) return;
    if (this.history.add(v) && this.historyFile) saveHistory(this.historyFile, this.history.entries);
    await this.runCommand(v);
  }

  /** Up, Down and Tab on the `:` line; false: the key is the line editor's */
  private commandKey(inp: ActiveInput, name: string): boolean {
    const cmd = inp.command!;
    const line = inp.line;
    const set = (v: string | undefined, cursor = v?.length) => { if (v === undefined) return; line.value = v; line.cursor = cursor ?? v.length; };
    if (name === 'up') set(cmd.history.up(line.value));
    else if (name === 'down') set(cmd.history.down());
    else if (name === 'tab') {
      const c: Completion = complete(line.value, line.cursor, cmd.sources);
      set(c.text, c.cursor);
      cmd.options = c.options.length > 1 ? c.options : [];
      return true;
    } else return false;
    cmd.options = [];
    return true;
  }

  /** What the `:` line does with `text`. */
  async runCommand(text: string): Promise<void> {
    const p = interpret(text, REGISTRY, this.conn, { debugCrash: this.debugCrash });
    switch (p.kind) {
      case 'nothing': return;
      case 'error': this.conn.setStatus({ kind: 'error', text: p.text, hint: p.hint }); return;
      case 'info': this.conn.setStatus({ kind: 'info', text: p.text }); return;
      case 'quit': this.quit(0, p.force); return;
      case 'crash': throw new Error('crash requested with :crash (VIRTUI_DEBUG_CRASH=1)');
      case 'help': this.push(new HelpView(this, this.top)); return;
      case 'shell': this.openShell(); return;
      case 'console': void this.openConsole(this.conn, p.domain, p.force); return;
      case 'screen': {
        const def = findScreen(p.name)!;
        this.go(def.name, () => def.create!(this, this.conn, p.arg), p.arg);
        return;
      }
      case 'logsave': await this.saveLog(p.file); return;
      case 'pane': this.openPane(new ProgramJob(p.title, virshCommandSpec(this.conn.uri, this.conn.readonly, p.args))); return;
      case 'virsh': break;
    }
    const { args } = p;
    // a password typed on the line (set-user-password, a URI's user:pw@, a secret's value) is
    // masked wherever it is shown or logged
    const secrets = (p.secrets ?? []).filter(Boolean);
    const mask = (s: string) => secrets.reduce((t, x) => t.split(x).join('********'), s);
    const short = mask(shellLine(['virsh', ...args]));
    const r = await this.conn.action(args, {
      quiet: true, changes: p.changes, ...(secrets.length ? { secret: secrets } : {}),
      ...(p.long ? { long: true, timeoutMs: 3_600_000 } : {}),
    });
    if (r.ok && !r.output.trim()) {
      // nothing to read: the status line says so instead of an empty pane
      this.conn.setStatus({ kind: 'ok', text: `${short}: done (no output)` });
      return;
    }
    const body = r.ok ? r.output : [r.error!.line, r.error!.hint ? `hint: ${r.error!.hint}` : '', '', r.error!.stderr].join('\n');
    this.go('output', () => new OutputView(this, mask(`virsh ${text.trim()}`), body.replace(/\n+$/, '').split('\n'), !r.ok), mask(text));
    // (while a pane is typed into, the status line says where the output waits instead)
    if (r.ok && this.panes.focus !== 'typing') this.conn.setStatus({ kind: 'ok', text: `${short}: ${plural(body.replace(/\n+$/, '').split('\n').length, 'line')}` });
  }

  private onKey(name: string): void {
    if (this.exited || !name) return;
    // ^L repaints everything, whatever is open, as in every curses program
    if (name === 'C-l') { this.redraw(); return; }
    if (this.dialog) {
      const d = this.dialog;
      if (Date.now() < this.dialogQuietUntil) return;
      d.state.handle(name);
      if (d.finish()) {
        this.holdKeys();
        d.widget.destroy();
        if (this.dialog === d) this.dialog = null;
        this.modals.shift()?.();
      }
      this.renderNow();
      return;
    }
    if (this.input) {
      const inp = this.input;
      if (inp.command && this.commandKey(inp, name)) { this.requestRender(); return; }
      if (inp.command) inp.command.options = [];
      const r = inp.line.handle(name);
      if (r === 'submit' || r === 'cancel') {
        this.input = null;
        this.holdKeys();
        inp.resolve(r === 'submit' ? inp.line.value : null);
        this.renderNow();
        return;
      }
      if (r === 'change' && inp.onChange) this.inputChanged(inp);
      // a paste arrives as thousands of keys in one turn: one frame for all of them
      this.requestRender();
      return;
    }
    const readonly = this.viewReadonly(this.top);
    const viewKeys = this.panes.focus === 'pane' && this.panes.current ? this.panes.keys() : [...this.userKeys(this.top), ...(this.top?.keys() ?? [])];
    const a = (viewKeys && findAction(viewKeys, name, undefined, readonly)) ?? findAction(this.globalKeys, name, undefined, readonly);
    if (!a) return;
    const r = a.run(undefined);
    if (r instanceof Promise) {
      this.keysRunning++;
      r.catch((e: unknown) => this.crash(e)).finally(() => { this.keysRunning--; this.requestRender(); });
    }
    this.renderNow();
  }

  private dispatch(ch: string | undefined, key: KeyEvent | undefined): void {
    try {
      // a pane that has the keys gets them as they were typed (only the leave key is ours)
      if (this.panes.focus === 'typing' && !this.dialog && !this.input) this.panes.typeKey(ch, key);
      else this.onKey(keyName(ch, key));
    } catch (e) {
      this.crash(e);
    }
  }

  /**
   * After a prompt or a question is answered, what it leads to (`:net` opening the networks, the
   * action after yes) runs once the current burst of keys is parsed: the keys typed after it in
   * the same burst wait for it, so that `:net` Enter D acts on the networks, not on the domain
   * that was selected before.
   */
  private holdKeys(): void {
    this.held ??= [];
    setImmediate(() => this.releaseKeys());
  }

  /**
   * Keys wait while `work` runs (a pane being opened), and then go where it led (the new pane).
   * Held from before it starts: a question it asks at once ends the hold (openModal), so that
   * the question gets the keys.
   */
  holdKeysWhile(work: () => Promise<void>): Promise<void> {
    this.held ??= [];
    const token = {};
    this.holds.add(token);
    const p = work();
    // (its failure is the caller's to report)
    p.finally(() => { this.holds.delete(token); setImmediate(() => this.releaseKeys()); }).catch(() => {});
    return p;
  }

  private releaseKeys(): void {
    if (this.holds.size || !this.held) return;
    const queue = this.held;
    this.held = null;
    while (queue.length) {
      // a key of the queue answered another prompt: the rest waits again, in order
      if (this.held) { (this.held as Array<[string | undefined, KeyEvent | undefined]>).push(...queue); return; }
      const [ch, key] = queue.shift()!;
      this.dispatch(ch, key);
    }
  }

  /** The prompt's onChange once per event-loop turn (a filter over 1000 rows per pasted key would freeze). */
  private inputChanged(inp: ActiveInput): void {
    if (this.changePending) return;
    this.changePending = true;
    setImmediate(() => {
      this.changePending = false;
      if (this.input === inp) inp.onChange?.(inp.line.value);
    });
  }

  /** ^L: blessed forgets what it drew and paints every cell again. */
  redraw(): void {
    this.screen.realloc();
    this.renderNow();
  }

  /** Why the app is not idle (a test that times out prints it). */
  whyBusy(): string {
    return [
      `render ${this.renderScheduled}, change ${this.changePending}, held ${this.held?.length ?? '-'}, keys running ${this.keysRunning}, dialog ${!!this.dialog}, input ${!!this.input}`,
      ...[...this.busy].map(([t, b]) => `busy ${t}: ${b.text}${b.reading ? ' (reading)' : ''}`),
      ...this.connections.map((c) => `${c.name} ${c.state}${c.session.busy ? ' session busy' : ''}; running ${c.runningActions.join(', ') || '-'}\n${c.session.describe()}`),
    ].join('\n');
  }

  /**
   * Nothing to do until the next key or tick: no virsh call, no render pending, no key action
   * running (one waiting for an answer in a dialog or prompt waits for a key). The screen tests
   * wait for this instead of sleeping.
   */
  get idle(): boolean {
    return !this.renderScheduled && !this.changePending && !this.held && !this.connections.some((c) => c.session.busy || c.state === 'connecting')
      && ((this.keysRunning === 0 && this.busy.size === 0) || !!this.dialog || !!this.input);
  }

  /**
   * All renders go through here: at most one per tick, and at most one per frame (16 ms), so a
   * pane whose program pours out output redraws at screen rate, not once per chunk it reads.
   */
  requestRender(): void {
    if (this.renderScheduled || this.exited) return;
    this.renderScheduled = true;
    const wait = this.lastRender + FRAME_MS - performance.now();
    const go = () => { this.renderScheduled = false; this.renderNow(); };
    if (wait > 0) setTimeout(go, wait); else setImmediate(go);
  }

  renderNow(): void {
    if (this.exited) return;
    this.lastRender = performance.now();
    const width = (this.screen.width as number) || 80;
    const height = (this.screen.height as number) || 24;
    this.panes.layout(this.body, width, height - 3);
    this.renderHeader(width);
    if (!this.panes.covering) this.top?.render();
    this.panes.render(width);
    this.renderStatus(width);
    const p = this.panes;
    // with panes open, the way back to them comes first in the list's footer
    const back = p.current ? [{ ...this.toPanes, footer: true }] : [];
    const keys = p.focus === 'pane' && p.current ? [p.keys(), this.globalKeys] : [back, this.userKeys(this.top), ...(this.top ? [this.top.keys()] : []), this.globalKeys];
    // the terminal's last cell is never drawn (writing it would scroll the screen): one column less
    const room = Math.max(1, width - 1);
    const footer = p.focus === 'typing' && p.current
      ? p.typingHint()
      : footerText(keys, undefined, this.viewReadonly(this.top), room);
    setText(this.footer, `{${theme.key}}${esc(fit(footer, room).trimEnd())}{/}`);
    if (this.dialog) { this.dialog.widget.render(width, (this.screen.height as number) || 24, this.dialog.wide); this.dialog.widget.box.setFront(); }
    this.screen.render();
  }

  private renderHeader(width: number): void {
    const h = this.conn;
    const tags = [h.demo ? ['DEMO', theme.demo] : null, h.readonly ? ['READ-ONLY', theme.readonly] : null,
      h.state === 'connecting' ? ['CONNECTING', theme.readonly] : h.state === 'down' ? ['DOWN', theme.readonly] : null,
      h.state === 'connected' && h.health.state !== 'ok' ? [h.migrating && h.health.state === 'slow' ? 'MIGRATING' : 'STALE', theme.readonly] : null].filter((x): x is string[] => !!x);
    const tagText = tags.map(([t, c]) => ` {${c}} ${t} {/}`).join('');
    const tagWidth = tags.reduce((n, [t]) => n + t!.length + 3, 0);
    // the screen and its summary matter most, then the URI (shortened in the middle), then the host name
    // with several hosts, the current one's name always leads: "kvm1 (2/3)"
    const n = this.connections.length;
    // and how many of the others do not answer: the fleet view and :hosts say which and why
    const down = this.connections.filter((c) => c !== h && (c.state === 'down' || c.health.state !== 'ok') && !(c.migrating && c.health.state === 'slow')).length;
    const who = n > 1 ? `${fit(h.name, 20).trimEnd()} (${this.connections.indexOf(h) + 1}/${n}${down ? `, ${down} down` : ''}) ` : '';
    const room = width - 'virtui '.length - tagWidth - 2 - strWidth(who);
    const pane = this.panes.focus !== 'list' ? this.panes.current : undefined;
    // a screen about another host than the current one (opened from the fleet view) names it
    const about = this.top?.conn && this.top.conn !== h ? ` @${this.top.conn.name}` : '';
    const summary = pane ? '' : this.top?.summary?.() ?? '';
    let right = pane ? `${pane.title} | ${this.panes.list.length} pane${this.panes.list.length > 1 ? 's' : ''}` : [`${this.top?.title ?? ''}${about}`, summary].filter(Boolean).join(' | ');
    // (a test-driver world's host name is this machine's: it says nothing)
    if (h.hostname && h.hostname !== h.name && !isTestDriver(h.uri) && strWidth(`${right} | ${h.hostname}`) + strWidth(h.uri) <= room) right += ` | ${h.hostname}`;
    const rightRoom = Math.max(0, room - Math.min(24, strWidth(h.uri)));
    // too long: the title gives up to half the room to a short summary ("running FROZEN"); a long
    // summary (the counts) is cut at its end
    if (summary && strWidth(right) > rightRoom) {
      const title = `${this.top?.title ?? ''}${about}`;
      right = `${fit(title, Math.min(strWidth(title), Math.max(Math.floor(rightRoom / 2), rightRoom - strWidth(summary) - 3))).trimEnd()} | ${summary}`;
    }
    right = fit(right, rightRoom).trimEnd();
    const uri = middleEllipsis(h.uri, Math.max(12, room - strWidth(right) - 1));
    // padded by hand: blessed's {|} miscounts a line with tags and cuts the right part
    const pad = Math.max(1, width - 'virtui '.length - strWidth(who) - strWidth(uri) - tagWidth - strWidth(right) - 1);
    setText(this.header, `{bold}virtui{/bold} ${who ? `{bold}${esc(who)}{/bold}` : ''}${esc(uri)}${tagText}${right ? `${' '.repeat(pad)}${esc(right)} ` : ''}`);
    this.header.style = { ...theme.bar };
  }

  private renderStatus(width: number): void {
    const cmd = this.input?.command;
    const hint = cmd ? (cmd.options.length ? `Tab: ${cmd.options.join('  ')}` : hintFor(this.input!.line.value, cmd.sources, screenUse)) : '';
    if (hint) {
      setText(this.hintBox, `{${theme.dim}}${esc(fit(hint, Math.max(1, width - 1)).trimEnd())}{/}`);
      this.hintBox.show();
      this.hintBox.setFront();
    } else this.hintBox.hide();
    if (this.input) {
      const { prompt, line } = this.input;
      const v = line.value;
      const before = v.slice(0, line.cursor);
      const at = v.slice(line.cursor, line.cursor + 1) || ' ';
      const after = v.slice(line.cursor + 1);
      setText(this.statusBox, `{bold}${esc(prompt)}{/}${esc(before)}{inverse}${esc(at)}{/inverse}${esc(after)}`);
      return;
    }
    const s = this.conn.status;
    const icon = s.kind === 'ok' ? '✓ ' : s.kind === 'error' ? '✗ ' : s.kind === 'busy' ? '… ' : '';
    const color = s.kind === 'ok' ? theme.ok : s.kind === 'error' ? theme.error : s.kind === 'busy' ? theme.busy : theme.fg;
    // cut to the width with the reason first: the command is in the action log, whole
    const text = statusText(s.command !== undefined && s.reason !== undefined
      ? { icon, command: s.command, reason: s.reason, hint: s.hint }
      : { icon, reason: s.text, hint: s.hint }, width);
    setText(this.statusBox, `{${color}}${esc(text).trimEnd()}{/}`);
  }

  /**
   * What quitting would lose, in words: running sessions, actions not finished, the demo's
   * changes (its world lives in this process). Empty: nothing.
   */
  losses(): string[] {
    const out: string[] = [];
    const live = this.panes.list.filter((v) => v.pane.running);
    if (live.length) out.push(`${live.length === 1 ? 'A session still runs' : `${live.length} sessions still run`}: ${live.map((v) => v.title).join(', ')}. Quitting ends ${live.length === 1 ? 'it' : 'them'} (a read-write guestfish loses what it has not written yet).`);
    const several = this.connections.length > 1;
    const jobs = this.jobs.running();
    // a job's own virsh command is named once, as the job
    const running = this.connections.flatMap((c) => c.runningActions.filter((a) => !jobs.some((j) => j.host === c.name && j.command === a)).map((a) => (several ? `${a} (${c.name})` : a)));
    out.push(...runningWork(jobs, running, several));
    // a guest left frozen blocks every write in it until someone thaws it
    const frozen = this.connections.flatMap((c) => frozenOf(c).list.map((n) => (several ? `${n} (${c.name})` : n)));
    if (frozen.length) out.push(`The filesystems of ${frozen.join(', ')} are frozen: every write in ${frozen.length === 1 ? 'it' : 'them'} blocks until thawed (Z on its Agent tab, or virsh domfsthaw).`);
    for (const c of this.connections.filter((x) => x.demo && x.changes > 0)) out.push(`The demo host lives inside virtui: your ${c.changes} change${c.changes === 1 ? '' : 's'} to it ${c.changes === 1 ? 'is' : 'are'} lost.`);
    return out;
  }

  /** Leaves virtui (after a question naming what would be lost, unless `force`); the terminal is restored by destroy(). */
  quit(code = 0, force = false): void {
    if (this.exited) return;
    const lost = force ? [] : this.losses();
    if (!lost.length) { void this.leave(code); return; }
    if (this.dialog) return;
    void this.ask({ title: 'Quit virtui', message: lost, confirmLabel: 'Quit', cancelLabel: 'Stay' })
      .then((r) => { if (r.confirmed) void this.leave(code); });
  }

  private async leave(code: number): Promise<void> {
    const live = this.panes.list.filter((v) => v.pane.running);
    if (live.length) {
      // each program is asked to leave as it would be by hand (guestfish syncs); what stays is killed
      this.conn.setStatus({ kind: 'busy', text: `ending ${live.map((v) => v.title).join(', ')}` });
      this.renderNow();
      await this.panes.endAll();
    }
    this.destroy();
    this.opts.onExit?.(code);
  }

  destroy(): void {
    if (this.exited) return;
    this.exited = true;
    if (this.timer) clearInterval(this.timer);
    this.unmap();
    for (const c of this.connections) c.events?.stop();
    this.panes.closeAll();
    while (this.stack.length) this.stack.pop()!.unmount();
    try { this.screen.destroy(); } catch { /* already gone */ }
  }

  /** An error in a key handler: the terminal is restored first, then main.ts logs it. */
  crash(e: unknown): void {
    this.destroy();
    // main.ts's uncaughtException handler writes the crash log and exits
    setImmediate(() => { throw e; });
  }
}
