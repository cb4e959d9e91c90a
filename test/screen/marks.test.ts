// Marks and actions on the marked rows (issue 17): Space, `*`, U; one question that lists the
// targets and those skipped; each result in the action log; a summary in the status line; the
// same across hosts in the fleet view. On the demo host (real virsh, test driver).
import test from 'ava';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI, HOSTILE_URI } from '../helpers.ts';

const status = (h: Harness) => h.text().at(-2)!;
/** the open dialog's words, its wrapped lines joined */
const dialog = (h: Harness) => h.text().map((l) => /│(.*)│/.exec(l)?.[1]?.trim()).filter((l): l is string => !!l).join(' ');
/** selects `name` through the filter, marks it, and clears the filter */
async function mark(h: Harness, ...names: string[]): Promise<void> {
  for (const n of names) await h.keys('/', 'C-u', ...n, 'enter', ' ');
  await h.keys('/', 'C-u', 'enter');
}

test('Space marks the row and moves down; the header counts; marks survive a refresh; U clears them', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys(' ', ' ');
  const s = h.screen();
  t.regex(h.text()[0]!, /Domains \| 2 marked \| 13 domains/);
  t.regex(s, /^\* build-runner +shut off/m);
  t.regex(s, /^\* ci-ephemeral-7 +running/m);
  t.regex(s, /^ {2}db-primary +running/m, 'the others keep their place in the gutter');
  t.regex(h.text().at(-1)!, /U unmark/);
  await h.app.conn.domains.refresh();
  t.regex(h.text()[0]!, /2 marked/);
  // Space again unmarks
  await h.keys('k', ' ');
  t.regex(h.text()[0]!, /1 marked/);
  await h.keys('U');
  t.notRegex(h.text()[0]!, /marked/);
  t.regex(h.screen(), /^build-runner +shut off/m, 'no gutter without marks');
});

test('a key acts on every marked row it applies to: one question lists them and the skipped ones; each result is logged; the status line sums up', async (t) => {
  const h = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => h.close());
  await mark(h, 'legacy-erp', 'build-runner', 'kube-node-2', 'web-01');
  t.regex(h.text()[0]!, /4 marked/);
  await h.keys('u');
  const q = h.screen();
  t.regex(q, /Start 3 domains/);
  t.regex(q, /build-runner, kube-node-2, legacy-erp/);
  t.regex(q, /Skipped: web-01 \(running\)/);
  t.notRegex(status(h), /reading what it would do/, 'the status line does not spin while the question waits');
  t.deepEqual(h.conn.log.entries.map((e) => e.short), [], 'nothing ran before the answer');
  await h.keys('y');
  await h.until(/start: 2 ok, 1 failed: legacy-erp \(.*already active\), 1 skipped/);
  t.deepEqual(h.conn.log.entries.map((e) => `${e.ok ? 'ok' : 'failed'} ${e.short}`).sort(), [
    'failed virsh start --domain legacy-erp', 'ok virsh start --domain build-runner', 'ok virsh start --domain kube-node-2',
  ]);
  await h.until(/^\* kube-node-2 +running/m);
  t.regex(status(h), /✗ start: 2 ok/);
});

test('a destructive action on more than 5 rows wants their count typed; a domain that goes loses its mark', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  await h.keys('*');
  t.regex(h.text()[0]!, /13 marked/);
  await h.keys('D');
  const q = h.screen();
  t.regex(q, /Destroy 9 domains/);
  t.regex(q, /Each one's own question, as for ci-ephemeral-7:[\s\S]*Power off ci-ephemeral-7 at once/);
  // only the transient one disappears for good: the line says whom it is for
  t.regex(dialog(h), /ci-ephemeral-7 is transient: it disappears completely when it stops\. \(only ci-ephemeral-7\)/);
  t.regex(q, /Type 9 to confirm/);
  await h.keys('y', 'enter');
  t.regex(h.screen(), /type "9" exactly/);
  t.deepEqual(h.conn.log.entries, [], 'y is not enough');
  await h.keys('backspace', '9', 'enter');
  await h.until(/destroy: 9 ok, 4 skipped/);
  t.is(h.conn.log.entries.filter((e) => e.ok && /destroy/.test(e.short)).length, 9);
  // ci-ephemeral-7 was transient: it is gone, and so is its mark
  await h.until(/12 marked \| 12 domains/);
  // * again on all marked rows unmarks them
  await h.keys('*');
  t.notRegex(h.text()[0]!, /marked/);
});

