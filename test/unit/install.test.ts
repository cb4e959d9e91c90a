// The virt-install / virt-clone argument builders and the checks of the create, clone and rename forms.
import test from 'ava';
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import {
  checkClone, checkInstall, commandLines, defaultCloneName, hostFreeKiB, missingTool, cloneArgs, cloneFileName, gibString, installArgs, installError, MAX_BYTES, memoryMiB, newVolumeName, offersUefi,
  parseNodeinfo, parseOsinfo, parseSize, printXmlArgs, renameRefusal, searchOsinfo, subValue, virtTypes, type HostFacts, type InstallForm,
} from '../../src/libvirt/install.ts';
import { privateFiles, toolProblem } from '../../src/virsh/virtinst.ts';
import { parseNodeMem } from '../../src/libvirt/node.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { ROOT } from '../helpers.ts';

const fx = (f: string) => readFileSync(new URL(`../fixtures/install/${f}`, import.meta.url), 'utf8');

const URI = 'qemu:///system';
const base: InstallForm = {
  name: 'lab-new', osinfo: 'detect', memory: '128', vcpus: '1', firmware: 'bios', virtType: 'qemu',
  source: 'kernel', kernel: '/var/lib/virt-lab/boot/vmlinuz', initrd: '/var/lib/virt-lab/boot/initrd.img', kernelArgs: 'console=ttyS0 lab.hostname=lab-new',
  disk: 'new', pool: 'lab-pool', size: '64M', format: 'qcow2', bus: 'virtio', net: 'network', network: 'lab-nat', model: 'virtio', graphics: 'none',
};
const host: HostFacts = {
  memKiB: 7431968, freeKiB: 4_000_000, cpus: 2, domains: ['lab-alpha', 'lab-beta', 'lab-gamma'],
  pools: [{ name: 'lab-pool', available: 244_856_000_000, active: true, volumes: ['alpha-root.qcow2', 'gamma-root.qcow2'] }, { name: 'off', active: false }],
  networks: ['lab-nat', 'lab-isolated'], osinfo: parseOsinfo(fx('osinfo-query.txt')).map((o) => o.id), exists: (p) => p.startsWith('/var/lib/virt-lab/boot/') || p === '/srv/debian.iso',
};

test('the acceptance guest: kernel boot, a new 64 MiB qcow2 volume, lab-nat, TCG, a serial console', (t) => {
  t.deepEqual(installArgs(URI, base), [
    '--connect', URI, '--name', 'lab-new', '--osinfo', 'detect=on,require=off', '--memory', '128', '--vcpus', '1', '--virt-type', 'qemu', '--import',
    '--boot', 'kernel=/var/lib/virt-lab/boot/vmlinuz,initrd=/var/lib/virt-lab/boot/initrd.img,kernel_args="console=ttyS0 lab.hostname=lab-new"',
    '--disk', 'pool=lab-pool,size=0.0625,format=qcow2,bus=virtio', '--network', 'network=lab-nat,model=virtio',
    '--graphics', 'none', '--serial', 'pty', '--noautoconsole',
  ]);
  t.deepEqual(checkInstall(base, host), {});
  t.deepEqual(printXmlArgs(['--name', 'x']), ['--name', 'x', '--print-xml', '--dry-run'], 'the preview creates nothing');
});

