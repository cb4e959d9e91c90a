// The Screen tab of a domain's details: the guest's display as half blocks (`virsh screenshot`,
// refreshed while the tab is on screen and never otherwise), keys sent to it (`virsh send-key`,
// each command shown first), and where its display listens with the `ssh -L` that reaches it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { DomainXmlInfo } from '../../src/libvirt/types.ts';
import { blessed, copyToClipboard, DEFAULT_COLOR, drawRows, esc, terminalColors, type Cell } from '../../src/ui/blessed-compat.ts';
import { theme, themeName } from '../../src/ui/theme.ts';
import { decodeImage, halfBlocks, type ColorMode, type HalfCell, type Image } from '../../src/libvirt/image.ts';
import {
  displayFromXml, GRAPHICS_XML, parseDomdisplay, sendKeyArgs, SPECIAL_KEYS, tunnelCommand, typeText, viewerUri, type Display,
} from '../../src/libvirt/display.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import type { DomainCtx } from './actions.ts';

/** the refresh periods `F` steps through, seconds */
export const RATES = [1, 2, 5, 10];
const HIDDEN_LOOK_MS = 500;

/** The info lines under the picture. Pure. */
export function screenInfoLines(o: {
  name: string; state: string; graphics: boolean; display: Display | null; tunnel: string; readonly: boolean;
  rate: number; paused: boolean; shot: { width: number; height: number; at: number } | null; error: string; busy: boolean;
}): string[] {
  const out: string[] = [];
  if (o.display) out.push(`${o.display.uri} · ${o.tunnel} · y copies`);
  let line: string;
  if (o.readonly) line = 'no picture: libvirt forbids screenshots on a read-only connection (-r)';
  else if (o.state !== 'running' && o.state !== 'paused') line = `${o.name} is ${o.state}: no picture until it runs`;
  else if (o.error) line = `screenshot failed: ${o.error}`;
  else if (o.shot) line = `${o.shot.width}x${o.shot.height} at ${new Date(o.shot.at).toTimeString().slice(0, 8)}`;
  else line = o.busy ? 'taking a screenshot…' : 'no picture yet';
  out.push(o.readonly ? line : `${line} · ${o.paused ? 'paused (space resumes)' : `every ${o.rate} s`}`);
  return out;
}

/** The lines shown instead of a picture for a guest without a graphical display. Pure. */
export function noGraphicsLines(name: string): string[] {
  return [
    `${name} has no graphical display: there is no screen to show, only its serial console (c).`,
    '',
    'These lines in its <devices> add a VNC display and a video card (e edits the XML; the guest needs a shut down and a start):',
    '',
    ...GRAPHICS_XML.map((l) => `    ${l}`),
  ];
}

const cellOf = (c: HalfCell): Cell => [((c.fg < 0 ? DEFAULT_COLOR : c.fg) << 9) | (c.bg < 0 ? DEFAULT_COLOR : c.bg), c.ch];

export class ScreenTab {
  private img: Image | null = null;
  /** the file the picture was decoded from: an unchanged screen (a login prompt) is not decoded and scaled again */
  private bytes: Buffer | null = null;
  private imgSerial = 0;
  private shotAt = 0;
  private cells: { key: string; rows: Cell[][] } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private mounted = false;
  private busy = false;
  private error = '';
  private rate = 2;
  private paused = false;
  private dir = '';
  private serial = 0;
  private display: Display | null = null;
  private imgBox: blessed.Widgets.BoxElement | null = null;
  private infoBox: blessed.Widgets.BoxElement | null = null;
  /** screenshots taken: the tests count them to see that a hidden tab takes none */
  shots = 0;

  constructor(private readonly app: ScreenContext, private readonly conn: Connection, private readonly name: string,
    private readonly xml: () => DomainXmlInfo | null) {}

  private get state(): string { return this.conn.domains.get(this.name)?.state ?? 'shut off'; }
  private get graphics(): boolean | null { const x = this.xml(); return x ? x.graphics.length > 0 : null; }

  mount(parent: blessed.Widgets.BoxElement, top: number): void {
    this.imgBox = blessed.box({ parent, top, left: 0, width: '100%', height: `100%-${top + 2}`, tags: true });
    this.infoBox = blessed.box({ parent, bottom: 0, left: 0, width: '100%', height: 2, tags: true });
    drawRows(this.imgBox, (r, width, height) => (this.img && this.graphics ? this.rowsFor(width, height)[r] ?? null : null));
    this.mounted = true;
    void this.loadDisplay();
    this.tick();
  }

