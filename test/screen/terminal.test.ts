// The terminal pane on a fake terminal: real programs in a pty, drawn into the app's screen.
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type Harness } from './harness.ts';
import { ProgramJob } from '../../screens/terminal/jobs.ts';
import { waitFor } from '../helpers.ts';

const URI = 'test:///default';

/** the hostile bytes a guest could print on its console */
const HOSTILE = [
  '\x1b]0;PWNED-TITLE\x07', // window title
  '\x1b]2;PWNED-TITLE2\x1b\\',
  '\x1b[2J\x1b[H', // clear screen, home
  '\x1b[?2004h', // bracketed paste on
  '\x1b7\x1b[s', // cursor save (DEC and ANSI)
  '\x1b[10;10H', '\x1b8\x1b[u', // move, restore
  '\x1b]52;c;cHduZWQ=\x07', // OSC 52: set the clipboard
  '\x1b[?1049l', '\x1b[?25h', '\x1b[?1000l', // leave the alternate screen, show the cursor, mouse off
  '\x1bP+q544e\x1b\\', // DCS: a termcap query
  'HOSTILE-DONE\r\n',
].join('');

async function pane(h: Harness, title: string, file: string, args: string[]) {
  const v = h.app.openPane(new ProgramJob(title, { file, args }));
  await h.idle();
  return v;
}

test('a pane runs a program: typed keys reach it, the leave key does not, and the list comes back with the pane kept', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const v = await pane(h, 'cat', 'cat', []);
  await h.keys('h', 'e', 'l', 'l', 'o', 'enter');
  await waitFor(() => h.text().filter((l) => l === 'hello').length === 2, 30_000, () => h.screen());
  const rows = h.text();
  t.regex(rows[1]!, /^ 1 cat │/, 'the tab bar names the pane');
  t.is(rows.filter((l) => l === 'hello').length, 2, 'the echo of the pty and the output of cat');
  t.regex(rows[rows.length - 1]!, /\^\] leaves the pane; every other key goes to cat/, 'the footer shows the leave key');
  t.regex(rows[rows.length - 3]!, /TYPING/);
  // the leave key: the pane's own keys, then the list
  await h.keys('C-]');
  t.regex(h.text().at(-1)!, /Enter type +Esc list/);
  t.true(v.pane.running, 'the program still runs');
  await h.keys('q');
  await h.until(/NAME/);
  t.notRegex(h.screen(), /^hello$/m, 'the list replaces the pane');
  t.regex(h.text().at(-1)!, /\^\] panes/, 'the footer says how to go back');
  await h.keys('C-]');
  await h.until(/^hello$/m);
  t.is(h.text().filter((l) => l === 'hello').length, 2, 'the pane kept its content');
  await h.keys('w', 'o', 'r', 'l', 'd', 'enter');
  await h.until(/^world$/m);
  await h.keys('C-]', 'x');
  await waitFor(() => h.app.panes.list.length === 0, 30_000, () => 'the pane closes after x');
  t.regex(h.screen(), /NAME/);
});

test('a pane follows the size of the terminal, and the program is told (SIGWINCH)', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const v = await pane(h, 'size', 'sh', ['-c', "trap 'stty size' WINCH; stty size; while :; do sleep 0.1; done"]);
  // 24 rows: header, status and footer, and the pane's tab bar and status line
  await h.until(/^19 80$/m);
  t.is(v.pane.cols, 80);
  await h.resize(120, 40);
  await h.until(/^35 120$/m);
  t.deepEqual([v.pane.cols, v.pane.rows], [120, 35]);
  const rows = h.text();
  t.is(rows.length, 40);
  t.regex(rows[1]!, /^ 1 size │/);
  await h.resize(60, 20);
  await h.until(/^15 60$/m);
  t.true(h.text().every((l) => l.length <= 60), 'nothing drawn past the new width');
});

test('the scrollback keeps at least 5000 lines; Home, search and n reach old output', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  // the program stays: node-pty can drop the last few KB a program writes right before it exits
  const v = await pane(h, 'seq', 'sh', ['-c', 'seq 1 6000; echo SEQ-DONE; exec sleep 60']);
  await h.until(/^SEQ-DONE$/m, 10_000);
  await h.keys('C-]');
  t.true(v.pane.maxOffset() >= 5000, `scrollback: ${v.pane.maxOffset()} lines above the screen`);
  await h.keys('home');
  t.regex(h.text()[2]!, /^\[virtui\] sh -c/, 'the first lines are still there');
  t.is(h.text()[3], '1');
  await h.keys('/');
  for (const c of '4321') await h.keys(c);
  await h.keys('enter');
  t.true(h.text().includes('4321'), 'the match is scrolled into view');
  t.regex(h.text().at(-3)!, /\/4321: 1 match/);
  await h.keys('/', 'backspace', 'backspace', 'backspace', 'backspace');
  for (const c of '599') await h.keys(c);
  await h.keys('enter');
  const first = v.pane.search!.line;
  t.regex(v.pane.lineText(first), /599/);
  await h.keys('n');
  t.true(v.pane.search!.line < first, 'n goes to an older match');
  await h.keys('end');
  t.is(v.pane.offset, 0);
  t.regex(h.screen(), /^SEQ-DONE$/m);
});

