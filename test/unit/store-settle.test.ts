// When the keys on an object are given back after an action: once the loads the action asked
// for have ended, not the ones asked for later (an event's, the next tick's).
import test from 'ava';
import { Store, loadsSettled } from '../../src/model/store.ts';
import type { VirshRunner } from '../../src/model/domains.ts';

/** a store whose loads end when the test says so */
class Manual extends Store<{ name: string }> {
  readonly ends: Array<() => void> = [];
  loads = 0;
  constructor(protected readonly v: VirshRunner) { super(); }
  protected fetch(): Promise<Array<{ name: string }>> {
    this.loads++;
    return new Promise((r) => this.ends.push(() => r([{ name: `load ${this.loads}` }])));
  }
}

const runner = {} as VirshRunner;
const turn = () => new Promise((r) => setImmediate(r));

test('settled: after the load the action asked for, not after one an event asked for meanwhile', async (t) => {
  const s = new Manual(runner);
  void s.refresh(); // the action's 'changed'
  let done = false;
  void loadsSettled(runner).then(() => { done = true; });
  void s.refresh(); // an event while it loads: another load right after
  await turn();
  t.false(done, 'the load under way has not ended');
  s.ends.shift()!();
  await turn();
  t.true(done, 'its end gives the keys back, while the event\'s load goes on');
  t.is(s.loads, 2);
  s.ends.shift()!();
});

test('settled: a tick under way when the action ended is not its load: the next one is', async (t) => {
  const s = new Manual(runner);
  void s.refresh(); // a tick, begun before the action ended
  void s.refresh(); // the action's 'changed': a load after it
  let done = false;
  void loadsSettled(runner).then(() => { done = true; });
  s.ends.shift()!();
  await turn();
  t.false(done, 'the tick read the list before the action\'s end');
  s.ends.shift()!();
  await turn();
  t.true(done);
});

test('settled: nothing loading is settled at once; another connection\'s loads are not waited for', async (t) => {
  const s = new Manual(runner);
  await loadsSettled(runner);
  const other = new Manual({} as VirshRunner);
  void other.refresh();
  await loadsSettled(runner);
  t.is(s.loads, 0);
  t.is(other.loads, 1, 'the other store is still loading');
  other.ends.shift()!();
});

test('a refresh asked for just after a load ended (before its promise settled) starts a load: it is never lost, and settled never hangs on it', async (t) => {
  const s = new Manual(runner);
  const first = s.refresh();
  s.ends.shift()!();
  // the load's loop has ended; its promise settles on a later turn
  await Promise.resolve();
  void s.refresh();
  let done = false;
  void loadsSettled(runner).then(() => { done = true; });
  await first;
  await turn();
  t.is(s.loads, 2, 'the second refresh loads');
  t.false(done);
  s.ends.shift()!();
  await turn();
  t.true(done);
});

test('a fetch that throws before its first await fails the load and leaves the store able to load again', async (t) => {
  class Throws extends Manual {
    bad = true;
    protected override fetch(): Promise<Array<{ name: string }>> {
      if (this.bad) { this.bad = false; throw new Error('no'); }
      return super.fetch();
    }
  }
  const s = new Throws(runner);
  await s.refresh();
  t.is(s.lastError?.line, 'no');
  const again = s.refresh();
  t.is(s.loads, 1, 'a new load began');
  s.ends.shift()!();
  await again;
  t.deepEqual(s.items, [{ name: 'load 1' }]);
  await loadsSettled(runner);
});
