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

export interface IpsBench { domains: number; withoutMs: number; withMs: number; ratio: number; calls: number; ipsMs: number }

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function measureIps(n = 1000, rounds = 9): Promise<IpsBench> {
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
    clock += AGENT_MS + 1;
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
  const withoutMs = median(without);
  const withMs = median(withIt);
  return { domains: n, withoutMs, withMs, ratio: withMs / withoutMs, calls: Math.round(calls / rounds), ipsMs: median(own) };
}

/** Prints the IP column's line of `npm run bench` (bench/run.ts calls it). */
export async function ipsBench(): Promise<void> {
  const m = await measureIps();
  const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
  console.log(`\nThe IP column (${m.domains} domains, test driver, domains screen 160x50, every visible row due each tick)`);
  console.log(`  a domains refresh without it: ${ms(m.withoutMs)}; with it (${m.calls} domifaddr calls a tick): ${ms(m.withMs)} (the IP store's own wait: ${ms(m.ipsMs)}); ratio ${m.ratio.toFixed(2)}x (target <= 1.2x)`);
}
