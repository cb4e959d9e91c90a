// A long virsh command as a job (`:jobs`): in its own process as before (conn.action with
// `long`), listed with its progress, cancelled by domjobabort or by ending its process.
import type { ActionHost } from '../../src/context.ts';
import type { ActionResult } from '../../src/model/connection.ts';
import type { Job, JobProgress } from '../../src/model/jobs.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { parseVolInfoBytes, bytesProgress } from '../../src/libvirt/storagejobs.ts';
import { jobProgress, parseJobInfo } from '../../src/libvirt/migrate.ts';
import { isTestDriver } from '../../src/libvirt/uri.ts';

export interface VirshJobSpec {
  kind: string;
  target: string;
  progress?: () => Promise<JobProgress | null>;
  /** 'kill': ending the virsh process is the cancel; a function: another command (domjobabort) */
  cancel?: 'kill' | (() => Promise<void>);
  cancelNote?: string;
  /** runs first, inside the job (the volume an upload goes into is created): a throw fails the job */
  before?: () => Promise<void>;
  /** runs last, inside the job (a pool rescan; the volume of an upload that failed is deleted), so that the job's end is said after it */
  after?: (ok: boolean) => Promise<unknown>;
  /** the outcome in words when it went well ("3.0 MiB into /tmp/x"), else "done" */
  message?: () => string;
}

/** the test driver runs every action in the session (its world lives there): no process to end */
const ownProcess = (host: ActionHost) => !isTestDriver(host.uri);

/** Starts `virsh args` as a job on `host`; `done` rejects with the VirshError when it fails. Never await it in a key's action. */
export function virshJob(host: ActionHost, spec: VirshJobSpec, args: string[], timeoutMs: number): { job: Job; done: Promise<ActionResult> } {
  const ac = new AbortController();
  const cancel = spec.cancel === 'kill' ? (ownProcess(host) ? () => ac.abort() : undefined) : spec.cancel;
  return host.job({ kind: spec.kind, target: spec.target, command: shellLine(['virsh', ...args]), progress: spec.progress, cancel, cancelNote: spec.cancel ? spec.cancelNote : undefined }, async (job) => {
    let r: ActionResult;
    try {
      await spec.before?.();
      r = await host.action(args, { timeoutMs, long: true, signal: ac.signal });
      if (!r.ok) throw r.error;
    } catch (e) {
      await spec.after?.(false).catch(() => {});
      throw e;
    }
    job.output = r.output;
    await spec.after?.(true).catch(() => {});
    if (spec.message) job.message = spec.message();
    return r;
  });
}

/** a save's progress (save, managed save, a snapshot with memory): domjobinfo's data */
export const domjobOf = (host: ActionHost, domain: string) => async (): Promise<JobProgress | null> =>
  jobProgress(parseJobInfo(await host.run(['domjobinfo', '--domain', domain])));

/** cancels a domain's job (save, managed save): libvirt ends it and the guest runs on */
export const domjobAbort = (host: ActionHost, domain: string) => async (): Promise<void> => {
  const r = await host.action(['domjobabort', '--domain', domain], { quiet: true });
  if (!r.ok) throw r.error;
};

/** a volume being written (vol-clone's new one, an upload's target): its allocation against `total` bytes */
export const volumeGrowth = (host: ActionHost, pool: string, vol: string, total: number) => async (): Promise<JobProgress | null> => {
  const info = parseVolInfoBytes(await host.run(['vol-info', '--pool', pool, '--vol', vol, '--bytes']));
  return info.allocation === undefined || !total ? null : bytesProgress(info.allocation, total);
};
