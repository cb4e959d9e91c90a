// `?`: every key of the screen below and the global keys, from the same tables as the footer.
import type { ScreenContext } from '../../src/context.ts';
import { TextView } from '../../src/ui/textview.ts';
import type { View } from '../../src/ui/view.ts';
import { helpLines, type KeyAction } from '../../src/ui/keymap.ts';
import { esc, type blessed } from '../../src/ui/blessed-compat.ts';
import { SCREENS } from '../index.ts';

export class HelpView implements View {
  private text: TextView | null = null;
  readonly title: string;
  /** made before the help is on top: "(not now)" is about the screen below, not the help itself */
  private readonly made: string[];
  constructor(private readonly app: ScreenContext, private readonly below: View | undefined) {
    this.title = `Help: ${below?.title ?? 'virtui'}`;
    this.made = this.lines();
  }
  keys(): readonly KeyAction<void>[] { return [...(this.text?.searchKeys() ?? []), ...(this.text?.scrollKeys() ?? [])]; }
  lines(): string[] {
    const sections = [];
    if (this.below) sections.push({ title: `${this.below.title} keys`, table: this.below.keys() });
    sections.push({ title: 'Everywhere', table: this.app.globalKeys });
    const ro = this.below?.readonly ?? this.below?.conn?.readonly ?? this.app.conn.readonly;
    const out = helpLines(sections, undefined, ro);
    out.push('', 'Command line (:)');
    out.push(`  ${SCREENS.map((d) => `:${d.aliases[0]}`).join(' ').padEnd(44)} open a screen (Esc and q come back)`);
    out.push('  :q                                           quit (asks first when something would be lost)');
    out.push('  :q!                                          quit without asking');
    out.push('  :<anything else>                              runs in virsh on this connection, e.g. :nodeinfo');
    out.push('  :log save FILE                               the virsh commands that changed something, as a sh script');
    out.push('  Tab  ↑ ↓                                     complete (screens, virsh commands, names); the lines run before');
    if (ro) out.push('', 'Read-only connection (-r, n -r, or readonly in the config): actions that change anything are not offered.');
    return out;
  }
  mount(parent: blessed.Widgets.BoxElement): void {
    this.text = new TextView(parent, {}, this.app);
    this.text.setLines(this.made.map((l) => (/^\S/.test(l) ? `{bold}${esc(l)}{/bold}` : esc(l))), true);
  }
  unmount(): void { this.text?.box.destroy(); this.text = null; }
  render(): void { this.text?.render(); }
}
