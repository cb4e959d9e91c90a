// Fitting text into cells by display width. Pure.
import { strWidth } from './blessed-compat.ts';
import { humanKiB, humanPair } from '../libvirt/units.ts';

export type Align = 'left' | 'right';

/** Truncates (with …) or pads `s` to exactly `width` cells. */
export function fit(s: string, width: number, align: Align = 'left'): string {
  if (width <= 0) return '';
  let w = strWidth(s);
  if (w > width) {
    let out = '';
    w = 0;
    for (const ch of s) {
      const cw = strWidth(ch);
      if (w + cw > width - 1) break;
      out += ch;
      w += cw;
    }
    s = out + '…';
    w += 1;
  }
  const pad = ' '.repeat(Math.max(0, width - w));
  return align === 'right' ? pad + s : s + pad;
}

/** "test:///very/long/path/world.xml" -> "test:///ve…/world.xml" when it does not fit */
export function middleEllipsis(s: string, width: number): string {
  if (strWidth(s) <= width) return s;
  const chars = [...s];
  const head = Math.ceil((width - 1) / 2);
  const tail = width - 1 - head;
  return chars.slice(0, head).join('') + '…' + (tail > 0 ? chars.slice(-tail).join('') : '');
}

// the one size formatter lives with the pure code below the UI (jobs and checks use it too); the screens import it from here
export { humanKiB, humanPair };

/** seconds -> "12.3s", "4m05s", "3h02m", "12d04h" */
export function humanSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '-';
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

/**
 * `s` in lines of at most `width` cells: broken at spaces, and a word longer than a line (a
 * 200-character name, a path) broken anywhere. Continuation lines get `indent` spaces.
 */
export function wrapText(s: string, width: number, indent = 0): string[] {
  width = Math.max(1, width);
  indent = Math.min(indent, Math.floor(width / 3));
  const out: string[] = [];
  const lead = /^ */.exec(s)![0];
  let cur = lead;
  let curW = lead.length;
  /** no word on the current line yet */
  let fresh = true;
  const room = () => width - (out.length ? indent : 0);
  const push = () => { out.push((out.length ? ' '.repeat(indent) : '') + cur); cur = ''; curW = 0; fresh = true; };
  for (const word of s.slice(lead.length).split(' ')) {
    const w = strWidth(word);
    if (!fresh && curW + 1 + w > room()) push();
    else if (!fresh) { cur += ' '; curW += 1; }
    fresh = false;
    if (w <= room() - curW) { cur += word; curW += w; continue; }
    for (const ch of word) {
      const cw = strWidth(ch);
      if (curW + cw > room() && curW > 0) push();
      cur += ch;
      curW += cw;
    }
    fresh = false;
  }
  if (cur || !out.length) push();
  return out;
}

export interface StatusParts {
  /** "✗ ", "✓ " or "" */
  icon?: string;
  /** what ran, e.g. "virsh start web-01" */
  command?: string;
  /** the result or the error line */
  reason: string;
  hint?: string;
}

/**
 * The status line in `width` cells: "✗ virsh start web-01: error: ... — hint" when it fits;
 * otherwise the reason comes first (it is what the user must read), then the hint, and the
 * command last, shortened in its middle or left out: "✗ error: ... — hint  (virsh sta…eb-01)".
 */
export function statusText(p: StatusParts, width: number): string {
  const icon = p.icon ?? '';
  const hint = p.hint ? ` — ${p.hint}` : '';
  const full = `${icon}${p.command ? `${p.command}: ` : ''}${p.reason}${hint}`;
  if (strWidth(full) <= width) return full;
  let out = `${icon}${p.reason}`;
  if (strWidth(out) >= width) return fit(out, width);
  out = strWidth(out + hint) <= width ? out + hint : fit(out + hint, width);
  const room = width - strWidth(out) - 4;
  // a command shortened to less than a dozen cells says nothing
  if (p.command && room >= 12) out += `  (${middleEllipsis(p.command, room)})`;
  return out;
}

/** "1 pool", "2 pools", "1 entry", "3 entries": a count and its noun in the right number. */
export function plural(n: number, noun: string, many?: string): string {
  if (n === 1) return `${n} ${noun}`;
  return `${n} ${many ?? (/[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`)}`;
}

const SIZE_UNITS: Record<string, bigint> = { '': 1n, b: 1n, k: 1024n, m: 1024n ** 2n, g: 1024n ** 3n, t: 1024n ** 4n, p: 1024n ** 5n, e: 1024n ** 6n };

/**
 * "10G", "512M", "1.5GiB", "1000000" (bytes) -> bytes, exactly (a BigInt: 99999T is more than
 * 2^53 bytes, which a number would round); undefined when it is not a size. As virsh reads them:
 * K, KiB, M, MiB ... are powers of 1024, KB, MB, GB ... powers of 1000.
 */
export function parseSize(s: string): bigint | undefined {
  const m = /^\s*(\d+)(?:\.(\d+))?\s*([kmgtpe]?)(i?b)?\s*$/i.exec(s) ?? /^\s*(\d+)()\s*(b)()\s*$/i.exec(s);
  if (!m) return undefined;
  const letter = m[3]!.toLowerCase();
  const unit = letter && m[4]?.toLowerCase() === 'b' ? 1000n ** BigInt('kmgtpe'.indexOf(letter) + 1) : SIZE_UNITS[letter]!;
  const frac = m[2] ?? '';
  const scale = 10n ** BigInt(frac.length);
  // rounded to the nearest byte: 0.1K is 102 bytes
  return (BigInt(m[1]! + frac) * unit * 2n + scale) / (2n * scale);
}

/** bytes in the largest unit that holds them exactly ("10G", "1536M", "1000001"): a default that never rounds */
export function exactSize(bytes: bigint | number): string {
  const b = typeof bytes === 'bigint' ? bytes : BigInt(Math.round(bytes));
  for (const u of ['E', 'P', 'T', 'G', 'M', 'K']) {
    const f = SIZE_UNITS[u.toLowerCase()]!;
    if (b >= f && b % f === 0n) return `${b / f}${u}`;
  }
  return String(b);
}

/** `s` padded with spaces to `width` cells (by display width, so 🚀 counts two); never cut. */
export function padCells(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - strWidth(s)));
}
