// Text views at 80 columns: long lines wrap instead of being cut, and `/` `n` `N` search them.
import test from 'ava';
import { openApp } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';

test('80x24: a long line of a : command wraps, nothing is cut', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  const long = `${'word '.repeat(30)}THE-REASON-AT-THE-END`;
  await h.keys(':', ...`echo ${long}`, 'enter');
  await h.until(/THE-REASON-AT-THE-END/);
  // the body (the status line may shorten the command it names)
  t.false(h.text().slice(1, -2).some((l) => l.includes('…')), h.screen());
  t.true(h.text().every((l) => [...l].length <= 80));
});

test('80x24: the help screen wraps its long lines', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('?', 'G');
  await h.until(/e\.g\. :nodeinfo/);
  t.false(h.text().slice(1, -2).some((l) => l.includes('…')), h.screen());
});

test('/ searches the output of a : command; n and N step through the matches', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'help', 'enter');
  await h.until(/Domain Management/);
  t.notRegex(h.screen(), /snapshot-revert/);
  await h.keys('/', ...'snapshot-revert', 'enter');
  await h.until(/snapshot-revert/);
  await h.keys('/', ...'list', 'enter');
  const first = h.text().findIndex((l) => /list/.test(l));
  t.true(first > 0);
  const body = () => h.text().slice(1, -2).join('\n');
  const before = body();
  await h.keys('n');
  t.not(body(), before);
  t.regex(h.screen(), /\/list: match \d+ of \d+/);
  await h.keys('N');
  t.is(body(), before);
  await h.keys('/', ...'no-such-text-anywhere', 'enter');
  await h.until(/no-such-text-anywhere: not found/);
});

test('/ searches the XML tab of a domain', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('enter');
  await h.until(/Overview/);
  await h.keys('x');
  await h.until(/<domain/);
  t.notRegex(h.screen(), /<\/domain>/);
  await h.keys('/', ...'</domain>', 'enter');
  await h.until(/<\/domain>/);
});

test('80x24: the action log shows the selected command and its error whole', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  const name = 'a-domain-name-that-is-very-long-and-is-nowhere-on-this-host-at-all-END';
  await h.keys(':', ...`dominfo ${name}`, 'enter');
  await h.until(/failed to get domain/);
  await h.keys('escape', 'L');
  await h.until(/Action log/);
  // wrapped under the table, the command and virsh's error line are there to their ends
  const s = h.text().slice(3).join('').replace(/\s+/g, '');
  t.true(s.includes(`dominfo${name}FAILED:failedtogetdomain'${name}'`), h.screen());
});

test('80x24: the footer ends with "? more" when keys do not fit; one pool, one entry', async (t) => {
  const h = await openApp('test:///default', 80, 24);
  t.teardown(() => h.close());
  await h.keys('j');
  t.regex(h.text()[23]!, /  \? more$/);
  await h.keys(':', ...'pool', 'enter');
  await h.until(/Storage pools \| 1 pool, 1 active/);
  await h.keys(':', ...'version', 'enter', 'escape', ':', ...'log', 'enter');
  await h.until(/Action log \| 1 entry/);
});

test('a text view keeps the blank lines of what it shows (virsh help, the Agent tab)', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'help dominfo', 'enter');
  await h.until(/SYNOPSIS/);
  t.regex(h.screen(), /dominfo - domain information\n\n {2}SYNOPSIS\n {4}dominfo <domain>\n\n {2}DESCRIPTION/);
  await h.keys('q', '/', ...'web-01', 'enter', 'enter', '4');
  await h.until(/has no guest agent channel/);
  t.regex(h.screen(), /a password\.\n\nAdd this/);
});
