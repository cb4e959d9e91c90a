import test from 'ava';
import { hostLine, staleLine } from '../../screens/kit/hostline.ts';
import { backoffMs } from '../../src/model/connection.ts';
import { hostState, rttText } from '../../screens/hosts/columns.ts';
import { parseNewHost } from '../../screens/hosts/screen.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';

test('backoff: 2 s after the first failure, doubling, never more than 30 s', (t) => {
  t.deepEqual([1, 2, 3, 4, 5, 6, 10].map(backoffMs), [2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
});

test('the stale line says how long, why, as of when, and when it is tried again', (t) => {
  const since = Date.parse('2026-11-29T10:00:00');
  const h = { state: 'down' as const, since, reason: 'Connection refused', hint: '' };
  const line = staleLine(h, since - 1000, since + 12_000, since + 15_500);
  t.regex(line, /^STALE: no answer from libvirt for 12 s, retry in 4 s \(Connection refused\); rows as of \d\d:\d\d:\d\d$/);
  t.notRegex(staleLine(h, undefined, since + 12_000, since), /retry/);
});

test('a host\'s state: connecting, down with its retry, slow, up', (t) => {
  const now = 1_000_000;
  const c = (o: object) => ({ state: 'connected', retryAt: 0, health: { state: 'ok' }, ...o }) as unknown as Connection;
  t.is(hostState(c({ state: 'connecting' }), now), 'connecting');
  t.is(hostState(c({ state: 'down', retryAt: now + 7200 }), now), 'down (retry in 8 s)');
  t.is(hostState(c({ health: { state: 'down' }, retryAt: now - 1 }), now), 'down');
  t.is(hostState(c({ health: { state: 'slow' } }), now), 'slow');
  t.is(hostState(c({}), now), 'up');
});

test('round trips: tenths under 10 ms, whole ms, then seconds', (t) => {
  t.deepEqual([undefined, 0.42, 9.96, 12.4, 999, 1234].map(rttText), ['-', '0.4 ms', '10.0 ms', '12 ms', '999 ms', '1.2 s']);
});

test('a host typed for n: one URI, -r anywhere makes it read-only', (t) => {
  t.deepEqual(parseNewHost(' qemu+ssh://root@kvm1/system '), { uri: 'qemu+ssh://root@kvm1/system', readonly: false });
  t.deepEqual(parseNewHost('-r qemu:///system'), { uri: 'qemu:///system', readonly: true });
  t.deepEqual(parseNewHost('qemu:///system --readonly'), { uri: 'qemu:///system', readonly: true });
  t.is(parseNewHost('two words'), null);
  t.is(parseNewHost(''), null);
});

test('a refused login is not retried by itself: the line says so instead of a countdown', async (t) => {
  const { retryText } = await import('../../screens/kit/hostline.ts');
  t.is(retryText(Infinity, 5), 'not retried by itself');
  t.is(retryText(9000, 1000), 'retry in 8 s');
  t.is(retryText(1000, 1000), '');
});

// the line above the domains: the host's load, or, where the driver gives none, the guests'
const dom = (name: string, state: string, id: number | null, memory: number): Domain =>
  ({ name, state, id, uuid: name, memory, memoryMax: memory, autostart: false, persistent: true } as Domain);
const list = [dom('a', 'running', 1, 1 << 20), dom('b', 'running', 2, 1 << 20), dom('c', 'shut off', null, 1 << 20)];
const o = { events: true, interval: 2000 };

test('a host with statistics: its CPU and memory', (t) => {
  t.is(hostLine({ cpu: 12.5, cpus: 2, memUsed: 1 << 20, memTotal: 4 << 20 }, list, { ...o, guestCpu: () => 50 }),
    'host CPU 12.5% of 2  mem 1.0/4.0 GiB  2/3 running  tick 2 s  events live');
});

test('the test driver (no host statistics): the running guests\' CPU over the host\'s CPUs and their memory', (t) => {
  const cpu = (d: Domain) => ({ a: 30, b: 10 } as Record<string, number>)[d.name];
  t.is(hostLine({ cpus: 16, memTotal: 64 << 20 }, list, { events: null, interval: 2000, guestCpu: cpu }),
    'guest CPU 2.5% of 16  guest mem 2.0/64.0 GiB  2/3 running  tick 2 s');
  // no CPU measured yet (one sample so far), or no way to measure it
  t.regex(hostLine({ cpus: 16 }, list, { ...o, guestCpu: () => undefined }), /^host CPU - {2}guest mem /);
  t.regex(hostLine({ cpus: 16 }, list, o), /^host CPU - {2}/);
  // a driver with memory statistics but none for CPU: the memory is the host's, and says so
  t.regex(hostLine({ cpus: 2, memUsed: 1 << 20, memTotal: 4 << 20 }, list, { ...o, guestCpu: cpu }), /^guest CPU 20\.0% of 2 {2}host mem 1\.0\/4\.0 GiB/);
  // neither measured: the memory is the host's, under the host's CPU
  t.regex(hostLine({ cpus: 2, memUsed: 1 << 20, memTotal: 4 << 20 }, list, o), /^host CPU - {2}mem 1\.0\/4\.0 GiB/);
});
