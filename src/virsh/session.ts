// One long-lived interactive `virsh` per connection (see DESIGN.md, "Transport").
//
// virsh (readline, even on a pipe) echoes "PROMPT<line>\n" for every line it reads; TERM=dumb, a
// huge COLUMNS and an empty INPUTRC keep that echo verbatim. Calls go in batches: every line is
// tagged with a short comment token (" #<session-random><counter>", which virsh ignores), and a
// batch ends with
//     echo --err MARK\n
// so stdout is   PROMPT<line1 #t1>\n<out1>PROMPT<line2 #t2>\n<out2>...PROMPT echo --err MARK\n
// and stderr is  <errors>"error: MARK\n".
// The echo of that last line ends stdout (virsh prints the lines it reads before it runs them,
// and its output in order), the mark ends stderr. The echoed, tagged lines cut the outputs apart;
// one marker per batch instead of per call matters: virsh spends more on extra commands (and on
// every character readline reads: three system calls each, some 5 us) than on a test-driver
// `dominfo` itself. A batch holds reads only, or one action alone: when a batch of
// reads reports an error, its reads are run again in one batch where each is followed by an
// `echo --err` of its own, which cuts stderr apart too: whose error it was, in one more round
// trip (not one per read: over ssh, 50 ms each).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { EventEmitter } from 'node:events';
import { closeSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { virshLine, shellLine } from './quote.ts';
import { VirshError, linkLost, virshFailure } from './errors.ts';
import { onOneCpu, tethered } from './tether.ts';
import { isTestDriver } from '../libvirt/uri.ts';
import { ChunkText } from './chunks.ts';
import { fifoStdio, readerOf, writerOf } from './fifo.ts';

/** the `echo --err` that ends one read's errors in a batch whose errors are told apart */
const errMarkOf = (p: { tag: string }) => `__virtui_${p.tag}e__`;

/** The environment of an interactive virsh whose output can be cut apart reliably. */
export const VIRSH_SHELL_ENV = {
  // C.UTF-8, not C: in the C locale virsh's tables print non-ASCII names as \xNN escapes
  LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8',
  // readline echoes each line verbatim only without a terminal width to scroll or wrap at
  TERM: 'dumb', COLUMNS: '1000000', LINES: '50', INPUTRC: '/dev/null',
  // our calls must not fill the user's virsh history (or our memory)
  VIRSH_HISTSIZE: '0',
} as const;

export interface SessionOptions {
  /** absent: virsh picks libvirt's default URI (learnt afterwards with `uri`) */
  uri?: string;
  readonly?: boolean;
  /** per-call time limit (of silence), ms */
  timeoutMs?: number;
  /** time limit to start and connect, ms (an SSH login can be slow) */
  startTimeoutMs?: number;
  /** the virsh binary (tests use a fake one) */
  virsh?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Runs the changes made so far again in a new process after a restart (default: on the test
   * driver, whose world lives only inside virsh and would start again from its file).
   */
  replay?: boolean;
  /** where a replay writes the files it needs again (a private folder inside; default: the system's) */
  replayDir?: string;
}

/** the virsh commands that wait for their job in a GLib main loop of their own (see onOneCpu: virsh 9 can hang after them) */
export const JOB_WATCHED: ReadonlySet<string> = new Set(['save', 'managedsave', 'dump', 'migrate']);

/** the silence after which a test-driver job (it ends at once) is taken for a hung virsh (see onOneCpu) */
export const TEST_JOB_MS = 10_000;

/** a change that succeeded, to run again in a new process: its arguments, and the files it named as they were */
interface Change {
  args: readonly string[];
  /** by the index of the argument that names it */
  files: Map<number, Buffer>;
}

/** the commands that read an XML file named without --file (typed on the : line) */
const READS_XML = new Set(['define', 'create', 'net-define', 'net-create', 'pool-define', 'pool-create', 'vol-create', 'nwfilter-define', 'secret-define', 'iface-define', 'nodedev-create', 'nodedev-define', 'attach-device', 'detach-device', 'update-device', 'checkpoint-create', 'snapshot-create']);
/** the commands whose --file is what they write, not what they read */
const WRITES_FILE = new Set(['save', 'dump', 'screenshot', 'vol-download']);

/** What a replay did: the changes run again, and those that failed (their command and error). */
export interface Replayed { ok: number; failed: string[] }

export interface CallOptions {
  timeoutMs?: number;
  /** an action (not idempotent): runs in a batch of its own, never run twice */
  exclusive?: boolean;
  /** a change of the test driver's world, to run again after a restart (default: exclusive; no for a read run alone, or a command with a secret) */
  record?: boolean;
}

interface Pending {
  line: string;
  args: readonly string[];
  /** the comment token written after the line */
  tag: string;
  timeoutMs: number;
  exclusive: boolean;
  /** a read of a batch that reported an error, run again with its errors marked apart */
  split?: boolean;
  /** a change run again after a restart (not recorded a second time) */
  replay?: Change;
  /** a job-watched call already run again once after virsh hung on it */
  retried?: boolean;
  /** to be recorded as a change once it succeeds */
  record: boolean;
  resolve: (out: string) => void;
  reject: (e: Error) => void;
}

/** calls written, batches written (one write and one answer each), virsh processes replaced */
export interface SessionStats { calls: number; batches: number; restarts: number }

/**
 * Events: 'restart' (reason: string) when the virsh process died or hung and was replaced;
 * 'lost' (the error line) when libvirt went out of reach, 'back' when a call succeeds again;
 * 'stderr-noise' never: stray stderr is attached to the next call.
 *
 * A lost connection: virsh stays alive and tries to reconnect at each command it runs (over
 * ssh, one login of 1-4 s each). So while lost, each batch holds one call alone, and when that
 * call finds libvirt still out of reach, every call waiting fails with its error: a host that is
 * down costs one attempt per batch, however many calls were asked for.
 */
export class VirshSession extends EventEmitter {
  uri: string | undefined;
  readonly readonly: boolean;
  private readonly timeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly bin: string;
  private readonly env: NodeJS.ProcessEnv;
  private proc: ChildProcess | null = null;
  /** virsh's stdin and stdout: real pipes where they can be made (see fifo.ts), else Node's */
  private stdin: Writable | null = null;
  private stdout: Readable | null = null;
  private stderr: Readable | null = null;
  private prompt: string | null = null;
  private starting: Promise<void> | null = null;
  /** calls not yet written (while virsh starts) */
  private queue: Pending[] = [];
  /** the batch written to virsh and not yet answered */
  private batch: { calls: Pending[]; mark: string; timeoutMs: number; split: boolean } | null = null;
  /** the random part of this process's tags (a call's output cannot guess it) */
  private tagPrefix = '';
  private counter = 0;
  /** what virsh printed and is not yet cut into answers (searched chunk by chunk: see chunks.ts) */
  private readonly out = new ChunkText();
  private readonly err = new ChunkText();
  private timer: NodeJS.Timeout | null = null;
  /** bumped whenever the timer is armed again (virsh said something) */
  private timerGen = 0;
  private closed = false;
  private pumpSoon = false;
  /** libvirt is out of reach (see the class comment) */
  lost = false;
  readonly stats: SessionStats = { calls: 0, batches: 0, restarts: 0 };
  /** replay changes after a restart (see SessionOptions.replay) */
  private readonly replay: boolean;
  /** the changes made in this world (replay only), in order */
  private world: Change[] = [];
  /** the process that held the world was replaced: its changes are to be run again */
  private worldLost = false;
  /** chrt or taskset failed here once: virsh is started as it is (see onOneCpu) */
  private unpinned = false;
  /** replays begun again in a row because a restart cut the last one short */
  private replayRounds = 0;
  /** bytes of the files the world's changes read, kept (at most 64 MiB in all) */
  private kept = 0;
  private readonly replayDir: string;
  /** the replay under way: its private folder and what it has found so far */
  private round: { dir: string | null; result: Replayed } | null = null;

  constructor(opts: SessionOptions) {
    super();
    this.uri = opts.uri;
    this.readonly = !!opts.readonly;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.startTimeoutMs = opts.startTimeoutMs ?? Math.max(this.timeoutMs, 30_000);
    this.bin = opts.virsh ?? 'virsh';
    this.env = opts.env ?? process.env;
    this.replay = !this.readonly && (opts.replay ?? (this.uri !== undefined && isTestDriver(this.uri)));
    this.replayDir = opts.replayDir ?? tmpdir();
  }

  /** the changes a restart would run again (none where nothing is replayed) */
  get changesKept(): number { return this.world.length; }

  /** argv of the virsh process, for display */
  get argv(): string[] {
    return [this.bin, ...(this.readonly ? ['-r'] : []), '-q', ...(this.uri ? ['-c', this.uri] : [])];
  }

  /** A call waits or runs (the screen tests wait until none does). */
  get busy(): boolean {
    return this.queue.length > 0 || this.batch !== null || this.starting !== null;
  }

  /** What the session waits on, in a line or two (a test that times out prints it). */
  describe(): string {
    const b = this.batch;
    const h = (this.stdout as unknown as { _handle?: { reading?: boolean } } | null)?._handle;
    const tail = (s: string) => JSON.stringify(s.slice(-160));
    return [
      `pid ${this.proc?.pid ?? '-'}${this.starting ? ' starting' : ''}${this.lost ? ' lost' : ''}, ${this.queue.length} queued (${this.queue.map((p) => p.args[0]).join(' ')})`,
      b ? `batch ${b.mark}${b.split ? ' split' : ''} of ${b.calls.map((p) => p.line).join(' | ')}; silent ${Date.now() - this.heard} ms, limit ${b.timeoutMs} ms` : 'no batch',
      `stdout ${this.out.length} chars, reading ${String(h?.reading)}, resting ${String((this.stdout as unknown as Record<symbol, unknown> | null)?.[RESTING])}: ${tail(this.out.length ? this.out.text() : '')}`,
      `stderr ${this.err.length} chars: ${tail(this.err.length ? this.err.text() : '')}`,
    ].join('\n');
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
      this.starting = this.spawnProcess().catch((e: unknown) => {
        // chrt or taskset refused here (a seccomp policy, a cpuset changed meanwhile): virsh as it is
        const v = e as Partial<VirshError>;
        if (this.unpinned || !/^(chrt|taskset): /m.test(`${v.line ?? ''}\n${v.stderr ?? ''}`)) throw e;
        this.unpinned = true;
        return this.spawnProcess();
      }).finally(() => { this.starting = null; });
    }
    return this.starting;
  }

  /** Runs one virsh command in the session; resolves with its stdout, rejects with a VirshError. */
  run(args: readonly string[], opts: CallOptions = {}): Promise<string> {
    let line: string;
    try {
      line = lineOf(args);
    } catch (e) {
      return Promise.reject(new VirshError(this.display(args), (e as Error).message, 'names cannot contain line breaks'));
    }
    if (this.closed) return Promise.reject(new VirshError(this.display(args), 'the virsh session is closed', ''));
    return new Promise((resolve, reject) => {
      this.queue.push({
        line, args, tag: '', timeoutMs: opts.timeoutMs ?? this.timeoutMs, exclusive: !!opts.exclusive, record: opts.record ?? !!opts.exclusive, resolve, reject,
      });
      // the calls asked for in the same turn (a tick: the domains' stats and the host's load) go
      // in one batch: one answer to read, one redraw
      if (!this.pumpSoon) {
        this.pumpSoon = true;
        queueMicrotask(() => { this.pumpSoon = false; this.pump(); });
      }
    });
  }

  close(): void {
    this.closed = true;
    this.endRound();
    const err = new VirshError('virsh', 'the virsh session was closed', '', '', 'died');
    for (const p of [...(this.batch?.calls ?? []), ...this.queue.splice(0)]) p.reject(err);
    this.batch = null;
    this.kill();
  }

  private kill(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    this.timerGen++;
    const p = this.proc;
    const [stdin, stdout, stderr] = [this.stdin, this.stdout, this.stderr];
    this.proc = null;
    this.stdin = null;
    this.stdout = null;
    this.stderr = null;
    this.prompt = null;
    if (p) {
      p.removeAllListeners('exit');
      stdout?.removeAllListeners('data');
      stderr?.removeAllListeners('data');
      try { stdin?.end(); } catch { /* already gone */ }
      p.kill('SIGKILL');
      // our ends of the pipes (Node's own close with the process); nothing they still hold is read
      for (const [ours, node] of [[stdin, p.stdin], [stdout, p.stdout], [stderr, p.stderr]] as const) if (ours !== node) ours?.destroy();
    }
  }

  private spawnProcess(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.out.clear();
      this.err.clear();
      this.tagPrefix = randomBytes(8).readBigUInt64BE().toString(36).slice(0, 4);
      let proc: ChildProcess;
      const io = fifoStdio();
      try {
        // the test driver's jobs end at once: see onOneCpu (its world lives only in this process,
        // so a virsh hung after a managed save cannot be left behind without losing the world)
        const own = this.uri !== undefined && isTestDriver(this.uri) && !this.unpinned ? onOneCpu(this.bin, this.argv.slice(1)) : { file: this.bin, args: this.argv.slice(1) };
        const run = tethered(own.file, own.args);
        proc = spawn(run.file, run.args, {
          stdio: io ? io.child : ['pipe', 'pipe', 'pipe'],
          // a session of its own, without virtui's terminal: ssh (qemu+ssh://) cannot ask on
          // /dev/tty for a host key or a password over the screen, it fails and virsh says why
          detached: true,
          env: { ...this.env, ...VIRSH_SHELL_ENV },
        });
      } catch (e) {
        io?.release();
        for (const fd of io?.ours ?? []) try { closeSync(fd); } catch { /* closed */ }
        reject(new VirshError(shellLine(this.argv), (e as Error).message, 'is virsh installed? (apt-get install libvirt-clients)', '', 'missing'));
        return;
      } finally {
        // the child holds its ends now: ours go, so that its exit is our end of file
        io?.release();
      }
      this.proc = proc;
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
        const i = this.out.find(needle);
        const e = this.err.find(`error: ${hello}\n`);
        if (i < 0 || e < 0) return;
        // stdout: PROMPT "echo --err H\n" PROMPT "echo H\n" H  -> the prompt is what precedes "echo --err"
        const out = this.out.text();
        this.prompt = out.slice(0, out.indexOf(`echo --err ${hello}\n`));
        this.out.dropTo(i + needle.length);
        this.err.dropTo(e + hello.length + 8);
        settled = true;
        clearTimeout(t);
        // connected: a start is a reconnection too
        this.setLost(false, '');
        if (this.worldLost) this.queueReplay();
        resolve();
        this.pump();
      };
      // virsh tells of a lost connection at once, between calls ("Disconnected from URI due to
      // end of file"): the next batch is then one call, not a reconnection attempt per call. The
      // line can come before the end of the batch it follows is read on stdout: look after both.
      const between = () => { if (!this.batch && this.err.length && linkLost(this.err.text())) this.setLost(true, this.err.text()); };
      const onOut = (d: string) => {
        this.out.push(d);
        if (!settled) { onData(); return; }
        this.drain();
        between();
        if (this.batch) restPipe(stdout);
      };
      const onErr = (d: string) => {
        this.err.push(d);
        if (!settled) { onData(); return; }
        this.drain();
        between();
      };
      // real pipes where they could be made (see fifo.ts), else Node's
      const text = (r: Readable, f: (d: string) => void) => { r.setEncoding('utf8'); r.on('data', f); return r; };
      const stdin = io ? writerOf(io.ours[0]) : proc.stdin!;
      const stdout = io ? readerOf(io.ours[1], onOut) : text(proc.stdout!, onOut);
      const stderr = io ? readerOf(io.ours[2], onErr) : text(proc.stderr!, onErr);
      this.stdin = stdin;
      this.stdout = stdout;
      this.stderr = stderr;
      stdout.on('error', () => { /* the exit handler reports it */ });
      stderr.on('error', () => { /* the exit handler reports it */ });
      proc.on('error', (e: NodeJS.ErrnoException) => {
        const missing = e.code === 'ENOENT';
        fail(new VirshError(shellLine(this.argv), missing ? 'virsh is not installed' : e.message,
          missing ? 'install the libvirt client tools: apt-get install libvirt-clients' : '', '', missing ? 'missing' : 'died'));
      });
      proc.on('exit', (code, signal) => {
        const report = () => {
          if (!settled) {
            fail(virshFailure(shellLine(this.argv), this.err.text() || `virsh exited (${signal ?? code}) before it was ready`));
            return;
          }
          if (this.proc === proc) this.onDied(`virsh exited (${signal ?? `code ${code}`})`);
        };
        // 'exit' can come before the last of stderr (why it could not connect) is read
        if (stderr.readableEnded) { report(); return; }
        const late = setTimeout(report, 500);
        stderr.once('end', () => { clearTimeout(late); report(); });
      });
      const t = setTimeout(() => fail(new VirshError(shellLine(this.argv),
        `virsh did not answer within ${this.startTimeoutMs / 1000}s`, 'is the URI reachable? (ssh asking for a password cannot work here)', this.err.text(), 'timeout')), this.startTimeoutMs);
      stdin.on('error', () => { /* EPIPE: the exit handler reports it */ });
      stdin.write(`echo --err ${hello}\necho ${hello}\n`);
    });
  }

  /** Writes the next batch: every waiting read, or one action alone. */
  private pump(): void {
    if (this.batch || this.queue.length === 0 || this.closed) return;
    if (!this.proc || !this.stdin || this.prompt === null) {
      this.start().catch((e: Error) => {
        // cannot (re)start: everything waiting fails with the reason
        this.failWaiting(this.queue.splice(0), () => e);
      });
      return;
    }
    const nextAction = this.queue.findIndex((p) => p.exclusive);
    // the reads to tell apart (at the front of the queue) go together, and alone
    const split = !this.lost && !!this.queue[0]!.split;
    const plain = split ? this.queue.findIndex((p) => !p.split) : -1;
    const calls = this.queue.splice(0, split ? (plain < 0 ? this.queue.length : plain)
      : this.lost || nextAction === 0 ? 1 : nextAction < 0 ? this.queue.length : nextAction);
    const mark = `__virtui_${this.tagPrefix}${(this.counter++).toString(36)}__`;
    let text = '';
    for (const p of calls) {
      p.tag = `${this.tagPrefix}${(this.counter++).toString(36)}`;
      text += `${p.line} #${p.tag}\n`;
      if (split) text += `echo --err ${errMarkOf(p)}\n`;
    }
    this.stats.calls += calls.length;
    this.stats.batches++;
    this.batch = { calls, mark, timeoutMs: Math.max(...calls.map((c) => c.timeoutMs)), split };
    this.armTimer();
    this.stdin.write(`${text}echo --err ${mark}\n`);
    // virsh needs a moment for any answer: read it once it is (mostly) there, not line by line
    if (this.stdout) restPipe(this.stdout);
  }

  /** The time limit is on silence: it starts again whenever virsh answers something. */
  private armTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    const gen = ++this.timerGen;
    // timers run before the I/O of the same loop turn: after the UI was busy past the limit,
    // virsh's answer may be waiting unread. Read it first (setImmediate runs after the I/O).
    this.heard = Date.now();
    const limit = this.batch?.timeoutMs;
    if (limit === undefined) { this.timer = null; return; }
    const check = () => setImmediate(() => {
      if (gen !== this.timerGen) return;
      // virsh said something since (see heard): the silence is shorter than the limit
      const quiet = Date.now() - this.heard;
      if (quiet < limit) this.timer = setTimeout(check, limit - quiet);
      else this.onTimeout();
    });
    this.timer = setTimeout(check, limit);
  }

  /** when virsh last said something (a chunk of a long answer moves this, not the timer: see armTimer) */
  private heard = 0;

  private drain(): void {
    const b = this.batch;
    if (!b || this.prompt === null) return;
    // the echo of the last line: everything printed before it on stdout is the batch's
    const endNeedle = `${this.prompt}echo --err ${b.mark}\n`;
    const end = this.out.find(endNeedle);
    const errMark = `error: ${b.mark}\n`;
    const errEnd = end < 0 ? -1 : this.err.find(errMark);
    if (end < 0 || errEnd < 0) {
      this.heard = Date.now();
      return;
    }
    const chunk = this.out.text().slice(0, end + endNeedle.length);
    this.out.dropTo(end + endNeedle.length);
    const stderr = this.err.text().slice(0, errEnd);
    this.err.dropTo(errEnd + errMark.length);
    this.batch = null;
    this.armTimer();
    const echoOf = (p: Pending) => `${this.prompt}${p.line} #${p.tag}\n`;
    const failed = /^error: /m.test(stderr);
    const lost = failed && linkLost(stderr);
    if (b.split && !lost) {
      // each read's stdout ends at the echo of its own stderr mark, and its stderr at the mark
      let at = 0;
      let errAt = 0;
      for (const p of b.calls) {
        const start = chunk.indexOf(echoOf(p), at);
        const markEcho = `${this.prompt}echo --err ${errMarkOf(p)}\n`;
        const end = start < 0 ? -1 : chunk.indexOf(markEcho, start);
        const errMark = `error: ${errMarkOf(p)}\n`;
        const errEnd = stderr.indexOf(errMark, errAt);
        const err = errEnd < 0 ? '' : stderr.slice(errAt, errEnd);
        if (errEnd >= 0) errAt = errEnd + errMark.length;
        if (start < 0 || end < 0 || errEnd < 0) p.reject(new VirshError(this.display(p.args), 'could not read virsh\'s answer', 'please report this with the command', stderr));
        else if (/^error: /m.test(err)) p.reject(virshFailure(this.display(p.args), err));
        else p.resolve(chunk.slice(start + echoOf(p).length, end));
        if (end >= 0) at = end + markEcho.length;
      }
    } else if (lost) {
      // out of reach: another try of each call would be another reconnection each (another login)
      this.failWaiting([...b.calls, ...this.queue.splice(0)], (p) => virshFailure(this.display(p.args), stderr));
      this.setLost(true, stderr);
    } else if (failed && b.calls.length > 1) {
      // whose error? run the reads again, their errors marked apart, ahead of anything queued since
      for (const p of b.calls) p.split = true;
      this.queue.unshift(...b.calls);
    } else if (failed) {
      b.calls[0]!.reject(virshFailure(this.display(b.calls[0]!.args), stderr));
    } else {
      let at = 0;
      const starts = b.calls.map((p) => {
        const i = chunk.indexOf(echoOf(p), at);
        if (i >= 0) at = i + echoOf(p).length;
        return i;
      });
      const tail = chunk.lastIndexOf(`${this.prompt}echo --err ${b.mark}\n`);
      b.calls.forEach((p, k) => {
        const from = starts[k]! + echoOf(p).length;
        const to = k + 1 < b.calls.length ? starts[k + 1]! : tail;
        if (starts[k]! < 0 || to < from) p.reject(new VirshError(this.display(p.args), 'could not read virsh\'s answer', 'please report this with the command', stderr));
        else {
          if (p.record) this.record(p);
          p.resolve(chunk.slice(from, to));
        }
      });
    }
    // any answer but "out of reach" (an error of the call itself too) says libvirt answers
    if (!lost) this.setLost(false, '');
    this.pump();
  }

  /**
   * Fails `calls` (virsh cannot start, libvirt is out of reach), except the changes being run
   * again: they are not at fault, and wait in the queue for the next start to run them.
   */
  private failWaiting(calls: Pending[], err: (p: Pending) => Error): void {
    this.queue = calls.filter((p) => p.replay);
    for (const p of calls) if (!p.replay) p.reject(err(p));
  }

  /** a change that succeeded: kept, with the files it read, to be run again after a restart */
  private record(p: Pending): void {
    if (!this.replay || p.replay) return;
    // the files it reads (a define's XML, written to a temporary file and removed after it; a
    // path typed on the : line), as they are now: the replay gives it the same bytes
    const files = new Map<number, Buffer>();
    const verb = p.args[0] ?? '';
    p.args.forEach((f, i) => {
      const flag = p.args[i - 1] ?? '';
      const reads = flag === '--file' ? !WRITES_FILE.has(verb) : flag === '--xml' || flag === '--xmlfile' || (i > 0 && READS_XML.has(verb) && !flag.startsWith('--') && f.startsWith('/'));
      if (!reads) return;
      try {
        if (!statSync(f).isFile()) return;
        const data = readFileSync(f);
        if (data.length > 4 << 20 || this.kept + data.length > 64 << 20) return;
        files.set(i, data);
        this.kept += data.length;
      } catch { /* not a file */ }
    });
    this.world.push({ args: [...p.args], files });
  }

  /** drops a change from the world (it failed when run again) */
  private forget(c: Change): void {
    this.world = this.world.filter((x) => x !== c);
    for (const d of c.files.values()) this.kept -= d.length;
  }

  /** ends the replay under way: its private folder is removed */
  private endRound(): void {
    if (this.round?.dir) rmSync(this.round.dir, { recursive: true, force: true });
    this.round = null;
  }

  /**
   * The process that held the test driver's world was replaced: the changes made in it are run
   * again, in order, ahead of every call waiting; a file one of them read is given again as it was
   * then (a copy in a private temporary folder). Emits 'replayed' (Replayed).
   */
  private queueReplay(): void {
    this.worldLost = false;
    // a round cut short by another restart is begun again whole, in the new process (what it
    // found failing is still said); one that never ends (a world of thousands of changes, virsh
    // hanging again and again) is given up
    const cut = this.queue.some((p) => p.replay);
    const before = cut && this.round ? this.round.result.failed : [];
    this.queue = this.queue.filter((p) => !p.replay);
    this.endRound();
    this.replayRounds = cut ? this.replayRounds + 1 : 0;
    if (this.replayRounds >= 3) {
      const lost = this.world.length;
      this.world = [];
      this.kept = 0;
      this.replayRounds = 0;
      this.emit('replayed', { ok: 0, failed: [...before, `${lost} change${lost === 1 ? '' : 's'}: virsh was replaced 3 times while it ran them again; the world is as its file describes it`] } satisfies Replayed);
      return;
    }
    const changes = this.world;
    if (!changes.length) return;
    const round = { dir: null as string | null, result: { ok: 0, failed: [...before] } as Replayed };
    this.round = round;
    let left = changes.length;
    const settle = (c: Change, err?: Error) => {
      if (this.round !== round || this.closed) return;
      if (err) {
        round.result.failed.push(`${shellLine(['virsh', ...c.args])}: ${(err as VirshError).line ?? err.message}`);
        // it is not part of the world any more
        this.forget(c);
      } else round.result.ok++;
      if (--left > 0) return;
      this.endRound();
      this.emit('replayed', round.result);
    };
    const calls: Pending[] = [];
    for (const c of changes) {
      const args = c.args.map((a, i) => {
        const data = c.files.get(i);
        if (!data) return a;
        try {
          round.dir ??= mkdtempSync(join(this.replayDir, 'virtui-replay-'));
          const f = join(round.dir, `${calls.length}-${i}-${a.replace(/^.*\//, '')}`);
          writeFileSync(f, data, { mode: 0o600 });
          return f;
        } catch {
          // no room for the copy (a full or read-only temporary folder): the file as it is now
          return a;
        }
      });
      let line: string;
      try { line = virshLine(args); } catch (e) { settle(c, e as Error); continue; }
      // (a job that ends at once and says nothing for long has hung virsh: see onTimeout)
      const timeoutMs = JOB_WATCHED.has(args[0] ?? '') ? Math.min(this.timeoutMs, TEST_JOB_MS) : this.timeoutMs;
      calls.push({ line, args, tag: '', timeoutMs, exclusive: true, record: false, replay: c, resolve: () => settle(c), reject: (e) => settle(c, e) });
    }
    this.queue.unshift(...calls);
  }

  private setLost(lost: boolean, stderr: string): void {
    if (this.lost === lost) return;
    this.lost = lost;
    if (lost) this.emit('lost', virshFailure('virsh', stderr).line);
    else this.emit('back');
  }

  /**
   * A batch hung or virsh died: the call virsh was on (the last whose line it echoed) fails;
   * the other calls of the batch are reads, so they run again in the new session.
   */
  private failBatch(e: (p: Pending) => VirshError, again: (p: Pending) => boolean = () => false): void {
    const calls = this.batch?.calls ?? [];
    this.batch = null;
    let on = 0;
    let at = 0;
    calls.forEach((p, k) => {
      const i = this.out.text().indexOf(`${this.prompt}${p.line} #${p.tag}\n`, at);
      if (i >= 0) { on = k; at = i + 1; }
    });
    const hung = calls[on];
    // a change being run again is not at fault: the next round runs it again (see queueReplay)
    if (hung && (hung.replay || again(hung))) this.queue.unshift(...calls);
    else {
      hung?.reject(e(hung));
      this.queue.unshift(...calls.filter((_, k) => k !== on));
    }
    // the world was in the process that is replaced: its changes are run again in the next one
    if (this.replay) this.worldLost = true;
  }

  private onTimeout(): void {
    const limit = (this.batch?.timeoutMs ?? this.timeoutMs) / 1000;
    // virsh 9 can wait for ever after a job that ended at once (see onOneCpu); where the world is
    // replayed, the job is run once more in the rebuilt world instead of failing
    const again = (p: Pending) => {
      if (!this.replay || !p.exclusive || p.retried || p.replay || !JOB_WATCHED.has(p.args[0] ?? '')) return false;
      p.retried = true;
      return true;
    };
    this.failBatch((p) => new VirshError(this.display(p.args), `virsh did not answer within ${limit}s`, 'the virsh session was restarted', '', 'timeout'), again);
    this.kill();
    this.stats.restarts++;
    this.emit('restart', `a call timed out after ${limit}s`);
    this.pump();
  }

  private onDied(reason: string): void {
    if (this.closed) { this.kill(); return; }
    const stderr = this.err.text();
    this.failBatch((p) => new VirshError(this.display(p.args), reason, 'the virsh session was restarted', stderr, 'died'));
    this.kill();
    this.stats.restarts++;
    this.emit('restart', reason);
    this.pump();
  }
}

