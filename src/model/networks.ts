// The networks store: net-list, then each network's XML and (when active) its DHCP leases.
import { EventEmitter } from 'node:events';
import { parseNetList, parseNetworkXml, parseLeases, type NetworkXmlInfo } from '../libvirt/netxml.ts';
import { VirshError } from '../virsh/errors.ts';
import type { VirshRunner } from './domains.ts';

export interface Network extends NetworkXmlInfo {
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  /** undefined: not known (inactive, or the driver cannot tell) */
  leases?: number;
}

export class NetworkStore extends EventEmitter {
  networks: Network[] = [];
  loaded = false;
  /** the driver said net-dhcp-leases is not supported (the test driver): do not ask again */
  private noLeases = false;
  private inflight: Promise<void> | null = null;

  constructor(private readonly v: VirshRunner) { super(); }

  refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => { this.inflight = null; });
    return this.inflight;
  }

  private async load(): Promise<void> {
    try {
      const rows = parseNetList(await this.v.run(['net-list', '--all']));
      this.networks = await Promise.all(rows.map(async (r) => {
        const info = parseNetworkXml(await this.v.run(['net-dumpxml', r.name]).catch(() => `<network><name>${r.name}</name></network>`));
        return { ...info, name: r.name, active: r.active, autostart: r.autostart, persistent: r.persistent, leases: await this.leases(r.name, r.active) };
      }));
      this.loaded = true;
      this.emit('change');
    } catch (e) {
      this.emit('failed', e instanceof VirshError ? e : new VirshError('virsh net-list', String(e), ''));
    }
  }

  private async leases(name: string, active: boolean): Promise<number | undefined> {
    if (!active || this.noLeases) return undefined;
    try {
      return parseLeases(await this.v.run(['net-dhcp-leases', name])).length;
    } catch (e) {
      if (e instanceof VirshError && /not supported/.test(e.line)) this.noLeases = true;
      return undefined;
    }
  }

  get(name: string): Network | undefined {
    return this.networks.find((n) => n.name === name);
  }
}
