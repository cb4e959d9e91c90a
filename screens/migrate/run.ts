// A migration as a job: `virsh migrate` in its own process (Connection.action, long), its
// progress read from `domjobinfo` through the source's session every second, cancelled by
// `domjobabort`. The UI never waits for it.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Job } from '../../src/model/jobs.ts';
import { createVolumeArgs, deleteVolumeArgs, jobProgress, migrateArgs, parseJobInfo, type MigrateOptions, type NewVolume } from '../../src/libvirt/migrate.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { migrationHint, VirshError } from '../../src/virsh/errors.ts';

/** a migration of a big guest over a slow link can take hours; never forever */
const LIMIT_MS = 24 * 3600_000;
const POLL_MS = 1000;

/** `virsh -c SOURCE migrate ...` as the operator would type it */
export function migrateCommand(source: string, o: MigrateOptions): string {
  return shellLine(['virsh', '-c', source, ...migrateArgs(o)]);
}

/** what each connection is doing in the migrations running (several may share a host) */
const busy = new Map<Connection, string[]>();
/** marks a host as part of a running migration (Connection.migrating); the returned function unmarks it */
function involve(c: Connection | undefined, text: string): () => void {
  if (!c) return () => {};
  const notes = [...(busy.get(c) ?? []), text];
  busy.set(c, notes);
  c.migrating = notes.join('; ');
  return () => {
    const left = (busy.get(c) ?? []).filter((x, i, all) => x !== text || all.indexOf(text) !== i);
    if (left.length) busy.set(c, left); else busy.delete(c);
    c.migrating = left.join('; ');
  };
}

/** `virsh -c TARGET vol-create-as ...`: what runs on the target before a copy-storage migration */
export function volumeCommands(targetUri: string, vols: readonly NewVolume[]): string[] {
  return vols.map((v) => shellLine(['virsh', '-c', targetUri, ...createVolumeArgs(v)]));
}

/** the volumes to create on the target first, and how a command runs there (rejects when it fails) */
export interface TargetVolumes { create: readonly NewVolume[]; run: (args: string[]) => Promise<void> }

/**
 * Starts the migration of `o.domain` from `conn`; `target` is the connection it goes to, when
 * virtui has one (it is refreshed at the end, so the guest shows there at once). `vols`: the
 * target volumes of a copy-storage migration, created first and deleted again (only those
 * virtui created) when it fails or is cancelled.
 */
export function startMigration(ctx: ScreenContext, conn: Connection, o: MigrateOptions, targetName: string, target?: Connection, vols?: TargetVolumes): { job: Job; done: Promise<void> } {
  const args = migrateArgs(o);
  const made: NewVolume[] = [];
  /** before the migration starts there is no libvirt job to abort: the cancel stops the volumes' creation */
  let phase: 'volumes' | 'migrate' = vols?.create.length ? 'volumes' : 'migrate';
  let stop = false;
  const note = (job: Job, line: string) => { job.output += `${line}\n`; };
  /** deletes what virtui created on the target, says so; a failure to delete is said too, never thrown */
  const undo = async (job: Job): Promise<string> => {
    if (!made.length || !vols) return '';
    const gone: string[] = [];
    const left: string[] = [];
    for (const v of made.splice(0)) {
      try { await vols.run(deleteVolumeArgs(v)); gone.push(`${v.pool}/${v.name}`); note(job, `deleted ${v.pool}/${v.name} on ${targetName}`); } catch (e) {
        left.push(`${v.pool}/${v.name}`);
        note(job, `could not delete ${v.pool}/${v.name} on ${targetName}: ${e instanceof VirshError ? e.line : String(e)}`);
      }
    }
    return [gone.length ? `deleted the volume${gone.length > 1 ? 's' : ''} virtui created on ${targetName}: ${gone.join(', ')}` : '',
      left.length ? `left on ${targetName} (delete by hand): ${left.join(', ')}` : ''].filter(Boolean).join('; ');
  };
  // (o.domain is virsh's argument: a UUID for a domain named like a number or a UUID; the row and the messages say its name)
  const name = conn.domains.domains.find((d) => d.uuid === o.domain)?.name ?? o.domain;
  const progress = async () => jobProgress(parseJobInfo(await conn.run(['domjobinfo', '--domain', o.domain])));
  return ctx.jobs.run({
    kind: 'migrate',
    host: conn.name,
    target: name,
    // the connection's own form of it (runningActions): the question on quitting names it once
    command: shellLine(['virsh', ...args]),
    progress,
    cancelNote: o.kind === 'live'
      ? `domjobabort stops it: ${name} goes on running on ${conn.name}, and ${targetName} keeps nothing of it.`
      : `domjobabort stops it: ${name} stays defined on ${conn.name}.`,
    cancel: async () => {
      if (phase === 'volumes') { stop = true; return; }
      const r = await conn.action(['domjobabort', '--domain', o.domain]);
      if (!r.ok) throw r.error;
    },
  }, async (job) => {
    let ended = false;
    let timer: NodeJS.Timeout | undefined;
    const poll = async () => {
      try {
        const p = await progress();
        if (p && !ended) { ctx.jobs.report(job, p); ctx.requestRender(); }
      } catch { /* between the job's phases domjobinfo may fail: the next read tells */ }
      if (!ended) timer = setTimeout(() => { void poll(); }, POLL_MS);
    };
    try {
      for (const v of vols?.create ?? []) {
        if (stop) break;
        ctx.jobs.report(job, { text: `creating ${v.pool}/${v.name} on ${targetName}` });
        try { await vols!.run(createVolumeArgs(v)); } catch (e) {
          const undone = await undo(job);
          const line = e instanceof VirshError ? e.line : String(e);
          throw new VirshError(e instanceof VirshError ? e.command : 'vol-create-as', `creating ${v.pool}/${v.name} on ${targetName}: ${line}${undone ? `; ${undone}` : ''}`,
            e instanceof VirshError ? e.hint : '', e instanceof VirshError ? e.stderr : '');
        }
        made.push(v);
        note(job, `created ${v.pool}/${v.name} on ${targetName}`);
      }
      if (stop) {
        const undone = await undo(job);
        throw new Error(`cancelled before the migration started${undone ? `; ${undone}` : ''}`);
      }
      phase = 'migrate';
      timer = setTimeout(() => { void poll(); }, POLL_MS / 2);
      // the hosts say what they are busy with (a target's domstats would wait for QEMU meanwhile)
      const free = [involve(conn, `sending ${name} to ${targetName}`), involve(target, `receiving a migration of ${name} from ${conn.name}`)];
      const r = await conn.action(args, { long: true, timeoutMs: LIMIT_MS }).finally(() => { for (const f of free) f(); });
      if (!r.ok) {
        const e = r.error!;
        const hint = migrationHint(e.stderr || `error: ${e.line}`);
        const undone = await undo(job);
        // the status line said the general rule's hint; a migration's is more to the point
        conn.setStatus({ kind: 'error', text: `migrate ${name}: ${e.line}${undone ? `; ${undone}` : ''}`, hint, reason: e.line });
        throw new VirshError(e.command, `${e.line}${undone ? `; ${undone}` : ''}`, hint, e.stderr, e.kind);
      }
      job.message = `${name} is on ${targetName} now`;
      conn.setStatus({ kind: 'ok', text: `migrated ${name} to ${targetName}` });
    } finally {
      ended = true;
      clearTimeout(timer);
      // both hosts' lists at once (their events say so too, a moment later)
      conn.refresh();
      target?.refresh();
      ctx.requestRender();
    }
  });
}
