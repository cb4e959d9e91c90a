// The config file's theme, key remaps and user commands (issue 17): parsed with the line of each
// mistake; remaps checked against every key live at the same time; placeholders filled in as
// argv entries; the action log as a shell script; the theme NO_COLOR and the terminal choose.
import test from 'ava';
import { parseConfig, ConfigError } from '../../src/config.ts';
import { planRemaps, applyRemaps, actionName } from '../../src/ui/remap.ts';
import { fillArgs, uriHost } from '../../src/usercmd.ts';
import { logScript, type LogEntry } from '../../src/model/actionlog.ts';
import { chooseTheme } from '../../src/ui/theme.ts';
import { splitCommandLine } from '../../src/virsh/quote.ts';
import { DOMAIN_ACTIONS } from '../../screens/domains/actions.ts';
import { KEY_SCREENS } from '../../screens/index.ts';
import { DASH_NAMES, HOSTILE_NAMES } from '../helpers.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';

const FILE = `theme: mono
keys:
  destroy: K
  shutdown: ctrl-x
commands:
  - name: ping
    key: P
    screens: [domains, fleet]
    command: ping -c 3 "$NAME"
    confirm: true
  - name: du
    key: Z
    screens: volumes
    command: [du, -sh, $POOL/$NAME]
    mode: job
`;

test('theme, keys and commands parse; a key that is no key is refused with its line', (t) => {
  const bad = t.throws(() => parseConfig(FILE, 'c.yaml'), { instanceOf: ConfigError })!;
  t.is(bad.message, 'c.yaml:4:13: keys: shutdown: "ctrl-x" is not a key (one character, C-x, f1-f12, space, enter, tab, up ...)');
  const c = parseConfig(FILE.replace('ctrl-x', 'C-x'), 'c.yaml');
  t.is(c.theme, 'mono');
  t.deepEqual(c.keys, [{ action: 'destroy', key: 'K', line: 3 }, { action: 'shutdown', key: 'C-x', line: 4 }]);
  t.deepEqual(c.commands, [
    { name: 'ping', key: 'P', screens: ['domains', 'fleet'], argv: ['ping', '-c', '3', '$NAME'], mode: 'pane', confirm: true, readonly: false, line: 6 },
    { name: 'du', key: 'Z', screens: ['volumes'], argv: ['du', '-sh', '$POOL/$NAME'], mode: 'job', confirm: false, readonly: false, line: 11 },
  ]);
  const err = (text: string) => (t.throws(() => parseConfig(text, 'c.yaml'), { instanceOf: ConfigError }) as ConfigError).message;
  t.is(err('theme: solarized\n'), 'c.yaml:1:8: theme: expected one of default, 16, mono, got "solarized"');
  t.is(err('commands:\n  - name: x\n    key: x\n    command: a\n    screens: [hosts]\n'), 'c.yaml:5:15: screens: "hosts" is not a screen with a selection (domains, fleet, networks, pools, volumes, snapshots, ifaces)');
  t.is(err('commands:\n  - name: x\n    key: x\n'), 'c.yaml:2:5: command "x" has no command line');
  t.is(err('commands:\n  - name: x\n    key: x\n    command: a\n    mode: shell\n'), 'c.yaml:5:11: mode: expected pane or job, got "shell"');
  t.is(err('commands:\n  - name: x\n    key: x\n    command: "a \'b"\n'), "c.yaml:4:14: command: unterminated ' quote");
});

test('remaps: the first key of every action of that name; a key another action has is refused with file:line', (t) => {
  const global: KeyAction<never>[] = [{ keys: ['q'], label: 'quit', run: () => {} }, { keys: ['C-r', 'f5'], label: 'refresh', run: () => {} }];
  const plan = planRemaps(KEY_SCREENS, global, [
    { action: 'destroy', key: 'K', line: 3 },
    { action: 'start', key: 's', line: 4 },
    { action: 'reboot', key: 'q', line: 5 },
    { action: 'refresh', key: 'C-t', line: 6 },
    { action: 'destry', key: 'x', line: 7 },
    { action: 'stop', key: 'T', line: 8 },
  ], 'c.yaml', [
    // D is free once destroy is on K; u stays start's (its remap was refused)
    { name: 'ping', key: 'D', line: 9, screens: ['domains'] }, { name: 'du', key: 'u', line: 10, screens: ['domains', 'volumes'] },
    { name: 'twin', key: 'D', line: 11, screens: ['fleet', 'domains'] },
  ]);
  t.deepEqual(plan.errors, [
    'c.yaml:4: keys: start: s is already "sort" on the domains screen',
    'c.yaml:5: keys: reboot: q is already "quit" on the domains screen',
    'c.yaml:7: keys: no action is named "destry" (an action\'s name is its label in ?, dashed: quit, refresh, details, start, shutdown, reboot, reset, destroy ...)',
    'c.yaml:9: commands: ping: D is already "twin" on the domains screen',
    'c.yaml:10: commands: du: u is already "start" on the domains screen',
    'c.yaml:11: commands: twin: D is already "ping" on the domains screen',
  ]);
  const destroy = DOMAIN_ACTIONS.find((a) => a.label === 'destroy')!;
  const undo = applyRemaps(plan);
  t.deepEqual(destroy.keys, ['K']);
  t.deepEqual(global[1]!.keys, ['C-t', 'f5'], 'the other keys stay');
  t.true(KEY_SCREENS.filter((s) => ['networks', 'pools'].includes(s.title)).every((s) => s.tables[0]!.find((a) => a.label === 'stop')!.keys[0] === 'T'), 'stop on the networks and the pools');
  undo();
  t.deepEqual(destroy.keys, ['D']);
  t.is(actionName({ label: 'edit XML' }), 'edit-xml');
});

