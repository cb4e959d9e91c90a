// The built-in demo host: virtui's own libvirt test-driver world.
import { fileURLToPath } from 'node:url';

export const DEMO_WORLD = fileURLToPath(new URL('./demo/world.xml', import.meta.url));
export const DEMO_URI = `test://${DEMO_WORLD}`;

import type { Domain } from './libvirt/types.ts';
import type { DomSample } from './libvirt/stats.ts';

/** a stable number in [0, 1) per name */
function hash(s: string): number {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return ((h >>> 0) % 10000) / 10000;
}

/**
 * The demo host's stand-in statistics. The test driver reports only each domain's state, so the
 * demo's running guests get made-up but plausible counters (a slow wave of CPU, some disk and
 * network traffic) that advance only while they run: the charts, the sparklines and the top
 * view have something to show. Never used on a real connection.
 */
export function demoStats(): (stats: DomSample[], domains: readonly Domain[], t: number) => DomSample[] {
  const counters = new Map<string, { t: number; cpu: number; vcpu: number[]; rd: number; wr: number; rdq: number; wrq: number; rx: number; tx: number; id: number | null }>();
  return (stats, domains, t) => {
    const byName = new Map(domains.map((d) => [d.name, d]));
    return stats.map((s) => {
      const d = byName.get(s.name);
      if (!d || d.id === null || s.cpuTime !== undefined) return s;
      const k = hash(d.name);
      let c = counters.get(d.name);
      // a restart starts the counters again, as QEMU's do
      if (!c || c.id !== d.id) counters.set(d.name, (c = { t, cpu: 0, vcpu: [], rd: 0, wr: 0, rdq: 0, wrq: 0, rx: 0, tx: 0, id: d.id }));
      const dt = Math.max(0, (t - c.t) / 1000);
      c.t = t;
      const vcpus = d.vcpus ?? 1;
      if (d.state === 'running') {
        const wave = 0.5 + 0.5 * Math.sin(t / (20_000 + 40_000 * k) + k * 6.28);
        const load = (5 + 60 * k) * wave + 3 * Math.random();
        for (let i = 0; i < vcpus; i++) c.vcpu[i] = (c.vcpu[i] ?? 0) + (load / vcpus) * (i === 0 ? 1.4 : 0.6 + 0.4 / vcpus) * 1e7 * dt;
        c.cpu = c.vcpu.reduce((a, b) => a + b, 0) + 2e6 * dt;
        c.rd += (200_000 + 4e6 * k * wave) * dt; c.rdq += (20 + 200 * k * wave) * dt;
        c.wr += (100_000 + 1e6 * wave) * dt; c.wrq += (10 + 60 * wave) * dt;
        c.rx += (30_000 + 500_000 * k * (1 - wave)) * dt; c.tx += (10_000 + 200_000 * k * wave) * dt;
      }
      // the test driver's dominfo gives the wall clock as CPU time
      (d as { cpuTime?: number }).cpuTime = c.cpu / 1e9;
      const mem = d.memory ?? d.memoryMax ?? 1048576;
      return {
        ...s, cpuTime: c.cpu, vcpuCurrent: vcpus, vcpuMax: vcpus, vcpuTimes: Array.from({ length: vcpus }, (_, i) => c.vcpu[i] ?? 0),
        balloonCur: mem, balloonMax: d.memoryMax ?? mem, unused: Math.round(mem * (0.35 + 0.3 * k)),
        disks: [{ name: 'vda', rdBytes: c.rd, wrBytes: c.wr, rdReqs: c.rdq, wrReqs: c.wrq }],
        nics: [{ name: 'vnet0', rxBytes: c.rx, txBytes: c.tx }],
      };
    });
  };
}
