// The jobs view's rows, its detail and the lines that name jobs (the quit question). Pure.
import { percent, type Job } from '../../src/model/jobs.ts';
import type { Column, Row } from '../../src/ui/table.ts';
import { plural } from '../../src/ui/text.ts';

export const JOB_COLUMNS: Column[] = [
  { title: 'STATE', min: 9 },
  { title: 'KIND', max: 16 },
  { title: 'TARGET', flex: 1, min: 16, max: 60 },
  { title: 'HOST', max: 20, optional: 2 },
  { title: 'TIME', align: 'right' },
  { title: 'PROGRESS', flex: 2, min: 14, max: 48 },
  { title: 'COMMAND', flex: 3, min: 12, max: 200, optional: 1 },
];

/** ms -> "4s", "1m05s", "2h03m": whole seconds, the elapsed time of a job */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** "█████░░░░░ 52%": a bar when there is a percentage, else the progress text */
export function progressCell(j: Job, cells = 8): string {
  const p = j.last;
  if (!p) return j.progress ? '…' : '';
  const pct = percent(p);
  if (pct === null) return p.text;
  const full = Math.round((pct / 100) * cells);
  return `${'█'.repeat(full)}${'░'.repeat(cells - full)} ${String(pct).padStart(3)}%${p.text ? ` ${p.text}` : ''}`;
}

export function stateText(j: Job): string {
  if (j.state === 'running') return j.cancelling ? 'stopping' : 'running';
  return j.state === 'ok' ? 'done' : j.state === 'failed' ? 'FAILED' : 'cancelled';
}

/** what the PROGRESS column says: the progress while it runs, its outcome once it ended */
export function outcomeCell(j: Job): string {
  if (j.state === 'running') return progressCell(j);
  return `${j.message}${j.state === 'failed' && j.hint ? ` (${j.hint})` : ''}`;
}

/** the line under the table: the state and the outcome, said once ("done", not "done: done"; "cancelled (...)", not "cancelled: cancelled (...)") */
export function stateLine(j: Job): string {
  const state = stateText(j);
  const outcome = outcomeCell(j);
  if (!outcome) return state;
  return outcome.toLowerCase().startsWith(state.toLowerCase()) ? outcome : `${state}: ${outcome}`;
}

/** One row per job, newest first. `now`: the clock, so a running job's time ticks. */
export function jobRows(jobs: readonly Job[], now: number): Row[] {
  return [...jobs].reverse().map((j) => ({
    key: String(j.id),
    cells: [stateText(j), j.kind, j.target, j.host, elapsed((j.ended ?? now) - j.started), outcomeCell(j), j.command],
    color: j.state === 'failed' ? 'red-fg' : j.state === 'cancelled' ? 'yellow-fg' : j.state === 'running' ? undefined : 'green-fg',
  }));
}

/** The detail of one job (Enter): everything, the whole command and output. */
export function jobDetail(j: Job, now: number): string[] {
  const when = (t: number) => new Date(t).toTimeString().slice(0, 8);
  return [
    `${j.kind} of ${j.target} on ${j.host}: ${stateText(j)}`,
    `command:  ${j.command}`,
    `started:  ${when(j.started)}${j.ended ? `, ended ${when(j.ended)}` : ''} (${elapsed((j.ended ?? now) - j.started)})`,
    ...(j.state === 'running' ? [`progress: ${j.last ? progressCell(j, 20) : j.progress ? 'not known yet' : 'libvirt gives none for this job'}`] : [`outcome:  ${j.message}`]),
    ...(j.hint ? [`hint:     ${j.hint}`] : []),
    `cancel:   ${j.cancel ? (j.state === 'running' ? 'x cancels it (asks)' : 'could be cancelled while it ran') : 'cannot be cancelled'}`,
    ...(j.output.trim() ? ['', ...j.output.replace(/\n+$/, '').split('\n')] : []),
  ];
}

/** "migrate of web-01 (kvm2)": each running job, for a question */
export function jobNames(jobs: readonly Job[], withHost: boolean): string[] {
  return jobs.map((j) => `${j.kind} of ${j.target}${withHost ? ` (${j.host})` : ''}`);
}

/**
 * What quitting does to the jobs and the actions still running, in one message (`actions`: the
 * commands of the actions that are not a job's own). Quitting ends every program virtui started;
 * what libvirtd carries out by itself goes on. Empty: nothing runs.
 */
export function runningWork(jobs: readonly Job[], actions: readonly string[], withHost: boolean): string[] {
  if (!jobs.length && !actions.length) return [];
  const parts = [
    jobs.length ? `${plural(jobs.length, 'job')} (${jobNames(jobs, withHost).join(', ')})` : '',
    actions.length ? `${plural(actions.length, 'action')} (${actions.join(', ')})` : '',
  ].filter(Boolean);
  return [`Still running: ${parts.join(' and ')}. Quitting ends virtui's programs: an upload, a download, qemu-img, virt-install, virt-clone or a migration stops half done; what libvirtd does by itself (a save, a wipe, an action already sent) goes on unwatched.`];
}

/** the status line of a job's host when it ends: "vol-clone of default/a.qcow2 done", or the error */
export function endText(j: Job): string {
  const what = `${j.kind} of ${j.target}`;
  if (j.state === 'ok') return `${what} ${j.message && j.message !== 'done' ? `done: ${j.message}` : 'done'}`;
  if (j.state === 'cancelled') return `${what} cancelled${/^cancelled/.test(j.message) ? '' : `: ${j.message}`}`;
  return `${what} failed: ${j.message}`;
}
