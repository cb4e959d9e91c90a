// npm run bench: every number is measured in this run, on this machine, and printed with its ratio.
// Pairs are measured in turn (A B A B), with medians and the range. BENCH_ONLY=refresh,reader,
// stats,panes,hosts,ips,real picks parts; BENCH_MINUTES (default 10) is the long memory run.
import { performance } from 'node:perf_hooks';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VirshSession, VIRSH_SHELL_ENV } from '../src/virsh/session.ts';
import { virshOnce } from '../src/virsh/spawn.ts';
import { virshLine } from '../src/virsh/quote.ts';
import { DomainStore, fetchDomains, type VirshRunner } from '../src/model/domains.ts';
import { writeWorld } from './world.ts';
import { ipsBench } from './ips.ts';
import { realBench } from './idle.ts';
import { median, spread } from './real.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)} ms`;
const spreadOf = (xs: number[]) => spread(xs, ms);

/** Records the calls a refresh makes, so the other ways replay exactly the same ones. */
function recording(inner: VirshRunner, calls: string[][]): VirshRunner {
  return { run: (args) => { calls.push([...args]); return inner.run(args); } };
}

/**
 * The bare virsh shell doing the same commands: one virsh, all the lines written at once, timed
 * from after it answered a first `echo` (connected, world loaded) to the answer of a last one.
 */
function bareShell(uri: string, calls: string[][]): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn('virsh', ['-q', '-c', uri], { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...VIRSH_SHELL_ENV } });
    p.on('error', reject);
    let out = '';
    let t0 = 0;
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (d: string) => {
      out += d;
      if (!t0 && out.includes('\nREADY')) {
        out = '';
        t0 = performance.now();
        p.stdin.write(calls.map((c) => virshLine(c)).join('\n') + '\necho DONE\n');
      } else if (t0 && out.includes('echo DONE\nDONE')) {
        resolve(performance.now() - t0);
        p.stdin.end();
      }
    });
    p.stdin.write('echo READY\n');
  });
}

/** ms for one `virsh` process running one call (its start, connection and world parse included) */
async function spawnCost(uri: string, args: string[], runs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await virshOnce(uri, args);
    out.push(performance.now() - t0);
  }
  return out;
}

async function refreshBench(): Promise<void> {
  console.log('The domains list: a full read (the test driver gives no numbers in domstats: one dominfo per domain, asked once)');
  console.log('and a steady tick (one domstats); the session and the bare virsh shell in turn, A B A B, median of 7 (range)');
  console.log('  domains   calls              session                       bare virsh shell               session/bare');
  const perSpawn = median(await spawnCost('test:///default', ['list', '--all'], 9));
  const spawnAt: Record<number, number> = {};
  let fullAt1000 = 0;
  let tickAt1000 = 0;
  for (const n of [10, 100, 1000]) {
    const uri = `test://${writeWorld(n)}`;
    const session = new VirshSession({ uri });
    await session.start();
    const full: string[][] = [];
    await fetchDomains(recording(session, full)); // warm-up, and the calls of a full read
    const tick: string[][] = [];
    const store = new DomainStore(recording(session, tick));
    await store.refresh();
    tick.length = 0;
    await store.refresh(); // a steady tick: its calls
    const tickCalls = tick.map((c) => [...c]);
    const quiet = new DomainStore(session);
    await quiet.refresh();
    for (const [what, calls, run] of [
      ['full read', full, () => fetchDomains(session)],
      ['steady tick', tickCalls, () => quiet.refresh()],
    ] as const) {
      const sess: number[] = [];
      const bare: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t0 = performance.now();
        await run();
        sess.push(performance.now() - t0);
        bare.push(Math.max(0.01, await bareShell(uri, calls)));
      }
      if (n === 1000) { if (what === 'full read') fullAt1000 = median(sess); else tickAt1000 = median(sess); }
      console.log(`  ${String(n).padStart(7)} ${String(calls.length).padStart(7)} ${what.padEnd(12)} ${ms(median(sess)).padStart(9)} (${spreadOf(sess)})`.padEnd(62)
        + `${ms(median(bare)).padStart(9)} (${spreadOf(bare)})`.padEnd(32) + `${(median(sess) / median(bare)).toFixed(2).padStart(8)}x`);
    }
    session.close();
    spawnAt[n] = median(await spawnCost(uri, ['list', '--all'], 3));
  }
  // the peer that spawns one virsh per call; each on a small world (on a big one, each spawn parses all of it again)
  const fullCalls = 6 + 1000;
  console.log(`  one virsh spawned per call: ${ms(perSpawn)} a call on test:///default; on the 10 / 100 / 1000-domain worlds ${[10, 100, 1000].map((n) => ms(spawnAt[n]!)).join(' / ')} (each spawn parses its world)`);
  console.log(`  at 1000 domains, spawning per call at the test:///default cost: the full read ${fullCalls} x ${ms(perSpawn)} = ${ms(fullCalls * perSpawn)}, ${(fullCalls * perSpawn / fullAt1000).toFixed(0)}x the session;`
    + ` a tick (list + stats, 2 spawns) ${ms(2 * perSpawn)}, ${(2 * perSpawn / tickAt1000).toFixed(1)}x the session's tick`);
  console.log('  targets at 1000 domains: spawn/session >= 20x, session/bare <= 1.5x');
}