test('hostile output stays inside the pane: nothing of it reaches the host terminal', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const before = h.written().length;
  // it stays a moment: node-pty can lose what a program writes right before it exits
  await pane(h, 'hostile', 'sh', ['-c', 'printf "%s" "$1"; sleep 0.3', 'sh', HOSTILE]);
  await h.until(/^HOSTILE-DONE/m);
  await h.until(/hostile ended/);
  const out = h.written().slice(before);
  for (const [what, seq] of [['title', '\x1b]0;'], ['title 2', '\x1b]2;'], ['OSC 52', '\x1b]52'], ['bracketed paste', '\x1b[?2004h'], ['DCS', '\x1bP'], ['PWNED', 'PWNED'], ['clear screen', '\x1b[2J'], ['cursor shown', '\x1b[?25h'], ['alternate screen left', '\x1b[?1049l'], ['mouse off', '\x1b[?1000l']] as const) {
    t.false(out.includes(seq), `${what} must not reach the host terminal`);
  }
  const rows = h.text();
  t.regex(rows[0]!, /^virtui test:\/\/\/default/, 'the header is untouched');
  t.regex(rows[1]!, /^ 1 hostile/, 'the tab bar is untouched');
  t.regex(rows.at(-1)!, /^hostile has ended: what you type is dropped; \^\] for the pane keys/, 'the footer is untouched');
  t.true(rows.some((l) => l.startsWith('HOSTILE-DONE')));
});

test('binary output (random bytes) stays inside the pane: nothing logged, the header and footer intact', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  // the emulator and node-pty report trouble with console.*: in virtui that reaches the terminal
  const said: string[] = [];
  const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) console[m] = (...a: unknown[]) => { said.push(`${m}: ${a.map(String).join(' ')}`.slice(0, 200)); };
  t.teardown(() => { Object.assign(console, saved); });
  const before = h.written().length;
  let got = 0;
  const v = h.app.openPane(new ProgramJob('random', { file: 'sh', args: ['-c', 'for i in 1 2 3; do head -c 3000 /dev/urandom; done; sleep 0.3'] }));
  v.pane.on('output', (d: string) => { got += d.length; });
  await waitFor(() => !!v.exit, 10_000, () => `the end of the output:\n${h.screen()}`);
  t.true(got > 3000, `the bytes reached the pane (${got})`);
  await h.until(/^ 1 random \(ended\)/m);
  Object.assign(console, saved);
  t.deepEqual(said.filter((l) => /xterm|parsing error/i.test(l)), [], 'the emulator logged nothing');
  t.deepEqual(said, [], 'nothing logged at all');
  const out = h.written().slice(before);
  t.false(/xterm\.js|Parsing error/.test(out), 'nothing of it was written to the terminal');
  const rows = h.text();
  t.regex(rows[0]!, /^virtui test:\/\/\/default/, 'the header is untouched');
  t.regex(rows.at(-1)!, /^random has ended: what you type is dropped; \^\] for the pane keys/, 'the footer is untouched');
});

test('keys typed into a session that has just ended are dropped, never taken as pane commands, until the leave key after a moment', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const v = await pane(h, 'short', 'sh', ['-c', 'sleep 0.3']);
  t.is(h.app.panes.focus, 'typing');
  // as long as the test needs: the leave key typed right after the end must be dropped too
  h.app.panes.endedGraceMs = 60_000;
  await waitFor(() => !!v.exit, 30_000, () => 'sh to end');
  const status = h.conn.status;
  // what the user goes on typing: x closes the pane, q leaves it, a toggles, + changes the tick ...
  await h.keys('x', 'q', 'u', 'a', '+', 'enter', '|', '?', 'C-]');
  t.is(h.app.panes.list.length, 1, 'x did not close the pane');
  t.is(h.app.panes.focus, 'typing', 'q did not leave, the leave key within the grace was dropped');
  t.false(h.app.panes.split, '| did not split');
  t.is(h.conn.status, status, 'no action ran');
  let rows = h.text();
  t.regex(rows.at(-3)!, /^ENDED · typed keys are dropped · \^\] for the pane keys │ ended \(exit 0\)/, 'the pane says so');
  t.regex(rows.at(-1)!, /^short has ended: what you type is dropped; \^\] for the pane keys/);
  // after the moment, the leave key acknowledges the end: the pane's own keys work
  h.app.panes.endedGraceMs = 50;
  await waitFor(() => Date.now() - v.endedAt! > 50, 5000);
  await h.keys('C-]');
  t.is(h.app.panes.focus, 'pane');
  rows = h.text();
  t.regex(rows.at(-3)!, /^PANE KEYS │ ended/);
  t.notRegex(rows.at(-1)!, /Enter type/, 'nothing to type into');
  t.regex(rows.at(-1)!, /x end/);
  await h.keys('x');
  await waitFor(() => h.app.panes.list.length === 0, 30_000, () => 'x closes the pane');
  t.regex(h.screen(), /NAME/);
});