test('every install source, disk, network and graphics option', (t) => {
  const args = (f: Partial<InstallForm>) => installArgs(URI, { ...base, ...f }).join(' ');
  t.regex(args({ source: 'cdrom', iso: '/srv/debian.iso' }), / --cdrom \/srv\/debian\.iso /);
  t.regex(args({ source: 'cdrom', iso: 'isos/debian.iso', disk: 'none' }), / --disk vol=isos\/debian\.iso,device=cdrom .*--network/);
  t.notRegex(args({ source: 'cdrom', iso: 'isos/debian.iso', disk: 'none' }), /--disk none/, 'the cdrom volume is a disk already');
  t.regex(args({ source: 'pxe' }), / --pxe /);
  t.regex(args({ source: 'import', image: 'lab-pool/base-image.qcow2', disk: 'none' }), / --import --disk vol=lab-pool\/base-image\.qcow2,bus=virtio --network/);
  t.regex(args({ source: 'import', image: '/var/lib/img.qcow2', disk: 'none' }), / --disk path=\/var\/lib\/img\.qcow2,bus=virtio /);
  t.regex(args({ source: 'cloud', image: 'p/cloud.qcow2', sshKey: '/root/.ssh/id.pub', passwordFile: '/tmp/pw', disk: 'none' }),
    / --import --disk vol=p\/cloud\.qcow2,bus=virtio --cloud-init root-password-file=\/tmp\/pw,root-ssh-key=\/root\/.ssh\/id\.pub,clouduser-ssh-key=\/root\/.ssh\/id\.pub /);
  t.regex(args({ source: 'cloud', image: 'p/c', disk: 'none' }), / --cloud-init root-password-generate=on /);
  t.regex(args({ firmware: 'uefi', source: 'pxe' }), / --boot uefi /);
  t.regex(args({ firmware: 'uefi' }), / --boot uefi,kernel=/);
  t.regex(args({ disk: 'new', size: '10G', format: 'raw', bus: 'sata' }), / --disk pool=lab-pool,size=10,format=raw,bus=sata /);
  t.regex(args({ disk: 'existing', volume: 'lab-pool/empty-data.qcow2' }), / --disk vol=lab-pool\/empty-data\.qcow2,bus=virtio /);
  t.regex(args({ disk: 'none' }), / --disk none /);
  t.regex(args({ net: 'bridge', bridge: 'br0', model: 'e1000' }), / --network bridge=br0,model=e1000 /);
  t.regex(args({ net: 'none' }), / --network none /);
  t.regex(args({ graphics: 'spice' }), / --graphics spice --serial pty /);
  t.regex(args({ graphics: 'vnc' }), / --graphics vnc --serial pty --noautoconsole$/);
  t.regex(args({ osinfo: 'debian12' }), / --osinfo debian12 /);
  t.regex(args({ virtType: 'kvm' }), / --virt-type kvm /);
  t.regex(args({ memory: '2G' }), / --memory 2048 /);
});

test('hostile names and values stay single arguments; sub-option values are quoted for virt-install\'s comma parser', (t) => {
  for (const name of ['a b', 'x"y', "it's", '$(reboot)', '-rf', 'ünï']) {
    const a = installArgs(URI, { ...base, name });
    t.is(a[a.indexOf('--name') + 1], name);
    t.truthy(checkInstall({ ...base, name }, host)['name'], `${name} is refused in the form`);
  }
  t.is(subValue('a,b'), '"a,b"');
  t.is(subValue('say "hi"'), '"say \\"hi\\""');
  t.is(subValue('back\\slash'), '"back\\\\slash"');
  t.is(subValue('plain=1'), 'plain=1');
  t.regex(installArgs(URI, { ...base, kernelArgs: 'console=ttyS0,115200 x="1"' }).join(' '), /kernel_args="console=ttyS0,115200 x=\\"1\\""/);
});

