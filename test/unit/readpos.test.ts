// A restore's progress (screens/domains/savefile.ts): the read position of the save file in the
// process reading it (/proc/PID/fdinfo), on fdinfo captured on the lab (the first two lines of
// QEMU's, 37 MB into a 93 MB save file, during `virsh restore`) and on this process's own.
import test from 'ava';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fdinfoPos, readPosition, restoreProgress } from '../../src/model/readpos.ts';
import { FIXTURES } from '../helpers.ts';

const fx = (name: string) => readFileSync(join(FIXTURES, 'readpos', name), 'utf8');

test('fdinfo: the position', (t) => {
  t.is(fdinfoPos(fx('fdinfo-qemu-restore.txt')), 37274096);
  t.is(fdinfoPos(fx('fdinfo-read.txt')), 4096);
  t.is(fdinfoPos('flags:\t02\n'), undefined);
});

test('the progress line: bytes read of the file; else its size and the time; else the time alone', (t) => {
  t.deepEqual(restoreProgress({ pos: 37274096, size: 93345629, elapsedMs: 1400 }), { text: '35.5 MiB/89.0 MiB read, 1 s', done: 37274096, total: 93345629 });
  // (the last read may be past the end the stat saw: never more than 100 %)
  t.like(restoreProgress({ pos: 100, size: 50, elapsedMs: 0 }), { done: 50, total: 50 });
  t.deepEqual(restoreProgress({ pos: null, size: 93345629, elapsedMs: 3000 }), { text: 'reading the 89.0 MiB file, 3 s' });
  t.deepEqual(restoreProgress({ pos: null, elapsedMs: 12_400 }), { text: 'reading the file (no progress from libvirt), 12 s' });
});

test('the reader of a file is found among the processes (this one counts here), and followed as it reads', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-readpos-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'x.save');
  writeFileSync(file, Buffer.alloc(64 * 1024));
  const pos = readPosition(file, '/proc', -1);
  t.is(pos(), null, 'nobody has it open yet');
  const fd = openSync(file, 'r');
  t.teardown(() => closeSync(fd));
  t.is(pos(), 0);
  readSync(fd, Buffer.alloc(4096), 0, 4096, null);
  t.is(pos(), 4096);
  readSync(fd, Buffer.alloc(8192), 0, 8192, null);
  t.is(pos(), 12288);
  // virtui's own descriptors are not the reader's
  t.is(readPosition(file)(), null);
});

test('of several readers the furthest; one that closed it is dropped', (t) => {
  const proc = mkdtempSync(join(tmpdir(), 'virtui-proc-'));
  t.teardown(() => rmSync(proc, { recursive: true, force: true }));
  const file = '/var/lib/libvirt/qemu/save/m16-rs.save';
  const fake = (pid: number, fd: number, target: string, info: string) => {
    mkdirSync(join(proc, String(pid), 'fd'), { recursive: true });
    mkdirSync(join(proc, String(pid), 'fdinfo'), { recursive: true });
    symlinkSync(target, join(proc, String(pid), 'fd', String(fd)));
    writeFileSync(join(proc, String(pid), 'fdinfo', String(fd)), info);
  };
  // libvirtd after reading the header, QEMU reading; another process has another file
  fake(23257, 26, file, 'pos:\t67860\nflags:\t0100000\n');
  fake(13896, 26, file, fx('fdinfo-qemu-restore.txt'));
  fake(999, 3, '/var/log/other', 'pos:\t99999999\n');
  const pos = readPosition(file, proc);
  t.is(pos(), 37274096);
  rmSync(join(proc, '13896'), { recursive: true });
  t.is(pos(), 67860);
  rmSync(join(proc, '23257'), { recursive: true });
  t.is(pos(), null);
});
