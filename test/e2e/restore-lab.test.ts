// F's restore from a file on lab 1, in tmux: virsh restore prints nothing while it reads, so the
// job's progress is how far QEMU has read the save file (its /proc fdinfo position against the
// file's size). A throwaway guest (the lab's kernel, 384 MiB: a ~90 MB file, ~5 s to restore)
// is saved with virsh first; virtui restores it and :jobs shows the bytes read. The guest and
// its file are removed afterwards, whatever happened; the labs are held for this one test only.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { only, startVirtui } from './drive.ts';
import { releaseLabs, takeLabs } from './lablock.ts';
import { labGuestXml, until } from './labguest.ts';

const LAB1_URI = 'qemu:///system';
const DOM = 'm16-rs';
const DISK = `/var/lib/virt-lab/pool/${DOM}.qcow2`;
const SAVED = `/var/lib/libvirt/qemu/save/${DOM}-e2e.save`;
const SERIAL_LOG = `/var/log/libvirt/qemu/${DOM}-serial0.log`;

const quiet = (...args: string[]) => spawnSync('virsh', ['-q', '-c', LAB1_URI, ...args], { encoding: 'utf8', timeout: 60_000 });
const lab1 = (...args: string[]) => execFileSync('virsh', ['-q', '-c', LAB1_URI, ...args], { encoding: 'utf8', timeout: 120_000 }).trim();
const UP = process.env.VIRTUI_SKIP_LAB !== '1' && quiet('pool-info', 'lab-pool').status === 0 && existsSync('/var/lib/virt-lab/boot/vmlinuz');
const LAB = UP ? test.serial : test.skip;

function removeAll(): void {
  quiet('destroy', DOM);
  const u = quiet('undefine', DOM, '--managed-save');
  if (quiet('domstate', DOM).status === 0) throw new Error(`${DOM} is still defined: ${u.stderr}`);
  for (const f of [DISK, SAVED, SERIAL_LOG, `/var/log/libvirt/qemu/${DOM}.log`]) rmSync(f, { force: true });
  quiet('pool-refresh', 'lab-pool');
}

LAB('F restores a guest from a file with its progress: the bytes QEMU has read of the file', async (t) => {
  t.timeout(600_000);
  const waited = await takeLabs(45 * 60_000);
  if (waited > 1000) t.log(`waited ${Math.round(waited / 1000)} s for the labs`);
  const dir = mkdtempSync(join(tmpdir(), 'virtui-m16-rs-'));
  t.teardown(() => { try { removeAll(); rmSync(dir, { recursive: true, force: true }); } finally { releaseLabs(); } });
  removeAll();
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'qcow2', '-b', 'base-image.qcow2', DISK], { cwd: '/var/lib/virt-lab/pool' });
  writeFileSync(join(dir, 'dom.xml'), labGuestXml({ name: DOM, title: "throwaway guest of virtui's restore-lab.test.ts", disk: DISK, serialLog: SERIAL_LOG, memoryMiB: 384 }));
  lab1('define', join(dir, 'dom.xml'));
  lab1('start', DOM);
  until(() => existsSync(SERIAL_LOG) && readFileSync(SERIAL_LOG, 'utf8').includes(`LAB-READY ${DOM}`), 90, `${DOM} to boot`);
  lab1('save', DOM, SAVED);
  const mib = (statSync(SAVED).size / 2 ** 20).toFixed(1);

  const v = startVirtui('160x40', ['--no-config', '-c', LAB1_URI], ['env', `XDG_STATE_HOME=${join(dir, 'state')}`]);
  t.teardown(() => v.stop());
  v.wait(`${DOM} +shut off`, 60);
  only(v, DOM);
  v.keys('F');
  v.wait('Restore from a file');
  v.keys('C-u');
  v.type(SAVED);
  v.keys('Enter');
  v.keys('J');
  // read as it goes: a bar, the bytes read of the file's size
  v.wait(`^running +restore +${DOM} .*[█░]+ +[0-9]+% [0-9.]+ [KM]iB/${mib.replace('.', '\\.')} MiB read`, 60);
  v.wait(`^done +restore +${DOM} `, 180);
  t.is(lab1('domstate', DOM), 'running');
});
