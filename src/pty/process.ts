// The one place a program runs in a pseudo-terminal (DESIGN rule 4): an argument array, never a
// shell. Its output goes only to the pane's emulator (src/ui/terminal.ts), never to our terminal.
import * as pty from 'node-pty';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PtySpec {
  file: string;
  args: string[];
  /** added to virtui's environment */
  env?: Record<string, string>;
  /** what the program needs, for the "not installed" message */
  pkg?: string;
}

export interface PtyExit { code: number; signal: number }

/** The program's absolute path on PATH, or null. */
export function findProgram(file: string, path = process.env.PATH ?? ''): string | null {
  if (file.includes('/')) return file;
  for (const d of path.split(delimiter)) {
    if (!d) continue;
    try { accessSync(join(d, file), constants.X_OK); return join(d, file); } catch { /* next */ }
  }
  return null;
}

export class PtyProcess {
  private readonly p: pty.IPty;
  exited: PtyExit | null = null;
  /** the pty is closed (the exit is passed on a little later): nothing more can be written */
  private closed = false;

  constructor(spec: PtySpec, cols: number, rows: number, onData: (s: string) => void, onExit: (e: PtyExit) => void) {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, { TERM: 'xterm-256color', COLORTERM: '', LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' }, spec.env);
    // virtui's own terminal is not the program's: tmux and screen variables would mislead it
    for (const k of ['TMUX', 'TMUX_PANE', 'STY', 'WINDOW']) delete env[k];
    this.p = pty.spawn(spec.file, spec.args, { name: 'xterm-256color', cols: Math.max(2, cols), rows: Math.max(2, rows), cwd: process.cwd(), env });
    // node-pty can report the exit before the last output is read: the exit is passed on once
    // the output has been quiet for 100 ms (1 s at most), so "ended" never lands above the output
    let last = Date.now();
    this.p.onData((d) => { last = Date.now(); onData(d); });
    this.p.onExit(({ exitCode, signal }) => {
      this.closed = true;
      dropPendingWrites(this.p);
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

  /** Keys for the program; dropped once the pty has closed (the program is gone, nobody reads them). */
  write(data: string): void {
    if (this.closed || this.exited) return;
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

/**
 * node-pty queues the writes the program has not read yet and retries them until they go; once
 * the pty's descriptor is closed, a retry fails with EBADF and node-pty prints "Unhandled pty
 * write error" with console.error, over the UI. Nobody will read those keys: they are dropped.
 */
function dropPendingWrites(p: pty.IPty): void {
  const ws = (p as unknown as { _writeStream?: { _writeQueue?: unknown[]; dispose?: () => void } })._writeStream;
  if (Array.isArray(ws?._writeQueue)) ws._writeQueue.length = 0;
  try { ws?.dispose?.(); } catch { /* already disposed */ }
}
