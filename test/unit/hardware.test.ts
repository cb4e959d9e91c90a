// The hardware editor's parsers, builders and diff, on the lab's captured XML and every domain
// XML under ../shared/fixtures.
import test from 'ava';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  attachDiskArgs, attachNicArgs, bootOrder, changeMediaArgs, checkCount, checkDiskSize, checkMemory, checkSize, checkTarget, detachDiskArgs, detachNicArgs,
  freeTarget, lineDiff, modesFor, newMac, parseHardware, setmaxmemArgs, setmaxvcpusArgs, setmemArgs, setvcpusArgs, usedTargets, validMac,
  volCreateArgs, withBootOrder, withCurrentMemory, withDevice, withMedia, withMemory, withoutDisk, withoutNic, withVcpus, diskXml, nicXml, autostartArgs,
} from '../../src/libvirt/hardware.ts';
import { hardwareLines, runSteps, type HwCtx } from '../../screens/domains/hardware.ts';
import { FIXTURES, sharedDir } from '../helpers.ts';
import { parseSize as installSize } from '../../src/libvirt/install.ts';

const fx = (n: string) => readFileSync(join(FIXTURES, 'hardware', n), 'utf8');
const ALPHA = fx('lab-alpha.live.xml');
const ALPHA_CFG = fx('lab-alpha.inactive.xml');
const GAMMA = fx('lab-gamma.inactive.xml');

test('lab-alpha (running): memory, vCPUs, disks, NIC, serial and console, boot', (t) => {
  const hw = parseHardware(ALPHA);
  t.is(hw.name, 'lab-alpha');
  t.is(hw.memoryKiB, 196608);
  t.is(hw.currentKiB, 196608);
  t.deepEqual([hw.vcpus, hw.vcpusMax], [1, 1]);
  t.deepEqual(hw.disks.map((d) => [d.target, d.bus, d.device, d.format, d.path, d.readonly]), [
    ['vda', 'virtio', 'disk', 'qcow2', '/var/lib/virt-lab/pool/alpha-root.qcow2', false],
    ['vdb', 'virtio', 'disk', 'raw', '/var/lib/virt-lab/pool/scratch.raw', true],
  ]);
  t.deepEqual(hw.nics.map((n) => [n.mac, n.type, n.source, n.model, n.target]), [['52:54:00:1a:b0:01', 'network', 'lab-nat', 'virtio', 'vnet0']]);
  t.deepEqual(hw.serials.map((s) => [s.kind, s.type, s.target, s.port, s.path]), [['serial', 'pty', 'isa-serial', '0', '/dev/pts/0'], ['console', 'pty', 'serial', '0', '/dev/pts/0']]);
  t.deepEqual(hw.bootDevs, ['hd']);
  t.is(hw.kernel, '/var/lib/virt-lab/boot/vmlinuz');
  t.deepEqual(bootOrder(hw), [{ kind: 'disk', target: 'vda' }]);
});

test('lab-gamma (shut off): a volume disk and an empty IDE CD-ROM', (t) => {
  const hw = parseHardware(GAMMA);
  t.deepEqual(hw.disks.map((d) => [d.target, d.device, d.type, d.pool, d.volume, d.source, d.path]), [
    ['vda', 'disk', 'volume', 'lab-pool', 'gamma-root.qcow2', 'lab-pool/gamma-root.qcow2', ''],
    ['hdc', 'cdrom', 'file', '', '', '', ''],
  ]);
  t.is(hw.disks[1]!.bus, 'ide');
});

test('every domain XML of the shared fixtures parses, and its free targets and boot order are found', (t) => {
  const dir = join(sharedDir(), 'fixtures', 'xml', 'domains');
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
  t.true(files.length >= 100);
  for (const f of files) {
    const xml = readFileSync(join(dir, f), 'utf8');
    const hw = parseHardware(xml);
    t.true(hw.memoryKiB >= 0 && Number.isFinite(hw.vcpus), f);
    const free = freeTarget('virtio', xml);
    t.false(hw.disks.some((d) => d.target === free), f);
    // (a fixture has two NICs with one MAC: a device is found by its MAC, so they count once)
    const order = bootOrder(hw);
    const unique = new Set(order.map((d) => JSON.stringify(d))).size;
    const again = withBootOrder(xml, order);
    t.is((again.match(/<boot order=/g) ?? []).length, unique, f);
    t.notRegex(again, /<boot dev=/, f);
  }
});

