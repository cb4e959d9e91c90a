// The stats pipeline on consecutive domstats captures from the lab: samples, rates, a counter
// reset, the ring history, sparklines, the event parser and the top view's sorting.
import { cpuSpark, SPARK_WIDTH } from '../../screens/domains/columns.ts';
import test from 'ava';
import { parseDomstats } from '../../src/libvirt/parse.ts';
import { computeRates, parseSamples, sampleOf, type DomSample } from '../../src/libvirt/stats.ts';
import { parseEventLine, markText } from '../../src/libvirt/events.ts';
import { MetricRings, RESOLUTIONS } from '../../src/model/ring.ts';
import { StatsHistory } from '../../src/model/stats.ts';
import { downsample, sparkline, humanRate, rateUnit } from '../../src/ui/sparkline.ts';
import { yAxis } from '../../src/ui/chart.ts';
import { markIndexes, xLabels, eventLine, timeTicks } from '../../screens/stats/panel.ts';
import { sortTop, TOP_SORTS, shortRate, type TopItem } from '../../screens/top/columns.ts';
import { capture } from '../helpers.ts';

const times = JSON.parse(capture('lab-domstats-times.json')) as { t1_to_t2_ms: number; t2_to_t3_ms: number };
const samples = (file: string) => new Map(parseDomstats(capture(file)).map((s) => [s.name, sampleOf(s)]));
const t1 = samples('lab-domstats-t1.txt');
const t2 = samples('lab-domstats-t2.txt');
const t3 = samples('lab-domstats-t3-gamma-restarted.txt');

/** a counter read straight from the capture text, independently of the parser */
function raw(file: string, dom: string, key: string): number {
  const text = capture(file);
  const block = text.split(/^Domain: /m).find((b) => b.startsWith(`'${dom}'`))!;
  const m = new RegExp(`^\\s+${key.replace(/\./g, '\\.')}=(\\d+)$`, 'm').exec(block);
  if (!m) throw new Error(`${key} not in ${dom}`);
  return Number(m[1]);
}

test('samples: the lab gives CPU, per-vCPU, balloon, disks and NICs; shut off is inactive', (t) => {
  const a = t1.get('lab-alpha')!;
  t.true(a.active);
  t.is(a.state, 'running');
  t.deepEqual(a.disks.map((d) => d.name), ['vda', 'vdb']);
  t.deepEqual(a.nics.map((n) => n.name), ['vnet0']);
  t.is(a.vcpuTimes.length, 1);
  t.is(t1.get('lab-beta')!.vcpuTimes.length, 2);
  t.is(t1.get('lab-beta')!.state, 'paused');
  const gammaOff = samples('lab-domstats.txt').get('lab-gamma')!;
  t.false(gammaOff.active);
  // a shut-off domain lists its disks without counters: nothing to rate
  t.deepEqual(gammaOff.disks, []);
  t.is(computeRates(gammaOff, gammaOff, 2000), undefined);
});

