// The stats pipeline at 1000 domains, in its own process so its RSS is its own:
//  - RSS of the app (a real virsh session on a 1000-domain test-driver world, the domains screen
//    on a fake terminal) before and after 1 h of synthetic history for every domain;
//  - the main-thread cost of one stats tick (parse the domstats text, rates, ring buffers),
//    beside the time of the virsh call itself.
import { performance } from 'node:perf_hooks';
import { Connection } from '../src/model/connection.ts';
import { App } from '../src/app.ts';
import { fakeTerminal } from '../src/ui/blessed-compat.ts';

import { STATS_ARGS } from '../src/libvirt/stats.ts';
import { domstatsSamples, domstatsText, writeWorld } from './world.ts';

const N = 1000;
const TICK = 2000;
const HOUR_TICKS = 3600_000 / TICK;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const uri = `test://${writeWorld(N)}`;
const host = new Connection({ uri, readonly: false, demo: false, events: false, stats: { clock: () => clock } });
await host.connect();
const { input, output } = fakeTerminal(160, 50);
let clock = 1_800_000_000_000;
const app = new App({ conn: host, io: { input, output }, interval: 3_600_000 });
app.start();
await app.conn.domains.refresh();
app.renderNow();
global.gc?.();
const rssBefore = process.memoryUsage().rss;

// 1 h of history for every domain, tick by tick, as the poller would have filled it
const stats = app.conn.domains.stats;
const t0 = performance.now();
for (let tick = 0; tick <= HOUR_TICKS; tick++) {
  clock += TICK;
  stats.ingestSamples(domstatsSamples(N, tick), clock);
}
const fillSeconds = (performance.now() - t0) / 1000;
app.renderNow();
global.gc?.();
const rssAfter = process.memoryUsage().rss;

// one tick's main-thread work, on the same history: parse + samples + rates + rings
const text = domstatsText(N, HOUR_TICKS + 1);
const tickTimes: number[] = [];
for (let i = 0; i < 15; i++) {
  const next = domstatsText(N, HOUR_TICKS + 2 + i);
  clock += TICK;
  // the garbage of making the text is the bench's, not the tick's
  global.gc?.();
  const s = performance.now();
  stats.ingestText(next, clock);
  tickTimes.push(performance.now() - s);
}
// the virsh call itself: a real domstats call of the same groups on the 1000-domain world (the
// test driver prints only the states, so the call is cheaper than a real host's)
const callTimes: number[] = [];
for (let i = 0; i < 7; i++) {
  const s = performance.now();
  await host.run(STATS_ARGS);
  callTimes.push(performance.now() - s);
}
// and what the screen does with a tick: the domains rows with their sparklines, one frame
const renderTimes: number[] = [];
for (let i = 0; i < 15; i++) {
  clock += TICK;
  stats.ingestText(domstatsText(N, HOUR_TICKS + 20 + i), clock);
  (app.conn.domains as unknown as { items: unknown[] }).items = [...app.conn.domains.items];
  const s = performance.now();
  app.renderNow();
  renderTimes.push(performance.now() - s);
}
app.destroy();
host.close();

const tick = median(tickTimes);
console.log(JSON.stringify({
  domains: N, historyTicks: HOUR_TICKS + 1, fillSeconds, rssBefore, rssAfter,
  tickMs: tick, renderMs: median(renderTimes), callMs: median(callTimes), lines: text.split('\n').length,
}));
process.exit(0);
