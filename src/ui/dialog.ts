// Modal questions: confirm, type-the-name-to-confirm, and options with checkboxes.
import { blessed, esc, strWidth } from './blessed-compat.ts';
import { LineInput } from './lineinput.ts';
import { theme } from './theme.ts';
import { fit } from './text.ts';

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
  /** first shown line of `pre` */
  preTop = 0;
  private preRoom = 10;

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
  get cancelIndex(): number { return this.confirmIndex + 1; }
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
    const preMax = Math.max(0, (this.spec.pre?.length ?? 0) - this.preRoom);
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
    const out: string[] = [];
    const wrap = (s: string) => {
      const words = s.split(' ');
      let cur = '';
      for (const w of words) {
        if (cur && strWidth(cur + ' ' + w) > width) { out.push(esc(cur)); cur = w; } else cur = cur ? `${cur} ${w}` : w;
      }
      out.push(esc(cur));
    };
    for (const m of this.spec.message) m === '' ? out.push('') : wrap(m);
    const pre: string[] = [];
    if (this.spec.pre) {
      const fixed = out.length + this.checks.length + (this.input ? 3 : 0) + 5;
      this.preRoom = Math.max(3, height - fixed);
      this.preTop = Math.min(this.preTop, Math.max(0, this.spec.pre.length - this.preRoom));
      const shown = this.spec.pre.slice(this.preTop, this.preTop + this.preRoom);
      for (const l of shown) {
        const t = esc(fit(l.replace(/\t/g, '    '), width)).trimEnd();
        const c = this.spec.preStyle === 'diff' ? (/^\+(?!\+\+ )/.test(l) ? theme.ok : /^-(?!-- )/.test(l) ? theme.error : /^@@/.test(l) ? theme.busy : '') : '';
        pre.push(c ? `{${c}}${t}{/}` : t);
      }
      const more = this.spec.pre.length > this.preRoom;
      out.push('', ...pre);
      if (more) out.push(`{${theme.dim}}(lines ${this.preTop + 1}-${this.preTop + shown.length} of ${this.spec.pre.length}: PgUp/PgDn scroll){/}`);
    }
    if (this.checks.length) out.push('');
    this.checks.forEach((c, i) => {
      // a long label wraps under itself, after the box
      const parts: string[] = [];
      let cur = `[${c.checked ? 'x' : ' '}]`;
      for (const w of c.label.split(' ')) {
        if (strWidth(`${cur} ${w}`) > width && cur.trim().length > 3) { parts.push(cur); cur = `    ${w}`; } else cur = `${cur} ${w}`;
      }
      parts.push(cur);
      for (const [k, p] of parts.entries()) out.push(this.focus === i && k === 0 ? `{${theme.selected}}${esc(p)}{/}` : esc(p));
    });
    if (this.input) {
      out.push('');
      out.push(esc(`Type ${this.spec.typeToConfirm} to confirm:`));
      const field = `> ${this.input.value}${this.focus === this.inputIndex ? '█' : ''}`;
      out.push(this.focus === this.inputIndex ? `{bold}${esc(field)}{/}` : esc(field));
    }
    out.push('');
    const btn = (label: string, i: number, color: string) =>
      this.focus === i ? `{${theme.selected}}[ ${esc(label)} ]{/}` : `{${color}}[ ${esc(label)} ]{/}`;
    const okColor = this.spec.dangerous ? theme.error : theme.ok;
    out.push(`${btn(this.spec.confirmLabel, this.confirmIndex, this.typedOk ? okColor : theme.dim)}  ${btn(this.spec.cancelLabel ?? 'Cancel', this.cancelIndex, theme.fg)}`);
    if (this.error) out.push(`{${theme.error}}${esc(this.error)}{/}`);
    else out.push(`{${theme.dim}}Tab moves  Space toggles  Enter chooses  Esc cancels${this.input ? '' : '  y/n'}{/}`);
    return out;
  }
}

export class DialogWidget {
  readonly box: blessed.Widgets.BoxElement;
  constructor(screen: blessed.Widgets.Screen, readonly state: Modal) {
    this.box = blessed.box({
      parent: screen, top: 'center', left: 'center', width: '70%', height: 'shrink', tags: true,
      border: { type: 'line' }, label: ` ${esc(state.title)} `, padding: { left: 1, right: 1 },
      style: { border: { fg: state.dangerous ? 'red' : 'cyan' } },
    } as blessed.Widgets.BoxOptions);
  }
  /** wide content (XML, diffs, forms) gets most of the screen; a question stays compact */
  render(screenWidth: number, screenHeight = 24, wide = false): void {
    const inner = wide ? Math.max(20, Math.min(screenWidth - 6, 110)) : Math.max(20, Math.min(Math.floor(screenWidth * 0.7), 90) - 4);
    this.box.width = inner + 4;
    const lines = this.state.lines(inner, Math.max(6, screenHeight - 2)).slice(0, Math.max(6, screenHeight - 2));
    this.box.height = lines.length + 2;
    this.box.setContent(lines.join('\n'));
  }
  destroy(): void { this.box.destroy(); }
}
