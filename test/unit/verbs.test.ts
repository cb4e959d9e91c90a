import test from 'ava';
import { changesHost, planFor } from '../../src/virsh/verbs.ts';

test('a : command that streams or waits never goes to the session; long jobs get a process of their own', (t) => {
  t.is(planFor(['event', '--all', '--loop']).kind, 'pane');
  t.is(planFor(['event']).kind, 'pane', 'without --loop it still waits for one event');
  t.is(planFor(['qemu-monitor-event', '--domain', 'x']).kind, 'pane');
  t.is(planFor(['event', '--list']).kind, 'session', 'only prints the event names');
  t.is(planFor(['migrate', '--live', 'x', 'qemu+ssh://h/system']).kind, 'long');
  t.is(planFor(['save', 'x', '/tmp/x.save']).kind, 'long');
  t.is(planFor(['vol-wipe', '--pool', 'p', '--vol', 'v']).kind, 'long');
  t.is(planFor(['list', '--all']).kind, 'session');
  t.is(planFor(['dominfo', '--domain', 'event']).kind, 'session', 'the verb counts, not a name');
});

test('what counts as a change of the host (what the demo loses at quit)', (t) => {
  for (const r of [['list', '--all'], ['dominfo', 'x'], ['nodeinfo'], ['net-dumpxml', 'n'], ['schedinfo', 'x'], ['domtime', 'x'], ['help', 'start']]) t.false(changesHost(r), r.join(' '));
  for (const c of [['start', 'x'], ['destroy', 'x'], ['net-define', 'f'], ['schedinfo', 'x', '--set', 'cpu_shares=5'], ['domtime', 'x', '--sync'], ['vcpupin', 'x', '0', '1'], ['frobnicate']]) t.true(changesHost(c), c.join(' '));
});

test('every *-event command waits: net-event, pool-event, nodedev-event, secret-event', (t) => {
  for (const v of ['net-event', 'pool-event', 'nodedev-event', 'secret-event']) {
    t.is(planFor([v, '--event', 'lifecycle']).kind, 'pane', v);
    t.is(planFor([v, '--list']).kind, 'session', `${v} --list`);
  }
});