/**
 * The session's reader on one big answer (the fake virsh's `big`), against a bare read of the same
 * bytes from the same program: A B A B, median of 3. Linear: the same MB/s at 5 and at 50 MB.
 */
async function readerBench(): Promise<void> {
  const fake = join(ROOT, 'test', 'fixtures', 'fake-virsh.mjs');
  const rate = (bytes: number, t: number) => `${(bytes / 1024 / 1024 / (t / 1000)).toFixed(0)} MB/s`;
  console.log('\nThe session reader: one answer of N MB through VirshSession vs the same bytes read bare from the same program (A B A B, median of 3)');
  for (const mb of [5, 50]) {
    const n = mb << 20;
    const through: number[] = [];
    const bare: number[] = [];
    const session = new VirshSession({ uri: 'fake:///', virsh: fake, timeoutMs: 120_000 });
    await session.start();
    // the same program, started before the clock too, its answer read and counted, nothing more
    const p = spawn(process.execPath, [fake], { stdio: ['pipe', 'pipe', 'ignore'] });
    p.stdout.setEncoding('utf8');
    let got = 0;
    let want = 0;
    let done: (() => void) | null = null;
    p.stdout.on('data', (d: string) => { got += d.length; if (done && got >= want) { const f = done; done = null; f(); } });
    const bareRead = () => new Promise<void>((resolve) => { got = 0; want = n; done = resolve; p.stdin.write(`big ${n}\n`); });
    // each makes its answer once, untimed
    await session.run(['big', String(n)]);
    await bareRead();
    for (let i = 0; i < 3; i++) {
      let t0 = performance.now();
      const out = await session.run(['big', String(n)]);
      through.push(performance.now() - t0);
      if (out.length !== n) throw new Error(`the reader returned ${out.length} characters of ${n}`);
      t0 = performance.now();
      await bareRead();
      bare.push(performance.now() - t0);
    }
    p.kill();
    session.close();
    console.log(`  ${String(mb).padStart(3)} MB: through the reader ${rate(n, median(through))} (${spreadOf(through)}), bare ${rate(n, median(bare))} (${spreadOf(bare)}): reader/bare ${(median(through) / median(bare)).toFixed(2)}x the time`);
  }
}

/**
 * bench/stats.ts in its own process, so the RSS is its own, and bundled by esbuild so the tsx
 * loader's thread (~40 MB of its own) does not count: what is measured is the app and its history.
 */
