// One-shot runs through execa: long jobs, other tools (qemu-img, virt-xml-validate ...), and the
// "spawn one virsh per call" baseline of the benchmark. Never a shell; LC_ALL=C.UTF-8; always a time limit.
import { execa } from 'execa';
import { shellLine } from './quote.ts';
import { VirshError, virshFailure } from './errors.ts';

export interface SpawnResult { stdout: string; stderr: string; exitCode: number }

export async function runOnce(file: string, args: readonly string[], opts: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<SpawnResult> {
  const command = shellLine([file, ...args]);
  const r = await execa(file, [...args], {
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
    // C.UTF-8: English messages, and non-ASCII names printed as they are (see session.ts)
    env: { ...opts.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
    input: opts.input,
    stripFinalNewline: false,
  });
  if ((r as { code?: string }).code === 'ENOENT') {
    throw new VirshError(command, `${file} is not installed`, `install it (apt-get install ${file === 'virsh' ? 'libvirt-clients' : file})`, '', 'missing');
  }
  if (r.timedOut) throw new VirshError(command, `did not finish within ${(opts.timeoutMs ?? 60_000) / 1000}s`, '', String(r.stderr), 'timeout');
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** `virsh -c URI args...` as its own process; rejects with a VirshError on failure. */
export async function virshOnce(uri: string, args: readonly string[], opts: { readonly?: boolean; timeoutMs?: number } = {}): Promise<string> {
  const argv = [...(opts.readonly ? ['-r'] : []), '-q', '-c', uri, ...args];
  const r = await runOnce('virsh', argv, { timeoutMs: opts.timeoutMs });
  if (r.exitCode !== 0) throw virshFailure(shellLine(['virsh', ...argv.filter((a) => a !== '-q')]), r.stderr || `exit code ${r.exitCode}`);
  return r.stdout;
}
