// A form in a modal box: text fields, choices and checkboxes, fields that appear with a choice,
// one or more submit buttons. Pure state (FormState) + the lines it draws; the App shows it.
import { esc } from './blessed-compat.ts';
import { LineInput } from './lineinput.ts';
import { fit, wrapText } from './text.ts';
import { theme } from './theme.ts';

export type FormValues = Record<string, string>;

export interface FieldSpec {
  id: string;
  label: string;
  /** text (default), choice (Left/Right/Space cycle), check ('yes' or '') */
  kind?: 'text' | 'choice' | 'check';
  value?: string;
  options?: readonly string[];
  /** a dim note after the field (a function: it follows what is typed, e.g. the matches of a search) */
  note?: string | ((v: FormValues) => string);
  /** shown only when this says so (e.g. fields of one pool type) */
  visible?: (v: FormValues) => boolean;
  /** a password: drawn as one • per character, never as typed */
  secret?: boolean;
  /** an error message, or '' when the value is fine */
  validate?: (value: string, v: FormValues) => string;
  /**
   * the value offered follows the other fields until it is typed into: a volume's name whose
   * extension is the chosen format ("web.raw" becomes "web.qcow2" when the format does)
   */
  follow?: (v: FormValues) => string;
}

export interface FormSpec {
  title: string;
  intro?: string[];
  fields: FieldSpec[];
  /** the submit buttons, e.g. ['Define', 'Define and start'] */
  buttons: string[];
  /** a check across fields, after each field's own */
  validate?: (v: FormValues) => string;
}

export interface FormResult { submitted: boolean; button: string; values: FormValues }

export class FormState {
  readonly inputs = new Map<string, LineInput>();
  /** index into [visible fields..., buttons..., Cancel] */
  focus = 0;
  done: FormResult | null = null;
  error = '';
  errorField = '';
  /** fields typed into: they no longer follow the others */
  private readonly typed = new Set<string>();

  constructor(readonly spec: FormSpec) {
    for (const f of spec.fields) {
      const initial = f.value ?? (f.kind === 'choice' ? f.options?.[0] ?? '' : '');
      this.inputs.set(f.id, new LineInput(initial));
    }
    // a form shown again with what was typed before keeps it
    for (const f of spec.fields) if (f.follow && f.value !== undefined && f.value !== f.follow(this.values())) this.typed.add(f.id);
    this.follow();
  }

  private follow(): void {
    for (const f of this.spec.fields) {
      if (!f.follow || this.typed.has(f.id)) continue;
      const v = f.follow(this.values());
      const input = this.inputs.get(f.id)!;
      if (v !== input.value) { input.value = v; input.cursor = v.length; }
    }
  }

  get title(): string { return this.spec.title; }
  get dangerous(): boolean { return false; }

  values(): FormValues {
    return Object.fromEntries([...this.inputs].map(([id, i]) => [id, i.value]));
  }

  visibleFields(): FieldSpec[] {
    const v = this.values();
    return this.spec.fields.filter((f) => !f.visible || f.visible(v));
  }

  private get count(): number { return this.visibleFields().length + this.spec.buttons.length + 1; }

  /** values of the visible fields only: a hidden field never reaches the command */
  private result(submitted: boolean, button: string): FormResult {
    const all = this.values();
    return { submitted, button, values: Object.fromEntries(this.visibleFields().map((f) => [f.id, all[f.id] ?? ''])) };
  }

  private submit(button: string): void {
    const v = this.values();
    const fields = this.visibleFields();
    for (const [i, f] of fields.entries()) {
      const msg = f.validate?.(v[f.id] ?? '', v) ?? '';
      if (msg) { this.error = `${f.label}: ${msg}`; this.errorField = f.id; this.focus = i; return; }
    }
    const all = this.spec.validate?.(v) ?? '';
    if (all) { this.error = all; return; }
    this.done = this.result(true, button);
  }

  handle(name: string): void {
    const fields = this.visibleFields();
    const f = fields[this.focus];
    this.error = '';
    this.errorField = '';
    if (name === 'escape' || name === 'C-c') { this.done = this.result(false, ''); return; }
    if (name === 'tab' || name === 'down') { this.focus = (this.focus + 1) % this.count; return; }
    if (name === 'S-tab' || name === 'up') { this.focus = (this.focus + this.count - 1) % this.count; return; }
    if (f) {
      const input = this.inputs.get(f.id)!;
      if (f.kind === 'choice') {
        const opts = f.options ?? [];
        const i = Math.max(0, opts.indexOf(input.value));
        if (name === 'right' || name === ' ') input.value = opts[(i + 1) % opts.length] ?? '';
        else if (name === 'left') input.value = opts[(i + opts.length - 1) % opts.length] ?? '';
        else if (name === 'enter') this.focus = (this.focus + 1) % this.count;
        this.follow();
        // a field that disappears with the choice must not leave the focus past the end
        this.focus = Math.min(this.focus, this.count - 1);
        return;
      }
      if (f.kind === 'check') {
        if (name === ' ' || name === 'x') input.value = input.value ? '' : 'yes';
        else if (name === 'enter') this.focus = (this.focus + 1) % this.count;
        this.follow();
        return;
      }
      // Enter in the last text field submits with the first button; elsewhere it moves on
      if (name === 'enter') {
        const textAfter = fields.slice(this.focus + 1).some((x) => !x.kind || x.kind === 'text');
        if (!textAfter) this.submit(this.spec.buttons[0]!);
        else this.focus++;
        return;
      }
      if (input.handle(name) === 'change') { this.typed.add(f.id); this.follow(); }
      return;
    }
    const b = this.focus - fields.length;
    if (name === 'left') { this.focus = fields.length + Math.max(0, b - 1); return; }
    if (name === 'right') { this.focus = fields.length + Math.min(this.spec.buttons.length, b + 1); return; }
    if (name === 'enter' || name === ' ') {
      if (b >= this.spec.buttons.length) this.done = this.result(false, '');
      else this.submit(this.spec.buttons[b]!);
    }
  }

