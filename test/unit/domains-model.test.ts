// One full refresh on the real demo world, through a real session.
import test from 'ava';
import { VirshSession } from '../../src/virsh/session.ts';
import { fetchDomains, DomainStore, BULK_CALLS } from '../../src/model/domains.ts';
import { DEMO_URI, HOSTILE_URI, HOSTILE_NAMES, DASH_NAMES } from '../helpers.ts';

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
  store.on('change', () => changes++);
  await Promise.all([store.refresh(), store.refresh(), store.refresh()]);
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
