// Test-driver worlds of N domains for the benchmarks and the big-list tests.
import type { DomSample } from '../src/libvirt/stats.ts';
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

/** What `virsh domstats` prints for `n` running guests with 2 vCPUs, 2 disks and a NIC (the lab's keys). */
export function domstatsText(n: number, tick: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = tick * (1 + (i % 7));
    out.push(`Domain: 'bench-${String(i).padStart(4, '0')}'`, '  state.state=1', '  state.reason=1',
      `  cpu.time=${k * 20_000_000}`, `  cpu.user=${k * 15_000_000}`, `  cpu.system=${k * 5_000_000}`,
      '  cpu.cache.monitor.count=0', '  cpu.haltpoll.success.time=0', '  cpu.haltpoll.fail.time=0',
      '  balloon.current=2097152', '  balloon.maximum=2097152', '  balloon.swap_in=0', '  balloon.swap_out=0',
      '  balloon.major_fault=0', `  balloon.minor_fault=${1000 + k}`, `  balloon.unused=${900_000 + (k % 1000)}`,
      '  balloon.available=2000000', '  balloon.usable=1000000', `  balloon.last-update=${1_700_000_000 + tick}`,
      '  balloon.disk_caches=5052', '  balloon.hugetlb_pgalloc=0', '  balloon.hugetlb_pgfail=0', '  balloon.rss=800000',
      '  vcpu.current=2', '  vcpu.maximum=2');
    for (let v = 0; v < 2; v++) out.push(`  vcpu.${v}.state=1`, `  vcpu.${v}.time=${k * 9_000_000}`, `  vcpu.${v}.wait=0`, `  vcpu.${v}.delay=${k * 1000}`);
    out.push('  net.count=1', '  net.0.name=vnet0', `  net.0.rx.bytes=${k * 3000}`, `  net.0.rx.pkts=${k * 3}`, '  net.0.rx.errs=0', '  net.0.rx.drop=0',
      `  net.0.tx.bytes=${k * 1500}`, `  net.0.tx.pkts=${k}`, '  net.0.tx.errs=0', '  net.0.tx.drop=0', '  block.count=2');
    for (const [b, dev] of [[0, 'vda'], [1, 'vdb']] as const) {
      out.push(`  block.${b}.name=${dev}`, `  block.${b}.path=/var/lib/libvirt/images/bench-${i}-${dev}.qcow2`, `  block.${b}.backingIndex=1`,
        `  block.${b}.rd.reqs=${k * 4}`, `  block.${b}.rd.bytes=${k * 16384}`, `  block.${b}.rd.times=${k * 1000}`,
        `  block.${b}.wr.reqs=${k * 2}`, `  block.${b}.wr.bytes=${k * 8192}`, `  block.${b}.wr.times=${k * 900}`,
        `  block.${b}.fl.reqs=${k}`, `  block.${b}.fl.times=${k * 100}`, `  block.${b}.allocation=1073741824`,
        `  block.${b}.capacity=10737418240`, `  block.${b}.physical=1073741824`);
    }
    out.push('');
  }
  return out.join('\n');
}

/** The samples domstatsText(n, tick) parses to, built directly (filling an hour of history tick by tick). */
export function domstatsSamples(n: number, tick: number): DomSample[] {
  const out: DomSample[] = [];
  for (let i = 0; i < n; i++) {
    const k = tick * (1 + (i % 7));
    out.push({
      name: `bench-${String(i).padStart(4, '0')}`, state: 'running', active: true,
      cpuTime: k * 20_000_000, vcpuCurrent: 2, vcpuMax: 2, vcpuTimes: [k * 9_000_000, k * 9_000_000],
      balloonCur: 2097152, balloonMax: 2097152, unused: 900_000 + (k % 1000), rss: 800000,
      disks: ['vda', 'vdb'].map((name) => ({ name, rdBytes: k * 16384, wrBytes: k * 8192, rdReqs: k * 4, wrReqs: k * 2 })),
      nics: [{ name: 'vnet0', rxBytes: k * 3000, txBytes: k * 1500 }],
    });
  }
  return out;
}
