// Where virtui keeps files of its own: crash logs and the XML backups of every edit.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** $XDG_STATE_HOME/virtui (~/.local/state/virtui) */
export function stateDir(): string {
  return join(process.env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'virtui');
}

/** a file name made of any object name: path separators and control characters become _ */
export function safeFileName(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[/\\\x00-\x1f]/g, '_').replace(/^\.+/, '_').slice(0, 120) || '_';
}
