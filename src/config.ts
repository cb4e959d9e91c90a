// The hosts config file: named hosts (a URI each, optionally read-only), the host made current
// and the refresh interval. Parsing is pure and says the line of whatever is wrong, because an
// operator edits this file by hand; reading it is one small function; mergeHosts decides, purely,
// which connections a run opens from the config, the command line and LIBVIRT_DEFAULT_URI.
//
//   interval: 2                  # seconds, at least 0.5 (-i beats it)
//   current: kvm1                # the current host when neither -c nor LIBVIRT_DEFAULT_URI names one
//   hosts:
//     - name: kvm1               # optional; unique; what `-c kvm1` and the header use
//       uri: qemu+ssh://root@kvm1/system
//       readonly: true           # optional, default false
//     - uri: qemu:///system      # named "qemu:system" (from its URI) when it has no name
//   theme: mono                  # default, 16 or mono (NO_COLOR beats it)
//   keys:                        # an action's name (its label in ?, dashed): the key that does it
//     destroy: K
//   commands:                    # user commands, like k9s plugins
//     - name: ping
//       key: P
//       screens: [domains, fleet]
//       command: ping -c 3 $NAME  # words as a shell splits them, each one argv entry; no shell runs
//       mode: pane               # pane (default) or job
//       confirm: true
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { DEMO_URI } from './demo.ts';
import { uriName } from './libvirt/uri.ts';
import type { Options } from './cli.ts';
import { THEME_NAMES, type ThemeName } from './ui/theme.ts';
import { splitCommandLine } from './virsh/quote.ts';

export interface HostConfig {
  name: string;
  /** the file gave the name (else it was made from the URI) */
  named?: boolean;
  uri: string;
  readonly: boolean;
  /** where the host starts in the file, for messages about it */
  line: number;
}

/** a key remap: the action (its label, dashed) and the key; `line`: where the file says so */
export interface KeyRemap { action: string; key: string; line: number }

/** A user command: a program run on the selected object, like a k9s plugin. */
export interface UserCommand {
  name: string;
  key: string;
  /** the registry names of the screens it is offered on */
  screens: string[];
  /** the program and its arguments; $NAME $URI $HOST $POOL are filled in per argument */
  argv: string[];
  /** in a terminal pane, or as a job whose result goes to the action log */
  mode: 'pane' | 'job';
  confirm: boolean;
  /** it changes nothing: offered on read-only hosts too (otherwise -r and read-only hosts hide it) */
  readonly: boolean;
  line: number;
}

export interface Config {
  /** the file read; null when there was none */
  file: string | null;
  theme?: ThemeName;
  keys?: KeyRemap[];
  commands?: UserCommand[];
  /** refresh tick in ms */
  interval?: number;
  /** the name of the host made current when the command line and the environment name none */
  current?: string;
  hosts: HostConfig[];
}

export const NO_CONFIG: Config = Object.freeze({ file: null, hosts: [] as HostConfig[] }) as Config;

export class ConfigError extends Error {
  constructor(readonly file: string, readonly line: number | undefined, readonly col: number | undefined, readonly reason: string) {
    super(`${file}${line ? `:${line}:${col ?? 1}` : ''}: ${reason}`);
  }
}

const TOP_KEYS = ['interval', 'current', 'hosts', 'theme', 'keys', 'commands'] as const;
const COMMAND_KEYS = ['name', 'key', 'screens', 'command', 'mode', 'confirm', 'readonly'] as const;
/** the screens a user command can be offered on (the registry's names of the lists with a selection) */
export const COMMAND_SCREENS = ['domains', 'fleet', 'networks', 'pools', 'volumes', 'snapshots', 'ifaces'] as const;

/** a key as keyName() names it: one character, C-x, or a named key ("space" is " ") */
export function keyOf(text: string): string | undefined {
  if (text === 'space') return ' ';
  if ([...text].length === 1) return text;
  if (/^C-[a-z\]\\^_]$/.test(text) || /^f([1-9]|1[0-2])$/.test(text)) return text;
  return ['enter', 'escape', 'tab', 'S-tab', 'up', 'down', 'left', 'right', 'pageup', 'pagedown', 'home', 'end', 'delete', 'backspace'].includes(text) ? text : undefined;
}
const HOST_KEYS = ['name', 'uri', 'readonly'] as const;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** $XDG_CONFIG_HOME/virtui/config.yaml, else ~/.config/virtui/config.yaml (a relative XDG path is ignored, as the spec says) */
export function configPath(env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const xdg = env['XDG_CONFIG_HOME'];
  return join(xdg && isAbsolute(xdg) ? xdg : join(home, '.config'), 'virtui', 'config.yaml');
}

