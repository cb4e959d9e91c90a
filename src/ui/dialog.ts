// Modal questions: confirm, type-the-name-to-confirm, and options with checkboxes.
import { blessed, esc, strWidth } from './blessed-compat.ts';
import { LineInput } from './lineinput.ts';
import { theme } from './theme.ts';
import { fit, middleEllipsis, wrapText } from './text.ts';

export interface Checkbox { id: string; label: string; checked: boolean }

export interface DialogSpec {
  title: string;
  /** plain text lines; what will happen and what is lost */
  message: string[];
  confirmLabel: string;
  dangerous?: boolean;
  checkboxes?: Checkbox[];
  /** the user must type this exactly before the confirm button works */
  typeToConfirm?: string;
  /** text shown as it is (XML, a diff, an error output), scrolled with PgUp/PgDn when long */
  pre?: string[];
  /** 'diff' colours + and - lines */
  preStyle?: 'diff';
  /** the label of the button that does not confirm ("Cancel") */
  cancelLabel?: string;
  /**
   * nothing to choose (a refusal, a fact): one button, `confirmLabel` ("OK"); Enter, Esc, y, n
   * and Space all close it, and the answer is never a yes
   */
  notice?: boolean;
  /** about a file on this machine (a download's target, a file to read), not about a host's object: no host is named in its title */
  local?: boolean;
}

/** A modal the App shows: a question (DialogState) or a form (FormState). */
export interface Modal {
  readonly title: string;
  readonly dangerous: boolean;
  handle(name: string): void;
  /** tagged lines; `height` is how many lines fit */
  lines(width: number, height: number): string[];
}

export interface DialogResult { confirmed: boolean; checked: Record<string, boolean> }

/** Pure state of a dialog: focus, checkboxes, typed text. The widget draws it. */
export class DialogState {
  readonly checks: Checkbox[];
  readonly input: LineInput | null;
  /** focus: index into [checkboxes..., input?, confirm, cancel] */
  focus: number;
  done: DialogResult | null = null;
  error = '';
  /** it appeared while the user typed into a pane: until then, keys are dropped (and it says so) */
  quietUntil = 0;
  /** first shown line of `pre` */
  preTop = 0;
  private preRoom = 10;
  /** rows of `pre` once wrapped (PgDn stops at its end) */
  private preRows = 0;

  constructor(readonly spec: DialogSpec) {
    this.checks = (spec.checkboxes ?? []).map((c) => ({ ...c }));
    this.input = spec.typeToConfirm !== undefined ? new LineInput() : null;
    // start on the text field when there is one, else on Cancel for dangerous questions
    this.focus = this.input ? this.checks.length : this.checks.length + (spec.dangerous ? 1 : 0);
  }
  get title(): string { return this.spec.title; }
  get dangerous(): boolean { return !!this.spec.dangerous; }
  get inputIndex(): number { return this.input ? this.checks.length : -1; }
  get confirmIndex(): number { return this.checks.length + (this.input ? 1 : 0); }
  /** a notice's one button is its confirm and its cancel */
  get cancelIndex(): number { return this.confirmIndex + (this.spec.notice ? 0 : 1); }
  get typedOk(): boolean { return !this.input || this.input.value === this.spec.typeToConfirm; }

  private result(confirmed: boolean): DialogResult {
    return { confirmed, checked: Object.fromEntries(this.checks.map((c) => [c.id, c.checked])) };
  }

  private confirm(): void {
    if (!this.typedOk) { this.error = `type ${JSON.stringify(this.spec.typeToConfirm)} exactly to confirm`; return; }
    this.done = this.result(true);
  }

