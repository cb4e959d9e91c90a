// virt-df, virt-ls and virt-cat: their arguments and their output, captured on lab-gamma (lab 1,
// shut off; its disk is a bare ext4 filesystem without an operating system).
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  guestfsEnv, joinPath, NO_OS, parseVirtDfCsv, parseVirtLsLong, usePercent, virtCatArgs, virtDfArgs, virtLsArgs,
} from '../../src/libvirt/guestfs.ts';
import { disksLines, fileRows } from '../../screens/domains/disks.ts';
import { guestfishSpec } from '../../src/pty/commands.ts';
import { FIXTURES } from '../helpers.ts';

const fx = (name: string) => readFileSync(join(FIXTURES, 'guestfs', name), 'utf8');

test('virt-df --csv: lab-gamma\'s ext4 filesystem with its size, used and free', (t) => {
  const rows = parseVirtDfCsv(fx('virt-df-csv-gamma.txt'));
  t.deepEqual(rows, [{ vm: 'lab-gamma', fs: '/dev/sda', sizeKiB: 235431, usedKiB: 27, availKiB: 218201 }]);
  // df rounds up, as the table virt-df prints says (1%)
  t.is(usePercent(rows[0]!), 1);
  t.regex(fx('virt-df-gamma.txt'), /lab-gamma:\/dev\/sda +235431 +27 +218201 +1%/);
});

test('virt-df --csv: quoted fields (a name with a comma), lines that are not rows', (t) => {
  t.deepEqual(parseVirtDfCsv('VirtualMachine,Filesystem,1K-blocks,Used,Available,Use%\n"web, ""01""",/dev/sda1,1000,250,750,25.0%\nnonsense\n'),
    [{ vm: 'web, "01"', fs: '/dev/sda1', sizeKiB: 1000, usedKiB: 250, availKiB: 750 }]);
  t.deepEqual(parseVirtDfCsv(''), []);
});

test('virt-ls -l: the appliance\'s ls -la of / and /data on lab-gamma', (t) => {
  const root = parseVirtLsLong(fx('virt-ls-l-gamma-root.txt'));
  t.deepEqual(root.map((e) => `${e.type} ${e.name}`), ['d .', 'd ..', '- README.txt', 'd data', 'd etc', 'd lost+found']);
  t.deepEqual(root[2], { type: '-', mode: 'rw-r--r--', size: '49', time: 'Nov 29 21:10', name: 'README.txt', target: undefined });
  const data = parseVirtLsLong(fx('virt-ls-l-gamma-data.txt'));
  t.deepEqual(data.map((e) => [e.name, e.size]), [['.', '1024'], ['..', '1024'], ['numbers.txt', '8893']]);
  // what the rows show: no '.', no '..' at /, directories first
  t.deepEqual(fileRows('/', root).map((r) => r.cells[3]), ['data/', 'etc/', 'lost+found/', 'README.txt']);
  t.deepEqual(fileRows('/data', data).map((r) => r.cells[3]), ['..', 'numbers.txt']);
});

test('virt-ls -l: links, devices, a year instead of a time, names with spaces', (t) => {
  const e = parseVirtLsLong([
    'total 8',
    'lrwxrwxrwx  1 0 0     7 Jan  2  2024 bin -> usr/bin',
    'crw-rw-rw-  1 0 0  1, 3 Nov 30 05:23 null',
    '-rw-r--r--. 1 0 0    12 Nov 30 05:23 my file.txt',
  ].join('\n'));
  t.deepEqual(e.map((x) => [x.type, x.name, x.target ?? '', x.size, x.time]), [
    ['l', 'bin', 'usr/bin', '7', 'Jan 2 2024'], ['c', 'null', '', '1,3', 'Nov 30 05:23'], ['-', 'my file.txt', '', '12', 'Nov 30 05:23'],
  ]);
});

test('a disk without an operating system: virt-ls says so, and the browser mounts the filesystem with -m', (t) => {
  t.regex(fx('virt-ls-no-os.txt').split('\n')[0]!, NO_OS);
  t.deepEqual(virtLsArgs('qemu:///system', { kind: 'domain', name: 'lab-gamma' }, '/data', '/dev/sda'), ['-l', '-c', 'qemu:///system', '-d', 'lab-gamma', '-m', '/dev/sda', '--', '/data']);
  t.deepEqual(virtCatArgs('qemu:///system', { kind: 'domain', name: '-x' }, '/README.txt'), ['-c', 'qemu:///system', '-d', '-x', '--', '/README.txt']);
  t.deepEqual(virtDfArgs('qemu:///system', { kind: 'volume', name: 'v', path: '/p/v.qcow2', format: 'qcow2' }), ['--csv', '--format=qcow2', '-a', '/p/v.qcow2']);
  t.regex(fx('virt-cat-dir.txt'), /is a directory/);
});

test('the libguestfs environment: the direct backend, force_tcg passed through; guestfish uses the same', (t) => {
  t.deepEqual(guestfsEnv({ LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg', HOME: '/root' }), { LIBGUESTFS_BACKEND: 'direct', LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg' });
  t.deepEqual(guestfsEnv({ LIBGUESTFS_BACKEND: 'libvirt' }), { LIBGUESTFS_BACKEND: 'libvirt' });
  t.deepEqual(guestfishSpec({ kind: 'domain', name: 'd' }, { uri: 'u', readonly: true, inspect: true, env: { LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg' } }).env,
    { LIBGUESTFS_BACKEND: 'direct', LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg' });
});

test('joinPath: names, .., never above /', (t) => {
  t.is(joinPath('/', 'etc'), '/etc');
  t.is(joinPath('/etc', '..'), '/');
  t.is(joinPath('/', '..'), '/');
  t.is(joinPath('/var', 'log/messages'), '/var/log/messages');
});

test('the Disks tab: before, during and after virt-df; a running guest is told its numbers may lag', (t) => {
  const base = { df: null, dfError: '', dfSince: 0, running: false, refusal: '' };
  t.regex(disksLines('g', base).join('\n'), /Enter reads them/);
  t.regex(disksLines('g', { ...base, dfSince: Date.now() }).join('\n'), /starting the appliance…/);
  const rows = parseVirtDfCsv(fx('virt-df-csv-gamma.txt'));
  const done = disksLines('lab-gamma', { ...base, df: { rows, at: Date.now(), running: false } }).join('\n');
  t.regex(done, /\/dev\/sda +230 MiB +27 KiB +213 MiB +1%/);
  t.notRegex(done, /lag/);
  t.regex(disksLines('g', { ...base, df: { rows, at: Date.now(), running: true }, running: true }).join('\n'), /while it ran: a running guest's numbers may lag/);
  t.deepEqual(disksLines('g', { ...base, refusal: 'the demo host has no disks' }), ['the demo host has no disks']);
});
