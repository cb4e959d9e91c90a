// npm run bench: every number is measured in this run, on this machine, and printed with its ratio.
import { performance } from 'node:perf_hooks';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pty from 'node-pty';
import { VirshSession, VIRSH_SHELL_ENV } from '../src/virsh/session.ts';
import { virshOnce } from '../src/virsh/spawn.ts';
import { virshLine } from '../src/virsh/quote.ts';
import { fetchDomains, type VirshRunner } from '../src/model/domains.ts';
import { Connection } from '../src/model/connection.ts';
import { App } from '../src/app.ts';
import { fakeTerminal } from '../src/ui/blessed-compat.ts';
import { writeWorld } from './world.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : x < 100 ? 1 : 0)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

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

async function refreshBench(): Promise<void> {
  console.log('One full refresh of the domains screen (list + the details it shows)');
  console.log('  domains   calls   session    bare virsh shell   spawn per call          spawn/session  session/bare');
  for (const n of [10, 100, 1000]) {
    const uri = `test://${writeWorld(n)}`;
    const session = new VirshSession({ uri });
    await session.start();
    const calls: string[][] = [];
    await fetchDomains(recording(session, calls)); // warm-up, and the list of calls
    const sessionTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const t0 = performance.now();
      await fetchDomains(session);
      sessionTimes.push(performance.now() - t0);
    }
    session.close();
    const tSession = median(sessionTimes);

    const bare: number[] = [];
    for (let i = 0; i < 7; i++) bare.push(await bareShell(uri, calls));
    const tBare = Math.max(0.01, median(bare));

    // one virsh process per call, one after another (as a tool that spawns per call does);
    // at 1000 domains that takes minutes, so a sample of the calls is timed and scaled
    const sample = n <= 100 ? calls : [...calls.slice(0, 5), ...calls.slice(5, 5 + 25)];
    const t0 = performance.now();
    for (const c of sample) await virshOnce(uri, c);
    const tSample = performance.now() - t0;
    const tSpawn = (tSample / sample.length) * calls.length;
    const note = sample.length < calls.length ? ` (${sample.length} of ${calls.length} calls timed, scaled)` : '';
    console.log(`  ${String(n).padStart(7)} ${String(calls.length).padStart(7)}   ${ms(tSession).padStart(9)}  ${ms(tBare).padStart(14)}    ${ms(tSpawn).padStart(10)}${note.padEnd(14)} ${(tSpawn / tSession).toFixed(0).padStart(8)}x  ${(tSession / tBare).toFixed(2).padStart(10)}x`);
  }
  console.log('  targets at 1000 domains: spawn/session >= 20x, session/bare <= 1.5x');
}

async function firstFrame(): Promise<void> {
  const file = writeWorld(1000);
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const p = pty.spawn(process.execPath, [join(ROOT, 'src', 'virsh', 'bootstrap.mjs'), 'run', '--', '-c', `test://${file}`], {
      cols: 120, rows: 40, env: { ...process.env, TERM: 'xterm-256color' } as Record<string, string>,
    });
    await new Promise<void>((resolve) => {
      let out = '';
      const sub = p.onData((d) => {
        out += d;
        // blessed moves the cursor over cells that are already blank: look for words, not phrases
        if (out.includes('bench-0000') && out.includes('domains,')) {
          times.push(performance.now() - t0);
          sub.dispose();
          p.write('q');
          resolve();
        }
      });
    });
    await new Promise<void>((r) => p.onExit(() => r()));
  }
  console.log(`\nStart to the first full frame (1000 domains, real process in a pty): median ${ms(median(times))} of ${times.map((x) => ms(x)).join(', ')}`);
}

async function keyLatency(): Promise<void> {
  const uri = `test://${writeWorld(1000)}`;
  const { input, output } = fakeTerminal(120, 40);
  const host = new Connection({ uri, readonly: false, demo: false });
  await host.connect();
  const app = new App({ conn: host, io: { input, output }, interval: 3_600_000 });
  app.start();
  await app.conn.domains.refresh();
  app.renderNow();
  const onKey = (app as unknown as { onKey(name: string): void }).onKey.bind(app);
  const keys = ['j', 'j', 'k', 'pagedown', 'j', 'pageup', 'G', 'k', 'home', 's', 'S', 'j'];
  const times: number[] = [];
  for (let i = 0; i < 600; i++) {
    const t0 = performance.now();
    onKey(keys[i % keys.length]!); // handles the key and renders the frame, synchronously
    times.push(performance.now() - t0);
  }
  app.destroy();
  host.close();
  console.log(`Re-render after a key press in a 1000-row list (600 presses): p50 ${ms(pct(times, 50))}, p99 ${ms(pct(times, 99))}, max ${ms(Math.max(...times))} (target p99 <= 16 ms)`);
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

await refreshBench();
await firstFrame();
await keyLatency();
await statsBench();
panesBench();
hostsBench();
process.exit(0);
