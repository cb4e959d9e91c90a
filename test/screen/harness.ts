// The real app on fake terminal streams of a fixed size; keys are bytes written to its input.
import { App } from '../../src/app.ts';
import type { DomainStoreOptions } from '../../src/model/domains.ts';
import { Connection } from '../../src/model/connection.ts';
import { fakeTerminal, screenText } from '../../src/ui/blessed-compat.ts';
import { waitFor } from '../helpers.ts';
import { NO_CONFIG, type Config } from '../../src/config.ts';

export interface Harness {
  app: App;
  conn: Connection;
  text(): string[];
  screen(): string;
  keys(...seq: string[]): Promise<void>;
  /** a key typed while virtui is busy: not waiting for it to be idle (until() waits for what it shows) */
  press(key: string): void;
  resize(cols: number, rows: number): Promise<void>;
  until(re: RegExp, ms?: number): Promise<void>;
  /** resolves once the app is idle (keys() and resize() wait for this themselves) */
  idle(): Promise<void>;
  close(): void;
  /** every byte virtui wrote to its terminal since start */
  written(): string;
}

const KEYS: Record<string, string> = {
  enter: '\r', escape: '\x1b', tab: '\t', up: '\x1b[A', down: '\x1b[B', pagedown: '\x1b[6~', pageup: '\x1b[5~',
  home: '\x1b[1~', end: '\x1b[4~', backspace: '\x7f', 'C-c': '\x03', 'S-tab': '\x1b[Z',
  right: '\x1b[C', left: '\x1b[D', 'C-u': '\x15', 'C-]': '\x1d', 'C-r': '\x12',
};

/** generous: a busy machine is slow, but a key never takes this long */
const IDLE_MS = 30_000;

export async function openApp(uri: string, cols: number, rows: number, opts: { readonly?: boolean; demo?: boolean; editFile?: (path: string) => Promise<void>; stats?: DomainStoreOptions; sessionLogDir?: string; virsh?: string; more?: Array<{ uri: string; name?: string }>; historyFile?: string; config?: Config; env?: NodeJS.ProcessEnv } = {}): Promise<Harness> {
  const { input, output } = fakeTerminal(cols, rows);
  let written = '';
  output.on('data', (d: Buffer) => { written += d.toString('utf8'); });
  const host = new Connection({ uri, readonly: !!opts.readonly, demo: !!opts.demo, name: opts.demo ? 'demo' : undefined, virsh: opts.virsh, stats: opts.stats, events: false });
  await host.connect();
  // other hosts connect in the background once the app starts, as they do in virtui
  const more = (opts.more ?? []).map((m) => new Connection({ uri: m.uri, name: m.name, readonly: !!opts.readonly, demo: false, virsh: opts.virsh, events: false }));
  let exitCode: number | null = null;
  const app = new App({ conn: host, more, io: { input, output }, interval: 60_000, onExit: (c) => { exitCode = c; }, editFile: opts.editFile, sessionLogDir: opts.sessionLogDir, historyFile: opts.historyFile ?? null, config: opts.config ?? NO_CONFIG, env: opts.env ?? {} });
  app.start();
  await app.conn.domains.refresh();
  app.renderNow();
  const settled = () => app.idle && input.readableLength === 0 && input.writableLength === 0 && app.panes.list.every((v) => v.pane.settled);
  /**
   * Until the app has nothing left to do, seen twice a timer apart (a callback queued meanwhile
   * gets its turn). What a pane's program has not written yet cannot be known: wait for it with until().
   */
  const idle = async (when: string) => {
    const end = Date.now() + IDLE_MS;
    for (let seen = 0; seen < 2;) {
      await new Promise((r) => setTimeout(r, 1));
      seen = settled() ? seen + 1 : 0;
      if (seen === 0 && Date.now() > end) {
        throw new Error(`virtui was still busy ${IDLE_MS / 1000} s ${when}; the screen:\n${screenText(app.screen).join('\n')}\nwhy:\n${app.whyBusy()}`);
      }
    }
  };
  const h: Harness = {
    app,
    conn: host,
    text: () => { app.renderNow(); return screenText(app.screen); },
    screen: () => h.text().join('\n'),
    async keys(...seq) {
      for (const k of seq) {
        input.write(KEYS[k] ?? k);
        // blessed parses the bytes, the app handles the key and whatever virsh calls it starts
        await idle(`after the key ${JSON.stringify(k)}`);
      }
    },
    press(k) { input.write(KEYS[k] ?? k); },
    async resize(c, r) {
      output.columns = c;
      output.rows = r;
      output.emit('resize');
      await idle(`after the resize to ${c}x${r}`);
    },
    idle: () => idle('to settle'),
    async until(re, ms = 15_000) {
      await waitFor(() => re.test(h.screen()), ms, () => `${re} on the screen:\n${h.screen()}`);
    },
    written: () => written,
    close() {
      app.destroy();
      for (const c of app.connections) c.close();
      void exitCode;
    },
  };
  await idle('after the start');
  return h;
}
