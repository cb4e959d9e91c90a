// The house rules that hold the layers apart (ARCHITECTURE.md), checked on every source file.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers.ts';

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(p));
    else if (/\.(ts|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

const ALL = [...sources('src'), ...sources('screens')];
const text = (f: string) => readFileSync(join(ROOT, f), 'utf8');

test('only src/virsh and src/pty start processes (child_process, node-pty, execa)', (t) => {
  const starts = /(?:from|import\(|require\()\s*['"](?:node:)?(?:child_process|node-pty|execa)['"]/;
  const outside = ALL.filter((f) => !/^src[/\\](virsh|pty)[/\\]/.test(f) && starts.test(text(f)));
  t.deepEqual(outside, []);
  // the rule can fail: the session itself is caught by it
  t.true(starts.test(text(join('src', 'virsh', 'session.ts'))));
});

test('no screen reaches into the app: screens/ never imports src/app.ts, only the ScreenContext', (t) => {
  const app = /['"][^'"]*\/src\/app\.ts['"]/;
  t.deepEqual(sources('screens').filter((f) => app.test(text(f))), []);
  // the rule can fail: such an import is caught by it
  t.true(app.test("import { App } from '../../src/app.ts';"));
});