test('rates between two captures 2 s apart: CPU % of one host CPU, bytes/s, IOPS', (t) => {
  const dt = times.t1_to_t2_ms / 1000;
  const r = computeRates(t1.get('lab-alpha')!, t2.get('lab-alpha')!, times.t1_to_t2_ms)!;
  const cpu = ((raw('lab-domstats-t2.txt', 'lab-alpha', 'cpu.time') - raw('lab-domstats-t1.txt', 'lab-alpha', 'cpu.time')) / 1e9 / dt) * 100;
  t.true(cpu > 0, 'lab-alpha makes a little load');
  t.true(Math.abs(r.cpu - cpu) < 1e-9);
  const vcpu0 = ((raw('lab-domstats-t2.txt', 'lab-alpha', 'vcpu.0.time') - raw('lab-domstats-t1.txt', 'lab-alpha', 'vcpu.0.time')) / 1e9 / dt) * 100;
  t.true(Math.abs(r.vcpus[0]! - vcpu0) < 1e-9);
  for (const [i, name] of ['vda', 'vdb'].entries()) {
    const d = r.disks.find((x) => x.name === name)!;
    const rd = (raw('lab-domstats-t2.txt', 'lab-alpha', `block.${i}.rd.bytes`) - raw('lab-domstats-t1.txt', 'lab-alpha', `block.${i}.rd.bytes`)) / dt;
    const wrq = (raw('lab-domstats-t2.txt', 'lab-alpha', `block.${i}.wr.reqs`) - raw('lab-domstats-t1.txt', 'lab-alpha', `block.${i}.wr.reqs`)) / dt;
    t.true(Math.abs(d.rd - rd) < 1e-9, name);
    t.true(Math.abs(d.wrIops - wrq) < 1e-9, name);
  }
  t.true(Math.abs(r.diskRd - r.disks.reduce((a, d) => a + d.rd, 0)) < 1e-9);
  const rx = (raw('lab-domstats-t2.txt', 'lab-alpha', 'net.0.rx.bytes') - raw('lab-domstats-t1.txt', 'lab-alpha', 'net.0.rx.bytes')) / dt;
  t.true(Math.abs(r.netRx - rx) < 1e-9);
  // memory is a level, not a rate: balloon current minus what the guest leaves unused
  t.is(r.memUsed, raw('lab-domstats-t2.txt', 'lab-alpha', 'balloon.current') - raw('lab-domstats-t2.txt', 'lab-alpha', 'balloon.unused'));
  // a paused domain's CPU counter stands still: 0 %
  t.is(computeRates(t1.get('lab-beta')!, t2.get('lab-beta')!, times.t1_to_t2_ms)!.cpu, 0);
});

test('a counter reset (lab-gamma destroyed and started between captures) gives no rate, never a spike', (t) => {
  t.true(raw('lab-domstats-t3-gamma-restarted.txt', 'lab-gamma', 'cpu.time') < raw('lab-domstats-t2.txt', 'lab-gamma', 'cpu.time'));
  t.is(computeRates(t2.get('lab-gamma')!, t3.get('lab-gamma')!, times.t2_to_t3_ms), undefined);
  // the others are measured as usual across the same interval
  t.truthy(computeRates(t2.get('lab-alpha')!, t3.get('lab-alpha')!, times.t2_to_t3_ms));
  // through the history: the interval of the reset is a gap, the next tick is measured again
  const h = new StatsHistory();
  const base = 1_000_000_000_000;
  const at = [base, base + times.t1_to_t2_ms, base + times.t1_to_t2_ms + times.t2_to_t3_ms];
  h.ingestSamples([...t1.values()], at[0]!);
  h.ingestSamples([...t2.values()], at[1]!);
  const before = h.get('lab-gamma')!.rates!.cpu;
  t.true(before > 0);
  h.ingestSamples([...t3.values()], at[2]!);
  t.is(h.get('lab-gamma')!.rates, undefined);
  const series = h.get('lab-gamma')!.cpu.values(0, at[2]!);
  const finite = series.filter(Number.isFinite);
  t.true(finite.length > 0);
  t.true(Math.max(...finite) <= before + 1e-3, 'no spike from the reset');
  t.true(Number.isNaN(series[series.length - 1]!), 'the reset interval is a gap');
  // a counter going backwards on one disk resets the whole sample too
  const a2 = t2.get('lab-alpha')!;
  const back: DomSample = { ...a2, disks: a2.disks.map((d) => ({ ...d, rdBytes: 0 })) };
  t.is(computeRates(t1.get('lab-alpha')!, back, 2000), undefined);
});