test('sizes: exact bytes, exact GiB decimals, and the refusals', (t) => {
  t.is(parseSize('64M'), 64n << 20n);
  t.is(parseSize('64 MiB'), 64n << 20n);
  t.is(parseSize('1.5G'), 3n << 29n);
  t.is(parseSize('10'), 10n << 30n, 'GiB by default, as virt-install');
  t.is(parseSize('512', 'M'), 512n << 20n);
  t.is(parseSize('1GB'), 1_000_000_000n);
  t.is(parseSize('8P'), 'unknown unit P (K, M, G, T: binary; KB, MB, GB, TB: decimal)');
  t.is(parseSize('0'), 'a size of 0 makes no disk');
  t.is(parseSize('0.0G'), 'a size of 0 makes no disk');
  t.is(parseSize('-5G'), 'a size cannot be negative');
  t.is(parseSize(''), 'a size is needed (e.g. 10G or 512M)');
  t.is(parseSize('1e3'), 'not a size: 1e3 (e.g. 10G, 512M, 1.5G)');
  t.is(parseSize('0.1b'), '0.1b is not a whole number of bytes');
  t.regex(parseSize('8193T') as string, /beyond 2\^53 bytes/);
  t.is(parseSize('8192T'), MAX_BYTES, '2^53 bytes itself is fine');
  t.regex(parseSize('9007199254740993b') as string, /beyond 2\^53/, 'one byte above 2^53: a float would round it to 2^53');
  t.is(gibString(64n << 20n), '0.0625');
  t.is(gibString(10n << 30n), '10');
  t.is(gibString(1n), '0.000000000931322574615478515625');
  // every value is read back exactly by a float parser (virt-install: float(size) * 1024**3)
  for (const b of [1n, 512n, 1000n, 64n << 20n, 123456789n, MAX_BYTES - 1n, MAX_BYTES]) t.is(BigInt(Number(gibString(b)) * 2 ** 30), b);
  t.is(memoryMiB('128'), 128);
  t.is(memoryMiB('1G'), 1024);
  t.is(memoryMiB('100K'), 'a whole number of MiB');
  t.is(memoryMiB('0'), 'a guest needs some memory');
  t.is(memoryMiB('-1'), 'memory cannot be negative');
});

test('the checks: each bad input refused with its reason', (t) => {
  const check = (f: Partial<InstallForm>) => checkInstall({ ...base, ...f }, host);
  t.is(check({ name: 'lab-alpha' })['name'], 'a domain named lab-alpha exists on this host');
  t.is(check({ name: '' })['name'], 'a name is needed');
  t.is(check({ memory: '8G' })['memory'], '8192 MiB is more than the host\'s memory (7257 MiB)');
  t.is(check({ vcpus: '3' })['vcpus'], 'more than the host\'s 2 CPUs');
  t.is(check({ vcpus: '0' })['vcpus'], 'a whole number, 1 or more');
  t.is(check({ vcpus: '-1' })['vcpus'], 'a whole number, 1 or more');
  t.is(check({ size: '0' })['size'], 'a size of 0 makes no disk');
  t.is(check({ size: '-1G' })['size'], 'a size cannot be negative');
  t.regex(check({ size: '300G' })['size']!, /beyond the 228 GiB free in pool lab-pool/);
  t.regex(check({ size: '9P' })['size']!, /unknown unit/);
  t.regex(check({ size: '8193T' })['size']!, /2\^53/);
  t.is(check({ pool: 'off' })['pool'], 'pool off is not active (u on the pools screen starts it)');
  t.is(check({ pool: 'nope' })['pool'], 'no pool nope on this host');
  t.is(check({ name: 'gamma-root' })['pool'], 'pool lab-pool has a volume gamma-root.qcow2 already');
  t.is(check({ source: 'cdrom', iso: '/srv/missing.iso' })['iso'], '/srv/missing.iso does not exist');
  t.is(check({ source: 'cdrom', iso: 'relative.iso' })['iso'], 'an absolute path, or POOL/VOLUME');
  t.is(check({ source: 'cdrom', iso: 'lab-pool/none.iso' })['iso'], 'pool lab-pool has no volume none.iso');
  t.is(check({ source: 'cdrom', iso: '' })['iso'], 'an ISO is needed');
  t.deepEqual(check({ source: 'cdrom', iso: '/srv/debian.iso' }), {});
  t.is(check({ kernel: '/boot/nope' })['kernel'], '/boot/nope does not exist');
  t.is(check({ initrd: '/boot/nope.img' })['initrd'], '/boot/nope.img does not exist');
  t.is(check({ network: 'nope' })['network'], 'no network nope on this host');
  t.is(checkInstall({ ...base, network: 'default' }, { ...host, networks: ['default', ...host.networks], inactiveNetworks: ['default'] })['network'],
    'network default is not active (u on the networks screen starts it)');
  t.is(check({ net: 'bridge', bridge: 'br 0' })['bridge'], 'a host bridge name (up to 15 letters, digits, - _ . :)');
  t.is(check({ osinfo: 'debian99' })['osinfo'], 'debian99 is not an OS that osinfo-query knows (type part of a name to search)');
  t.deepEqual(check({ osinfo: 'debian11' }), {});
  t.deepEqual(checkInstall({ ...base, osinfo: 'anything' }, { ...host, osinfo: [] }), {}, 'without osinfo-query, virt-install judges');
  t.is(newVolumeName('x', 'raw'), 'x.img');
});

