// A guest's screen and disks in tmux against lab 1: a throwaway guest with a VNC display and a
// video card (direct kernel boot, console=tty0 console=ttyS0, no disk) seen booting on its
// Screen tab (the drawn cells change), keys sent to it, then lab-gamma's filesystem (virt-df) and
// a file (virt-cat) read from its disk. Holds the labs (lablock.ts); the guest is removed again.
//
// The lab's initramfs runs its shell on ttyS0 only (inittab: `ttyS0::respawn:-/bin/sh`), and
// send-key types on the guest's keyboard, which feeds tty0: `echo hi` typed there reaches no
// shell, so nothing answers it on the serial console. What the keyboard does reach is the kernel
// and init: Ctrl+Alt+Del makes busybox init power the guest off (`::ctrlaltdel:/sbin/poweroff`),
// which the serial log and the list both show. That is what this test checks after typing the line.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { only, pressUntil, startVirtui, type Tui } from './drive.ts';
import { holdLabsForThisFile } from './lablock.ts';
import { waitFor } from '../helpers.ts';

const URI = 'qemu:///system';
const lab1Up = () => !process.env['VIRTUI_SKIP_LAB'] && spawnSync('virsh', ['-q', '-c', URI, 'list', '--name'], { timeout: 30_000 }).status === 0;
const UP = lab1Up() && spawnSync('virt-df', ['--version'], { timeout: 30_000 }).status === 0;
const LAB = UP ? test.serial : test.skip;
if (UP) holdLabsForThisFile();

const GUEST = 'h18-screen';
const SERIAL = `/var/log/libvirt/qemu/${GUEST}-serial0.log`;
const virsh = (...args: string[]) => spawnSync('virsh', ['-q', '-c', URI, ...args], { encoding: 'utf8', timeout: 60_000 });

function removeGuest(): void {
  virsh('destroy', GUEST);
  virsh('undefine', GUEST);
  rmSync(SERIAL, { force: true });
  rmSync(`/var/log/libvirt/qemu/${GUEST}.log`, { force: true });
}

/** the throwaway guest: the lab's kernel and initramfs, a VNC display and a VGA card, no disk */
function defineGuest(t: ExecutionContext): void {
  removeGuest();
  const dir = mkdtempSync(join(tmpdir(), 'virtui-h18-'));
  const file = join(dir, 'guest.xml');
  writeFileSync(file, `<domain type='qemu'>
  <name>${GUEST}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>/var/lib/virt-lab/boot/vmlinuz</kernel>
    <initrd>/var/lib/virt-lab/boot/initrd.img</initrd>
    <cmdline>console=tty0 console=ttyS0 lab.hostname=${GUEST}</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <serial type='pty'><log file='${SERIAL}' append='off'/><target port='0'/></serial>
    <console type='pty'><target type='serial' port='0'/></console>
    <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
    <video><model type='vga'/></video>
  </devices>
</domain>
`);
  execFileSync('virsh', ['-q', '-c', URI, 'define', file], { timeout: 60_000 });
  rmSync(dir, { recursive: true, force: true });
  t.teardown(removeGuest);
}

/** the picture's rows with their colours (tmux's capture with escape sequences), without the lines around it */
function picture(v: Tui): string {
  const out = spawnSync('tmux', ['-L', `tui-drive-${v.name}`, 'capture-pane', '-p', '-e', '-t', v.name], { encoding: 'utf8' }).stdout;
  return out.split('\n').filter((l) => l.includes('▀')).join('\n');
}

const serial = () => (existsSync(SERIAL) ? readFileSync(SERIAL, 'utf8') : '');

function start(t: ExecutionContext): Tui {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-h18-state-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const config = join(dir, 'config.yaml');
  writeFileSync(config, `hosts:\n  - name: lab1\n    uri: ${URI}\n`);
  const v = startVirtui('100x40', ['--config', config, '-c', URI], ['env', `XDG_STATE_HOME=${join(dir, 'state')}`, 'LIBGUESTFS_BACKEND_SETTINGS=force_tcg']);
  t.teardown(() => v.stop());
  return v;
}

