// The screen blessed makes for virtui: what it costs to start.
import test from 'ava';
import { createRequire } from 'node:module';
import { createScreen, fakeTerminal } from '../../src/ui/blessed-compat.ts';

const require = createRequire(import.meta.url);

test('inside tmux the screen starts without running `tmux -V`, and still writes through tmux as blessed would', (t) => {
  // blessed's Program calls child_process.execFileSync('tmux', ['-V']) when $TMUX is set
  const cp = require('node:child_process') as { execFileSync: (...a: unknown[]) => unknown };
  const real = cp.execFileSync;
  const ran: unknown[] = [];
  cp.execFileSync = (...a: unknown[]) => { ran.push(a[0]); return real(...a); };
  const before = process.env['TMUX'];
  process.env['TMUX'] = '/tmp/tmux-0/default,1,0';
  try {
    const { input, output } = fakeTerminal(80, 24);
    const screen = createScreen({ input, output });
    t.deepEqual(ran, []);
    const program = (screen as unknown as { program: { tmux: boolean; tmuxVersion: number } }).program;
    t.true(program.tmux);
    t.is(program.tmuxVersion, 2);
    // the environment the children get is as it was
    t.is(process.env['TMUX'], '/tmp/tmux-0/default,1,0');
    screen.destroy();
  } finally {
    cp.execFileSync = real;
    if (before === undefined) delete process.env['TMUX']; else process.env['TMUX'] = before;
  }
});
