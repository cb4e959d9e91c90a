// The action log: every action the user took, the exact command, and how it ended.
import { EventEmitter } from 'node:events';
import { shellLine } from '../virsh/quote.ts';

export interface LogEntry {
  time: Date;
  /** the command as typed in a shell, with -c URI */
  command: string;
  /** the same without -c URI, for the log's table */
  short: string;
  ok: boolean;
  /** first output line on success, the error line on failure */
  message: string;
  hint: string;
  /** full output or stderr */
  detail: string;
  /** the connection's name, when it ran on a connection */
  host?: string;
  /** a virsh command's arguments (without -c URI), its connection's URI and whether it was read-only */
  args?: readonly string[];
  uri?: string;
  readonly?: boolean;
  /** false: a command that only read (`:dominfo`) */
  changes?: boolean;
}

/**
 * `:log save FILE`: the virsh commands that changed something, in order, as a POSIX shell script
 * that runs them again (each argument quoted for sh); what only read, and what failed (it
 * changed nothing), are left out. Pure.
 */
export function logScript(entries: readonly LogEntry[], now = new Date()): { text: string; count: number } {
  const kept = entries.filter((e) => e.ok && e.args && e.uri !== undefined && e.changes !== false);
  const lines = ['#!/bin/sh', `# virtui: the ${kept.length} virsh command${kept.length === 1 ? '' : 's'} that changed something, as of ${now.toISOString()}`, 'set -e', ''];
  for (const e of kept) {
    // (a host's name is what its `hostname` says: a line break in it must not end the comment)
    // eslint-disable-next-line no-control-regex
    lines.push(`# ${e.time.toISOString()}${e.host ? ` on ${e.host.replace(/[\x00-\x1f\x7f]/g, '?')}` : ''}`);
    lines.push(shellLine(['virsh', ...(e.readonly ? ['-r'] : []), '-c', e.uri!, ...e.args!]));
  }
  return { text: `${lines.join('\n')}\n`, count: kept.length };
}

export class ActionLog extends EventEmitter {
  readonly entries: LogEntry[] = [];
  constructor(private readonly max = 1000) { super(); }

  add(e: Omit<LogEntry, 'time'>): LogEntry {
    const entry = { time: new Date(), ...e };
    this.entries.push(entry);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    this.emit('change', entry);
    return entry;
  }
}
