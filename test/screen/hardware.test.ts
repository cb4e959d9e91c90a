// The Hardware tab on a fake terminal of 80x24: what it lists, each form with its bad inputs
// refused before anything runs, a change through the review dialog, and read-only.
import test from 'ava';
import { openApp } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';

test('80x24: h opens the Hardware tab of the selected domain', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.until(/web-01/);
  await h.keys('h');
  await h.until(/\[Hardware\]/);
  console.log(h.screen());
});
