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

/** Events: 'change' (the numbers moved). */
export class HostLoad extends EventEmitter {
  load: Load = {};
  /** nodeinfo's fields (asked once) */
  nodeinfo: Array<[string, string]> = [];
  /** nodememstats (KiB), or why the driver gives none */
  mem: Record<string, number> | undefined;
  memError: string | undefined;
  private memUnsupported = false;
  private prevCpu: Record<string, number> | undefined;
  private info: Promise<Array<[string, string]>> | null = null;
  private inflight: Promise<void> | null = null;

  constructor(private readonly v: VirshRunner) { super(); }

  /** Samples the host now; a refresh asked for while one runs waits for that one. */
  refresh(): Promise<void> {
    this.inflight ??= this.sample().finally(() => { this.inflight = null; });
    return this.inflight;
  }

  private async sample(): Promise<void> {
    this.info ??= this.v.run(['nodeinfo']).then(parseKeyValues).catch(() => []);
    const [info, cpuText, memText] = await Promise.all([
      this.info,
      this.v.run(['nodecpustats']).catch(() => undefined),
      // a driver without memory stats (the test driver) is not asked again; other failures are
      this.memUnsupported ? undefined : this.v.run(['nodememstats']).catch((e: { line?: string; stderr?: string }) => {
        this.memError = e.line ?? String(e);
        this.memUnsupported = /not supported/.test(`${this.memError}\n${e.stderr ?? ''}`);
        return undefined;
      }),
    ]);
    this.nodeinfo = info;
    const ni = new Map(info);
    const next: Load = { cpus: Number(ni.get('CPU(s)')) || undefined, memTotal: Number(/^(\d+)/.exec(ni.get('Memory size') ?? '')?.[1]) || undefined };
    if (cpuText) {
      const cur = parseNodeCpu(cpuText);
      next.cpu = cpuPercent(this.prevCpu, cur) ?? (this.prevCpu ? this.load.cpu : undefined);
      this.prevCpu = cur;
    }
    if (memText) {
      const m = parseNodeMem(memText);
      this.mem = m;
      this.memError = undefined;
      if (m['total'] !== undefined && m['free'] !== undefined) {
        next.memTotal = m['total'];
        next.memUsed = m['total'] - m['free'] - (m['buffers'] ?? 0) - (m['cached'] ?? 0);
      }
    }
    // the same numbers again (the test driver's are fixed): nothing to redraw
    const same = JSON.stringify(next) === JSON.stringify(this.load);
    this.load = next;
    if (!same) this.emit('change');
  }
}
