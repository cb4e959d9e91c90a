// `virsh event --all --loop --timestamp` lines. Pure.

export interface DomainEvent {
  /** ms since the epoch, from virsh's timestamp; undefined without --timestamp */
  t?: number;
  /** lifecycle, reboot, device-added ... */
  event: string;
  domain: string;
  /** "Suspended Paused", "Stopped Destroyed" ... (may be empty) */
  detail: string;
}

// 2026-11-22 05:20:41.059+0000: event 'lifecycle' for domain 'lab-beta': Resumed Unpaused
const LINE = /^(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)([+-]\d{4}): )?event '([^']+)' for domain '(.*)'(?:: (.*))?$/;

/**
 * One event line, or undefined for anything else ("events received: 3"). virsh prints the
 * name between quotes without escaping: the greedy match takes up to the last quote that is
 * followed by ": " or the end, and `known` (the domain names) settles a name holding "': ".
 */
export function parseEventLine(line: string, known?: ReadonlySet<string>): DomainEvent | undefined {
  const m = LINE.exec(line.replace(/\r$/, ''));
  if (!m) return undefined;
  let domain = m[4]!;
  let detail = m[5] ?? '';
  if (known && !known.has(domain)) {
    // try the shorter splits: "a': b" could be the name "a" and the detail "b"
    const whole = `${domain}': ${detail}`;
    for (let i = whole.indexOf("': "); i >= 0; i = whole.indexOf("': ", i + 1)) {
      if (known.has(whole.slice(0, i))) { domain = whole.slice(0, i); detail = whole.slice(i + 3); break; }
    }
  }
  let t: number | undefined;
  if (m[1]) {
    const tz = m[2]!;
    t = Date.parse(`${m[1].replace(' ', 'T')}${tz.slice(0, 3)}:${tz.slice(3)}`);
    if (!Number.isFinite(t)) t = undefined;
  }
  return { t, event: m[3]!, domain, detail: detail.trim() };
}

/** events after which the domain list is stale */
export const REFRESHING_EVENTS: ReadonlySet<string> = new Set([
  'lifecycle', 'reboot', 'device-added', 'device-removed', 'pm-wakeup', 'pm-suspend', 'pm-suspend-disk', 'balloon-change', 'control-error',
]);

/** events drawn as marks on the charts, with the words shown */
export function markText(e: DomainEvent): string | undefined {
  if (e.event === 'lifecycle') return e.detail || 'lifecycle';
  if (e.event === 'reboot') return 'Rebooted';
  if (e.event === 'control-error') return 'Control error';
  return undefined;
}
