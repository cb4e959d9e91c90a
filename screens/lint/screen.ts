// `:lint`: the host-wide checks (like k9s's popeye): domains without an agent channel, vCPU and
// memory overcommit, volumes no domain uses, mixed internal/external snapshots, inactive autostart
// networks and pools, disks in a pool above 90 %. Each finding with the command or key that fixes it.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { TextView } from '../../src/ui/textview.ts';
import type { View } from '../../src/ui/view.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { esc, type blessed } from '../../src/ui/blessed-compat.ts';
import { plural } from '../../src/ui/text.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { findingLines, lint, type Finding } from '../../src/libvirt/diagnose.ts';
import { lintWorld } from '../../src/model/diagnose.ts';

/** "5 findings: 0 errors, 1 warning, 4 notes". Pure. */
export function lintSummary(fs: readonly Finding[]): string {
  const by = (l: Finding['level']) => fs.filter((f) => f.level === l).length;
  return `${plural(fs.length, 'finding')}: ${plural(by('error'), 'error')}, ${plural(by('warn'), 'warning')}, ${plural(by('info'), 'note')}`;
}

export class LintView implements View {
  private text: TextView | null = null;
  private findings: Finding[] | null = null;
  private error = '';
  readonly title = 'Lint';
  private readonly own: KeyAction<void>[] = [
    { keys: ['C-r', 'f5'], label: 'again', help: 'run the checks again', run: () => { void this.load(); } },
  ];

  constructor(private readonly app: ScreenContext, readonly conn: Connection) {}

  keys(): readonly KeyAction<void>[] { return [...(this.text?.searchKeys() ?? []), ...this.own, ...(this.text?.scrollKeys() ?? [])]; }

  mount(parent: blessed.Widgets.BoxElement): void {
    this.text = new TextView(parent, {}, this.app);
    this.fill();
    if (!this.findings) void this.load();
  }

  unmount(): void { this.text?.box.destroy(); this.text = null; }

  private async load(): Promise<void> {
    this.findings = null;
    this.fill();
    try {
      this.findings = lint(await lintWorld(this.conn));
      this.error = '';
    } catch (e) {
      this.error = e instanceof VirshError ? e.line : String(e);
      this.findings = [];
    }
    this.fill();
    this.app.requestRender();
  }

  private fill(): void {
    if (!this.text) return;
    const lines = this.error ? [`{red-fg}${esc(this.error)}{/}`]
      : !this.findings ? ['checking every domain, network, pool and volume…']
        : this.findings.length ? findingLines(this.findings).map(esc) : ['nothing to say: every check passed'];
    this.text.setLines([`Lint of ${esc(this.conn.name)}`, '', ...lines], true);
  }

  render(): void { this.text?.render(); }
  summary(): string {
    if (!this.findings) return 'checking…';
    return lintSummary(this.findings);
  }
}