test('the free target is in neither the live nor the persistent definition; letters go on past z', (t) => {
  t.is(freeTarget('virtio', ALPHA, ALPHA_CFG), 'vdc');
  t.is(freeTarget('ide', GAMMA), 'hda');
  t.is(freeTarget('sata', GAMMA), 'sda');
  // a disk attached --live only: the persistent XML does not have it, the live one does
  const live = withDevice(ALPHA, 'disk', diskXml({ source: '/x', target: 'vdc', bus: 'virtio', format: 'raw' }));
  t.is(freeTarget('virtio', live, ALPHA_CFG), 'vdd');
  let many = GAMMA;
  for (let i = 0; i < 26; i++) many = withDevice(many, 'disk', diskXml({ source: `/d${i}`, target: `vd${String.fromCharCode(97 + i)}`, bus: 'virtio', format: 'raw' }));
  t.is(freeTarget('virtio', many), 'vdaa');
  t.true(usedTargets(many).has('vdz'));
  t.is(checkTarget('vdb', 'virtio', usedTargets(ALPHA)), 'vdb is already used by another disk');
  t.is(checkTarget('hdd', 'virtio', usedTargets(ALPHA)), 'a virtio target is vd and letters (vdb, vdc ...)');
  t.is(checkTarget('vdc', 'virtio', usedTargets(ALPHA)), '');
});

test('a new MAC is in 52:54:00, locally administered, and not one already taken', (t) => {
  const seq = [[1, 2, 3], [0xab, 0xcd, 0xef]];
  t.is(newMac(() => seq.shift()!, new Set(['52:54:00:01:02:03'])), '52:54:00:ab:cd:ef');
  t.true(validMac('52:54:00:ab:cd:ef'));
  t.false(validMac('01:00:5e:00:00:01'), 'multicast');
  t.false(validMac('52:54:00:ab:cd'));
  // 0x52: bit 1 (locally administered) set, bit 0 (multicast) clear
  t.is(0x52 & 3, 2);
});

test('modes: a running persistent domain gets three, a transient one now only, a shut-off one the definition', (t) => {
  t.deepEqual(modesFor(true, true), ['both', 'live', 'config']);
  t.deepEqual(modesFor(true, false), ['live']);
  t.deepEqual(modesFor(false, true), ['config']);
});

test('the argument arrays', (t) => {
  t.deepEqual(setmemArgs('lab-alpha', 163840n, 'both'), ['setmem', '--domain', 'lab-alpha', '--size', '163840KiB', '--live', '--config']);
  t.deepEqual(setmaxmemArgs('x', 262144n), ['setmaxmem', '--domain', 'x', '--size', '262144KiB', '--config']);
  t.deepEqual(setvcpusArgs('lab-gamma', 2, 'config'), ['setvcpus', '--domain', 'lab-gamma', '--count', '2', '--config']);
  t.deepEqual(setmaxvcpusArgs('x', 4), ['setvcpus', '--domain', 'x', '--count', '4', '--maximum', '--config']);
  t.deepEqual(attachDiskArgs('lab-alpha', { source: '/p/h14b-x.qcow2', target: 'vdc', bus: 'virtio', format: 'qcow2' }, 'live'),
    ['attach-disk', '--domain', 'lab-alpha', '--source', '/p/h14b-x.qcow2', '--target', 'vdc', '--targetbus', 'virtio', '--driver', 'qemu', '--subdriver', 'qcow2', '--live']);
  t.deepEqual(attachDiskArgs('g', { source: '/i.iso', target: 'sda', bus: 'sata', format: 'raw', cdrom: true }, 'config').slice(-5), ['--type', 'cdrom', '--mode', 'readonly', '--config']);
  t.deepEqual(detachDiskArgs('$(id)', 'vdc', 'both'), ['detach-disk', '--domain', '$(id)', '--target', 'vdc', '--live', '--config']);
  t.deepEqual(attachNicArgs('d', { type: 'bridge', source: 'br0', model: 'virtio', mac: '52:54:00:00:00:01' }, 'config'),
    ['attach-interface', '--domain', 'd', '--type', 'bridge', '--source', 'br0', '--model', 'virtio', '--mac', '52:54:00:00:00:01', '--config']);
  t.deepEqual(detachNicArgs('d', 'network', '52:54:00:00:00:01', 'live'), ['detach-interface', '--domain', 'd', '--type', 'network', '--mac', '52:54:00:00:00:01', '--live']);
  t.deepEqual(changeMediaArgs('lab-gamma', 'hdc', 'insert', '/tmp/a b.iso', 'config'), ['change-media', '--domain', 'lab-gamma', '--path', 'hdc', '--insert', '--source', '/tmp/a b.iso', '--config']);
  t.deepEqual(changeMediaArgs('lab-gamma', 'hdc', 'eject', '', 'config'), ['change-media', '--domain', 'lab-gamma', '--path', 'hdc', '--eject', '--config']);
  t.deepEqual(volCreateArgs('lab-pool', 'h14b-1.qcow2', 33554432n, 'qcow2'), ['vol-create-as', '--pool', 'lab-pool', '--name', 'h14b-1.qcow2', '--capacity', '33554432', '--format', 'qcow2', '--allocation', '0']);
  t.deepEqual(autostartArgs('d', false), ['autostart', '--disable', '--domain', 'd']);
});

