// npm start's bundle: made from the sources, reused while they are unchanged, made again after a change.
import test from 'ava';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error: a plain ES module of the bootstrap, without types
import { ensureBundle, sourceStamp } from '../../src/virsh/launch.mjs';
import { ROOT } from '../helpers.ts';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'virtui-launch-'));
  mkdirSync(join(root, 'src', 'demo'), { recursive: true });
  mkdirSync(join(root, 'screens'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
  writeFileSync(join(root, 'src', 'demo', 'world.xml'), '<node/>\n');
  // import.meta.url keeps the source's own place in the bundle (the demo world is found next to it)
  writeFileSync(join(root, 'src', 'where.ts'), "export const WORLD = new URL('./demo/world.xml', import.meta.url).pathname;\n");
  writeFileSync(join(root, 'src', 'main.ts'), "export { WORLD } from './where.ts';\nexport async function main(): Promise<string> { return 'one'; }\n");
  return root;
}

// serial: a build stops esbuild's service when it ends, under a build that may still run beside it
test.serial('the bundle is made once, reused while the sources are unchanged, and made again after a change', async (t) => {
  const root = tree();
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  const first = await ensureBundle(root) as string;
  t.true(first.includes(join('node_modules', '.cache', 'virtui')));
  const m1 = await import(pathToFileURL(first).href);
  t.is(await m1.main(), 'one');
  t.is(m1.WORLD, join(root, 'src', 'demo', 'world.xml'));
  t.is(await ensureBundle(root), first, 'unchanged sources: the same bundle');
  const stamp = sourceStamp(root);
  writeFileSync(join(root, 'src', 'main.ts'), "export async function main(): Promise<string> { return 'two'; }\n");
  // same size, a later time: still a change
  utimesSync(join(root, 'src', 'main.ts'), new Date(), new Date(Date.now() + 5000));
  t.not(sourceStamp(root), stamp);
  const second = await ensureBundle(root) as string;
  t.not(second, first);
  t.is(await (await import(pathToFileURL(second).href)).main(), 'two');
  // a virtui started from the first build may still import its chunks: the first stays
  t.true(existsSync(first));
});

test.serial('in the bundle, blessed-compat\'s blessed is screens, boxes and escape from blessed\'s own files, without its other widgets', async (t) => {
  const root = tree();
  t.teardown(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'src', 'ui'));
  writeFileSync(join(root, 'src', 'ui', 'blessed-compat.ts'), "import blessed from 'blessed';\nexport const lib = blessed;\n");
  writeFileSync(join(root, 'src', 'main.ts'), "export { lib } from './ui/blessed-compat.ts';\nexport async function main(): Promise<string> { return 'one'; }\n");
  const { lib } = await import(pathToFileURL(await ensureBundle(root) as string).href);
  t.is(lib.escape('{bold}'), '{open}bold{close}');
  const { createRequire } = await import('node:module');
  const req = createRequire(join(ROOT, 'package.json'));
  t.is(typeof lib.screen, 'function');
  t.is(typeof lib.box, 'function');
  const loaded = (w: string) => Object.keys(req.cache).some((f) => f.endsWith(join('blessed', 'lib', 'widgets', `${w}.js`)));
  t.true(loaded('screen') && loaded('box'));
  // the widgets virtui does not use were never loaded
  t.false(loaded('filemanager'));
});
