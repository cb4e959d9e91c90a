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
