// One full refresh on the real demo world, through a real session.
import test from 'ava';
import { VirshSession } from '../../src/virsh/session.ts';
import { fetchDomains, DomainStore, BULK_CALLS, TICK_CALLS, ACTIVE_TICK_ARGS, FLAG_CALLS, FULL_EVERY_MS } from '../../src/model/domains.ts';
import { writeWorld } from '../../bench/world.ts';
import { domainsOf } from '../../src/model/connection.ts';
import { DEMO_URI, HOSTILE_URI, HOSTILE_NAMES, DASH_NAMES, FIXTURES } from '../helpers.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

test('demo host: every state, sizes, autostart, transient and managed save', async (t) => {
  const s = new VirshSession({ uri: DEMO_URI });
  t.teardown(() => s.close());
  await s.run(['autostart', 'web-01']);
  const { domains, calls } = await fetchDomains(s);
  t.is(domains.length, 13);
  t.is(calls, BULK_CALLS.length + 13); // the test driver's domstats has only the state: one dominfo each
  const by = Object.fromEntries(domains.map((d) => [d.name, d]));
  t.deepEqual([...new Set(domains.map((d) => d.state))].sort(), ['crashed', 'paused', 'pmsuspended', 'running', 'shut off']);
  t.is(by['db-primary']!.vcpus, 8);
  t.is(by['db-primary']!.memoryMax, 16 * 1024 * 1024);
  t.is(by['web-02']!.memory, 1536 * 1024);
  t.true(by['web-01']!.autostart);
  t.false(by['web-02']!.autostart);
  t.false(by['ci-ephemeral-7']!.persistent);
  t.true(by['win11-desktop']!.managedSave);
  t.is(by['dev sandbox']!.id, null);
  t.is(by['dev sandbox']!.cpuTime, undefined);
});

test('hostile names survive a refresh', async (t) => {
  const s = new VirshSession({ uri: HOSTILE_URI });
  t.teardown(() => s.close());
  const { domains } = await fetchDomains(s);
  t.deepEqual(domains.map((d) => d.name).sort(), [...HOSTILE_NAMES, ...DASH_NAMES].sort());
  t.true(domains.every((d) => d.vcpus !== undefined && d.memoryMax !== undefined));
});

test('the store: a refresh asked for during one runs once more after it; failures are reported, not thrown', async (t) => {
  let calls = 0;
  let fail = false;
  const runner = {
    run: async (args: readonly string[]) => {
      calls++;
      if (fail) throw Object.assign(new (await import('../../src/virsh/errors.ts')).VirshError('virsh list', 'boom', ''), {});
      await new Promise((r) => setTimeout(r, 5));
      return args[0] === 'list' && args.length === 2 ? ' 1   a   running\n' : args[0] === 'dominfo' ? 'CPU(s): 1\nMax memory: 1024 KiB\nUsed memory: 1024 KiB\n' : '';
    },
  };
  const store = new DomainStore(runner);
  let changes = 0;
  let loads = 0;
  store.on('change', () => changes++);
  store.on('loaded', () => loads++);
  await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
  t.is(loads, 2);
  // the first load: the list, then dominfo's numbers in it; the second found the same: nothing to redraw
  t.is(changes, 2);
  t.is(store.domains[0]!.name, 'a');
  fail = true;
  const errors: unknown[] = [];
  store.on('failed', (e) => errors.push(e));
  await store.refresh();
  t.is(errors.length, 1);
  t.is(store.domains.length, 1, 'the last good list is kept');
  t.true(calls > 0);
});

