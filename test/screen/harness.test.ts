// The harness itself: a key returns once virtui has done what it started, however slow virsh is.
import test from 'ava';
import { join } from 'node:path';
import { openApp } from './harness.ts';
import { DEMO_URI, FIXTURES } from '../helpers.ts';

// every line virsh reads is answered 0.15 s late, far beyond any fixed sleep
const SLOW_VIRSH = join(FIXTURES, 'slow-virsh');

test('on a slow virsh, keys() waits for the calls a key starts: the next assertion needs no until()', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30, { demo: true, virsh: SLOW_VIRSH });
  t.teardown(() => h.close());
  await h.keys('/', ...'web-02', 'enter', 'D');
  t.regex(h.screen(), /Destroy web-02/);
  await h.keys('y');
  // the action, then the refresh it causes, then the render
  t.regex(h.screen(), /^web-02 +shut off/m);
  t.regex(h.screen(), /✓ virsh destroy --domain web-02: ok/);
  await h.keys(':', ...'nodeinfo', 'enter');
  t.regex(h.screen(), /CPU model: +x86_64/);
  t.false(h.conn.session.busy);
});