  handle(name: string): void {
    this.error = '';
    if (name === 'escape' || name === 'C-c') { this.done = this.result(false); return; }
    if (this.spec.notice && ['enter', ' ', 'y', 'Y', 'n', 'N', 'q'].includes(name)) { this.done = this.result(false); return; }
    const preMax = Math.max(0, Math.max(this.preRows, this.spec.pre?.length ?? 0) - this.preRoom);
    if (name === 'pagedown' || name === 'C-f') { this.preTop = Math.min(preMax, this.preTop + this.preRoom - 1); return; }
    if (name === 'pageup' || name === 'C-b') { this.preTop = Math.max(0, this.preTop - this.preRoom + 1); return; }
    if (name === 'tab' || name === 'down') { this.focus = (this.focus + 1) % (this.cancelIndex + 1); return; }
    if (name === 'S-tab' || name === 'up') { this.focus = (this.focus + this.cancelIndex) % (this.cancelIndex + 1); return; }
    if (this.focus === this.inputIndex && this.input) {
      if (name === 'enter') { this.confirm(); return; }
      this.input.handle(name);
      return;
    }
    if (name === 'left' || name === 'right') {
      if (this.focus === this.confirmIndex) this.focus = this.cancelIndex;
      else if (this.focus === this.cancelIndex) this.focus = this.confirmIndex;
      return;
    }
    if (this.focus < this.checks.length && (name === ' ' || name === 'enter' || name === 'x')) {
      this.checks[this.focus]!.checked = !this.checks[this.focus]!.checked;
      return;
    }
    if (name === 'enter') {
      if (this.focus === this.cancelIndex) this.done = this.result(false);
      else this.confirm();
      return;
    }
    if (!this.input && (name === 'y' || name === 'Y')) { this.confirm(); return; }
    if (name === 'n' || name === 'N' || name === 'q') this.done = this.result(false);
  }

