// The `:` line as a pure interpreter: the text typed, the registry and the current connection
// in; what to do out. The App carries the plan out; the tests read it.
import { splitCommandLine } from './virsh/quote.ts';
import { changesHost, planFor } from './virsh/verbs.ts';
import { holdsSecret } from './history.ts';
import { isTestDriver } from './libvirt/uri.ts';

/** What the interpreter needs of the registry (screens/index.ts). */
export interface CommandRegistry {
  find(alias: string): { name: string; title: string; arg?: string; built: boolean; planned?: string } | undefined;
  /** `:dom all` -> `fleet` */
  rewrite(args: readonly string[]): readonly string[];
}

/** What it needs of the current connection. */
export interface CommandHost { demo: boolean; uri: string }

export type CommandPlan =
  | { kind: 'nothing' }
  | { kind: 'error'; text: string; hint?: string }
  | { kind: 'info'; text: string }
  | { kind: 'quit'; force: boolean }
  | { kind: 'help' }
  | { kind: 'shell' }
  | { kind: 'crash' }
  | { kind: 'console'; domain: string; force: boolean }
  | { kind: 'screen'; name: string; arg?: string }
  /** `:log save FILE`: the changing commands of the action log as a shell script */
  | { kind: 'logsave'; file: string }
  /** a virsh command that streams or waits: an interactive virsh in a pane */
  | { kind: 'pane'; title: string; args: string[] }
  /** a virsh command through the session (`long`: a process of its own) */
  | { kind: 'virsh'; args: string[]; long: boolean; changes: boolean; secrets?: string[] };

/** virsh commands that read the terminal or replace the connection: not through the shared session */
const NOT_IN_SESSION: Record<string, string> = {
  edit: 'use `e` on the domain: validated, shown as a diff, backed up, then defined',
  'net-edit': 'XML editing opens an editor', 'pool-edit': 'XML editing opens an editor',
  'snapshot-edit': 'XML editing opens an editor', 'iface-edit': 'XML editing opens an editor',
  'nwfilter-edit': 'XML editing opens an editor', 'nwfilter-binding-edit': 'XML editing opens an editor',
  'secret-edit': 'XML editing opens an editor', 'save-image-edit': 'XML editing opens an editor',
  'checkpoint-edit': 'XML editing opens an editor',
  connect: 'virtui keeps one session per host: open another with :hosts, n',
  quit: 'use :q to leave virtui', exit: 'use :q to leave virtui', cd: 'not useful here',
};

export function interpret(text: string, reg: CommandRegistry, host: CommandHost, o: { debugCrash?: boolean } = {}): CommandPlan {
  let args: string[];
  try {
    args = splitCommandLine(text.trim());
  } catch (e) {
    return { kind: 'error', text: `:${text}: ${(e as Error).message}` };
  }
  if (args.length === 0) return { kind: 'nothing' };
  const [cmd] = args as [string];
  if (args.length === 1 && ['q', 'quit', 'exit'].includes(cmd)) return { kind: 'quit', force: false };
  if (args.length === 1 && cmd === 'q!') return { kind: 'quit', force: true };
  if (o.debugCrash && cmd === 'crash') return { kind: 'crash' };
  if (args.length === 1 && cmd === '?') return { kind: 'help' };
  if (args.length === 1 && cmd === 'shell') return { kind: 'shell' };
  // "virsh" typed out of habit: alone it is the interactive virsh (as :shell), before a command that command
  if (cmd === 'virsh') {
    if (args.length === 1) return { kind: 'shell' };
    const rest = text.trim().replace(/^virsh\s+/, '');
    if (rest !== text.trim() && !args[1]!.startsWith('-')) return interpret(rest, reg, host, o);
  }
  if (cmd === 'console') {
    // never through the session: a console needs a terminal of its own, which a pane gives it
    const domain = args.slice(1).filter((x) => x !== '--force' && x !== '--').at(-1);
    return domain ? { kind: 'console', domain, force: args.includes('--force') }
      : { kind: 'error', text: ':console needs a domain name', hint: 'or press c on a running domain' };
  }
  if (cmd === 'log' && args[1] === 'save') {
    return args.length === 3 ? { kind: 'logsave', file: args[2]! } : { kind: 'error', text: ':log save needs one file name', hint: 'the virsh commands that changed something are written there as a shell script' };
  }
  const sargs = reg.rewrite(args);
  const found = reg.find(sargs[0]!);
  const def = sargs.length === 1 || (sargs.length === 2 && found?.arg) ? found : undefined;
  if (def) {
    return def.built ? { kind: 'screen', name: def.name, ...(sargs[1] !== undefined ? { arg: sargs[1] } : {}) }
      : { kind: 'info', text: `${def.title}: this screen is not built yet (${def.planned ?? 'planned'})` };
  }
  if (NOT_IN_SESSION[cmd]) return { kind: 'error', text: `virsh ${cmd} cannot run here: ${NOT_IN_SESSION[cmd]}` };
  const plan = planFor(args);
  if (plan.kind === 'pane') {
    // it would hold the shared session (and every refresh behind it) for as long as it runs
    if (host.demo || isTestDriver(host.uri)) {
      return { kind: 'error', text: `virsh ${cmd} cannot run on this host: ${plan.why}, and the test driver's world lives in virtui's one session`, hint: 'on a libvirt host it opens in a terminal pane' };
    }
    return { kind: 'pane', title: `virsh ${cmd}`, args };
  }
  const secrets = secretsOf(args);
  return { kind: 'virsh', args, long: plan.kind === 'long', changes: changesHost(args), ...(secrets.length ? { secrets } : {}) };
}

/**
 * The arguments of a typed command that may be a password or a secret, to be masked wherever the
 * command is shown or logged. set-user-password: its password (`--password X`, `--password=X` or
 * the third word); any other line that holds a secret (a password in an agent or monitor command,
 * a secret's value, a URI with user:password@): every value but the object it names first. Pure.
 */
export function secretsOf(args: readonly string[]): string[] {
  if (!holdsSecret(args.join(' '))) return [];
  // a URI's password (qemu+ssh://user:pw@host): that part alone
  const uriPw = (a: string) => /\/\/[^/\s:@]+:([^/\s@]+)@/.exec(a)?.[1];
  const pws = args.map(uriPw).filter((x): x is string => !!x);
  if (pws.length) return pws;
  const rest = args.slice(1);
  const out: string[] = [];
  if (args[0] === 'set-user-password') {
    const slots = ['domain', 'user', 'password'];
    const filled = new Set<string>();
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      const opt = /^--(domain|user|password)(=.*)?$/.exec(a);
      if (opt) {
        filled.add(opt[1]!);
        if (opt[1] === 'password') out.push(opt[2] ? opt[2].slice(1) : rest[i + 1] ?? '');
        if (!opt[2]) i++;
        continue;
      }
      if (a.startsWith('--')) continue;
      const slot = slots.find((x) => !filled.has(x));
      if (slot) filled.add(slot);
      if (slot === 'password') out.push(a);
    }
    return out.filter(Boolean);
  }
  let named = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a.startsWith('--')) {
      if (a.includes('=')) out.push(a.slice(a.indexOf('=') + 1));
      // the object's own option keeps its value readable
      else if (/^--(domain|secret|network|pool)$/.test(a) && rest[i + 1] !== undefined) { named = true; i++; }
      continue;
    }
    if (!named) { named = true; continue; }
    out.push(a);
  }
  return out;
}