LAB('a throwaway guest\'s screen changes as it boots; a typed line and Ctrl+Alt+Del are sent with send-key', async (t) => {
  t.timeout(400_000);
  defineGuest(t);
  const v = start(t);
  v.wait(`^${GUEST} +shut off`, 90);
  only(v, GUEST);
  v.keys('V');
  v.wait(`Domain ${GUEST} \\(screen\\)`, 30);
  v.wait(`${GUEST} is shut off: no picture until it runs`, 30);
  // started from its details: the Screen tab begins to take pictures
  v.keys('u');
  v.wait('[0-9]+x[0-9]+ at [0-9][0-9]:[0-9][0-9]:[0-9][0-9] · every 2 s', 60);
  v.wait('vnc://127\\.0\\.0\\.1:[0-9]+ · ssh -N -L 59[0-9][0-9]:127\\.0\\.0\\.1:59[0-9][0-9] \\S+ · y copies', 30);
  const early = picture(v);
  t.true(early.length > 0);
  // the kernel boots and prints on tty0: the drawn cells change
  await waitFor(() => serial().includes(`LAB-READY ${GUEST}`), 120_000, () => `LAB-READY in ${SERIAL}:\n${serial().slice(-2000)}`);
  await waitFor(() => picture(v) !== early, 60_000, () => `a picture other than the first:\n${v.screen()}`);
  t.not(picture(v), early);
  // a line typed on its keyboard: each send-key shown first, then sent
  v.keys('i');
  v.wait(`type into ${GUEST}`, 15);
  v.type('echo hi');
  v.keys('Enter');
  v.wait(`Type into ${GUEST}`, 15);
  v.wait(`virsh send-key --domain ${GUEST} --codeset linux KEY_E`, 15);
  v.keys('Enter');
  v.wait(`virsh send-key --domain ${GUEST} --codeset linux KEY_ENTER`, 60);
  // the shell is on ttyS0, the keyboard on tty0 (see the top of this file): no answer on the serial console.
  // Ctrl+Alt+Del reaches init, which powers the guest off
  // the line's last send-key may not have settled yet: a key then is refused, and K again
  pressUntil(v, 'K', `Send a key to ${GUEST}`);
  v.keys('Right');
  v.wait('Ctrl\\+Alt\\+Del', 15);
  v.keys('Tab', 'Enter');
  v.wait('many guests reboot \\(or power off\\) at once on it', 15);
  // a dangerous question starts on Cancel: y sends
  v.keys('y');
  v.wait(`virsh send-key --domain ${GUEST} --codeset linux KEY_LEFTCTRL KEY_LEFTALT KEY_DELETE`, 30);
  await waitFor(() => /reboot: Power down/.test(serial()), 90_000, () => `the guest powering off:\n${serial().slice(-1500)}`);
  v.wait(`${GUEST} is shut off: no picture until it runs`, 60);
});

LAB('lab-gamma (shut off): virt-df shows its ext4 filesystem with used and free; virt-cat shows /README.txt', (t) => {
  t.timeout(600_000);
  const v = start(t);
  v.wait('^lab-gamma +shut off', 90);
  only(v, 'lab-gamma');
  v.keys('Enter');
  v.wait('Domain lab-gamma', 30);
  v.keys('8');
  v.wait('Enter reads them', 30);
  v.keys('Enter');
  v.wait('starting the appliance', 15);
  v.wait('/dev/sda +[0-9.]+ MiB +[0-9.]+ KiB +[0-9.]+ MiB +[0-9]+%', 240);
  // its files: no operating system on that disk, so /dev/sda is mounted on / (-m)
  v.keys('b');
  v.wait('Files of lab-gamma: /', 30);
  v.wait('README\\.txt', 240);
  v.wait('/dev/sda mounted on /', 15);
  // README.txt is the last row (directories first)
  v.keys('End', 'Enter');
  v.wait('This volume was made by setup-lab\\.sh', 240);
  t.regex(v.screen(), /lab-gamma:\/README\.txt/);
});
