// What libraries print while the UI owns the terminal goes to a log file, never to the terminal.
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { divertStrayOutput } from '../../src/ui/stray-output.ts';

test.serial('console.* and stderr writes go to the log file (mode 600) while diverted, and to the terminal again after', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-stray-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'state', 'virtui.log');
  // the "terminal": what reaches the real stdout and stderr
  const terminal: string[] = [];
  const real = { out: process.stdout.write, err: process.stderr.write };
  const catchAll = (s: string | Uint8Array) => { terminal.push(String(s)); return true; };
  process.stdout.write = catchAll as typeof process.stdout.write;
  process.stderr.write = catchAll as typeof process.stderr.write;
  let restore = () => {};
  try {
    restore = divertStrayOutput(file);
    t.false(existsSync(file), 'no file until something is printed');
    console.log('xterm.js: Parsing error: %o', { position: 3 });
    console.warn('a warning');
    console.error('Unhandled pty write error', new Error('EBADF: bad file descriptor, write'));
    console.info('info'); console.debug('debug');
    process.stderr.write('a raw write\n');
    restore();
    console.log('after');
  } finally {
    restore();
    process.stdout.write = real.out;
    process.stderr.write = real.err;
  }
  t.deepEqual(terminal, ['after\n'], 'only what came after the restore reached the terminal');
  const log = readFileSync(file, 'utf8');
  for (const s of ['log: xterm.js: Parsing error: { position: 3 }', 'warn: a warning', 'error: Unhandled pty write error Error: EBADF', 'info: info', 'debug: debug', 'stderr: a raw write']) t.true(log.includes(s), `${s} in\n${log}`);
  t.is(statSync(file).mode & 0o777, 0o600);
});
