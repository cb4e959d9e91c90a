// Every real-world domain XML must parse into the detail view's records.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDomainXml } from '../../src/libvirt/domxml.ts';
import { overviewLines } from '../../screens/domains/detail.ts';
import { capture, sharedDir } from '../helpers.ts';

test('the lab domain: disks, NIC, no graphics', (t) => {
  const x = parseDomainXml(capture('lab-dumpxml-alpha.xml'));
  t.is(x.name, 'lab-alpha');
  t.deepEqual(x.disks.map((d) => [d.target, d.bus, d.format, d.readonly]), [['vda', 'virtio', 'qcow2', false], ['vdb', 'virtio', 'raw', true]]);
  t.regex(x.disks[0]!.source, /alpha-root\.qcow2$/);
  t.deepEqual(x.nics.map((n) => [n.mac, n.type, n.source, n.model]), [['52:54:00:1a:b0:01', 'network', 'lab-nat', 'virtio']]);
  t.deepEqual(x.graphics, []);
  t.true(x.consoles >= 1);
});

test('a volume disk and an empty cdrom (lab-gamma)', (t) => {
  const x = parseDomainXml(capture('lab-dumpxml-gamma.xml'));
  t.is(x.disks[0]!.source, 'lab-pool/gamma-root.qcow2');
  t.is(x.disks[1]!.device, 'cdrom');
  t.is(x.disks[1]!.source, '');
});

test('graphics port and listen (demo db-primary)', (t) => {
  const x = parseDomainXml(capture('demo-dumpxml-db-primary.xml'));
  t.deepEqual(x.graphics.map((g) => [g.type, g.port, g.listen]), [['spice', '5902', '0.0.0.0']]);
  t.is(x.nics.length, 2);
});

test('a <listen type="address"/> without an address is libvirt\'s default, not the word "address"', (t) => {
  const x = parseDomainXml(readFileSync(join(sharedDir(), 'fixtures', 'xml', 'domains', 'virt-install-reinstall-pxe.xml'), 'utf8'));
  t.deepEqual(x.graphics.map((g) => g.listen), ['default (qemu.conf)']);
  t.true(overviewLines(null, x).some((l) => /default \(qemu\.conf\)/.test(l)));
});

test('all 139 fixture domain XMLs parse and render an overview without throwing', (t) => {
  const dir = join(sharedDir(), 'fixtures', 'xml', 'domains');
  const files = readdirSync(dir).filter((f) => f.endsWith('.xml'));
  t.true(files.length >= 139, `found ${files.length}`);
  let disks = 0;
  let diffs = 0;
  for (const f of files) {
    const xml = readFileSync(join(dir, f), 'utf8');
    const x = parseDomainXml(xml);
    t.notThrows(() => overviewLines(null, x), f);
    // some fixtures are virt-xml diffs ("-  <name>..."): they must not throw, nothing more
    if (/^(@@|[-+] *<)/m.test(xml)) { diffs++; continue; }
    t.truthy(x.name, f);
    // every <disk>, <interface> and <graphics> of the (first) domain's <devices> is found;
    // virt-install's outputs can hold two documents, the install phase and the final one;
    // direct children only (virt-install indents them by 4): <interface>wlan0</interface> also occurs nested
    const devices = /<devices>([\s\S]*?)<\/devices>/.exec(xml)?.[1] ?? '';
    t.is(x.disks.length, (devices.match(/^ {4}<disk[\s>]/gm) ?? []).length, `${f}: disks`);
    t.is(x.nics.length, (devices.match(/^ {4}<interface[\s>]/gm) ?? []).length, `${f}: interfaces`);
    t.is(x.graphics.length, (devices.match(/^ {4}<graphics[\s>]/gm) ?? []).length, `${f}: graphics`);
    for (const d of x.disks) t.is(typeof d.source, 'string');
    const lines = overviewLines(null, x);
    t.true(lines.some((l) => l.startsWith('Disks (')), f);
    disks += x.disks.length;
  }
  t.true(disks > 100);
  t.true(diffs < files.length / 2, `${diffs} diffs`);
});
