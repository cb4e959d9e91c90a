// The pure parts of the terminal panes: the commands, what their output means, the leave key.
import test from 'ava';
import { consoleFailure, consoleSpec, FISH_NO_OS, FISH_PROMPT, guestfishSpec, plainText, SERIAL_XML, shellSpec } from '../../src/pty/commands.ts';
import { ConsoleJob, consoleEndReason } from '../../screens/terminal/jobs.ts';
import { keyLabel, leaveKeyByte } from '../../src/ui/keymap.ts';
import { keyName } from '../../src/ui/blessed-compat.ts';
import { parseArgs, UsageError } from '../../src/cli.ts';
import { parseDomainXml } from '../../src/libvirt/domxml.ts';
import { HOSTILE_NAMES } from '../helpers.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { TermCtl } from '../../screens/terminal/view.ts';

test('virsh console and the virsh shell: argument arrays, a hostile name is the value of --domain', (t) => {
  for (const name of HOSTILE_NAMES) {
    const s = consoleSpec('qemu:///system', name);
    t.deepEqual(s.args, ['-c', 'qemu:///system', 'console', '--domain', name]);
  }
  t.deepEqual(consoleSpec('qemu:///system', 'a', true).args, ['-c', 'qemu:///system', 'console', '--force', '--domain', 'a']);
  t.deepEqual(shellSpec('qemu:///system', true).args, ['-r', '-c', 'qemu:///system']);
  t.deepEqual(shellSpec('test:///default', false).args, ['-c', 'test:///default']);
});

