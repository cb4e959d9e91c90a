// Live migration from virtui, in tmux, between the two real labs (../shared/lab/README.md): a
// throwaway guest (an overlay of the lab's base image) on lab 1 with its console open moves to
// lab 2 with progress, shows there in the fleet view, answers on its console there, comes back,
// and a second, slow migration is cancelled (domjobabort) and leaves it running on lab 1. The
// guest and its overlay are removed from both hosts afterwards, whatever happened.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { only, startVirtui, type Tui } from './drive.ts';
import { holdLabsForThisFile } from './lablock.ts';
import { LAB2_SKIPPED, LAB2_UNIX_URI, lab2Available } from './lab2.ts';
import { labGuestXml, until } from './labguest.ts';

const LAB1_URI = 'qemu:///system';
const DOM = 'h16a-mig';
const POOL_DIR = '/var/lib/virt-lab/pool';
const DISK = join(POOL_DIR, `${DOM}.qcow2`);
const SERIAL_LOG = `/var/log/libvirt/qemu/${DOM}-serial0.log`;
const LOGS = [`/var/log/libvirt/qemu/${DOM}.log`, SERIAL_LOG, `/var/lib/virt-lab2/log/qemu/${DOM}.log`, `/var/lib/virt-lab2/log/qemu/${DOM}-serial0.log`];

const quiet = (uri: string, ...args: string[]) => spawnSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', timeout: 60_000 });
const virsh = (uri: string, ...args: string[]) => execFileSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', timeout: 60_000 }).trim();
/** the domain's state on a host, or 'none' */
const where = (uri: string) => { const r = quiet(uri, 'domstate', DOM); return r.status === 0 ? r.stdout.split('\n')[0]!.trim() : 'none'; };
const lab1Up = () => quiet(LAB1_URI, 'list', '--name').status === 0;

const UP = !LAB2_SKIPPED && lab1Up() && lab2Available() && existsSync(join(POOL_DIR, 'base-image.qcow2'));
const LAB = UP ? test.serial : test.skip;
if (UP) holdLabsForThisFile();

/** removes the guest from both hosts, then its overlay and logs (only once neither host has it) */
function removeGuest(): void {
  for (const uri of [LAB1_URI, LAB2_UNIX_URI]) {
    quiet(uri, 'domjobabort', DOM);
    quiet(uri, 'destroy', DOM);
    quiet(uri, 'undefine', DOM);
  }
  if (where(LAB1_URI) === 'none' && where(LAB2_UNIX_URI) === 'none') {
    for (const f of [DISK, ...LOGS]) rmSync(f, { force: true });
    // lab 2's lab-pool is the same directory: it forgets the overlay at its next refresh
    quiet(LAB2_UNIX_URI, 'pool-refresh', 'lab-pool');
    quiet(LAB1_URI, 'pool-refresh', 'lab-pool');
  }
}

