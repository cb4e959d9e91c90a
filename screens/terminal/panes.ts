// The terminal panes: tabs, the split beside the list, who has the keys, and the pane keys.
import { join } from 'node:path';
import { blessed, esc, strWidth, type KeyEvent } from '../../src/ui/blessed-compat.ts';
import { keyLabel, leaveKeyByte, type KeyAction } from '../../src/ui/keymap.ts';
import { fit } from '../../src/ui/text.ts';
import { theme } from '../../src/ui/theme.ts';
import { safeFileName, stateDir } from '../../src/paths.ts';
import { TerminalView, type TermJob } from './view.ts';
import type { ScreenContext } from '../../src/context.ts';

/** list: the screens have the keys; typing: the program has them; pane: the pane's own keys */
export type PaneFocus = 'list' | 'typing' | 'pane';

/** after a session ends under the user's fingers, even the leave key is ignored this long (ms) */
export const ENDED_GRACE_MS = 1000;

/** What the panes need of the screen context. */
export type PanesHost = Pick<ScreenContext, 'requestRender' | 'prompt' | 'setStatus' | 'log'>;

interface Rect { top: number; left: number; width: number; height: number }

/** The split: the pane beside the list from 120 columns, under it below that. Pure. */
export function splitRects(width: number, height: number): { list: Rect; pane: Rect } {
  if (width >= 120) {
    const lw = Math.max(40, Math.floor(width * 0.45));
    return { list: { top: 0, left: 0, width: lw, height }, pane: { top: 0, left: lw + 1, width: width - lw - 1, height } };
  }
  const lh = Math.max(5, Math.floor(height * 0.4));
  return { list: { top: 0, left: 0, width, height: lh }, pane: { top: lh, left: 0, width, height: height - lh } };
}

export class Panes {
  readonly list: TerminalView[] = [];
  active = 0;
  focus: PaneFocus = 'list';
  /** beside the list (or under it when the terminal is narrow) instead of in place of it */
  split = false;
  readonly area: blessed.Widgets.BoxElement;
  private readonly tabs: blessed.Widgets.BoxElement;
  private readonly statusLine: blessed.Widgets.BoxElement;
  readonly leaveByte: string;
  /** see ENDED_GRACE_MS (tests lengthen it) */
  endedGraceMs = ENDED_GRACE_MS;

