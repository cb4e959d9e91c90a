// The host interfaces store: iface-list, then each interface's XML; `ip -j -d addr` of this
// machine when libvirt has no interface driver, and for what its udev backend leaves out.
import { Store } from '../../src/model/store.ts';
import { bridgeNames, fillFromIp, noInterfaceDriver, parseIfaceList, parseIfaceXml, parseIpAddr, type Iface } from './parse.ts';
import { VirshError } from '../../src/virsh/errors.ts';
// `ip` is a process: it starts in src/virsh, as every process does
import { runTool } from '../../src/virsh/spawn.ts';
import { isLocalUri } from '../../src/libvirt/uri.ts';
import type { VirshRunner } from '../../src/model/domains.ts';
import type { Connection } from '../../src/model/connection.ts';

export type { Iface } from './parse.ts';

export const IP_ADDR_ARGS = ['-j', '-d', 'addr'] as const;

export interface IfaceStoreOptions {
  /**
   * `ip -j -d addr` on the machine virtui runs on. Give it only when the connection's host is this
   * machine (qemu:///system, qemu+unix): for a remote host it would describe the wrong machine.
   */
  ipAddr?: () => Promise<string>;
}

export class IfaceStore extends Store<Iface> {
  /** where the list came from: null before the first load */
  source: 'libvirt' | 'ip' | null = null;
  /** libvirt said it has no interface driver: do not ask it again */
  noDriver = false;

  constructor(protected readonly v: VirshRunner, private readonly opts: IfaceStoreOptions = {}) { super(); }

  get ifaces(): Iface[] { return this.items; }

  /** no interface driver, and the host is not this machine: nothing can tell its interfaces */
  get unavailable(): boolean { return this.noDriver && !this.opts.ipAddr; }

  /** `ip` of this machine, through src/virsh; `local`: the connection's host is this machine */
  static options(local: boolean): IfaceStoreOptions {
    return local ? { ipAddr: () => runTool('ip', IP_ADDR_ARGS) } : {};
  }

  protected async fetch(): Promise<Iface[]> {
    if (this.noDriver) return this.fromIp();
    let list: string;
    try {
      list = await this.v.run(['iface-list', '--all']);
    } catch (e) {
      if (!(e instanceof VirshError) || !noInterfaceDriver(e.line)) throw e;
      this.noDriver = true;
      return this.fromIp(e);
    }
    const rows = parseIfaceList(list);
    const [ifaces, live] = await Promise.all([
      Promise.all(rows.map((row) => this.v.run(['iface-dumpxml', '--interface', row.name]).then(
        (xml) => parseIfaceXml(xml, row),
        // gone between the list and its XML, or unreadable: the list's line still says what it is
        (e: Error): Iface => ({
          name: row.name, type: '?', mac: row.mac, state: row.active ? 'active' : 'inactive', addresses: [], ports: [],
          source: 'libvirt', raw: `virsh iface-dumpxml failed: ${e instanceof VirshError ? e.line : e.message}`,
        }),
      ))),
      // best effort: the list stands without the addresses
      this.opts.ipAddr ? this.opts.ipAddr().then(parseIpAddr).catch(() => null) : Promise.resolve(null),
    ]);
    this.source = 'libvirt';
    return live ? fillFromIp(ifaces, live) : ifaces;
  }

  private async fromIp(why?: VirshError): Promise<Iface[]> {
    if (!this.opts.ipAddr) {
      throw new VirshError(why?.command ?? 'virsh iface-list --all', `host interfaces not available: ${why?.line ?? 'libvirt has no interface driver'}`,
        'libvirt on that host has no interface driver, and `ip` can only read the machine virtui runs on', why?.stderr ?? '');
    }
    const text = await this.opts.ipAddr();
    let out: Iface[];
    try {
      out = parseIpAddr(text);
    } catch (e) {
      throw new VirshError('ip -j -d addr', `cannot read the output of ip: ${(e as Error).message}`, 'iproute2 too old for -j (JSON)?');
    }
    this.source = 'ip';
    return out;
  }
}

/** The interfaces' store on `conn`, one per connection; `ip` fills in only where the connection's host is this machine. */
export function ifaceStore(conn: Connection): IfaceStore {
  return conn.cache('ifaces', () => new IfaceStore(conn, IfaceStore.options(isLocalUri(conn.uri))));
}

/** the host's bridges, from the interfaces' store on `conn` (a network's bridge mode, a NIC); null when unknown */
export async function hostBridges(conn: Connection): Promise<string[] | null> {
  const store = ifaceStore(conn);
  await store.refresh();
  return store.lastError && !store.items.length ? null : bridgeNames(store.items);
}
