// One long-lived interactive `virsh` per connection (see DESIGN.md, "Transport").
//
// Protocol: for each call we write
//     <command>\necho --err MARK\necho MARK\n
// virsh (readline, even on a pipe) echoes "PROMPT<line>\n" for every line it reads, so stdout is
//     PROMPT<command>\n<output>PROMPT echo --err MARK\nPROMPT echo MARK\nMARK
// and stderr is <errors>"error: MARK\n". TERM=dumb, a huge COLUMNS and an empty INPUTRC keep
// readline from scrolling or wrapping the echo, so it is verbatim and easy to cut away.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { virshLine, shellLine } from './quote.ts';
import { VirshError, virshFailure } from './errors.ts';

export interface SessionOptions {
  /** absent: virsh picks libvirt's default URI (learnt afterwards with `uri`) */
  uri?: string;
  readonly?: boolean;
  /** per-call time limit, ms */
  timeoutMs?: number;
  /** the virsh binary (tests use a fake one) */
  virsh?: string;
  env?: NodeJS.ProcessEnv;
}

export interface CallOptions { timeoutMs?: number }

interface Pending {
  line: string;
  args: readonly string[];
  mark: string;
  timeoutMs: number;
  resolve: (out: string) => void;
  reject: (e: Error) => void;
}

export interface SessionStats { calls: number; restarts: number }

/**
 * Events: 'restart' (reason: string) when the virsh process died or hung and was replaced;
 * 'stderr-noise' never: stray stderr is attached to the next call.
 */
export class VirshSession extends EventEmitter {
  uri: string | undefined;
  readonly readonly: boolean;
  private readonly timeoutMs: number;
  private readonly bin: string;
  private readonly env: NodeJS.ProcessEnv;
  private proc: ChildProcessWithoutNullStreams | null = null;
  private prompt: string | null = null;
  private starting: Promise<void> | null = null;
  private queue: Pending[] = [];
  private current: Pending | null = null;
  private out = '';
  private err = '';
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  readonly stats: SessionStats = { calls: 0, restarts: 0 };

  constructor(opts: SessionOptions) {
    super();
    this.uri = opts.uri;
    this.readonly = !!opts.readonly;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.bin = opts.virsh ?? 'virsh';
    this.env = opts.env ?? process.env;
  }

  /** argv of the virsh process, for display */
  get argv(): string[] {
    return [this.bin, ...(this.readonly ? ['-r'] : []), '-q', ...(this.uri ? ['-c', this.uri] : [])];
  }

  /** How the user would type this call in a shell. */
  display(args: readonly string[]): string {
    return shellLine(['virsh', ...(this.readonly ? ['-r'] : []), ...(this.uri ? ['-c', this.uri] : []), ...args]);
  }

