// What the app needs from a screen (a view on the stack).
import type { blessed } from './blessed-compat.ts';
import type { KeyAction } from './keymap.ts';
import type { Connection } from '../model/connection.ts';

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
  /** the connection it shows, when it shows one (closing that connection closes the view) */
  readonly conn?: { readonly readonly: boolean; readonly name: string };
  /** whether the keys act on a read-only connection (the fleet view: the selected row's); default: its conn's */
  readonly readonly?: boolean;
  /** the registry name of what it lists (the config's user commands name the screens they are on) */
  readonly screen?: string;
  /** the selected object, for a user command's $NAME, $POOL and the connection it runs on */
  subject?(): { name: string; conn?: Connection; pool?: string } | undefined;
}

/**
 * Runs a changing action on one object: the app holds the object until the action and the
 * refresh after it are done (App.guarded).
 */
export interface ObjectGuard {
  /** "domain:web-01": the object the keys act on now */
  target(): string | undefined;
  run(target: string | undefined, run: () => void | Promise<void>): void | Promise<void>;
}

/** Binds a table of actions on a context to the view's current context; changing actions go through `guard`. */
export function bindKeys<C>(table: readonly KeyAction<C>[], ctx: () => C, guard?: ObjectGuard): KeyAction<void>[] {
  return table.map((a) => ({
    ...a,
    run: guard && a.mutates ? () => guard.run(guard.target(), () => a.run(ctx())) : () => a.run(ctx()),
    when: a.when ? () => a.when!(ctx()) : undefined,
  }));
}
