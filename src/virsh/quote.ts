// Quoting for virsh's own command-line parser (the interactive shell), and for showing a
// command to the user so that it can be pasted into a POSIX shell.

/** One argument, quoted so that virsh's parser hands it to libvirt unchanged. */
export function quoteVirshArg(arg: string): string {
  if (/[\n\r\0]/.test(arg)) {
    // The session is line based: a newline would end the command early.
    throw new Error(`an argument cannot contain a newline or NUL: ${JSON.stringify(arg)}`);
  }
  if (arg !== '' && /^[A-Za-z0-9_.,:/@%+=-]+$/.test(arg)) return arg;
  // virsh: no escapes inside single quotes; a backslash outside quotes escapes one character.
  return "'" + arg.replace(/'/g, "'\\''") + "'";
}

/** A whole virsh command line for the interactive session. */
export function virshLine(args: readonly string[]): string {
  return args.map(quoteVirshArg).join(' ');
}

/** POSIX shell quoting, only for display (copy and paste). Nothing is ever run through a shell. */
export function shellQuote(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_.,:/@%+=-]+$/.test(arg)) return arg;
  return "'" + arg.replace(/'/g, "'\\''") + "'";
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * Splits what a user typed on the `:` line into arguments, the way a shell would for quotes
 * and backslashes (no expansion of any kind). Throws on an unterminated quote.
 */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = null; else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) cur += line[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c; inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]; inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) { out.push(cur); cur = ''; inWord = false; }
    } else {
      cur += c; inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`);
  if (inWord) out.push(cur);
  return out;
}