test('memory and vCPU changes to the XML, and their diff', (t) => {
  const xml = withCurrentMemory(ALPHA_CFG, 163840n);
  t.deepEqual(lineDiff(ALPHA_CFG, xml, 1), [
    '@@ -6,3 +6,3 @@',
    "   <memory unit='KiB'>196608</memory>",
    "-  <currentMemory unit='KiB'>196608</currentMemory>",
    "+  <currentMemory unit='KiB'>163840</currentMemory>",
    "   <vcpu placement='static'>1</vcpu>",
  ]);
  t.is(parseHardware(withMemory(ALPHA_CFG, 262144n)).memoryKiB, 262144);
  const v = withVcpus(GAMMA, 1, 2);
  t.regex(v, /<vcpu placement='static' current='1'>2<\/vcpu>/);
  t.deepEqual([parseHardware(v).vcpus, parseHardware(v).vcpusMax], [1, 2]);
  t.regex(withVcpus(v, 2, 2), /<vcpu placement='static'>2<\/vcpu>/);
  t.deepEqual(lineDiff(GAMMA, GAMMA), []);
});

test('a device added and removed again leaves the XML as it was; the diff shows the block', (t) => {
  const disk = diskXml({ source: "/var/lib/virt-lab/pool/h14b-it's.qcow2", target: 'vdc', bus: 'virtio', format: 'qcow2' });
  const added = withDevice(ALPHA_CFG, 'disk', disk);
  const hw = parseHardware(added);
  t.deepEqual(hw.disks.map((d) => d.target), ['vda', 'vdb', 'vdc']);
  t.is(hw.disks[2]!.path, "/var/lib/virt-lab/pool/h14b-it's.qcow2");
  t.is(withoutDisk(added, 'vdc'), ALPHA_CFG);
  const d = lineDiff(ALPHA_CFG, added, 0);
  t.is(d.filter((l) => l.startsWith('+')).length, 5);
  t.true(d.includes("+      <target dev='vdc' bus='virtio'/>"));
  const nic = withDevice(GAMMA, 'interface', nicXml({ type: 'network', source: 'lab-nat', model: 'e1000', mac: '52:54:00:aa:bb:cc' }));
  t.deepEqual(parseHardware(nic).nics.map((n) => [n.mac, n.model]), [['52:54:00:1a:b0:03', 'virtio'], ['52:54:00:aa:bb:cc', 'e1000']]);
  t.is(withoutNic(nic, '52:54:00:AA:BB:CC'), GAMMA);
  t.deepEqual(parseHardware(withoutDisk(GAMMA, 'hdc')).disks.map((x) => x.target), ['vda']);
});

test('a medium inserted into the empty CD-ROM and ejected again', (t) => {
  const ins = withMedia(GAMMA, 'hdc', '/var/lib/virt-lab/pool/h14b.iso');
  t.is(parseHardware(ins).disks[1]!.path, '/var/lib/virt-lab/pool/h14b.iso');
  t.deepEqual(lineDiff(GAMMA, ins, 0), ['@@ -37,0 +37,1 @@', "+      <source file='/var/lib/virt-lab/pool/h14b.iso'/>"]);
  t.is(withMedia(ins, 'hdc', null), GAMMA);
  t.is(parseHardware(withMedia(ins, 'hdc', '/other.iso')).disks[1]!.path, '/other.iso');
});

test('boot order: per-device orders replace <os><boot dev>, a device left out does not boot', (t) => {
  const order = [{ kind: 'disk' as const, target: 'hdc' }, { kind: 'nic' as const, mac: '52:54:00:1a:b0:03' }, { kind: 'disk' as const, target: 'vda' }];
  const xml = withBootOrder(GAMMA, order);
  t.notRegex(xml, /<boot dev=/);
  const hw = parseHardware(xml);
  t.deepEqual(bootOrder(hw), order);
  t.deepEqual(hw.disks.map((d) => d.boot), [3, 1]);
  const again = withBootOrder(xml, [{ kind: 'disk', target: 'vda' }]);
  t.deepEqual(bootOrder(parseHardware(again)), [{ kind: 'disk', target: 'vda' }]);
  t.is((again.match(/<boot order=/g) ?? []).length, 1);
});