  lines(width: number, height = 1000): string[] {
    // the question's text first, then the controls; when they do not all fit, the text gives
    // way (it is cut, with a mark), never the input or the buttons
    const head: string[] = [];
    const wrap = (s: string) => { for (const l of wrapText(s, width)) head.push(esc(l)); };
    for (const m of this.spec.message) m === '' ? head.push('') : wrap(m);
    const controls: string[] = [];
    if (this.checks.length) controls.push('');
    this.checks.forEach((c, i) => {
      // a long label wraps under itself, after the box
      const parts = wrapText(`[${c.checked ? 'x' : ' '}] ${c.label}`, width, 4);
      for (const [k, p] of parts.entries()) controls.push(this.focus === i && k === 0 ? `{${theme.selected}}${esc(p)}{/}` : esc(p));
    });
    if (this.input) {
      controls.push('');
      // a name too long for the line is shortened here: the message above shows it whole
      const typed = this.spec.typeToConfirm ?? '';
      controls.push(esc(strWidth(`Type ${typed} to confirm:`) <= width ? `Type ${typed} to confirm:` : `Type the name to confirm: ${middleEllipsis(typed, Math.max(8, width - 27))}`));
      // a long value scrolls: its end (where the cursor is) stays in sight
      const cursor = this.focus === this.inputIndex ? '█' : '';
      let shown = this.input.value;
      while (shown && strWidth(`> ${shown}${cursor}`) > width) shown = [...shown].slice(1).join('');
      const field = `>${shown === this.input.value ? ' ' : '…'}${shown}${cursor}`;
      controls.push(this.focus === this.inputIndex ? `{bold}${esc(field)}{/}` : esc(field));
    }
    controls.push('');
    const btn = (label: string, i: number, color: string) =>
      this.focus === i ? `{${theme.selected}}[ ${esc(label)} ]{/}` : `{${color}}[ ${esc(label)} ]{/}`;
    const okColor = this.spec.dangerous ? theme.error : theme.ok;
    const half = Math.max(4, Math.floor(width / 2) - 6);
    const confirm = btn(fit(this.spec.confirmLabel, Math.min(half, strWidth(this.spec.confirmLabel))), this.confirmIndex, this.typedOk ? okColor : theme.dim);
    controls.push(this.spec.notice ? confirm : `${confirm}  ${btn(fit(this.spec.cancelLabel ?? 'Cancel', Math.min(half, strWidth(this.spec.cancelLabel ?? 'Cancel'))), this.cancelIndex, theme.fg)}`);
    if (this.error) for (const l of wrapText(this.error, width)) controls.push(`{${theme.error}}${esc(l)}{/}`);
    else if (Date.now() < this.quietUntil) controls.push(`{${theme.warn}}${esc(fit('a moment: keys typed now are ignored', width).trimEnd())}{/}`);
    else {
      // only the keys that do something here, most useful first, so that a narrow dialog keeps them
      const hints = this.spec.notice ? ['Enter or Esc closes']
        : [this.input ? '' : 'y/n', 'Enter chooses', 'Esc cancels', 'Tab moves', this.checks.length ? 'Space ticks' : ''].filter(Boolean);
      let line = '';
      for (const h of hints) if (strWidth(line ? `${line}  ${h}` : h) <= width) line = line ? `${line}  ${h}` : h;
      controls.push(`{${theme.dim}}${esc(line)}{/}`);
    }

    const pre: string[] = [];
    if (this.spec.pre) {
      const fixed = head.length + controls.length + 2;
      this.preRoom = Math.max(3, height - fixed);
      // long lines of the XML or the error output wrap: their end is often the reason
      const rows: Array<{ text: string; src: string }> = [];
      for (const l of this.spec.pre) for (const r of wrapText(l.replace(/\t/g, '    '), width, 4)) rows.push({ text: r, src: l });
      this.preTop = Math.min(this.preTop, Math.max(0, rows.length - this.preRoom));
      const shown = rows.slice(this.preTop, this.preTop + this.preRoom);
      for (const { text, src } of shown) {
        const t = esc(text);
        const c = this.spec.preStyle === 'diff' ? (/^\+(?!\+\+ )/.test(src) ? theme.ok : /^-(?!-- )/.test(src) ? theme.error : /^@@/.test(src) ? theme.busy : '') : '';
        pre.push(c ? `{${c}}${t}{/}` : t);
      }
      this.preRows = rows.length;
      pre.unshift('');
      if (rows.length > this.preRoom) pre.push(`{${theme.dim}}(lines ${this.preTop + 1}-${this.preTop + shown.length} of ${rows.length}: PgUp/PgDn scroll){/}`);
    }
    const room = Math.max(1, height - controls.length - pre.length);
    const text = head.length > room ? [...head.slice(0, Math.max(0, room - 1)), `{${theme.dim}}…{/}`] : head;
    return [...text, ...pre, ...controls];
  }
}

export class DialogWidget {
  readonly box: blessed.Widgets.BoxElement;
  constructor(screen: blessed.Widgets.Screen, readonly state: Modal) {
    this.box = blessed.box({
      parent: screen, top: 'center', left: 'center', width: '70%', height: 'shrink', tags: true,
      // the lines come wrapped to the box; blessed would wrap again a coloured line that fills it
      // exactly (the closing colour code counts as text), pushing the last line out of the box
      wrap: false,
      border: { type: 'line' }, padding: { left: 1, right: 1 },
      style: { border: { fg: state.dangerous ? 'red' : 'cyan' } },
    } as blessed.Widgets.BoxOptions);
  }
  /** wide content (XML, diffs, forms) gets most of the screen; a question stays compact */
  render(screenWidth: number, screenHeight = 24, wide = false): void {
    const inner = wide ? Math.max(20, Math.min(screenWidth - 6, 110)) : Math.max(20, Math.min(Math.floor(screenWidth * 0.7), 90) - 4);
    this.box.width = inner + 4;
    // a title longer than the box (a 200-character name) is shortened in its middle
    this.box.setLabel(` ${esc(middleEllipsis(this.state.title, inner - 2))} `);
    const lines = this.state.lines(inner, Math.max(6, screenHeight - 2)).slice(0, Math.max(6, screenHeight - 2));
    this.box.height = lines.length + 2;
    this.box.setContent(lines.join('\n'));
  }
  destroy(): void { this.box.destroy(); }
}
