// The real program in tmux, driven with ../shared/tui-drive as a person would.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, sharedDir } from '../helpers.ts';

let n = 0;

export interface Tui {
  name: string;
  keys(...k: string[]): void;
  type(text: string): void;
  wait(re: string, seconds?: number): void;
  gone(re: string, seconds?: number): void;
  screen(): string;
  lines(): string[];
  /** a tmux format variable of the pane (alternate_on, mouse_any_flag, cursor_flag ...) */
  pane(format: string): string;
  stop(): void;
}

/** Starts virtui (exactly as `npm start -- ARGS` does) at COLSxROWS; `prefix` runs before node (env, unshare). */
export function startVirtui(size: string, args: string[], prefix: string[] = []): Tui {
  return startProgram(size, [...prefix, process.execPath, join(ROOT, 'src', 'virsh', 'bootstrap.mjs'), 'run', '--', ...args]);
}

/** Any program in tmux at COLSxROWS (another client beside virtui). */
export function startProgram(size: string, cmd: string[]): Tui {
  const tool = join(sharedDir(), 'tui-drive');
  const name = `virtui-e2e-${process.pid}-${++n}`;
  const drive = (...a: string[]) => execFileSync('bash', [tool, ...a], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  drive('start', name, size, '--', ...cmd);
  const t: Tui = {
    name,
    keys: (...k) => { drive('keys', name, ...k); },
    type: (text) => { drive('type', name, text); },
    wait: (re, seconds = 15) => {
      try {
        drive('wait', name, re, String(seconds));
      } catch (e) {
        throw new Error(`screen never matched /${re}/:\n${t.screen()}\n${(e as { stderr?: string }).stderr ?? ''}`);
      }
    },
    gone: (re, seconds = 15) => {
      try {
        drive('gone', name, re, String(seconds));
      } catch {
        throw new Error(`screen still matches /${re}/:\n${t.screen()}`);
      }
    },
    screen: () => drive('screen', name),
    lines: () => t.screen().split('\n'),
    pane: (format) => spawnSync('tmux', ['-L', `tui-drive-${name}`, 'display-message', '-p', '-t', name, format], { encoding: 'utf8' }).stdout.trim(),
    stop: () => { try { drive('stop', name); } catch { /* already gone */ } },
  };
  return t;
}

/** Opens a screen with the `:` line and waits for its text. */
export function command(v: Tui, cmd: string, text: string, seconds = 30): void {
  v.keys(':');
  v.type(cmd);
  v.keys('Enter');
  v.wait(text, seconds);
}

/**
 * Presses `key` until `re` shows, up to `tries` times: a key is dropped on purpose now and then
 * (a key on an object whose last action has not settled is refused, "key not taken"; a
 * pane that has just ended drops what is typed for a moment), and a person presses it again.
 */
export function pressUntil(v: Tui, key: string, re: string, tries = 5, seconds = 5): void {
  for (let i = 1; ; i++) {
    v.keys(key);
    try { v.wait(re, seconds); return; } catch (e) { if (i === tries) throw e; }
  }
}

/** Filters the list to one row (the only one matching `word`). */
export function only(v: Tui, word: string): void {
  v.type(`/${word}`);
  v.keys('Enter');
  v.wait(`/${word}: 1 shown`);
}

/** Asserts the terminal is back to normal: primary screen, no mouse reporting, cursor shown. */
export function restored(t: Tui): { alternate: string; mouse: string; cursor: string } {
  return { alternate: t.pane('#{alternate_on}'), mouse: t.pane('#{mouse_any_flag}'), cursor: t.pane('#{cursor_flag}') };
}

/** The processes whose environment holds `tag` (NAME=VALUE): what started with it, and their children. */
export function tagged(tag: string): Array<{ pid: number; argv: string[] }> {
  const out: Array<{ pid: number; argv: string[] }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/environ`, 'latin1').split('\0').includes(tag)) out.push({ pid: Number(d), argv: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch { /* gone, or not ours */ }
  }
  return out;
}

/** kill -9 of virtui (started with `env TAG`); resolves to what is left of its children after up to 10 s. */
export function killVirtui(v: Tui, tag: string): string[] {
  const node = tagged(tag).filter((p) => p.argv[0] === process.execPath && p.argv.some((a) => a.endsWith('bootstrap.mjs')));
  if (node.length !== 1) throw new Error(`virtui's process: ${JSON.stringify(node)}`);
  process.kill(node[0]!.pid, 'SIGKILL');
  v.wait('\\[exited');
  const end = Date.now() + 10_000;
  while (tagged(tag).length && Date.now() < end) spawnSync('sleep', ['0.1']);
  return tagged(tag).map((p) => p.argv.join(' '));
}
