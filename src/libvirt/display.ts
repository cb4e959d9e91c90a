// A guest's display from outside: the keys `virsh send-key` types, where its VNC/SPICE display
// listens (`domdisplay`, the XML) and the `ssh -L` command that brings it to the operator's
// machine. Pure.
import { domainArg } from './parse.ts';
import { shellQuote } from '../virsh/quote.ts';

/** US layout: a character's key, and whether shift is held with it */
const PLAIN: Record<string, string> = {
  ' ': 'KEY_SPACE', '\t': 'KEY_TAB', '-': 'KEY_MINUS', '=': 'KEY_EQUAL', '[': 'KEY_LEFTBRACE', ']': 'KEY_RIGHTBRACE',
  ';': 'KEY_SEMICOLON', "'": 'KEY_APOSTROPHE', '`': 'KEY_GRAVE', '\\': 'KEY_BACKSLASH', ',': 'KEY_COMMA', '.': 'KEY_DOT', '/': 'KEY_SLASH',
};
const SHIFTED: Record<string, string> = {
  '_': 'KEY_MINUS', '+': 'KEY_EQUAL', '{': 'KEY_LEFTBRACE', '}': 'KEY_RIGHTBRACE', ':': 'KEY_SEMICOLON', '"': 'KEY_APOSTROPHE',
  '~': 'KEY_GRAVE', '|': 'KEY_BACKSLASH', '<': 'KEY_COMMA', '>': 'KEY_DOT', '?': 'KEY_SLASH',
  '!': 'KEY_1', '@': 'KEY_2', '#': 'KEY_3', '$': 'KEY_4', '%': 'KEY_5', '^': 'KEY_6', '&': 'KEY_7', '*': 'KEY_8', '(': 'KEY_9', ')': 'KEY_0',
};

/** The keys pressed together for one character, or null when a US keyboard has no key for it. */
export function keysFor(ch: string): string[] | null {
  if (/^[a-z]$/.test(ch)) return [`KEY_${ch.toUpperCase()}`];
  if (/^[A-Z]$/.test(ch)) return ['KEY_LEFTSHIFT', `KEY_${ch}`];
  if (/^[0-9]$/.test(ch)) return [`KEY_${ch}`];
  if (PLAIN[ch]) return [PLAIN[ch]];
  if (SHIFTED[ch]) return ['KEY_LEFTSHIFT', SHIFTED[ch]];
  return null;
}

export type TypedKeys = { ok: true; presses: string[][] } | { ok: false; reason: string };

/**
 * A line of text as key presses, one per character. send-key sends key codes, not characters:
 * what the guest makes of them depends on its keyboard layout (US assumed), and a character
 * with no key of its own (é, a control character) cannot be sent at all.
 */
export function typeText(text: string): TypedKeys {
  const presses: string[][] = [];
  for (const ch of text) {
    const k = keysFor(ch);
    if (!k) {
      const shown = /^[\x20-\x7e]$/.test(ch) ? `'${ch}'` : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}${/\p{L}|\p{N}|\p{P}|\p{S}/u.test(ch) ? ` '${ch}'` : ''}`;
      return { ok: false, reason: `${shown} has no key on a US keyboard: send-key sends key codes, not characters` };
    }
    presses.push(k);
  }
  return { ok: true, presses };
}

/** The special keys offered, each one press of the keys together. */
export const SPECIAL_KEYS: ReadonlyArray<{ name: string; keys: string[]; warn?: string }> = [
  { name: 'Enter', keys: ['KEY_ENTER'] },
  { name: 'Ctrl+Alt+Del', keys: ['KEY_LEFTCTRL', 'KEY_LEFTALT', 'KEY_DELETE'], warn: 'many guests reboot (or power off) at once on it' },
  ...[1, 2, 3, 4, 5, 6, 7].map((n) => ({ name: `Ctrl+Alt+F${n}`, keys: ['KEY_LEFTCTRL', 'KEY_LEFTALT', `KEY_F${n}`] })),
];

/** `send-key --domain D --codeset linux KEY...` */
export function sendKeyArgs(dom: { name: string; id?: number | null }, keys: readonly string[]): string[] {
  return ['send-key', '--domain', domainArg(dom), '--codeset', 'linux', ...keys];
}

export interface Display { type: string; host: string; port: number; uri: string }

/** `virsh domdisplay` says "vnc://127.0.0.1:0" (a VNC display number) or "spice://host:5900". */
export function parseDomdisplay(out: string): Display | null {
  const uri = out.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  const m = /^([a-z]+):\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/?]+)(?::(\d+))?/i.exec(uri);
  if (!m) return null;
  const type = m[1]!.toLowerCase();
  const n = m[3] === undefined ? (type === 'vnc' ? 0 : NaN) : Number(m[3]);
  if (!Number.isFinite(n)) return null;
  return { type, host: m[2]!.replace(/^\[|\]$/g, ''), port: type === 'vnc' ? 5900 + n : n, uri };
}

/** The same from the XML's <graphics> (what a display without domdisplay's answer, or a shut-off guest, has). */
export function displayFromXml(g: { type: string; port: string; listen: string }): Display | null {
  const port = Number(g.port);
  if (!(port > 0)) return null;
  const host = g.listen || '127.0.0.1';
  return { type: g.type, host, port, uri: `${g.type}://${host}:${g.type === 'vnc' ? port - 5900 : port}` };
}

/** The SSH login and port in a connection URI (qemu+ssh://root@kvm1:2222/system), or this machine's name for a local one. */
export function sshTarget(connUri: string, localHost: string): { login: string; port?: number; local: boolean } {
  const m = /^[a-z][a-z0-9.+-]*:\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?/i.exec(connUri);
  const host = m?.[2]?.replace(/^\[|\]$/g, '') ?? '';
  if (!host) return { login: localHost, local: true };
  const ssh = /^[a-z0-9]+\+ssh:/i.test(connUri);
  return { login: `${m![1] ? `${m![1]}@` : ''}${host}`, port: ssh && m![3] ? Number(m![3]) : undefined, local: false };
}

/**
 * The command that tunnels the display to the operator's machine: the display as the host sees
 * it (a display listening on every address is reached on the host's loopback), on the same local port.
 */
export function tunnelCommand(connUri: string, d: Display, localHost: string): string {
  const t = sshTarget(connUri, localHost);
  const target = /^(0\.0\.0\.0|::|localhost|127\.[0-9.]+|::1)$/.test(d.host) ? '127.0.0.1' : d.host.includes(':') ? `[${d.host}]` : d.host;
  // quoted: it is pasted into a shell, and the address comes from the guest's XML
  return ['ssh', ...(t.port ? ['-p', String(t.port)] : []), '-N', '-L', `${d.port}:${target}:${d.port}`, t.login].map(shellQuote).join(' ');
}

/** What a viewer on the operator's machine opens once the tunnel is up */
export function viewerUri(d: Display): string {
  return d.type === 'vnc' ? `vnc://localhost:${d.port - 5900}` : `${d.type}://localhost:${d.port}`;
}

/** The <devices> lines that give a guest a VNC display and a video card (what virt-install adds). */
export const GRAPHICS_XML = [
  "<graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>",
  '<video>',
  "  <model type='vga'/>",
  '</video>',
];