  /**
   * more fields than rows (the Hardware tab's Add at 80x10): the ones around the focus, the cut
   * ends marked, so that the buttons and the keys line stay in sight below them
   */
  private fieldWindow(lines: string[], room: number): string[] {
    const n = lines.length;
    if (n <= room) return lines;
    const marks = room >= 3;
    const k = marks ? room - 2 : Math.max(1, room);
    // the focus on a button: the last fields, which lead to it
    const at = Math.min(this.focus, n - 1);
    const start = Math.min(Math.max(0, at - Math.floor(k / 2)), n - k);
    const end = start + k;
    const mark = (t: string) => `{${theme.dim}}${esc(t)}{/}`;
    return [...(marks && start > 0 ? [mark(`↑ ${start} more`)] : []), ...lines.slice(start, end), ...(marks && end < n ? [mark(`↓ ${n - end} more`)] : [])];
  }

  /**
   * `height`: the rows the box may use. The fields, the buttons and the keys line always show;
   * the blank lines between the parts give way first, then the intro (whole or not at all)
   */
  lines(width: number, height = 1000): string[] {
    const out: string[] = [];
    // wrapped, not cut: an intro's end is often what to know (Hardware: "removing vCPUs live often fails")
    const intro = (this.spec.intro ?? []).flatMap((l) => wrapText(l, width));
    const errorLines = this.error ? wrapText(this.error, width, 2).slice(0, 3) : [];
    const free = height - this.visibleFields().length - 1 - Math.max(1, errorLines.length);
    const shown = intro.length <= free ? intro : [];
    const blanks = free - shown.length >= (shown.length ? 2 : 1);
    for (const l of shown) out.push(esc(l.trimEnd()));
    if (out.length && blanks) out.push('');
    const fields = this.visibleFields();
    const labelW = Math.min(22, Math.max(...fields.map((f) => f.label.length)) + 1);
    const fieldLines: string[] = [];
    fields.forEach((f, i) => {
      const input = this.inputs.get(f.id)!;
      const focused = this.focus === i;
      let shown: string;
      if (f.kind === 'choice') shown = focused ? `< ${input.value} >` : `  ${input.value}`;
      else if (f.kind === 'check') shown = `[${input.value ? 'x' : ' '}]`;
      else {
        const v = f.secret ? '•'.repeat(input.value.length) : input.value;
        shown = focused ? `${v.slice(0, input.cursor)}█${v.slice(input.cursor)}` : v;
      }
      const room = Math.max(4, width - labelW - 2);
      let value = fit(shown, room).trimEnd();
      if (f.kind !== 'choice' && f.kind !== 'check' && focused && input.value.length + 1 > room) value = `…${shown.slice(-(room - 1))}`;
      const label = fit(f.label, labelW);
      const text = typeof f.note === 'function' ? f.note(this.values()) : f.note;
      const note = text && strLen(value) + text.length + 3 <= room ? `  {${theme.dim}}${esc(text)}{/}` : '';
      const body = focused ? `{${theme.selected}}${esc(value || ' ')}{/}` : f.id === this.errorField ? `{${theme.error}}${esc(value)}{/}` : esc(value);
      fieldLines.push(`${focused ? '{bold}' : ''}${esc(label)}${focused ? '{/bold}' : ''} ${body}${note}`);
    });
    out.push(...this.fieldWindow(fieldLines, height - 1 - Math.max(1, errorLines.length)));
    if (blanks) out.push('');
    const btns = [...this.spec.buttons, 'Cancel'].map((b, i) => {
      const focused = this.focus === fields.length + i;
      return focused ? `{${theme.selected}}[ ${esc(b)} ]{/}` : `{${i < this.spec.buttons.length ? theme.ok : theme.fg}}[ ${esc(b)} ]{/}`;
    });
    out.push(btns.join('  '));
    // the error wraps (up to three lines): its end is often the reason
    if (this.error) for (const l of errorLines) out.push(`{${theme.error}}${esc(l)}{/}`);
    else out.push(`{${theme.dim}}${esc(fit('Tab/Up/Down move  Left/Right/Space choose  Enter next/submit  Esc cancels', width).trimEnd())}{/}`);
    return out;
  }
}

const strLen = (s: string) => [...s].length;
