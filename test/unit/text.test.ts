// Fitting text: wrapping, and the status line that keeps the reason of an error in view.
import test from 'ava';
import { plural, statusText, wrapText } from '../../src/ui/text.ts';
import { strWidth } from '../../src/ui/blessed-compat.ts';
import { capture } from '../helpers.ts';

test('wrapText breaks at spaces, breaks a word longer than a line, and keeps the indent', (t) => {
  t.deepEqual(wrapText('hello world this is a test', 11), ['hello world', 'this is a', 'test']);
  t.deepEqual(wrapText('x'.repeat(25), 10), ['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx']);
  t.deepEqual(wrapText(`${'n'.repeat(12)} and more`, 10), ['nnnnnnnnnn', 'nn and', 'more']);
  t.deepEqual(wrapText('  indented line here', 12, 2), ['  indented', '  line here']);
  t.deepEqual(wrapText('ünï-🚀 🚀🚀🚀', 6), ['ünï-🚀', '🚀🚀🚀']);
  t.deepEqual(wrapText('', 10), ['']);
});

// a real failure (the lab's virsh when the domain runs already), on a long command
const failure = {
  icon: '✗ ', command: "virsh start 'a guest with a very long name, as people give them: web-frontend-production-01'",
  reason: capture('lab-error-already-running.txt').split('\n').find((l) => /^error: /.test(l))!,
  hint: 'd shuts it down',
};

test('statusText: all of it when it fits', (t) => {
  t.is(statusText({ icon: '✓ ', command: 'virsh start web-01', reason: 'Domain web-01 started' }, 80), '✓ virsh start web-01: Domain web-01 started');
});

test('statusText at 80 columns: the reason first, then the hint, then what is left of the command', (t) => {
  const s = statusText(failure, 80);
  t.true(strWidth(s) <= 80, s);
  t.true(s.startsWith('✗ error: Domain is already active — d shuts it down  (virsh start'), s);
  t.regex(s, /\(virsh .*…/);
  // narrower: the reason alone, cut at the end
  const n = statusText(failure, 40);
  t.true(strWidth(n) <= 40);
  t.true(n.startsWith('✗ error: Domain is already active — d'), n);
  t.regex(statusText(failure, 20), /^✗ error: Domain is ?…$/);
});

test('plural: one noun, its count in the right number', (t) => {
  t.is(plural(1, 'pool'), '1 pool');
  t.is(plural(2, 'pool'), '2 pools');
  t.is(plural(0, 'volume'), '0 volumes');
  t.is(plural(1, 'entry'), '1 entry');
  t.is(plural(3, 'entry'), '3 entries');
  t.is(plural(2, 'key'), '2 keys');
});