async function statsBench(): Promise<void> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'virtui-bench-'));
  const out = join(dir, 'stats.mjs');
  await build({ entryPoints: [join(ROOT, 'bench', 'stats.ts')], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile: out, logLevel: 'error', nodePaths: [join(ROOT, 'node_modules')] });
  // the bundle imports blessed & co. by name: run it where node_modules can be found
  const local = join(ROOT, 'bench', `.stats-${process.pid}.mjs`);
  copyFileSync(out, local);
  rmSync(dir, { recursive: true, force: true });
  try {
    const r = spawnSync(process.execPath, ['--expose-gc', local], { encoding: 'utf8', cwd: ROOT });
    if (r.status !== 0) throw new Error(`bench/stats.ts failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { domains: number; historyTicks: number; fillSeconds: number; rssBefore: number; rssAfter: number; tickMs: number; renderMs: number; callMs: number; lines: number };
    const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
    console.log(`\nStats at ${m.domains} domains with 1 h of history (${m.historyTicks} ticks of 2 s each, filled in ${m.fillSeconds.toFixed(1)} s)`);
    console.log(`  RSS: ${mb(m.rssBefore)} before the history, ${mb(m.rssAfter)} with it: ${(m.rssAfter / (150 * 1024 * 1024)).toFixed(2)}x the 150 MB target`);
    console.log(`  one tick (parse ${m.lines} lines of domstats, rates, ring buffers): ${ms(m.tickMs)} of main thread, ${(m.tickMs / 10).toFixed(2)}x the 10 ms target;`);
    console.log(`  the virsh domstats call itself: ${ms(m.callMs)} (test driver: states only); tick/call ${(m.tickMs / m.callMs).toFixed(2)}x`);
    console.log(`  redrawing the domains screen after a tick (1000 rows, sparklines): ${ms(m.renderMs)}`);
  } finally {
    rmSync(local, { force: true });
  }
}

/** bench/panes.ts in its own process (with --expose-gc): RSS growth is measured, so tsx's own share cancels out. */
function panesBench(): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(ROOT, 'bench', 'panes.ts')], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`bench/panes.ts failed: ${r.stderr}`);
  const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { bytes: number; bareMs: number; paneMs: number; frameP50: number; frameP99: number; scrollback: number; perPaneMb: number };
  const mbs = (ms_: number) => `${(m.bytes / 1024 / 1024 / (ms_ / 1000)).toFixed(1)} MB/s`;
  console.log(`\nTerminal panes (200x50 terminal, ${(m.bytes / 1024 / 1024).toFixed(0)} MB of coloured log lines from cat)`);
  console.log(`  through a pane: ${ms(m.paneMs)} (${mbs(m.paneMs)}); the bare pty read and thrown away: ${ms(m.bareMs)} (${mbs(m.bareMs)}); pane/bare ${(m.paneMs / m.bareMs).toFixed(1)}x`);
  console.log(`  a frame with the pane on screen: p50 ${ms(m.frameP50)}, p99 ${ms(m.frameP99)} (${(m.frameP99 / 16).toFixed(2)}x the 16 ms frame)`);
  console.log(`  memory of a pane with its full scrollback (${m.scrollback} lines of 200 columns): ${m.perPaneMb.toFixed(1)} MB`);
}

/** bench/hosts.ts in its own process: the UI thread's CPU time it reports is its refreshes' alone. */
function hostsBench(): void {
  console.log('');
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'hosts.ts')], { stdio: 'inherit', cwd: ROOT });
  if (r.status !== 0) throw new Error(`bench/hosts.ts failed (${r.signal ?? `exit code ${r.status}`})`);
}

const only = new Set((process.env.BENCH_ONLY ?? 'refresh,reader,stats,panes,hosts,ips,real').split(','));
if (only.has('refresh')) await refreshBench();
if (only.has('reader')) await readerBench();
if (only.has('stats')) await statsBench();
if (only.has('panes')) panesBench();
if (only.has('hosts')) hostsBench();
if (only.has('ips')) { console.log(''); await ipsBench(); }
if (only.has('real')) await realBench(ROOT);
process.exit(0);
