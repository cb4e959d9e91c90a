// A one-line editor (filter, `:` command line, typed confirmations). Pure: no blessed.
export type InputResult = 'submit' | 'cancel' | 'change' | 'move' | 'none';

export class LineInput {
  value = '';
  cursor = 0;
  constructor(initial = '') { this.value = initial; this.cursor = initial.length; }

  /** `name` as keyName() gives it */
  handle(name: string): InputResult {
    switch (name) {
      case 'enter': return 'submit';
      case 'escape': case 'C-c': case 'C-g': return 'cancel';
      case 'backspace': case 'C-h':
        // an empty line stays open: only Enter or Esc (or ^C, ^G) closes a prompt, so what is typed next is never a command key
        if (this.cursor === 0) return 'none';
        this.value = this.value.slice(0, this.cursor - 1) + this.value.slice(this.cursor);
        this.cursor--;
        return 'change';
      case 'delete': case 'C-d':
        if (this.cursor >= this.value.length) return 'none';
        this.value = this.value.slice(0, this.cursor) + this.value.slice(this.cursor + 1);
        return 'change';
      case 'left': case 'C-b': this.cursor = Math.max(0, this.cursor - 1); return 'move';
      case 'right': case 'C-f': this.cursor = Math.min(this.value.length, this.cursor + 1); return 'move';
      case 'home': case 'C-a': this.cursor = 0; return 'move';
      case 'end': case 'C-e': this.cursor = this.value.length; return 'move';
      case 'C-u': this.value = this.value.slice(this.cursor); this.cursor = 0; return 'change';
      case 'C-k': this.value = this.value.slice(0, this.cursor); return 'change';
      case 'C-w': {
        const before = this.value.slice(0, this.cursor).replace(/\S+\s*$/, '');
        this.value = before + this.value.slice(this.cursor);
        this.cursor = before.length;
        return 'change';
      }
      default:
        if ([...name].length === 1 && name >= ' ') {
          this.value = this.value.slice(0, this.cursor) + name + this.value.slice(this.cursor);
          this.cursor += name.length;
          return 'change';
        }
        return 'none';
    }
  }
}
