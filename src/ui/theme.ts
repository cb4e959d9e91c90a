// Colours as blessed tag names, in one place, and the themes that fill them. The config file's
// `theme` picks one; NO_COLOR picks monochrome, where the meaning is kept by text and attributes
// (state words, `*` for a mark, inverse for the selection, bold).

export type ThemeName = 'default' | '16' | 'mono';
export const THEME_NAMES: readonly ThemeName[] = ['default', '16', 'mono'];

export interface Theme {
  fg: string; header: string; selected: string; dim: string; ok: string; warn: string; error: string;
  busy: string; title: string; demo: string; readonly: string; key: string; marked: string;
  /** the top line's box style */
  bar: { fg?: string; bg?: string; inverse?: boolean; bold?: boolean };
}

const DEFAULT: Theme = {
  fg: 'default',
  header: 'bold',
  selected: 'black-fg}{cyan-bg',
  dim: 'gray-fg',
  ok: 'green-fg',
  warn: 'yellow-fg',
  error: 'red-fg',
  busy: 'cyan-fg',
  title: 'white-fg}{blue-bg',
  demo: 'black-fg}{yellow-bg',
  readonly: 'white-fg}{red-bg',
  key: 'cyan-fg',
  marked: 'yellow-fg}{bold',
  bar: { bg: 'blue', fg: 'white' },
};

export const THEMES: Record<ThemeName, Theme> = {
  default: DEFAULT,
  // the 8 colours every colour terminal has (xterm, screen and the Linux console have no grey:
  // blessed would draw it black on black)
  '16': { ...DEFAULT, dim: 'blue-fg', selected: 'black-fg}{white-bg' },
  // no colour at all: what colour told, attributes tell
  mono: {
    fg: 'default', header: 'bold', selected: 'inverse', dim: 'default', ok: 'default', warn: 'bold', error: 'bold',
    busy: 'default', title: 'inverse', demo: 'inverse', readonly: 'inverse', key: 'default', marked: 'bold',
    bar: { inverse: true },
  },
};

/** the theme in use: its fields change in place when another is chosen */
export const theme: Theme = { ...DEFAULT, bar: { ...DEFAULT.bar } };

/**
 * The theme a run uses: NO_COLOR (set and not empty, as no-color.org says) is monochrome
 * whatever the file says; the default on a terminal without 16 colours is the 16-colour one.
 */
export function chooseTheme(asked: ThemeName | undefined, env: NodeJS.ProcessEnv, colors: number): ThemeName {
  if (env['NO_COLOR']) return 'mono';
  const t = asked ?? 'default';
  return t === 'default' && colors < 16 ? '16' : t;
}

/** the name of the theme in use (what a picture drawn cell by cell picks its colours by) */
export let themeName: ThemeName = 'default';

export function applyTheme(name: ThemeName): void {
  themeName = name;
  Object.assign(theme, THEMES[name], { bar: { ...THEMES[name].bar } });
}

/** Row colour by domain state. */
export function stateColor(state: string): string | undefined {
  switch (state) {
    case 'running': return 'green-fg';
    case 'paused': case 'pmsuspended': case 'in shutdown': return 'yellow-fg';
    case 'crashed': case 'dying': return 'red-fg';
    default: return undefined;
  }
}