/** the lines of frozen argument lists (the tick's, the same every time), made once */
const lines = new WeakMap<readonly string[], string>();
function lineOf(args: readonly string[]): string {
  if (!Object.isFrozen(args)) return virshLine(args);
  let l = lines.get(args);
  if (l === undefined) lines.set(args, l = virshLine(args));
  return l;
}

const RESTING = Symbol('resting');
/** how long the reader lets virsh's pipe fill while an answer is still coming, ms */
export const REST_MS = 2;

/**
 * virsh writes each line of an answer with its own write(2) (3000 for `domstats` of 1000
 * domains): read as they come, each is a wake-up, a read and a 'data' event. When a batch is
 * written, and while an answer is incomplete, the reader stops reading for REST_MS, so that the
 * pipe (64 KiB) fills and the answer comes in one read, or a few large ones (a test-driver call
 * takes about a millisecond: most answers are whole after the first rest). Node's Readable.pause() does not
 * stop the reads from the pipe (it keeps buffering up to its high-water mark), so this stops the
 * pipe handle itself; where the handle has no readStop (another Node), it does nothing.
 */
function restPipe(stream: NodeJS.ReadableStream): void {
  const s = stream as unknown as { _handle?: { readStop?(): number; readStart?(): number }; destroyed: boolean; [RESTING]?: boolean };
  const h = s._handle;
  if (s[RESTING] || typeof h?.readStop !== 'function' || typeof h.readStart !== 'function') return;
  s[RESTING] = true;
  h.readStop();
  setTimeout(() => {
    s[RESTING] = false;
    if (s._handle === h && !s.destroyed) h.readStart!();
  }, REST_MS);
}
