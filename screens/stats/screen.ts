// The stats view of one domain (`v` on a domain): the charts, `w` for the window, `[` `]` for
// the previous or next running domain, and the domain's actions (suspend, resume ...).
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { blessed } from '../../src/ui/blessed-compat.ts';
import { bindKeys, type View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { DOMAIN_ACTIONS, type DomainCtx } from '../domains/actions.ts';
import { actionHost, domainOrder } from '../domains/kind.ts';
import { stepName } from '../kit/list.ts';
import { RESOLUTIONS } from '../../src/model/ring.ts';
import { StatsPanel } from './panel.ts';

/** the `w` key of every view that shows the charts */
export function windowKey<C = void>(panel: () => StatsPanel | null, app: ScreenContext): KeyAction<C> {
  return {
    keys: ['w'], label: 'window', help: `switch the charts between ${RESOLUTIONS.map((r) => r.label).join(', ')}`,
    when: () => !!panel(), run: () => { panel()?.cycleWindow(); app.requestRender(); },
  };
}

export class DomainStatsView implements View {
  private panel: StatsPanel | null = null;
  private readonly bound: KeyAction<void>[];
  private res = 0;

  constructor(private readonly app: ScreenContext, readonly conn: Connection, private name: string) {
    const host = actionHost(app, conn);
    const step = (n: number) => {
      // running ones only (the others have no live charts), in the domains list's order
      const next = stepName(domainOrder(conn, (d) => d.state === 'running' || d.name === this.name), this.name, n);
      if (next) { this.name = next; this.panel?.show(next); app.requestRender(); }
    };
    const own: KeyAction<void>[] = [
      windowKey(() => this.panel, app),
      { keys: [']'], label: 'next domain', help: 'the next running domain', run: () => step(1) },
      { keys: ['['], label: 'previous domain', help: 'the previous running domain', footer: false, run: () => step(-1) },
    ];
    this.bound = [...own, ...bindKeys<DomainCtx>(DOMAIN_ACTIONS.filter((a) => !a.keys.includes('v')), () => ({ host, dom: conn.domains.get(this.name) }),
      { target: () => `domain:${this.name}`, run: (t, r) => app.guarded(t, r, conn) })];
  }

  get title(): string { return `Stats ${this.name}`; }
  keys(): readonly KeyAction<void>[] { return this.bound; }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.panel = new StatsPanel(this.app, this.conn, this.name);
    this.panel.res = this.res;
    this.panel.mount(parent);
  }

  unmount(): void {
    this.res = this.panel?.res ?? this.res;
    this.panel?.unmount();
    this.panel = null;
  }

  render(): void { this.panel?.render(); }

  summary(): string {
    const d = this.conn.domains.get(this.name);
    return d ? d.state : 'gone';
  }
}
