// Actions belong to the object whose key started them (asOwner), through questions and awaits:
// a long job on one object never holds another.
import test from 'ava';
import { asOwner, Connection } from '../../src/model/connection.ts';

test('settledFor waits only for the actions of its own object, however they were started', async (t) => {
  const host = new Connection({ uri: 'test:///default', readonly: false, demo: false });
  t.teardown(() => host.close());
  const answers = new Map<string, () => void>();
  host.session.run = (args: readonly string[]) => new Promise<string>((resolve) => { answers.set(args[0]!, () => resolve('')); });
  void asOwner('domain:a', () => host.action(['suspend-a']));
  // B's action starts after an await, as one does after its question
  void asOwner('domain:b', async () => { await Promise.resolve(); await host.action(['save-b']); });
  await new Promise((r) => setImmediate(r));
  t.is(host.runningFor('domain:a'), 'virsh suspend-a');
  t.is(host.runningFor('domain:b'), 'virsh save-b');
  let aDone = false;
  const a = host.settledFor('domain:a').then(() => { aDone = true; });
  answers.get('suspend-a')!();
  await a;
  t.true(aDone, 'a is settled while b still runs');
  t.is(host.runningFor('domain:b'), 'virsh save-b');
  answers.get('save-b')!();
  await host.settledFor('domain:b');
  t.is(host.runningFor('domain:b'), undefined);
});
