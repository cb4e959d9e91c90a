// One-shot runs through execa: long jobs, other tools (qemu-img, virt-xml-validate ...), and the
// "spawn one virsh per call" baseline of the benchmark. Never a shell; LC_ALL=C.UTF-8; always a time limit.
import type { execa as Execa } from 'execa';
import { shellLine } from './quote.ts';
import { VirshError, firstErrorLine, virshFailure } from './errors.ts';
import { tethered } from './tether.ts';

// imported with the first run, not at start: execa takes ~150 ms to import, and the first frame needs none
let execaFn: typeof Execa | undefined;
const loadExeca = async (): Promise<typeof Execa> => (execaFn ??= (await import('execa')).execa);

export interface SpawnResult { stdout: string; stderr: string; exitCode: number }

/**
 * `signal`: aborting it ends the process (SIGTERM), and the run rejects with kind 'cancelled';
 * `onOutput`: each chunk of stdout and stderr as it comes (a progress line), besides the whole at the end.
 */
export async function runOnce(file: string, args: readonly string[], opts: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal; onOutput?: (chunk: string) => void } = {}): Promise<SpawnResult> {
  const command = shellLine([file, ...args]);
  const run = tethered(file, args);
  const execa = await loadExeca();
  if (opts.signal?.aborted) throw new VirshError(command, 'cancelled before it started', '', '', 'cancelled');
  const child = execa(run.file, run.args, {
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
    // C.UTF-8: English messages, and non-ASCII names printed as they are (see session.ts)
    env: { ...opts.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    // without virtui's terminal: ssh (qemu+ssh://) fails instead of asking over the screen
    detached: true,
    input: opts.input,
    stripFinalNewline: false,
    cancelSignal: opts.signal,
  });
  if (opts.onOutput) for (const s of [child.stdout, child.stderr]) s?.on('data', (b: Buffer) => opts.onOutput!(b.toString('utf8')));
  const r = await child;
  if ((r as { code?: string }).code === 'ENOENT') {
    throw new VirshError(command, `${file} is not installed`, `install it (apt-get install ${file === 'virsh' ? 'libvirt-clients' : file})`, '', 'missing');
  }
  if (r.isCanceled) throw new VirshError(command, 'cancelled: its process was ended', '', String(r.stderr), 'cancelled');
  if (r.timedOut) throw new VirshError(command, `did not finish within ${(opts.timeoutMs ?? 60_000) / 1000}s`, '', String(r.stderr), 'timeout');
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** `virsh -c URI args...` as its own process; rejects with a VirshError on failure. */
export async function virshOnce(uri: string, args: readonly string[], opts: { readonly?: boolean; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  const argv = [...(opts.readonly ? ['-r'] : []), '-q', '-c', uri, ...args];
  const r = await runOnce('virsh', argv, { timeoutMs: opts.timeoutMs, signal: opts.signal });
  if (r.exitCode !== 0) throw virshFailure(shellLine(['virsh', ...argv.filter((a) => a !== '-q')]), r.stderr || `exit code ${r.exitCode}`);
  return r.stdout;
}

/** Another tool's output (`ip -j -d addr`); rejects with a VirshError naming the tool when it fails. */
export async function runTool(file: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}): Promise<string> {
  const r = await runOnce(file, args, { timeoutMs: opts.timeoutMs ?? 10_000, env: opts.env, signal: opts.signal });
  if (r.exitCode !== 0) {
    const line = r.stderr.split('\n').map((l) => l.trim()).find(Boolean) ?? `exit code ${r.exitCode}`;
    throw new VirshError(shellLine([file, ...args]), line, '', r.stderr);
  }
  return r.stdout;
}

export interface LineStream {
  stop(): void;
  /** resolves once the process is started (execa loads with the first one) */
  started: Promise<void>;
}

/**
 * A long-lived process read line by line (`virsh event --loop`). No time limit, by nature: it
 * runs until stop() or until it exits; `onExit` says why it ended.
 */
export function streamLines(file: string, args: readonly string[], onLine: (line: string) => void, onExit: (reason: string, stderr: string) => void): LineStream {
  // it reads nothing: only the tether ends it when virtui is killed
  const run = tethered(file, args);
  let stopped = false;
  let kill = () => {};
  const started = loadExeca().then((execa) => {
    if (stopped) return;
    const child = execa(run.file, run.args, {
      reject: false, buffer: false, stdin: 'ignore',
      env: { LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      detached: true,
      forceKillAfterDelay: 2000,
    });
    kill = () => { child.kill(); };
    let rest = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const l of lines) onLine(l);
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => { if (stderr.length < 4000) stderr += chunk; });
    void child.then((r) => {
      if (stopped) return;
      const code = (r as { code?: string }).code;
      // "failed to connect to the hypervisor" alone would hide the cause: firstErrorLine keeps both
      onExit(code === 'ENOENT' ? `${file} is not installed` : stderr.trim() ? firstErrorLine(stderr) : `exited with code ${r.exitCode}`, stderr);
    });
  });
  return { stop: () => { stopped = true; kill(); }, started };
}