  /** `logDir`: where session logs go (default: sessions/ in virtui's state directory) */
  constructor(screen: blessed.Widgets.Screen, private readonly host: PanesHost, readonly leaveKey = 'C-]', private readonly logDir?: string) {
    this.leaveByte = leaveKeyByte(leaveKey) ?? '\x1d';
    this.area = blessed.box({ parent: screen, top: 1, left: 0, width: '100%', height: '100%-3', hidden: true });
    this.tabs = blessed.box({ parent: this.area, top: 0, left: 0, width: '100%', height: 1, tags: true });
    this.statusLine = blessed.box({ parent: this.area, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
  }

  get current(): TerminalView | undefined { return this.list[this.active]; }
  /** the pane covers the list (tabs layout, a pane has the keys) */
  get covering(): boolean { return !this.split && this.focus !== 'list' && !!this.current; }
  get visible(): boolean { return !!this.current && (this.split || this.focus !== 'list'); }

  /** Opens a job in a new pane and gives it the keys; `width` x `height` is the body's size. */
  open(job: TermJob, width: number, height: number): TerminalView {
    // the pane has the keys once open: it covers the body, or takes its side of the split
    const r = this.split ? splitRects(width, height).pane : { width, height };
    const v = new TerminalView(job, r.width, r.height - 2, {
      changed: () => this.host.requestRender(),
      close: (x) => this.remove(x),
      log: (command, ok, message) => this.host.log(command, ok, message),
      // an end nobody was typing into needs no acknowledgement
      ended: (x) => { if (!(this.focus === 'typing' && this.current === x)) x.acked = true; },
    });
    this.list.push(v);
    this.active = this.list.length - 1;
    v.mount(this.area, () => this.focus === 'typing' && this.current === v);
    this.focus = 'typing';
    v.start();
    return v;
  }

  /** The view of this kind already open (one console per domain). */
  find(title: string): TerminalView | undefined {
    return this.list.find((v) => v.title === title);
  }

  show(v: TerminalView, focus: PaneFocus = 'typing'): void {
    const i = this.list.indexOf(v);
    if (i >= 0) this.active = i;
    this.focus = focus;
    v.unseen = false;
    this.host.requestRender();
  }

  private remove(v: TerminalView): void {
    const i = this.list.indexOf(v);
    if (i < 0) return;
    this.list.splice(i, 1);
    if (this.active >= this.list.length) this.active = Math.max(0, this.list.length - 1);
    if (!this.list.length) this.focus = 'list';
    this.host.setStatus({ kind: 'info', text: `${v.title}: pane closed` });
    this.host.requestRender();
  }

  /** Ends every program (virtui quits, crashes or is killed): at once, SIGKILL for what stays. */
  closeAll(): void {
    for (const v of [...this.list]) v.close(true);
  }

  /** Asks every program to end (x on each); resolves when all have, or after the longest grace. */
  endAll(): Promise<void> {
    const ms = Math.max(0, ...this.list.filter((v) => v.pane.running).map((v) => v.grace));
    for (const v of this.list) v.end();
    const t0 = Date.now();
    return new Promise((resolve) => {
      const check = () => (this.list.every((v) => !v.pane.running) || Date.now() - t0 > ms ? resolve() : setTimeout(check, 50));
      check();
    });
  }

  /** A key while the program has the keys: the leave key, else its bytes to the program. */
  typeKey(ch: string | undefined, key: KeyEvent | undefined): void {
    const v = this.current;
    if (!v) { this.focus = 'list'; return; }
    const seq = key?.sequence ?? ch ?? '';
    // blessed reports Enter twice ("enter", then "return"): the first one is typed
    if (key?.name === 'return' || !seq) return;
    if (!v.pane.running && !v.acked) {
      // the session ended under the user's fingers: what they go on typing is dropped, never taken
      // as the pane's commands (x closes, a toggles ...), until the leave key acknowledges the end;
      // a leave key typed within a moment of the end is dropped too
      if (seq === this.leaveByte && Date.now() - (v.endedAt ?? 0) >= this.endedGraceMs) { v.acked = true; this.focus = 'pane'; }
      this.host.requestRender();
      return;
    }
    if (seq === this.leaveByte) { this.focus = 'pane'; this.host.requestRender(); return; }
    v.pane.input(seq);
  }

  /** The current pane ended while typed into, and the user has not acknowledged it yet. */
  get sealed(): boolean {
    const v = this.current;
    return this.focus === 'typing' && !!v && !v.pane.running && !v.acked;
  }

  /** The footer while typing: how to leave, or that the keys go nowhere. */
  typingHint(): string {
    const v = this.current;
    if (!v) return '';
    if (this.sealed) return `${v.title} has ended: what you type is dropped; ${keyLabel(this.leaveKey)} for the pane keys (x closes it)`;
    return `${keyLabel(this.leaveKey)} leaves the pane; every other key goes to ${v.title}`;
  }

  private next(d: number): void {
    if (!this.list.length) return;
    this.active = (this.active + d + this.list.length) % this.list.length;
    this.current!.unseen = false;
  }

  private async search(dir: -1 | 1, again: boolean): Promise<void> {
    const v = this.current;
    if (!v) return;
    let q = v.pane.search?.query ?? '';
    if (!again || !q) {
      const typed = await this.host.prompt('search the pane: ', q);
      if (typed === null) return;
      q = typed;
      if (v.pane.search?.query !== q) v.pane.search = null;
    }
    const s = v.pane.find(q, dir);
    if (s && !s.count) this.host.setStatus({ kind: 'error', text: `not found in the pane: ${q}` });
    this.host.requestRender();
  }

  private toggleLog(): void {
    const v = this.current;
    if (!v) return;
    if (v.pane.logPath) {
      const p = v.pane.logPath;
      v.pane.setLog(null);
      this.host.setStatus({ kind: 'info', text: `logging stopped: ${p}` });
      return;
    }
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    const path = join(this.logDir ?? join(stateDir(), 'sessions'), `${safeFileName(v.job.logName)}-${stamp}.log`);
    try {
      v.pane.setLog(path);
      v.note(`logging this session to ${path}`);
      this.host.setStatus({ kind: 'ok', text: `logging to ${path}` });
    } catch (e) {
      this.host.setStatus({ kind: 'error', text: `cannot log to ${path}: ${(e as Error).message}` });
    }
  }

  /** The keys of the pane's command mode (after the leave key). */
  keys(): KeyAction<void>[] {
    const v = this.current;
    const page = () => Math.max(1, (v?.pane.rows ?? 2) - 1);
    const scroll = (n: () => number) => () => { v?.pane.scroll(n()); };
    return [
      { keys: ['enter', 'i', this.leaveKey], label: 'type', help: 'type into the program again', when: () => !!v?.pane.running, run: () => { this.focus = 'typing'; if (v) v.pane.offset = 0; } },
      { keys: ['escape', 'q'], label: 'list', help: 'back to the list; the session keeps running (the leave key comes back)', run: () => { this.focus = 'list'; } },
      { keys: ['tab'], label: 'next pane', help: 'the next pane', when: () => this.list.length > 1, run: () => this.next(1) },
      { keys: ['S-tab'], label: 'prev pane', help: 'the previous pane', footer: false, when: () => this.list.length > 1, run: () => this.next(-1) },
      ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n): KeyAction<void> => ({ keys: [String(n)], label: `pane ${n}`, footer: false, when: () => this.list.length >= n, run: () => { this.active = n - 1; } })),
      { keys: ['|'], label: this.split ? 'tabs' : 'split', help: 'the pane beside the list (split) or in its place (tabs)', run: () => { this.split = !this.split; } },
      { keys: ['pageup', 'C-b'], label: 'scroll', help: 'scroll back a page (10000 lines are kept)', run: scroll(() => page()) },
      { keys: ['pagedown', 'C-f'], label: 'page down', footer: false, run: scroll(() => -page()) },
      { keys: ['k', 'up'], label: 'line up', footer: false, run: scroll(() => 1) },
      { keys: ['j', 'down'], label: 'line down', footer: false, run: scroll(() => -1) },
      { keys: ['home', 'g'], label: 'oldest', footer: false, run: scroll(() => Infinity) },
      { keys: ['end', 'G'], label: 'newest', footer: false, run: () => { if (v) v.pane.offset = 0; } },
      { keys: ['/'], label: 'search', help: 'search the scrollback (case-insensitive); n older, N newer', run: () => this.search(-1, false) },
      { keys: ['n'], label: 'older match', footer: false, when: () => !!v?.pane.search, run: () => this.search(-1, true) },
      { keys: ['N'], label: 'newer match', footer: false, when: () => !!v?.pane.search, run: () => this.search(1, true) },
      { keys: ['l'], label: v?.pane.logPath ? 'stop log' : 'log', help: 'log this session to a file (the path is shown); again to stop', run: () => this.toggleLog() },
      ...(v?.job.keys?.(v) ?? []),
      { keys: ['x'], label: 'end', help: 'end the session and close the pane', run: () => { v?.end(); } },
    ];
  }

