// Tab completion and the hint line of the `:` line, pure: the text typed and what is known (the
// screens' aliases, virsh's commands and their synopses from `virsh help`, the host's object
// names) in; the completed text and the choices out. What the command takes at the cursor comes
// from its synopsis (`dominfo <domain>`, `vol-info <vol> [--pool <string>]`) or from the option
// before it (`--network`).
import { shellQuote } from './virsh/quote.ts';

export type ObjectKind = 'domain' | 'network' | 'pool' | 'vol' | 'snapshot';

export interface CompletionSources {
  /** the screens' aliases and the line's own words (q, shell, console ...) */
  screens: readonly string[];
  /** virsh's commands ([] until `virsh help` has been read) */
  commands: readonly string[];
  /** a command's synopsis line (`dominfo <domain>`), when known */
  synopsis(cmd: string): string | undefined;
  /** what a screen alias's argument names (`vol` -> pool), if it takes one */
  screenArg(alias: string): ObjectKind | undefined;
  /** the current host's names of a kind; volumes of `scope.pool`, snapshots of `scope.domain` */
  names(kind: ObjectKind, scope: { pool?: string; domain?: string }): readonly string[];
}

export interface Completion { text: string; cursor: number; options: string[] }

interface Token { start: number; value: string }

/** The words of `text` as a shell reads them, with where each starts; an open quote is tolerated. Pure. */
export function tokens(text: string): Token[] { return scan(text).tokens; }

/** the words, and whether the text ends inside one (no space after it, or an open quote) */
function scan(text: string): { tokens: Token[]; inWord: boolean } {
  const out: Token[] = [];
  let cur: Token | null = null;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (quote === '"' && c === '\\' && i + 1 < text.length) cur!.value += text[++i];
      else cur!.value += c;
      continue;
    }
    if (/\s/.test(c)) { if (cur) { out.push(cur); cur = null; } continue; }
    cur ??= { start: i, value: '' };
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < text.length) cur.value += text[++i];
    else cur.value += c;
  }
  const inWord = !!cur;
  if (cur) out.push(cur);
  return { tokens: out, inWord };
}

const KIND_OF: Record<string, ObjectKind> = { domain: 'domain', network: 'network', pool: 'pool', vol: 'vol', snapshotname: 'snapshot', snapshot: 'snapshot' };

/** The positional arguments of a synopsis, in order: `vol-info <vol> [--pool <string>]` -> ['vol']. Pure. */
export function positionals(synopsis: string): Array<ObjectKind | null> {
  return positionalNames(synopsis).map((n) => KIND_OF[n] ?? null);
}

/** The names of a synopsis's positional arguments (each is also an option: `<domain>` is `--domain`). Pure. */
function positionalNames(synopsis: string): string[] {
  const words = synopsis.trim().split(/\s+/).slice(1);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!.replace(/^\[|\]$/g, '');
    if (w.startsWith('--')) { if (words[i + 1]?.startsWith('<')) i++; continue; }
    const m = /^\[?<([a-z-]+)>\]?$/.exec(words[i]!);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** The options a synopsis names, and whether each takes a value. Pure. */
export function optionsOf(synopsis: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const re = /--([a-z][a-z0-9-]*)\]?(\s+<)?/g;
  for (let m = re.exec(synopsis); m; m = re.exec(synopsis)) out.set(`--${m[1]}`, !!m[2]);
  return out;
}

