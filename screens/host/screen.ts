// The host (`:host`): nodeinfo, CPU and memory use, versions, domains by state, pools' free
// space, and (on a local URI) KVM readiness.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { TextView } from '../../src/ui/textview.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { esc, type blessed } from '../../src/ui/blessed-compat.ts';
import { humanKiB } from '../../src/ui/text.ts';
import { kvmReadiness, parseVersion, type KvmCheck, type Versions } from '../../src/libvirt/node.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { Pool } from '../../src/model/pools.ts';
import { fieldLines } from '../kit/tabbed.ts';
import { stateCounts } from '../kit/hostline.ts';
import { usageBar } from '../pools/columns.ts';
import { isLocalUri } from '../../src/libvirt/uri.ts';

export interface HostFacts {
  nodeinfo: Array<[string, string]>;
  mem?: Record<string, number>;
  memError?: string;
  cpu?: number;
  versions: Versions;
  kvm?: KvmCheck[];
}

/** The host screen as lines (tagged for colour). Pure. */
export function hostLines(f: HostFacts, domains: readonly Domain[], pools: readonly Pool[], uri: string): string[] {
  const ni = new Map(f.nodeinfo);
  const memKiB = Number(/^(\d+)/.exec(ni.get('Memory size') ?? '')?.[1]);
  const cpus = ni.get('CPU(s)') ? `${ni.get('CPU(s)')} × ${ni.get('CPU model') ?? '?'} at ${ni.get('CPU frequency') ?? '?'}: ${ni.get('CPU socket(s)') ?? '?'} socket, ${ni.get('Core(s) per socket') ?? '?'} cores, ${ni.get('Thread(s) per core') ?? '?'} thread(s) per core, ${ni.get('NUMA cell(s)') ?? '?'} NUMA` : '-';
  const out: string[] = ['{bold}Host{/bold}', ...fieldLines([['URI', uri], ['CPUs', cpus], ['Memory', Number.isFinite(memKiB) ? humanKiB(memKiB) : '-'],
    ['Versions', [f.versions.library, f.versions.api && `API ${f.versions.api}`, f.versions.hypervisor && `hypervisor ${f.versions.hypervisor}`].filter(Boolean).join(', ') || '-']]).map(esc)];
  out.push('', '{bold}Use{/bold}');
  const mem = f.mem;
  const used = mem && mem['total'] !== undefined && mem['free'] !== undefined ? mem['total'] - mem['free'] - (mem['buffers'] ?? 0) - (mem['cached'] ?? 0) : undefined;
  out.push(...fieldLines([
    ['CPU', f.cpu === undefined ? 'measuring… (two samples a tick apart)' : usageBar(f.cpu, 100, 20)],
    ['Memory', used !== undefined ? `${usageBar(used, mem!['total'], 20)}  ${humanKiB(used)} of ${humanKiB(mem!['total'])} used (${humanKiB(mem!['cached'] ?? 0)} cache)` : `- (${f.memError ?? 'not known'})`],
  ]).map(esc));
  const running = domains.filter((d) => d.state === 'running').length;
  out.push('', '{bold}Domains{/bold}', esc(`  ${domains.length} defined, ${running} running${domains.length ? `: ${stateCounts(domains)}` : ''}`));
  out.push('', `{bold}Storage pools{/bold}`);
  if (!pools.length) out.push('  (none)');
  for (const p of pools) {
    const free = p.active && p.available !== undefined ? `${humanKiB(p.available / 1024)} free of ${humanKiB((p.capacity ?? 0) / 1024)}` : p.active ? '-' : 'inactive';
    out.push(esc(`  ${p.name.padEnd(20)} ${(p.active ? usageBar(p.allocation, p.capacity) : '').padEnd(14)} ${free}`));
  }
  out.push('', '{bold}KVM readiness{/bold}');
  if (!f.kvm) out.push(esc('  not checked: only for a local qemu:/// URI'));
  else for (const c of f.kvm) out.push(`  ${c.ok ? '{green-fg}ok{/}  ' : '{yellow-fg}no{/}  '}${esc(`${c.label}: ${c.detail}`)}`);
  return out;
}

function localKvm(): KvmCheck[] {
  const read = (p: string) => { try { return readFileSync(p, 'utf8'); } catch { return ''; } };
  let rw = false;
  try { accessSync('/dev/kvm', constants.R_OK | constants.W_OK); rw = true; } catch { /* not for us */ }
  return kvmReadiness({ devKvm: existsSync('/dev/kvm'), devKvmRw: rw, cpuinfo: read('/proc/cpuinfo'), modules: read('/proc/modules') });
}

export class HostView implements View {
  readonly title = 'Host';
  private text: TextView | null = null;
  private facts: HostFacts | null = null;

  constructor(private readonly app: ScreenContext, readonly conn: Connection) {}

  keys(): readonly KeyAction<void>[] { return [...(this.text?.searchKeys() ?? []), ...(this.text?.scrollKeys() ?? [])]; }
  mount(parent: blessed.Widgets.BoxElement): void { this.text = new TextView(parent, {}, this.app); this.fill(); void this.refresh(); }
  unmount(): void { this.text?.box.destroy(); this.text = null; }
  onShow(): void { void this.refresh(); }

  async refresh(): Promise<void> {
    // the CPU and memory sample is the host line's (src/model/hostload.ts): one per tick for both
    const load = this.conn.hostLoad;
    const [version] = await Promise.all([this.conn.run(['version']).catch(() => ''), this.conn.pools.refresh(), load.refresh()]);
    const uri = this.conn.uri;
    this.facts = {
      nodeinfo: load.nodeinfo, mem: load.mem, memError: load.memError,
      cpu: load.load.cpu, versions: parseVersion(version), kvm: /^qemu:\/\/\//.test(uri) && isLocalUri(uri) ? localKvm() : undefined,
    };
    this.fill();
    this.app.requestRender();
  }

  private fill(): void {
    if (!this.text) return;
    const top = this.text.nav.top;
    this.text.setLines(this.facts ? hostLines(this.facts, this.conn.domains.domains, this.conn.pools.pools, this.conn.uri) : ['loading…'], true);
    this.text.nav.top = top;
  }

  render(): void { this.text?.render(); }
}
