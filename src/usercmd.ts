// User commands from the config file (like k9s plugins): a program and its arguments with
// $NAME $URI $HOST $POOL filled in, each argument staying one argument whatever the name holds
// (spaces, quotes, `$(...)`): it is an argv entry, never a shell line. Pure.
import type { UserCommand } from './config.ts';

export type CommandVars = Partial<Record<'NAME' | 'URI' | 'HOST' | 'POOL', string>>;

const VAR = /\$(?:\{(NAME|URI|HOST|POOL)\}|(NAME|URI|HOST|POOL)\b)/g;

/** the argv with the placeholders filled in; or the first placeholder that has no value here */
export function fillArgs(argv: readonly string[], vars: CommandVars): { argv: string[] } | { missing: string } {
  let missing: string | undefined;
  const out = argv.map((a) => a.replace(VAR, (_m, x: string | undefined, y: string | undefined) => {
    const k = (x ?? y) as keyof CommandVars;
    const v = vars[k];
    if (v === undefined) missing ??= `$${k}`;
    return v ?? '';
  }));
  return missing ? { missing } : { argv: out };
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
