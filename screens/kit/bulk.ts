// An action on the marked rows (Space, `*`): the action each row's key would run, run once per
// row. Each row's own questions are read first without running anything (a probe: its questions
// are answered "no", its commands are not run), so that one question lists the targets and says
// what each one's question says; once confirmed, each row runs with its questions answered as
// that one question was, a few at a time per host, each result in the action log, and a
// summary in the status line.
import type { ActionHost } from '../../src/context.ts';
import type { ActionResult, Connection } from '../../src/model/connection.ts';
import type { DialogResult, DialogSpec, Checkbox } from '../../src/ui/dialog.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { plural } from '../../src/ui/text.ts';

/** how many actions run at once on one host (its session runs them one by one; long jobs have processes of their own) */
export const BULK_PER_HOST = 4;
/** more targets than this, and a destructive action wants the count typed */
export const TYPE_BEYOND = 5;

/** an action that applies to marked rows: it changes something and needs no more than a yes (no form, pane or editor) */
export const bulkable = <C>(a: KeyAction<C>): boolean => !!a.mutates && a.bulk !== false;

/** the host inside an action's context: `c.host` (the kinds' own contexts) or `c.env.host` (KindCtx) */
export function hostIn(c: unknown): ActionHost | undefined {
  const o = c as { host?: ActionHost; env?: { host?: ActionHost } } | undefined;
  return o?.host ?? o?.env?.host;
}

/** the same context with another host in it */
export function withHost<C>(c: C, host: ActionHost): C {
  const o = c as Record<string, unknown>;
  if (o && 'host' in o) return { ...o, host } as C;
  const env = o?.['env'] as object | undefined;
  if (env && 'host' in env) {
    // the env's getters (store) are read through it, not copied
    const e = Object.create(env, { host: { value: host, enumerable: true } });
    return { ...o, env: e } as C;
  }
  return c;
}

/** One marked row, as the bulk run sees it. */
export interface BulkTarget<C> {
  /** what the question and the summary call it ("web-01", "web-01@kvm2") */
  name: string;
  conn: Connection;
  /** the object's guard key ("domain:web-01") */
  target: string;
  ctx: C;
  /** why the action does not apply to it ("shut off"), when it does not */
  skip?: string;
}

export interface BulkOutcome { name: string; ok: boolean; reason?: string; skipped?: boolean }

/** What a probe learnt of one row: the questions it would ask, the commands it would run, whether it wants more than a yes. */
export interface Probe { asks: DialogSpec[]; commands: string[][]; interactive: string | null }

const REFUSED: ActionResult = { ok: false, output: '', error: new VirshError('', 'not run: only asked what it would do', '') };

/** A host that answers every question "no" and runs nothing: what an action would ask and run. Reads run. */
export function probeHost(base: ActionHost, probe: Probe): ActionHost {
  const no = (what: string) => () => { probe.interactive ??= what; return Promise.resolve() as Promise<never>; };
  return {
    get readonly() { return base.readonly; },
    get uri() { return base.uri; },
    get name() { return base.name; },
    ask: (spec) => { probe.asks.push(spec); return Promise.resolve({ confirmed: false, checked: {} }); },
    action: (args) => { probe.commands.push([...args]); return Promise.resolve(REFUSED); },
    run: (args) => base.run(args),
    openDetail: () => { probe.interactive ??= 'a detail'; },
    openScreen: () => { probe.interactive ??= 'another screen'; },
    form: () => { probe.interactive ??= 'a form'; return Promise.resolve({ submitted: false, button: '', values: {} }); },
    editXml: no('an editor'),
    defineNew: () => { probe.interactive ??= 'an editor'; return Promise.resolve('failed' as const); },
    readFile: (p) => base.readFile(p),
    openConsole: no('a console pane'),
    openGuestfish: no('a guestfish pane'),
    // a job is a command like another: listed, not started
    job: (spec) => {
      // (the question puts "virsh" before a command itself)
      probe.commands.push([spec.command.replace(/^virsh /, '')]);
      const done = Promise.reject(REFUSED.error);
      done.catch(() => {});
      return { job: { ...spec, host: '', id: 0, started: 0, ended: 0, state: 'cancelled', message: 'not run', hint: '', output: '', last: null, cancelling: false }, done };
    },
    // a probe says nothing on the status line
    setStatus: () => {},
    editFile: no('an editor'),
    domain: (n) => base.domain(n),
    refreshDomains: () => base.refreshDomains(),
    lastEvent: (n) => base.lastEvent(n),
    onDomains: (cb) => base.onDomains(cb),
  };
}