test('a session that ends while the user is not typing into it needs no acknowledgement', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const v = await pane(h, 'short', 'sh', ['-c', 'read x']);
  await h.keys('C-]');
  t.is(h.app.panes.focus, 'pane');
  // ended from elsewhere (a guest destroyed by another client)
  v.pane.kill();
  await waitFor(() => !!v.exit, 30_000, () => 'sh to end');
  t.regex(h.text().at(-3)!, /^PANE KEYS │/);
  await h.keys('x');
  await waitFor(() => h.app.panes.list.length === 0, 30_000, () => 'x closes the pane');
  t.pass();
});

test('exit in the virsh shell keeps its pane, sealed: the next keys reach neither the list nor another pane', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const cat = await pane(h, 'cat', 'cat', []);
  await h.keys('C-]', 'q');
  await h.keys('!');
  await h.until(/^virsh #/m);
  t.is(h.app.panes.list.length, 2);
  const shell = h.app.panes.current!;
  for (const c of 'quit') await h.keys(c);
  await h.keys('enter');
  await waitFor(() => !!shell.exit, 30_000, () => 'the virsh shell to end');
  await h.until(/virsh ended: x closes the pane/);
  // what the user goes on typing: D (destroy), u (start), / ... all dropped
  const status = h.conn.status;
  await h.keys('D', 'u', '%', 'q');
  t.is(h.app.panes.list.length, 2, 'the pane stays');
  t.is(h.app.panes.focus, 'typing');
  t.is(h.conn.status, status, 'no action ran');
  t.deepEqual(h.conn.log.entries.filter((e) => e.short.startsWith('virsh ')).map((e) => e.short).filter((c) => !c.startsWith('virsh -c')), []);
  t.false(cat.pane.visibleText().some((l) => l.includes('%') || l.includes('Du')), 'nothing typed reached cat');
  t.regex(h.text().at(-1)!, /virsh has ended: what you type is dropped/);
});

test('the split shows the list beside the pane on a wide terminal and under it on a narrow one', async (t) => {
  const h = await openApp(URI, 200, 50);
  t.teardown(() => h.close());
  await pane(h, 'cat', 'cat', []);
  await h.keys('s', 'p', 'l', 'i', 't', 'enter');
  await h.keys('C-]', '|', 'q');
  // cat's echo comes when the pty has passed it on: no idle state of virtui can know it
  await waitFor(() => h.text().some((l) => /^.{91}split$/.test(l)), 15_000, () => `the pane content beside the list:\n${h.screen()}`);
  const rows = h.text();
  const nameRow = rows.findIndex((l) => l.startsWith('NAME'));
  t.true(nameRow > 0, 'the list is shown');
  t.regex(rows[1]!, /^.{91} 1 cat │/, 'the tab bar starts right of the list');
  await h.resize(80, 24);
  const narrow = h.text();
  const tabRow = narrow.findIndex((l) => l.startsWith(' 1 cat'));
  t.true(tabRow > narrow.findIndex((l) => l.startsWith('NAME')), 'under the list when narrow');
});

test('l logs the session as plain text to a file whose path is shown', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-log-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const h = await openApp(URI, 100, 30, { sessionLogDir: dir });
  t.teardown(() => h.close());
  await pane(h, 'cat', 'cat', []);
  await h.keys('C-]', 'l');
  // the log file is opened in the background (a write stream)
  await waitFor(() => readdirSync(dir).length > 0, 15_000, () => `a log file in ${dir}`);
  const files = readdirSync(dir);
  t.is(files.length, 1);
  t.regex(h.screen(), new RegExp(`log: ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/cat-`));
  await h.keys('enter');
  for (const c of 'logged\x1b[31mred') await h.keys(c === '\x1b' ? 'escape' : c);
  await h.keys('enter');
  await h.until(/loggedred|logged/);
  await h.keys('C-]', 'l');
  // the stream writes the file in the background
  const logged = () => readFileSync(join(dir, files[0]!), 'utf8');
  await waitFor(() => /logged/.test(logged()), 15_000, () => `"logged" in the log file, which holds ${JSON.stringify(logged())}`);
  const text = logged();
  t.regex(text, /logged/);
  t.false(text.includes('\x1b'), 'no escape sequences in the log');
});