/** the throwaway guest, booted on lab 1 (a migration in its first seconds of boot can hang it: README) */
function makeGuest(t: ExecutionContext): void {
  t.teardown(removeGuest);
  removeGuest();
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', 'base-image.qcow2', DISK], { cwd: POOL_DIR });
  const dir = mkdtempSync(join(tmpdir(), 'virtui-mig-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'dom.xml'), labGuestXml({ name: DOM, title: "throwaway guest of virtui's migrate-lab.test.ts", disk: DISK, serialLog: SERIAL_LOG, mac: '52:54:00:1a:b0:a7' }));
  virsh(LAB1_URI, 'define', join(dir, 'dom.xml'));
  virsh(LAB1_URI, 'start', DOM);
  until(() => existsSync(SERIAL_LOG) && readFileSync(SERIAL_LOG, 'utf8').includes(`LAB-READY ${DOM}`), 90, `${DOM} to boot (LAB-READY)`);
}

function namingConfig(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-mig-cfg-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `hosts:\n  - name: lab1\n    uri: ${LAB1_URI}\n  - name: lab2\n    uri: "${LAB2_UNIX_URI}"\n`);
  return file;
}

/** the guest's console on the selected row answers a command */
function consoleAnswers(v: Tui): void {
  v.keys('c');
  v.wait(`Connected to domain '${DOM}'`, 30);
  v.keys('Enter');
  v.wait(`${DOM}:/# ?$`, 30);
  v.type('echo answer=$((6*7))');
  v.keys('Enter');
  v.wait('^answer=42', 20);
}

/** from the migrate screen: the form, `--unsafe` ticked and a bandwidth (MiB/s, '' for none), then Check */
function unsafeWith(v: Tui, bandwidth: string): void {
  v.keys('e');
  v.wait('Undefine source');
  // Target, Kind, Persistent, Undefine source, Copy disks, Unsafe
  v.keys('Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Space');
  v.wait('Unsafe +\\[x\\]');
  // Auto-converge, Compressed, Bandwidth
  v.keys('Tab', 'Tab', 'Tab', 'C-u');
  if (bandwidth) v.type(bandwidth);
  v.keys('Tab', 'Tab', 'Enter');
  v.wait('! --unsafe: libvirt does not check', 60);
}

LAB('a guest with its console open migrates live to lab 2 with progress, answers there, comes back; a slow second migration is cancelled', (t) => {
  t.timeout(600_000);
  makeGuest(t);
  const v = startVirtui('120x36', ['--config', namingConfig(t), '-c', LAB1_URI, '-c', LAB2_UNIX_URI]);
  t.teardown(() => v.stop());
  v.wait('^virtui lab1 \\(1/2\\)', 30);
  v.wait(`^${DOM} +running`, 30);

  // its console, open while it moves
  only(v, DOM);
  consoleAnswers(v);
  v.keys('C-]', 'q');
  v.wait('NAME.*STATE');

  // from the fleet view: the plan, the pre-flight against lab 2, the command
  v.keys('A');
  v.wait(`^lab1 +${DOM} +running`, 30);
  only(v, DOM);
  v.keys('o');
  v.wait(`^Migrate ${DOM} \\(running\\) from lab1`);
  v.wait('✓ network lab-nat: active on lab2', 60);
  v.wait(`✓ vda ${DISK}: lab2 has it \\(shared storage\\)`);
  v.wait('! libvirt refuses a live migration unless it can prove');
  // a bandwidth limit, so that its progress shows for a few seconds
  unsafeWith(v, '6');
  t.notRegex(v.screen(), /✗/, 'no pre-flight check fails');
  v.wait('migrate --live --persistent --undefinesource --bandwidth 6 --unsafe --domain h16a-mig');
  v.keys('Enter');
  v.wait(`Migrate ${DOM} to lab2`);
  v.keys('Enter');
  v.wait('Migration running', 15);
  v.wait('^  [█░]+ +[0-9]+% [0-9.]+ [KMG]iB/[0-9.]+ MiB, .* MiB/s', 30);
  // the row of the list says so too (the fleet view under this screen)
  v.keys('Escape');
  v.wait(`^lab1 +${DOM} +running, migrate [0-9]+%`, 20);
  v.wait(`^lab2 +${DOM} +running`, 120);
  v.gone(`^lab1 +${DOM}`, 30);
  t.is(where(LAB1_URI), 'none');
  t.is(where(LAB2_UNIX_URI), 'running');
  t.is(virsh(LAB2_UNIX_URI, 'dominfo', DOM).match(/^Persistent:\s+(\S+)/m)?.[1], 'yes');

  // its console there still answers
  consoleAnswers(v);
  v.keys('C-]', 'q');
  v.wait('NAME.*STATE');

  // back to lab 1
  v.keys('o');
  v.wait(`^Migrate ${DOM} \\(running\\) from lab2`);
  v.wait('to +lab1 +qemu:///system');
  unsafeWith(v, '');
  v.keys('Enter');
  v.wait(`Migrate ${DOM} to lab1`);
  v.keys('Enter');
  v.wait(`${DOM} is on lab1 now`, 120);
  v.keys('Escape');
  v.wait(`^lab1 +${DOM} +running`, 60);
  v.gone(`^lab2 +${DOM}`, 30);
  t.is(where(LAB1_URI), 'running');
  t.is(where(LAB2_UNIX_URI), 'none');

  // a slow one (1 MiB/s: two minutes), cancelled
  v.keys('o');
  v.wait(`^Migrate ${DOM} \\(running\\) from lab1`);
  unsafeWith(v, '1');
  v.keys('Enter');
  v.wait(`Migrate ${DOM} to lab2`);
  v.keys('Enter');
  v.wait('^  [█░]+ +[0-9]+% [0-9.]+ [KMG]iB/[0-9.]+ MiB, .* 1\\.0 MiB/s', 30);
  v.keys('x');
  v.wait(`Cancel the migration of ${DOM}`);
  v.keys('Enter');
  v.wait('Migration cancelled', 60);
  v.wait('stays on the source');
  t.is(where(LAB1_URI), 'running');
  t.is(where(LAB2_UNIX_URI), 'none');
  v.keys('Escape');
  v.wait(`^lab1 +${DOM} +running *$|^lab1 +${DOM} +running +[0-9]`, 30);
  // and it still answers on lab 1
  consoleAnswers(v);
});