/**
 * A host whose questions are answered as the bulk question was; its results are collected. Only
 * the `seen` questions the probe saw (and the bulk question showed) are answered yes: one it did
 * not see (a second question after the first, a question that depends on what a read finds now)
 * is answered no, as nobody was asked it.
 */
export function answeringHost(base: ActionHost, checked: Record<string, boolean>, results: Array<Promise<ActionResult>>, seen: number): ActionHost {
  let asked = 0;
  return {
    ...base,
    get readonly() { return base.readonly; },
    get uri() { return base.uri; },
    ask: (spec): Promise<DialogResult> => Promise.resolve({
      confirmed: ++asked <= seen,
      checked: Object.fromEntries((spec.checkboxes ?? []).map((c) => [c.id, checked[c.id] ?? c.checked])),
    }),
    // the summary says how it went: no status line per row
    action: (args, opts) => { const r = base.action(args, { ...opts, quiet: true }); results.push(r); return r; },
    // a job's outcome counts as its action's: the summary waits for it
    job: (spec, work) => {
      const j = base.job(spec, work);
      results.push(j.done.then((): ActionResult => ({ ok: true, output: '' }), (e: unknown): ActionResult => ({ ok: false, output: '', error: e instanceof VirshError ? e : new VirshError(spec.command, String((e as Error)?.message ?? e), '') })));
      return j;
    },
  };
}

