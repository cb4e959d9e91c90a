// `[` and `]` on the snapshots and the charts step through the domains in the domains list's
// order (its sort), the charts through the running ones only; the snapshot tree keeps its shape.
import test from 'ava';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';

/** the domain names of the domains list, top to bottom, with the rest of their rows */
const listed = (h: Harness) => {
  const names = h.app.conn.domains.domains.map((d) => d.name).sort((a, b) => b.length - a.length);
  return h.text().slice(3, -2).flatMap((l) => {
    const n = names.find((x) => l.startsWith(`${x} `));
    return n ? [{ name: n, rest: l.slice(n.length) }] : [];
  });
};
const re = (s: string) => new RegExp(s.replace(/[$()[\]{}.*+?^|\\]/g, '\\$&'));
test('snapshots: ] follows the domains list as sorted on screen', async (t) => {
  const h = await openApp(DEMO_URI, 100, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('s', 's', 'S'); // by CPU %, then reversed: not libvirt's order, not by name
  await h.until(/CPU%▼/);
  const order = listed(h).map((r) => r.name);
  t.true(order.length >= 10, h.screen());
  t.notDeepEqual(order, h.app.conn.domains.domains.map((d) => d.name).slice(0, order.length));
  await h.keys('home', 't');
  await h.until(re(`Snapshots of ${order[0]}`));
  for (const next of order.slice(1, 5)) {
    await h.keys(']');
    await h.until(re(`Snapshots of ${next} |`));
  }
  await h.keys('[');
  await h.until(re(`Snapshots of ${order[3]} |`));
});

test('charts: ] visits the running domains only, in the list\'s order', async (t) => {
  const h = await openApp(DEMO_URI, 100, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('s'); // by state: running first
  await h.until(/STATE▲/);
  const running = listed(h).filter((r) => /^ +running /.test(r.rest)).map((r) => r.name);
  t.true(running.length >= 3);
  await h.keys('home', 'v');
  await h.until(re(`Stats ${running[0]} |`));
  const seen: string[] = [];
  for (let i = 0; i < running.length + 1; i++) {
    await h.keys(']');
    const m = /Stats (.+?) \| (\S+)/.exec(h.text()[0]!);
    t.truthy(m, h.text()[0]);
    t.is(m![2], 'running', h.text()[0]);
    seen.push(m![1]!);
  }
  t.deepEqual(seen, [...running.slice(1), running[0]!, running[1]!]);
});