test('Esc on the question runs nothing; the keys that open a form act on the selected row', async (t) => {
  const h = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => h.close());
  await mark(h, 'web-01', 'web-02');
  await h.keys('d');
  t.regex(h.screen(), /Shutdown 2 domains/);
  await h.keys('escape');
  t.regex(status(h), /shutdown: cancelled, nothing ran/);
  t.deepEqual(h.conn.log.entries, []);
  // the footer offers the marked rows' keys with their count
  t.regex(h.text().at(-1)!, /d shutdown \(2\)/);
});

test('the fleet view: marks across hosts, one question, each host runs its own', async (t) => {
  const h = await openApp(DEMO_URI, 140, 40, { demo: true, more: [{ uri: HOSTILE_URI, name: 'hostile' }] });
  t.teardown(() => h.close());
  await h.keys('A');
  await h.until(/Fleet \| 2 hosts/);
  await h.until(/^hostile +web 01 +running/m);
  await mark(h, 'web-01', 'web 01', 'x running');
  t.regex(h.text()[0]!, /3 marked/);
  await h.keys('p');
  const q = h.screen();
  t.regex(q, /Suspend 2 domains/);
  t.regex(q, /on 2 hosts: web-01@demo, web 01@hostile/);
  t.regex(q, /Skipped: x running@hostile \(shut off\)/);
  await h.keys('y');
  await h.until(/suspend: 2 ok, 1 skipped/);
  const log = h.conn.log.entries.map((e) => `${e.host} ${e.short}`).sort();
  t.deepEqual(log, ["demo virsh suspend --domain web-01", "hostile virsh suspend --domain 'web 01'"]);
  await h.until(/^\* demo +web-01 +paused/m);
});

test('every kind has marks: autostart on for all the networks at once', async (t) => {
  const h = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'net', 'enter');
  await h.until(/Networks \|/);
  await h.keys('*', 'a');
  t.regex(h.screen(), /Autostart on 3 networks: backend, default, isolated/);
  await h.keys('y');
  await h.until(/autostart on: 3 ok/);
  t.deepEqual(h.conn.log.entries.map((e) => e.short).sort(), ['virsh net-autostart --network backend', 'virsh net-autostart --network default', 'virsh net-autostart --network isolated']);
});

test('a key that skips a marked row says why in words: undefine skips a transient domain', async (t) => {
  const h = await openApp(DEMO_URI, 120, 30, { demo: true });
  t.teardown(() => h.close());
  await mark(h, 'ci-ephemeral-7', 'web-01');
  await h.keys('X');
  t.regex(h.screen(), /Undefine 1 domain: web-01\./);
  t.regex(h.screen(), /Skipped: ci-ephemeral-7 \(running, transient\)/);
  // its own question wanted the name typed: the bulk one wants the count, even for one
  t.regex(h.screen(), /Type 1 to confirm/);
  await h.keys('escape');
});

test('the fleet view with marks on a writable host: a key that acts on the selected row only is not offered when that row\'s host is read-only', async (t) => {
  let edited = 0;
  const h = await openApp(DEMO_URI, 140, 40, { demo: true, more: [{ uri: HOSTILE_URI, name: 'hostile' }], editFile: async () => { edited++; } });
  t.teardown(() => h.close());
  // hostile is read-only (as `readonly: true` in the config makes it)
  (h.app.connections[1] as { readonly: boolean }).readonly = true;
  await h.keys('A');
  await h.until(/^hostile +web 01 +running/m);
  await mark(h, 'web-01');
  t.regex(h.text()[0]!, /1 marked/);
  // the selected row is on the read-only host: e (edit its XML) acts on that row alone
  await h.keys('/', 'C-u', ...'web 01', 'enter');
  t.regex(h.screen(), /^ {2}hostile +web 01/m);
  t.notRegex(h.text().at(-1)!, /e edit/);
  await h.keys('e');
  t.is(edited, 0);
  t.false(h.conn.log.entries.some((e) => /define/.test(e.short)));
});

test('a bulk question names what each row loses where their own questions differ: a running domain stays as transient, a shut off one is gone, a managed save image is named with its domain', async (t) => {
  const h = await openApp(DEMO_URI, 120, 40, { demo: true });
  t.teardown(() => h.close());
  await mark(h, 'web-01', 'win11-desktop');
  await h.keys('X');
  const q = dialog(h);
  t.regex(q, /Undefine 2 domains: web-01, win11-desktop\./);
  t.regex(q, /It keeps running as a transient domain and disappears when it stops\. \(only web-01\)/);
  t.regex(q, /It can only be brought back from a saved copy of its XML\. \(only win11-desktop\)/);
  t.regex(q, /also remove its managed save image \(the saved memory state\): win11-desktop/);
  t.notRegex(q, /each one where it applies/);
  await h.keys('escape');
});
