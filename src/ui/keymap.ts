// Keys are data (DESIGN rule 2): the footer, the `?` help screen and the tests read these tables.

export interface KeyAction<C> {
  /** key names as keyName() gives them: "D", "enter", "C-r", "pagedown" */
  keys: string[];
  label: string;
  /** a longer line for the help screen */
  help?: string;
  run: (ctx: C) => void | Promise<void>;
  /** offered only when true (state of the selected object) */
  when?: (ctx: C) => boolean;
  /** asks before running, names what is lost */
  dangerous?: boolean;
  /** changes something on the host: never offered on a read-only connection */
  mutates?: boolean;
  /** hide from the footer (still in help); navigation keys */
  footer?: boolean;
  /** false: it wants more than a yes (a form, a pane, an editor), so with rows marked it still acts on the selected one */
  bulk?: false;
}

export function available<C>(table: readonly KeyAction<C>[], ctx: C, readonly: boolean): KeyAction<C>[] {
  return table.filter((a) => !(readonly && a.mutates) && (!a.when || a.when(ctx)));
}

/** The first action bound to `key` that is available for `ctx`. */
export function findAction<C>(table: readonly KeyAction<C>[], key: string, ctx: C, readonly: boolean): KeyAction<C> | undefined {
  return table.find((a) => a.keys.includes(key) && !(readonly && a.mutates) && (!a.when || a.when(ctx)));
}

const NAMES: Record<string, string> = {
  enter: 'Enter', escape: 'Esc', up: '↑', down: '↓', left: '←', right: '→', pageup: 'PgUp', pagedown: 'PgDn',
  home: 'Home', end: 'End', tab: 'Tab', 'S-tab': 'S-Tab', ' ': 'Space', delete: 'Del', backspace: 'BkSp',
};

export function keyLabel(key: string): string {
  if (NAMES[key]) return NAMES[key]!;
  const c = /^C-(.)$/.exec(key);
  if (c) return `^${c[1]!.toUpperCase()}`;
  if (/^f\d+$/.test(key)) return key.toUpperCase();
  return key;
}

/**
 * "u start  d shutdown ..." cut to width at a whole hint; when some do not fit, it ends with
 * "? more" (the help screen lists them all), so a narrow terminal does not hide that keys exist.
 */
export function footerText<C>(tables: ReadonlyArray<readonly KeyAction<C>[]>, ctx: C, readonly: boolean, width: number): string {
  const hints: string[] = [];
  for (const table of tables) {
    for (const a of available(table, ctx, readonly)) {
      if (a.footer === false) continue;
      hints.push(`${keyLabel(a.keys[0]!)} ${a.label}`);
    }
  }
  const all = hints.join('  ');
  if (all.length <= width) return all;
  const more = '? more';
  const parts: string[] = [];
  let used = more.length;
  for (const h of hints) {
    if (h.startsWith('? ')) continue;
    if (used + 2 + h.length > width) break;
    parts.push(h);
    used += 2 + h.length;
  }
  return [...parts, more].join('  ');
}

export interface HelpSection<C> { title: string; table: readonly KeyAction<C>[] }

/** Every key of every section, with availability noted for the current selection. */
export function helpLines<C>(sections: ReadonlyArray<HelpSection<C>>, ctx: C, readonly: boolean): string[] {
  const lines: string[] = [];
  for (const s of sections) {
    const rows = s.table.filter((a) => !(readonly && a.mutates));
    if (!rows.length) continue;
    if (lines.length) lines.push('');
    lines.push(s.title);
    for (const a of rows) {
      const keys = a.keys.map(keyLabel).join(' ');
      const off = a.when && !a.when(ctx) ? '  (not now)' : '';
      lines.push(`  ${keys.padEnd(16)} ${a.help ?? a.label}${a.dangerous ? '  [asks first]' : ''}${off}`);
    }
  }
  return lines;
}

/** "C-]" -> "\x1d": the byte a Ctrl key sends. Only Ctrl keys can leave a pane (any other is typed). */
export function leaveKeyByte(name: string): string | null {
  const m = /^C-(.)$/.exec(name);
  // C-[ is Esc; C-h C-i C-j C-m arrive as Backspace, Tab and Enter; C-@ is NUL
  if (!m || /^[[@hijmHIJM]$/.test(m[1]!)) return null;
  const c = m[1]!.toUpperCase().charCodeAt(0);
  if (c < 0x40 || c > 0x5f) return null;
  return String.fromCharCode(c - 0x40);
}
