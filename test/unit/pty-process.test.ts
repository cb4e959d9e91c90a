// A program in a pty that ends while keys are still on their way to it.
import test from 'ava';
import { PtyProcess, type PtyExit } from '../../src/pty/process.ts';
import { waitFor } from '../helpers.ts';

/** Every console.* call and stderr write while `fn` runs (node-pty reports write errors with console.error). */
async function quiet(fn: () => Promise<void>): Promise<string[]> {
  const said: string[] = [];
  const saved = { error: console.error, warn: console.warn, log: console.log, write: process.stderr.write };
  console.error = (...a: unknown[]) => { said.push(`error: ${a.map(String).join(' ')}`); };
  console.warn = (...a: unknown[]) => { said.push(`warn: ${a.map(String).join(' ')}`); };
  console.log = (...a: unknown[]) => { said.push(`log: ${a.map(String).join(' ')}`); };
  process.stderr.write = ((s: string | Uint8Array) => { said.push(`stderr: ${String(s)}`); return true; }) as typeof process.stderr.write;
  try {
    await fn();
  } finally {
    Object.assign(console, { error: saved.error, warn: saved.warn, log: saved.log });
    process.stderr.write = saved.write;
  }
  return said;
}

test.serial('keys written to a program that ends without reading them, and after it ended, are dropped quietly', async (t) => {
  const said = await quiet(async () => {
    let exit: PtyExit | null = null;
    let ready = false;
    // raw mode: the keys pile up in the pty (it does not read them) until node-pty has to queue them
    const p = new PtyProcess({ file: 'sh', args: ['-c', 'stty raw -echo; echo READY; sleep 0.5'] }, 80, 24, (d) => { if (d.includes('READY')) ready = true; }, (e) => { exit = e; });
    await waitFor(() => ready, 30_000, () => 'the program to start');
    for (let i = 0; i < 100; i++) p.write('x'.repeat(1000));
    await waitFor(() => exit !== null, 30_000, () => 'the program to end');
    t.notThrows(() => { p.write('typed after the end'); p.resize(100, 30); });
    // node-pty's retry of the queued keys comes a few turns after the exit: give it that time
    await new Promise((r) => setTimeout(r, 300));
  });
  t.deepEqual(said, [], 'nothing printed (it would land over the UI)');
});
