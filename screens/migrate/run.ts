// A migration as a job: `virsh migrate` in its own process (Connection.action, long), its
// progress read from `domjobinfo` through the source's session every second, cancelled by
// `domjobabort`. The UI never waits for it.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Job } from '../../src/model/jobs.ts';
import { jobProgress, migrateArgs, parseJobInfo, type MigrateOptions } from '../../src/libvirt/migrate.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { migrationHint, VirshError } from '../../src/virsh/errors.ts';

/** a migration of a big guest over a slow link can take hours; never forever */
const LIMIT_MS = 24 * 3600_000;
const POLL_MS = 1000;

/** `virsh -c SOURCE migrate ...` as the operator would type it */
export function migrateCommand(source: string, o: MigrateOptions): string {
  return shellLine(['virsh', '-c', source, ...migrateArgs(o)]);
}

/**
 * Starts the migration of `o.domain` from `conn`; `target` is the connection it goes to, when
 * virtui has one (it is refreshed at the end, so the guest shows there at once).
 */
export function startMigration(ctx: ScreenContext, conn: Connection, o: MigrateOptions, targetName: string, target?: Connection): { job: Job; done: Promise<void> } {
  const args = migrateArgs(o);
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
    timer = setTimeout(() => { void poll(); }, POLL_MS / 2);
    try {
      const r = await conn.action(args, { long: true, timeoutMs: LIMIT_MS });
      if (!r.ok) {
        const e = r.error!;
        const hint = migrationHint(e.stderr || `error: ${e.line}`);
        // the status line said the general rule's hint; a migration's is more to the point
        conn.setStatus({ kind: 'error', text: `migrate ${name}: ${e.line}`, hint, reason: e.line });
        throw new VirshError(e.command, e.line, hint, e.stderr, e.kind);
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
