// The IP column's cost: one domains refresh of a 1000-domain test-driver world on the domains
// screen (160x50: the IP column shows, 45 rows visible), with the IP store asking about the rows
// on screen vs without it. Every tick is the worst one: the store's clock jumps past every
// cadence, so each visible running row's lease and AGENT_PER_TICK agents are asked each time
// (a real tick asks far fewer: each row's lease at most every 10 s, its agent every 15 s).
import { performance } from 'node:perf_hooks';
import { Connection } from '../src/model/connection.ts';
import { App } from '../src/app.ts';
import { fakeTerminal } from '../src/ui/blessed-compat.ts';
import { AGENT_MS, IpStore } from '../src/model/ips.ts';
import { writeWorld } from './world.ts';
import { median } from './real.ts';

export interface IpsBench { domains: number; withoutMs: number; withMs: number; ratio: number; calls: number; ipsMs: number }

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** `step`: how far the store's clock moves a tick (past every cadence: the worst tick; 2 s: the default tick, cadences as they are) */
export async function measureIps(n = 1000, rounds = 9, step = AGENT_MS + 1): Promise<IpsBench> {
  const conn = new Connection({ uri: `test://${writeWorld(n)}`, readonly: false, demo: false, events: false });
  await conn.connect();
  let clock = 1_800_000_000_000;
  const ips = conn.cache('ips', () => new IpStore(conn, () => clock));
  let calls = 0;
  const run = conn.run.bind(conn);
  conn.run = (args, t) => { if (args[0] === 'domifaddr') calls++; return run(args, t); };
  const { input, output } = fakeTerminal(160, 50);
  const app = new App({ conn, io: { input, output }, interval: 3_600_000 });
  app.start();
  await conn.domains.refresh();
  await ips.refresh();
  app.renderNow();
  const own: number[] = [];
  const tick = async (withIps: boolean) => {
    clock += step;
    const t0 = performance.now();
    await conn.domains.refresh();
    const t1 = performance.now();
    if (withIps) { await ips.refresh(); own.push(performance.now() - t1); }
    app.renderNow();
    return performance.now() - t0;
  };
  const without: number[] = [];
  const withIt: number[] = [];
  calls = 0;
  // interleaved, so a drift of the machine's load hits both alike
  for (let i = 0; i < rounds; i++) {
    ips.enabled = false;
    without.push(await tick(false));
    ips.enabled = true;
    withIt.push(await tick(true));
  }
  app.destroy();
  conn.close();
  // the default tick asks a lease every 5th tick or so: the mean is what a minute costs
  const avg = step > AGENT_MS ? median : mean;
  const withoutMs = avg(without);
  const withMs = avg(withIt);
  return { domains: n, withoutMs, withMs, ratio: withMs / withoutMs, calls: calls / rounds, ipsMs: avg(own) };
}

/** Prints the IP column's lines of `npm run bench` (bench/run.ts calls it). */
export async function ipsBench(): Promise<void> {
  const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
  console.log('\nThe IP column (1000 domains, test driver, domains screen 160x50: 45 rows visible), the refresh with it and without, in turn');
  const steady = await measureIps(1000, 30, 2000);
  console.log(`  at the default 2 s tick (30 ticks, the store's cadences as they are): without ${ms(steady.withoutMs)}, with it ${ms(steady.withMs)} (${steady.calls.toFixed(1)} domifaddr calls a tick on average); ratio ${steady.ratio.toFixed(2)}x (target <= 1.2x)`);
  const worst = await measureIps();
  console.log(`  the worst tick (every visible row due at once: ${worst.calls.toFixed(0)} domifaddr calls): without ${ms(worst.withoutMs)}, with it ${ms(worst.withMs)}; ${worst.ratio.toFixed(2)}x`);
}
