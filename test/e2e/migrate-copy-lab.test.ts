// A live migration with --copy-storage-all between the two real labs (../shared/lab/README.md),
// from virtui in tmux: the throwaway guest's disk is in a lab-1-only pool (m16-src at
// /var/lib/libvirt/m16-pool: lab 2's /var/lib/libvirt is its own directory, so the same path is
// another directory there), and lab 2 has a throwaway pool m16-pool at that path. The pre-flight
// says the disk is copied and that virtui creates its volume first (the vol-create-as is shown);
// a first, slow migration is cancelled and the volume virtui made on lab 2 is deleted again; the
// second one goes, and the guest runs on lab 2 on the volume virtui made. Everything is removed
// afterwards, whatever happened. While it runs, both hosts say so in :hosts, and lab 2's list
// goes on answering (its domstats is --nowait then: plain domstats waits for QEMU there). The
// labs are held (lablock) for this one test only.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, only, startVirtui, type Tui } from './drive.ts';
import { releaseLabs, takeLabs } from './lablock.ts';
import { LAB2_SKIPPED, LAB2_UNIX_URI, lab2Available } from './lab2.ts';
import { labGuestXml, until } from './labguest.ts';

const LAB1_URI = 'qemu:///system';
const DOM = 'm16-cp';
const DIR = '/var/lib/libvirt/m16-pool';
/** the same path as lab 2 sees it from here (its /var/lib/libvirt is bind-mounted from there) */
const DIR_LAB2 = '/var/lib/virt-lab2/lib/m16-pool';
const VOL = `${DOM}.qcow2`;
const DISK = join(DIR, VOL);
const SIZE = 16 * 2 ** 20;
const SERIAL_LOG = `/var/log/libvirt/qemu/${DOM}-serial0.log`;
const LOGS = [`/var/log/libvirt/qemu/${DOM}.log`, SERIAL_LOG, `/var/lib/virt-lab2/log/qemu/${DOM}.log`, `/var/lib/virt-lab2/log/qemu/${DOM}-serial0.log`];

const quiet = (uri: string, ...args: string[]) => spawnSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', timeout: 60_000 });
const virsh = (uri: string, ...args: string[]) => execFileSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', timeout: 60_000 }).trim();
const where = (uri: string) => { const r = quiet(uri, 'domstate', DOM); return r.status === 0 ? r.stdout.split('\n')[0]!.trim() : 'none'; };
const lab1Up = () => quiet(LAB1_URI, 'list', '--name').status === 0;

const UP = !LAB2_SKIPPED && lab1Up() && lab2Available() && existsSync('/var/lib/virt-lab/boot/vmlinuz');
const LAB = UP ? test.serial : test.skip;

/** the guest, its volumes and both throwaway pools, from both hosts */
function removeAll(): void {
  for (const uri of [LAB1_URI, LAB2_UNIX_URI]) {
    quiet(uri, 'domjobabort', DOM);
    quiet(uri, 'destroy', DOM);
    quiet(uri, 'undefine', DOM);
  }
  quiet(LAB2_UNIX_URI, 'vol-delete', '--pool', 'm16-pool', '--vol', VOL);
  quiet(LAB2_UNIX_URI, 'pool-destroy', 'm16-pool');
  quiet(LAB2_UNIX_URI, 'pool-undefine', 'm16-pool');
  quiet(LAB1_URI, 'vol-delete', '--pool', 'm16-src', '--vol', VOL);
  quiet(LAB1_URI, 'pool-destroy', 'm16-src');
  quiet(LAB1_URI, 'pool-undefine', 'm16-src');
  for (const d of [DIR, DIR_LAB2]) rmSync(d, { recursive: true, force: true });
  for (const f of LOGS) rmSync(f, { force: true });
}

