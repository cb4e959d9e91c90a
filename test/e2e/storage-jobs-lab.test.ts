// Storage jobs on lab 1, in tmux: a local file uploaded into a new volume of lab-pool and
// downloaded back byte-identical; a small throwaway qcow2 volume converted to raw by qemu-img
// (the copy compared with qemu-img compare) and both checked; all four listed in :jobs. Holds
// the labs (lablock.ts); every h16b- volume is removed again, even when the test fails.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, only, startVirtui, type Tui } from './drive.ts';
import { holdLabsForThisFile } from './lablock.ts';

const LAB1_URI = 'qemu:///system';
const POOL = 'lab-pool';
const lab1 = (...args: string[]) => execFileSync('virsh', ['-q', '-c', LAB1_URI, ...args], { encoding: 'utf8', timeout: 60_000 }).trim();
const UP = process.env.VIRTUI_SKIP_LAB !== '1' && spawnSync('virsh', ['-q', '-c', LAB1_URI, 'pool-info', POOL], { timeout: 30_000 }).status === 0;
const LAB = UP ? test.serial : test.skip;
if (UP) holdLabsForThisFile();

const UPLOADED = 'h16b-up.bin';
const QCOW = 'h16b-conv.qcow2';
const RAW = 'h16b-conv.raw';

/** the filter changed to `word` (the list keeps its screen: Esc would go back) */
function refilter(v: Tui, word: string): void {
  v.keys('/');
  v.keys('C-u');
  v.type(word);
  v.keys('Enter');
  v.wait(`/${word.replace(/\./g, '\\.')}: 1 shown`);
}

LAB('upload a file into a new volume and download it back byte-identical; qemu-img convert qcow2 -> raw and check both; all in :jobs', (t) => {
  t.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'h16b-e2e-'));
  const drop = (name: string) => spawnSync('virsh', ['-q', '-c', LAB1_URI, 'vol-delete', '--pool', POOL, '--vol', name], { timeout: 60_000 });
  t.teardown(() => {
    for (const n of [UPLOADED, QCOW, RAW]) drop(n);
    rmSync(dir, { recursive: true, force: true });
  });
  for (const n of [UPLOADED, QCOW, RAW]) drop(n);
  // an odd size: the new volume must be made of exactly the file's bytes
  const data = randomBytes(3 * 1024 * 1024 + 12345);
  const src = join(dir, 'up.bin');
  writeFileSync(src, data);
  // a small qcow2 with something in it, made outside virtui
  lab1('vol-create-as', '--pool', POOL, '--name', QCOW, '--capacity', '16M', '--format', 'qcow2');
  const qcowPath = lab1('vol-path', '--pool', POOL, '--vol', QCOW);
  execFileSync('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x5a 1M 2M', qcowPath], { timeout: 60_000 });

  const v = startVirtui('160x40', ['--no-config', '-c', LAB1_URI], ['env', `XDG_STATE_HOME=${join(dir, 'state')}`]);
  t.teardown(() => v.stop());
  v.wait('lab-alpha', 60);
  command(v, `vol ${POOL}`, `Volumes of ${POOL}`);
  v.wait(QCOW.replace('.', '\\.'), 30);

  // upload into a new volume
  v.keys('u');
  v.wait(`Upload a file into pool ${POOL}`);
  v.type(src);
  v.keys('Tab');
  v.type(UPLOADED);
  v.keys('Enter');
  v.wait(`vol-upload of ${POOL}/h16b-up\\.bin done`, 120);
  t.is(lab1('vol-info', '--pool', POOL, '--vol', UPLOADED, '--bytes').match(/Capacity:\s+(\d+)/)?.[1], String(data.length));

  // and back
  only(v, UPLOADED);
  v.keys('D');
  v.wait('Download volume h16b-up\\.bin');
  const back = join(dir, 'back.bin');
  v.keys('C-u');
  v.type(back);
  v.keys('Enter');
  v.wait(`vol-download of ${POOL}/h16b-up\\.bin done`, 120);
  t.true(readFileSync(back).equals(data), 'the download is the file uploaded, byte for byte');

  // qemu-img convert to raw, into the same pool
  refilter(v, QCOW);
  v.keys('v');
  v.wait(`Convert volume h16b-conv\\.qcow2`);
  v.wait(`Name +h16b-conv\\.raw`);
  // Enter moves through the two choices, and submits from the name
  v.keys('Enter');
  v.keys('Enter');
  v.keys('Enter');
  v.wait(`qemu-img convert of ${POOL}/h16b-conv\\.qcow2 -> ${POOL}/h16b-conv\\.raw done`, 180);
  const rawPath = lab1('vol-path', '--pool', POOL, '--vol', RAW);
  t.is(spawnSync('qemu-img', ['compare', '-f', 'qcow2', '-F', 'raw', qcowPath, rawPath], { timeout: 60_000 }).status, 0, 'the raw copy holds what the qcow2 held');
  t.regex(lab1('vol-dumpxml', '--pool', POOL, '--vol', RAW), /<format type='raw'\/>/);

  // check both
  v.keys('c');
  v.wait(`qemu-img check of ${POOL}/h16b-conv\\.qcow2 done: no errors found`, 120);
  refilter(v, RAW);
  v.keys('c');
  v.wait(`qemu-img check of ${POOL}/h16b-conv\\.raw done: nothing to check`, 120);

  // the jobs view lists the five, with their commands
  v.keys('J');
  v.wait('Jobs \\| 5 jobs', 30);
  const s = v.screen();
  t.regex(s, /^done +qemu-img check +lab-pool\/h16b-conv\.raw /m);
  t.regex(s, /^done +qemu-img check +lab-pool\/h16b-conv\.qcow2 /m);
  t.regex(s, /^done +qemu-img convert +lab-pool\/h16b-conv\.qcow2 -> lab-pool\/h16b-conv\.raw /m);
  t.regex(s, /^done +vol-download +lab-pool\/h16b-up\.bin .*virsh vol-down/m);
  t.regex(s, /^done +vol-upload +lab-pool\/h16b-up\.bin .*virsh vol-up/m);
  // the oldest, whole
  v.keys('G');
  v.keys('Enter');
  v.wait(`command: +virsh vol-upload --pool lab-pool --vol h16b-up\\.bin --file ${dir.replace(/[.]/g, '\\.')}/up\\.bin`);
});