test('ring: time-weighted buckets, gaps are NaN, old data falls off, size is fixed', (t) => {
  const rings = new MetricRings(2, [{ key: 't', label: 'test', bucketMs: 1000, size: 5 }]);
  const values = (m: number, now: number) => rings.values(m, 0, now).map((v) => (Number.isNaN(v) ? null : v));
  rings.fill(0, 2000, [10, NaN]); // buckets 0 and 1; the second metric is not known
  rings.fill(2000, 2500, [30, 4]); // half of bucket 2
  rings.fill(2500, 3000, [10, 4]); // the other half
  t.deepEqual(values(0, 4999), [10, 10, 20, null, null]);
  t.deepEqual(values(1, 4999), [null, null, 4, null, null]);
  rings.fill(8000, 9000, [7, 7]); // buckets 3..7 pass without data
  t.deepEqual(values(0, 8999), [null, null, null, null, 7]);
  // an interval longer than the window only keeps what fits
  rings.fill(9000, 60_000, [1, 2]);
  t.deepEqual(values(0, 59_999), [1, 1, 1, 1, 1]);
  t.deepEqual(values(1, 59_999), [2, 2, 2, 2, 2]);
  t.deepEqual(RESOLUTIONS.map((x) => (x.bucketMs * x.size) / 1000), [60, 300, 3600]);
});

test('history: a domain that goes away is forgotten; marks stay in the window', (t) => {
  const h = new StatsHistory();
  h.ingestSamples([...t1.values()], 10_000);
  h.mark('lab-alpha', 10_500, 'Suspended Paused');
  t.is(h.size, 3);
  h.ingestSamples([t2.get('lab-alpha')!], 12_000);
  t.is(h.size, 1);
  t.deepEqual(h.get('lab-alpha')!.marks.map((m) => m.text), ['Suspended Paused']);
  const res = RESOLUTIONS[0]!;
  // the mark is in bucket 10, now is in bucket 12: the third point from the right
  t.deepEqual(markIndexes(h.get('lab-alpha')!.marks, res, 12_000), [res.size - 3]);
  t.regex(eventLine(h.get('lab-alpha')!.marks, res, 12_000), /Suspended Paused/);
  t.regex(eventLine(h.get('lab-alpha')!.marks, res, 200_000), /none in the last 60 s/);
});

test('the fast domstats parser gives what the generic one does, on every capture', (t) => {
  for (const file of ['lab-domstats.txt', 'lab-domstats-t1.txt', 'lab-domstats-t2.txt', 'lab-domstats-t3-gamma-restarted.txt', 'hostile-domstats.txt', 'demo-domstats.txt']) {
    // (through JSON: an absent value and an undefined one are the same thing here)
    const plain = (x: unknown) => JSON.parse(JSON.stringify(x));
    t.deepEqual(plain(parseSamples(capture(file))), plain(parseDomstats(capture(file)).map(sampleOf)), file);
  }
});

test('the domains\' sparklines share one axis: 4 % and 54 % differ, 0.4 % is idle, 1 % shows, 180 % is full', (t) => {
  const flat = (v: number) => new Array<number>(60).fill(v);
  const four = cpuSpark(flat(4));
  const fiftyFour = cpuSpark(flat(54));
  t.not(four, fiftyFour);
  t.is(four, '▂'.repeat(SPARK_WIDTH));
  t.is(fiftyFour, '▅'.repeat(SPARK_WIDTH));
  t.is(cpuSpark(flat(0.4)), '▁'.repeat(SPARK_WIDTH));
  t.is(cpuSpark(flat(180)), '█'.repeat(SPARK_WIDTH));
  // a row's peak stands out on the common axis
  t.is(cpuSpark([...flat(2).slice(0, 54), ...new Array<number>(6).fill(90)]).at(-1), '▇');
});

