// The config file's theme, key remaps and user commands, NO_COLOR, and `:log save` (issue 17),
// on the demo host. Serial: a remap changes the kinds' key tables, which every App shares.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI, HOSTILE_URI } from '../helpers.ts';
import { parseConfig } from '../../src/config.ts';

const status = (h: Harness) => h.text().at(-2)!;
/** an SGR sequence that sets a foreground or background colour */
const COLOUR = /\x1b\[(?:\d+;)*(?:3[0-7]|38|4[0-7]|48|9[0-7]|10[0-7])(?:;\d+)*m/;

test.serial('NO_COLOR: not one colour reaches the terminal; the selection is inverse, a mark a *, states words', async (t) => {
  const plain = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => plain.close());
  t.regex(plain.written(), COLOUR, 'the default theme has colours (the check can fail)');
  const h = await openApp(DEMO_URI, 100, 30, { demo: true, env: { NO_COLOR: '1' } });
  t.teardown(() => h.close());
  t.is(h.app.themeName, 'mono');
  await h.keys(' ', 'j');
  t.regex(h.screen(), /^\* build-runner +shut off/m);
  t.regex(h.screen(), /^ {2}db-primary +running/m);
  await h.keys('U', 'D');
  await h.until(/Destroy db-primary/);
  await h.keys('escape');
  const out = h.written();
  t.notRegex(out, COLOUR);
  t.regex(out, /\x1b\[(?:\d+;)*7(?:;\d+)*m/, 'inverse: the selection, the top line');
});

test.serial('the theme comes from the config file; NO_COLOR beats it', async (t) => {
  const config = parseConfig('theme: mono\n', 'c.yaml');
  const h = await openApp(DEMO_URI, 100, 30, { demo: true, config });
  t.teardown(() => h.close());
  t.is(h.app.themeName, 'mono');
  t.notRegex(h.written(), COLOUR);
  const h2 = await openApp(DEMO_URI, 100, 30, { demo: true, config: parseConfig('theme: "16"\n', 'c.yaml'), env: { NO_COLOR: 'yes' } });
  t.teardown(() => h2.close());
  t.is(h2.app.themeName, 'mono');
});

test.serial('keys: a remap moves an action to its new key; one that takes another action\'s key is refused with file:line', async (t) => {
  const config = parseConfig('keys:\n  destroy: K\n  start: s\n', '/home/op/.config/virtui/config.yaml');
  const h = await openApp(DEMO_URI, 120, 30, { demo: true, config });
  t.teardown(() => h.close());
  t.regex(status(h), /config\.yaml:3: keys: start: s is already "sort" on the domains screen; not applied/);
  await h.keys('/', ...'web-02', 'enter', 'D');
  t.notRegex(h.screen(), /Destroy web-02/, 'D is free now');
  await h.keys('K');
  t.regex(h.screen(), /Destroy web-02/);
  await h.keys('escape', '?');
  t.regex(h.screen(), /^ {2}K +destroy/m, 'the help reads the same table');
  await h.keys('escape');
  // the refused one keeps its key
  await h.keys('/', 'C-u', ...'build-runner', 'enter');
  t.regex(h.text().at(-1)!, /u start/);
  h.close();
  // and the tables are as they were for the next App
  const plain = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => plain.close());
  await plain.keys('/', ...'web-02', 'enter', 'D');
  t.regex(plain.screen(), /Destroy web-02/);
});