test('guestfish: --ro or --rw, -d through libvirt or -a for a volume, -i when asked, the backend settings passed on', (t) => {
  const env = { LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg', PATH: '/bin', HOME: '/root' };
  const d = guestfishSpec({ kind: 'domain', name: '$(id)' }, { uri: 'qemu:///system', readonly: true, inspect: true, env });
  t.is(d.file, 'guestfish');
  t.deepEqual(d.args, ['--ro', '-c', 'qemu:///system', '-d', '$(id)', '-i']);
  t.deepEqual(d.env, { LIBGUESTFS_BACKEND: 'direct', LIBGUESTFS_BACKEND_SETTINGS: 'force_tcg' });
  const v = guestfishSpec({ kind: 'volume', name: 'x', path: '/var/lib/a b.qcow2', format: 'qcow2' }, { uri: 'qemu:///system', readonly: false, inspect: false, env: { LIBGUESTFS_BACKEND: 'libvirt' } });
  t.deepEqual(v.args, ['--rw', '--format=qcow2', '-a', '/var/lib/a b.qcow2']);
  t.is(v.env!['LIBGUESTFS_BACKEND'], 'libvirt', 'a backend the user chose is kept');
  t.false('LIBGUESTFS_BACKEND_SETTINGS' in v.env!);
});

test('what guestfish and virsh console print, as they print it', (t) => {
  // captured on the lab (virsh 9.0.0, libguestfs 1.48)
  t.is(consoleFailure("Connected to domain 'lab-beta'\nEscape character is ^] (Ctrl + ])\nerror: operation failed: Active console session exists for this domain\n"), 'busy');
  t.is(consoleFailure('error: internal error: cannot find character device <null>'), 'no-device');
  t.is(consoleFailure("Connected to domain 'lab-alpha'\nEscape character is ^] (Ctrl + ])\n"), null);
  t.regex('guestfish: no operating system was found on this disk\n\nIf using guestfish ‘-i’ option, remove this option', FISH_NO_OS);
  t.regex('Welcome to guestfish, the guest filesystem shell for\n\n><fs> ', FISH_PROMPT);
  t.notRegex('><fs> run\n', FISH_PROMPT, 'the prompt with a command typed is not a new prompt');
});

test('the XML offered for a domain without a console gives it one', (t) => {
  const none = "<domain type='qemu'><name>x</name><devices><disk type='file' device='disk'><target dev='vda'/></disk></devices></domain>";
  t.is(parseDomainXml(none).consoles, 0);
  const added = none.replace('</devices>', `${SERIAL_XML.join('\n')}</devices>`);
  t.is(parseDomainXml(added).consoles, 2);
});

test('the log keeps text: escape sequences, OSC, DCS and CR before LF are dropped', (t) => {
  t.is(plainText('a\x1b[31mred\x1b[0m\r\n\x1b]0;title\x07b\x1b]52;c;eA==\x1b\\c\x1bP+q54\x1b\\d\x1b7\x1b8e\x07\r\n'), 'ared\nbcde\n');
  t.is(plainText('ünï-🚀\ttab'), 'ünï-🚀\ttab');
});

const dom = (state: Domain['state'], id: number | null): Domain => ({ name: 'lab-alpha', id, state, autostart: false, persistent: true, managedSave: false });

test('why a console ended, from the domain now and its last event', (t) => {
  const now = 1_000_000;
  t.is(consoleEndReason('lab-alpha', dom('shut off', null), { text: 'Stopped Destroyed', t: now - 500 }, now, 'lab1'), 'lab-alpha was destroyed');
  t.is(consoleEndReason('lab-alpha', undefined, undefined, now, 'lab1'), 'lab-alpha is no longer on lab1');
  t.is(consoleEndReason('lab-alpha', undefined, { text: 'Stopped Migrated', t: now - 500 }, now, 'lab1'), 'lab-alpha migrated away: it is no longer on lab1');
  t.is(consoleEndReason('lab-alpha', undefined, { text: 'Undefined Removed', t: now - 500 }, now, 'lab1'), 'lab-alpha was undefined: it is no longer on lab1');
  t.is(consoleEndReason('lab-alpha', dom('running', 4), { text: 'Started FromSnapshot', t: now - 500 }, now, 'lab1'), 'lab-alpha was reverted to a snapshot and runs again');
  t.is(consoleEndReason('lab-alpha', dom('shut off', null), { text: 'Stopped Shutdown', t: now - 500 }, now, 'lab1'), 'lab-alpha stopped (Stopped Shutdown)');
  t.is(consoleEndReason('lab-alpha', dom('shut off', null), { text: 'Stopped Destroyed', t: now - 3_600_000 }, now, 'lab1'), 'lab-alpha is shut off', 'an old event is not the reason');
  t.regex(consoleEndReason('lab-alpha', dom('running', 4), undefined, now, 'lab1'), /the console closed \(lab-alpha is running/);
});

test('a console whose guest migrated away says so, though the refresh forgets the guest and its events', async (t) => {
  let doms: Domain[] = [dom('running', 4)];
  let events: Array<{ text: string; t: number }> = [{ text: 'Stopped Migrated', t: 999 }];
  const host = { uri: 'qemu:///system', name: 'lab1', readonly: false, env: {}, ask: async () => ({ confirmed: false, checked: {} }),
    domain: (n: string) => doms.find((d) => d.name === n), refreshDomains: async () => { doms = []; events = []; },
    lastEvent: () => events.at(-1), onDomains: () => () => {}, now: () => 1_000 };
  const notes: string[] = [];
  const ctl = { pane: { running: false }, start: () => {}, note: (x: string) => { notes.push(x); }, close: () => {}, changed: () => {}, ending: false } as unknown as TermCtl;
  const job = new ConsoleJob(host, 'lab-alpha');
  await job.exited(ctl, null, '');
  t.regex(notes[0]!, /^console ended: lab-alpha migrated away: it is no longer on lab1\. r re-attaches/);
  t.notRegex(notes.join('\n'), /undefined/);
  t.is(job.status(), 'ended: lab-alpha migrated away: it is no longer on lab1');
});

test('the leave key: Ctrl keys only, named as blessed names them, shown as ^]', (t) => {
  t.is(leaveKeyByte('C-]'), '\x1d');
  t.is(leaveKeyByte('C-a'), '\x01');
  t.is(leaveKeyByte('C-\\'), '\x1c');
  for (const bad of ['C-[', 'C-m', 'C-i', 'x', ']', 'M-x', 'C-@']) t.is(leaveKeyByte(bad), null, bad);
  t.is(keyName('\x1d', { sequence: '\x1d', full: '\x1d' }), 'C-]', 'blessed gives no name, so full is the character');
  t.is(keyName('\x1c', { sequence: '\x1c', full: '\x1c' }), 'C-\\');
  t.is(keyLabel('C-]'), '^]');
  t.is(parseArgs([]).paneKey, 'C-]');
  t.is(parseArgs(['--pane-key', 'C-B']).paneKey, 'C-b');
  t.throws(() => parseArgs(['--pane-key', 'x']), { instanceOf: UsageError });
});

test('the console of a domain named like an ID goes by its UUID: --domain 1 is the running domain with ID 1', (t) => {
  const doms: Record<string, Domain> = { '1': { name: '1', uuid: '5a1e-uuid', id: null, state: 'shut off', autostart: false, persistent: true, managedSave: false } as Domain };
  const host = { uri: 'qemu:///system', name: 'kvm1', readonly: false, env: {}, ask: async () => ({ confirmed: false, checked: {} }), domain: (n: string) => doms[n],
    refreshDomains: async () => {}, lastEvent: () => undefined, onDomains: () => () => {}, now: () => 0 };
  t.deepEqual(new ConsoleJob(host, '1').spec().args, ['-c', 'qemu:///system', 'console', '--domain', '5a1e-uuid']);
  t.deepEqual(new ConsoleJob(host, 'web 01').spec().args, ['-c', 'qemu:///system', 'console', '--domain', 'web 01']);
});