test('sparkline, downsample, units, y scale', (t) => {
  t.is(sparkline([0, 50, 100, NaN]), '▁▅█ ');
  t.is(sparkline([0.5, 1], { floor: 10 }), '▁▂');
  t.deepEqual(downsample([1, 3, NaN, NaN, 5, 7], 3).map((v) => (Number.isNaN(v) ? null : v)), [2, null, 6]);
  t.is(humanRate(0), '0 B/s');
  t.is(humanRate(1536), '1.5 KiB/s');
  t.is(humanRate(5 * 1024 * 1024), '5.0 MiB/s');
  t.deepEqual(rateUnit(3 * 1024 * 1024), [1024 * 1024, 'MiB/s']);
  t.is(shortRate(1536), '1.5K');
  // a chart 9 rows high at 80x24 (17 canvas pixels of plot): 4 labels fit, one row apart
  t.deepEqual(yAxis(0, 1, 17), { maxY: 1, steps: 2 });
  t.deepEqual(yAxis(13, 1, 17), { maxY: 20, steps: 4 });
  t.deepEqual(yAxis(25, 1, 17), { maxY: 40, steps: 4 });
  // 21 pixels: 4 labels would fall 1, 1 and 2 rows apart; 5 or 2 are even
  t.deepEqual(yAxis(1.3, 1, 21), { maxY: 2.5, steps: 5 });
  t.deepEqual(yAxis(130, 1, 21), { maxY: 250, steps: 5 });
  // time labels: one unit, round steps back from now
  t.deepEqual(timeTicks(RESOLUTIONS[0]!, 30).map((x) => x.text), ['-40s', '-20s', 'now']);
  t.deepEqual(timeTicks(RESOLUTIONS[1]!, 30).map((x) => x.text), ['-4m', '-2m', 'now']);
  t.deepEqual(timeTicks(RESOLUTIONS[2]!, 80).map((x) => x.text), ['-50m', '-40m', '-30m', '-20m', '-10m', 'now']);
  t.deepEqual(timeTicks(RESOLUTIONS[0]!, 30).map((x) => x.at), [19, 39, 59]);
  t.deepEqual(xLabels(RESOLUTIONS[2]!).slice(0, 1), ['-60m']);
  t.is(xLabels(RESOLUTIONS[0]!).at(-1), 'now');
});

test('events: the lab\'s `virsh event --loop --timestamp` lines; names that look like the syntax', (t) => {
  const lines = capture('lab-event-loop.txt').split('\n');
  const events = lines.map((l) => parseEventLine(l)).filter((e) => !!e);
  t.true(events.length >= 6);
  const first = events[0]!;
  t.is(first.event, 'lifecycle');
  t.is(first.domain, 'lab-beta');
  t.is(first.detail, 'Resumed Unpaused');
  t.is(first.t, Date.parse('2026-11-22T05:20:41.059+00:00'));
  t.truthy(events.find((e) => e.domain === 'lab-gamma' && e.detail === 'Shutdown Finished after host request'));
  t.is(markText(events.find((e) => e.event === 'migration-iteration')!), undefined);
  t.is(markText(first), 'Resumed Unpaused');
  t.is(parseEventLine('events received: 3'), undefined);
  t.is(parseEventLine("event 'reboot' for domain 'web 01'")!.domain, 'web 01');
  t.is(parseEventLine("event 'lifecycle' for domain 'it's': Stopped Destroyed")!.domain, "it's");
  // a name holding "': " is settled with the known names
  const odd = "event 'lifecycle' for domain 'a': b': Started Booted";
  t.is(parseEventLine(odd, new Set(["a': b"]))!.domain, "a': b");
  t.is(parseEventLine(odd, new Set(['a']))!.detail, "b': Started Booted");
});

test('top: sorts by CPU, memory, disk and network, highest first', (t) => {
  const h = new StatsHistory();
  h.ingestSamples([...t1.values()], 0);
  h.ingestSamples([...t2.values()], times.t1_to_t2_ms);
  const items: TopItem[] = [...t2.values()].filter((s) => s.active).map((s) => ({
    name: s.name, rates: h.get(s.name)!.rates, dom: { name: s.name, id: 1, state: s.state!, autostart: false, persistent: true, managedSave: false },
  }));
  t.is(items.length, 3);
  for (const s of TOP_SORTS) {
    const sorted = sortTop(items, s.column, true).map((x) => x.name);
    const value = (it: TopItem) => {
      const r = it.rates!;
      return s.key === 'P' ? r.cpu : s.key === 'M' ? r.memUsed! : s.key === 'B' ? r.diskRd + r.diskWr : r.netRx + r.netTx;
    };
    // "highest first" is the ascending order (ties by name) reversed
    const expected = [...items].sort((a, b) => value(a) - value(b) || a.name.localeCompare(b.name)).reverse().map((x) => x.name);
    t.deepEqual(sorted, expected, s.name);
  }
});
