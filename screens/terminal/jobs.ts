// The three sessions a pane runs: a domain's serial console, guestfish, an interactive virsh.
import type { Domain } from '../../src/libvirt/types.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import type { ActionHost } from '../../src/context.ts';
import { consoleFailure, consoleSpec, FISH_NO_OS, FISH_PROMPT, guestfishSpec, SERIAL_XML, shellSpec, type FishTarget } from '../../src/pty/commands.ts';
import type { PtySpec } from '../../src/pty/process.ts';
import type { TermCtl, TermJob } from './view.ts';

/** What the jobs need: the context bound to the pane's connection (`bind(ctx, conn)`), and a clock (tests set it). */
export type TermHost = Pick<ActionHost, 'uri' | 'name' | 'readonly' | 'ask' | 'domain' | 'refreshDomains' | 'lastEvent' | 'onDomains'> & {
  now?(): number;
};

const nowOf = (h: TermHost) => (h.now ? h.now() : Date.now());

const live = (d: Domain | undefined) => !!d && d.id !== null;

/** Why a domain's console closed, in words, from its state now on `host` and its last event. */
export function consoleEndReason(name: string, d: Domain | undefined, ev: { text: string; t: number } | undefined, now: number, host: string): string {
  const recent = ev && now - ev.t < 60_000 ? ev.text : '';
  if (!d) {
    if (/migrat/i.test(recent)) return `${name} migrated away: it is no longer on ${host}`;
    if (/undefine|removed/i.test(recent)) return `${name} was undefined: it is no longer on ${host}`;
    // a transient domain that stopped, or one moved or undefined by another client
    return `${name} is no longer on ${host}`;
  }
  if (/destroy/i.test(recent)) return `${name} was destroyed`;
  if (/snapshot|restored|from snapshot/i.test(recent)) return `${name} was reverted to a snapshot${live(d) ? ' and runs again' : ''}`;
  if (/shutdown|shut/i.test(recent) || d.state === 'shut off') return `${name} ${recent ? `stopped (${recent})` : 'is shut off'}`;
  if (/reboot|reset/i.test(recent)) return `${name} was rebooted`;
  if (d.state === 'crashed') return `${name} crashed`;
  return `the console closed (${name} is ${d.state}${recent ? `; last event: ${recent}` : ''})`;
}

export class ConsoleJob implements TermJob {
  /** re-attach by itself when the domain runs again */
  auto = false;
  ended: string | null = null;
  private unsubscribe: () => void;
  private waiting = false;

  constructor(private readonly host: TermHost, readonly domain: string, private force = false) {
    this.unsubscribe = host.onDomains(() => this.maybeReattach());
  }

  get title(): string { return `console ${this.domain}`; }
  /** virsh console's escape character: the pane's own leave key never reaches it */
  readonly quit = '\x1d';
  get logName(): string { return `console-${this.domain}`; }

  spec(): PtySpec {
    // a domain named like an ID ("1") would be read as the running domain with that ID: its UUID names it
    const s = consoleSpec(this.host.uri, domainArg(this.host.domain(this.domain) ?? { name: this.domain }), this.force);
    this.force = false;
    return s;
  }

  started(): void { this.ended = null; this.waiting = false; }

  private ctl: TermCtl | null = null;

  async exited(t: TermCtl, _e: unknown, out: string): Promise<void> {
    this.ctl = t;
    const why = consoleFailure(out);
    if (why === 'busy') {
      this.ended = 'another session holds the console';
      const r = await this.host.ask({
        title: `Console of ${this.domain} is in use`,
        message: [
          'Another client has this console open ("Active console session exists").',
          'Take it over? That session is disconnected (virsh console --force).',
        ],
        confirmLabel: 'Take over', cancelLabel: 'Leave it',
      });
      if (r.confirmed) { this.force = true; t.start(); } else t.note('the console is held by another session: r takes it over', 'error');
      return;
    }
    if (why === 'no-device') {
      this.ended = 'no console device';
      t.note(`${this.domain} has no serial or console device. Add these lines to <devices> (e edits the XML), then restart it:`, 'error');
      for (const l of SERIAL_XML) t.note(`  ${l}`);
      return;
    }
    // a domain that is gone takes its event history with it at the refresh: its last event is read first
    const before = this.host.lastEvent(this.domain);
    await this.host.refreshDomains();
    const d = this.host.domain(this.domain);
    const reason = consoleEndReason(this.domain, d, this.host.lastEvent(this.domain) ?? before, nowOf(this.host), this.host.name);
    this.ended = reason;
    t.note(`console ended: ${reason}. r re-attaches${this.auto ? '; it re-attaches by itself when the domain runs again' : ', a re-attaches by itself when the domain runs again'}`);
    this.waiting = true;
    this.maybeReattach();
  }

  private maybeReattach(): void {
    if (!this.auto || !this.waiting || !this.ctl || this.ctl.pane.running) return;
    if (!live(this.host.domain(this.domain))) return;
    this.waiting = false;
    this.ctl.note(`${this.domain} is running again: re-attaching`);
    this.ctl.start();
  }

