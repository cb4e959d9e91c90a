// The Diagnose tab of a domain's details (also `W` on the list): its state in words, what stands
// in the way of `start`, and for a stopped domain the tail of its QEMU log. Pure.
import { diagnose, findingLines, type DiagFacts } from '../../src/libvirt/diagnose.ts';

const time = (t: number) => new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** `lastError`: the last action on it that failed (from the action log), with when */
export function diagnoseLines(f: DiagFacts, lastError?: { time: Date; short: string; message: string }): string[] {
  const out = ['Findings', ...findingLines(diagnose(f))];
  if (lastError) out.push('', `Last failed action (${time(lastError.time.getTime())})`, `  ${lastError.short}`, `  ${lastError.message}`);
  if (f.events.length) out.push('', 'Last lifecycle events', ...f.events.map((e) => `  ${time(e.t)}  ${e.text}`));
  if (f.state === 'shut off' || f.state === 'crashed') {
    out.push('', `QEMU log${f.logNote ? `: ${f.logNote}` : ''}`);
    out.push(...(f.logTail?.length ? f.logTail.map((l) => `  ${l}`) : f.logNote && f.logTail ? ['  (empty)'] : []));
  }
  return out;
}
