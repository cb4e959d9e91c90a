// A scrollable text area drawn by us (XML, virsh output, help, the log): no blessed scrolling quirks.
import { blessed, esc } from './blessed-compat.ts';
import { ListNav } from './listnav.ts';
import { fit } from './text.ts';
import type { KeyAction } from './keymap.ts';

export class TextView {
  readonly box: blessed.Widgets.BoxElement;
  readonly nav = new ListNav(false);
  private lines: string[] = [];
  /** lines already holding blessed tags (help, styled sections) */
  private tagged = false;

  constructor(parent: blessed.Widgets.Node, opts: Partial<blessed.Widgets.BoxOptions> = {}) {
    this.box = blessed.box({ parent, top: 0, left: 0, width: '100%', height: '100%', tags: true, wrap: false, ...opts });
    this.box.on('wheeldown', () => this.nav.scroll(3));
    this.box.on('wheelup', () => this.nav.scroll(-3));
  }

  setLines(lines: string[], tagged = false): void {
    this.lines = lines.map((l) => l.replace(/\t/g, '    ').replace(/\r$/, ''));
    this.tagged = tagged;
    this.nav.setCount(this.lines.length);
  }

  /** j/k/PgUp/PgDn/g/G scroll the text */
  scrollKeys(): KeyAction<void>[] {
    const n = this.nav;
    return [
      { keys: ['j', 'down'], label: 'scroll down', footer: false, run: () => n.scroll(1) },
      { keys: ['k', 'up'], label: 'scroll up', footer: false, run: () => n.scroll(-1) },
      { keys: ['pagedown', ' ', 'C-f'], label: 'page down', footer: false, run: () => n.scroll(n.height - 1) },
      { keys: ['pageup', 'C-b'], label: 'page up', footer: false, run: () => n.scroll(-(n.height - 1)) },
      { keys: ['g', 'home'], label: 'top', footer: false, run: () => { n.top = 0; } },
      { keys: ['G', 'end'], label: 'bottom', footer: false, run: () => n.scroll(n.count) },
    ];
  }

  render(): void {
    const width = (this.box.width as number) || 80;
    const height = (this.box.height as number) || 24;
    this.nav.setHeight(height);
    const shown = this.lines.slice(this.nav.top, this.nav.top + height);
    this.box.setContent(shown.map((l) => (this.tagged ? l : esc(fit(l, width)).trimEnd())).join('\n'));
  }
}

/** The tab line of a detail view: "[Overview]  XML   Tab switches" (tagged). */
export function tabLine(tabs: readonly string[], current: number): string {
  const names = tabs.map((t, i) => `{bold}${i === current ? `[${t}]` : ` ${t} `}{/bold}`).join('  ');
  return `${names}   {gray-fg}Tab switches{/}`;
}