test.serial('a user command: its placeholders as argv entries, asked first when it says so; a job\'s result in the log; a pane', async (t) => {
  const config = parseConfig([
    'commands:',
    '  - name: show',
    '    key: P',
    '    command: [printf, "[%s]", $NAME, "$HOST on $URI"]',
    '    mode: job',
    '    confirm: true',
    '  - name: hello',
    '    key: O',
    '    screens: [domains]',
    '    command: echo hello $NAME',
  ].join('\n'), 'c.yaml');
  const h = await openApp(HOSTILE_URI, 120, 30, { config });
  t.teardown(() => h.close());
  await h.keys('/', ...'$(id)', 'enter');
  t.regex(h.text().at(-1)!, /P show/);
  await h.keys('P');
  // $HOST: a local URI names no host, so the machine's own name
  t.regex(h.screen(), /Run printf '\[%s\]' '\$\(id\)' '\S+ on\s+│\s+│ test:/);
  await h.keys('y');
  await h.until(/show \$\(id\): \[\$\(id\)\]\[\S+ on test:/);
  const e = h.conn.log.entries.at(-1)!;
  t.true(e.ok);
  t.regex(e.detail, /^\[\$\(id\)\]\[\S+ on test:\/\/\/.*hostile-names\.xml\]$/);
  await h.keys('/', 'C-u', ...'web 01', 'enter', 'O');
  await h.until(/hello web 01/);
});

test.serial('a user command is not run when a name would begin an argument with - (the program would take it for an option)', async (t) => {
  const config = parseConfig(['commands:', '  - name: show', '    key: P', '    command: printf "[%s]" $NAME', '    mode: job'].join('\n'), 'c.yaml');
  const h = await openApp(HOSTILE_URI, 120, 30, { config });
  t.teardown(() => h.close());
  const before = h.conn.log.entries.length;
  await h.keys('/', ...'-starts-with-dash', 'enter', 'P');
  t.regex(status(h), /show: not run: printf would read \$NAME \(-starts-with-dash\) as an option/);
  t.is(h.conn.log.entries.length, before, 'nothing ran');
});

test.serial(':log save FILE writes the changing commands as a script sh runs; reads are left out', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const h = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'web-02', 'enter', 'D', 'y');
  await h.until(/destroy --domain web-02: ok/);
  await h.keys(':', ...'dominfo web-01', 'enter');
  await h.until(/Name: +web-01/);
  await h.keys('escape');
  const file = join(dir, 'replay.sh');
  await h.keys(':', ...`log save ${file}`, 'enter');
  t.regex(status(h), /wrote 1 virsh command that changed something to .*replay\.sh/);
  const text = readFileSync(file, 'utf8');
  t.regex(text, /^#!\/bin\/sh\n/);
  t.regex(text, /^virsh -c test:\/\/\/.*world\.xml destroy --domain web-02$/m);
  t.notRegex(text, /dominfo/);
  t.truthy(statSync(file).mode & 0o100, 'executable');
  // a fresh test-driver world has web-02 running: the script runs through
  t.regex(execFileSync('sh', [file], { encoding: 'utf8' }), /Domain 'web-02' destroyed/);
});

test.serial('read-only: a user command is offered only when the config says it changes nothing', async (t) => {
  const config = parseConfig(['commands:', '  - name: wipe-it', '    key: P', '    command: printf "[%s]" -- $NAME', '    mode: job',
    '  - name: look', '    key: O', '    command: printf "<%s>" -- $NAME', '    mode: job', '    readonly: true'].join('\n'), 'c.yaml');
  t.true(config.commands![1]!.readonly);
  const h = await openApp(DEMO_URI, 120, 30, { demo: true, config, readonly: true });
  t.teardown(() => h.close());
  const before = h.conn.log.entries.length;
  await h.keys('/', ...'web-01', 'enter', 'P');
  t.is(h.conn.log.entries.length, before, 'the command that may change something is not offered under -r');
  await h.keys('O');
  await h.until(/look/);
  t.true(h.conn.log.entries.length > before || /<web-01>/.test(h.screen()), 'the read-only one runs');
  t.notRegex(h.screen(), /wipe-it/);
});

test.serial(':log save onto a file that exists asks before it replaces it; Esc keeps it whole', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'notes.txt');
  writeFileSync(file, 'precious\n');
  const h = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...`log save ${file}`, 'enter');
  await h.until(/Overwrite/);
  t.regex(h.screen(), /notes\.txt/);
  await h.keys('escape');
  await h.until(/not written/);
  t.is(readFileSync(file, 'utf8'), 'precious\n');
  await h.keys(':', ...`log save ${file}`, 'enter');
  await h.until(/Overwrite/);
  await h.keys('y');
  await h.until(/wrote 0 virsh commands/);
  t.regex(readFileSync(file, 'utf8'), /^#!\/bin\/sh\n/);
});

test.serial(':log save ~/FILE writes in the home directory, as a shell would read it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-home-'));
  const home = process.env.HOME;
  process.env.HOME = dir;
  t.teardown(() => { process.env.HOME = home; rmSync(dir, { recursive: true, force: true }); });
  const h = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'log save ~/replay.sh', 'enter');
  await h.until(/wrote 0 virsh commands/);
  t.regex(readFileSync(join(dir, 'replay.sh'), 'utf8'), /^#!\/bin\/sh\n/);
});

test.serial('the 16-colour theme (8-colour terminals: grey is black there) draws no grey, on the details\' tab line and the charts\' events line too', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true, config: parseConfig('theme: "16"\n', 'c.yaml') });
  t.teardown(() => h.close());
  t.is(h.app.themeName, '16');
  await h.keys('/', ...'web-01', 'enter', 'enter');
  await h.until(/Tab switches/);
  await h.keys('v');
  await h.until(/events \(/);
  // grey as an 8-colour terminal is told it (black, on the terminal's black), or a 16 or 256-colour one
  t.notRegex(h.written(), /\x1b\[(?:30|90|38;5;8)m/);
});
