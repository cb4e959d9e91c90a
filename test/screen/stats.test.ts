// The stats screens on the demo host (real virsh, test driver, the demo's stand-in counters)
// with a clock the test moves: the domains' CPU column and sparkline, the charts at 80x24 and
// 200x50 and across a resize, event marks, the window key, the top view's sort keys.
import test from 'ava';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';
import { demoStats } from '../../src/demo.ts';

const BRAILLE = /[\u2801-\u28ff]/;

async function demoApp(cols: number, rows: number): Promise<Harness & { tick(n?: number): Promise<void> }> {
  let now = 1_800_000_000_000;
  const h = await openApp(DEMO_URI, cols, rows, { demo: true, stats: { clock: () => now, augment: demoStats() } });
  return Object.assign(h, {
    async tick(n = 1) {
      for (let i = 0; i < n; i++) { now += 2000; await h.app.conn.domains.refresh(); }
      h.app.renderNow();
    },
  });
}

/** the columns where a box corner of a chart is drawn on line `i` */
const corners = (line: string) => [...line].flatMap((c, i) => (c === '┌' || c === '┐' ? [i] : []));

test('80x24: the domains get CPU % and a sparkline that grows tick by tick; the host line', async (t) => {
  const h = await demoApp(80, 24);
  t.teardown(() => h.close());
  await h.tick(3);
  const spark = () => /^web-01 +running +[\d.]+% +([▁▂▃▄▅▆▇█ ]+?) +2 /m.exec(h.screen())?.[1]?.trim() ?? '';
  const early = spark();
  await h.tick(10);
  const later = spark();
  t.true(later.length > early.length, `${early} -> ${later}`);
  t.regex(h.text()[1]!, /^(host|guest) CPU .* 6\/13 running {2}tick 60 s$/);
  // shut off: nothing
  t.regex(h.screen(), /^build-runner +shut off +- +4 /m);
  t.true(h.text().every((l) => [...l].length <= 80));
});

test('80x24: v opens the charts; every line fits; w switches the window', async (t) => {
  const h = await demoApp(80, 24);
  t.teardown(() => h.close());
  await h.tick(5);
  await h.keys('/', ...'web-01', 'enter', 'v');
  await h.until(/Stats web-01/);
  const lines = h.text();
  t.is(lines.length, 24);
  t.true(lines.every((l) => [...l].length <= 80));
  const s = h.screen();
  t.regex(lines[1]!, /^CPU [\d.]+% of 2 vCPUs, [\d.]+% in the guest {2}mem .* used of 2\.0 GiB/);
  t.regex(s, /CPU % 60s \(total, vCPUs\)/);
  t.regex(s, /Memory (MiB|GiB)/);
  t.regex(s, /Disk (B|KiB|MiB)\/s/);
  t.regex(s, /Network (B|KiB|MiB)\/s/);
  t.regex(s, BRAILLE);
  t.regex(s, /-\d+s/);
  t.regex(lines[21]!, /events \(red marks\): none in the last 60 s/);
  await h.keys('w');
  t.regex(h.screen(), /window: last 5 min/);
  t.regex(h.screen(), /CPU % 5m /);
  await h.keys('w');
  t.regex(h.screen(), /-\d+m +-\d+m +now/);
  await h.keys('w');
  t.regex(h.screen(), /window: last 60 s/);
});

test('200x50, and a resize while the charts are shown redraws them at the new size', async (t) => {
  const h = await demoApp(80, 24);
  t.teardown(() => h.close());
  await h.tick(5);
  await h.keys('/', ...'db-primary', 'enter', 'v');
  await h.until(/Stats db-primary/);
  // two charts side by side: corners at 0, 39 | 40, 79
  t.deepEqual(corners(h.text()[2]!), [0, 39, 40, 79]);
  await h.resize(200, 50);
  let lines = h.text();
  t.is(lines.length, 50);
  // under the per-disk and per-NIC lines there is room for now
  const top = lines.findIndex((l) => l.startsWith('┌'));
  t.true(top > 2);
  t.deepEqual(corners(lines[top]!), [0, 99, 100, 199]);
  // the drawing reaches past the old width: the canvas was made anew
  t.true(lines.some((l) => BRAILLE.test([...l].slice(120, 199).join(''))));
  // 200x50 has room for the per-disk and per-NIC rates
  t.regex(h.screen(), /^ {2}disk vda +read +[\d.]+ \S+\/s/m);
  t.regex(h.screen(), /^ {2}nic {2}vnet0 +rx/m);
  await h.resize(80, 24);
  lines = h.text();
  t.true(lines.every((l) => [...l].length <= 80));
  t.deepEqual(corners(lines[2]!), [0, 39, 40, 79]);
  t.regex(h.screen(), BRAILLE);
});

test('suspend from the charts: the CPU flattens to 0 and the change is marked', async (t) => {
  const h = await demoApp(100, 30);
  t.teardown(() => h.close());
  await h.tick(3);
  await h.keys('/', ...'web-02', 'enter', 'v');
  await h.until(/Stats web-02/);
  await h.keys('p');
  await h.until(/Stats web-02 \| paused/);
  await h.tick(2);
  t.regex(h.text()[1]!, /^CPU 0\.0% of 2 vCPUs, 0\.0% in the guest/);
  // the test driver has no event stream: the state change seen between two refreshes is the mark
  t.regex(h.screen(), /events \(red marks\): \d\d:\d\d:\d\d running -> paused/);
  await h.keys('p');
  await h.until(/Stats web-02 \| running/);
});

