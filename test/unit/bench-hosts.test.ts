// The many-hosts benchmark's report: medians and the per-host ratios, on the numbers of a real
// run (bench/hosts.ts on the 2-core machine, under the load of other jobs).
import test from 'ava';
import { hostsLines, median, type HostsMeasures } from '../../bench/hosts-report.ts';

const run: HostsMeasures = {
  hosts: 3, domains: 1000, rounds: 5, cpuSource: 'its CPU time (schedstat)',
  manyWall: [3645.8, 3628.7, 3338.3, 3566.1, 3738.0],
  manyCpu: [531.4, 482.8, 487.0, 439.6, 441.3],
  oneWall: [4757.8, 3302.3, 4278.8, 3789.8, 5014.5],
  oneCpu: [1042.6, 887.7, 894.6, 925.9, 946.1],
  slowDelayS: 1, slowRounds: 7,
  fastAlone: [3291.7, 2615.9, 2115.1, 2127.6, 3182.0, 2895.2, 3627.7],
  fastBesideSlow: [2858.5, 3141.0, 3602.5, 3500.2, 2588.5, 3687.7, 3144.1],
  slowOwn: [6831.5, 6078.6, 6813.7, 5112.0],
};

test('median: the middle value, or the mean of the two middle ones', (t) => {
  t.is(median(run.manyCpu), 482.8);
  t.is(median(run.slowOwn), (6078.6 + 6813.7) / 2);
  t.is(median([2]), 2);
  t.throws(() => median([]));
});

test('the report: wall times and their ratio, the UI work per host with one and with three hosts', (t) => {
  const lines = hostsLines(run);
  t.is(lines.length, 7);
  t.regex(lines[1]!, /3 hosts refreshed at once, one virsh session each: +3629 ms wall, UI thread +483 ms$/);
  t.regex(lines[2]!, /the same 3000 domains through one session \(3 refreshes in a row\): +4279 ms wall, UI thread +926 ms$/);
  // both tables' numbers start in the same column
  t.is(lines[1]!.indexOf('ms wall'), lines[2]!.indexOf('ms wall'));
  t.is(lines[3], '  wall time, 3 sessions / 1 session: 0.85x');
  // one session did all three refreshes: its work per host is a third, as is the three sessions'
  t.is(lines[4], '  UI work per host: 309 ms with 1 host, 161 ms with 3 hosts: 0.52x (target <= 1.00x: grows linearly)');
  t.regex(lines[6]!, /^ {2}the 2 fast hosts refresh in 2895 ms without it, 3144 ms beside it: 1\.09x \(target ~1\.00x\); the slow host's own refresh: 6446 ms$/);
});