/** "web-01, web-02 and 3 more": at most `max` names */
export function nameList(names: readonly string[], max = 30): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The own questions' lines, each once, with the rows it is for: a line every row's question has
 * is for all of them (`for` empty). A row's own name in a line is generalised, so "Undefine web-01"
 * and "Undefine web-02" are one line (shown with the first one's name). Pure.
 */
export function questionLines(rows: ReadonlyArray<{ name: string; object?: string; message: readonly string[] }>): Array<{ line: string; for: string[] }> {
  const HOLE = '\u0000';
  const seen = new Map<string, { rows: Array<{ name: string; object?: string }> }>();
  const order: string[] = [];
  for (const r of rows) {
    const keys = r.message.map((l) => (r.object ? l.split(r.object).join(HOLE) : l));
    let at = -1;
    for (const key of keys) {
      const got = seen.get(key);
      if (got) { got.rows.push(r); at = order.indexOf(key); continue; }
      seen.set(key, { rows: [r] });
      // a line only some have goes after the line before it in their own question, and after
      // the other rows' own lines there
      at++;
      while (at < order.length && !keys.includes(order[at]!)) at++;
      order.splice(at, 0, key);
    }
  }
  return order.map((key) => {
    const who = seen.get(key)!.rows;
    return { line: key.split(HOLE).join(who[0]!.object ?? ''), for: who.length === rows.length ? [] : who.map((w) => w.name) };
  });
}

/**
 * The one question of a bulk action: the targets, those skipped and why, what each one's own
 * question says (a line that only some of them have names them: what a shut off domain loses is
 * not what a running one does), its checkboxes once for all (naming the rows each is for), and a
 * typed count beyond TYPE_BEYOND when it destroys something (or when a row's own question wanted
 * a name typed). Pure.
 */
export function bulkQuestion(label: string, noun: string, dangerous: boolean, run: ReadonlyArray<{ name: string; object?: string; probe: Probe }>, skipped: ReadonlyArray<{ name: string; skip?: string }>, hosts: number): DialogSpec {
  const n = run.length;
  const asked = run.filter((r) => r.probe.asks[0]).map((r) => ({ ...r, ask: r.probe.asks[0]! }));
  const first = asked[0];
  const danger = dangerous || asked.some((a) => a.ask.dangerous);
  const boxes = new Map<string, { box: Checkbox; for: string[] }>();
  for (const a of asked) {
    for (const b of a.ask.checkboxes ?? []) {
      const got = boxes.get(b.id);
      if (got) got.for.push(a.name);
      else boxes.set(b.id, { box: b, for: [a.name] });
    }
  }
  const checkboxes = [...boxes.values()].map(({ box, for: who }) => {
    const label = box.label.replace(/\bits \d+ /, 'its ');
    return { ...box, label: who.length === asked.length ? `${label} (each one where it applies)` : `${label}: ${nameList(who, 6)}` };
  });
  const typed = (danger && n > TYPE_BEYOND) || asked.some((a) => a.ask.typeToConfirm !== undefined);
  const lines = first ? questionLines(asked.map((a) => ({ name: a.name, object: a.object, message: a.ask.message }))) : [];
  const message = [
    `${cap(label)} ${plural(n, noun)}${hosts > 1 ? ` on ${hosts} hosts` : ''}: ${nameList(run.map((r) => r.name))}.`,
    ...(skipped.length ? [`Skipped: ${nameList(skipped.map((s) => `${s.name} (${s.skip})`), 12)}.`] : []),
    ...(first ? [`Each one's own question, as for ${first.name}:`,
      ...lines.map((l) => `  ${l.line}${l.for.length ? ` (only ${nameList(l.for, 6)})` : ''}`)] : []),
    ...(!first && run[0]?.probe.commands[0] ? [`Each runs one virsh command, as for ${run[0].name}: virsh ${run[0].probe.commands[0].join(' ')}`] : []),
    `They run ${BULK_PER_HOST} at a time per host; each result goes to the action log (L).`,
  ];
  return {
    title: `${cap(label)} ${plural(n, noun)}`,
    message,
    confirmLabel: first?.ask.confirmLabel ?? cap(label),
    dangerous: danger,
    ...(checkboxes.length ? { checkboxes } : {}),
    ...(typed ? { typeToConfirm: String(n) } : {}),
  };
}

/** "destroy: 7 ok, 1 failed: web-03 (reason), 2 skipped". Pure. */
export function bulkSummary(label: string, outcomes: readonly BulkOutcome[]): string {
  const ok = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.filter((o) => !o.ok && !o.skipped);
  const skipped = outcomes.filter((o) => o.skipped);
  const parts = [`${ok} ok`];
  if (failed.length) parts.push(`${failed.length} failed: ${failed.slice(0, 3).map((f) => `${f.name} (${f.reason})`).join(', ')}${failed.length > 3 ? ` and ${failed.length - 3} more` : ''}`);
  if (skipped.length) parts.push(`${skipped.length} skipped: ${skipped.slice(0, 3).map((s) => `${s.name} (${s.reason})`).join(', ')}${skipped.length > 3 ? ' …' : ''}`);
  return `${label}: ${parts.join(', ')}`;
}

/** Runs `work` on every item, at most `limit` at a time within each group (a host), the groups side by side. */
export async function runBounded<T, R>(items: readonly T[], group: (t: T) => unknown, limit: number, work: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  const queues = new Map<unknown, number[]>();
  items.forEach((t, i) => { const g = group(t); const q = queues.get(g) ?? []; q.push(i); queues.set(g, q); });
  const lane = async (q: number[]) => { for (let i = q.shift(); i !== undefined; i = q.shift()) out[i] = await work(items[i]!); };
  await Promise.all([...queues.values()].flatMap((q) => Array.from({ length: Math.min(limit, q.length) }, () => lane(q))));
  return out;
}

/** What the bulk run needs of the app. */
export interface BulkApp {
  ask(spec: DialogSpec): Promise<DialogResult>;
  guarded(target: string | undefined, run: () => void | Promise<void>, conn?: Connection): void | Promise<void>;
  setStatus(s: { kind: 'ok' | 'error' | 'busy' | 'info'; text: string; hint?: string }): void;
  requestRender(): void;
}

/** The whole bulk action: probe, one question, the runs, the summary. */
export async function runBulk<C>(app: BulkApp, a: KeyAction<C>, noun: string, targets: readonly BulkTarget<C>[], hostOf: (c: C) => ActionHost | undefined = hostIn): Promise<void> {
  const label = a.label;
  const go = targets.filter((t) => !t.skip);
  const skipped = targets.filter((t) => t.skip);
  if (!go.length) {
    app.setStatus({ kind: 'error', text: `${label}: applies to none of the ${plural(targets.length, `marked ${noun}`)}: ${nameList(skipped.map((s) => `${s.name} (${s.skip})`), 6)}` });
    return;
  }
  app.setStatus({ kind: 'busy', text: `${label}: reading what it would do to ${plural(go.length, noun)}…` });
  const probed = await runBounded(go, (t) => t.conn, BULK_PER_HOST, async (t) => {
    const probe: Probe = { asks: [], commands: [], interactive: null };
    try { await a.run(withHost(t.ctx, probeHost(hostOf(t.ctx)!, probe))); } catch { /* the real run reports it */ }
    // the guard key names the object ("domain:web-01"): its name in its own question is generalised
    return { name: t.name, object: t.target.slice(t.target.indexOf(':') + 1), probe, t };
  });
  const wants = probed.find((p) => p.probe.interactive);
  if (wants) {
    app.setStatus({ kind: 'error', text: `${label} opens ${wants.probe.interactive} for each one: it acts on one ${noun} at a time`, hint: 'U clears the marks; then the key acts on the selected row' });
    return;
  }
  const hosts = new Set(go.map((t) => t.conn)).size;
  // the reading is done: the status line no longer says it is busy while the question waits
  app.setStatus({ kind: 'info', text: `${label}: ${plural(go.length, noun)}, waiting for the answer` });
  const r = await app.ask(bulkQuestion(label, noun, !!a.dangerous, probed, skipped, hosts));
  if (!r.confirmed) { app.setStatus({ kind: 'info', text: `${label}: cancelled, nothing ran` }); return; }
  let done = 0;
  const seen = new Map(probed.map((p) => [p.t, p.probe.asks.length]));
  const outcomes = await runBounded(go, (t) => t.conn, BULK_PER_HOST, async (t): Promise<BulkOutcome> => {
    const results: Array<Promise<ActionResult>> = [];
    let entered = false;
    try {
      await app.guarded(t.target, () => { entered = true; return a.run(withHost(t.ctx, answeringHost(hostOf(t.ctx)!, r.checked, results, seen.get(t) ?? 0))); }, t.conn);
    } catch (e) {
      return { name: t.name, ok: false, reason: (e as Error).message };
    }
    const all = await Promise.all(results);
    done++;
    app.setStatus({ kind: 'busy', text: `${label}: ${done}/${go.length} done` });
    app.requestRender();
    if (!entered) return { name: t.name, ok: false, skipped: true, reason: 'an action on it was under way' };
    const bad = all.find((x) => !x.ok);
    if (bad) return { name: t.name, ok: false, reason: bad.error?.line ?? 'failed' };
    return all.length ? { name: t.name, ok: true } : { name: t.name, ok: false, skipped: true, reason: 'nothing to do' };
  });
  const all = [...outcomes, ...skipped.map((s) => ({ name: s.name, ok: false, skipped: true, reason: s.skip }))];
  const failed = outcomes.some((o) => !o.ok && !o.skipped);
  app.setStatus({ kind: failed ? 'error' : 'ok', text: bulkSummary(label, all), ...(failed ? { hint: 'L shows each one\'s error' } : {}) });
}
