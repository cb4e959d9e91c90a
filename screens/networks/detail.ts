// One network: its addresses, DHCP leases, the domains using it, and its XML.
import type { App } from '../../src/app.ts';
import { TextView, tabLine } from '../../src/ui/textview.ts';
import { bindKeys, type View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { esc, type blessed } from '../../src/ui/blessed-compat.ts';
import { parseLeases, parseDomIfList, type Lease } from '../../src/libvirt/netxml.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import type { Network } from '../../src/model/networks.ts';
import { NETWORK_ACTIONS, type NetworkCtx } from './actions.ts';

/** The overview as plain lines. Pure. */
export function networkLines(n: Network, leases: Lease[] | string, users: Array<[string, string]>): string[] {
  const out = [
    'Network',
    `  ${'State:'.padEnd(12)} ${n.active ? 'active' : 'inactive'}${n.persistent ? '' : ' (transient)'}`,
    `  ${'Autostart:'.padEnd(12)} ${n.autostart ? 'yes' : 'no'}`,
    `  ${'Forward:'.padEnd(12)} ${n.forward}`,
    `  ${'Bridge:'.padEnd(12)} ${n.bridge || '-'}`,
    `  ${'IPv4:'.padEnd(12)} ${n.ipv4 || '-'}`,
    `  ${'DHCP range:'.padEnd(12)} ${n.dhcp || '-'}`,
    ...(n.ipv6.length ? [`  ${'IPv6:'.padEnd(12)} ${n.ipv6.join(', ')}`] : []),
    '',
  ];
  if (typeof leases === 'string') out.push('DHCP leases', `  ${leases}`);
  else {
    out.push(`DHCP leases (${leases.length})`);
    if (!leases.length) out.push('  (none)');
    for (const l of leases) out.push(`  ${l.ip.padEnd(20)} ${l.mac.padEnd(18)} ${l.hostname.padEnd(20)} expires ${l.expiry}`);
  }
  out.push('', `Domains using it (${users.length})`);
  if (!users.length) out.push('  (none)');
  for (const [dom, mac] of users) out.push(`  ${dom.padEnd(30)} ${mac}`);
  return out;
}

export class NetworkDetailView implements View {
  private text: TextView | null = null;
  private xmlTab = false;
  private body: string[] = ['loading…'];
  private xml = '';
  private readonly bound: KeyAction<void>[];
  private readonly onChanged = () => { void this.load(); };

  constructor(private readonly app: App, readonly name: string, host: NetworkCtx['host']) {
    this.bound = bindKeys<NetworkCtx>([
      { keys: ['tab', 'x'], label: 'overview/XML', help: 'switch between the overview and the XML', run: () => { this.xmlTab = !this.xmlTab; this.fill(); } },
      ...NETWORK_ACTIONS.filter((a) => !a.keys.includes('enter')),
    ], () => ({ host, net: this.app.networks.get(this.name), networks: this.app.networks.networks }));
  }

  get title(): string { return `Network ${this.name}${this.xmlTab ? ' (XML)' : ''}`; }
  keys(): readonly KeyAction<void>[] { return [...this.bound, ...(this.text?.scrollKeys() ?? [])]; }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.text = new TextView(parent);
    this.app.host.on('changed', this.onChanged);
    this.fill();
    void this.load();
  }
  unmount(): void { this.app.host.off('changed', this.onChanged); this.text?.box.destroy(); this.text = null; }

  async load(): Promise<void> {
    await this.app.networks.refresh();
    const n = this.app.networks.get(this.name);
    if (!n) { this.body = [`network ${this.name} no longer exists`]; this.fill(); return; }
    const run = (args: string[]) => this.app.host.run(args);
    const [xml, leases, users] = await Promise.all([
      run(['net-dumpxml', this.name]).catch((e: VirshError) => e.line),
      n.active ? run(['net-dhcp-leases', this.name]).then(parseLeases).catch((e: VirshError) => `not available: ${e.line}`) : Promise.resolve('the network is not active'),
      Promise.all(this.app.domains.domains.map(async (d) => {
        const ifs = parseDomIfList(await run(['domiflist', d.name]).catch(() => ''));
        return ifs.filter((i) => i.type === 'network' && i.source === this.name).map((i): [string, string] => [d.name, i.mac]);
      })).then((x) => x.flat()),
    ]);
    this.xml = xml;
    this.body = networkLines(n, leases, users);
    this.fill();
    this.app.requestRender();
  }

  private fill(): void {
    if (!this.text) return;
    const top = this.text.nav.top;
    const tabs = tabLine(['Overview', 'XML'], this.xmlTab ? 1 : 0);
    const lines = this.xmlTab ? this.xml.replace(/\n$/, '').split('\n') : this.body;
    this.text.setLines([tabs, '', ...lines.map(esc)], true);
    this.text.nav.top = top;
  }

  render(): void { this.text?.render(); }
  summary(): string { const n = this.app.networks.get(this.name); return n ? (n.active ? 'active' : 'inactive') : 'gone'; }
}
