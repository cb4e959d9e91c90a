// argv -> options. Pure.
import { leaveKeyByte } from './ui/keymap.ts';
export interface Options {
  /** every -c in order: URIs, or names of hosts of the config file (see mergeHosts in config.ts) */
  uris: string[];
  /** the first of uris: what a one-connection caller opens */
  uri?: string;
  readonly: boolean;
  demo: boolean;
  /** refresh tick in ms */
  interval: number;
  /** -i was given: it beats the config file's interval */
  intervalSet: boolean;
  /** --config FILE: this file must exist; without it the default path may be missing */
  config?: string;
  /** --no-config: read no config file at all */
  noConfig: boolean;
  help: boolean;
  version: boolean;
  /** the key that leaves a terminal pane */
  paneKey: string;
}

export const USAGE = `Usage: virtui [options]

A full-screen terminal UI for libvirt/KVM hosts.

Options:
  -c, --connect URI   connect to URI (as virsh -c), or to the config file's
                      host of that name; repeat it to open several hosts (the
                      first is the current one). Without it:
                      $LIBVIRT_DEFAULT_URI; the config file's hosts join
                      either. With none of these: libvirt's default, else the
                      built-in demo host
  -r, --readonly      open every connection read-only: nothing can be changed
      --config FILE   the hosts config file (default
                      $XDG_CONFIG_HOME/virtui/config.yaml, else
                      ~/.config/virtui/config.yaml; a missing default is fine)
      --no-config     read no config file
      --demo          open the built-in demo host only (a test-driver world)
  -i, --interval SEC  refresh every SEC seconds (default 2, or the config
                      file's interval; at least 0.5)
      --pane-key KEY  the key that leaves a terminal pane (default C-], as
                      virsh console; C-a ... C-z, C-\\, C-], C-^ or C-_);
                      also $VIRTUI_PANE_KEY
  -h, --help          print this help and exit
  -V, --version       print the version and exit

Keys: ? in virtui lists every key of the current screen.`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): Options {
  const o: Options = { uris: [], readonly: false, demo: false, interval: 2000, intervalSet: false, noConfig: false, help: false, version: false, paneKey: process.env['VIRTUI_PANE_KEY'] || 'C-]' };
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
      case '-c': case '--connect': {
        const v = need();
        if (!v) throw new UsageError(`${a} needs a URI or a host name`);
        o.uris.push(v);
        break;
      }
      case '-r': case '--readonly': o.readonly = true; break;
      case '--demo': o.demo = true; break;
      case '-i': case '--interval': {
        const v = need();
        const s = Number(v);
        if (!Number.isFinite(s) || s < 0.5) throw new UsageError(`--interval: expected seconds (at least 0.5), got ${JSON.stringify(v)}`);
        o.interval = Math.round(s * 1000);
        o.intervalSet = true;
        break;
      }
      case '--config': {
        const v = need();
        if (!v) throw new UsageError('--config needs a file name');
        o.config = v;
        break;
      }
      case '--no-config': o.noConfig = true; break;
      case '--pane-key': o.paneKey = need(); break;
      case '-h': case '--help': o.help = true; break;
      case '-V': case '--version': o.version = true; break;
      default:
        if (/^-c./.test(a)) { o.uris.push(a.slice(2)); break; }
        throw new UsageError(`unknown option ${JSON.stringify(a)}`);
    }
  }
  o.paneKey = o.paneKey.replace(/^C-([A-Z])$/, (_, l: string) => `C-${l.toLowerCase()}`);
  if (!leaveKeyByte(o.paneKey)) throw new UsageError(`--pane-key: expected a Ctrl key such as C-] or C-a, got ${JSON.stringify(o.paneKey)}`);
  if (o.uris.length) o.uri = o.uris[0];
  if (o.config !== undefined && o.noConfig) throw new UsageError('--config and --no-config cannot be used together');
  if (o.demo && o.uri) throw new UsageError('--demo and --connect cannot be used together');
  return o;
}
