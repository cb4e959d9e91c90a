import test from 'ava';
import { staleLine } from '../../screens/kit/hostline.ts';
import { backoffMs } from '../../src/model/connection.ts';
import { hostState, rttText } from '../../screens/hosts/columns.ts';
import { parseNewHost } from '../../screens/hosts/screen.ts';
import type { Connection } from '../../src/model/connection.ts';

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
