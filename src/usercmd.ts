// User commands from the config file (like k9s plugins): a program and its arguments with
// $NAME $URI $HOST $POOL filled in, each argument staying one argument whatever the name holds
// (spaces, quotes, `$(...)`): it is an argv entry, never a shell line. Pure.
import type { UserCommand } from './config.ts';

export type CommandVars = Partial<Record<'NAME' | 'URI' | 'HOST' | 'POOL', string>>;

const VAR = /\$(?:\{(NAME|URI|HOST|POOL)\}|(NAME|URI|HOST|POOL)\b)/g;

/**
 * The argv with the placeholders filled in; or the first placeholder that has no value here; or
 * one whose value would begin an argument with "-" (a domain named `-oProxyCommand=...` given to
 * `ssh $NAME`, `-f` to `ping $NAME`): the program would read it as an option, so it is not run
 * unless the command line puts `--` before it.
 */
export function fillArgs(argv: readonly string[], vars: CommandVars): { argv: string[] } | { missing: string } | { option: string; value: string } {
  let missing: string | undefined;
  let option: { option: string; value: string } | undefined;
  const out = argv.map((a, i) => a.replace(VAR, (_m, x: string | undefined, y: string | undefined, at: number) => {
    const k = (x ?? y) as keyof CommandVars;
    const v = vars[k];
    if (v === undefined) missing ??= `$${k}`;
    else if (at === 0 && i > 0 && v.startsWith('-') && !argv.slice(1, i).includes('--')) option ??= { option: `$${k}`, value: v };
    return v ?? '';
  }));
  return missing ? { missing } : option ?? { argv: out };
}

/** the host a URI names (qemu+ssh://root@kvm1/system -> kvm1); '' for a local one */
export function uriHost(uri: string): string {
  const m = /^[a-z0-9+.-]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^/:?]+)/i.exec(uri);
  return m ? m[1]!.replace(/^\[|\]$/g, '') : '';
}

/** the user commands offered on a screen */
export function commandsFor(commands: readonly UserCommand[], screen: string | undefined): UserCommand[] {
  return screen ? commands.filter((c) => c.screens.includes(screen)) : [];
}
