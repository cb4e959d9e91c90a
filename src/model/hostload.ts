// The host's load for the line above the domains: CPU % from two nodecpustats samples a tick
// apart, memory from nodememstats (nodeinfo's total where the driver has no memory stats).
import { EventEmitter } from 'node:events';
import { cpuPercent, parseNodeCpu, parseNodeMem } from '../libvirt/node.ts';
import { parseKeyValues } from '../libvirt/parse.ts';
import type { VirshRunner } from './domains.ts';

export interface Load {
  /** % of all host CPUs */
  cpu?: number;
  cpus?: number;
  /** KiB */
  memUsed?: number;
  memTotal?: number;
}

/** Events: 'change'. */
export class HostLoad extends EventEmitter {
  load: Load = {};
  private prevCpu: Record<string, number> | undefined;
  private memWorks = true;
  private nodeinfo: Promise<Array<[string, string]>> | null = null;
  private busy = false;

  constructor(private readonly v: VirshRunner) { super(); }

  async refresh(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.nodeinfo ??= this.v.run(['nodeinfo']).then(parseKeyValues).catch(() => []);
      const [info, cpuText, memText] = await Promise.all([
        this.nodeinfo,
        this.v.run(['nodecpustats']).catch(() => undefined),
        this.memWorks ? this.v.run(['nodememstats']).catch(() => { this.memWorks = false; return undefined; }) : undefined,
      ]);
      const ni = new Map(info);
      const next: Load = { cpus: Number(ni.get('CPU(s)')) || undefined, memTotal: Number(/^(\d+)/.exec(ni.get('Memory size') ?? '')?.[1]) || undefined };
      if (cpuText) {
        const cur = parseNodeCpu(cpuText);
        next.cpu = cpuPercent(this.prevCpu, cur) ?? (this.prevCpu ? this.load.cpu : undefined);
        this.prevCpu = cur;
      }
      if (memText) {
        const m = parseNodeMem(memText);
        if (m['total'] !== undefined && m['free'] !== undefined) {
          next.memTotal = m['total'];
          next.memUsed = m['total'] - m['free'] - (m['buffers'] ?? 0) - (m['cached'] ?? 0);
        }
      }
      this.load = next;
      this.emit('change');
    } finally {
      this.busy = false;
    }
  }
}
