// Every child of virtui dies with it. Killed with SIGKILL, virtui cannot end its children: a
// `virsh event --loop` (which reads nothing) or a program in a pane that ignores the pty's SIGHUP
// would live on as orphans. util-linux's setpriv sets PR_SET_PDEATHSIG (SIGKILL when the parent dies)
// and execs the program: same pid, same argv, nothing to build on the user's machine.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const runnable = (f: string) => { try { accessSync(f, constants.X_OK); return true; } catch { return false; } };

/** The program's absolute path on PATH (a path is taken as it is, if it can be run), or null. */
export function findProgram(file: string, path = process.env.PATH ?? ''): string | null {
  if (file.includes('/')) return runnable(file) ? file : null;
  for (const d of path.split(delimiter)) {
    if (d && runnable(join(d, file))) return join(d, file);
  }
  return null;
}

let setpriv: string | null | undefined;

/**
 * setpriv's path when it has --pdeathsig (util-linux 2.33 and later; Linux only), else null.
 * Its usage text is compiled into it: the option's name in the file says so without running it
 * (`setpriv --help` was a process start on the way to the first frame).
 */
function pdeathsigTool(): string | null {
  if (setpriv !== undefined) return setpriv;
  setpriv = null;
  const found = process.platform === 'linux' ? findProgram('setpriv') : null;
  if (!found) return null;
  try {
    if (readFileSync(found).includes('--pdeathsig')) setpriv = found;
  } catch { /* unreadable: children run as they are */ }
  return setpriv;
}

/**
 * `file args` as a command that is killed when virtui dies: through setpriv where it can, else
 * unchanged. A program that is not installed is left unchanged too, so that its spawn still
 * fails with ENOENT ("not installed") instead of setpriv's exit code.
 */
export function tethered(file: string, args: readonly string[]): { file: string; args: string[] } {
  const tool = pdeathsigTool();
  const path = tool ? findProgram(file) : null;
  if (!tool || !path) return { file, args: [...args] };
  return { file: tool, args: ['--pdeathsig', 'KILL', '--', path, ...args] };
}

/** the CPUs this process may run on (`Cpus_allowed_list`: "0-3,6"), or null when unknown */
export function allowedCpus(status?: string): number[] | null {
  let text = status;
  try { text ??= readFileSync('/proc/self/status', 'utf8'); } catch { return null; }
  const m = /^Cpus_allowed_list:\s*(\S+)/m.exec(text);
  if (!m) return null;
  const cpus: number[] = [];
  for (const part of m[1]!.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (!Number.isInteger(a)) return null;
    for (let c = a!; c <= (Number.isInteger(b) ? b! : a!) && cpus.length < 4096; c++) cpus.push(c);
  }
  return cpus.length ? cpus : null;
}

/**
 * `file args` run on one CPU as a batch task (chrt -b 0 taskset -c N), or unchanged where
 * chrt, taskset or the program is missing or the CPUs are unknown.
 *
 * Why: virsh 9's save, managedsave and dump run the job in a thread of their own and wait for it
 * in a GLib main loop. A job that ends before that loop has started quits a loop that is not
 * running yet, and virsh then waits for ever (measured beside two CPU burners: about once in 250
 * managed saves on the test driver, whose jobs end at once). On one CPU as a batch task, the job's
 * new thread does not preempt the thread that starts the loop (only other programs can): about
 * once in 1000 in the same test. The session recovers from the rest (see VirshSession's replay).
 */
export function onOneCpu(file: string, args: readonly string[], pick: (n: number) => number = (n) => Math.floor(Math.random() * n)): { file: string; args: string[] } {
  const chrt = findProgram('chrt');
  const taskset = findProgram('taskset');
  const path = findProgram(file);
  const cpus = allowedCpus();
  if (!chrt || !taskset || !path || !cpus) return { file, args: [...args] };
  return { file: chrt, args: ['-b', '0', taskset, '-c', String(cpus[pick(cpus.length)]), path, ...args] };
}
