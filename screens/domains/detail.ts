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

function table(headers: string[], rows: string[][]): string[] {
  if (rows.length === 0) return ['  (none)'];
  const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => '  ' + cells.map((c, i) => fit(c || '-', widths[i]!)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** The overview tab as plain lines. Pure. */
export function overviewLines(info: DomInfo | null, xml: DomainXmlInfo | null): string[] {
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
    out.push(...table(['MAC', 'TYPE', 'SOURCE', 'MODEL'], xml.nics.map((n) => [n.mac, n.type, n.source, n.model])));
    out.push('', `Graphics (${xml.graphics.length})`);
    out.push(...table(['TYPE', 'PORT', 'LISTEN'], xml.graphics.map((g) => [g.type, g.port === '-1' || (!g.port && g.autoport) ? 'auto' : g.port, g.listen])));
  }
  return out;
}

type Tab = 'overview' | 'xml' | 'stats';
const TABS: Tab[] = ['overview', 'xml', 'stats'];

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
    const st = d ? `${d.state}/${d.id}/${d.autostart}/${d.managedSave}/${d.persistent}` : 'gone';
    if (st !== this.lastState) { this.lastState = st; void this.load(); }
  };

  constructor(private readonly app: ScreenContext, readonly conn: Connection, readonly name: string) {
    const host = actionHost(app, conn);
    const own: KeyAction<DomainCtx>[] = [
      { keys: ['tab'], label: 'next tab', help: 'the next tab: overview, XML, stats', run: () => this.show(TABS[(TABS.indexOf(this.tab) + 1) % TABS.length]!) },
      { keys: ['S-tab'], label: 'previous tab', footer: false, run: () => this.show(TABS[(TABS.indexOf(this.tab) + TABS.length - 1) % TABS.length]!) },
      { keys: ['x'], label: 'XML', help: 'switch between the overview and the XML', footer: false, run: () => this.show(this.tab === 'xml' ? 'overview' : 'xml') },
      { keys: ['1'], label: 'overview', footer: false, run: () => this.show('overview') },
      { keys: ['2'], label: 'XML', footer: false, run: () => this.show('xml') },
      { keys: ['3', 'v'], label: 'stats', help: 'the live charts (CPU, memory, disk, network)', footer: false, run: () => this.show('stats') },
      windowKey<DomainCtx>(() => this.panel, app),
    ];
    // no "details" action on the details screen itself
    this.bound = bindKeys<DomainCtx>([...own, ...DOMAIN_ACTIONS.filter((a) => !a.keys.includes('enter'))], () => ({ host, dom: this.conn.domains.get(this.name) }),
      { target: () => `domain:${this.name}`, run: (t, r) => this.app.guarded(t, r, this.conn) });
  }

  get title(): string { return `Domain ${this.name}${this.tab === 'xml' ? ' (XML)' : this.tab === 'stats' ? ' (stats)' : ''}`; }

  keys(): readonly KeyAction<void>[] { return [...(this.text?.searchKeys() ?? []), ...this.bound, ...(this.text?.scrollKeys() ?? [])]; }

  private show(tab: Tab): void {
    this.tab = tab;
    if (this.parent) this.mountBody(this.parent);
    if (this.text) this.text.nav.top = 0;
    this.fill();
    this.app.requestRender();
  }

  /** the text of the overview and XML tabs, or the charts of the stats tab */
  private mountBody(parent: blessed.Widgets.BoxElement): void {
    const wantPanel = this.tab === 'stats';
    if (wantPanel && !this.panel) {
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
    this.fill();
    void this.load();
  }

  unmount(): void {
    this.conn.off('changed', this.onChanged);
    this.conn.domains.off('change', this.onDomains);
    this.text?.box.destroy();
    this.text = null;
    this.unmountPanel();
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
    this.fill();
    this.app.requestRender();
  }

  private fill(): void {
    const top = this.text?.nav.top ?? 0;
    const lines: string[] = [];
    if (this.error) lines.push(`{red-fg}${esc(this.error.line)}{/}`, esc(this.error.hint), '');
    if (!this.info && !this.error) lines.push('loading…');
    const tabs = tabLine(['Overview', 'XML', 'Stats'], TABS.indexOf(this.tab));
    if (this.tabsBox) this.tabsBox.setContent(tabs);
    if (!this.text) return;
    const body = this.tab === 'overview' ? overviewLines(this.info, this.xmlInfo) : this.xml.replace(/\n$/, '').split('\n');
    this.text.setLines([tabs, '', ...lines, ...body.map((l) => esc(l))], true);
    this.text.nav.top = top;
  }

  render(): void {
    this.text?.render();
    this.panel?.render();
  }

  summary(): string {
    const d = this.conn.domains.get(this.name);
    return d ? d.state : 'gone';
  }
}
