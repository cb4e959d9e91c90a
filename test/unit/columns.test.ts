// Row rendering and table layout: pure functions on real records.
import test from 'ava';
import { domainCells, sortDomains, DOMAIN_COLUMNS, domainRow } from '../../screens/domains/columns.ts';
import { layoutColumns, formatRow } from '../../src/ui/table.ts';
import { fit, humanKiB, humanPair, humanSeconds } from '../../src/ui/text.ts';
import { strWidth } from '../../src/ui/blessed-compat.ts';
import { rowMatches } from '../../src/ui/filter.ts';
import { parseDomList } from '../../src/libvirt/parse.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import { capture } from '../helpers.ts';

const d = (o: Partial<Domain>): Domain => ({ name: 'x', id: 1, state: 'running', autostart: false, persistent: true, managedSave: false, ...o });

test('cells of a running and a saved shut-off domain', (t) => {
  t.deepEqual(domainCells(d({ name: 'web-02', vcpus: 2, memory: 1572864, memoryMax: 2097152, cpuTime: 3725, autostart: true })),
    ['web-02', 'running', '-', '', '2', '1.5/2.0 GiB', 'yes', 'yes', '', '']);
  t.deepEqual(domainCells(d({ name: 'win', id: null, state: 'shut off', vcpus: 4, memoryMax: 8388608, managedSave: true, cpuTime: 99 })),
    ['win', 'shut off (saved)', '-', '', '4', '8.0/8.0 GiB', 'no', 'yes', '-', '']);
  t.deepEqual(domainCells(d({ persistent: false, vcpus: 1, vcpusMax: 4, memory: 524288, memoryMax: 524288 })).slice(4),
    ['1/4', '512/512 MiB', '-', 'no', '', '']);
  // the IP column: the most trusted source's first IPv4, and where it came from; IPv6 apart
  const ip = { v4: ['192.168.160.14', '10.0.0.2'], v6: ['2001:db8::5'], source: 'agent' as const, all: [] };
  t.deepEqual(domainCells(d({}), { history: undefined, now: 0, ip }).slice(8), ['192.168.160.14 agent', '2001:db8::5']);
  t.deepEqual(domainCells(d({ state: 'shut off', id: null }), { history: undefined, now: 0, ip }).slice(8), ['-', '']);
});

test('units', (t) => {
  t.is(humanKiB(512), '512 KiB');
  t.is(humanKiB(1048576), '1.0 GiB');
  t.is(humanKiB(undefined), '-');
  t.is(humanPair(undefined, 2097152), '?/2.0 GiB');
  t.is(humanSeconds(12.34), '12.3s');
  t.is(humanSeconds(245), '4m05s');
  t.is(humanSeconds(90000), '1d01h');
});

test('sorting by each column, and reversed', (t) => {
  const list = [d({ name: 'b', vcpus: 8, state: 'shut off', id: null }), d({ name: 'a', vcpus: 2 }), d({ name: 'c', vcpus: 4, state: 'paused' })];
  t.deepEqual(sortDomains(list, 0, false).map((x) => x.name), ['a', 'b', 'c']);
  t.deepEqual(sortDomains(list, 0, true).map((x) => x.name), ['c', 'b', 'a']);
  t.deepEqual(sortDomains(list, 1, false).map((x) => x.name), ['a', 'c', 'b']);
  t.deepEqual(sortDomains(list, 4, true).map((x) => x.name), ['b', 'c', 'a']);
  // CPU % comes from the stats history: the busiest first
  const cpu = new Map([['a', 3], ['c', 40]]);
  t.deepEqual(sortDomains(list, 2, true, (x) => cpu.get(x.name) ?? -1).map((x) => x.name), ['c', 'a', 'b']);
});

test('filter: substring, case-insensitive, ! negates', (t) => {
  const cells = ['Web-01', 'running'];
  t.true(rowMatches(cells, 'web'));
  t.true(rowMatches(cells, 'RUN'));
  t.false(rowMatches(cells, 'db'));
  t.false(rowMatches(cells, '!running'));
  t.true(rowMatches(cells, '!shut'));
  t.true(rowMatches(cells, ''));
});

test('layout fits 80 columns with short titles and keeps every row the full width', (t) => {
  const rows = parseDomList(capture('hostile-list-all.txt')).map((r) => domainRow(d({ ...r, vcpus: 2, memory: 2097152, memoryMax: 8388608, cpuTime: 100000 })));
  for (const width of [80, 60, 160]) {
    const layout = layoutColumns(DOMAIN_COLUMNS, rows, width);
    // a column left out takes no gap
    const used = layout.widths.reduce((a, b) => a + b, 0) + layout.widths.filter((w) => w > 0).length - 1;
    t.true(used <= width, `width ${width}: ${used}`);
    for (const r of rows) t.true(strWidth(formatRow(r.cells, layout, DOMAIN_COLUMNS)) <= width);
  }
  t.deepEqual(layoutColumns(DOMAIN_COLUMNS, rows, 60).titles.slice(2, 8), ['CPU%', 'CPU 60s', 'VCPU', 'MEMORY', 'AUTO', 'PERS']);
  t.is(layoutColumns(DOMAIN_COLUMNS, rows, 160).titles[5], 'MEMORY (CUR/MAX)');
});

test('fit counts wide characters (emoji, CJK) as two cells', (t) => {
  t.is(strWidth('ünï-🚀'), 6);
  t.is(fit('ünï-🚀', 8), 'ünï-🚀  ');
  t.is(strWidth(fit('日本語のドメイン', 7)), 7);
  t.is(fit('abcdef', 4), 'abc…');
  t.is(fit('7', 3, 'right'), '  7');
});

