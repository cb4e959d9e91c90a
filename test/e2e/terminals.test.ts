// At home in any terminal (issue 17): the main screens under each TERM at 80x24 and 250x70, the
// theme and NO_COLOR as the terminal receives them, and the config's remaps and user commands in
// the real program. On the demo host, in tmux.
import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVirtui, restored, type Tui } from './drive.ts';
import { strWidth } from '../../src/ui/blessed-compat.ts';

const TERMS = ['xterm', 'xterm-256color', 'screen', 'tmux-256color', 'linux'];
const SIZES: Array<[number, number]> = [[80, 24], [250, 70]];

/** the pane as the terminal holds it, with its SGR sequences */
const withColours = (v: Tui) => spawnSync('tmux', ['-L', `tui-drive-${v.name}`, 'capture-pane', '-p', '-e', '-t', v.name], { encoding: 'utf8' }).stdout;
const COLOUR = /\x1b\[(?:\d+;)*(?:3[0-7]|38|4[0-7]|48|9[0-7]|10[0-7])(?:;\d+)*m/;
const state = () => mkdtempSync(join(tmpdir(), 'virtui-state-'));
/** one key per send: ESC and the next key sent together read as Alt+key */
const press = (v: Tui, ...keys: string[]) => { for (const k of keys) v.keys(k); };

/** the main screens fit and read right: the header, the table, the footer, a question's frame, help, the : line */
function tour(t: import('ava').ExecutionContext, v: Tui, cols: number, rows: number, term: string): void {
  const what = `${term} ${cols}x${rows}`;
  v.wait('web-02 +running');
  const fits = () => {
    const lines = v.lines().slice(0, rows);
    t.true(lines.every((l) => strWidth(l) <= cols), `${what}: a line wider than the terminal`);
    t.regex(lines[0]!, /^virtui .*DEMO.*Domains \| 13 domains/, `${what}: the header`);
    t.regex(lines[rows - 1]!, /^Enter details/, `${what}: the footer on the last line`);
  };
  fits();
  press(v, 'Space', 'Space');
  v.wait('^\\* ci-ephem');
  v.wait('2 marked');
  v.keys('U');
  v.gone('marked');
  v.type('/web-02');
  press(v, 'Enter', 'D');
  // the frame is drawn with UTF-8 line characters everywhere (never the DEC set's "lqk")
  v.wait('┌─ Destroy web-02');
  v.wait('└─');
  press(v, 'Escape', 'Escape');
  v.gone('/web-02');
  v.type(':net');
  v.keys('Enter');
  v.wait('Networks \\| 3 networks');
  v.type(':pool');
  v.keys('Enter');
  v.wait('Storage pools \\|');
  v.type(':dom');
  v.keys('Enter');
  v.wait('Domains \\|');
  fits();
  v.keys('?');
  v.wait('Domains keys');
  v.keys('Escape');
  v.type(':domin');
  v.keys('Tab');
  v.wait('^:dominfo');
  v.wait('dominfo <domain>');
  if (['xterm', 'screen', 'linux'].includes(term)) {
    // 8 colours: grey would be drawn black, on black; the 16-colour theme has none (the hint line is dim)
    // (tmux writes the foreground and the background as two sequences)
    t.notRegex(withColours(v), /\x1b\[30m(?!\x1b\[4[0-7]m)/, `${what}: black text without a background`);
  }
  v.keys('Escape');
  v.keys('q');
  v.wait('\\[exited 0\\]');
  t.deepEqual(restored(v), { alternate: '0', mouse: '0', cursor: '1' }, what);
}

for (const term of TERMS) {
  for (const [cols, rows] of SIZES) {
    test.serial(`TERM=${term} at ${cols}x${rows}: the main screens fit, frames and marks read right, quitting restores the terminal`, (t) => {
      const v = startVirtui(`${cols}x${rows}`, ['--demo', '--no-config'], ['env', `TERM=${term}`, `XDG_STATE_HOME=${state()}`]);
      t.teardown(() => v.stop());
      tour(t, v, cols, rows, term);
    });
  }
}

test.serial('NO_COLOR: not one colour in the terminal; the default theme has them; the selection is inverse', (t) => {
  const colour = startVirtui('100x24', ['--demo', '--no-config'], ['env', 'TERM=xterm-256color', `XDG_STATE_HOME=${state()}`]);
  t.teardown(() => colour.stop());
  colour.wait('web-02 +running');
  t.regex(withColours(colour), COLOUR, 'the check can fail');
  const v = startVirtui('100x24', ['--demo', '--no-config'], ['env', 'TERM=xterm-256color', 'NO_COLOR=1', `XDG_STATE_HOME=${state()}`]);
  t.teardown(() => v.stop());
  v.wait('web-02 +running');
  v.keys('Space');
  v.wait('^\\* build-runner');
  const s = withColours(v);
  t.notRegex(s, COLOUR);
  t.regex(s, /\x1b\[(?:\d+;)*7(?:;\d+)*m/);
});

test.serial('the config file: theme mono, a key remap, a refused one with file:line, a user command as a job; the : history kept in the state dir', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-config-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, [
    'theme: mono',
    'keys:',
    '  destroy: K',
    '  reboot: s',
    'commands:',
    '  - name: echo',
    '    key: P',
    '    command: [echo, "<$NAME>"]',
    '    mode: job',
  ].join('\n'));
  const st = state();
  const v = startVirtui('120x24', ['--demo', '--config', config], ['env', 'TERM=xterm-256color', `XDG_STATE_HOME=${st}`]);
  t.teardown(() => v.stop());
  v.wait('web-02 +running');
  v.wait(`config.yaml:4: keys: reboot: s is already "sort" on the domains screen`);
  t.notRegex(withColours(v), COLOUR);
  v.type('/web-02');
  press(v, 'Enter', 'K');
  v.wait('Destroy web-02');
  press(v, 'Escape', 'P');
  v.wait('echo web-02: <web-02>');
  v.type(':nodeinfo');
  v.keys('Enter');
  v.wait('CPU model');
  press(v, 'Escape', 'q', 'y');
  v.wait('\\[exited 0\\]');
  t.is(readFileSync(join(st, 'virtui', 'history'), 'utf8'), 'nodeinfo\n');
});