test('a steady tick makes the same one call at 300 domains as at 3; dominfo is asked once per domain, again only when it changes', async (t) => {
  const perTick: number[] = [];
  for (const n of [3, 300]) {
    const s = new VirshSession({ uri: `test://${writeWorld(n)}` });
    t.teardown(() => s.close());
    const store = new DomainStore(s);
    await store.refresh();
    t.is(store.calls, BULK_CALLS.length + n, 'the first load asks dominfo of each (the test driver has no numbers in domstats)');
    t.is(store.get('bench-0002')!.vcpus, 3);
    let changes = 0;
    store.on('change', () => changes++);
    const before = store.calls;
    await store.refresh();
    await store.refresh();
    perTick.push((store.calls - before) / 2);
    t.is(changes, 0, 'nothing changed: nothing to redraw');
    t.is(store.get('bench-0002')!.memoryMax, 3 * 512 * 1024, 'the numbers dominfo gave are kept');
    // an action on one domain: everything is read again, and dominfo of that one only
    await s.run(['setmem', '--domain', 'bench-0000', '--size', '262144', '--current']);
    store.invalidate(domainsOf(['setmem', '--domain', 'bench-0000']));
    const b2 = store.calls;
    await store.refresh();
    t.is(store.calls - b2, BULK_CALLS.length + 1);
    t.is(store.get('bench-0000')!.memory, 262144);
    t.is(changes, 1);
    // a domain that stops behind virtui's back: the tick sees the list change and reads it all
    await s.run(['destroy', '--domain', 'bench-0001']);
    const b3 = store.calls;
    await store.refresh();
    t.is(store.calls - b3, TICK_CALLS.length + BULK_CALLS.length);
    t.is(store.get('bench-0001')!.state, 'shut off');
    t.is(changes, 2);
  }
  t.deepEqual(perTick, [TICK_CALLS.length, TICK_CALLS.length]);
});

test('hostile names stay exact through steady ticks', async (t) => {
  const s = new VirshSession({ uri: HOSTILE_URI });
  t.teardown(() => s.close());
  const store = new DomainStore(s);
  await store.refresh();
  await store.refresh();
  t.deepEqual(store.domains.map((d) => d.name).sort(), [...HOSTILE_NAMES, ...DASH_NAMES].sort());
  t.true(store.domains.every((d) => d.vcpus !== undefined && d.memoryMax !== undefined));
});

test('which domains an action may have changed', (t) => {
  t.deepEqual(domainsOf(['setmem', '--domain', '-x', '--size', '1']), ['-x']);
  t.deepEqual(domainsOf(['net-start', '--network', 'default']), []);
  t.is(domainsOf(['define', '--file', '/tmp/x.xml']), undefined);
});

test('the first load shows the list before dominfo has given every number', async (t) => {
  const s = new VirshSession({ uri: `test://${writeWorld(50)}` });
  t.teardown(() => s.close());
  const store = new DomainStore(s);
  const seen: Array<{ n: number; withNumbers: number }> = [];
  store.on('change', () => seen.push({ n: store.domains.length, withNumbers: store.domains.filter((d) => d.vcpus !== undefined).length }));
  await store.refresh();
  t.deepEqual(seen, [{ n: 50, withNumbers: 0 }, { n: 50, withNumbers: 50 }]);
});

test('a steady tick that finds a domain restarted (its CPU time went back) reads everything again: its new id shows', async (t) => {
  const fx = (f: string) => readFileSync(join(FIXTURES, 'virsh', f), 'utf8');
  // lab-gamma destroyed and started between t2 and t3 (real captures); no event stream told
  let gammaId = 3;
  let stats = fx('lab-domstats-t2.txt');
  const runner = {
    run: async (args: readonly string[]) => {
      if (args[0] === 'domstats') return stats;
      if (args.join(' ') === 'list --all') return ` 1   lab-alpha   running\n 2   lab-beta    paused\n ${gammaId}   lab-gamma   running\n`;
      return '';
    },
  };
  const store = new DomainStore(runner);
  await store.refresh();
  t.is(store.get('lab-gamma')!.id, 3);
  gammaId = 4;
  stats = fx('lab-domstats-t3-gamma-restarted.txt');
  await store.refresh();
  t.is(store.get('lab-gamma')!.id, 4);
  t.is(store.get('lab-alpha')!.id, 1);
});

test('an action that names the domain by UUID (domainArg does, for a name that reads as an id) reads its dominfo again', async (t) => {
  const s = new VirshSession({ uri: 'test:///default' });
  t.teardown(() => s.close());
  const store = new DomainStore(s);
  await store.refresh();
  const uuid = store.get('test')!.uuid!;
  const before = store.get('test')!.memory;
  await s.run(['setmem', '--domain', uuid, '--size', '262144', '--current']);
  store.invalidate(domainsOf(['setmem', '--domain', uuid, '--size', '262144', '--current']));
  await store.refresh();
  t.not(before, 262144);
  t.is(store.get('test')!.memory, 262144);
});

