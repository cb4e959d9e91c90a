// The long operations that run while the UI goes on (migration, clone, vol-wipe, upload,
// virt-install ...): one list for the whole program, across hosts, for the jobs view, the rows'
// progress and the question on quitting. Pure state: who runs the work is the caller's business.
import { EventEmitter } from 'node:events';

export type JobState = 'running' | 'ok' | 'failed' | 'cancelled';

/** How far a job is: `text` is what is shown; done/total (bytes, or any unit) give a percentage. */
export interface JobProgress {
  text: string;
  done?: number;
  total?: number;
}

export interface JobSpec {
  /** what it does, one word or two: "migrate", "clone", "vol-upload", "virt-install" */
  kind: string;
  /** the connection's name (its host) */
  host: string;
  /** what it acts on: a domain, "pool/volume", a file */
  target: string;
  /** the exact command, as shown to the operator and logged (secrets already masked) */
  command: string;
  /** ends the job (domjobabort, killing its process); absent when it cannot be cancelled */
  cancel?: () => void | Promise<void>;
  /** what cancelling leaves behind, said in the question before it ("a partly wiped volume") */
  cancelNote?: string;
  /** asked while the job runs (by the jobs view, a row): null when there is nothing to say yet */
  progress?: () => Promise<JobProgress | null>;
}

export interface Job extends JobSpec {
  readonly id: number;
  readonly started: number;
  ended: number | null;
  state: JobState;
  /** the outcome in one line (an error's first line, "done"), '' while it runs */
  message: string;
  /** what the operator can do about a failure (a VirshError's hint), '' when nothing */
  hint: string;
  /** the whole output or error, for the job's detail (the work may set it as it goes) */
  output: string;
  /** the last progress read */
  last: JobProgress | null;
  /** set by cancel(): the failure that follows is reported as cancelled */
  cancelling: boolean;
}

/**
 * Events: `change` (a job came, ended or made progress), `end` (job) once when a job ends.
 * `run` registers a job and settles it with the work's outcome; it never throws for the job's
 * failure unless the caller awaits the returned promise (which rejects as the work did).
 */
export class Jobs extends EventEmitter {
  readonly list: Job[] = [];
  private serial = 0;

  constructor(private readonly now: () => number = Date.now, private readonly keep = 50) {
    super();
  }

  /** Registers `spec`, starts `work` (a function, so that a bulk probe can leave it unstarted), records its outcome. */
  run<T>(spec: JobSpec, work: (job: Job) => Promise<T>): { job: Job; done: Promise<T> } {
    const job: Job = { ...spec, id: ++this.serial, started: this.now(), ended: null, state: 'running', message: '', hint: '', output: '', last: null, cancelling: false };
    this.list.push(job);
    this.trim();
    this.emit('change');
    const p = Promise.resolve().then(() => work(job));
    const done = p.then(
      // a work that ended well did all it was asked, even with a cancel on its way (it came too late)
      (v) => { this.finish(job, 'ok', `${job.message || 'done'}${job.cancelling ? '; the cancel came too late' : ''}`); return v; },
      (e: unknown) => {
        const err = e as { hint?: unknown; stderr?: unknown };
        if (typeof err?.hint === 'string') job.hint = err.hint;
        if (!job.output) job.output = typeof err?.stderr === 'string' && err.stderr.trim() ? err.stderr : e instanceof Error ? e.message : String(e);
        this.finish(job, job.cancelling ? 'cancelled' : 'failed', firstLine(e));
        throw e;
      },
    );
    // the caller may not wait: a failure is recorded here, never an unhandled rejection
    done.catch(() => {});
    return { job, done };
  }

  /** the jobs still running (on one host when named) */
  running(host?: string): Job[] {
    return this.list.filter((j) => j.state === 'running' && (host === undefined || j.host === host));
  }

  /**
   * Cancels a running job that can be; false when it cannot (or has ended). A cancel that fails
   * (domjobabort refused) rejects, and the job goes on as before: its end is not "cancelled".
   */
  async cancel(job: Job): Promise<boolean> {
    if (job.state !== 'running' || !job.cancel) return false;
    job.cancelling = true;
    this.emit('change');
    try {
      await job.cancel();
    } catch (e) {
      job.cancelling = false;
      this.emit('change');
      throw e;
    }
    return true;
  }

  /** Reads the progress of every running job that has one (the jobs view's tick). */
  async poll(): Promise<void> {
    const live = this.running().filter((j) => j.progress);
    if (!live.length) return;
    await Promise.all(live.map(async (j) => {
      try {
        const p = await j.progress!();
        if (j.state === 'running' && p) j.last = p;
      } catch { /* a progress read that fails says nothing: the job's own outcome tells */ }
    }));
    this.emit('change');
  }

  /** Sets a running job's progress from its own output (a pane's percentage line). */
  report(job: Job, p: JobProgress): void {
    if (job.state !== 'running') return;
    job.last = p;
    this.emit('change');
  }

  private finish(job: Job, state: JobState, message: string): void {
    job.state = state;
    job.ended = this.now();
    job.message = state === 'cancelled' && !/cancel|abort/i.test(message) ? `cancelled (${message})` : message;
    this.emit('change');
    this.emit('end', job);
  }

  /** ended jobs beyond `keep` leave the list, the oldest first */
  private trim(): void {
    let over = this.list.length - this.keep;
    for (let i = 0; i < this.list.length && over > 0;) {
      if (this.list[i]!.state !== 'running') { this.list.splice(i, 1); over--; } else i++;
    }
  }
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? ((e as { line?: string }).line ?? e.message) : String(e);
  return m.split('\n').map((l) => l.trim()).find(Boolean) ?? 'failed';
}

/** The percentage of a progress that has done and total, else null. */
export function percent(p: JobProgress): number | null {
  if (p.done === undefined || !p.total) return null;
  return Math.max(0, Math.min(100, Math.floor((p.done / p.total) * 100)));
}
