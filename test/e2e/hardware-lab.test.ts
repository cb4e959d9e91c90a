// The Hardware tab against the real lab, in tmux: on running lab-alpha a 32 MiB disk added live
// (a new volume in lab-pool) seen as a new /dev/vd? in its console and removed with its volume,
// and setmem within the maximum followed by the balloon in the memory column; on shut-off
// lab-gamma an ISO made here inserted into its CD-ROM and ejected, and setvcpus --config. Holds
// the labs (lablock.ts); everything is put back in t.teardown, even when a step fails.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { only, startVirtui, type Tui } from './drive.ts';
import { holdLabsForThisFile } from './lablock.ts';

const URI = 'qemu:///system';
const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8', timeout: 60_000 }).trim();
const quiet = (...args: string[]) => spawnSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8', timeout: 60_000 });
const UP = !process.env['VIRTUI_SKIP_LAB'] && quiet('list', '--name').status === 0 && quiet('dominfo', 'lab-alpha').status === 0;
const LAB = UP ? test.serial : test.skip;
if (UP) holdLabsForThisFile();

/** the persistent definition as it is now, defined again in teardown */
function keepDefinition(t: ExecutionContext, dom: string): void {
  const xml = virsh('dumpxml', '--inactive', dom);
  t.teardown(() => {
    const dir = mkdtempSync(join(tmpdir(), 'h14b-def-'));
    writeFileSync(join(dir, 'd.xml'), xml);
    quiet('define', '--file', join(dir, 'd.xml'));
    rmSync(dir, { recursive: true, force: true });
  });
}

/** the question's text with its wrapped lines joined (the box's borders and what is behind it left out) */
const dialogText = (v: Tui) => v.lines().map((l) => /│(.*)│/.exec(l)?.[1]?.trim() ?? '').filter(Boolean).join(' ');

/** waits until the question on screen says `text` (a command wraps in it) */
function says(v: Tui, text: string, seconds = 30): void {
  const end = Date.now() + seconds * 1000;
  while (!dialogText(v).includes(text)) {
    if (Date.now() > end) throw new Error(`the question never said ${JSON.stringify(text)}:\n${v.screen()}`);
    // (between two looks at the screen: a poll, the deadline above decides)
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  }
}

const liveKiB = (dom: string) => Number(/<currentMemory unit='KiB'>(\d+)</.exec(virsh('dumpxml', dom))?.[1]);

LAB('lab-alpha (running): a 32 MiB disk added live shows as a new /dev/vd? in its console, removed with its volume; setmem followed by the balloon', (t) => {
  t.timeout(600_000);
  t.is(virsh('domstate', 'lab-alpha'), 'running');
  keepDefinition(t, 'lab-alpha');
  const vol = `h14b-${process.pid}.qcow2`;
  const mem = liveKiB('lab-alpha');
  t.teardown(() => {
    if (quiet('domblklist', 'lab-alpha').stdout.includes(vol)) {
      const target = quiet('domblklist', 'lab-alpha').stdout.split('\n').find((l) => l.includes(vol))?.trim().split(/\s+/)[0];
      if (target) quiet('detach-disk', 'lab-alpha', target, '--live');
    }
    quiet('vol-delete', '--pool', 'lab-pool', vol);
    if (liveKiB('lab-alpha') !== mem) quiet('setmem', 'lab-alpha', `${mem}KiB`, '--live');
  });
  const v = startVirtui('140x40', ['-c', URI]);
  t.teardown(() => v.stop());
  v.wait('lab-alpha +running', 90);
  only(v, 'alpha');
  v.keys('h');
  v.wait('Domain lab-alpha \\(hardware\\)', 30);
  v.wait('Memory: +192 MiB of 192 MiB maximum', 30);
  // a new volume: Add, Pool, Volume name, Size, Format, Bus, Target, Apply
  v.keys('i');
  v.wait('Add hardware to lab-alpha', 30);
  v.keys('Tab', 'Tab', 'C-u');
  v.type(vol);
  v.keys('Tab', 'C-u');
  v.type('32M');
  v.keys('Tab', 'Tab', 'Tab', 'Tab', 'Right');
  v.wait('< now only >');
  v.keys('Enter', 'Enter');
  v.wait('Runs:', 30);
  says(v, `virsh vol-create-as --pool lab-pool --name ${vol} --capacity 33554432 --format qcow2 --allocation 0`);
  says(v, `virsh attach-disk --domain lab-alpha --source /var/lib/virt-lab/pool/${vol} --target vdc --targetbus virtio --driver qemu --subdriver qcow2 --live`);
  v.keys('y');
  v.wait(`vdc +virtio +disk +qcow2 +/var/lib/virt-lab/pool/${vol.replace(/\./g, '\\.')}`, 60);
  t.regex(virsh('domblklist', 'lab-alpha'), new RegExp(`vdc +/var/lib/virt-lab/pool/${vol.replace(/\./g, '\\.')}`));
  // the guest sees it
  v.keys('c');
  v.wait("Connected to domain 'lab-alpha'", 30);
  v.keys('Enter');
  v.wait('lab-alpha:/# ?$', 30);
  v.type('ls /dev/vd*');
  v.keys('Enter');
  v.wait('/dev/vdc', 30);
  v.keys('C-]', 'q');
  v.wait('Domain lab-alpha \\(hardware\\)', 15);
  // removed, and its volume deleted (asked, named)
  v.keys('O');
  v.wait('Remove hardware from lab-alpha', 30);
  v.keys('Right', 'Right');
  v.wait(`disk vdc /var/lib/virt-lab/pool/${vol.replace(/\./g, '\\.')}`);
  v.keys('Tab', ' ', 'Tab', 'Right');
  v.wait('\\[x\\]');
  v.wait('< now only >');
  v.keys('Enter', 'Enter');
  says(v, `The volume lab-pool/${vol} is DELETED`);
  says(v, 'virsh detach-disk --domain lab-alpha --target vdc --live');
  v.keys('y');
  v.wait(`✓ virsh vol-delete --pool lab-pool --vol ${vol.replace(/\./g, '\\.')}`, 60);
  t.notRegex(virsh('domblklist', 'lab-alpha'), /vdc/);
  t.not(quiet('vol-info', '--pool', 'lab-pool', vol).status, 0, 'the volume is gone');
  // setmem within the maximum, now only; the balloon follows in the memory column
  v.keys('s');
  v.wait('Memory of lab-alpha', 30);
  v.keys('C-u');
  v.type('160M');
  v.keys('Tab', 'Tab', 'Right');
  v.wait('< now only >');
  v.keys('Enter', 'Enter');
  says(v, 'virsh setmem --domain lab-alpha --size 163840KiB --live', 30);
  v.keys('y');
  v.wait('Memory: +160 MiB of 192 MiB maximum', 60);
  v.keys('Escape');
  v.wait('lab-alpha +running .*160/192 MiB', 90);
  t.is(liveKiB('lab-alpha'), 163840);
  // back as it was, through the same form
  v.keys('h');
  v.wait('Domain lab-alpha \\(hardware\\)', 30);
  v.keys('s');
  v.wait('Memory of lab-alpha', 30);
  v.keys('C-u');
  v.type('192M');
  v.keys('Tab', 'Tab', 'Right', 'Enter', 'Enter');
  says(v, 'virsh setmem --domain lab-alpha --size 196608KiB --live', 30);
  v.keys('y');
  v.wait('Memory: +192 MiB of 192 MiB maximum', 60);
  t.is(liveKiB('lab-alpha'), mem);
});

