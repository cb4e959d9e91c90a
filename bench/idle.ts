// The real program against its peer, in one run: idle CPU per minute beside the libvirt-API
// poller (A B A B), start to the first frame, key to screen, and RSS after a long run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { appPid, cpuOf, median, pollerReady, rssMb, sleep, spread, startNpm, startPoller, startVirtui, treeCpu, type Running } from './real.ts';
import { writeWorld } from './world.ts';

const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const cps = (x: number) => `${x.toFixed(2)} s`;

/** the first frame of the domains list shows this domain, and the header's counts */
const firstFrame = (name: string) => (t: string) => t.includes(name) && /\d+ running/.test(t);

/** CPU-seconds per minute of r's tree over `windowS` seconds, once it has settled */
async function cpuPerMinute(pid: number, windowS: number): Promise<number> {
  const c0 = treeCpu(pid);
  const t0 = performance.now();
  await sleep(windowS * 1000);
  return ((treeCpu(pid) - c0) / ((performance.now() - t0) / 1000)) * 60;
}

export interface World { label: string; uri: string; first: string; daemonPid?: () => number | undefined }

/**
 * virtui (README's start command) and the poller on the same world, each alone in turn, A B A B:
 * CPU-seconds a minute of each's process tree (and of the daemon behind it, where there is one).
 */
export async function idlePair(root: string, poller: string, w: World, opts: { rounds: number; windowS: number; tickS: number }): Promise<void> {
  const virtui: number[] = [];
  const peer: number[] = [];
  const daemonV: number[] = [];
  const daemonP: number[] = [];
  for (let i = 0; i < opts.rounds; i++) {
    for (const who of ['virtui', 'poller'] as const) {
      const r: Running = who === 'virtui' ? startVirtui(root, ['-c', w.uri]) : startPoller(poller, w.uri, opts.tickS);
      try {
        await r.waitFor(who === 'virtui' ? firstFrame(w.first) : (t) => /pytop - \S+ +\d+ domains/.test(t));
        // start-up is not idle (the first loads, the event stream, the IP store's first questions,
        // and V8 giving back the start's heap: its memory reducer's major GCs come some 30-35 s
        // in, a one-off 30-60 ms): 45 s first, for both
        await sleep(Math.max(45, 5 * opts.tickS) * 1000);
        const d = w.daemonPid?.();
        const d0 = d ? cpuOf(d) : 0;
        const v = await cpuPerMinute(r.pid, opts.windowS);
        (who === 'virtui' ? virtui : peer).push(v);
        if (d) (who === 'virtui' ? daemonV : daemonP).push(((cpuOf(d) - d0) / opts.windowS) * 60);
      } finally {
        await r.kill();
      }
    }
  }
  const mv = median(virtui);
  const mp = median(peer);
  console.log(`  ${w.label.padEnd(26)} virtui ${cps(mv).padStart(7)} (${spread(virtui, cps)})   poller ${cps(mp).padStart(7)} (${spread(peer, cps)})   virtui/poller ${(mv / Math.max(mp, 0.001)).toFixed(2)}x (target <= 2x)`);
  if (daemonV.length) console.log(`  ${''.padEnd(26)} and libvirtd meanwhile: for virtui ${cps(median(daemonV))}, for the poller ${cps(median(daemonP))}`);
}

/** Start to the first frame, README's way (`node .`) and through `npm start`, in turn. */
export async function startTimes(root: string, worlds: Array<{ label: string; args: string[]; first: string; target: number }>, runs: number): Promise<void> {
  for (const w of worlds) {
    const node: number[] = [];
    const npm: number[] = [];
    for (let i = 0; i < runs; i++) {
      for (const how of ['node', 'npm'] as const) {
        const r = how === 'node' ? startVirtui(root, w.args) : startNpm(root, w.args);
        try {
          (how === 'node' ? node : npm).push(await r.waitFor(firstFrame(w.first)));
        } finally {
          await r.kill();
        }
      }
    }
    const m = median(node);
    console.log(`  ${w.label.padEnd(26)} node . ${ms(m).padStart(8)} (${spread(node, ms)})   ${(m / w.target).toFixed(2)}x the ${w.target} ms target;   npm start ${ms(median(npm))} (${spread(npm, ms)}): npm's own share ${ms(median(npm) - m)}`);
  }
}

/**
 * Key to screen on the real app at 1000 rows while the tick runs: j and k in turn, each timed from
 * the write to the frame it brings (the first output after it), a short random pause between.
 */
