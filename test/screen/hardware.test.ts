// The Hardware tab on a fake terminal of 80x24: what it lists, each form with its bad inputs
// refused before anything runs, a change through the review dialog, and read-only.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';

async function hardwareOf(name: string, opts: { readonly?: boolean } = {}): Promise<Harness> {
  const h = await openApp(DEMO_URI, 80, 24, opts);
  await h.until(/web-01/);
  await h.keys('/', ...name, 'enter', 'h');
  await h.until(new RegExp(`Domain ${name} \\(hardware\\)[\\s\\S]*\\[Hardware\\]`));
  await h.until(/Memory: /);
  return h;
}

/** clears the focused field and types `text` */
const retype = (text: string) => ['C-u', ...text];
const actions = (h: Harness) => h.conn.log.entries.length;
/** the dialog's text with its wrapped lines joined (the box's borders and the screen behind it left out) */
const flat = (h: Harness) => h.text().map((l) => /│(.*)│/.exec(l)?.[1]?.trim() ?? '').filter(Boolean).join(' ');

test('80x24: h opens the Hardware tab: memory, vCPUs, disks, CD-ROMs, NICs, the keys', async (t) => {
  const h = await hardwareOf('dev sandbox');
  t.teardown(() => h.close());
  const lines = h.text();
  t.true(lines.every((l) => l.length <= 80));
  const s = h.screen();
  t.regex(s, /Memory: +768 MiB of 768 MiB maximum/);
  t.regex(s, /vCPUs: +1 of 1 maximum/);
  t.regex(s, /Autostart: +no/);
  t.regex(s, /^ +vda +virtio +disk +qcow2 +\/var\/lib\/libvirt\/images\/dev-sandbox\.qcow2/m);
  await h.keys('G');
  t.regex(h.screen(), /CD-ROMs \(1\)[\s\S]*sdb +sata +\/var\/lib\/libvirt\/iso\/debian-12\.iso/);
  t.regex(h.screen(), /s memory +K vCPUs +i add/);
});

