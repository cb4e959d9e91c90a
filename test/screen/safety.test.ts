// Input that can never surprise (issue 11): modal prompts, the way back, quitting that names what
// is lost, keys judged on the state the user saw, commands that would hold the session, ^L, a
// huge paste, and a connection that stops answering. On the demo host (real virsh, test driver).
import test from 'ava';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI, capture, waitFor } from '../helpers.ts';
import { virshFailure } from '../../src/virsh/errors.ts';
import type { Domain } from '../../src/libvirt/types.ts';

const exited = (h: Harness) => (h.app as unknown as { exited: boolean }).exited;
const status = (h: Harness) => h.text().at(-2)!;

test('a prompt stays open on Backspace at its start: the letters typed next are never actions', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', 'w', 'e', 'b', 'enter');
  await h.until(/\/web: 2 shown/);
  await h.keys('/');
  await h.until(/^\/web/m);
  await h.keys('backspace', 'backspace', 'backspace', 'backspace', 'backspace');
  t.regex(status(h), /^\/ *$/, 'the prompt is still open, empty');
  await h.keys('d', 'b');
  t.regex(status(h), /^\/db/);
  t.deepEqual(h.conn.log.entries.map((e) => e.short), [], 'no action ran');
  // ^C cancels a prompt (as in a shell); it does not quit
  await h.keys('C-c');
  t.false(exited(h));
  t.notRegex(status(h), /^\/db/);
  // the : line too
  await h.keys(':', 'backspace', 'backspace', 'd');
  t.regex(status(h), /^:d/);
  await h.keys('escape');
  t.deepEqual(h.conn.log.entries.map((e) => e.short), []);
});

test('Esc and q go back the way the user came; q quits only on the first screen', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'net', 'enter');
  await h.until(/Networks \|/);
  await h.keys(':', ...'pool', 'enter');
  await h.until(/Storage pools \|/);
  await h.keys('q');
  await h.until(/Networks \|/);
  await h.keys('escape');
  await h.until(/Domains \|/);
  t.false(exited(h));
  await h.keys('L');
  await h.until(/Action log/);
  await h.keys('q');
  await h.until(/Domains \|/);
  t.false(exited(h));
  // :dom from deep down goes back to the first screen instead of stacking another
  await h.keys(':', ...'pool', 'enter');
  await h.until(/Storage pools \|/);
  await h.keys(':', ...'dom', 'enter');
  await h.until(/Domains \|/);
  await h.keys('q');
  t.true(exited(h), 'q on the first screen quits (nothing to lose)');
});

test('quitting the demo after a change asks and names it; ^C cancels the question; yes quits', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.until(/build-runner +shut off/);
  await h.keys('u'); // build-runner, the first row
  await h.until(/virsh start --domain build-runner: /);
  await h.keys('q');
  await h.until(/Quit virtui/);
  t.regex(h.screen(), /your 1 change to it is lost/);
  await h.keys('C-c');
  t.notRegex(h.screen(), /Quit virtui/);
  t.false(exited(h));
  await h.keys('C-c');
  await h.until(/Quit virtui/);
  await h.keys('y');
  t.true(exited(h));
});

test('p five times at once is one suspend: the keys wait for its result instead of failing four times', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'web-01', 'enter');
  await h.until(/web-01 +running/);
  await h.keys('ppppp'); // one read of the terminal: five keys before any answer
  await h.until(/web-01 +paused/);
  const runs = h.conn.log.entries.map((e) => `${e.short} ${e.ok ? 'ok' : 'failed'}`);
  t.deepEqual(runs, ['virsh suspend --domain web-01 ok']);
  // once the action and its refresh are done, p acts on the new state: resume
  await h.keys('p');
  await h.until(/web-01 +running/);
  t.deepEqual(h.conn.log.entries.map((e) => e.short), ['virsh suspend --domain web-01', 'virsh resume --domain web-01']);
});

test('a key during the reload after an action is not taken while the row shows the state before it; once the row shows the result (an event\'s reload came first), it is', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'web-01', 'enter');
  await h.until(/web-01 +running/);
  // the reload the action asks for waits at a gate
  const store = h.conn.domains as unknown as { fetch(): Promise<Domain[]>; publish(d: Domain[]): void };
  const fetch = store.fetch.bind(store);
  let open!: () => void;
  const gate = new Promise<void>((r) => { open = r; });
  store.fetch = async () => { await gate; return fetch(); };
  t.teardown(() => open());
  h.press('p');
  await h.until(/virsh suspend --domain web-01: /);
  t.regex(h.screen(), /web-01 +running/, 'the row has not been read again yet');
  h.press('p');
  await h.until(/web-01: key not taken: reading the state after virsh suspend --domain web-01/);
  t.deepEqual(h.conn.log.entries.map((e) => e.short), ['virsh suspend --domain web-01'], 'the second p did nothing');
  // another load (an event's, begun while the action ran) shows the new state first
  store.publish(await fetch());
  await h.until(/web-01 +paused/);
  h.press('p');
  await h.until(/virsh resume --domain web-01: /);
  open();
  await h.until(/web-01 +running/);
  await h.idle();
  t.deepEqual(h.conn.log.entries.map((e) => `${e.short} ${e.ok ? 'ok' : 'failed'}`), ['virsh suspend --domain web-01 ok', 'virsh resume --domain web-01 ok']);
});