  unmount(): void {
    this.mounted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.imgBox?.destroy();
    this.infoBox?.destroy();
    this.imgBox = this.infoBox = null;
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = '';
  }

  /** the XML or the state changed (the detail read them again) */
  changed(): void {
    void this.loadDisplay();
    if (!this.timer && !this.busy) this.tick();
  }

  private colorMode(): ColorMode {
    if (themeName === 'mono') return 'mono';
    if (themeName === '16' || !this.imgBox || terminalColors(this.imgBox.screen) < 256) return 16;
    return 256;
  }

  private rowsFor(width: number, height: number): Cell[][] {
    const mode = this.colorMode();
    const key = `${this.imgSerial}/${width}/${height}/${mode}`;
    if (this.cells?.key !== key) this.cells = { key, rows: halfBlocks(this.img!, width, height, mode).map((r) => r.map(cellOf)) };
    return this.cells.rows;
  }

  private async loadDisplay(): Promise<void> {
    const g = this.xml()?.graphics[0];
    let d = g ? displayFromXml(g) : null;
    if (this.state === 'running') {
      try {
        d = parseDomdisplay(await this.conn.run(['domdisplay', '--domain', domainArg(this.conn.domains.get(this.name) ?? { name: this.name })])) ?? d;
      } catch { /* the test driver and some hosts have no answer: the XML's port says as much */ }
    }
    this.display = d;
    this.fill();
    this.app.requestRender();
  }