test('80x24: the memory form refuses 0, a negative size, above the host, above the running maximum; a good one shows the command and the diff', async (t) => {
  const h = await hardwareOf('web-01');
  t.teardown(() => h.close());
  const before = actions(h);
  await h.keys('s');
  await h.until(/Memory of web-01/);
  t.regex(h.screen(), /Apply +< now and persistently >|Apply +now and persistently/);
  await h.keys(...retype('0'), 'enter', 'enter');
  await h.until(/Current: must be more than 0/);
  // (a refused field keeps the focus)
  await h.keys(...retype('-512M'), 'enter', 'enter');
  await h.until(/Current: a size cannot be negative/);
  await h.keys(...retype('1G'), 'enter', ...retype('100T'), 'enter');
  await h.until(/Maximum: above the host's memory \(64\.0 GiB\)/);
  await h.keys(...retype('4G'), 'up', ...retype('3G'), 'enter', 'enter');
  await h.until(/Current: above the running maximum \(2\.0 GiB\)/);
  t.is(actions(h), before, 'nothing ran');
  await h.keys('up', ...retype('1536M'), 'enter', ...retype('2G'), 'enter');
  await h.until(/Runs:/);
  const s = h.screen();
  t.regex(s, /virsh setmem --domain web-01 --size 1572864KiB --live --config/);
  t.regex(s, /-.*<currentMemory unit='KiB'>2097152<\/currentMemory>/);
  t.regex(s, /\+.*<currentMemory unit='KiB'>1572864<\/currentMemory>/);
  await h.keys('y');
  // the test driver refuses --live with --config for setmem: the reason, and the persistent alternative
  await h.until(/Memory of web-01: refused now/);
  t.regex(h.screen(), /mutually exclusive/);
  t.regex(h.screen(), /virsh setmem --domain web-01 --size 1572864KiB/);
  await h.keys('y');
  await h.until(/Memory: +2\.0 GiB of 2\.0 GiB maximum +\(next boot: 1\.5 GiB of 2\.0 GiB\)/);
  t.regex(h.conn.log.entries.at(-1)!.short, /^virsh setmem --domain web-01 --size 1572864KiB --config$/);
});

test('80x24: the vCPU form refuses 0, a fraction, above the maximum', async (t) => {
  const h = await hardwareOf('web-01');
  t.teardown(() => h.close());
  const before = actions(h);
  await h.keys('K');
  await h.until(/vCPUs of web-01/);
  // the intro wraps at 80x24 instead of losing its end
  t.regex(h.screen(), /Removing vCPUs live often fails\./);
  await h.keys(...retype('0'), 'enter', 'enter');
  await h.until(/Current: at least 1/);
  await h.keys(...retype('1.5'), 'enter', 'enter');
  await h.until(/Current: a whole number/);
  await h.keys(...retype('3'), 'enter', 'enter');
  await h.until(/Current: above the running maximum \(2\)/);
  await h.keys('up', ...retype('1'), 'enter', 'enter');
  await h.until(/virsh setvcpus --domain web-01 --count 1 --live --config/);
  t.is(actions(h), before, 'nothing ran before the review');
  await h.keys('y');
  await h.until(/vCPUs: +1 of 2 maximum/);
});

test('80x24: adding a disk refuses sizes of 0, negative, beyond 2^53 and beyond the pool, a used target, a missing file', async (t) => {
  const h = await hardwareOf('web-01');
  t.teardown(() => h.close());
  const before = actions(h);
  await h.keys('i');
  await h.until(/Add hardware to web-01/);
  // Add, Pool, Volume name, Size ...
  await h.keys('tab', 'tab', 'tab');
  // a bare number is GiB, as in the new domain form (and virt-install): 30 is as much too big as 30G
  t.regex(h.screen(), /Size +10G█ +GiB without a unit/);
  for (const [size, why] of [['0', 'must be more than 0'], ['-1G', 'a size cannot be negative'], ['9007199254740993', 'beyond 2\\^53 bytes'], ['30G', 'more than the pool has free'], ['30', 'more than the pool has free']] as const) {
    await h.keys(...retype(size), 'enter', 'enter', 'enter', 'enter');
    await h.until(new RegExp(`Size: .*${why}`));
  }
  await h.keys(...retype('32M'), 'tab', 'tab', 'tab', ...retype('vda'), 'enter');
  await h.until(/Target: vda is already used by another disk/);
  await h.keys(...retype('hdb'), 'enter');
  await h.until(/Target: a virtio target is vd and letters/);
  // a file that is not there
  await h.keys('C-u', 'up', 'up', 'up', 'up', 'up', 'up', 'right', 'right');
  await h.until(/Path/);
  await h.keys('tab', ...'/nonexistent/h14b.img', 'enter', 'enter', 'enter');
  await h.until(/Path: \/nonexistent\/h14b\.img does not exist/);
  t.is(actions(h), before, 'nothing ran');
  await h.keys('escape');
});

test('80x24: the new disk\'s volume name follows its format until typed into (a raw file was named .qcow2)', async (t) => {
  const h = await hardwareOf('build-runner');
  t.teardown(() => h.close());
  await h.keys('i');
  await h.until(/Volume name +build-runner-disk\.qcow2/);
  // Add, Pool, Volume name, Size, Format
  await h.keys('tab', 'tab', 'tab', 'tab', 'right');
  await h.until(/Format +< raw >/);
  t.regex(h.screen(), /Volume name +build-runner-disk\.raw/);
  await h.keys('up', 'up', 'end', ...'-b', 'down', 'down', 'left');
  await h.until(/Format +< qcow2 >/);
  t.regex(h.screen(), /Volume name +build-runner-disk\.raw-b/);
  await h.keys('escape');
});

test('80x10: the Add form has more fields than rows: the buttons and the keys line stay, the fields scroll with the focus', async (t) => {
  const h = await openApp(DEMO_URI, 80, 10);
  t.teardown(() => h.close());
  await h.until(/build-runner/);
  await h.keys('h');
  await h.until(/Memory: /);
  await h.keys('i');
  await h.until(/Add hardware to build-runner/);
  t.regex(h.screen(), /\[ Review \] {2}\[ Cancel \]/);
  t.regex(h.screen(), /Tab\/Up\/Down move/);
  t.regex(h.screen(), /↓ \d more/);
  // Up from Add: Cancel, Review, then the last field
  await h.keys('up', 'up', 'up');
  await h.until(/Apply +< from next boot >/);
  t.regex(h.screen(), /↑ \d more/);
  t.regex(h.screen(), /\[ Review \]/);
  await h.keys('escape');
});

test('80x24: a disk the hypervisor refuses to attach: its new volume is deleted again, and a notice says both (the status line showed only "vol-delete: ok")', async (t) => {
  // the test driver makes volumes but attaches nothing: the failure comes after a step that made something
  const h = await hardwareOf('build-runner');
  t.teardown(() => h.close());
  const before = actions(h);
  await h.keys('i');
  await h.until(/Add hardware to build-runner/);
  await h.keys('tab', 'tab', 'tab', ...retype('1'), 'enter', 'enter', 'enter', 'enter');
  await h.until(/\[ Apply \]/);
  await h.keys('enter');
  await h.until(/: failed/);
  t.regex(flat(h), /virsh attach-disk .* failed: +Failed to attach disk/);
  t.regex(flat(h), /removed again: +virsh vol-delete --pool default --vol build-runner-disk\.qcow2: ok/);
  t.regex(h.screen(), /\[ OK \]/);
  t.notRegex(h.screen(), /Cancel/);
  t.deepEqual(h.conn.log.entries.slice(before).map((e) => `${e.short.split(' ')[1]} ${e.ok}`), ['vol-create-as true', 'attach-disk false', 'vol-delete true']);
  await h.keys('enter');
  await h.until(/Disks \(1\)/);
  t.notRegex(h.screen(), /: failed/);
  t.is(actions(h), before + 3, 'the notice ran nothing');
});

test('80x24: a CD-ROM medium: a path that does not exist is refused; a file that does shows change-media and the diff', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-hw-test-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const iso = join(dir, 'h14b.iso');
  writeFileSync(iso, 'not really an ISO');
  const h = await hardwareOf('dev sandbox');
  t.teardown(() => h.close());
  const before = actions(h);
  await h.keys('E');
  await h.until(/CD-ROM medium of dev sandbox/);
  // Drive, Do, Medium from, Path, Apply (shut off: from next boot only)
  t.regex(h.screen(), /Apply +from next boot +shut off: the definition/);
  await h.keys('tab', 'tab', 'tab', ...'/nonexistent/h14b.iso', 'enter');
  await h.until(/Path: \/nonexistent\/h14b\.iso does not exist/);
  await h.keys(...retype('relative.iso'), 'enter');
  await h.until(/Path: an absolute path/);
  t.is(actions(h), before, 'nothing ran');
  await h.keys(...retype(iso), 'enter');
  await h.until(/Runs:/);
  t.true(flat(h).includes(`virsh change-media --domain 'dev sandbox' --path sdb --update --source ${iso} --config`), flat(h));
  t.regex(h.screen(), /-.*<source file='\/var\/lib\/libvirt\/iso\/debian-12\.iso'\/>/);
  await h.keys('escape');
  // eject needs a medium; web-01 has no drive at all: i adds one
  await h.keys('E', 'tab', 'right');
  await h.until(/< eject >/);
  await h.keys('escape', 'escape');
  await h.until(/\/dev sandbox: 1 shown/);
  await h.keys('/', 'C-u', ...'web-01', 'enter', 'h');
  await h.until(/Domain web-01 \(hardware\)/);
  await h.keys('E');
  await h.until(/web-01 has no CD-ROM drive\. i adds one/);
  t.regex(h.screen(), /│ +\[ OK \] +│/);
  t.notRegex(h.screen(), /Cancel/, 'a refusal: one button');
  t.is(actions(h), before, 'nothing ran');
});

