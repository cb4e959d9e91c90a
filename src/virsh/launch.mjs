// How `npm start` (and the installed `virtui`) load the app: from one ES module bundled from the
// sources by esbuild, made once and reused while the sources are unchanged. Under tsx every one
// of ~150 files is resolved and compiled at each start and tsx's loader thread stays in memory
// (~40 MB); the bundle starts in about half the time. The bigger npm packages stay outside it
// (blessed reads its terminfo files next to itself, node-pty is native): the bundle lives in
// node_modules/.cache/virtui, from where they resolve as from the sources. Anything that stops
// the bundle (no esbuild, a read-only tree, a build error) falls back to tsx, which shows the
// real error of a broken source. `npm test` runs the sources through tsx, never the bundle.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Every file the bundle is made of, by size and time: a change of any makes a new bundle. */
export function sourceStamp(root) {
  const h = createHash('sha1');
  // on the way to every start's first frame: plain string paths (path.join and relative cost a
  // third of it), the same text as ever (a stamp made before stays good)
  const walk = (dir, rel) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`, `${rel}${e.name}/`);
      else if (e.isFile()) { const s = statSync(`${dir}/${e.name}`); h.update(`${rel}${e.name}\0${s.size}\0${s.mtimeMs}\n`); }
    }
  };
  for (const d of ['src', 'screens']) walk(join(root, d), `${d}/`);
  for (const f of ['package.json', 'tsconfig.json']) {
    try { const s = statSync(join(root, f)); h.update(`${f}\0${s.size}\0${s.mtimeMs}\n`); } catch { /* absent */ }
  }
  h.update(process.version);
  return h.digest('hex');
}

export function bundlePaths(root) {
  const dir = join(root, 'node_modules', '.cache', 'virtui');
  return { dir, stamp: join(dir, 'virtui.stamp') };
}

/**
 * Makes the bundle of src/main.ts (when the sources changed since the last one); the path of its
 * entry, or throws. Split in two: the entry (options, the connection) and the UI it imports while
 * virsh starts (see main.ts).
 */
export async function ensureBundle(root, { force = false } = {}) {
  const { dir, stamp } = bundlePaths(root);
  const want = sourceStamp(root);
  const out = join(dir, want.slice(0, 16));
  const entry = join(out, 'main.js');
  if (!force) {
    try { if (readFileSync(stamp, 'utf8') === want && statSync(entry).isFile()) return entry; } catch { /* none yet */ }
  }
  // esbuild comes with tsx (a dependency): found from there, not from our own package.json
  const esbuild = await import(pathToFileURL(createRequire(join(root, 'node_modules', 'tsx', 'package.json')).resolve('esbuild')).href);
  const build = esbuild.build ?? esbuild.default.build;
  mkdirSync(dir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'src', 'main.ts')],
    bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20',
    // inside: the small pure-JS packages (yaml alone is 84 files to resolve and read at each
    // start); outside: what reads files next to itself, is native, or loads only when used
    external: ['blessed', 'blessed-contrib', 'drawille-canvas-blessed-contrib', 'node-pty', '@xterm/headless', 'execa'],
    outdir: tmp, outExtension: { '.js': '.js' }, logLevel: 'silent', legalComments: 'none',
    // a third less to read and compile at each start; names are kept, so a crash log's stack
    // still names the functions (VIRTUI_NO_BUNDLE=1 runs the sources, with their lines)
    minifyWhitespace: true, minifySyntax: true,
    // CommonJS packages inside an ES module bundle require node's own modules (yaml: 'process')
    banner: { js: "import { createRequire as __virtuiRequire } from 'node:module'; const require = __virtuiRequire(import.meta.url);" },
    plugins: [sourceUrls(root), blessedLite(root)],
  });
  // esbuild's service process would live as long as virtui
  await (esbuild.stop ?? esbuild.default?.stop)?.();
  // .js files are ES modules here
  writeFileSync(join(tmp, 'package.json'), '{"type":"module"}\n');
  // two virtui starting at once: each builds its own, the first rename wins, both are whole
  try { renameSync(tmp, out); } catch { rmSync(tmp, { recursive: true, force: true }); }
  writeFileSync(`${stamp}.${process.pid}.tmp`, want);
  renameSync(`${stamp}.${process.pid}.tmp`, stamp);
  // older builds go once nothing can still be loading from them: a virtui started from one
  // imports its UI chunk after it started (a build made meanwhile must not pull it away)
  const old = Date.now() - 24 * 3600_000;
  for (const e of readdirSync(dir)) {
    if (e === want.slice(0, 16) || e.endsWith('.stamp')) continue;
    try { if (statSync(join(dir, e)).mtimeMs < old) rmSync(join(dir, e), { recursive: true, force: true }); } catch { /* gone */ }
  }
  return entry;
}

/**
 * `import.meta.url` in a bundle would be the bundle's: the files that find things next to
 * themselves (the demo world, package.json, createRequire) keep their own URL.
 */
function sourceUrls(root) {
  return {
    name: 'virtui-source-urls',
    setup(b) {
      b.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        if (!args.path.startsWith(root)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        return { contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

/**
 * `import blessed from 'blessed'` (src/ui/blessed-compat.ts) loads all of blessed's 34 widgets;
 * virtui makes screens and boxes only (the charts load blessed-contrib, and with it the rest, when
 * first shown). In the bundle that import is the three functions it uses, from blessed's own files.
 */
function blessedLite(root) {
  const compat = join(root, 'src', 'ui', 'blessed-compat.ts');
  return {
    name: 'virtui-blessed-lite',
    setup(b) {
      b.onResolve({ filter: /^blessed$/ }, (args) => (args.importer === compat ? { path: 'blessed-lite', namespace: 'virtui' } : undefined));
      b.onLoad({ filter: /^blessed-lite$/, namespace: 'virtui' }, () => ({
        loader: 'js',
        contents: [
          "const Screen = require('blessed/lib/widgets/screen.js');",
          "const Box = require('blessed/lib/widgets/box.js');",
          "const helpers = require('blessed/lib/helpers.js');",
          'export default { screen: (o) => new Screen(o), box: (o) => new Box(o), escape: helpers.escape };',
        ].join('\n'),
      }));
    },
  };
}

/** The app's main(): from the bundle, or through tsx when no bundle can be made. */
export async function loadMain(root) {
  if (process.env.VIRTUI_NO_BUNDLE !== '1') {
    try {
      const file = await ensureBundle(root);
      return (await import(pathToFileURL(file).href)).main;
    } catch {
      // a source that does not build: tsx below says what is wrong with it
      try { rmSync(bundlePaths(root).stamp, { force: true }); } catch { /* read-only */ }
    }
  }
  const { register } = await import(pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'esm', 'api', 'index.mjs')).href);
  register();
  return (await import(pathToFileURL(join(root, 'src', 'main.ts')).href)).main;
}