/** The config asked for: none with --no-config; a --config file must exist; the default file may be missing. */
export function readConfig(o: Pick<Options, 'config' | 'noConfig'>, env: NodeJS.ProcessEnv = process.env): Config {
  if (o.noConfig) return NO_CONFIG;
  const file = o.config ?? configPath(env);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && o.config === undefined) return NO_CONFIG;
    throw new ConfigError(file, undefined, undefined, `cannot read the config file: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
  return parseConfig(text, file);
}

function shown(v: unknown): string {
  if (isSeq(v)) return 'a list';
  if (isMap(v)) return 'a map';
  const x = isScalar(v) ? v.value : v;
  return x === null || x === undefined ? 'nothing' : JSON.stringify(x);
}

/** The text of a config file -> Config, or a ConfigError naming the file, the line and the column. */
export function parseConfig(text: string, file: string): Config {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const fail = (node: unknown, reason: string): never => {
    const start = (node as { range?: [number, number, number] } | null)?.range?.[0];
    const p = start !== undefined && start >= 0 ? lc.linePos(start) : undefined;
    throw new ConfigError(file, p?.line, p?.col, reason);
  };
  const bad = doc.errors[0];
  if (bad) {
    const p = bad.pos[0] >= 0 ? lc.linePos(bad.pos[0]) : undefined;
    // yaml's own words for this one name an API, not the file
    const why = bad.code === 'MULTIPLE_DOCS' ? 'a second document starts here (one --- at most, at the top)' : bad.message;
    throw new ConfigError(file, p?.line, p?.col, `not valid YAML: ${why}${bad.pos[0] >= text.length ? ' (at the end of the file)' : ''}`);
  }
  const deref = (n: unknown): unknown => {
    if (!isAlias(n)) return n;
    return n.resolve(doc as Document) ?? fail(n, `no anchor &${n.source} before this *${n.source}`);
  };
  /** the pairs of a map, each key checked against the known ones */
  const entries = (map: unknown, known: readonly string[], where: string) => {
    if (!isMap(map)) return fail(map, `${where}: expected a map of ${known.join(', ')}, got ${shown(map)}`);
    return map.items.map((pair) => {
      const key = pair.key;
      const k = isScalar(key) ? key.value : undefined;
      if (typeof k !== 'string' || !known.includes(k)) {
        return fail(key, `unknown key ${shown(key)} in ${where} (known keys: ${known.join(', ')})`);
      }
      return { key: k, keyNode: key, value: deref(pair.value) };
    });
  };
  const text1 = (node: unknown, keyNode: unknown, what: string): string => {
    const v = isScalar(node) ? node.value : undefined;
    if (typeof v !== 'string' || !v.trim()) return fail(node ?? keyNode, `${what}: expected a text, got ${shown(node)}`);
    if (CONTROL.test(v)) return fail(node, `${what}: control characters are not allowed, got ${JSON.stringify(v)}`);
    return v;
  };

  const config: Config = { file, hosts: [] };
  const top = deref(doc.contents);
  if (top === null || (isScalar(top) && top.value === null)) return config;
  let current: { name: string; node: unknown } | undefined;
  const named = new Map<string, HostConfig>();
  const byUri = new Map<string, HostConfig>();
  const unnamed: HostConfig[] = [];
  for (const { key, keyNode, value } of entries(top, TOP_KEYS, 'the config file')) {
    if (key === 'interval') {
      const s = isScalar(value) ? value.value : undefined;
      if (typeof s !== 'number' || !Number.isFinite(s) || s < 0.5) fail(value ?? keyNode, `interval: expected seconds (a number, at least 0.5), got ${shown(value)}`);
      config.interval = Math.round((s as number) * 1000);
    } else if (key === 'current') {
      current = { name: text1(value, keyNode, 'current'), node: value };
    } else if (key === 'theme') {
      const t = text1(value, keyNode, 'theme');
      if (!THEME_NAMES.includes(t as ThemeName)) fail(value, `theme: expected one of ${THEME_NAMES.join(', ')}, got ${shown(value)}`);
      config.theme = t as ThemeName;
    } else if (key === 'keys') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isMap(value)) fail(value ?? keyNode, `keys: expected a map of action names to keys (destroy: K), got ${shown(value)}`);
      config.keys = [];
      for (const pair of (value as { items: Array<{ key: unknown; value: unknown }> }).items) {
        const action = text1(pair.key, pair.key, 'keys');
        const k = text1(deref(pair.value), pair.key, `keys: ${action}`);
        const name = keyOf(k);
        if (name === undefined) fail(pair.value, `keys: ${action}: ${JSON.stringify(k)} is not a key (one character, C-x, f1-f12, space, enter, tab, up ...)`);
        config.keys.push({ action, key: name!, line: lc.linePos((pair.key as { range?: number[] }).range?.[0] ?? 0).line });
      }
    } else if (key === 'commands') {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isSeq(value)) fail(value ?? keyNode, `commands: expected a list of commands (- name: ..., key: ..., command: ...), got ${shown(value)}`);
      config.commands = [];
      for (const raw of (value as { items: unknown[] }).items) {
        const line = lc.linePos((raw as { range?: number[] } | null)?.range?.[0] ?? 0).line;
        const cmd: UserCommand = { name: '', key: '', screens: ['domains'], argv: [], mode: 'pane', confirm: false, readonly: false, line };
        for (const e of entries(deref(raw), COMMAND_KEYS, 'a command')) {
          if (e.key === 'name') cmd.name = text1(e.value, e.keyNode, 'name');
          else if (e.key === 'key') {
            const k = text1(e.value, e.keyNode, 'key');
            cmd.key = keyOf(k) ?? fail(e.value, `key: ${JSON.stringify(k)} is not a key (one character, C-x, f1-f12 ...)`);
          } else if (e.key === 'screens') {
            const list = isSeq(e.value) ? e.value.items.map((i) => deref(i)) : [e.value];
            cmd.screens = list.map((n) => {
              const v = text1(n, e.keyNode, 'screens');
              if (!(COMMAND_SCREENS as readonly string[]).includes(v)) fail(n, `screens: ${JSON.stringify(v)} is not a screen with a selection (${COMMAND_SCREENS.join(', ')})`);
              return v;
            });
          } else if (e.key === 'command') {
            if (isSeq(e.value)) cmd.argv = e.value.items.map((i) => text1(deref(i), e.keyNode, 'command'));
            else {
              const t = text1(e.value, e.keyNode, 'command');
              try { cmd.argv = splitCommandLine(t); } catch (err) { fail(e.value, `command: ${(err as Error).message}`); }
            }
          } else if (e.key === 'mode') {
            const m = text1(e.value, e.keyNode, 'mode');
            if (m !== 'pane' && m !== 'job') fail(e.value, `mode: expected pane or job, got ${shown(e.value)}`);
            cmd.mode = m as 'pane' | 'job';
          } else {
            const b = isScalar(e.value) ? e.value.value : undefined;
            if (typeof b !== 'boolean') fail(e.value ?? e.keyNode, `${e.key}: expected true or false, got ${shown(e.value)}`);
            cmd[e.key as 'confirm' | 'readonly'] = b as boolean;
          }
        }
        if (!cmd.name) fail(raw, 'a command has no name');
        if (!cmd.key) fail(raw, `command ${JSON.stringify(cmd.name)} has no key`);
        if (!cmd.argv.length) fail(raw, `command ${JSON.stringify(cmd.name)} has no command line`);
        config.commands.push(cmd);
      }
    } else {
      if (value === null || (isScalar(value) && value.value === null)) continue;
      if (!isSeq(value)) fail(value, `hosts: expected a list of hosts (- name: ..., uri: ...), got ${shown(value)}`);
      for (const raw of (value as { items: unknown[] }).items) {
        const item = deref(raw);
        const line = lc.linePos((raw as { range?: number[] } | null)?.range?.[0] ?? 0).line;
        const host: HostConfig = { name: '', uri: '', readonly: false, line };
        let nameNode: unknown;
        for (const e of entries(item, HOST_KEYS, 'a host')) {
          if (e.key === 'name') { host.name = text1(e.value, e.keyNode, 'name'); host.named = true; nameNode = e.value; }
          else if (e.key === 'uri') host.uri = text1(e.value, e.keyNode, 'uri');
          else {
            const b = isScalar(e.value) ? e.value.value : undefined;
            if (typeof b !== 'boolean') fail(e.value ?? e.keyNode, `readonly: expected true or false, got ${shown(e.value)}`);
            host.readonly = b as boolean;
          }
        }
        if (!host.uri) fail(raw, `${host.name ? `host ${JSON.stringify(host.name)}` : 'a host'} has no uri`);
        if (host.name) {
          const first = named.get(host.name);
          if (first) fail(nameNode, `two hosts are named ${JSON.stringify(host.name)} (the first at line ${first.line})`);
          named.set(host.name, host);
        } else unnamed.push(host);
        const same = byUri.get(host.uri);
        if (same) fail(raw, `the same uri as the host at line ${same.line}: ${JSON.stringify(host.uri)}`);
        byUri.set(host.uri, host);
        config.hosts.push(host);
      }
    }
  }
  // named ones first, so that a derived name never takes a name the file gives
  const taken = new Set(named.keys());
  for (const h of unnamed) {
    h.name = uniqueName(nameFromUri(h.uri), taken);
    taken.add(h.name);
  }
  if (current) {
    if (!config.hosts.some((h) => h.name === current!.name)) {
      fail(current.node, `current: no host is named ${JSON.stringify(current.name)} (the hosts: ${config.hosts.map((h) => h.name).join(', ') || 'none'})`);
    }
    config.current = current.name;
  }
  return config;
}

/** a short name for a URI: its host, else driver:last-path-part (qemu:///system -> qemu:system) */
export function nameFromUri(uri: string): string {
  return uri === DEMO_URI ? 'demo' : uriName(uri);
}

/** base, else base-2, base-3 ...: a name no other host has (also for a host added by URI while virtui runs) */
export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  let i = 2;
  while (taken.has(`${base}-${i}`)) i++;
  return `${base}-${i}`;
}

export type HostSource = 'cli' | 'env' | 'config' | 'default';

/** one connection to open */
export interface HostChoice {
  name: string;
  /** undefined: libvirt's own default URI (virsh without -c) */
  uri?: string;
  readonly: boolean;
  source: HostSource;
  /** the built-in demo world (--demo) */
  demo: boolean;
  /** the name is the operator's (the config file gave it): shown instead of the host's own */
  named?: boolean;
}

/**
 * The connections a run opens, the current one first:
 * - `--demo`: the demo host only;
 * - each `-c` in order (a configured host's name stands for its URI), else LIBVIRT_DEFAULT_URI,
 *   else the config's `current` host; then the config's other hosts;
 * - nothing at all: libvirt's default URI (source 'default': the caller falls back to the demo
 *   when no daemon answers, as before).
 * One entry per URI; a host the config marks read-only stays read-only; `-r` makes all read-only.
 */
export function mergeHosts(
  config: Config,
  cli: Pick<Options, 'uris' | 'readonly' | 'demo'>,
  env: { LIBVIRT_DEFAULT_URI?: string | undefined } = process.env,
): HostChoice[] {
  if (cli.demo) return [{ name: 'demo', uri: DEMO_URI, readonly: cli.readonly, source: 'cli', demo: true }];
  const byName = new Map(config.hosts.map((h) => [h.name, h]));
  const byUri = new Map(config.hosts.map((h) => [h.uri, h]));
  const taken = new Set(byName.keys());
  const out: HostChoice[] = [];
  const seen = new Set<string>();
  const add = (uri: string, source: HostSource, known: HostConfig | undefined) => {
    const u = known?.uri ?? uri;
    if (seen.has(u)) return;
    seen.add(u);
    let name = known?.name;
    if (!name) {
      name = uniqueName(nameFromUri(u), taken);
      taken.add(name);
    }
    out.push({ name, uri: u, readonly: cli.readonly || !!known?.readonly, source, demo: false, ...(known?.named ? { named: true } : {}) });
  };
  for (const u of cli.uris) add(u, 'cli', byName.get(u) ?? byUri.get(u));
  const envUri = env.LIBVIRT_DEFAULT_URI;
  if (!cli.uris.length && envUri) add(envUri, 'env', byUri.get(envUri));
  const first = !out.length && config.current ? byName.get(config.current) : undefined;
  if (first) add(first.uri, 'config', first);
  for (const h of config.hosts) add(h.uri, 'config', h);
  if (!out.length) out.push({ name: 'default', readonly: cli.readonly, source: 'default', demo: false });
  return out;
}

/** the refresh tick in ms: -i, else the config's interval, else the default */
export function mergeInterval(config: Config, cli: Pick<Options, 'interval' | 'intervalSet'>): number {
  return cli.intervalSet ? cli.interval : config.interval ?? cli.interval;
}
