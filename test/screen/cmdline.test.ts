// The `:` line (issue 17): Tab completes from the registry, `virsh help` (read through the
// session) and the host's names; a hint line shows the synopsis; Up/Down recall what ran before,
// kept across runs in a file that never holds a password. On the demo host (real virsh).
import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI, HOSTILE_URI } from '../helpers.ts';

const line = (h: Harness) => h.text().at(-2)!;
const hint = (h: Harness) => h.text().at(-3)!;

test('Tab completes commands and names; the hint line shows the synopsis', async (t) => {
  const h = await openApp(HOSTILE_URI, 100, 30);
  t.teardown(() => h.close());
  await h.keys(':');
  t.regex(hint(h), /Tab completes/);
  await h.keys(...'domin', 'tab');
  t.regex(line(h), /^:dominfo\s*$/);
  await h.until(/dominfo <domain> {2}\(domain information\)/);
  t.regex(hint(h), /dominfo <domain>/);
  // a name with a space and a quote, quoted for the line
  await h.keys('i', 'tab');
  t.regex(line(h), /^:dominfo 'it'\\''s'\s*$/);
  await h.keys('enter');
  await h.until(/Name: +it's/);
  // a name that reads as an option is still a name (the pools were read when the line opened)
  await h.keys(':', ...'vol ', 'tab');
  t.regex(line(h), /^:vol --pool\s*$/);
  await h.keys('escape');
});

test('Up and Down recall the lines run before, kept across runs; a password is never kept', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-hist-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'state', 'history');
  let h = await openApp(DEMO_URI, 100, 30, { historyFile: file });
  await h.keys(':', ...'net', 'enter');
  await h.until(/Networks \|/);
  // several choices: listed on the hint line
  await h.keys(':', ...'net-info ', 'tab');
  t.regex(hint(h), /^Tab: backend +default +isolated/);
  await h.keys('escape');
  await h.keys(':', ...'nodeinfo', 'enter');
  await h.until(/CPU model/);
  await h.keys(':', ...'set-user-password web-01 root hunter2', 'enter');
  await h.keys(':', ...'dom', 'enter');
  h.close();
  t.deepEqual(readFileSync(file, 'utf8').split('\n'), ['net', 'nodeinfo', 'dom', '']);
  h = await openApp(DEMO_URI, 100, 30, { historyFile: file });
  t.teardown(() => h.close());
  await h.keys(':', ...'no', 'up');
  t.regex(line(h), /^:dom\s*$/);
  await h.keys('up', 'up');
  t.regex(line(h), /^:net\s*$/);
  await h.keys('up');
  t.regex(line(h), /^:net\s*$/, 'the oldest stays');
  await h.keys('down', 'down', 'down');
  t.regex(line(h), /^:no\s*$/, 'back to what was typed');
  await h.keys('up', 'up', 'enter');
  await h.until(/CPU model/);
});

test('/ searches the help and an action log entry too; the log itself filters', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('?');
  await h.until(/Domains keys/);
  t.notRegex(h.screen(), /clear the filter/);
  await h.keys('/', ...'clear the filter', 'enter');
  await h.until(/clear the filter/);
  await h.keys('escape', '/', ...'web-02', 'enter', 'D', 'y');
  await h.until(/destroy --domain web-02: ok/);
  await h.keys('L');
  await h.until(/Action log/);
  await h.keys('/', ...'nothing-like-it', 'enter');
  t.notRegex(h.screen(), /ok +virsh destroy/, 'the log filters');
  await h.keys('/', 'C-u', ...'destroy', 'enter');
  await h.until(/ok +virsh destroy --domain web-02/);
  await h.keys('enter');
  await h.until(/\/ search/);
  await h.keys('/', ...'web-02', 'enter', 'n');
  await h.until(/\/web-02: match \d+ of \d+/);
});

test('a password typed on the : line is masked in the status line, the action log and :log save, whichever way it is written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-secret-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const h = await openApp(HOSTILE_URI, 120, 30);
  t.teardown(() => h.close());
  const lines = [
    "set-user-password 'web 01' root Hunter2secret",
    'set-user-password --domain web\\ 01 --password Pw2nd-secret --user root',
    'set-user-password web\\ 01 root --password=Pw3rd-secret',
    `qemu-agent-command 'web 01' '{"execute":"guest-set-user-password","arguments":{"username":"root","password":"QWdlbnRTZWNyZXQ=","crypted":false}}'`,
  ];
  for (const l of lines) {
    const before = h.conn.log.entries.length;
    await h.keys(':', ...l, 'enter');
    await h.until(/\*{8}/);
    await h.idle();
    t.true(h.conn.log.entries.length > before, l);
    for (const s of ['Hunter2secret', 'Pw2nd-secret', 'Pw3rd-secret', 'QWdlbnRTZWNyZXQ=']) t.false(h.screen().includes(s), `${l}: the screen shows ${s}`);
    if (/^virsh /.test(h.text()[0]!.trim()) || / \| \d+ line/.test(h.text()[0]!)) await h.keys('q');
  }
  const shorts = h.conn.log.entries.map((e) => e.short).join('\n');
  t.regex(shorts, /set-user-password 'web 01' root '\*{8}'$/m, 'the domain and the user stay readable');
  t.regex(shorts, /--password=\*{8}/);
  const logged = JSON.stringify(h.conn.log.entries);
  for (const s of ['Hunter2secret', 'Pw2nd-secret', 'Pw3rd-secret', 'QWdlbnRTZWNyZXQ=']) t.false(logged.includes(s), `the action log holds ${s}`);
  await h.keys(':', ...`log save ${join(dir, 'out.sh')}`, 'enter');
  await h.until(/wrote|nothing/);
  let script = '';
  try { script = readFileSync(join(dir, 'out.sh'), 'utf8'); } catch { /* nothing written: nothing to leak */ }
  for (const s of ['Hunter2secret', 'Pw2nd-secret', 'Pw3rd-secret', 'QWdlbnRTZWNyZXQ=']) t.false(script.includes(s), `the script holds ${s}`);
});