  /** Starts the process and checks the connection; rejects with a VirshError when virsh cannot connect. */
  start(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('session closed'));
    if (this.proc && this.prompt !== null) return Promise.resolve();
    if (!this.starting) {
      this.starting = this.spawnProcess().finally(() => { this.starting = null; });
    }
    return this.starting;
  }

  /** Runs one virsh command in the session; resolves with its stdout, rejects with a VirshError. */
  run(args: readonly string[], opts: CallOptions = {}): Promise<string> {
    let line: string;
    try {
      line = virshLine(args);
    } catch (e) {
      return Promise.reject(new VirshError(this.display(args), (e as Error).message, 'names cannot contain line breaks'));
    }
    if (this.closed) return Promise.reject(new VirshError(this.display(args), 'the virsh session is closed', ''));
    return new Promise((resolve, reject) => {
      this.queue.push({
        line, args, mark: '', timeoutMs: opts.timeoutMs ?? this.timeoutMs, resolve, reject,
      });
      this.pump();
    });
  }

  close(): void {
    this.closed = true;
    const err = new VirshError('virsh', 'the virsh session was closed', '', '', 'died');
    for (const p of this.queue.splice(0)) p.reject(err);
    if (this.current) { this.current.reject(err); this.current = null; }
    this.kill();
  }

  private kill(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const p = this.proc;
    this.proc = null;
    this.prompt = null;
    if (p) {
      p.removeAllListeners('exit');
      p.stdout.removeAllListeners('data');
      p.stderr.removeAllListeners('data');
      try { p.stdin.end(); } catch { /* already gone */ }
      p.kill('SIGKILL');
    }
  }

  private spawnProcess(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.out = '';
      this.err = '';
      let proc: ChildProcessWithoutNullStreams;
      try {
        proc = spawn(this.bin, this.argv.slice(1), {
          stdio: ['pipe', 'pipe', 'pipe'],
          env: {
            ...this.env,
            // C.UTF-8, not C: in the C locale virsh's tables print non-ASCII names as \xNN escapes
            LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8',
            TERM: 'dumb', COLUMNS: '1000000', LINES: '50', INPUTRC: '/dev/null',
            // our calls must not fill the user's virsh history (or our memory)
            VIRSH_HISTSIZE: '0',
          },
        });
      } catch (e) {
        reject(new VirshError(shellLine(this.argv), (e as Error).message, 'is virsh installed? (apt-get install libvirt-clients)', '', 'missing'));
        return;
      }
      this.proc = proc;
      proc.stdout.setEncoding('utf8');
      proc.stderr.setEncoding('utf8');
      const hello = `__virtui_${randomBytes(6).toString('hex')}__`;
      let settled = false;
      const fail = (e: VirshError) => {
        if (settled) return;
        settled = true;
        this.kill();
        reject(e);
      };
      const onData = () => {
        if (settled) return;
        const needle = `echo ${hello}\n${hello}`;
        const i = this.out.indexOf(needle);
        if (i < 0 || !this.err.includes(`error: ${hello}\n`)) return;
        // stdout: PROMPT "echo --err H\n" PROMPT "echo H\n" H  -> the prompt is what precedes "echo --err"
        const j = this.out.indexOf(`echo --err ${hello}\n`);
        this.prompt = this.out.slice(0, j);
        this.out = this.out.slice(i + needle.length);
        this.err = this.err.slice(this.err.indexOf(`error: ${hello}\n`) + hello.length + 8);
        settled = true;
        clearTimeout(t);
        resolve();
        this.pump();
      };
      proc.stdout.on('data', (d: string) => { this.out += d; if (!settled) onData(); else this.drain(); });
      proc.stderr.on('data', (d: string) => { this.err += d; if (!settled) onData(); else this.drain(); });
      proc.on('error', (e: NodeJS.ErrnoException) => {
        const missing = e.code === 'ENOENT';
        fail(new VirshError(shellLine(this.argv), missing ? 'virsh is not installed' : e.message,
          missing ? 'install the libvirt client tools: apt-get install libvirt-clients' : '', '', missing ? 'missing' : 'died'));
      });
      proc.on('exit', (code, signal) => {
        if (!settled) {
          fail(virshFailure(shellLine(this.argv), this.err || `virsh exited (${signal ?? code}) before it was ready`));
          return;
        }
        this.onDied(`virsh exited (${signal ?? `code ${code}`})`);
      });
      const t = setTimeout(() => fail(new VirshError(shellLine(this.argv),
        `virsh did not answer within ${this.timeoutMs / 1000}s`, 'is the URI reachable? (ssh asking for a password cannot work here)', this.err, 'timeout')), this.timeoutMs);
      proc.stdin.on('error', () => { /* EPIPE: the exit handler reports it */ });
      proc.stdin.write(`echo --err ${hello}\necho ${hello}\n`);
    });
  }

  private pump(): void {
    if (this.current || this.queue.length === 0 || this.closed) return;
    if (!this.proc || this.prompt === null) {
      this.start().catch((e: Error) => {
        // cannot (re)start: everything waiting fails with the reason
        for (const p of this.queue.splice(0)) p.reject(e);
      });
      return;
    }
    const p = this.queue.shift()!;
    p.mark = `__virtui_${randomBytes(6).toString('hex')}__`;
    this.current = p;
    this.stats.calls++;
    this.timer = setTimeout(() => this.onTimeout(), p.timeoutMs);
    this.proc.stdin.write(`${p.line}\necho --err ${p.mark}\necho ${p.mark}\n`);
  }

  private drain(): void {
    const p = this.current;
    if (!p || this.prompt === null) return;
    const endNeedle = `echo ${p.mark}\n${p.mark}`;
    const end = this.out.indexOf(endNeedle);
    const errMark = `error: ${p.mark}\n`;
    const errEnd = this.err.indexOf(errMark);
    if (end < 0 || errEnd < 0) return;
    const chunk = this.out.slice(0, end);
    this.out = this.out.slice(end + endNeedle.length);
    const stderr = this.err.slice(0, errEnd);
    this.err = this.err.slice(errEnd + errMark.length);
    // chunk = PROMPT line \n OUTPUT PROMPT "echo --err MARK\n" PROMPT
    const afterEcho = chunk.indexOf('\n') + 1;
    const cut = chunk.lastIndexOf(`${this.prompt}echo --err ${p.mark}\n`);
    const stdout = cut >= afterEcho ? chunk.slice(afterEcho, cut) : '';
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.current = null;
    if (/^error: /m.test(stderr)) p.reject(virshFailure(this.display(p.args), stderr));
    else p.resolve(stdout);
    this.pump();
  }

  private onTimeout(): void {
    const p = this.current;
    this.current = null;
    this.timer = null;
    this.kill();
    this.stats.restarts++;
    if (p) {
      p.reject(new VirshError(this.display(p.args), `virsh did not answer within ${p.timeoutMs / 1000}s`,
        'the virsh session was restarted', '', 'timeout'));
    }
    this.emit('restart', `a call timed out after ${(p?.timeoutMs ?? this.timeoutMs) / 1000}s`);
    this.pump();
  }

  private onDied(reason: string): void {
    const p = this.current;
    this.current = null;
    const stderr = this.err;
    this.kill();
    if (this.closed) return;
    this.stats.restarts++;
    if (p) p.reject(new VirshError(this.display(p.args), reason, 'the virsh session was restarted', stderr, 'died'));
    this.emit('restart', reason);
    this.pump();
  }
}
