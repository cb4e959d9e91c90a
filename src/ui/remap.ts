// Key remaps and user commands' keys from the config file, checked against every key that is
// live at the same time (a kind's actions, the list's own keys, the global keys): a key taken
// by another action is refused with the file and line, and the rest applies. Pure but for apply.
import type { KeyAction } from './keymap.ts';
import { keyLabel } from './keymap.ts';

/** an action's name in the config file: its label, dashed ("edit XML" -> edit-xml) */
export const actionName = (a: { label: string }): string => a.label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** the keys live on one screen: its actions, and keys it binds itself (sort, marks ...) as [key, what] */
export interface KeyScreen { title: string; tables: ReadonlyArray<readonly KeyAction<never>[]>; fixed?: ReadonlyArray<readonly [string, string]> }

export interface Remap { action: string; key: string; line: number }
export interface NewKey { name: string; key: string; line: number; screens: readonly string[] }

export interface RemapPlan {
  /** each action and its new keys */
  apply: Array<{ action: KeyAction<never>; keys: string[] }>;
  /** "config.yaml:7: ..." for each refused remap or command key */
  errors: string[];
}

const label = (k: string) => (k === ' ' ? 'Space' : keyLabel(k));

/**
 * Which remaps apply. `global` is live on every screen. A remap replaces the action's first key
 * (the others stay: ^R and F5 both refresh); an action of another name already on that key, on
 * any screen the action is on, refuses it. `added` (user commands) are checked the same way on
 * their screens (`screens` by title) and are never applied here.
 */
export function planRemaps(screens: readonly KeyScreen[], global: readonly KeyAction<never>[], remaps: readonly Remap[], file: string, added: readonly NewKey[] = []): RemapPlan {
  const errors: string[] = [];
  const all = [global, ...screens.flatMap((s) => s.tables)];
  const names = new Set(all.flatMap((t) => t.map(actionName)));
  const wanted = new Map<string, Remap>();
  for (const r of remaps) {
    if (!names.has(r.action)) { errors.push(`${file}:${r.line}: keys: no action is named "${r.action}" (an action's name is its label in ?, dashed: ${[...names].slice(0, 8).join(', ')} ...)`); continue; }
    wanted.set(r.action, r);
  }
  const keysOf = (a: KeyAction<never>) => { const r = wanted.get(actionName(a)); return r ? [r.key, ...a.keys.slice(1)] : a.keys; };
  const refused = new Set<string>();
  const where = [{ title: 'every', tables: [] as ReadonlyArray<readonly KeyAction<never>[]>, fixed: [] as ReadonlyArray<readonly [string, string]> }, ...screens];
  for (const s of where) {
    const live = [...global, ...s.tables.flat()];
    const present = new Set(live.map(actionName));
    for (const r of wanted.values()) {
      if (!present.has(r.action) || refused.has(r.action)) continue;
      const other = live.find((a) => actionName(a) !== r.action && keysOf(a).includes(r.key));
      const fixed = s.fixed?.find(([k]) => k === r.key);
      if (other || fixed) {
        refused.add(r.action);
        errors.push(`${file}:${r.line}: keys: ${r.action}: ${label(r.key)} is already "${other ? other.label : fixed![1]}" on ${s.title === 'every' ? 'every screen' : `the ${s.title} screen`}`);
      }
    }
  }
  for (const r of refused) wanted.delete(r);
  for (const n of added) {
    for (const s of screens.filter((x) => n.screens.includes(x.title))) {
      const other = [...global, ...s.tables.flat()].find((a) => keysOf(a).includes(n.key));
      const fixed = s.fixed?.find(([k]) => k === n.key);
      const twin = added.find((m) => m !== n && m.key === n.key && m.screens.includes(s.title));
      if (other || fixed || twin) {
        errors.push(`${file}:${n.line}: commands: ${n.name}: ${label(n.key)} is already "${other ? other.label : fixed ? fixed[1] : twin!.name}" on the ${s.title} screen`);
        break;
      }
    }
  }
  // one action object can be on several screens (the domains' on the fleet too)
  const apply = [...new Set(all.flat().filter((a) => wanted.has(actionName(a))))].map((a) => ({ action: a, keys: keysOf(a) }));
  const lineOf = (e: string) => Number(/^.*?:(\d+): /.exec(e)?.[1] ?? 0);
  return { apply, errors: errors.sort((a, b) => lineOf(a) - lineOf(b)) };
}

/** Applies a plan; returns what puts the keys back (the tables are shared by every App of the process). */
export function applyRemaps(plan: RemapPlan): () => void {
  const before = plan.apply.map(({ action }) => [action, action.keys] as const);
  for (const { action, keys } of plan.apply) action.keys = keys;
  return () => { for (const [a, k] of before) a.keys = k; };
}
