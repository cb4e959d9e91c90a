// The networks store: net-list, then each network's XML and (when active) its DHCP leases.
import { Store } from './store.ts';
import { parseNetList, parseNetworkXml, parseLeases, type NetworkXmlInfo } from '../libvirt/netxml.ts';
import { VirshError } from '../virsh/errors.ts';
import { exactNames, parseNames } from '../libvirt/parse.ts';
import type { VirshRunner } from './domains.ts';

export interface Network extends NetworkXmlInfo {
  active: boolean;
  autostart: boolean;
  persistent: boolean;
  /** undefined: not known (inactive, or the driver cannot tell) */
  leases?: number;
}

export class NetworkStore extends Store<Network> {
  /** the driver said net-dhcp-leases is not supported (the test driver): do not ask again */
  private noLeases = false;

  constructor(protected readonly v: VirshRunner) { super(); }

  get networks(): Network[] { return this.items; }

  protected async fetch(): Promise<Network[]> {
    // the table escapes some characters of a name; --name prints them as they are
    const [list, names] = await Promise.all([this.v.run(['net-list', '--all']), this.v.run(['net-list', '--all', '--name'])]);
    const rows = parseNetList(list);
    const exact = exactNames(rows.map((r) => r.name), parseNames(names));
    return Promise.all(rows.map(async (row, i) => {
      const r = { ...row, name: exact[i]! };
      const info = parseNetworkXml(await this.v.run(['net-dumpxml', '--network', r.name]).catch(() => '<network/>'));
      return { ...info, name: r.name, active: r.active, autostart: r.autostart, persistent: r.persistent, leases: await this.leases(r.name, r.active) };
    }));
  }

  private async leases(name: string, active: boolean): Promise<number | undefined> {
    if (!active || this.noLeases) return undefined;
    try {
      return parseLeases(await this.v.run(['net-dhcp-leases', '--network', name])).length;
    } catch (e) {
      if (e instanceof VirshError && /not supported/.test(e.line)) this.noLeases = true;
      return undefined;
    }
  }
}