test('a screen too narrow for every column leaves the optional ones out (highest first) before it cuts a name; an empty hideEmpty column is not shown', async (t) => {
  const { layoutColumns, formatRow } = await import('../../src/ui/table.ts');
  const cols = [
    { title: 'NAME', flex: true, min: 20, max: 30 },
    { title: 'STATE' },
    { title: 'SPARK', optional: 1 },
    { title: 'PERSISTENT', optional: 2 },
    { title: 'IPv6', optional: 9, hideEmpty: true },
  ];
  const rows = [{ key: 'a', cells: ['a-rather-long-domain-name', 'running', '▁▂▃▄▅', 'yes', ''] }];
  const wide = layoutColumns(cols, rows, 80);
  t.deepEqual(wide.widths.map((w) => w > 0), [true, true, true, true, false], 'IPv6 has nothing to show');
  const mid = layoutColumns(cols, rows, 42);
  t.deepEqual(mid.widths.map((w) => w > 0), [true, true, true, false, false], 'PERSISTENT goes first');
  t.is(mid.widths[0], 25, 'the name is whole');
  const narrow = layoutColumns(cols, rows, 36);
  t.deepEqual(narrow.widths.map((w) => w > 0), [true, true, false, false, false], 'then the sparkline, rather than cut the name');
  const line = formatRow(rows[0]!.cells, narrow, cols);
  t.regex(line, /^a-rather-long-domain-name +running *$/);
  // narrower still: only now is the name cut
  const cut = layoutColumns(cols, rows, 30);
  t.true(cut.widths[0]! < 25);
  t.is(formatRow(rows[0]!.cells, cut, cols).length, 30);
});

test('an optional column empty on every row is left out before a name is cut for it (IPv6 when no guest has one)', async (t) => {
  const { layoutColumns } = await import('../../src/ui/table.ts');
  const { DOMAIN_COLUMNS } = await import('../../screens/domains/columns.ts');
  const cells = (name: string) => [name, 'running', '-', '', '1', '512/512 MiB', 'no', 'yes', '192.168.250.162 agent', ''];
  const rows = ['-starts-with-dash', 'quote"double {bold}', 'web 01'].map((n) => ({ key: n, cells: cells(n) }));
  const l = layoutColumns(DOMAIN_COLUMNS, rows, 98);
  t.is(l.widths[0], 19, 'the longest name whole');
  t.true(l.widths[8]! > 0, 'the IP column stays');
  t.is(l.widths[9], 0, 'the empty IPv6 column goes');
  // with an address in it, it is a column like the others
  rows[0]!.cells[9] = '2001:db8::5';
  t.true(layoutColumns(DOMAIN_COLUMNS, rows, 140).widths[9]! > 0);
});

test('a column cut in the middle keeps both ends of a long cell (a URI)', async (t) => {
  const { layoutColumns, formatRow } = await import('../../src/ui/table.ts');
  const cols = [{ title: 'URI', cutMiddle: true, max: 20 }, { title: 'END', max: 20 }];
  const cells = ['qemu+ssh://root@kvm1.example.org/system', 'qemu+ssh://root@kvm1.example.org/system'];
  const line = formatRow(cells, layoutColumns(cols, [{ key: 'a', cells }], 80), cols);
  t.is(line, 'qemu+ssh:/…rg/system qemu+ssh://root@kvm…');
});

test(':hosts on a loaded machine at 120 columns: the URI is cut before the note, which keeps the host name whole; at 80 both keep their ends', async (t) => {
  const { HOST_COLUMNS } = await import('../../screens/hosts/columns.ts');
  // the rows CI saw under load: three-digit round trips, a CPU figure, lab 2's long socket URI
  const rows = [
    { key: 'lab1', cells: ['*lab1', 'up', '1/3', '96.4%', '1.2/23.5 GiB', '125 ms', '9.0.0', 'qemu:///system', 'host vm'] },
    { key: 'lab2', cells: [' lab2', 'up', '1/1', '-', '1.2/23.5 GiB', '257 ms', '9.0.0', 'qemu+unix:///system?socket=/run/virt-lab2/libvirt-sock', 'host virtlab2-host.example'] },
  ];
  const wide = formatRow(rows[1]!.cells, layoutColumns(HOST_COLUMNS, rows, 120), HOST_COLUMNS);
  t.is(strWidth(wide), 120);
  t.regex(wide, /qemu\+unix:.*libvirt-sock host virtlab2-host\.example *$/, wide);
  // at 80 the URI keeps its scheme and its socket's end, and no column before it is trimmed
  const line = formatRow(rows[1]!.cells, layoutColumns(HOST_COLUMNS, rows, 80), HOST_COLUMNS);
  t.is(strWidth(line), 80);
  t.regex(line, /^ lab2 +up +1\/1 +- 1\.2\/23\.5 GiB 257 ms 9\.0\.0 qemu\+unix:…\S*sock \S/, line);
  // a host that is down: its reason gets what the URI gave up
  const down = [rows[0]!, { key: 'lab2', cells: [' lab2', 'down (retry in 8 s)', '-', '-', '-', '-', '9.0.0', rows[1]!.cells[7]!, "Failed to connect socket to '/run/virt-lab2/libvirt-sock': Connection refused"] }];
  const wideDown = formatRow(down[1]!.cells, layoutColumns(HOST_COLUMNS, down, 120), HOST_COLUMNS);
  t.regex(wideDown, /qemu\+unix:…\S*sock Failed to connect socket to '\/r/, wideDown);
});
