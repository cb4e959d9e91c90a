// Test-driver worlds of N domains for the benchmarks and the big-list tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STATES = [1, 1, 1, 5, 5, 3, 6, 7]; // running x3, shut off x2, paused, crashed, pmsuspended

export function worldXml(n: number): string {
  const doms: string[] = [];
  for (let i = 0; i < n; i++) {
    const name = `bench-${String(i).padStart(4, '0')}`;
    const st = STATES[i % STATES.length]!;
    doms.push(`  <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
    <name>${name}</name>
    <memory unit='MiB'>${512 * (1 + (i % 8))}</memory>
    <vcpu>${1 + (i % 4)}</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><source file='/var/lib/libvirt/images/${name}.qcow2'/><target dev='vda' bus='virtio'/></disk>
      <interface type='network'><source network='default'/></interface>
    </devices>${st === 1 ? '' : `\n    <test:runstate>${st}</test:runstate>`}
  </domain>`);
  }
  return `<node>\n${doms.join('\n')}\n  <network><name>default</name><bridge name='virbr0'/><forward mode='nat'/><ip address='192.168.122.1' netmask='255.255.255.0'/></network>\n</node>\n`;
}

/** Writes a world of n domains to a new temporary file; returns its path. */
export function writeWorld(n: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'virtui-world-')), `world-${n}.xml`);
  writeFileSync(file, worldXml(n));
  return file;
}
