// The host: nodeinfo, nodememstats, nodecpustats, version, and KVM readiness. Pure.
import { parseKeyValues } from './parse.ts';

const num = (s: string | undefined) => { const m = /^(\d+)/.exec(s?.trim() ?? ''); return m ? Number(m[1]) : undefined; };

/** `virsh nodememstats`: total, free, buffers, cached in KiB */
export function parseNodeMem(text: string): Record<string, number> {
  return Object.fromEntries(parseKeyValues(text).map(([k, v]) => [k, num(v)]).filter((e): e is [string, number] => e[1] !== undefined));
}

/** `virsh nodecpustats`: user, system, idle, iowait (ns since boot) */
export function parseNodeCpu(text: string): Record<string, number> {
  return parseNodeMem(text);
}

/**
 * The "cpu" line of /proc/stat as nodecpustats gives it (what libvirt reads for it on Linux):
 * user = user + nice, system = system + irq + softirq, idle, iowait; clock ticks (USER_HZ, 100)
 * in ns. undefined when the text has no such line.
 */
export function procCpu(stat: string): Record<string, number> | undefined {
  const m = /^cpu +(\d+) (\d+) (\d+) (\d+) (\d+) (\d+) (\d+)/m.exec(stat);
  if (!m) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq] = m.slice(1).map((x) => Number(x) * 1e7) as [number, number, number, number, number, number, number];
  return { user: user + nice, system: system + irq + softirq, idle, iowait };
}

const MEMINFO = /^(MemTotal|MemFree|Buffers|Cached): +(\d+) kB/gm;

/** /proc/meminfo as nodememstats gives it: total, free, buffers, cached in KiB; undefined without MemTotal */
export function procMem(meminfo: string): Record<string, number> | undefined {
  // one pass over the text (it is read every tick)
  const kb = new Map<string, number>();
  for (const m of meminfo.matchAll(MEMINFO)) kb.set(m[1]!, Number(m[2]));
  const total = kb.get('MemTotal');
  if (total === undefined) return undefined;
  return { total, free: kb.get('MemFree') ?? 0, buffers: kb.get('Buffers') ?? 0, cached: kb.get('Cached') ?? 0 };
}

/** a URI whose daemon runs on this machine, so that its /proc is the host's: qemu:///system or qemu:///session */
export function isLocalQemu(uri: string): boolean {
  return /^qemu:\/\/\/(system|session)$/.test(uri);
}

/** busy share of all host CPUs between two nodecpustats samples, 0-100; undefined when it cannot tell */
export function cpuPercent(prev: Record<string, number> | undefined, cur: Record<string, number>): number | undefined {
  if (!prev) return undefined;
  const keys = ['user', 'system', 'idle', 'iowait'];
  const d = Object.fromEntries(keys.map((k) => [k, (cur[k] ?? 0) - (prev[k] ?? 0)]));
  const total = keys.reduce((a, k) => a + d[k]!, 0);
  if (total <= 0 || keys.some((k) => d[k]! < 0)) return undefined;
  return Math.max(0, Math.min(100, (100 * (total - d['idle']! - d['iowait']!)) / total));
}

export interface Versions { library: string; api: string; hypervisor: string }

/** `virsh version` */
export function parseVersion(text: string): Versions {
  const kv = new Map(parseKeyValues(text));
  return { library: kv.get('Using library') ?? '', api: kv.get('Using API') ?? '', hypervisor: kv.get('Running hypervisor') ?? '' };
}

export interface KvmCheck { label: string; ok: boolean; detail: string }

/** The checks the seed tutorials do by hand before installing guests. */
export function kvmReadiness(input: { devKvm: boolean; devKvmRw: boolean; cpuinfo: string; modules: string }): KvmCheck[] {
  const flags = /^flags\s*:(.*)$/m.exec(input.cpuinfo)?.[1]?.split(/\s+/) ?? [];
  const vmx = flags.includes('vmx');
  const svm = flags.includes('svm');
  const mods = input.modules.split('\n').map((l) => l.split(' ')[0]!);
  const kvmMods = mods.filter((m) => /^kvm(_intel|_amd)?$/.test(m));
  return [
    { label: 'CPU virtualization (vmx/svm in /proc/cpuinfo)', ok: vmx || svm, detail: vmx ? 'vmx (Intel VT-x)' : svm ? 'svm (AMD-V)' : 'absent: guests run under software emulation (TCG), slowly' },
    { label: 'kvm modules loaded (/proc/modules)', ok: kvmMods.length > 0, detail: kvmMods.length ? kvmMods.join(', ') : 'none: modprobe kvm_intel or kvm_amd' },
    { label: '/dev/kvm present', ok: input.devKvm, detail: input.devKvm ? (input.devKvmRw ? 'present, read-write for you' : 'present, but not writable for you') : 'absent' },
  ];
}