test('user commands: each placeholder inside one argv entry, whatever the name holds', (t) => {
  for (const n of HOSTILE_NAMES) {
    const r = fillArgs(['echo', '--name=$NAME', '$NAME', '${URI}'], { NAME: n, URI: 'qemu:///system' });
    t.deepEqual(r, { argv: ['echo', `--name=${n}`, n, 'qemu:///system'] });
  }
  t.deepEqual(fillArgs(['du', '$POOL/$NAME'], { NAME: 'a' }), { missing: '$POOL' });
  // a name that begins an argument with - would be the program's option (ssh -oProxyCommand=... runs a command)
  t.deepEqual(fillArgs(['ssh', '$NAME'], { NAME: '-oProxyCommand=touch /tmp/x' }), { option: '$NAME', value: '-oProxyCommand=touch /tmp/x' });
  for (const n of DASH_NAMES) t.deepEqual(fillArgs(['ping', '-c', '3', '$NAME'], { NAME: n }), { option: '$NAME', value: n });
  t.deepEqual(fillArgs(['ping', '-c', '3', '--', '$NAME'], { NAME: '-f' }), { argv: ['ping', '-c', '3', '--', '-f'] }, 'after --: an operand');
  t.deepEqual(fillArgs(['echo', '--name=$NAME', 'x$NAME'], { NAME: '-f' }), { argv: ['echo', '--name=-f', 'x-f'] }, 'inside an argument: no option');
  t.deepEqual(fillArgs(['echo', '$NAMES'], { NAME: 'a' }), { argv: ['echo', '$NAMES'] }, 'only whole placeholders');
  t.is(uriHost('qemu+ssh://root@kvm1/system'), 'kvm1');
  t.is(uriHost('qemu+ssh://[fe80::1]:22/system'), 'fe80::1');
  t.is(uriHost('qemu:///system'), '');
});

const entry = (e: Partial<LogEntry>): LogEntry => ({ time: new Date('2026-11-30T02:00:00Z'), command: '', short: '', ok: true, message: '', hint: '', detail: '', ...e });

test(':log save: the changing virsh commands as a sh script, each argument quoted; reads and failures left out', (t) => {
  const uri = 'qemu+ssh://root@kvm1/system';
  const { text, count } = logScript([
    entry({ args: ['destroy', '--domain', "it's"], uri, host: 'kvm1' }),
    entry({ args: ['dominfo', 'x'], uri, changes: false }),
    entry({ args: ['start', '--domain', 'web'], uri, ok: false }),
    entry({ command: 'ping x' }),
    entry({ args: ['undefine', '--domain', '$(id) ünï-🚀'], uri: 'test:///default', readonly: false }),
  ], new Date('2026-11-30T03:00:00Z'));
  t.is(count, 2);
  const lines = text.split('\n');
  t.is(lines[0], '#!/bin/sh');
  t.true(lines.includes('set -e'));
  const cmds = lines.filter((l) => l.startsWith('virsh'));
  t.deepEqual(cmds, [`virsh -c ${uri} destroy --domain 'it'\\''s'`, "virsh -c test:///default undefine --domain '$(id) ünï-🚀'"]);
  // what sh reads back is what ran
  t.deepEqual(splitCommandLine(cmds[0]!), ['virsh', '-c', uri, 'destroy', '--domain', "it's"]);
  t.deepEqual(splitCommandLine(cmds[1]!).at(-1), '$(id) ünï-🚀');
  // a host name with a line break (a remote host's `hostname` can hold one) stays in its comment
  const evil = logScript([entry({ args: ['start', '--domain', 'web'], uri, host: 'kvm1\ntouch /tmp/pwned #' })]).text;
  t.false(evil.split('\n').some((l) => l.startsWith('touch')), evil);
  t.deepEqual(evil.split('\n').filter((l) => l && !l.startsWith('#') && l !== 'set -e'), [`virsh -c ${uri} start --domain web`]);
});

test('the theme: NO_COLOR is monochrome whatever the file says; a terminal without 16 colours gets the 16-colour one', (t) => {
  t.is(chooseTheme(undefined, {}, 256), 'default');
  t.is(chooseTheme(undefined, {}, 8), '16');
  t.is(chooseTheme('default', { NO_COLOR: '1' }, 256), 'mono');
  t.is(chooseTheme('16', { NO_COLOR: '' }, 256), '16', 'an empty NO_COLOR is not set');
  t.is(chooseTheme('mono', {}, 256), 'mono');
});
