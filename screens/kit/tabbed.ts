// A detail view made of text tabs, each loaded on demand (volume: overview, XML, qemu-img;
// snapshot: overview, XML). The keys of the object's kind stay available.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { TextView, tabLine } from '../../src/ui/textview.ts';
import { bindKeys, type View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { esc, type blessed } from '../../src/ui/blessed-compat.ts';
import { VirshError } from '../../src/virsh/errors.ts';

export interface Tab { name: string; load(): Promise<string[]> }

export class TabbedView<C> implements View {
  private text: TextView | null = null;
  private current = 0;
  private cache = new Map<number, string[]>();
  private readonly bound: KeyAction<void>[];
  private readonly onChanged = () => { this.cache.clear(); void this.load(); };

  constructor(private readonly app: ScreenContext, readonly conn: Connection, private readonly heading: string, private readonly tabs: Tab[],
    actions: readonly KeyAction<C>[], ctx: () => C, private readonly status: () => string = () => '', nextKeys = ['tab']) {
    const own: KeyAction<C>[] = [
      { keys: nextKeys, label: tabs.map((t) => t.name).join('/'), help: 'the next tab', run: () => this.show((this.current + 1) % tabs.length) },
      ...tabs.map((t, i): KeyAction<C> => ({ keys: [String(i + 1)], label: t.name, footer: false, help: `the ${t.name} tab`, run: () => this.show(i) })),
    ];
    this.bound = bindKeys<C>([...own, ...actions], ctx);
  }

  get title(): string { return `${this.heading}${this.current ? ` (${this.tabs[this.current]!.name})` : ''}`; }
  keys(): readonly KeyAction<void>[] { return [...(this.text?.searchKeys() ?? []), ...this.bound, ...(this.text?.scrollKeys() ?? [])]; }
  summary(): string { return this.status(); }

  show(i: number): void {
    this.current = i;
    if (this.text) this.text.nav.top = 0;
    this.fill();
    void this.load();
  }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.text = new TextView(parent, {}, this.app);
    this.conn.on('changed', this.onChanged);
    this.fill();
    void this.load();
  }
  unmount(): void { this.conn.off('changed', this.onChanged); this.text?.box.destroy(); this.text = null; }

  private async load(): Promise<void> {
    const i = this.current;
    if (this.cache.has(i)) return;
    let lines: string[];
    try {
      lines = (await this.tabs[i]!.load()).map(esc);
    } catch (e) {
      const err = e instanceof VirshError ? e : new VirshError('', e instanceof Error ? e.message : String(e), '');
      lines = [`{red-fg}${esc(err.line)}{/}`, ...(err.hint ? [esc(`hint: ${err.hint}`)] : [])];
    }
    this.cache.set(i, lines);
    this.fill();
    this.app.requestRender();
  }

  private fill(): void {
    if (!this.text) return;
    const top = this.text.nav.top;
    this.text.setLines([tabLine(this.tabs.map((t) => t.name), this.current), '', ...(this.cache.get(this.current) ?? ['loading…'])], true);
    this.text.nav.top = top;
  }

  render(): void { this.text?.render(); }
}

/** "  Label:      value" lines */
export function fieldLines(fields: Array<[string, string]>, indent = 2): string[] {
  const w = Math.max(...fields.map(([k]) => k.length)) + 2;
  return fields.map(([k, v]) => `${' '.repeat(indent)}${`${k}:`.padEnd(w)}${v}`);
}
