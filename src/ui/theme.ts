// Colours as blessed tag names, in one place.
export const theme = {
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
};

/** Row colour by domain state. */
export function stateColor(state: string): string | undefined {
  switch (state) {
    case 'running': return 'green-fg';
    case 'paused': case 'pmsuspended': case 'in shutdown': return 'yellow-fg';
    case 'crashed': case 'dying': return 'red-fg';
    default: return undefined;
  }
}
