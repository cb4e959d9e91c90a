// The virt-install wizard and virt-clone against lab 1, in tmux: lab-new by direct kernel boot
// with a new 64 MiB qcow2 volume in lab-pool on lab-nat, its console shows LAB-READY; lab-gamma
// cloned to lab-gamma-clone, started, LAB-READY. Holds the labs (lablock.ts); everything made is
// removed again in t.teardown, even when a step fails, and the pool is checked to be as it was.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { command, only, pressUntil, startVirtui, type Tui } from './drive.ts';
import { holdLabsForThisFile } from './lablock.ts';

const URI = 'qemu:///system';
const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8', timeout: 60_000 }).trim();
const quiet = (...args: string[]) => spawnSync('virsh', ['-q', '-c', URI, ...args], { timeout: 60_000 });
const UP = !process.env['VIRTUI_SKIP_LAB'] && spawnSync('virsh', ['-q', '-c', URI, 'list', '--name'], { timeout: 30_000 }).status === 0
  && spawnSync('virt-install', ['--version'], { timeout: 30_000 }).status === 0;
const LAB = UP ? test.serial : test.skip;
if (UP) holdLabsForThisFile();

const volumes = () => { quiet('pool-refresh', 'lab-pool'); return virsh('vol-list', '--pool', 'lab-pool').split('\n').map((l) => l.trim().split(/\s+/)[0]).sort(); };

/** a domain made by the test goes, with its storage, whatever happened */
function removeAfter(t: ExecutionContext, name: string, vols: string[]): void {
  t.teardown(() => {
    quiet('destroy', name);
    quiet('undefine', name, '--remove-all-storage');
    for (const v of vols) quiet('vol-delete', '--pool', 'lab-pool', v);
    rmSync(`/var/log/libvirt/qemu/${name}.log`, { force: true });
  });
}

/** from a pane back to the list, as a user does: the pane keys, then q */
function toList(v: Tui): void {
  // a pane whose program has just ended drops what is typed for a moment (ENDED_GRACE_MS), ^] too
  pressUntil(v, 'C-]', 'PANE KEYS', 5, 3);
  v.keys('q');
  v.wait('NAME.*STATE');
}

/** Right on a choice until it shows `value` */
function choose(v: Tui, label: string, value: string): void {
  for (let i = 0; i < 6 && !new RegExp(`${label} +< ${value} >`).test(v.screen()); i++) v.keys('Right');
  v.wait(`${label} +< ${value} >`, 5);
}