  /** takes a screenshot now (when it can) and schedules the next */
  private tick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.mounted || this.paused || this.busy) return;
    // a terminal pane over the whole screen hides the details without leaving them: no
    // screenshot meanwhile, only a look every half second at whether the picture shows again
    if (!this.imgBox?.visible) { this.timer = setTimeout(() => this.tick(), HIDDEN_LOOK_MS); return; }
    if (this.state !== 'running' && this.state !== 'paused') {
      // the last picture of a guest that stopped is not its screen any more
      this.img = this.bytes = null;
      this.error = '';
    }
    if (this.conn.readonly || this.graphics !== true || (this.state !== 'running' && this.state !== 'paused')) { this.fill(); this.app.requestRender(); return; }
    void this.shoot().finally(() => {
      if (this.mounted && !this.paused) this.timer = setTimeout(() => this.tick(), this.rate * 1000);
    });
  }

  private async shoot(): Promise<void> {
    this.busy = true;
    this.fill();
    // a private directory (mode 700): the file is the guest's screen, which may show secrets
    if (!this.dir) this.dir = mkdtempSync(join(tmpdir(), 'virtui-screen-'));
    const file = join(this.dir, `shot-${++this.serial}`);
    try {
      await this.conn.run(['screenshot', '--domain', domainArg(this.conn.domains.get(this.name) ?? { name: this.name }), '--file', file], 30_000);
      const bytes = readFileSync(file);
      if (!this.bytes || !bytes.equals(this.bytes)) {
        this.img = decodeImage(bytes);
        this.bytes = bytes;
        this.imgSerial++;
      }
      this.shotAt = Date.now();
      this.shots++;
      this.error = '';
    } catch (e) {
      this.error = e instanceof VirshError ? e.line : e instanceof Error ? e.message : String(e);
    } finally {
      rmSync(file, { force: true });
      this.busy = false;
    }
    if (!this.mounted) return;
    this.fill();
    this.app.requestRender();
  }

  private tunnel(): string {
    return this.display ? tunnelCommand(this.conn.uri, this.display, hostname()) : '';
  }

  private fill(): void {
    if (!this.imgBox || !this.infoBox) return;
    const graphics = this.graphics;
    if (graphics === false) this.imgBox.setContent(noGraphicsLines(this.name).map(esc).join('\n'));
    else this.imgBox.setContent(this.img ? '' : esc(graphics === null ? 'loading…' : ''));
    const info = graphics === false ? [] : screenInfoLines({
      name: this.name, state: this.state, graphics: !!graphics, display: this.display, tunnel: this.tunnel(), readonly: this.conn.readonly,
      rate: this.rate, paused: this.paused, shot: this.img ? { width: this.img.width, height: this.img.height, at: this.shotAt } : null, error: this.error, busy: this.busy,
    });
    this.infoBox.setContent(info.map((l, i) => (i === info.length - 1 ? `{${theme.dim}}${esc(l)}{/}` : esc(l))).join('\n'));
  }

  render(): void { this.fill(); }

  /** the tab's keys; `shown` says the tab is on screen */
  keys(shown: () => boolean): KeyAction<DomainCtx>[] {
    const running = () => shown() && this.state === 'running' && this.graphics !== false;
    // a guest without graphics has no picture to take, so no rate to set nor pause
    const pictured = () => shown() && !this.conn.readonly && this.graphics !== false;
    return [
      {
        keys: ['F'], label: 'rate', help: `the Screen tab: how often the picture is taken (${RATES.join('/')} s)`, when: pictured,
        run: () => { this.rate = RATES[(RATES.indexOf(this.rate) + 1) % RATES.length]!; this.paused = false; this.fill(); this.tick(); this.app.requestRender(); },
      },
      {
        keys: [' '], label: 'pause', help: 'the Screen tab: pause / resume the screenshots', when: pictured,
        run: () => { this.paused = !this.paused; this.tick(); this.fill(); this.app.requestRender(); },
      },
      {
        // kept here, not left to the domain's own F (save to a file) and Space: the keys that
        // refresh and pause a picture must not open a form on the one guest that has none
        keys: ['F', ' '], label: 'no picture', footer: false, help: 'the Screen tab of a guest without graphics: F and Space only say there is no picture',
        when: () => shown() && this.graphics === false,
        run: () => this.app.setStatus({ kind: 'info', text: `${this.name} has no graphical display: no picture to refresh or pause` }),
      },
      {
        keys: ['y'], label: 'copy tunnel', help: 'the Screen tab: copy the ssh -L command that tunnels the display (OSC 52; also in the status line)',
        when: () => shown() && !!this.display,
        run: () => {
          const cmd = this.tunnel();
          if (this.imgBox) copyToClipboard(this.imgBox, cmd);
          this.app.setStatus({ kind: 'ok', text: `copied (if the terminal allows OSC 52): ${cmd}   then open ${viewerUri(this.display!)}` });
        },
      },
      { keys: ['i'], label: 'type', help: 'the Screen tab: type a line of text into the guest (send-key, US layout; shown before it is sent)', mutates: true, when: running, run: (c) => this.typeLine(c) },
      { keys: ['K'], label: 'send key', help: 'the Screen tab: send Enter, Ctrl+Alt+Del or Ctrl+Alt+F1..F7 (shown before it is sent)', mutates: true, when: running, run: (c) => this.sendSpecial(c) },
    ];
  }

  private dom() { return this.conn.domains.get(this.name) ?? { name: this.name }; }

  private async typeLine(c: DomainCtx): Promise<void> {
    const text = await this.app.prompt(`type into ${this.name} (US keys): `);
    if (!text) return;
    const typed = typeText(text);
    if (!typed.ok) { this.app.setStatus({ kind: 'error', text: `cannot type that: ${typed.reason}` }); return; }
    const cmds = typed.presses.map((k) => sendKeyArgs(this.dom(), k));
    const r = await c.host.ask({
      title: `Type into ${this.name}`,
      message: [`${cmds.length} key press${cmds.length === 1 ? '' : 'es'}, one virsh send-key each:`],
      pre: cmds.map((a) => shellLine(['virsh', ...a])),
      checkboxes: [{ id: 'enter', label: 'then press Enter', checked: true }],
      confirmLabel: 'Send',
    });
    if (!r.confirmed) return;
    if (r.checked['enter']) cmds.push(sendKeyArgs(this.dom(), ['KEY_ENTER']));
    for (const [i, a] of cmds.entries()) {
      const res = await c.host.action(a, { quiet: i < cmds.length - 1 });
      if (!res.ok) return;
    }
    this.soon();
  }

  private async sendSpecial(c: DomainCtx): Promise<void> {
    const f = await c.host.form({
      title: `Send a key to ${this.name}`,
      fields: [{ id: 'key', label: 'Keys', kind: 'choice', options: SPECIAL_KEYS.map((k) => k.name), note: 'Left/Right choose' }],
      buttons: ['Next'],
    });
    if (!f.submitted) return;
    const k = SPECIAL_KEYS.find((s) => s.name === f.values['key']);
    if (!k) return;
    const args = sendKeyArgs(this.dom(), k.keys);
    const r = await c.host.ask({
      title: `${k.name} to ${this.name}`,
      message: [k.warn ? `${k.name}: ${k.warn}. This command sends it:` : `This command presses ${k.name} in ${this.name}:`],
      pre: [shellLine(['virsh', ...args])],
      confirmLabel: 'Send', dangerous: !!k.warn,
    });
    if (!r.confirmed) return;
    await c.host.action(args);
    this.soon();
  }

  /** a picture soon after keys were sent: what they did */
  private soon(): void {
    if (!this.mounted || this.paused) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), 500);
  }
}
