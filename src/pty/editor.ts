// The user's editor on the whole terminal, with virtui suspended (blessed leaves the alternate
// screen and gives the terminal back while it runs). Tethered: it dies with virtui.
import type { blessed } from '../ui/blessed-compat.ts';
import { tethered } from '../virsh/tether.ts';

/** $VISUAL, else $EDITOR, else vi */
export function editorOf(env: NodeJS.ProcessEnv = process.env): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

/**
 * Runs `editor path` through sh, like git: EDITOR may carry arguments ("code -w"); the path is
 * "$1", never parsed. Resolves with its exit code (128 when a signal ended it, 127 when it did
 * not start).
 */
export function runEditor(screen: blessed.Widgets.Screen, editor: string, path: string): Promise<number> {
  return new Promise((resolve) => {
    const cmd = tethered('sh', ['-c', `${editor} "$1"`, 'virtui-editor', path]);
    const ps = screen.spawn(cmd.file, cmd.args, {});
    let settled = false;
    const done = (code: number) => { if (!settled) { settled = true; resolve(code); } };
    ps.on('error', () => done(127));
    ps.on('exit', (code, signal) => done(signal ? 128 : code ?? 128));
  });
}