test('80x24: a NIC refuses a bad MAC and one already used; removing a disk names the volume it deletes', async (t) => {
  const h = await hardwareOf('web-01');
  t.teardown(() => h.close());
  const before = actions(h);
  await h.keys('i', 'right', 'right', 'right', 'right');
  await h.until(/Add +< NIC >/);
  t.regex(h.screen(), /MAC +52:54:00:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}/);
  // Add, Connect to, Network, Model, MAC
  await h.keys('tab', 'tab', 'tab', 'tab', ...retype('01:00:5e:00:00:01'), 'enter');
  await h.until(/MAC: a unicast MAC such as 52:54:00:12:34:56/);
  await h.keys(...retype('52:54:00:10:00:01'), 'enter');
  await h.until(/MAC: 52:54:00:10:00:01 is already used by another NIC/);
  await h.keys(...retype('52:54:00:aa:bb:cc'), 'enter');
  await h.until(/Add a NIC to web-01/);
  t.regex(flat(h), /virsh attach-interface --domain web-01 --type network --source \S+ --model virtio --mac 52:54:00:aa:bb:cc --live --config/);
  t.regex(h.screen(), /\+.*<mac address='52:54:00:aa:bb:cc'\/>/);
  await h.keys('escape');
  await h.keys('O');
  await h.until(/Remove hardware from web-01/);
  await h.keys('tab', ' ');
  await h.until(/Also delete its volume +\[x\]/);
  await h.keys('tab', 'enter', 'enter');
  await h.until(/Remove a disk from web-01/);
  const s = flat(h);
  t.regex(s, /The volume default\/web-01\.qcow2 is DELETED with all its data/);
  t.regex(s, /virsh detach-disk --domain web-01 --target vda --live --config/);
  t.regex(s, /virsh vol-delete --pool default --vol web-01\.qcow2/);
  // a dangerous question starts on Cancel
  await h.keys('enter');
  await h.until(/Boot order/);
  t.is(actions(h), before, 'nothing ran');
});