  /** Places the list body and the pane area; the visible pane's terminal follows the size. */
  layout(body: blessed.Widgets.BoxElement, width: number, height: number): void {
    // a program that has ended takes no keys: the pane's own keys (r re-attach, x close) work at
    // once, unless it ended while typed into (then only after the leave key: see typeKey)
    if (this.focus === 'typing' && this.current && !this.current.pane.running && this.current.acked) this.focus = 'pane';
    const h = Math.max(1, height);
    const full = { top: 0, left: 0, width, height: h };
    const put = (el: blessed.Widgets.BoxElement, r: Rect) => {
      el.top = 1 + r.top; el.left = r.left; el.width = Math.max(1, r.width); el.height = Math.max(1, r.height);
    };
    if (!this.visible) {
      this.area.hide();
      body.show();
      put(body, full);
      return;
    }
    this.area.show();
    if (this.covering) {
      body.hide();
      put(this.area, full);
    } else {
      body.show();
      const r = splitRects(width, h);
      put(body, r.list);
      put(this.area, r.pane);
    }
    const aw = (this.area.width as number);
    const ah = (this.area.height as number);
    for (const v of this.list) {
      if (!v.box) continue;
      if (v === this.current) { v.box.show(); v.pane.resize(aw, ah - 2); } else v.box.hide();
    }
    if (this.current) this.current.unseen = false;
  }

  render(width: number): void {
    if (!this.visible) return;
    const aw = Math.max(1, (this.area.width as number) || width);
    const parts = this.list.map((v, i) => {
      const ended = v.pane.running ? '' : ' (ended)';
      const label = ` ${i + 1} ${v.title}${ended}${v.unseen ? ' •' : ''} `;
      const on = i === this.active;
      return { label, on };
    });
    let used = 0;
    let out = '';
    for (const p of parts) {
      const w = strWidth(p.label);
      if (used + w > aw) break;
      out += p.on ? `{${this.focus === 'list' ? theme.key : 'black-fg'}}{${this.focus === 'list' ? 'white-bg' : 'cyan-bg'}}${esc(p.label)}{/}` : `{white-fg}{blue-bg}${esc(p.label)}{/}`;
      out += '{blue-bg}│{/}';
      used += w + 1;
    }
    if (aw > used) out += `{blue-bg}${' '.repeat(aw - used)}{/}`;
    this.tabs.setContent(out);
    const v = this.current!;
    // the footer says how to leave while typing; here, only who has the keys
    const sealed = this.sealed;
    const mode = sealed ? `ENDED · typed keys are dropped · ${keyLabel(this.leaveKey)} for the pane keys`
      : this.focus === 'typing' ? 'TYPING' : this.focus === 'pane' ? (v.pane.running ? 'PANE KEYS · Enter types' : 'PANE KEYS') : `${keyLabel(this.leaveKey)} to type`;
    const bits = [mode, v.job.status?.() ?? ''];
    const s = v.pane.search;
    if (s) bits.push(s.count ? `/${s.query}: ${s.count} match${s.count > 1 ? 'es' : ''}` : `/${s.query}: not found`);
    if (v.pane.offset) bits.push(`↑ ${v.pane.offset}/${v.pane.maxOffset()} lines back`);
    if (v.pane.logPath) bits.push(`log: ${v.pane.logPath}`);
    if (v.exit && !v.job.status?.()) bits.push(`ended (exit ${v.exit.code})`);
    const text = fit(bits.filter(Boolean).join(' │ '), aw).trimEnd();
    this.statusLine.setContent(`{black-fg}{${sealed ? 'yellow-bg' : this.focus === 'typing' ? 'green-bg' : 'cyan-bg'}}${esc(text.padEnd(aw))}{/}`);
  }
}
