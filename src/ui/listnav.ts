import type { KeyAction } from './keymap.ts';

// Selection and scrolling of a list of `count` rows shown `height` at a time. Pure.
export class ListNav {
  /** false for text views: there is no selected row to keep in sight, only a scroll position */
  constructor(private readonly selectable = true) {}
  selected = 0;
  top = 0;
  count = 0;
  height = 1;

  setCount(n: number): void {
    this.count = n;
    this.clamp();
  }
  setHeight(h: number): void {
    this.height = Math.max(1, h);
    this.clamp();
  }
  select(i: number): void {
    this.selected = i;
    this.clamp();
  }
  move(delta: number): void { this.select(this.selected + delta); }
  page(dir: 1 | -1): void { this.select(this.selected + dir * Math.max(1, this.height - 1)); }
  /** scroll the view without a selection (text views) */
  scroll(delta: number): void {
    this.top = Math.max(0, Math.min(this.top + delta, Math.max(0, this.count - this.height)));
  }
  private clamp(): void {
    if (!this.selectable) { this.scroll(0); return; }
    if (this.selected >= this.count) this.selected = this.count - 1;
    if (this.selected < 0) this.selected = 0;
    if (this.selected < this.top) this.top = this.selected;
    if (this.selected >= this.top + this.height) this.top = this.selected - this.height + 1;
    this.top = Math.max(0, Math.min(this.top, Math.max(0, this.count - this.height)));
  }
}

/** The navigation keys every list shares; returns false when `name` is not one of them. */
export function navigate(nav: ListNav, name: string): boolean {
  switch (name) {
    case 'j': case 'down': nav.move(1); return true;
    case 'k': case 'up': nav.move(-1); return true;
    case 'pagedown': case 'C-f': case 'C-d': nav.page(1); return true;
    case 'pageup': case 'C-b': case 'C-u': nav.page(-1); return true;
    case 'home': nav.select(0); return true;
    case 'G': case 'end': nav.select(nav.count - 1); return true;
    default: return false;
  }
}


/** The navigation keys of a list, as key-table entries (shown in help, not in the footer). */
export function listKeys(nav: () => ListNav | undefined, onMove?: () => void): KeyAction<void>[] {
  const go = (k: string) => () => { const n = nav(); if (n) { navigate(n, k); onMove?.(); } };
  return [
    { keys: ['j', 'down'], label: 'down', footer: false, run: go('j') },
    { keys: ['k', 'up'], label: 'up', footer: false, run: go('k') },
    { keys: ['pagedown', 'C-f'], label: 'page down', footer: false, run: go('pagedown') },
    { keys: ['pageup', 'C-b'], label: 'page up', footer: false, run: go('pageup') },
    { keys: ['home'], label: 'first', footer: false, run: go('home') },
    { keys: ['G', 'end'], label: 'last', footer: false, run: go('G') },
  ];
}