export async function keysToScreen(root: string, uri: string, first: string, presses: number): Promise<void> {
  const r = startVirtui(root, ['-c', uri]);
  try {
    await r.waitFor(firstFrame(first));
    await sleep(1500);
    const times: number[] = [];
    for (let i = 0; i < presses; i++) {
      const key = Math.floor(i / 20) % 2 === 0 ? 'j' : 'k';
      const t = await new Promise<number>((resolve) => {
        let t0 = 0;
        const off = r.onData(() => { off(); resolve(performance.now() - t0); });
        t0 = performance.now();
        r.write(key);
      });
      times.push(t);
      await sleep(15 + Math.random() * 25);
    }
    const sorted = [...times].sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * q) / 100))]!;
    console.log(`  ${presses} presses of j/k at 1000 rows, the 2 s tick running: p50 ${ms(p(50))}, p99 ${ms(p(99))}, max ${ms(sorted.at(-1)!)}: p99 ${(p(99) / 16).toFixed(2)}x the 16 ms target`);
  } finally {
    await r.kill();
  }
}

/** RSS of the app's own node process after `minutes` at 1000 domains: one on the list, one on the charts, side by side. */
export async function longRss(root: string, uri: string, first: string, minutes: number): Promise<void> {
  const list = startVirtui(root, ['-c', uri]);
  const charts = startVirtui(root, ['-c', uri]);
  try {
    await Promise.all([list.waitFor(firstFrame(first)), charts.waitFor(firstFrame(first))]);
    // the charts of the first domain (v), as an operator watching one guest
    charts.write('v');
    await charts.waitFor((t) => /CPU/.test(t.slice(-5000)));
    const pids = [appPid(list), appPid(charts)];
    const start = performance.now();
    const samples: Array<[number, number]> = [];
    while (performance.now() - start < minutes * 60_000) {
      await sleep(Math.min(30_000, minutes * 60_000));
      samples.push([rssMb(pids[0]!), rssMb(pids[1]!)]);
    }
    const [l, c] = samples.at(-1)!;
    const peak = (k: 0 | 1) => Math.max(...samples.map((s) => s[k]));
    console.log(`  after ${minutes} min at 1000 domains: on the list ${l.toFixed(0)} MB (peak ${peak(0).toFixed(0)}), on the charts ${c.toFixed(0)} MB (peak ${peak(1).toFixed(0)}); target 150 MB: ${(l / 150).toFixed(2)}x, ${(c / 150).toFixed(2)}x`);
  } finally {
    await Promise.all([list.kill(), charts.kill()]);
  }
}

export async function realBench(root: string): Promise<void> {
  const minutes = Number(process.env.BENCH_MINUTES ?? 10);
  // a minute: what recurs once a minute (the look at the flags no event reports) is in every window
  const windowS = Number(process.env.BENCH_WINDOW_S ?? 60);
  // BENCH_REAL=start,idle,keys,rss picks parts of this one
  const parts = new Set((process.env.BENCH_REAL ?? 'start,idle,keys,rss').split(','));
  const big = writeWorld(1000);
  const bigUri = `test://${big}`;
  const demoUri = `test://${join(root, 'src', 'demo', 'world.xml')}`;

  console.log('\nThe real program, launched as README says (`node .`, in a pty); every pair measured in turn in this run');
  if (parts.has('start')) console.log('\nStart to the first frame of the domains list (median of 5, range)');
  if (parts.has('start')) await startTimes(root, [
    { label: 'demo host', args: ['--demo'], first: 'web-01', target: 500 },
    { label: '1000 domains', args: ['-c', bigUri], first: 'bench-0000', target: 1000 },
  ], 5);

  if (parts.has('idle')) console.log(`\nIdle cost, CPU-seconds a minute of the whole process tree at the default 2 s tick (${windowS} s windows, A B A B)`);
  const poller = join(root, '..', 'shared', 'anchors', 'libvirt-poller.py');
  const why = existsSync(poller) ? pollerReady() : `no ${poller}`;
  if (!parts.has('idle')) {
    // not this time
  } else if (why) {
    console.log(`  the libvirt-API poller cannot run (${why}): no ratio`);
  } else {
    await idlePair(root, poller, { label: '1000 domains (test driver)', uri: bigUri, first: 'bench-0000' }, { rounds: 2, windowS, tickS: 2 });
    await idlePair(root, poller, { label: 'demo host (test driver)', uri: demoUri, first: 'web-01' }, { rounds: 2, windowS, tickS: 2 });
    const labPid = () => { try { return Number(readFileSync('/run/virt-lab/libvirtd.pid', 'utf8').trim()) || undefined; } catch { return undefined; } };
    if (labPid()) {
      await idlePair(root, poller, { label: 'lab (qemu:///system)', uri: 'qemu:///system', first: 'lab-alpha', daemonPid: labPid }, { rounds: 2, windowS, tickS: 2 });
    } else {
      console.log('  the lab is not up (bash ../shared/lab/setup-lab.sh): no lab pair');
    }
  }

  if (parts.has('keys')) {
    console.log('\nKey to screen');
    await keysToScreen(root, bigUri, 'bench-0000', 500);
  }
  if (parts.has('rss')) {
    console.log(`\nMemory (RSS of the app's node process; BENCH_MINUTES=${minutes})`);
    await longRss(root, bigUri, 'bench-0000', minutes);
  }
}