function makeWorld(t: ExecutionContext): void {
  removeAll();
  virsh(LAB1_URI, 'pool-define-as', 'm16-src', 'dir', '--target', DIR);
  virsh(LAB1_URI, 'pool-build', 'm16-src');
  virsh(LAB1_URI, 'pool-start', 'm16-src');
  virsh(LAB2_UNIX_URI, 'pool-define-as', 'm16-pool', 'dir', '--target', DIR);
  virsh(LAB2_UNIX_URI, 'pool-build', 'm16-pool');
  virsh(LAB2_UNIX_URI, 'pool-start', 'm16-pool');
  virsh(LAB1_URI, 'vol-create-as', '--pool', 'm16-src', '--name', VOL, '--capacity', String(SIZE), '--format', 'qcow2');
  const dir = mkdtempSync(join(tmpdir(), 'virtui-m16-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'dom.xml'), labGuestXml({ name: DOM, title: "throwaway guest of virtui's migrate-copy-lab.test.ts", disk: DISK, serialLog: SERIAL_LOG }));
  virsh(LAB1_URI, 'define', join(dir, 'dom.xml'));
  virsh(LAB1_URI, 'start', DOM);
  until(() => existsSync(SERIAL_LOG) && readFileSync(SERIAL_LOG, 'utf8').includes(`LAB-READY ${DOM}`), 90, `${DOM} to boot (LAB-READY)`);
}

function config(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-m16-cfg-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `hosts:\n  - name: lab1\n    uri: ${LAB1_URI}\n  - name: lab2\n    uri: "${LAB2_UNIX_URI}"\n`);
  return file;
}

/** the form: "Copy disks" ticked once (`tick`), the bandwidth set, then Check */
function copyWith(v: Tui, tick: boolean, bandwidth: string): void {
  v.keys('e');
  v.wait('Undefine source');
  // Target, Kind, Persistent, Undefine source, Copy disks
  v.keys('Tab', 'Tab', 'Tab', 'Tab');
  if (tick) { v.keys('Space'); v.wait('Copy disks +\\[x\\]'); }
  // Unsafe, Auto-converge, Compressed, Bandwidth
  v.keys('Tab', 'Tab', 'Tab', 'Tab', 'C-u');
  if (bandwidth) v.type(bandwidth);
  v.keys('Tab', 'Tab', 'Enter');
}

const volOnLab2 = () => quiet(LAB2_UNIX_URI, 'vol-info', '--pool', 'm16-pool', VOL).status === 0;

LAB('--copy-storage-all: virtui creates the disk\'s volume on lab 2 first; the hosts say they migrate meanwhile; a cancelled migration deletes it, a finished one runs on it', async (t) => {
  t.timeout(600_000);
  const waited = await takeLabs(45 * 60_000);
  if (waited > 1000) t.log(`waited ${Math.round(waited / 1000)} s for the labs`);
  t.teardown(() => { try { removeAll(); } finally { releaseLabs(); } });
  makeWorld(t);
  const v = startVirtui('200x45', ['--config', config(t), '-c', LAB1_URI, '-c', LAB2_UNIX_URI]);
  t.teardown(() => v.stop());
  v.wait('^virtui lab1 \\(1/2\\)', 30);
  v.wait(`^${DOM} +running`, 30);
  only(v, DOM);
  v.keys('o');
  v.wait(`^Migrate ${DOM} \\(running\\) from lab1`);
  v.wait(`✗ vda ${DISK}: not on lab2: tick --copy-storage-all to copy it`, 60);

  // ticked: the volume to create, and where, before anything runs
  copyWith(v, true, '1');
  v.wait(`✓ vda ${DISK}: copied; virtui first creates it in lab2's pool m16-pool \\(qcow2, 16\\.0 MiB\\)`, 60);
  v.wait(`vol-create-as --pool m16-pool --name ${VOL} --capacity ${SIZE} --format qcow2`);
  v.wait('migrate --live --persistent --undefinesource --copy-storage-all --bandwidth 1 --domain m16-cp');
  t.false(volOnLab2(), 'nothing is created by the check');

  // a slow one (1 MiB/s), cancelled: the volume virtui made goes again
  v.keys('Enter');
  v.wait(`Migrate ${DOM} to lab2`);
  v.wait(`virtui first creates 1 volume on lab2`);
  v.keys('Enter');
  v.wait('Migration running', 15);
  until(volOnLab2, 30, 'the volume on lab 2');
  v.wait('^  [█░]+ +[0-9]+% ', 60);
  // meanwhile lab 2 is not "slow" (its domstats would wait for QEMU): it says what it is doing,
  // and its list goes on answering (the incoming guest shows there, paused, as libvirt has it)
  command(v, 'hosts', '^ lab2 +migrating +1/2 .*receiving a migration of m16-cp from lab1', 60);
  v.wait('^\\*lab1 +migrating +[0-9]+/[0-9]+ .*sending m16-cp to lab2');
  // well past the point where a refresh that waits reads as slow (two ticks, at least 5 s)
  until(() => Number(/Time elapsed:\s+(\d+)/.exec(quiet(LAB1_URI, 'domjobinfo', DOM).stdout)?.[1] ?? 0) > 12_000, 60, 'the migration to run 12 s');
  v.wait('^ lab2 +migrating +1/2 ');
  t.notRegex(v.screen(), /slow|STALE|down\)/);
  v.keys('Escape');
  v.wait('Migration running');
  v.keys('x');
  v.wait(`Cancel the migration of ${DOM}`);
  v.keys('Enter');
  v.wait('Migration cancelled', 60);
  v.wait(`deleted the volume virtui created on lab2: m16-pool/${VOL}`, 30);
  t.false(volOnLab2());
  t.false(existsSync(join(DIR_LAB2, VOL)));
  t.is(where(LAB1_URI), 'running');
  t.is(where(LAB2_UNIX_URI), 'none');
  t.true(existsSync(DISK), 'the source disk is untouched');

  // no limit: it goes, onto the volume virtui made
  copyWith(v, false, '');
  v.wait(`✓ vda ${DISK}: copied; virtui first creates it`, 60);
  v.keys('Enter');
  v.wait(`Migrate ${DOM} to lab2`);
  v.keys('Enter');
  v.wait(`${DOM} is on lab2 now`, 180);
  t.is(where(LAB2_UNIX_URI), 'running');
  t.is(where(LAB1_URI), 'none');
  t.true(volOnLab2());
  t.regex(virsh(LAB2_UNIX_URI, 'domblklist', DOM), new RegExp(`vda +${DISK}`));
  t.true(existsSync(join(DIR_LAB2, VOL)));
});
