// The action log: every action the user took, the exact command, and how it ended.
import { EventEmitter } from 'node:events';

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
