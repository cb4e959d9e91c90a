// send-key's keys for a line of text, where a display listens (domdisplay on lab 1, the XML),
// and the ssh -L that tunnels it from the operator's machine.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  displayFromXml, keysFor, parseDomdisplay, sendKeyArgs, sshTarget, SPECIAL_KEYS, tunnelCommand, typeText, viewerUri,
} from '../../src/libvirt/display.ts';
import { noGraphicsLines, screenInfoLines } from '../../screens/domains/screen.ts';
import { FIXTURES } from '../helpers.ts';

test('characters to keys: letters, capitals and symbols with shift, digits, space', (t) => {
  t.deepEqual(keysFor('e'), ['KEY_E']);
  t.deepEqual(keysFor('E'), ['KEY_LEFTSHIFT', 'KEY_E']);
  t.deepEqual(keysFor('7'), ['KEY_7']);
  t.deepEqual(keysFor('&'), ['KEY_LEFTSHIFT', 'KEY_7']);
  t.deepEqual(keysFor('|'), ['KEY_LEFTSHIFT', 'KEY_BACKSLASH']);
  t.deepEqual(keysFor('/'), ['KEY_SLASH']);
  t.deepEqual(keysFor(' '), ['KEY_SPACE']);
  t.is(keysFor('é'), null);
  const typed = typeText('echo hi');
  t.true(typed.ok);
  if (typed.ok) t.deepEqual(typed.presses, [['KEY_E'], ['KEY_C'], ['KEY_H'], ['KEY_O'], ['KEY_SPACE'], ['KEY_H'], ['KEY_I']]);
});

test('a character without a key is refused with the reason, naming it', (t) => {
  t.deepEqual(typeText('naïve'), { ok: false, reason: "U+00EF 'ï' has no key on a US keyboard: send-key sends key codes, not characters" });
  t.deepEqual(typeText('a\u0007'), { ok: false, reason: 'U+0007 has no key on a US keyboard: send-key sends key codes, not characters' });
  t.deepEqual(typeText(''), { ok: true, presses: [] });
});

test('send-key arguments: --domain, the linux codeset; the special keys', (t) => {
  t.deepEqual(sendKeyArgs({ name: '-x' }, ['KEY_ENTER']), ['send-key', '--domain', '-x', '--codeset', 'linux', 'KEY_ENTER']);
  t.deepEqual(SPECIAL_KEYS.map((k) => k.name), ['Enter', 'Ctrl+Alt+Del', ...[1, 2, 3, 4, 5, 6, 7].map((n) => `Ctrl+Alt+F${n}`)]);
  t.truthy(SPECIAL_KEYS.find((k) => k.name === 'Ctrl+Alt+Del')!.warn);
  t.deepEqual(SPECIAL_KEYS.find((k) => k.name === 'Ctrl+Alt+F7')!.keys, ['KEY_LEFTCTRL', 'KEY_LEFTALT', 'KEY_F7']);
});

test('domdisplay: a VNC display number is a port from 5900; SPICE gives the port', (t) => {
  const d = parseDomdisplay(readFileSync(join(FIXTURES, 'screen', 'domdisplay-vnc.txt'), 'utf8'));
  t.deepEqual(d, { type: 'vnc', host: '127.0.0.1', port: 5900, uri: 'vnc://127.0.0.1:0' });
  t.deepEqual(parseDomdisplay('spice://192.168.1.5:5902\n'), { type: 'spice', host: '192.168.1.5', port: 5902, uri: 'spice://192.168.1.5:5902' });
  t.is(parseDomdisplay(''), null);
  t.deepEqual(displayFromXml({ type: 'vnc', port: '5903', listen: '0.0.0.0' }), { type: 'vnc', host: '0.0.0.0', port: 5903, uri: 'vnc://0.0.0.0:3' });
  t.is(displayFromXml({ type: 'vnc', port: '-1', listen: '' }), null);
});

test('the ssh -L command: the host from the URI (user, port), loopback for a display on every address, this machine for a local URI', (t) => {
  const vnc = { type: 'vnc', host: '127.0.0.1', port: 5901, uri: 'vnc://127.0.0.1:1' };
  t.is(tunnelCommand('qemu+ssh://root@kvm1.example.com/system', vnc, 'here'), 'ssh -N -L 5901:127.0.0.1:5901 root@kvm1.example.com');
  t.is(tunnelCommand('qemu+ssh://root@127.0.0.1:2222/system?keyfile=/k&no_verify=1', vnc, 'here'), 'ssh -p 2222 -N -L 5901:127.0.0.1:5901 root@127.0.0.1');
  t.is(tunnelCommand('qemu:///system', { ...vnc, host: '0.0.0.0' }, 'virthost'), 'ssh -N -L 5901:127.0.0.1:5901 virthost');
  t.is(tunnelCommand('qemu+tcp://kvm2/system', { ...vnc, host: '10.0.0.9' }, 'here'), 'ssh -N -L 5901:10.0.0.9:5901 kvm2');
  t.is(tunnelCommand('qemu+ssh://kvm3/system', { ...vnc, host: 'fe80::1' }, 'here'), "ssh -N -L '5901:[fe80::1]:5901' kvm3");
  // pasted into the operator's shell: a listen address from the guest's XML, a user from the URI, are words, never commands
  t.is(tunnelCommand("qemu+ssh://o'k@kvm3/system", { ...vnc, host: 'x;$(reboot)' }, 'here'), "ssh -N -L '5901:x;$(reboot):5901' 'o'\\''k@kvm3'");
  t.deepEqual(sshTarget('qemu:///system', 'h'), { login: 'h', local: true });
  t.is(viewerUri(vnc), 'vnc://localhost:1');
});

test('the Screen tab\'s lines: the display and tunnel, the state; a guest without graphics gets the XML', (t) => {
  const base = { name: 'g', state: 'running', graphics: true, display: { type: 'vnc', host: '127.0.0.1', port: 5900, uri: 'vnc://127.0.0.1:0' }, tunnel: 'ssh -N -L 5900:127.0.0.1:5900 h', readonly: false, rate: 2, paused: false, shot: null, error: '', busy: true };
  t.deepEqual(screenInfoLines(base), ['vnc://127.0.0.1:0 · ssh -N -L 5900:127.0.0.1:5900 h · y copies', 'taking a screenshot… · every 2 s']);
  t.regex(screenInfoLines({ ...base, state: 'shut off' })[1]!, /g is shut off: no picture until it runs/);
  t.regex(screenInfoLines({ ...base, paused: true })[1]!, /paused \(space resumes\)/);
  t.regex(screenInfoLines({ ...base, error: 'boom' })[1]!, /screenshot failed: boom/);
  // a guest that stopped: its state, not the screenshot that failed as it went down
  t.regex(screenInfoLines({ ...base, error: 'boom', state: 'shut off' })[1]!, /g is shut off: no picture until it runs/);
  t.regex(noGraphicsLines('g').join('\n'), /<graphics type='vnc' port='-1' autoport='yes' listen='127\.0\.0\.1'\/>\n {4}<video>/);
});
