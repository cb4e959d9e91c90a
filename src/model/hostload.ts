// The host's load for the line above the domains: CPU % from two nodecpustats samples a tick
// apart, memory from nodememstats (nodeinfo's total where the driver has no memory stats). On a
// local qemu:///system the same numbers come from /proc, where libvirt reads them: two virsh
// calls a tick fewer.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { cpuPercent, isLocalQemu, parseNodeCpu, parseNodeMem, procCpu, procMem } from '../libvirt/node.ts';
import { parseKeyValues } from '../libvirt/parse.ts';
import type { VirshRunner } from './domains.ts';
import { isTestDriver } from '../libvirt/uri.ts';

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

  /** the daemon is on this machine: its numbers are this /proc's, read without a virsh call a tick */
  readonly local: boolean;
  /** the test driver's numbers never move: asked once */
  private readonly fixed: boolean;
  private cpuText: string | undefined;

  constructor(private readonly v: VirshRunner, uri = '', private readonly proc: (file: string) => string = (f) => readFileSync(f, 'latin1')) {
    super();
    this.local = isLocalQemu(uri);
    this.fixed = isTestDriver(uri);
    // the test driver has no memory statistics: asked, its error would come in the first batch
    // of calls, whose reads the session then runs again to tell whose error it was
    if (this.fixed) {
      this.memUnsupported = true;
      this.memError = 'the test driver gives no memory statistics (virNodeGetMemoryStats)';
    }
  }

  /** /proc/stat and /proc/meminfo as nodecpustats and nodememstats would give them, or undefined to ask virsh */
  private fromProc(): { cpu: Record<string, number>; mem: Record<string, number> } | undefined {
    if (!this.local) return undefined;
    try {
      const cpu = procCpu(this.proc('/proc/stat'));
      const mem = procMem(this.proc('/proc/meminfo'));
      return cpu && mem ? { cpu, mem } : undefined;
    } catch {
      return undefined;
    }
  }

  /** Samples the host now; a refresh asked for while one runs waits for that one. */
  refresh(): Promise<void> {
    this.inflight ??= this.sample().finally(() => { this.inflight = null; });
    return this.inflight;
  }

  private async sample(): Promise<void> {
    // the test driver's host never changes: sampled once, a tick costs nothing here
    if (this.fixed && this.cpuText !== undefined && this.nodeinfo.length) return;
    this.info ??= this.v.run(['nodeinfo']).then(parseKeyValues).catch(() => []);
    const proc = this.fromProc();
    const [info, cpuText, memText] = await Promise.all([
      this.info,
      proc ? undefined : this.fixed && this.cpuText !== undefined ? this.cpuText : this.v.run(['nodecpustats']).catch(() => undefined),
      // a driver without memory stats (the test driver) is not asked again; other failures are
      proc || this.memUnsupported ? undefined : this.v.run(['nodememstats']).catch((e: { line?: string; stderr?: string }) => {
        this.memError = e.line ?? String(e);
        this.memUnsupported = /not supported/.test(`${this.memError}\n${e.stderr ?? ''}`);
        return undefined;
      }),
    ]);
    this.cpuText = cpuText;
    this.nodeinfo = info;
    const ni = new Map(info);
    const next: Load = { cpus: Number(ni.get('CPU(s)')) || undefined, memTotal: Number(/^(\d+)/.exec(ni.get('Memory size') ?? '')?.[1]) || undefined };
    const cur = proc?.cpu ?? (cpuText ? parseNodeCpu(cpuText) : undefined);
    if (cur) {
      next.cpu = cpuPercent(this.prevCpu, cur) ?? (this.prevCpu ? this.load.cpu : undefined);
      this.prevCpu = cur;
    }
    const m = proc?.mem ?? (memText ? parseNodeMem(memText) : undefined);
    if (m) {
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
