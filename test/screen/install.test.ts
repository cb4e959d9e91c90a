// The virt-install wizard, clone and rename at 80x24 on the demo host: every bad input refused in
// the form with its reason, the preview is virt-install's own XML, nothing runs before it.
import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';

/** clears the focused text field and types `text` */
const retype = (h: Harness, text: string) => h.keys('end', 'C-u', ...text);

test('n: the three pages refuse each bad input with its reason; the last shows the argument list and virt-install\'s XML', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-install-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'vmlinuz'), 'k');
  writeFileSync(join(dir, 'initrd.img'), 'i');
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  const log = () => h.app.conn.log.entries.map((e) => e.short).join('\n');
  await h.keys('n');
  await h.until(/New domain \(1\/3\): the machine/);
  t.true(h.text().every((l) => l.length <= 80));
  // the "reading the host" line is cleared, not left as a lone check mark
  t.notRegex(h.text().at(-2)!, /✓|reading the host/);
  t.regex(h.screen(), /Memory \(MiB\) +512 +host: 65536 MiB, \? free/);
  t.regex(h.screen(), /vCPUs +1 +host: 32 CPUs/);
  t.regex(h.screen(), /Virt type +test/);
  // Enter walks the text fields; on the last one it submits the page
  const submit = () => h.keys('enter', 'enter', 'enter', 'enter');
  const bad: Array<[string, RegExp]> = [
    ['my vm', /Name: no spaces or other signs in a domain name/],
    ['it"s', /Name: no spaces or other signs/],
    ['$(reboot)', /Name: no spaces or other signs/],
    ['ünï', /Name: no spaces or other signs/],
    ['-rf', /Name: a domain name starts with a letter or a digit/],
    ['web-01', /Name: a domain named web-01 exists on this host/],
  ];
  for (const [name, why] of bad) {
    await retype(h, name);
    await submit();
    await h.until(why);
    t.regex(h.screen(), /New domain \(1\/3\)/, `${name}: the form stays`);
  }
  await retype(h, 'h14a-new');
  await h.keys('enter');
  await retype(h, 'debia');
  await h.until(/OS variant +debia█? +debian\S* debian/);
  await retype(h, 'debian99');
  await h.keys('enter', 'enter', 'enter');
  await h.until(/OS variant: debian99 is not an OS that osinfo-query knows/);
  await retype(h, 'debian11');
  await h.keys('enter');
  await retype(h, '999999');
  await h.keys('enter', 'enter');
  await h.until(/Memory \(MiB\): 999999 MiB is more than the host's memory \(65536 MiB\)/);
  await retype(h, '0');
  await h.keys('enter', 'enter');
  await h.until(/Memory \(MiB\): a guest needs some memory/);
  await retype(h, '256');
  await h.keys('enter');
  await retype(h, '33');
  await h.keys('enter');
  await h.until(/vCPUs: more than the host's 32 CPUs/);
  await retype(h, '1');
  await h.keys('enter');
  await h.until(/New domain \(2\/3\): install from/);
  t.true(h.text().every((l) => l.length <= 80));
  // the cdrom source: a missing ISO
  await h.keys('tab');
  await retype(h, join(dir, 'missing.iso'));
  await h.keys('enter');
  await h.until(/ISO: \/.*missing\.iso does not exist/);
  // direct kernel boot
  await h.keys('up', 'right');
  await h.until(/Kernel arguments/);
  await h.keys('tab');
  await retype(h, join(dir, 'nope'));
  await h.keys('enter', 'enter', 'enter');
  await h.until(/Kernel: \/.*nope does not exist/);
  await retype(h, join(dir, 'vmlinuz'));
  await h.keys('enter');
  await retype(h, join(dir, 'initrd.img'));
  await h.keys('enter');
  await retype(h, 'console=ttyS0 lab.hostname=h14a-new');
  await h.keys('enter');
  await h.until(/New domain \(3\/3\): disk, network, display/);
  t.true(h.text().every((l) => l.length <= 80));
  t.regex(h.screen(), /Pool +default +21\.0 GiB free in default/);
  // the size field: Tab Tab from Disk
  await h.keys('tab', 'tab');
  for (const [size, why] of [['0', /Size: a size of 0 makes no disk/], ['-1G', /Size: a size cannot be negative/], ['22G', /Size: beyond the 21\.0 GiB free in pool default/],
    ['8193T', /Size: 8193T is beyond 2\^53 bytes/], ['1.5Q', /Size: unknown unit Q/]] as const) {
    await retype(h, size);
    await h.keys('enter');
    await h.until(why);
  }
  await retype(h, '64M');
  await h.keys('enter');
  // the preview: the exact arguments and the XML virt-install prints (the test driver's world is
  // in each connection: it says so instead of creating)
  await h.until(/virt-install cannot create it here/, 60_000);
  t.regex(h.screen(), /virt-install \\/);
  t.regex(h.screen(), /--name h14a-new \\/);
  t.regex(h.screen(), /h14a-new/);
  for (let i = 0; i < 6 && !/<domain type="test">/.test(h.screen()); i++) await h.keys('pagedown');
  t.regex(h.screen(), /<domain type="test">/);
  t.notRegex(log(), /virt-install|create/, 'nothing ran');
  await h.keys('escape');
  await h.until(/DOMAINS|Domains/);
});

