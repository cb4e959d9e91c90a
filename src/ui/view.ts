// What the app needs from a screen (a view on the stack).
import type { blessed } from './blessed-compat.ts';
import type { KeyAction } from './keymap.ts';

export interface View {
  readonly title: string;
  /** every key of this view, navigation included, bound to its current selection (footer, help, dispatch) */
  keys(): readonly KeyAction<void>[];
  mount(parent: blessed.Widgets.BoxElement): void;
  unmount(): void;
  render(): void;
  /** the `/` filter, when the view has one */
  filter?: { value: string; set(v: string): void };
  /** one line for the header ("13 domains, 8 running") */
  summary?(): string;
  /** reloads what the view shows (the refresh tick, after an action) */
  refresh?(): Promise<void> | undefined;
  /** called when the view comes back to the top of the stack */
  onShow?(): void;
}

/** Binds a table of actions on a context to the view's current context. */
export function bindKeys<C>(table: readonly KeyAction<C>[], ctx: () => C): KeyAction<void>[] {
  return table.map((a) => ({
    ...a,
    run: () => a.run(ctx()),
    when: a.when ? () => a.when!(ctx()) : undefined,
  }));
}