test('host facts from real outputs: capabilities, domcapabilities, nodeinfo, osinfo-query', (t) => {
  t.deepEqual(virtTypes(fx('capabilities.xml')), ['qemu'], 'the lab offers TCG only');
  t.false(offersUefi(fx('domcapabilities-qemu.xml')), 'no OVMF on the lab');
  t.true(offersUefi(fx('domcapabilities-qemu.xml').replace("<enum name='firmware'/>", "<enum name='firmware'><value>efi</value></enum>")));
  t.deepEqual(parseNodeinfo(fx('nodeinfo.txt')), { cpus: 2, memKiB: 7431968 });
  const os = parseOsinfo(fx('osinfo-query.txt'));
  t.true(os.length > 500);
  t.deepEqual(os[0], { id: 'almalinux8', name: 'AlmaLinux 8' });
  t.is(searchOsinfo(os, 'debian11')[0]?.id, 'debian11');
  t.is(searchOsinfo(os, 'Debian').length, 8, 'at most 8 hits');
  t.deepEqual(searchOsinfo(os, ''), []);
  t.is(installError('[virtui] virt-install ...\nERROR\nAn install method must be specified\n(--location URL)'), 'An install method must be specified');
  t.is(installError('WARNING  x\nERROR    Guest name \'a\' is already in use.\nDomain installation does not appear to have been successful.'), 'Guest name \'a\' is already in use.');
});

test('clone and rename: arguments and refusals', (t) => {
  t.deepEqual(cloneArgs(URI, 'lab-gamma', 'lab-gamma-clone'), ['--connect', URI, '--original', 'lab-gamma', '--name', 'lab-gamma-clone', '--auto-clone']);
  t.deepEqual(cloneArgs(URI, 'a', 'b', ['/p/b.qcow2']), ['--connect', URI, '--original', 'a', '--name', 'b', '--file', '/p/b.qcow2']);
  // a domain whose name begins with a dash is still the original's name, not an option
  t.deepEqual(cloneArgs(URI, '-x y', 'b').slice(2, 3), ['--original=-x y']);
  t.is(cloneFileName('/var/lib/virt-lab/pool/gamma-root.qcow2', 'lab-gamma-clone', 0), '/var/lib/virt-lab/pool/lab-gamma-clone.qcow2');
  t.is(cloneFileName('/p/disk', 'n', 1), '/p/n-1');
  t.is(checkClone('running', 'x', [], []), 'it is running: virt-clone copies a shut-off (or paused) domain');
  t.is(checkClone('shut off', 'lab-alpha', ['lab-alpha'], []), 'a domain named lab-alpha exists on this host');
  t.regex(checkClone('shut off', 'a b', [], []), /no spaces/);
  t.is(checkClone('paused', 'ok', [], [{ pool: 'p', bytes: 3 * 2 ** 30, available: 2 * 2 ** 30 }]), 'the copies need 3.0 GiB in pool p, which has 2.0 GiB free');
  t.is(checkClone('shut off', 'ok', [], [{ pool: 'p', bytes: 2 ** 30, available: 2 * 2 ** 30 }, { pool: 'p', bytes: 2 ** 30, available: 2 * 2 ** 30 }]), '');
  t.is(renameRefusal({ state: 'running', persistent: true }), 'it is running: libvirt renames only a shut-off domain (domrename)');
  t.is(renameRefusal({ state: 'shut off', persistent: false }), 'it is transient: libvirt renames only a defined domain');
  t.is(renameRefusal({ state: 'shut off', persistent: true, managedSave: true }), 'it has a managed save image: libvirt does not rename it (M drops the image)');
  t.is(renameRefusal({ state: 'shut off', persistent: true }), '');
});

