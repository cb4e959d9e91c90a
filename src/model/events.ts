// The lifecycle event stream: `virsh event --all --loop --timestamp` in its own process (an
// interactive session cannot wait for events and answer commands at once). Restarted with a
// growing delay when it ends; `live` says whether it runs.
import { EventEmitter } from 'node:events';
import { streamLines, type LineStream } from '../virsh/spawn.ts';
import { parseEventLine, type DomainEvent } from '../libvirt/events.ts';
import { isTestDriver } from '../libvirt/uri.ts';

export interface EventStreamOptions {
  uri: string;
  readonly: boolean;
  /** the names of the domains, to settle a name with "': " in it */
  known?: () => ReadonlySet<string>;
  /** tests give their own process */
  spawn?: typeof streamLines;
  virsh?: string;
}

/** Events: 'event' (DomainEvent), 'live' (boolean). */
export class EventStream extends EventEmitter {
  live = false;
  private stream: LineStream | null = null;
  private stopped = true;
  private delay = 2000;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: EventStreamOptions) { super(); }

  /** The test driver's world lives in each connection: another process would never see its events. */
  static usable(uri: string): boolean { return !isTestDriver(uri); }

  start(): void {
    if (!this.stopped || !EventStream.usable(this.opts.uri)) return;
    this.stopped = false;
    this.open();
  }

  private open(): void {
    const spawn = this.opts.spawn ?? streamLines;
    const args = [...(this.opts.readonly ? ['-r'] : []), '-c', this.opts.uri, 'event', '--all', '--loop', '--timestamp'];
    const started = Date.now();
    this.stream = spawn(this.opts.virsh ?? 'virsh', args, (line) => {
      const e = parseEventLine(line, this.opts.known?.());
      if (!e) return;
      this.setLive(true);
      this.delay = 2000;
      this.emit('event', { ...e, t: e.t ?? Date.now() } satisfies DomainEvent);
    }, () => {
      this.stream = null;
      this.setLive(false);
      if (this.stopped) return;
      // a stream that ran a while is restarted at once; one that keeps failing, less and less often
      if (Date.now() - started > 60_000) this.delay = 2000;
      this.timer = setTimeout(() => { this.timer = null; if (!this.stopped) this.open(); }, this.delay);
      this.timer.unref?.();
      this.delay = Math.min(this.delay * 2, 60_000);
    });
    // virsh prints nothing until the first event: count it live once it has had time to connect
    setTimeout(() => { if (this.stream && !this.stopped) this.setLive(true); }, 1500).unref?.();
  }

  private setLive(v: boolean): void {
    if (this.live === v) return;
    this.live = v;
    this.emit('live', v);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stream?.stop();
    this.stream = null;
    this.setLive(false);
  }
}