test('a tick that reads word for word what the last one read parses nothing and keeps the same list; time still passes in the history', async (t) => {
  const fx = (f: string) => readFileSync(join(FIXTURES, 'virsh', f), 'utf8');
  let stats = fx('lab-domstats-t1.txt');
  let now = 1_000_000;
  const runner = {
    run: async (args: readonly string[]) => {
      if (args[0] === 'domstats') return stats;
      if (args.join(' ') === 'list --all') return ' 1   lab-alpha   running\n 2   lab-beta    paused\n 3   lab-gamma   running\n';
      return '';
    },
  };
  const store = new DomainStore(runner, { clock: () => now });
  await store.refresh();
  now += 2000;
  await store.refresh();
  const first = store.items;
  const v = store.stats.version;
  now += 2000;
  await store.refresh();
  t.is(store.items, first, 'the same text: the same list, not a copy');
  t.is(store.stats.version, v + 1, 'the tick is still a sample');
  t.is(store.stats.get('lab-alpha')!.rates?.cpu, 0, 'no counter moved: no CPU');
  stats = fx('lab-domstats-t2.txt');
  now += 2000;
  await store.refresh();
  t.not(store.items, first, 'the counters moved: a new list');
  t.true(store.stats.get('lab-alpha')!.rates!.cpu > 0);
});

test('every minute the flags no event reports are looked at: the same, no full read; one changed behind virtui\'s back, a full read shows it', async (t) => {
  const s = new VirshSession({ uri: `test://${writeWorld(40)}` });
  t.teardown(() => s.close());
  let now = 1_000_000;
  const store = new DomainStore(s, { clock: () => now });
  await store.refresh();
  t.false(store.get('bench-0003')!.autostart);
  now += FULL_EVERY_MS;
  let b = store.calls;
  await store.refresh();
  t.is(store.calls - b, TICK_CALLS.length + FLAG_CALLS.length, 'nothing changed: a tick and the look at the flags');
  now += 2000;
  b = store.calls;
  await store.refresh();
  t.is(store.calls - b, TICK_CALLS.length, 'the next look is a minute away');
  // another client marks it autostart: no event, no state change
  await s.run(['autostart', '--domain', 'bench-0003']);
  now += FULL_EVERY_MS;
  b = store.calls;
  await store.refresh();
  t.is(store.calls - b, TICK_CALLS.length + FLAG_CALLS.length + BULK_CALLS.length);
  t.true(store.get('bench-0003')!.autostart);
});

test('where a shut-off domain cannot change unheard (events live, the test driver), a steady tick asks about the active domains only; the shut-off rows, their history and marks stay; one that starts is seen', async (t) => {
  const s = new VirshSession({ uri: `test://${writeWorld(16)}` });
  t.teardown(() => s.close());
  const asked: string[] = [];
  const runner = { run: (a: readonly string[]) => { asked.push(a.join(' ')); return s.run(a); } };
  let now = 1_000_000;
  const store = new DomainStore(runner, { clock: () => now, inactiveSettled: () => true });
  await store.refresh();
  const off = store.items.filter((d) => d.id === null);
  t.true(off.length > 0 && off.length < store.items.length);
  store.stats.mark(off[0]!.name, now, 'Stopped Destroyed');
  asked.length = 0;
  now += 2000;
  await store.refresh();
  t.deepEqual(asked, [ACTIVE_TICK_ARGS.join(' ')], 'one call, the active domains only');
  t.is(store.items.length, 16);
  for (const d of off) t.is(store.get(d.name), d, 'a shut-off row is kept as it was');
  t.deepEqual(store.stats.get(off[0]!.name)?.marks.map((m) => m.text), ['Stopped Destroyed'], 'and its marks');
  // a shut-off domain started (by virtui: the session is its world's only writer): seen at the next tick
  await s.run(['start', '--domain', off[0]!.name]);
  now += 2000;
  await store.refresh();
  t.is(store.get(off[0]!.name)!.state, 'running');
  t.not(store.get(off[0]!.name)!.id, null);
  // without the guarantee, every domain is asked about, as before
  const all = new DomainStore(runner, { clock: () => now });
  await all.refresh();
  asked.length = 0;
  await all.refresh();
  t.deepEqual(asked, [TICK_CALLS[0]!.join(' ')]);
});