test('80x24: the boot order is defined from the changed XML, shown as a diff first', async (t) => {
  const h = await hardwareOf('dev sandbox');
  t.teardown(() => h.close());
  await h.keys('b');
  await h.until(/Boot order of dev sandbox/);
  t.regex(h.screen(), /Now: disk vda/);
  // 1st: the CD-ROM, 2nd: the disk
  await h.keys('right', 'tab', 'right');
  await h.until(/2nd +< disk vda/);
  await h.keys('tab', 'tab', 'enter');
  await h.until(/Runs:/);
  const s = h.screen();
  t.regex(s, /virsh define --file \S+dev_sandbox\.xml/);
  t.regex(s, /-.*<boot dev='hd'\/>/);
  await h.keys('pagedown');
  t.regex(h.screen(), /\+.*<boot order='1'\/>/);
  await h.keys('y');
  await h.until(/Boot order: cdrom sdb \(\/var\/lib\/libvirt\/iso\/debian-12\.iso\) > disk vda/);
});

test('80x24 read-only: the Hardware tab shows, and offers no change', async (t) => {
  const h = await hardwareOf('web-01', { readonly: true });
  t.teardown(() => h.close());
  await h.keys('G');
  await h.until(/Read-only connection: the hardware is shown, not changed\./);
  t.notRegex(h.screen(), /s memory/);
  await h.keys('s', 'K', 'i', 'O', 'E', 'b');
  t.notRegex(h.screen(), /Memory of|vCPUs of|Add hardware|Remove hardware|CD-ROM medium|Boot order of/);
  t.is(h.conn.log.entries.length, 0);
});

test('80x24: keys typed while a hardware form reads the XML never act on the tab behind it', async (t) => {
  const h = await hardwareOf('web-01');
  t.teardown(() => h.close());
  // one write: "1" (the Overview tab) comes while s is still reading the XML
  await h.keys('s1');
  await h.until(/Memory of web-01/);
  await h.keys('escape');
  await h.until(/Domain web-01 \(hardware\)[\s\S]*\[Hardware\]/);
  t.regex(h.screen(), /Memory: /);
});