test('a missing tool names its Debian package', (t) => {
  t.is(toolProblem(new VirshError('virt-install --print-xml', 'virt-install is not installed', 'install it (apt-get install virt-install)', '', 'missing')), 'virt-install is not installed: apt-get install virtinst');
  t.is(toolProblem(new VirshError('osinfo-query os', 'osinfo-query is not installed', '', '', 'missing')), 'osinfo-query is not installed: apt-get install libosinfo-bin');
  t.is(missingTool(['virt-install', 'osinfo-query'], (x) => (x === 'virt-install' ? '/usr/bin/virt-install' : null)), 'osinfo-query is not installed: apt-get install libosinfo-bin');
  t.is(missingTool(['virt-clone'], () => null), 'virt-clone is not installed: apt-get install virtinst');
  t.is(missingTool(['virt-clone'], (x) => `/usr/bin/${x}`), '');
  t.is(toolProblem(new VirshError('virt-clone', 'virt-clone is not installed', '', '', 'missing')), 'virt-clone is not installed: apt-get install virtinst');
});

test('the preview shows each option with its value on one line, quoted for a shell', (t) => {
  t.deepEqual(commandLines('virt-install', ['--connect', 'qemu:///system', '--name', 'lab-new', '--import', '--boot', 'kernel=/k,kernel_args="console=ttyS0 x=1"', '--noautoconsole']), [
    'virt-install \\',
    '  --connect qemu:///system \\',
    '  --name lab-new \\',
    '  --import \\',
    `  --boot 'kernel=/k,kernel_args="console=ttyS0 x=1"' \\`,
    '  --noautoconsole',
  ]);
});

test('free memory beside the form is never more than the host\'s memory (the lab: nodeinfo 7 GiB, nodememstats 24 GiB)', (t) => {
  const mem = parseNodeMem(fx('nodememstats.txt'));
  const { memKiB } = parseNodeinfo(fx('nodeinfo.txt'));
  t.is(hostFreeKiB(mem, memKiB), 7431968);
  t.is(hostFreeKiB(mem, 64 * 1024 * 1024), 19795772 + 14368 + 2939976);
  t.is(hostFreeKiB({}, memKiB), undefined);
});

test('the offered clone name passes its own check, whatever the original is called (the hostile-names world)', (t) => {
  t.is(defaultCloneName('lab-gamma'), 'lab-gamma-clone');
  t.is(defaultCloneName('x running'), 'x-running-clone');
  t.is(defaultCloneName('quote"double {bold}'), 'quote-double-bold-clone');
  t.is(defaultCloneName('--help'), 'help-clone');
  t.is(defaultCloneName('ünï-🚀'), 'n-clone');
  t.is(defaultCloneName('$(id)'), 'id-clone');
  for (const n of ['x running', 'quote"double {bold}', '--help', 'ünï-🚀', '$(id)', "it's", '🚀', 'a'.repeat(64)]) t.is(checkClone('shut off', defaultCloneName(n), [], []), '', n);
});

test('cloud-init\'s private files go when virtui\'s process exits with them still there (a quit or a signal during the review), and with remove()', (t) => {
  const here = privateFiles({ 'user-data': '#cloud-config\n' });
  t.true(existsSync(here.paths['user-data']!));
  here.remove();
  t.false(existsSync(dirname(here.paths['user-data']!)));
  // a process that exits (as virtui's finish() does on q, SIGTERM or SIGHUP) while the files are there
  const script = `import { privateFiles } from ${JSON.stringify(join(ROOT, 'src', 'virsh', 'virtinst.ts'))};
const f = privateFiles({ 'root-password': 'secret' });
process.stdout.write(f.paths['root-password']);
process.on('SIGTERM', () => process.exit(143));
setInterval(() => {}, 1000);`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `${script}\nsetTimeout(() => process.kill(process.pid, 'SIGTERM'), 50);`], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  t.is(child.status, 143, child.stderr);
  const file = child.stdout;
  t.regex(file, /virtui-cloudinit-.*\/root-password$/);
  t.false(existsSync(dirname(file)), `${dirname(file)} is left behind`);
});