LAB('n: lab-new by direct kernel boot, a new 64 MiB qcow2 volume in lab-pool, lab-nat; its console says LAB-READY; removed with its storage', (t) => {
  t.timeout(600_000);
  const before = volumes();
  removeAfter(t, 'lab-new', ['lab-new.qcow2']);
  const v = startVirtui('110x40', ['-c', URI]);
  t.teardown(() => v.stop());
  v.wait('^lab-alpha +running', 60);
  v.keys('n');
  v.wait('New domain \\(1/3\\): the machine', 60);
  v.wait('vCPUs +1 +host: [0-9]+ CPUs');
  v.wait('Virt type +qemu');
  v.type('lab-new');
  v.keys('Enter', 'Enter', 'C-u');
  v.type('128');
  v.keys('Enter', 'Enter');
  v.wait('New domain \\(2/3\\): install from', 30);
  choose(v, 'Source', 'kernel');
  v.keys('Tab');
  v.type('/var/lib/virt-lab/boot/vmlinuz');
  v.keys('Enter');
  v.type('/var/lib/virt-lab/boot/initrd.img');
  v.keys('Enter', 'C-u');
  v.type('console=ttyS0 lab.hostname=lab-new');
  v.keys('Enter');
  v.wait('New domain \\(3/3\\): disk, network, display', 30);
  v.wait('Pool +lab-pool +[^ ]+ [^ ]+ free in lab-pool');
  // to the libvirt network: Disk, Pool, Size, Format, Bus, Network, Libvirt network
  v.keys('Tab', 'Tab', 'Tab', 'Tab', 'Tab', 'Tab');
  choose(v, 'Libvirt network', 'lab-nat');
  // back to the size, the last text field: Enter there submits
  v.keys('BTab', 'BTab', 'BTab', 'BTab', 'C-u');
  v.type('64M');
  v.keys('Enter');
  // the preview: the exact arguments and virt-install's XML, validated
  v.wait('Create lab-new\\?', 120);
  v.wait('virt-install \\\\');
  v.wait('A new qcow2 volume lab-new.qcow2 in pool lab-pool');
  t.deepEqual(volumes(), before, 'the preview created nothing (--dry-run)');
  v.keys('Enter');
  // virt-install in its pane, then the console pane of the new domain
  v.wait('virt-install lab-new', 30);
  v.wait('LAB-READY lab-new', 240);
  t.is(virsh('domstate', 'lab-new'), 'running');
  const xml = virsh('dumpxml', 'lab-new');
  t.regex(xml, /<domain type='qemu'/);
  t.regex(xml, /<source network='lab-nat'/);
  t.regex(virsh('vol-info', '--bytes', '--pool', 'lab-pool', '--vol', 'lab-new.qcow2'), /Capacity: +67108864 bytes/);
  // back on the list: the new domain is there, selected
  toList(v);
  v.wait('^lab-new +running', 30);
  // destroy it from the list, undefine it with its storage
  only(v, 'lab-new');
  v.keys('D');
  v.wait('Destroy lab-new');
  v.keys('y');
  v.wait('^lab-new +shut off', 60);
  v.keys('X');
  // (the key waits for the destroy's refresh: slow on a busy machine)
  v.wait('Undefine lab-new', 90);
  v.type('lab-new');
  v.keys('Enter');
  v.wait('no domain matches /lab-new', 30);
  // its storage: the volume it was given, from the volumes screen
  v.keys('Escape');
  v.gone('/lab-new: 0 shown');
  command(v, 'vol lab-pool', '^lab-new\\.qcow2 ');
  only(v, 'lab-new');
  v.keys('X');
  v.wait('Delete volume lab-new.qcow2');
  v.wait('No domain uses it');
  v.keys('y');
  v.wait('no volume matches /lab-new', 30);
  t.deepEqual(volumes(), before, 'lab-pool is as it was');
  t.not(quiet('dominfo', 'lab-new').status, 0, 'lab-new is gone');
});

LAB('C: lab-gamma cloned to lab-gamma-clone with its own disk, started, LAB-READY; removed with its copy', (t) => {
  t.timeout(600_000);
  t.is(virsh('domstate', 'lab-gamma'), 'shut off');
  const before = volumes();
  removeAfter(t, 'lab-gamma-clone', ['lab-gamma-clone.qcow2']);
  const v = startVirtui('110x40', ['-c', URI]);
  t.teardown(() => v.stop());
  v.wait('^lab-gamma +shut off', 60);
  only(v, 'lab-gamma');
  v.keys('C');
  v.wait('Clone lab-gamma', 60);
  v.wait('vda copy +/var/lib/virt-lab/pool/lab-gamma-clone\\.qcow2 +in pool lab-pool');
  v.keys('Enter', 'Enter');
  v.wait('Clone lab-gamma to lab-gamma-clone\\?', 30);
  v.wait('virt-clone --connect qemu:///system --original lab-gamma --name lab-gamma-clone --file');
  v.wait('/var/lib/virt-lab/pool/lab-gamma-clone\\.qcow2$|/var/lib/virt-lab/pool/lab-gamma-clone\\.qcow2 ');
  v.keys('Enter');
  v.wait('virt-clone lab-gamma-clone', 30);
  v.wait("Clone 'lab-gamma-clone' created successfully", 300);
  toList(v);
  v.keys('Escape');
  v.wait('^lab-gamma-clone +shut off', 60);
  t.true(volumes().includes('lab-gamma-clone.qcow2'));
  only(v, 'gamma-clone');
  v.keys('u');
  v.wait('^lab-gamma-clone +running', 60);
  // a key on a row whose action (the start) has not settled yet is refused: c again then
  pressUntil(v, 'c', 'console lab-gamma-clone');
  v.wait('LAB-READY', 240);
  toList(v);
  quiet('destroy', 'lab-gamma-clone');
  quiet('undefine', 'lab-gamma-clone', '--remove-all-storage');
  t.deepEqual(volumes(), before, 'lab-pool is as it was');
  t.is(virsh('domstate', 'lab-gamma'), 'shut off');
});
