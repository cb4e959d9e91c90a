import test from 'ava';
import { parseArgs, UsageError, USAGE } from '../../src/cli.ts';

test('defaults', (t) => {
  t.deepEqual(parseArgs([]), { uris: [], readonly: false, demo: false, interval: 2000, intervalSet: false, noConfig: false, help: false, version: false, paneKey: 'C-]' });
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
  t.true(parseArgs(['--interval', '0.5']).intervalSet);
  t.true(parseArgs(['--help']).help);
  t.true(parseArgs(['-V']).version);
});

test('bad input is a usage error with a clear message', (t) => {
  t.throws(() => parseArgs(['--bogus']), { instanceOf: UsageError, message: /unknown option "--bogus"/ });
  t.throws(() => parseArgs(['-c']), { instanceOf: UsageError, message: /needs a value/ });
  t.throws(() => parseArgs(['--interval', 'fast']), { instanceOf: UsageError, message: /seconds/ });
  t.throws(() => parseArgs(['--demo', '-c', 'test:///default']), { instanceOf: UsageError });
});

test('-c repeats: every URI in order, uri is the first; names of config hosts pass as given', (t) => {
  const o = parseArgs(['-c', 'qemu:///system', '--connect=qemu+ssh://root@kvm1/system', '-ckvm2', '--connect', 'lab']);
  t.deepEqual(o.uris, ['qemu:///system', 'qemu+ssh://root@kvm1/system', 'kvm2', 'lab']);
  t.is(o.uri, 'qemu:///system');
  t.throws(() => parseArgs(['-c', '']), { instanceOf: UsageError, message: /-c needs a URI or a host name/ });
  t.throws(() => parseArgs(['--demo', '-c', 'a', '-c', 'b']), { instanceOf: UsageError, message: /--demo and --connect/ });
});

test('--config FILE, --config=FILE, --no-config', (t) => {
  t.is(parseArgs(['--config', '/etc/virtui.yaml']).config, '/etc/virtui.yaml');
  t.is(parseArgs(['--config=./hosts.yaml']).config, './hosts.yaml');
  t.true(parseArgs(['--no-config']).noConfig);
  t.is(parseArgs([]).config, undefined);
  t.throws(() => parseArgs(['--config']), { instanceOf: UsageError, message: /--config needs a value/ });
  t.throws(() => parseArgs(['--config=']), { instanceOf: UsageError, message: /--config needs a file name/ });
  t.throws(() => parseArgs(['--config', 'a.yaml', '--no-config']), { instanceOf: UsageError, message: /--config and --no-config/ });
});

test('USAGE fits an 80-column terminal', (t) => {
  for (const l of USAGE.split('\n')) t.true(l.length < 80, l);
});

test('USAGE names the repeatable -c and the config file', (t) => {
  t.regex(USAGE, /repeat it to open several\s+hosts/);
  t.regex(USAGE, /--config FILE/);
  t.regex(USAGE, /--no-config/);
  t.regex(USAGE, /\$XDG_CONFIG_HOME\/virtui\/config\.yaml/);
});
