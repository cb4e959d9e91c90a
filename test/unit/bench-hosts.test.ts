// The many-hosts benchmark's report: medians and the per-host ratios, on the numbers of real
// runs (bench/hosts.ts on the 2-core machine, under the load of other jobs; the slow hosts' part
// from a second run).
import test from 'ava';
import { hostsLines, median, type HostsMeasures } from '../../bench/hosts-report.ts';

const run: HostsMeasures = {
  hosts: 3, domains: 1000, rounds: 5, cpuSource: 'its CPU time (schedstat)',
  manyWall: [3645.8, 3628.7, 3338.3, 3566.1, 3738.0],
  manyCpu: [531.4, 482.8, 487.0, 439.6, 441.3],
  oneWall: [4757.8, 3302.3, 4278.8, 3789.8, 5014.5],
  oneCpu: [1042.6, 887.7, 894.6, 925.9, 946.1],
  slowDelayS: 1, slowRounds: 7, lateDomains: 10,
  fastAlone: [1450, 2381, 3146, 1118, 612, 599, 959],
  fastBesideLate: [1062, 876, 602, 725, 615, 950, 1162],
  lateOwn: [4081, 4064],
  fastBesideSlow: [1091, 1205, 1310, 1450, 1107, 1117, 630],
  slowOwn: [4709, 4229],
};

test('median: the middle value, or the mean of the two middle ones', (t) => {
  t.is(median(run.manyCpu), 482.8);
  t.is(median(run.lateOwn), (4081 + 4064) / 2);
  t.is(median([2]), 2);
  t.throws(() => median([]));
});

test('the report: wall times and their ratio, the UI work per host with one and with three hosts', (t) => {
  const lines = hostsLines(run);
  t.is(lines.length, 8);
  t.regex(lines[1]!, /3 hosts refreshed at once, one virsh session each: +3629 ms wall, UI thread +483 ms$/);
  t.regex(lines[2]!, /the same 3000 domains through one session \(3 refreshes in a row\): +4279 ms wall, UI thread +926 ms$/);
  // both tables' numbers start in the same column
  t.is(lines[1]!.indexOf('ms wall'), lines[2]!.indexOf('ms wall'));
  t.is(lines[3], '  wall time, 3 sessions / 1 session: 0.85x');
  // one session did all three refreshes: its work per host is a third, as is the three sessions'
  t.is(lines[4], '  UI work per host: 309 ms with 1 host, 161 ms with 3 hosts: 0.52x (target <= 1.00x: grows linearly)');
  t.is(lines[5], 'A slow host (every virsh answer 1 s late) beside 2 fast ones: their refresh alone 1118 ms (median of 7 rounds per line)');
  t.regex(lines[6]!, /^ {2}beside it, with 10 domains \(it only answers late\): +876 ms, 0\.78x \(target ~1\.00x\); its own refresh 4073 ms$/);
  t.regex(lines[7]!, /^ {2}beside it, with 1000 domains \(its virsh and its parsing share this machine\): +1117 ms, 1\.00x; its own refresh 4469 ms$/);
  t.is(lines[6]!.indexOf(' ms,'), lines[7]!.indexOf(' ms,'));
});
