// Seeing into a guest on the demo host (test driver): the IP column, the Agent and Diagnose tabs,
// the password that never shows, FROZEN and the question at quit, `:lint`.
import test from 'ava';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';
import { logScript } from '../../src/model/actionlog.ts';
import { frozenOf } from '../../src/model/frozen.ts';


/** web-01's details on their Agent tab (the demo's guests have no agent channel: the tab says so) */
async function agentTab(h: Harness): Promise<void> {
  await h.keys('/', ...'web-01', 'enter', 'enter', '4');
  await h.until(/has no guest agent channel/);
}

test('the IP column shows a running guest\'s address and its source on a wide screen; a stopped one shows -', async (t) => {
  const h = await openApp(DEMO_URI, 140, 30, { demo: true });
  t.teardown(() => h.close());
  t.regex(h.text()[2]!, / IP( |$)/);
  // the store asks after each refresh, for the rows on screen
  await h.app.conn.domains.refresh();
  await h.until(/^web-01 +running .* 192\.168\.122\.\d+ (lease|agent)/m);
  t.regex(h.screen(), /^build-runner +shut off .* - *$/m);
});

test('details: Agent tab of a domain without the channel shows the XML to add; Diagnose says the state in words', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'web-01', 'enter', 'enter');
  await h.until(/Domain web-01 \| running/);
  await h.until(/ADDRESSES +FROM/);
  await h.keys('4');
  await h.until(/has no guest agent channel/);
  t.regex(h.screen(), /<target type='virtio' name='org\.qemu\.guest_agent\.0'\/>/);
  await h.keys('5');
  await h.until(/Findings/);
  t.regex(h.screen(), /running \(unknown\)/);
});

test('the Agent tab without a channel reads as sentences at 80 columns: the view wraps them, no line is broken twice', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await agentTab(h);
  const s = h.screen();
  t.regex(s, /\(addresses from\n {2}the agent, OS, filesystems\) nor set its clock or a password\./);
  t.regex(s, /install qemu-guest-agent in the\n {2}guest, then shut it down and start it again/);
});

test('W on the list opens the Diagnose tab; :lint lists the domains without an agent channel', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'build-runner', 'enter', 'W');
  await h.until(/Domain build-runner \(diagnose\)/);
  await h.until(/Findings/);
  t.regex(h.screen(), /shut off/);
  await h.keys('escape', 'escape', ':', ...'lint', 'enter');
  await h.until(/Lint \| \d+ findings/);
  t.regex(h.screen(), /web-01: no guest agent channel/);
  // the counts in the header agree with their nouns
  t.notRegex(h.text()[0]!, /\b1 (errors|warnings|notes)\b/);
  t.regex(h.text()[0]!, /\d+ errors?, \d+ warnings?, \d+ notes?/);
});

test('set-user-password: the password is masked in the form and never in the log or the status line', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  const pw = 'S3cret-Pa55';
  await agentTab(h);
  await h.keys('P');
  await h.until(/Set a user's password in web-01/);
  await h.keys('tab', ...pw, 'tab', ...pw);
  t.regex(h.screen(), /•{11}/);
  t.notRegex(h.screen(), new RegExp(pw));
  await h.keys('tab', 'enter');
  await h.until(/✓ virsh set-user-password/);
  const entry = h.conn.log.entries.at(-1)!;
  t.regex(entry.command, /--password '?\*{8}'?/);
  for (const s of [entry.command, entry.short, entry.message, entry.detail, h.conn.status.text, h.screen(), h.written()]) t.false(s.includes(pw));
});

test('freeze asks and says writes block; FROZEN shows until thawed; quitting with a frozen guest asks', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  await agentTab(h);
  await h.keys('z');
  await h.until(/Freeze the filesystems of web-01/);
  t.regex(h.screen(), /blocks until/);
  await h.keys('y');
  await h.until(/Domain web-01 \(agent\) \| running FROZEN/);
  await h.keys('escape', 'escape');
  await h.until(/^web-01 +running FROZEN/m);
  await h.keys('q');
  await h.until(/Quit virtui/);
  t.regex(h.screen(), /web-01 are frozen|web-01 (is|are) frozen|filesystems of web-01/);
  await h.keys('escape', 'enter', '4', 'Z');
  await h.until(/domfsthaw/);
  await h.keys('escape', 'escape');
  await h.until(/^web-01 +running /m);
  t.notRegex(h.screen(), /FROZEN/);
});

test('set-user-password typed on the : line: the password is in no log, status line, screen or :log save script', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  const pw = 'Hunter2-Typed';
  await h.keys(':', ...`set-user-password web-01 root ${pw}`, 'enter');
  await h.until(/set-user-password/);
  await h.keys(':', ...`set-user-password --domain web-01 --user root --password ${pw}x`, 'enter');
  await h.until(/done|line/);
  const entries = h.conn.log.entries.filter((e) => /set-user-password/.test(e.command));
  t.is(entries.length, 2);
  const script = logScript(h.conn.log.entries).text;
  for (const e of entries) for (const s of [e.command, e.short, e.message, e.detail]) t.false(s.includes(pw), s);
  // (the line itself shows as it is typed, like a shell's)
  for (const s of [h.conn.status.text, h.screen(), script]) t.false(s.includes(pw), s);
  t.regex(entries[0]!.command, /web-01/, 'the domain is still named');
});

test('a frozen guest that restarts or stops is FROZEN no more (a new QEMU starts thawed), and quitting does not ask about it', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  await agentTab(h);
  await h.keys('z');
  await h.until(/Freeze the filesystems of web-01/);
  await h.keys('y');
  await h.until(/running FROZEN/);
  // restarted behind virtui's back between two loads: another id
  await h.conn.run(['destroy', '--domain', 'web-01']);
  await h.conn.run(['start', '--domain', 'web-01']);
  h.conn.domains.invalidate();
  await h.conn.domains.refresh();
  t.false(frozenOf(h.conn).has('web-01'));
  await h.until(/Domain web-01 \(agent\) \| running(?! FROZEN)/);
  // and one that is shut off
  await h.keys('z');
  await h.until(/Freeze the filesystems of web-01/);
  await h.keys('y');
  await h.until(/running FROZEN/);
  await h.conn.run(['destroy', '--domain', 'web-01']);
  h.conn.domains.invalidate();
  await h.conn.domains.refresh();
  t.deepEqual(frozenOf(h.conn).list, []);
});

test('80x24: a long title gives way to the summary in the header: FROZEN stays in sight', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'kube-node-1', 'enter', 'enter', '4');
  await h.until(/has no guest agent channel/);
  await h.keys('z');
  await h.until(/Freeze the filesystems of kube-node-1/);
  await h.keys('y');
  await h.until(/domfsfreeze --domain kube-node-1: ok/);
  t.regex(h.text()[0]!, /\| running FROZEN\s*$/);
  t.regex(h.text()[0]!, /kube-node/);
  await h.keys('Z');
  await h.until(/domfsthaw/);
});

test(':why and :stats without a name are about the selected domain', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'legacy-erp', 'enter');
  await h.keys(':', ...'why', 'enter');
  await h.until(/Domain legacy-erp \(diagnose\)/);
  await h.keys('escape', ':', ...'stats', 'enter');
  await h.until(/legacy-erp/);
  t.notRegex(h.text()[0]!, /web-01|build-runner/);
});