  status(): string {
    if (this.ended) return `ended: ${this.ended}${this.auto ? ' (re-attach when it runs: on)' : ''}`;
    return this.auto ? 're-attach when it runs again: on' : '';
  }

  keys(t: TermCtl) {
    return [
      { keys: ['r'], label: 're-attach', help: 'open the console again (takes it over when another session holds it)', when: () => !t.pane.running, run: () => { this.force = this.ended === 'another session holds the console'; t.start(); } },
      {
        keys: ['a'], label: 'auto re-attach', help: 'toggle: re-attach by itself when the domain runs again', run: () => {
          this.auto = !this.auto;
          this.ctl = t;
          t.note(this.auto ? `re-attach when ${this.domain} runs again: on` : 're-attach by itself: off');
          if (this.auto && !t.pane.running) { this.waiting = true; this.maybeReattach(); }
        },
      },
    ];
  }

  dispose(): void { this.unsubscribe(); }
}

export class FishJob implements TermJob {
  private inspect = true;
  /** ms when the appliance started to launch; null once the prompt is there */
  private launching: number | null = null;
  /** without -i, guestfish waits for `run`: virtui types it once */
  private typedRun = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly host: TermHost, readonly target: FishTarget, readonly readonly: boolean, readonly why: string) {}

  get title(): string { return `guestfish ${this.target.name}${this.readonly ? ' (ro)' : ' (rw)'}`; }
  /** Ctrl+U Ctrl+D: an empty line, then end of input; guestfish syncs and stops its appliance */
  readonly quit = '\x15\x04';
  readonly quitGraceMs = 10_000;
  get logName(): string { return `guestfish-${this.target.name}`; }

  spec(): PtySpec {
    return guestfishSpec(this.target, { uri: this.host.uri, readonly: this.readonly, inspect: this.inspect, env: process.env });
  }

  started(t: TermCtl): void {
    this.typedRun = false;
    if (this.readonly) t.note(`read-only (--ro): ${this.why}`);
    else t.note(`read-write: ${this.why}`);
    this.progress(t);
  }

  private progress(t: TermCtl): void {
    this.launching = nowOf(this.host);
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => t.changed(), 1000);
    this.timer.unref?.();
  }

  private done(): void {
    this.launching = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  output(t: TermCtl): void {
    if (this.launching === null || !FISH_PROMPT.test(t.pane.recent)) return;
    if (!this.inspect && !this.typedRun) {
      // guestfish without -i starts at its prompt with nothing launched: `run` starts the appliance
      this.typedRun = true;
      t.pane.recent = '';
      t.pane.input('run\r');
      return;
    }
    this.done();
    t.pane.recent = '';
    t.changed();
  }

  exited(t: TermCtl, e: { code: number }, out: string): void {
    this.done();
    if (this.inspect && FISH_NO_OS.test(out)) {
      this.inspect = false;
      t.note('no operating system was found to mount (-i). Starting again without -i: list-filesystems, then mount-ro DEVICE / by hand.');
      t.start();
      return;
    }
    // the pane stays: closing it under the user's fingers would hand what they type next to the list
    if (e.code === 0) { t.note('guestfish ended: x closes the pane'); return; }
    t.note(`guestfish ended with exit code ${e.code}`, 'error');
  }

  status(): string {
    const ro = this.readonly ? 'READ-ONLY' : 'read-write';
    if (this.launching === null) return ro;
    const s = Math.round((nowOf(this.host) - this.launching) / 1000);
    return `${ro} · starting the libguestfs appliance… ${s} s (first time: 20-40 s)`;
  }

  dispose(): void { this.done(); }
}

export class ShellJob implements TermJob {
  constructor(private readonly host: TermHost) {}
  get title(): string { return 'virsh'; }
  get logName(): string { return 'virsh-shell'; }
  spec(): PtySpec { return shellSpec(this.host.uri, this.host.readonly); }
  exited(t: TermCtl, e: { code: number }): void {
    // the pane stays (x closes it): `exit` then a letter must not act on the list
    if (e.code === 0) t.note('virsh ended: x closes the pane');
    else t.note(`virsh ended with exit code ${e.code}`, 'error');
  }
}

/** Any program (the screen tests, a hostile-output check, virt-install); `ended` hears its exit code, null when its pane was closed first. */
export class ProgramJob implements TermJob {
  constructor(readonly title: string, private readonly s: PtySpec, private ended?: (code: number | null, out: string) => void) {}
  get logName(): string { return this.title; }
  spec(): PtySpec { return this.s; }
  exited(t: TermCtl, e: { code: number }, out: string): void {
    t.note(`${this.title} ended (exit code ${e.code})`);
    this.ended?.(e.code, out);
    this.ended = undefined;
  }
  dispose(): void { this.ended?.(null, ''); this.ended = undefined; }
}
