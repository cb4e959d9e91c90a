// A scrollable pane with the output of a virsh command typed on the `:` line (or a log entry).
import { plural } from '../../src/ui/text.ts';
import type { ScreenContext } from '../../src/context.ts';
import { TextView } from '../../src/ui/textview.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { blessed } from '../../src/ui/blessed-compat.ts';

export class OutputView implements View {
  private text: TextView | null = null;
  constructor(private readonly app: ScreenContext, readonly title: string, private readonly lines: string[], private readonly failed = false) {}
  keys(): readonly KeyAction<void>[] { return [...(this.text?.searchKeys() ?? []), ...(this.text?.scrollKeys() ?? [])]; }
  mount(parent: blessed.Widgets.BoxElement): void {
    this.text = new TextView(parent, this.failed ? { style: { fg: 'red' } } : {}, this.app);
    this.text.setLines(this.lines.length ? this.lines : ['(no output)']);
  }
  unmount(): void { this.text?.box.destroy(); this.text = null; }
  render(): void { this.text?.render(); }
  summary(): string { return plural(this.lines.length, 'line'); }
}