const GUEST = 'h16b-save';
const SAVED = `/var/lib/libvirt/qemu/save/${GUEST}-e2e.save`;

LAB('F saves a running guest to a file and restores it from the file, as jobs', (t) => {
  t.timeout(600_000);
  const dir = mkdtempSync(join(tmpdir(), 'h16b-e2e-'));
  const gone = () => {
    spawnSync('virsh', ['-q', '-c', LAB1_URI, 'destroy', GUEST], { timeout: 60_000 });
    spawnSync('virsh', ['-q', '-c', LAB1_URI, 'undefine', GUEST, '--managed-save'], { timeout: 60_000 });
    rmSync(SAVED, { force: true });
    rmSync(`/var/log/libvirt/qemu/${GUEST}.log`, { force: true });
  };
  t.teardown(() => { gone(); rmSync(dir, { recursive: true, force: true }); });
  gone();
  // a guest with nothing to boot: it runs (the firmware waits), which is all a save needs
  const xml = join(dir, 'guest.xml');
  writeFileSync(xml, `<domain type='qemu'><name>${GUEST}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices></domain>`);
  lab1('define', xml);
  lab1('start', GUEST);

  const v = startVirtui('160x40', ['--no-config', '-c', LAB1_URI], ['env', `XDG_STATE_HOME=${join(dir, 'state')}`]);
  t.teardown(() => v.stop());
  v.wait(`${GUEST} +running`, 60);
  only(v, GUEST);
  v.keys('F');
  v.wait(`Save ${GUEST} to a file`);
  v.keys('C-u');
  v.type(SAVED);
  v.keys('Enter');
  v.wait(`save of ${GUEST} done`, 180);
  v.wait(`${GUEST} +shut off`, 60);
  t.regex(lab1('save-image-dumpxml', '--file', SAVED), new RegExp(`<name>${GUEST}</name>`));
  v.keys('F');
  v.wait('Restore from a file');
  // the file it was saved to is offered
  v.wait(SAVED.replace(/[.]/g, '\\.'));
  v.keys('Enter');
  v.wait(`restore of ${GUEST} done`, 180);
  v.wait(`${GUEST} +running`, 60);
  v.keys('J');
  v.wait(`^done +restore +${GUEST} `, 30);
  v.wait(`^done +save +${GUEST} `, 30);
  t.is(lab1('domstate', GUEST), 'running');
});