test('quitting with a session running asks first, names it, and ends it', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const v = await pane(h, 'cat', 'cat', []);
  await h.keys('C-]', 'q', 'q');
  await h.until(/Quit virtui/);
  t.regex(h.screen(), /A session still runs: cat\./);
  await h.keys('n');
  t.true(v.pane.running, 'Stay keeps it');
  await h.keys('q');
  await h.until(/Quit virtui/);
  await h.keys('y');
  await waitFor(() => !v.pane.running, 30_000, () => 'cat ends when virtui quits');
  t.pass();
});

test('c on a domain without a serial or console device says so and shows the XML that adds one', async (t) => {
  const h = await openApp(URI, 100, 30);
  t.teardown(() => h.close());
  await h.until(/^test +running/m);
  await h.keys('c');
  await h.until(/test has no console/);
  const s = h.screen();
  t.regex(s, /no serial or console device/);
  t.regex(s, /<serial type='pty'>/);
  t.regex(s, /<console type='pty'>/);
  t.regex(s, /<target type='serial' port='0'\/>/);
  t.notRegex(s, /Close|Cancel/, 'nothing to choose: one button');
  t.is(h.app.panes.list.length, 0, 'no pane is opened');
  await h.keys('enter');
  t.regex(h.screen(), /^test +running/m);
});

test('the demo host offers no console or shell: its guests live inside virtui', async (t) => {
  const h = await openApp(URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys('!');
  t.regex(h.screen(), /the demo host lives inside virtui/);
  await h.keys('c');
  t.regex(h.screen(), /the demo host has no consoles/);
  await h.keys('g');
  t.regex(h.screen(), /the demo host has no disks to open/);
  t.is(h.app.panes.list.length, 0);
});

test('read-only (-r): no console, not even from the : line', async (t) => {
  const h = await openApp(URI, 100, 30, { readonly: true });
  t.teardown(() => h.close());
  await h.until(/^test +running/m);
  t.notRegex(h.text().at(-1)!, /c console/);
  await h.keys(':', ...'console test', 'enter');
  t.regex(h.screen(), /a console cannot be opened on a read-only connection/);
  t.is(h.app.panes.list.length, 0);
});

test('? from a pane\'s keys, then Esc, comes back to the pane, not to the list', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const v = await pane(h, 'cat', 'cat', []);
  await h.keys('C-]');
  t.is(h.app.panes.focus, 'pane');
  await h.keys('?');
  await h.until(/Help: Pane: cat/);
  await h.keys('escape');
  t.is(h.app.panes.focus, 'pane');
  t.is(h.app.panes.current, v);
  t.regex(h.text().at(-3)!, /^PANE KEYS/);
});

test('keys typed while a console opens wait for it: D after c never destroys the guest', async (t) => {
  const h = await openApp(URI, 100, 30);
  t.teardown(() => h.close());
  await h.until(/^test +running/m);
  await h.keys('cD'); // one burst: c reads the domain first, D would destroy the selection
  await h.until(/test has no console/);
  t.notRegex(h.screen(), /Destroy test/, 'a question opened by then drops the keys typed before it');
  await h.keys('enter');
  t.notRegex(h.screen(), /Destroy test/);
  t.deepEqual(h.conn.log.entries.map((e) => e.short), []);
});

test('a screen that comes while the user types into a pane does not take the keys', async (t) => {
  const h = await openApp(URI, 80, 24);
  t.teardown(() => h.close());
  const v = await pane(h, 'cat', 'cat', []);
  t.is(h.app.panes.focus, 'typing');
  // a : command's output arriving later (a long job): it waits behind the pane
  await h.app.runCommand('nodeinfo');
  t.is(h.app.panes.focus, 'typing');
  t.regex(h.text().at(-2)!, /is ready behind the pane/);
  await h.keys('q', 'x', 'enter');
  await waitFor(() => v.pane.visibleText().some((l) => l === 'qx'), 30_000, () => v.pane.visibleText().join('\n'));
  t.is(h.app.panes.list.length, 1, 'x reached cat, it did not close the pane');
});

test('a question that appears while the user types into a pane takes no keys for a moment, and says so', async (t) => {
  const h = await openApp(URI, 100, 30);
  t.teardown(() => h.close());
  await pane(h, 'cat', 'cat', []);
  t.is(h.app.panes.focus, 'typing');
  // as long as the test needs (the lab e2e answers one after the moment)
  h.app.dialogGraceMs = 60_000;
  void h.app.ask({ title: 'Take over the console?', message: ['a job asks'], confirmLabel: 'Take over' });
  await h.until(/Take over the console\?/);
  t.regex(h.screen(), /a moment: keys typed now are ignored/);
  await h.keys('y', 'enter'); // typed for the program, a moment too late
  t.regex(h.screen(), /Take over the console\?/, 'the keys did not answer it');
});
