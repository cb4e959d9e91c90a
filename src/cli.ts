// argv -> options. Pure.
import { leaveKeyByte } from './ui/keymap.ts';
export interface Options {
  uri?: string;
  readonly: boolean;
  demo: boolean;
  /** refresh tick in ms */
  interval: number;
  help: boolean;
  version: boolean;
  /** the key that leaves a terminal pane */
  paneKey: string;
}

export const USAGE = `Usage: virtui [options]

A full-screen terminal UI for libvirt/KVM hosts.

Options:
  -c, --connect URI   connect to URI (as virsh -c); default: $LIBVIRT_DEFAULT_URI, else
                      libvirt's default, else the built-in demo host
  -r, --readonly      open the connection read-only: nothing can be changed
      --demo          open the built-in demo host (a libvirt test-driver world)
  -i, --interval SEC  refresh every SEC seconds (default 2, at least 0.5)
      --pane-key KEY  the key that leaves a terminal pane (default C-], as virsh console;
                      C-a ... C-z, C-\\, C-], C-^ or C-_); also $VIRTUI_PANE_KEY
  -h, --help          print this help and exit
  -V, --version       print the version and exit

Keys: ? in virtui lists every key of the current screen.`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { readonly: false, demo: false, interval: 2000, help: false, version: false, paneKey: process.env['VIRTUI_PANE_KEY'] || 'C-]' };
  for (let i = 0; i < argv.length; i++) {
    let a = argv[i]!;
    let value: string | undefined;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    if (eq > 0) { value = a.slice(eq + 1); a = a.slice(0, eq); }
    const need = () => {
      if (value !== undefined) return value;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    switch (a) {
      case '-c': case '--connect': o.uri = need(); break;
      case '-r': case '--readonly': o.readonly = true; break;
      case '--demo': o.demo = true; break;
      case '-i': case '--interval': {
        const v = need();
        const s = Number(v);
        if (!Number.isFinite(s) || s < 0.5) throw new UsageError(`--interval: expected seconds (at least 0.5), got ${JSON.stringify(v)}`);
        o.interval = Math.round(s * 1000);
        break;
      }
      case '--pane-key': o.paneKey = need(); break;
      case '-h': case '--help': o.help = true; break;
      case '-V': case '--version': o.version = true; break;
      default:
        if (/^-c./.test(a)) { o.uri = a.slice(2); break; }
        throw new UsageError(`unknown option ${JSON.stringify(a)}`);
    }
  }
  o.paneKey = o.paneKey.replace(/^C-([A-Z])$/, (_, l: string) => `C-${l.toLowerCase()}`);
  if (!leaveKeyByte(o.paneKey)) throw new UsageError(`--pane-key: expected a Ctrl key such as C-] or C-a, got ${JSON.stringify(o.paneKey)}`);
  if (o.demo && o.uri) throw new UsageError('--demo and --connect cannot be used together');
  return o;
}