test('C and N: refused with the reason on a running domain; names checked', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.until(/^build-runner +shut off/m);
  // db-primary runs: the third row
  await h.keys('j', 'j');
  await h.keys('N');
  await h.until(/Cannot rename db-primary[\s\S]*it is running: libvirt renames only a shut-off/);
  // a refusal has nothing to choose: one button
  t.regex(h.screen(), /│ +\[ OK \] +│/);
  t.notRegex(h.screen(), /Cancel|y\/n/);
  await h.keys('enter');
  await h.keys('C');
  await h.until(/Cannot clone db-primary[\s\S]*it is running: virt-clone copies a/);
  t.notRegex(h.screen(), /Cancel/);
  await h.keys('escape');
  // a shut-off one: the rename form refuses bad and taken names
  await h.keys('k', 'k', 'N');
  await h.until(/Rename build-runner/);
  for (const [name, why] of [['web 01', /no spaces or other signs/], ['web-01', /a domain named web-01 exists/], ['build-runner', /the same name/]] as const) {
    await retype(h, name);
    await h.keys('enter');
    await h.until(why);
  }
  await retype(h, 'build-runner2');
  await h.keys('enter');
  await h.until(/^build-runner2 /m);
  t.regex(h.app.conn.log.entries.map((e) => e.short).join('\n'), /virsh domrename --domain build-runner --new-name build-runner2/);
});

test('read-only (-r): n, C and N are not offered', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true, readonly: true });
  t.teardown(() => h.close());
  await h.until(/^build-runner +shut off/m);
  await h.keys('n');
  await h.keys('N');
  await h.keys('C');
  t.notRegex(h.screen(), /New domain|Rename|Clone/);
  await h.keys('?');
  await h.until(/Domains keys/);
  for (let i = 0; i < 5; i++) await h.keys('pagedown');
  t.notRegex(h.screen(), /virt-install|virt-clone|domrename/);
});

test('C: the clone form shows each disk and its copy, refuses a taken name and an existing file, then the exact virt-clone command', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.until(/^build-runner +shut off/m);
  await h.keys('C');
  await h.until(/Clone build-runner/);
  t.regex(h.screen(), /vda: \/var\/lib\/libvirt\/images\/build-runner\.qcow2 \(6\.0 GiB used\)/);
  t.regex(h.screen(), /vda copy +\/var\/lib\/libvirt\/images\/build-runner-clone\.qcow2/);
  t.true(h.text().every((l) => l.length <= 80));
  // a reason that wraps is shown whole, its last line (the why) inside the box
  await retype(h, 'x y');
  await h.keys('enter', 'enter');
  await h.until(/New name: no spaces/);
  t.regex(h.screen(), /digits and \.[\s│]+_ \+ - \(it names files on the host\)/);
  await retype(h, 'web-01');
  await h.keys('enter', 'enter');
  await h.until(/New name: a domain named web-01 exists on this host/);
  await retype(h, 'build-2');
  await h.keys('enter');
  await retype(h, '/var/lib/libvirt/images/web-01.qcow2');
  await h.keys('enter');
  await h.until(/The file exists[\s\S]*web-01\.qcow2 is a volume/);
  await h.keys('enter');
  await h.until(/Clone build-runner/);
  await h.keys('down');
  await retype(h, '/var/lib/libvirt/images/build-2.qcow2');
  await h.keys('enter');
  await h.until(/Clone build-runner to build-2\?/);
  for (const part of [/virt-clone --connect test:\/\/\//, /--original/, /build-runner --name build-2 --file/, /\/var\/lib\/libvirt\/images\/build-2\.qcow2/]) t.regex(h.screen(), part);
  await h.keys('escape');
  t.deepEqual(h.app.conn.log.entries.map((e) => e.short), [], 'nothing ran');
});

test('n: keys typed while the wizard reads the host never act on the list', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.until(/^build-runner +shut off/m);
  // one write: "/" (the filter) and "zz" come while n is still reading the host
  await h.keys('n/zz');
  await h.until(/New domain \(1\/3\): the machine/);
  t.notRegex(h.screen(), /\/zz|no domain matches/);
  t.regex(h.screen(), /Name +█/, 'nor are they typed into the form it opens');
  await h.keys('escape');
  await h.until(/^build-runner +shut off/m);
  t.notRegex(h.screen(), /zz/);
});

test('C: keys typed while the clone reads the disks never act on the list', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.until(/^build-runner +shut off/m);
  await h.keys('C/zz');
  await h.until(/Clone build-runner/);
  t.notRegex(h.screen(), /\/zz|no domain matches/);
  await h.keys('escape');
  await h.until(/^build-runner +shut off/m);
});