function commonPrefix(list: readonly string[]): string {
  if (!list.length) return '';
  let p = list[0]!;
  for (const s of list) while (!s.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/** What the word at the cursor can be, and the scope of its names. Pure. */
export function candidates(before: string, src: CompletionSources): { word: Token; list: string[]; named?: { option: string | undefined; names: ReadonlySet<string> } } {
  const { tokens: toks, inWord } = scan(before);
  const word = inWord ? toks.pop()! : { start: before.length, value: '' };
  const uniq = (xs: Iterable<string>) => [...new Set(xs)].sort();
  if (!toks.length) return { word, list: uniq([...src.screens, ...src.commands]) };
  const cmd = toks[0]!.value;
  const syn = src.synopsis(cmd) ?? '';
  const opts = optionsOf(syn);
  const screenKind = src.screenArg(cmd);
  // walk the words before: option values and positionals, in order (`--domain X` fills the
  // <domain> positional, as virsh reads it)
  const scope: { pool?: string; domain?: string } = {};
  const named = screenKind ? [] : positionalNames(syn);
  const kinds = screenKind ? [screenKind] : named.map((n) => KIND_OF[n] ?? null);
  const filled = new Set<number>();
  const nextPos = () => { let p = 0; while (filled.has(p)) p++; return p; };
  let pending: ObjectKind | null | undefined;
  for (let i = 1; i < toks.length; i++) {
    const v = toks[i]!.value;
    if (pending !== undefined) {
      if (pending === 'pool') scope.pool = v;
      if (pending === 'domain') scope.domain = v;
      pending = undefined;
      continue;
    }
    if (v.startsWith('--')) {
      const p = named.indexOf(v.slice(2));
      if (p >= 0) { filled.add(p); pending = kinds[p] ?? null; } else if (opts.get(v)) pending = KIND_OF[v.slice(2)] ?? null;
      continue;
    }
    const p = nextPos();
    filled.add(p);
    const k = kinds[p];
    if (k === 'pool') scope.pool = v;
    if (k === 'domain') scope.domain = v;
  }
  // an option's value is a name whatever it starts with (a pool named `--pool`)
  if (pending !== undefined) return { word, list: pending ? uniq(src.names(pending, scope)) : [] };
  const pos = nextPos();
  const kind = kinds[pos];
  const names = kind ? src.names(kind, scope) : [];
  // the names that start with a dash (`-starts-with-dash`) go after their positional's option
  // (virsh would read `--help` as one); a screen's argument has none
  const dashed = names.filter((n) => n.startsWith('-') && !opts.has(n));
  const option = named[pos] === undefined ? undefined : `--${named[pos]}`;
  const withOption = dashed.length ? { named: { option, names: new Set(dashed) } } : {};
  if (!word.value.startsWith('-')) return { word, list: uniq(names), ...withOption };
  // a dash: the options, and those names
  return { word, list: uniq([...opts.keys(), ...dashed]), ...withOption };
}

/**
 * Tab: the word at the cursor completed as far as every choice agrees; one choice gets its
 * space after it. Names are quoted for the line (`'web 01'`). Pure.
 */
export function complete(text: string, cursor: number, src: CompletionSources): Completion {
  const before = text.slice(0, cursor);
  const after = text.slice(cursor);
  const { word, list, named } = candidates(before, src);
  const options = list.filter((c) => c.startsWith(word.value));
  if (!options.length) return { text, cursor, options };
  const one = options.length === 1;
  const common = one ? options[0]! : commonPrefix(options);
  // nothing to add: the choices are the answer (the hint line lists them)
  if (!one && common.length <= word.value.length) return { text, cursor, options };
  // a name that starts with a dash goes after its option: virsh would read `--help` as one
  const flag = one && named?.option && named.names.has(common) ? `${named.option} ` : '';
  const put = flag + (common === '' ? '' : shellQuote(common)) + (one ? ' ' : '');
  const next = before.slice(0, word.start) + put;
  return { text: next + after.replace(/^ /, one ? '' : ' '), cursor: next.length, options };
}

/** The hint line: the command's synopsis, or a screen's use, or what the line is for. Pure. */
export function hintFor(text: string, src: CompletionSources, screenUse: (alias: string) => string | undefined): string {
  const cmd = tokens(text)[0]?.value;
  if (!cmd) return 'a screen (dom net pool vol snap iface hosts top log ...) or any virsh command; Tab completes, ↑ ↓ the history';
  return screenUse(cmd) ?? src.synopsis(cmd) ?? (src.commands.includes(cmd) ? `${cmd} …` : '');
}

/** `virsh help`: the command names. Pure. */
export function parseHelpList(out: string): string[] {
  const names: string[] = [];
  for (const line of out.split('\n')) {
    const m = /^ {4}(\S+) {2,}\S/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}

/** `virsh help CMD`: "dominfo <domain>  (domain information)". Pure. */
export function parseHelpCommand(out: string): string | undefined {
  const lines = out.split('\n');
  const at = (h: string) => lines.findIndex((l) => l.trim() === h);
  const syn = lines[at('SYNOPSIS') + 1]?.trim();
  const name = lines[at('NAME') + 1]?.trim().replace(/^\S+ - /, '');
  if (at('SYNOPSIS') < 0 || !syn) return undefined;
  return name ? `${syn}  (${name})` : syn;
}
