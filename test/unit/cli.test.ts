import test from 'ava';
import { parseArgs, UsageError } from '../../src/cli.ts';

test('defaults', (t) => {
  t.deepEqual(parseArgs([]), { readonly: false, demo: false, interval: 2000, help: false, version: false, paneKey: 'C-]' });
});

test('-c / --connect / --connect=URI / -cURI, -r, --demo, --interval', (t) => {
  t.is(parseArgs(['-c', 'qemu:///system']).uri, 'qemu:///system');
  t.is(parseArgs(['--connect', 'qemu+ssh://root@h/system']).uri, 'qemu+ssh://root@h/system');
  t.is(parseArgs(['--connect=test:///default']).uri, 'test:///default');
  t.is(parseArgs(['-ctest:///default']).uri, 'test:///default');
  t.true(parseArgs(['-r']).readonly);
  t.true(parseArgs(['--readonly']).readonly);
  t.true(parseArgs(['--demo']).demo);
  t.is(parseArgs(['--interval', '0.5']).interval, 500);
  t.true(parseArgs(['--help']).help);
  t.true(parseArgs(['-V']).version);
});

test('bad input is a usage error with a clear message', (t) => {
  t.throws(() => parseArgs(['--bogus']), { instanceOf: UsageError, message: /unknown option "--bogus"/ });
  t.throws(() => parseArgs(['-c']), { instanceOf: UsageError, message: /needs a value/ });
  t.throws(() => parseArgs(['--interval', 'fast']), { instanceOf: UsageError, message: /seconds/ });
  t.throws(() => parseArgs(['--demo', '-c', 'test:///default']), { instanceOf: UsageError });
});
