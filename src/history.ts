// The `:` line's history: Up and Down step through it, and it is kept across runs in the state
// directory. A line that may hold a password or a secret is never kept (nor written to disk).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** a line that may carry a secret: a password, a passphrase, a secret's value, a URI with user:password@ */
export function holdsSecret(line: string): boolean {
  return /pass(w(or)?d|phrase)|secret-set-value|--base64|set-user-password|token|\/\/[^/\s:@]+:[^/\s@]+@/i.test(line);
}

/** Up/Down over the lines typed before, newest last; the line being typed is kept as a draft. Pure. */
export class History {
  private readonly items: string[];
  /** where Up/Down are: items.length is the draft */
  private at: number;
  private draft = '';

  constructor(items: readonly string[] = [], readonly max = 500) {
    this.items = items.filter((l) => l.trim() && !holdsSecret(l)).slice(-max);
    this.at = this.items.length;
  }

  get entries(): readonly string[] { return this.items; }

  /** a line run: kept once (a repeat moves to the end), unless it is empty or may hold a secret */
  add(line: string): boolean {
    this.at = this.items.length;
    const l = line.trim();
    if (!l || holdsSecret(l)) return false;
    const i = this.items.indexOf(l);
    if (i >= 0) this.items.splice(i, 1);
    this.items.push(l);
    if (this.items.length > this.max) this.items.splice(0, this.items.length - this.max);
    this.at = this.items.length;
    return true;
  }

  /** the line before; `current` is what is typed now (kept to come back to); undefined at the oldest */
  up(current: string): string | undefined {
    if (this.at === 0) return undefined;
    if (this.at === this.items.length) this.draft = current;
    return this.items[--this.at];
  }

  /** the line after, then the draft; undefined past it */
  down(): string | undefined {
    if (this.at >= this.items.length) return undefined;
    this.at++;
    return this.at === this.items.length ? this.draft : this.items[this.at];
  }

  /** a new prompt starts at the draft */
  reset(): void { this.at = this.items.length; this.draft = ''; }
}

/** the lines of the history file; none when it is missing or unreadable */
export function loadHistory(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** writes the history, readable by its owner only; a failure only loses the history */
export function saveHistory(path: string, lines: readonly string[]): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, lines.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  } catch { /* the history is a convenience */ }
}
