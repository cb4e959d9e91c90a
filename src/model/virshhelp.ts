// What `virsh help` says, read once per connection through its session (conn.cache): the command
// names for Tab, and each command's synopsis for the hint line, read when it is first asked for.
import { EventEmitter } from 'node:events';
import { parseHelpCommand, parseHelpList } from '../completion.ts';

/** Events: 'change' when a list or a synopsis arrives. */
export class VirshHelp extends EventEmitter {
  commands: string[] = [];
  private started = false;
  private readonly synopses = new Map<string, string | null>();

  constructor(private readonly run: (args: string[]) => Promise<string>) { super(); }

  /** reads the command list, once (again after a failure) */
  load(): void {
    if (this.started) return;
    this.started = true;
    this.run(['help']).then((out) => { this.commands = parseHelpList(out); this.emit('change'); }, () => { this.started = false; });
  }

  /** `dominfo <domain>  (domain information)`; undefined until read, or for what is not a virsh command */
  synopsis(cmd: string): string | undefined {
    if (!this.commands.includes(cmd)) return undefined;
    if (!this.synopses.has(cmd)) {
      this.synopses.set(cmd, null);
      this.run(['help', cmd]).then((out) => { this.synopses.set(cmd, parseHelpCommand(out) ?? null); this.emit('change'); }, () => this.synopses.delete(cmd));
    }
    return this.synopses.get(cmd) ?? undefined;
  }
}
