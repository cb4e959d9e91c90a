// Paths and small helpers shared by the tests.
import { readFileSync } from 'node:fs';
import { findShared } from '../src/virsh/shared-dir.mjs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const FAKE_VIRSH = join(FIXTURES, 'fake-virsh.mjs');
export const DEMO_URI = `test://${join(ROOT, 'src', 'demo', 'world.xml')}`;
export const HOSTILE_URI = `test://${join(FIXTURES, 'worlds', 'hostile-names.xml')}`;
export const HOSTILE_NAMES = ['web 01', "it's", '$(id)', 'ünï-🚀', 'x running', 'quote"double {bold}'];

export function capture(name: string): string {
  return readFileSync(join(FIXTURES, 'virsh', name), 'utf8');
}

/** ../shared (the lab, the fixtures, tui-drive), found as src/virsh/bootstrap.mjs finds it. */
export function sharedDir(): string {
  const found = findShared(ROOT);
  if (!found) throw new Error('cannot find the shared folder (lab, fixtures, tui-drive): set VIRTUI_SHARED');
  return found;
}

/** `what` is a function: the message describes the state at the time-out, not at the start */
export const waitFor = async (cond: () => boolean, ms = 10_000, what: () => string = () => 'condition'): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