test('a command that streams or waits never holds the session; one without output is a status line', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'event --all --loop', 'enter');
  await h.until(/virsh event cannot run on this host: it waits for events/);
  t.is(h.conn.session.stats.restarts, 0);
  await h.keys(':', ...'qemu-monitor-event', 'enter');
  await h.until(/virsh qemu-monitor-event cannot run/);
  await h.keys(':', ...'domrename dev\\ sandbox sandbox', 'enter');
  await h.until(/virsh domrename 'dev sandbox' sandbox: /);
  await h.keys(':', ...'echo', 'enter');
  await h.until(/virsh echo: done \(no output\)/);
  t.regex(h.text()[0]!, /Domains \|/, 'no empty output pane');
});

test('^L repaints every cell', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.until(/web-02/);
  h.text();
  const before = h.written().length;
  await h.keys('\x0c');
  // the terminal stream hands on what was written a moment later
  await waitFor(() => h.written().slice(before).includes('build-runner'), 30_000, () => 'a repaint of the rows');
  const after = h.written().slice(before);
  t.true(after.includes('virtui'), 'the header was written again');
  t.true(after.includes('build-runner'), 'and the rows');
});

test('a 10,000-character paste into a prompt is one frame, not one per character', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  let renders = 0;
  const render = h.app.screen.render.bind(h.app.screen);
  h.app.screen.render = () => { renders++; render(); };
  let filtered = 0;
  const f = h.app.top!.filter!;
  const set = f.set.bind(f);
  f.set = (v: string) => { filtered++; set(v); };
  await h.keys('/');
  renders = 0;
  await h.keys('x'.repeat(10_000));
  await h.until(/no domain matches/);
  t.true(renders < 20, `${renders} renders for one paste`);
  t.true(filtered < 20, `${filtered} filter runs for one paste`);
  t.is(f.value.length, 10_000);
  await h.keys('escape');
});

test('libvirt stops answering: STALE rows and the real cause; the first answer clears both', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.until(/web-02 +running/);
  const run = h.conn.run.bind(h.conn);
  h.conn.run = () => Promise.reject(virshFailure('virsh list --all', capture('lab-error-daemon-killed.txt')));
  h.app.refresh();
  await h.until(/STALE: no answer from libvirt/);
  t.regex(h.text()[0]!, /STALE/);
  t.regex(h.screen(), /web-02 +running \? +\?/);
  // the most specific cause, and the hint about the lost connection
  t.regex(status(h), /libvirt does not answer: Connection refused \(\/var\/run\/libvirt\/libvirt-sock\)/);
  t.regex(h.conn.status.hint!, /the connection to libvirtd was lost/);
  h.conn.run = run;
  h.app.refresh();
  await h.until(/libvirt answers again/);
  t.notRegex(h.screen(), /STALE/);
  t.regex(h.screen(), /web-02 +running +/);
  t.notRegex(h.screen(), /running \?/);
});

test('keys typed in the same burst after :net Enter act on the networks, never on the domain selected before', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'db-primary', 'enter');
  await h.until(/db-primary +running/);
  await h.keys(':net\rD'); // one read of the terminal
  await h.until(/Networks \|/);
  // D went to the networks (a stop question once its rows are there), never to db-primary
  t.notRegex(h.screen(), /Destroy db-primary/);
  await h.keys('escape');
  t.deepEqual(h.conn.log.entries.map((e) => e.short), []);
});

test('? judges the keys on the screen below it: on the first screen / filters and q quits', async (t) => {
  // tall enough for the whole help of the domains screen (it grows with each key)
  const h = await openApp(DEMO_URI, 120, 80, { demo: true });
  t.teardown(() => h.close());
  await h.keys('?');
  await h.until(/Everywhere/);
  const lines = h.text();
  const line = (re: RegExp) => lines.find((l) => re.test(l)) ?? '';
  t.regex(line(/^ {2}\/ +filter/), /filter/);
  t.notRegex(line(/^ {2}\/ +filter/), /not now/);
  t.notRegex(line(/quit virtui \(on the first screen\)/), /not now/);
  t.regex(line(/back to the previous screen/), /not now/);
  // the last lines of the help, below the first page
  await h.keys('end');
  t.regex(h.screen(), /:q! +quit without asking/);
});

test('a second question waits for the first instead of replacing it (the first one\'s object is never held for good)', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  const first = h.app.ask({ title: 'First question', message: ['one'], confirmLabel: 'Yes' });
  const second = h.app.ask({ title: 'Second question', message: ['two'], confirmLabel: 'Yes' });
  await h.until(/First question/);
  t.notRegex(h.screen(), /Second question/);
  await h.keys('n');
  t.false((await first).confirmed);
  await h.until(/Second question/);
  t.notRegex(h.screen(), /First question/);
  await h.keys('y');
  t.true((await second).confirmed);
  t.notRegex(h.screen(), /question/);
});

test(':dom on the first screen keeps it as it is (no second copy, the selection stays)', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys('j', 'j', 'j');
  await h.until(/db-replica/);
  const children = (h.app as unknown as { body: { children: unknown[] } }).body.children.length;
  await h.keys(':', ...'dom', 'enter');
  await h.keys(':', ...'dom', 'enter');
  t.is((h.app as unknown as { body: { children: unknown[] } }).body.children.length, children);
  t.regex(h.text().at(-1)!, /p resume/, 'db-replica (paused) is still selected');
});