test('sizes are exact (BigInt): 0, negative, not a size, beyond 2^53 and beyond the pool are refused with the reason', (t) => {
  t.is(checkSize('32M').bytes, 33554432n);
  t.is(checkSize('1.5G').bytes, 1610612736n);
  t.is(checkSize('9007199254740993').error, '9007199254740993 bytes is beyond 2^53 bytes (8 PiB)');
  t.is(checkSize('9007199254740992').bytes, 9007199254740992n);
  t.is(checkSize('0').error, 'must be more than 0');
  t.is(checkSize('-1G').error, 'a size cannot be negative');
  t.is(checkSize('lots').error, 'a size such as 32M, 10G or 1.5T');
  t.is(checkSize('2G', 1073741824).error, 'more than the pool has free (1.0 GiB: 1073741824 bytes)');
  // a new disk's bare number is GiB, as the new domain form (parseSize) and virt-install read it
  t.is(checkDiskSize('2').bytes, 2n * 2n ** 30n);
  t.is(checkDiskSize('2').bytes, installSize('2') as bigint);
  t.is(checkDiskSize('0.5').bytes, installSize('0.5') as bigint);
  t.is(checkDiskSize('512M').bytes, 512n * 2n ** 20n);
  t.is(checkDiskSize('2', 1073741824).error, 'more than the pool has free (1.0 GiB: 1073741824 bytes)');
  t.is(checkMemory('160M').kib, 163840n);
  t.is(checkMemory('100000M', 7431968).error, "above the host's memory (7.1 GiB)");
  // a bare number is MiB, as in the new domain form, never 1024 bytes
  t.is(checkMemory('1024').kib, 1048576n);
  t.is(checkMemory(' 512 ').kib, 524288n);
  t.is(checkMemory('1000b').error, 'memory is set in whole KiB');
  t.is(checkCount('3', 2, 'the maximum').error, 'above the maximum (2)');
  t.is(checkCount('0', 2, 'the maximum').error, 'at least 1');
  t.is(checkCount('1.5', 2, 'the maximum').error, 'a whole number');
  t.is(checkCount('2', 2, 'the maximum').n, 2);
});

test('boot order: a <boot dev> inside a one-line <os> goes too', (t) => {
  const xml = "<domain>\n  <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>\n  <devices>\n    <disk type='file' device='disk'>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n  </devices>\n</domain>\n";
  const out = withBootOrder(xml, [{ kind: 'disk', target: 'vda' }]);
  t.notRegex(out, /<boot dev=/);
  t.regex(out, /<os><type arch='x86_64'>hvm<\/type><\/os>/);
  t.regex(out, /<target dev='vda' bus='virtio'\/>\n      <boot order='1'\/>\n/);
});

test('the tab\'s lines: the next boot beside the running values, the keys or the read-only note', (t) => {
  const dom = { name: 'lab-alpha', id: 68, state: 'running' as const, autostart: false, persistent: true, managedSave: false };
  const lines = hardwareLines({ live: ALPHA, inactive: withCurrentMemory(ALPHA_CFG, 163840n) }, dom, false);
  t.is(lines[0], '  Memory:     192 MiB of 192 MiB maximum   (next boot: 160 MiB of 192 MiB)');
  t.is(lines[1], '  vCPUs:      1 of 1 maximum');
  t.true(lines.includes('  Boot order: disk vda (/var/lib/virt-lab/pool/alpha-root.qcow2)'));
  t.true(lines.some((l) => /^ {2}vdb +virtio +disk \(ro\) +raw +\/var\/lib\/virt-lab\/pool\/scratch\.raw$/.test(l)));
  t.true(lines.some((l) => /^ {2}52:54:00:1a:b0:01 +network +lab-nat +virtio +vnet0$/.test(l)));
  t.regex(lines.at(-1)!, /^s memory +K vCPUs/);
  const ro = hardwareLines({ live: GAMMA, inactive: GAMMA }, { ...dom, name: 'lab-gamma', id: null, state: 'shut off' }, true);
  t.is(ro.at(-1), 'Read-only connection: the hardware is shown, not changed.');
  t.true(ro.some((l) => /^ {2}hdc +ide +\(empty\)$/.test(l)));
  t.false(ro.some((l) => l.includes('next boot')));
});

test('a failed step undoes what the earlier ones made, in the from-next-boot alternative too (no new volume left behind)', async (t) => {
  const ran: string[] = [];
  const c = { dom: undefined, host: { action: async (args: string[]) => { ran.push(args[0]!); return { ok: args[0] !== 'attach-disk', output: '' }; } } } as unknown as HwCtx;
  const steps = [
    { args: ['vol-create-as', '--pool', 'lab-pool', '--name', 'x.qcow2'], undo: ['vol-delete', '--pool', 'lab-pool', '--vol', 'x.qcow2'] },
    { args: ['attach-disk', '--domain', 'lab-alpha', '--config'] },
  ];
  const r = await runSteps(c, steps);
  t.is(r.failed, steps[1]);
  t.deepEqual(ran, ['vol-create-as', 'attach-disk', 'vol-delete']);
  ran.length = 0;
  t.deepEqual(await runSteps(c, [steps[0]!]), {});
  t.deepEqual(ran, ['vol-create-as']);
});
