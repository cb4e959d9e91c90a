// The labs are one machine's: ava runs test files in parallel (and other worktrees run theirs),
// and a lab test changes guests and stops daemons that another file's test counts on (lab.test.ts
// kills lab 1's libvirtd; hosts-lab2.test.ts stops lab 2 and suspends lab-alpha). A file that
// uses the labs holds this lock from its first test to its last.
import test from 'ava';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK = '/tmp/virtui-e2e-labs.lock';
const OWNER = join(LOCK, 'pid');

const alive = (pid: number) => {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
};

/** Takes the lock once it is free or its holder is gone; resolves to how long it waited (ms). */
export async function takeLabs(maxMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      writeFileSync(OWNER, String(process.pid));
      return Date.now() - t0;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let holder = 0;
    try { holder = Number(readFileSync(OWNER, 'utf8')); } catch { /* being made or removed */ }
    // a holder that died without releasing (kill -9 of ava): the lock is free
    if (holder && !alive(holder)) rmSync(LOCK, { recursive: true, force: true });
    if (Date.now() - t0 > maxMs) throw new Error(`the labs are held by process ${holder} (${LOCK}) for more than ${maxMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export function releaseLabs(): void {
  try {
    if (Number(readFileSync(OWNER, 'utf8')) === process.pid) rmSync(LOCK, { recursive: true, force: true });
  } catch { /* not held */ }
}

/** Registers the hooks that hold the labs for the whole file (call it at the top of a lab test file). */
export function holdLabsForThisFile(): void {
  const waitMs = 45 * 60_000;
  test.before('wait for the labs (another lab test file may be using them)', async (t) => {
    t.timeout(waitMs + 10_000);
    const waited = await takeLabs(waitMs);
    if (waited > 1000) t.log(`waited ${Math.round(waited / 1000)} s for the labs`);
  });
  test.after.always(() => releaseLabs());
  process.once('exit', releaseLabs);
}