test('the Stats tab of the details shows the same charts', async (t) => {
  const h = await demoApp(100, 30);
  t.teardown(() => h.close());
  await h.tick(3);
  await h.keys('/', ...'web-01', 'enter', 'enter');
  await h.until(/Disks \(1\)|Disks \(\d\)/);
  await h.keys('tab', 'tab');
  await h.until(/Domain web-01 \(stats\)/);
  t.regex(h.screen(), /Overview +XML +Stats|Overview.*XML.*Stats/);
  t.regex(h.screen(), /CPU % 60s/);
  t.regex(h.screen(), BRAILLE);
  await h.keys('1');
  await h.until(/Disks \(/);
});

test(':top sorts by CPU, then P M B N, at 80x24 and 200x50; the sort is named in the header', async (t) => {
  for (const [cols, rows] of [[80, 24], [200, 50]] as const) {
    const h = await demoApp(cols, rows);
    t.teardown(() => h.close());
    await h.tick(3);
    await h.keys(':', ...'top', 'enter');
    await h.until(/Top \| 9 active, by CPU/);
    const lines = h.text();
    t.true(lines.every((l) => [...l].length <= cols));
    t.regex(lines[2]!, /CPU%▼/);
    const cpu = (c: string[]) => Number(c[2]);
    // first as opened (by CPU), then each key, back to CPU last
    for (const [key, name, marker, value] of [
      ['', 'CPU', /CPU%▼/, cpu],
      ['M', 'memory', /MEM( USED)?▼/, (c: string[]) => amount(c[4]!)],
      ['B', 'disk', /DISK R\/W( \/s)?▼/, (c: string[]) => amount(c[6]!) + amount(c[7]!)],
      ['N', 'network', /NET RX\/TX( \/s)?▼/, (c: string[]) => amount(c[9]!) + amount(c[10]!)],
      ['P', 'CPU', /CPU%▼/, cpu],
    ] as const) {
      if (key) await h.keys(key);
      const screen = h.text();
      t.regex(screen[0]!, new RegExp(`Top \\| 9 active, by ${name}`));
      t.regex(screen[2]!, marker);
      // a number in every column of every domain with counters (a "-" would sort as anything);
      // the crashed one has none, and comes last
      const cells = screen.slice(3, 12).map((l) => TOP_ROW.exec(l)?.slice(1));
      t.true(cells.slice(0, 8).every((c) => c && !c.some((x) => x === '')), screen.join('\n'));
      t.regex(screen[11]!, /^legacy-erp +crashed +- +1 +- +- +- +- +-$/);
      const values = cells.slice(0, 8).map((c) => value(c!));
      t.deepEqual(values, [...values].sort((a, b) => b - a), `${name}: ${values.join(' ')}`);
    }
  }
});

/** a row of the top view: name, state, CPU %, vCPUs, memory used, memory %, disk r/w, IOPS, net rx/tx */
const TOP_ROW = /^(\S+) +(running|paused|pmsuspended) +([\d.]+)% +(\d+) +([\d.]+ [KMGT]iB) +([\d.]+)% +([\d.]+[KMGT]?)\/([\d.]+[KMGT]?) +(\d+) +([\d.]+[KMGT]?)\/([\d.]+[KMGT]?)$/;

/** "6.3 GiB", "483K", "0" -> a number to compare (the same unit down a column) */
function amount(s: string): number {
  const m = /^([\d.]+) ?([KMGT]?)/.exec(s)!;
  return Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2] || ' ');
}

/** the y labels and the x labels of the chart whose box starts at column `left` and line `top` */
function axes(lines: string[], top: number, left: number, width: number): { y: number[]; x: string[] } {
  const y: number[] = [];
  let x: string[] = [];
  for (let i = top + 1; i < lines.length && !lines[i]!.slice(left).startsWith('└'); i++) {
    const inner = [...lines[i]!].slice(left + 1, left + width - 1).join('');
    const m = /^\s*([\d.]+)\s*[⡇⢸]/.exec(inner);
    if (m) y.push(Number(m[1]));
    const ticks = inner.match(/-\d+[sm]|now/g);
    if (ticks && !/[⡇⢸⠓⠘]/.test(inner)) x = ticks;
  }
  return { y: y.reverse(), x };
}

test('80x24: every chart\'s axis labels are even, in every window', async (t) => {
  const h = await demoApp(80, 24);
  t.teardown(() => h.close());
  await h.tick(30);
  await h.keys('/', ...'web-01', 'enter', 'v');
  await h.until(/Stats web-01/);
  for (const window of ['60s', '5m', '1h']) {
    await h.until(new RegExp(`CPU % ${window}`));
    const lines = h.text();
    const tops = lines.flatMap((l, i) => (l.startsWith('┌') ? [i] : []));
    t.is(tops.length, 2);
    for (const top of tops) {
      for (const left of corners(lines[top]!).filter((_, k) => k % 2 === 0)) {
        const { y, x } = axes(lines, top, left, 40);
        const what = `${window} chart at ${top},${left}: y ${y.join(' ')} x ${x.join(' ')}\n${h.screen()}`;
        // y: 0 and at least two more, one step apart
        t.true(y.length >= 3 && y[0] === 0, what);
        for (let i = 1; i < y.length; i++) t.true(Math.abs(y[i]! - y[i - 1]! - y[1]!) < 1e-9, what);
        // x: one unit, one step apart, ending with now
        t.is(x.at(-1), 'now', what);
        const units = new Set(x.slice(0, -1).map((l) => l.slice(-1)));
        t.is(units.size, 1, what);
        const v = [...x.slice(0, -1).map((l) => Number(l.slice(1, -1))), 0];
        t.true(v.length >= 3, what);
        for (let i = 1; i < v.length; i++) t.is(v[i - 1]! - v[i]!, v[v.length - 2]!, what);
      }
    }
    await h.keys('w');
  }
});
