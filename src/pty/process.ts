// The one place a program runs in a pseudo-terminal (DESIGN rule 4): an argument array, never a
// shell. Its output goes only to the pane's emulator (src/ui/terminal.ts), never to our terminal.
import type * as Pty from 'node-pty';
import { createRequire } from 'node:module';
import { write as fsWrite } from 'node:fs';
import { findProgram, tethered } from '../virsh/tether.ts';

// loaded with the first pane, not at start (the first frame opens none)
let ptyModule: typeof Pty | undefined;
const pty = (): typeof Pty => (ptyModule ??= createRequire(import.meta.url)('node-pty') as typeof Pty);

export interface PtySpec {
  file: string;
  args: string[];
  /** added to virtui's environment */
  env?: Record<string, string>;
  /** what the program needs, for the "not installed" message */
  pkg?: string;
}

export interface PtyExit { code: number; signal: number }

export { findProgram };

export class PtyProcess {
  private readonly p: Pty.IPty;
  exited: PtyExit | null = null;

  constructor(spec: PtySpec, cols: number, rows: number, onData: (s: string) => void, onExit: (e: PtyExit) => void) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, { TERM: 'xterm-256color', COLORTERM: '', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' }, spec.env);
    // virtui's own terminal is not the program's: tmux and screen variables would mislead it
    for (const k of ['TMUX', 'TMUX_PANE', 'STY', 'WINDOW']) delete env[k];
    // killed with virtui, even a program that ignores the SIGHUP of a closed pty
    const run = tethered(spec.file, spec.args);
    this.p = pty().spawn(run.file, run.args, { name: 'xterm-256color', cols: Math.max(2, cols), rows: Math.max(2, rows), cwd: process.cwd(), env });
    quietWrites(this.p);
    // node-pty can report the exit before the last output is read: the exit is passed on once
    // the output has been quiet for 100 ms (1 s at most), so "ended" never lands above the output
    let last = Date.now();
    this.p.onData((d) => { last = Date.now(); onData(d); });
    this.p.onExit(({ exitCode, signal }) => {
      const at = Date.now();
      const done = () => {
        const now = Date.now();
        if (now - last < 100 && now - at < 1000) { setTimeout(done, 100 - (now - last)); return; }
        this.exited = { code: exitCode, signal: signal ?? 0 };
        onExit(this.exited);
      };
      setTimeout(done, 100);
    });
  }

  get pid(): number { return this.p.pid; }

  /** Keys for the program; dropped once the pty has closed (the program is gone, nobody reads them: see PtyWriter). */
  write(data: string): void {
    if (this.exited) return;
    try { this.p.write(data); } catch { /* it closed meanwhile */ }
  }

  resize(cols: number, rows: number): void {
    if (this.exited) return;
    try { this.p.resize(Math.max(2, cols), Math.max(2, rows)); } catch { /* it ended meanwhile */ }
  }

  /** SIGHUP, like closing a terminal window; SIGKILL if it is still there after 2 s, or at once (`now`) */
  kill(now = false): void {
    if (this.exited) return;
    try { this.p.kill('SIGHUP'); } catch { /* gone */ }
    if (now) { try { this.p.kill('SIGKILL'); } catch { /* gone */ } return; }
    const t = setTimeout(() => { if (!this.exited) try { this.p.kill('SIGKILL'); } catch { /* gone */ } }, 2000);
    t.unref?.();
  }
}

interface NodePtyInternals {
  _writeStream?: { write(data: string | Buffer): void; dispose(): void };
  _socket?: NodeJS.EventEmitter;
  fd?: number;
}

/**
 * Replaces node-pty's writer (an internal: `_writeStream`, with write() and dispose()). Its own
 * retries the keys a program has not read yet in a setImmediate loop, a busy CPU, and once the
 * pty's descriptor is closed prints "Unhandled pty write error" with console.error, over the UI.
 * This one waits a little between tries and drops what is left, quietly, the moment the pty closes.
 */
class PtyWriter {
  private queue: Buffer[] = [];
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private dead = false;

  constructor(private readonly fd: number) {}

  write(data: string | Buffer): void {
    if (this.dead) return;
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (!b.length) return;
    this.queue.push(b);
    if (!this.busy && !this.timer) this.pump();
  }

  private pump(): void {
    this.timer = null;
    const b = this.queue[0];
    if (this.dead || !b) return;
    this.busy = true;
    fsWrite(this.fd, b, 0, b.length, null, (err, n) => {
      this.busy = false;
      if (this.dead) return;
      if (err) {
        // EAGAIN: the program has not read the last keys yet; anything else: the pty is gone
        if (err.code === 'EAGAIN') this.timer = setTimeout(() => this.pump(), 5);
        else this.dispose();
        return;
      }
      if (n < b.length) this.queue[0] = b.subarray(n);
      else this.queue.shift();
      this.pump();
    });
  }

  dispose(): void {
    this.dead = true;
    this.queue = [];
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

function quietWrites(p: Pty.IPty): void {
  const i = p as unknown as NodePtyInternals;
  if (!i._writeStream || typeof i.fd !== 'number') return;
  i._writeStream.dispose();
  const w = new PtyWriter(i.fd);
  i._writeStream = w;
  // node-pty closes the descriptor when a read fails (EIO: the program's side is closed) and
  // says so with 'error' a tick later, before any other write could start
  i._socket?.on('error', () => w.dispose());
  i._socket?.on('close', () => w.dispose());
}
