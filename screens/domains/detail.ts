// The detail view of one domain: overview (dominfo, disks, NICs, graphics) and the full XML.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { TextView, tabLine } from '../../src/ui/textview.ts';
import { bindKeys, type View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { blessed, esc } from '../../src/ui/blessed-compat.ts';
import { StatsPanel } from '../stats/panel.ts';
import { windowKey } from '../stats/screen.ts';
import { fit, humanKiB } from '../../src/ui/text.ts';
import { domainArg, parseDominfo } from '../../src/libvirt/parse.ts';
import { parseDomainXml } from '../../src/libvirt/domxml.ts';
import type { DomInfo, DomainXmlInfo } from '../../src/libvirt/types.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { DOMAIN_ACTIONS, type DomainCtx } from './actions.ts';
import { actionHost } from './kind.ts';
import { humanRate } from '../../src/ui/sparkline.ts';
import { ifRates, parseDomifstat, usefulAddr, type IfStat } from '../../src/libvirt/guest.ts';
import { ipsOf, type GuestAddrs, type IpStore } from '../../src/model/ips.ts';
import { frozenOf, type FrozenGuests } from '../../src/model/frozen.ts';
import { agentActions, agentLines, loadAgent } from './agent.ts';
import { diagFacts } from '../../src/model/diagnose.ts';
import { diagnoseLines } from './diagnose.ts';
import { hardwareActions, hardwareLines, loadHardware } from './hardware.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { ScreenTab } from './screen.ts';
import { DisksTab } from './disks.ts';

function table(headers: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ['  (none)'];
  const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => fit(c || '-', widths[i]!)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** what the details add to a NIC: its addresses with their source, its rates (domifstat) */
export interface NicExtra { addrs: string; source: string; rx?: number; tx?: number }

/** A NIC's addresses (matched by MAC) from what the IP store learnt. Pure. */
export function nicExtras(ip: GuestAddrs | undefined, rates: ReadonlyMap<string, { rx: number; tx: number }>, nics: readonly { mac: string; target: string }[]): Map<string, NicExtra> {
  const out = new Map<string, NicExtra>();
  for (const n of nics) {
    const mine = (ip?.all ?? []).filter((a) => a.mac.toLowerCase() === n.mac.toLowerCase() && usefulAddr(a));
    const r = n.target ? rates.get(n.target) : undefined;
    out.set(n.mac, { addrs: mine.map((a) => `${a.addr}${a.prefix !== undefined ? `/${a.prefix}` : ''}`).join(' '), source: mine.length ? ip!.source : '', rx: r?.rx, tx: r?.tx });
  }
  return out;
}

/** The overview tab as plain lines. Pure. */
export function overviewLines(info: DomInfo | null, xml: DomainXmlInfo | null, nics: ReadonlyMap<string, NicExtra> = new Map()): string[] {
  const out: string[] = [];
  if (info) {
    out.push('Info');
    for (const [k, v] of info.fields) {
      const kib = /^(\d+) KiB$/.exec(v);
      out.push(`  ${(k + ':').padEnd(16)} ${v}${kib && Number(kib[1]) >= 1024 ? ` (${humanKiB(Number(kib[1]))})` : ''}`);
    }
  }
  if (xml) {
    if (xml.title) out.push(`  ${'Title:'.padEnd(16)} ${xml.title}`);
    if (xml.description) out.push(`  ${'Description:'.padEnd(16)} ${xml.description.replace(/\s+/g, ' ')}`);
    if (xml.arch || xml.machine) out.push(`  ${'Machine:'.padEnd(16)} ${[xml.type, xml.arch, xml.machine].filter(Boolean).join(' ')}`);
    out.push('', `Disks (${xml.disks.length})`);
    out.push(...table(['TARGET', 'DEVICE', 'BUS', 'FORMAT', 'SOURCE'], xml.disks.map((d) => [d.target, d.device + (d.readonly ? ' (ro)' : ''), d.bus, d.format, d.source])));
    out.push('', `NICs (${xml.nics.length})`);
    out.push(...table(['MAC', 'TYPE', 'SOURCE', 'MODEL', 'ADDRESSES', 'FROM', 'RX/s', 'TX/s'], xml.nics.map((n) => {
      const x = nics.get(n.mac);
      return [n.mac, n.type, n.source, n.model, x?.addrs ?? '', x?.source ?? '', x?.rx === undefined ? '' : humanRate(x.rx), x?.tx === undefined ? '' : humanRate(x.tx)];
    })));
    out.push('', `Graphics (${xml.graphics.length})`);
    out.push(...table(['TYPE', 'PORT', 'LISTEN'], xml.graphics.map((g) => [g.type, g.port === '-1' || (!g.port && g.autoport) ? 'auto' : g.port, g.listen])));
  }
  return out;
}

type Tab = 'overview' | 'xml' | 'stats' | 'agent' | 'diagnose' | 'hardware' | 'screen' | 'disks';
const TABS: Tab[] = ['overview', 'xml', 'stats', 'agent', 'diagnose', 'hardware', 'screen', 'disks'];
const TAB_NAMES = ['Overview', 'XML', 'Stats', 'Agent', 'Diagnose', 'Hardware', 'Screen', 'Disks'];

export class DomainDetailView implements View {
  private text: TextView | null = null;
  private panel: StatsPanel | null = null;
  private parent: blessed.Widgets.BoxElement | null = null;
  private tab: Tab = 'overview';
  private info: DomInfo | null = null;
  private xml = '';
  private xmlInfo: DomainXmlInfo | null = null;
  private error: VirshError | null = null;
  private loading = false;
  private lastState = '';
  private readonly bound: KeyAction<void>[];
  private readonly onChanged = () => { void this.load(); };
  private tabsBox: blessed.Widgets.BoxElement | null = null;
  private panelBox: blessed.Widgets.BoxElement | null = null;
  private readonly onDomains = () => {
    const d = this.conn.domains.get(this.name);
    // the numbers too: a change made elsewhere (setmem, setvcpus; an event tells) reads dominfo again
    const st = d ? `${d.state}/${d.id}/${d.autostart}/${d.managedSave}/${d.persistent}/${d.vcpus}/${d.vcpusMax}/${d.memory}/${d.memoryMax}` : 'gone';
    if (st !== this.lastState) { this.lastState = st; void this.load(); }
    void this.loadNicRates();
  };
  /** the Agent and Diagnose tabs' lines, loaded when shown (null: not loaded yet) */
  private tabLines: Partial<Record<Tab, string[]>> = {};
  private nicRates = new Map<string, { rx: number; tx: number }>();
  private lastIfStats = new Map<string, { s: IfStat; t: number }>();
  private readonly ips: IpStore;
  private readonly frozen: FrozenGuests;
  private readonly onIps = () => { this.fill(); this.app.requestRender(); };
  private readonly screenTab: ScreenTab;
  private screenOn = false;
  private readonly disksTab: DisksTab;

  constructor(private readonly app: ScreenContext, readonly conn: Connection, readonly name: string, first: Tab = 'overview') {
    const host = actionHost(app, conn);
    this.tab = first;
    this.ips = ipsOf(conn);
    this.frozen = frozenOf(conn);
    this.screenTab = new ScreenTab(app, conn, name, () => this.xmlInfo);
    this.disksTab = new DisksTab(app, conn, name, () => { if (this.tab === 'disks') { this.fill(); this.app.requestRender(); } });
    const own: KeyAction<DomainCtx>[] = [
      { keys: ['tab'], label: 'next tab', help: 'the next tab: overview, XML, stats, agent, diagnose, hardware, screen, disks', run: () => this.show(TABS[(TABS.indexOf(this.tab) + 1) % TABS.length]!) },
      { keys: ['S-tab'], label: 'previous tab', footer: false, run: () => this.show(TABS[(TABS.indexOf(this.tab) + TABS.length - 1) % TABS.length]!) },
      { keys: ['x'], label: 'XML', help: 'switch between the overview and the XML', footer: false, run: () => this.show(this.tab === 'xml' ? 'overview' : 'xml') },
      { keys: ['1'], label: 'overview', footer: false, run: () => this.show('overview') },
      { keys: ['2'], label: 'XML', footer: false, run: () => this.show('xml') },
      { keys: ['3', 'v'], label: 'stats', help: 'the live charts (CPU, memory, disk, network)', footer: false, run: () => this.show('stats') },
      { keys: ['4'], label: 'agent', help: 'the guest agent: OS, users, filesystems, interfaces; clock, trim, freeze, password', footer: false, run: () => this.show('agent') },
      { keys: ['5', 'W'], label: 'diagnose', help: 'why it is in its state, and what would stop it from starting', footer: false, run: () => this.show('diagnose') },
      { keys: ['7'], label: 'screen', help: 'the guest\'s screen (screenshots as half blocks), keys sent to it, its display\'s ssh tunnel', footer: false, run: () => this.show('screen') },
      ...this.screenTab.keys(() => this.tab === 'screen'),
      { keys: ['8'], label: 'disks', help: 'inside its disks, read-only: the filesystems\' use (virt-df), its files (virt-ls, virt-cat)', footer: false, run: () => this.show('disks') },
      ...this.disksTab.keys(() => this.tab === 'disks'),
      windowKey<DomainCtx>(() => this.panel, app),
      { keys: ['6', 'h'], label: 'hardware', help: 'memory, vCPUs, disks, CD-ROMs, NICs, boot order: shown and changed', footer: false, run: () => this.show('hardware') },
      ...agentActions(this.frozen, () => this.tab === 'agent'),
      ...hardwareActions(() => this.tab === 'hardware'),
    ];
    // no "details" (nor "screen": it is a tab here) action on the details screen itself
    this.bound = bindKeys<DomainCtx>([...own, ...DOMAIN_ACTIONS.filter((a) => !a.keys.includes('enter') && !a.keys.includes('V'))], () => ({ host, dom: this.conn.domains.get(this.name) }),
      { target: () => `domain:${this.name}`, run: (t, r) => this.app.guarded(t, r, this.conn) });
  }

  get title(): string { return `Domain ${this.name}${this.tab === 'overview' ? '' : ` (${this.tab === 'xml' ? 'XML' : this.tab})`}`; }

  /** screenshots taken by the Screen tab (the tests see that a hidden tab takes none) */
  get screenShots(): number { return this.screenTab.shots; }

  keys(): readonly KeyAction<void>[] { return [...(this.text?.searchKeys() ?? []), ...this.bound, ...(this.text?.scrollKeys() ?? [])]; }

  private show(tab: Tab): void {
    this.tab = tab;
    if (this.parent) this.mountBody(this.parent);
    if (this.text) this.text.nav.top = 0;
    this.fill();
    this.app.requestRender();
    if (tab === 'agent' || tab === 'diagnose' || tab === 'hardware') void this.loadTab(tab);
  }

  /** the Agent or Diagnose tab, read afresh */
  private async loadTab(tab: 'agent' | 'diagnose' | 'hardware'): Promise<void> {
    const dom = this.conn.domains.get(this.name) ?? { name: this.name, id: null, state: 'shut off' as const, autostart: false, persistent: true, managedSave: false };
    let lines: string[];
    try {
      if (tab === 'hardware') lines = hardwareLines(await loadHardware((a) => this.conn.run(a), dom), this.conn.domains.get(this.name), this.conn.readonly);
      else if (tab === 'agent') {
        const xml = this.xml || await this.conn.run(['dumpxml', '--domain', domainArg(dom)]);
        const facts = await loadAgent((a) => this.conn.run(a), dom, xml);
        if (facts.frozen !== undefined) this.frozen.set(this.name, facts.frozen);
        lines = agentLines(this.name, facts, this.frozen.has(this.name));
      } else {
        const marks = this.conn.domains.stats.get(this.name)?.marks ?? [];
        const facts = await diagFacts(this.conn, dom, marks.slice(-5));
        // the last action on it that failed says what libvirt answered ("Cannot access storage file ...")
        const failed = this.conn.log.entries.filter((e) => !e.ok && (!e.host || e.host === this.conn.name) && `${e.short} `.includes(` --domain ${shellLine([domainArg(dom)])} `)).at(-1);
        lines = diagnoseLines(facts, failed);
      }
    } catch (e) {
      lines = [`${e instanceof VirshError ? e.line : String(e)}`];
    }
    this.tabLines[tab] = lines;
    this.fill();
    this.app.requestRender();
  }

  /** each NIC's counters (domifstat) as rates since the last tick */
  private nicBusy = false;
  private async loadNicRates(): Promise<void> {
    const d = this.conn.domains.get(this.name);
    if (this.tab !== 'overview' || !d || d.state !== 'running' || !this.xmlInfo || this.nicBusy) return;
    this.nicBusy = true;
    try {
      const now = Date.now();
      await Promise.all(this.xmlInfo.nics.filter((n) => n.target).map(async (n) => {
        const s = parseDomifstat(await this.conn.run(['domifstat', '--domain', domainArg(d), '--interface', n.target]).catch(() => ''));
        if (!s) return;
        const last = this.lastIfStats.get(n.target);
        if (last) this.nicRates.set(n.target, ifRates(last.s, s, (now - last.t) / 1000));
        this.lastIfStats.set(n.target, { s, t: now });
      }));
    } finally {
      this.nicBusy = false;
    }
    this.fill();
    this.app.requestRender();
  }

  /** the text of the overview and XML tabs, or the charts of the stats tab */
  private mountBody(parent: blessed.Widgets.BoxElement): void {
    const wantPanel = this.tab === 'stats';
    if (this.tab !== 'screen') this.unmountScreen();
    if (this.tab === 'screen') {
      if (this.screenOn) return;
      this.text?.box.destroy();
      this.text = null;
      this.unmountPanel();
      this.tabsBox = blessed.box({ parent, top: 0, left: 0, width: '100%', height: 2, tags: true });
      this.screenTab.mount(parent, 2);
      this.screenOn = true;
    } else if (wantPanel && !this.panel) {
      this.text?.box.destroy();
      this.text = null;
      this.tabsBox = blessed.box({ parent, top: 0, left: 0, width: '100%', height: 2, tags: true });
      this.panelBox = blessed.box({ parent, top: 2, left: 0, width: '100%', height: '100%-2' });
      this.panel = new StatsPanel(this.app, this.conn, this.name);
      this.panel.mount(this.panelBox);
    } else if (!wantPanel && !this.text) {
      this.unmountPanel();
      this.text = new TextView(parent, {}, this.app);
    }
  }

  private unmountScreen(): void {
    if (!this.screenOn) return;
    this.screenTab.unmount();
    this.screenOn = false;
    this.tabsBox?.destroy();
    this.tabsBox = null;
  }

  private unmountPanel(): void {
    if (!this.panel) return;
    this.panel.unmount();
    this.panel = null;
    this.tabsBox?.destroy();
    this.panelBox?.destroy();
    this.tabsBox = this.panelBox = null;
  }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.parent = parent;
    this.mountBody(parent);
    this.conn.on('changed', this.onChanged);
    this.conn.domains.on('change', this.onDomains);
    this.ips.on('change', this.onIps);
    this.frozen.on('change', this.onIps);
    this.disksTab.listen(true);
    // the IP store asks about this domain while its details are open
    this.ips.focus('detail', () => ({ selected: this.name, visible: [] }));
    this.fill();
    void this.load();
    if (this.tab === 'agent' || this.tab === 'diagnose' || this.tab === 'hardware') void this.loadTab(this.tab);
  }

  unmount(): void {
    this.conn.off('changed', this.onChanged);
    this.conn.domains.off('change', this.onDomains);
    this.ips.off('change', this.onIps);
    this.frozen.off('change', this.onIps);
    this.disksTab.listen(false);
    this.ips.focus('detail', null);
    this.text?.box.destroy();
    this.text = null;
    this.unmountPanel();
    this.unmountScreen();
    this.parent = null;
  }

  async load(): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    try {
      const dom = domainArg(this.conn.domains.get(this.name) ?? { name: this.name });
      const [info, xml] = await Promise.all([this.conn.run(['dominfo', '--domain', dom]), this.conn.run(['dumpxml', '--domain', dom])]);
      this.info = parseDominfo(info);
      this.xml = xml;
      this.xmlInfo = parseDomainXml(xml);
      this.error = null;
    } catch (e) {
      this.error = e instanceof VirshError ? e : new VirshError(`virsh dominfo ${this.name}`, String(e), '');
    } finally {
      this.loading = false;
    }
    // an action or a new state: the Agent and Diagnose tabs say what is true now
    if (this.tab === 'agent' || this.tab === 'diagnose' || this.tab === 'hardware') void this.loadTab(this.tab);
    if (this.screenOn) this.screenTab.changed();
    this.fill();
    this.app.requestRender();
  }

  private fill(): void {
    const top = this.text?.nav.top ?? 0;
    const lines: string[] = [];
    if (this.error) lines.push(`{red-fg}${esc(this.error.line)}{/}`, esc(this.error.hint), '');
    if (!this.info && !this.error) lines.push('loading…');
    const tabs = tabLine(TAB_NAMES, TABS.indexOf(this.tab));
    if (this.tabsBox) this.tabsBox.setContent(tabs);
    if (!this.text) return;
    const body = this.tab === 'overview' ? overviewLines(this.info, this.xmlInfo, nicExtras(this.ips.get(this.name), this.nicRates, this.xmlInfo?.nics ?? []))
      : this.tab === 'agent' || this.tab === 'diagnose' || this.tab === 'hardware' ? this.tabLines[this.tab] ?? ['loading…']
        : this.tab === 'disks' ? this.disksTab.lines()
        : this.xml.replace(/\n$/, '').split('\n');
    this.text.setLines([tabs, '', ...lines, ...body.map((l) => esc(l))], true);
    this.text.nav.top = top;
  }

  render(): void {
    this.text?.render();
    this.panel?.render();
  }

  summary(): string {
    const d = this.conn.domains.get(this.name);
    return d ? `${d.state}${this.frozen.has(this.name) ? ' FROZEN' : ''}` : 'gone';
  }
}