LAB('lab-gamma (shut off): an ISO made here inserted into its CD-ROM and ejected; setvcpus --config', (t) => {
  t.timeout(600_000);
  t.is(virsh('domstate', 'lab-gamma'), 'shut off');
  keepDefinition(t, 'lab-gamma');
  // a directory the daemon can read, outside the pool (a file in the pool would show as a volume)
  const dir = `/var/lib/virt-lab/h14b-${process.pid}`;
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'content'), { recursive: true });
  writeFileSync(join(dir, 'content', 'hello.txt'), 'h14b\n');
  const iso = join(dir, 'h14b.iso');
  execFileSync('xorriso', ['-as', 'mkisofs', '-o', iso, join(dir, 'content')], { stdio: 'ignore', timeout: 60_000 });
  const v = startVirtui('140x40', ['-c', URI]);
  t.teardown(() => v.stop());
  v.wait('lab-gamma +shut off', 90);
  only(v, 'gamma');
  v.keys('h');
  v.wait('Domain lab-gamma \\(hardware\\)', 30);
  v.wait('hdc +ide +\\(empty\\)', 30);
  // Drive, Do, Medium from, Path, Apply: a path that is not there is refused first
  v.keys('E');
  v.wait('CD-ROM medium of lab-gamma', 30);
  v.wait('from next boot');
  v.keys('Tab', 'Tab', 'Tab');
  v.type(`${dir}/missing.iso`);
  v.keys('Enter');
  v.wait(`Path: ${dir}/missing\\.iso does not exist`);
  v.keys('C-u');
  v.type(iso);
  v.keys('Enter');
  says(v, `virsh change-media --domain lab-gamma --path hdc --insert --source ${iso} --config`);
  v.keys('y');
  v.wait(`hdc +ide +${iso.replace(/\./g, '\\.')}`, 60);
  t.true(virsh('dumpxml', '--inactive', 'lab-gamma').includes(`<source file='${iso}'/>`));
  // ejected
  v.keys('E');
  v.wait('CD-ROM medium of lab-gamma', 30);
  v.keys('Tab', 'Right');
  v.wait('< eject >');
  // Do, Apply, Review
  v.keys('Enter', 'Enter', 'Enter');
  says(v, 'virsh change-media --domain lab-gamma --path hdc --eject --config', 30);
  v.keys('y');
  v.wait('hdc +ide +\\(empty\\)', 60);
  t.false(virsh('dumpxml', '--inactive', 'lab-gamma').includes(iso));
  // two vCPUs from the next boot: the maximum first
  v.keys('K');
  v.wait('vCPUs of lab-gamma', 30);
  v.keys('C-u');
  v.type('2');
  v.keys('Tab', 'C-u');
  v.type('2');
  v.keys('Enter');
  says(v, 'virsh setvcpus --domain lab-gamma --count 2 --maximum --config', 30);
  says(v, 'virsh setvcpus --domain lab-gamma --count 2 --config');
  v.keys('y');
  v.wait('vCPUs: +2 of 2 maximum', 60);
  t.regex(virsh('dumpxml', '--inactive', 'lab-gamma'), /<vcpu placement='static'>2<\/vcpu>/);
});
