// The real program, launched as README's start command launches it (`node .` in the project
// folder, in a pty), measured from outside: CPU-seconds of its whole process tree (virtui and its
// virsh children), the RSS of the app's node process, the time to its first frame and from a key to the
// screen's answer. The peer is ../shared/anchors/libvirt-poller.py, a virt-top-like poller through
// the libvirt API, run beside it in turn (A B A B) on the same world.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import pty from 'node-pty';

export const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function stat(pid: number): { ppid: number; cpu: number; children: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command may hold spaces and parentheses: the fields follow the last ")"
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // utime stime cutime cstime: a child that ended and was waited for counts in its parent's cutime
    return { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK, children: (Number(f[13]) + Number(f[14])) / CLK_TCK };
  } catch {
    return null;
  }
}

/** pid and its descendants, now */
export function tree(root: number): number[] {
  const kids = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const s = stat(Number(d));
    if (s) { const l = kids.get(s.ppid) ?? []; l.push(Number(d)); kids.set(s.ppid, l); }
  }
  const out: number[] = [];
  const walk = (p: number) => { out.push(p); for (const c of kids.get(p) ?? []) walk(c); };
  walk(root);
  return out;
}

/**
 * CPU-seconds a living process has used, to the nanosecond: the sum of its threads' run time in
 * /proc/PID/task/T/schedstat (utime and stime count in 10 ms clock ticks: over a minute of a
 * small idle host, a handful of ticks), plus its waited-for children's (those in clock ticks).
 * Falls back on /proc/PID/stat where schedstat is missing.
 */
function preciseCpu(pid: number): number | null {
  const s = stat(pid);
  if (!s) return null;
  let run = 0;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) run += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e9;
  } catch {
    return s.cpu;
  }
  return run + s.children;
}

/** CPU-seconds used so far by pid's tree (the living, and the ended ones its members waited for) */
export function treeCpu(root: number): number {
  let sum = 0;
  for (const p of tree(root)) sum += preciseCpu(p) ?? 0;
  return sum;
}

export function cpuOf(pid: number): number { return preciseCpu(pid) ?? 0; }

export function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function cmdline(pid: number): string[] {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); } catch { return []; }
}

export interface Running {
  pid: number;
  /** all the output so far, escapes stripped (for waiting on words) */
  text(): string;
  /** resolves with ms since launch once `what` shows */
  waitFor(what: (text: string) => boolean, timeoutMs?: number): Promise<number>;
  write(s: string): void;
  /** called with each chunk of output */
  onData(f: (d: string) => void): () => void;
  kill(): Promise<void>;
  launchedAt: number;
}

const strip = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\x1b\][^\x07]*\x07/g, ' ');

export function launch(file: string, args: string[], opts: { cols?: number; rows?: number; cwd: string; env?: Record<string, string> }): Running {
  const launchedAt = performance.now();
  const p = pty.spawn(file, args, {
    cols: opts.cols ?? 120, rows: opts.rows ?? 40, cwd: opts.cwd,
    env: { ...process.env, TERM: 'xterm-256color', ...opts.env } as Record<string, string>,
  });
  let out = '';
  const listeners = new Set<(d: string) => void>();
  p.onData((d) => {
    // keep the last stretch only: a long run draws many frames
    out = (out + strip(d)).slice(-200_000);
    for (const l of listeners) l(d);
  });
  let exited = false;
  const exit = new Promise<void>((r) => p.onExit(() => { exited = true; r(); }));
  return {
    pid: p.pid,
    launchedAt,
    text: () => out,
    write: (s) => p.write(s),
    onData: (f) => { listeners.add(f); return () => listeners.delete(f); },
    waitFor: (what, timeoutMs = 120_000) => new Promise((resolve, reject) => {
      if (what(out)) { resolve(performance.now() - launchedAt); return; }
      const t = setTimeout(() => { off(); reject(new Error(`timed out; the screen showed:\n${out.slice(-2000)}`)); }, timeoutMs);
      const off = (() => { const f = () => { if (what(out)) { clearTimeout(t); off(); resolve(performance.now() - launchedAt); } }; listeners.add(f); return () => listeners.delete(f); })();
      void exit.then(() => { if (!what(out)) { clearTimeout(t); off(); reject(new Error(`${file} exited; it showed:\n${out.slice(-2000)}`)); } });
    }),
    kill: async () => {
      if (exited) return;
      for (const q of tree(p.pid).reverse()) try { process.kill(q, 'SIGTERM'); } catch { /* gone */ }
      const t = setTimeout(() => { for (const q of tree(p.pid)) try { process.kill(q, 'SIGKILL'); } catch { /* gone */ } }, 3000);
      await exit;
      clearTimeout(t);
    },
  };
}

/** README's start command (`node .`), with these arguments */
export function startVirtui(root: string, args: string[], size?: { cols: number; rows: number }): Running {
  return launch(process.execPath, ['.', ...args], { cwd: root, ...size });
}

/** `npm start -- ARGS`, the same start with npm in front of it */
export function startNpm(root: string, args: string[]): Running {
  return launch('npm', ['start', '--silent', '--', ...args], { cwd: root });
}

/** the node process that runs the app (`node .` itself; under npm, npm's child's child), once it is there */
export function appPid(r: Running): number | undefined {
  return tree(r.pid).find((p) => {
    const c = cmdline(p);
    return c[0] === process.execPath && (c[1] === '.' || (c.some((a) => a.endsWith('bootstrap.mjs')) && c.includes('run')));
  });
}

export const POLLER_PYTHON = '/usr/bin/python3';

/** The peer can run: Debian's python3 with python3-libvirt (installed here when missing and root). */
export function pollerReady(): string | null {
  const has = () => spawnSync(POLLER_PYTHON, ['-c', 'import libvirt'], { stdio: 'ignore' }).status === 0;
  if (!existsSync(POLLER_PYTHON)) return `no ${POLLER_PYTHON}`;
  if (has()) return null;
  if (process.getuid?.() !== 0) return 'python3-libvirt is not installed (apt-get install python3-libvirt, as root)';
  console.log('  (installing python3-libvirt for the libvirt-API poller)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-q'], { stdio: 'ignore', env });
  spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'python3-libvirt'], { stdio: 'ignore', env });
  return has() ? null : 'python3-libvirt could not be installed';
}

export function startPoller(poller: string, uri: string, delayS: number): Running {
  return launch(POLLER_PYTHON, [poller, uri, String(delayS)], { cwd: '/' });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export { median } from './hosts-report.ts';
export const spread = (xs: number[], f: (x: number) => string) => xs.length > 1 ? `${f(Math.min(...xs))}-${f(Math.max(...xs))}` : f(xs[0]!);
