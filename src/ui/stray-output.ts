// While the UI owns the terminal, whatever a library prints (console.*, a stray write to stderr)
// lands over the screen, where only a resize repaints it. Meanwhile it goes to a log file instead.
import { fchmodSync, mkdirSync, openSync, closeSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { format } from 'node:util';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
/** a library that floods stops being logged after this much (the first lines say what went wrong) */
const LIMIT = 1 << 20;

/**
 * Sends console.* and process.stderr writes to `file` (created on the first line, mode 600);
 * returns the function that puts them back (before anything is printed for the user at exit).
 */
export function divertStrayOutput(file: string): () => void {
  const savedConsole = Object.fromEntries(METHODS.map((m) => [m, console[m]]));
  const savedStderr = process.stderr.write;
  let fd: number | null = null;
  let size = 0;
  let broken = false;
  const put = (kind: string, text: string) => {
    if (broken || size > LIMIT) return;
    try {
      if (fd === null) {
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
        fd = openSync(file, 'a', 0o600);
        fchmodSync(fd, 0o600);
      }
      const line = `${new Date().toISOString()} ${kind}: ${text.endsWith('\n') ? text : `${text}\n`}`;
      size += Buffer.byteLength(line);
      writeSync(fd, size > LIMIT ? '(more output dropped)\n' : line);
    } catch {
      // a full disk or a read-only home: dropped, never printed
      broken = true;
    }
  };
  for (const m of METHODS) console[m] = (...args: unknown[]) => put(m, format(...args));
  process.stderr.write = ((chunk: string | Uint8Array, enc?: unknown, cb?: unknown) => {
    put('stderr', typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const done = typeof enc === 'function' ? enc : typeof cb === 'function' ? cb : null;
    if (done) queueMicrotask(() => (done as (e?: Error | null) => void)(null));
    return true;
  }) as typeof process.stderr.write;
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    Object.assign(console, savedConsole);
    process.stderr.write = savedStderr;
    if (fd !== null) try { closeSync(fd); } catch { /* closed */ }
    fd = null;
  };
}
