import test from 'ava';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, parseConfig, configPath, mergeHosts, mergeInterval, nameFromUri, ConfigError, NO_CONFIG, type Config } from '../../src/config.ts';
import { parseArgs } from '../../src/cli.ts';
import { DEMO_URI } from '../../src/demo.ts';

const FIX = 'test/fixtures/config';
const read = (f: string) => readConfig({ config: `${FIX}/${f}`, noConfig: false });

test('the README example: hosts with names, read-only, a host named from its URI, current, interval', (t) => {
  t.deepEqual(read('hosts.yaml'), {
    file: `${FIX}/hosts.yaml`,
    interval: 2000,
    current: 'lab',
    hosts: [
      { name: 'kvm1', named: true, uri: 'qemu+ssh://root@kvm1/system', readonly: true, line: 7 },
      { name: 'lab', named: true, uri: 'qemu:///system', readonly: false, line: 10 },
      { name: 'kvm2.example.org', uri: 'qemu+ssh://admin@kvm2.example.org/system?keyfile=/home/op/.ssh/id_kvm', readonly: false, line: 13 },
    ],
  });
});

test('the example in README.md is valid and says what the fixture says', (t) => {
  const readme = readFileSync('README.md', 'utf8');
  const yaml = /## Hosts and the config file[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  t.truthy(yaml);
  const strip = (c: Config) => ({ ...c, file: null, hosts: c.hosts.map(({ line: _, ...h }) => h) });
  t.deepEqual(strip(parseConfig(yaml!, 'README.md')), strip(read('hosts.yaml')));
});

test('a file of comments only is no hosts', (t) => {
  t.deepEqual(read('empty.yaml'), { file: `${FIX}/empty.yaml`, hosts: [] });
});

// each broken file names its file, the line and the column of what is wrong
const broken: [string, string][] = [
  ['syntax-tab.yaml', '5:1: not valid YAML: Tabs are not allowed as indentation'],
  ['syntax-quote.yaml', '5:1: not valid YAML: Missing closing "quote (at the end of the file)'],
  ['unknown-key.yaml', '7:5: unknown key "readOnly" in a host (known keys: name, uri, readonly)'],
  ['unknown-top-key.yaml', '2:1: unknown key "host" in the config file (known keys: interval, current, hosts, theme, keys, commands)'],
  ['no-uri.yaml', '5:5: host "kvm2" has no uri'],
  ['duplicate-name.yaml', '6:11: two hosts are named "kvm1" (the first at line 2)'],
  ['duplicate-uri.yaml', '4:5: the same uri as the host at line 2: "qemu+ssh://root@kvm1/system"'],
  ['readonly-yes.yaml', '4:15: readonly: expected true or false, got "yes"'],
  ['interval-low.yaml', '2:11: interval: expected seconds (a number, at least 0.5), got 0.1'],
  ['control-name.yaml', '4:11: name: control characters are not allowed, got "kvm1\\u001b[31m"'],
  ['current-unknown.yaml', '1:10: current: no host is named "kvm9" (the hosts: kvm1, lab)'],
];
for (const [file, where] of broken) {
  test(`broken: ${file} says ${where.split(':').slice(0, 2).join(':')}`, (t) => {
    const e = t.throws(() => read(file), { instanceOf: ConfigError });
    t.is(e?.message, `${FIX}/${file}:${where}`);
    const [line, col] = where.split(':').map(Number);
    t.is(e?.line, line);
    t.is(e?.col, col);
  });
}

test('structure errors in text: what a value is, where', (t) => {
  const msg = (s: string) => t.throws(() => parseConfig(s, 'c.yaml'), { instanceOf: ConfigError })?.message;
  t.is(msg('- qemu:///system\n'), 'c.yaml:1:1: the config file: expected a map of interval, current, hosts, theme, keys, commands, got a list');
  t.is(msg('hosts: qemu:///system\n'), 'c.yaml:1:8: hosts: expected a list of hosts (- name: ..., uri: ...), got "qemu:///system"');
  t.is(msg('hosts:\n  - qemu:///system\n'), 'c.yaml:2:5: a host: expected a map of name, uri, readonly, got "qemu:///system"');
  t.is(msg('interval: "2"\n'), 'c.yaml:1:11: interval: expected seconds (a number, at least 0.5), got "2"');
  t.is(msg('hosts:\n  - name: a\n    uri: 42\n'), 'c.yaml:3:10: uri: expected a text, got 42');
  t.is(msg('hosts:\n  - name: a\n    uri: x\n  - *h\n'), 'c.yaml:4:5: no anchor &h before this *h');
  t.is(msg('interval: 2\n---\ninterval: 3\n'), 'c.yaml:2:1: not valid YAML: a second document starts here (one --- at most, at the top)');
  t.is(msg('interval: 2\ninterval: 3\n'), 'c.yaml:2:1: not valid YAML: Map keys must be unique');
  t.deepEqual(parseConfig('hosts:\n', 'c.yaml'), { file: 'c.yaml', hosts: [] });
  t.deepEqual(parseConfig('', 'c.yaml'), { file: 'c.yaml', hosts: [] });
});

test('names made from URIs never take a name the file gives, wherever it stands', (t) => {
  const c = parseConfig('hosts:\n  - uri: qemu+ssh://root@kvm1/system\n  - uri: qemu+ssh://root@kvm1/session\n  - name: kvm1\n    uri: qemu:///system\n', 'c.yaml');
  t.deepEqual(c.hosts.map((h) => h.name), ['kvm1-2', 'kvm1-3', 'kvm1']);
});

test('nameFromUri: the host, else driver:path, the demo is "demo"', (t) => {
  t.is(nameFromUri('qemu+ssh://root@kvm1.example.org:2222/system?keyfile=/k'), 'kvm1.example.org');
  t.is(nameFromUri('qemu+tcp://[fe80::1]/system'), 'fe80::1');
  t.is(nameFromUri('qemu:///system'), 'qemu:system');
  t.is(nameFromUri('qemu:///session'), 'qemu:session');
  t.is(nameFromUri('test:///default'), 'test:default');
  t.is(nameFromUri('qemu+unix:///system?socket=/run/lab2/libvirt-sock'), 'qemu:system');
  t.is(nameFromUri(DEMO_URI), 'demo');
  t.is(nameFromUri('kvmalias'), 'kvmalias');
});

test('readConfig: a missing default file is no hosts; a missing --config file is an error; --no-config reads nothing', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-config-'));
  t.is(readConfig({ noConfig: false }, { XDG_CONFIG_HOME: dir }), NO_CONFIG);
  const e = t.throws(() => readConfig({ config: join(dir, 'nope.yaml'), noConfig: false }), { instanceOf: ConfigError });
  t.is(e?.message, `${join(dir, 'nope.yaml')}: cannot read the config file: no such file`);
  t.throws(() => readConfig({ config: dir, noConfig: false }), { message: `${dir}: cannot read the config file: it is a directory` });
  mkdirSync(join(dir, 'virtui'));
  writeFileSync(join(dir, 'virtui', 'config.yaml'), 'hosts:\n  - name: lab\n    uri: qemu:///system\n');
  t.deepEqual(readConfig({ noConfig: false }, { XDG_CONFIG_HOME: dir }).hosts.map((h) => h.name), ['lab']);
  t.is(readConfig({ noConfig: true }, { XDG_CONFIG_HOME: dir }), NO_CONFIG);
});

test('configPath: $XDG_CONFIG_HOME when absolute, else ~/.config', (t) => {
  t.is(configPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/op'), '/x/cfg/virtui/config.yaml');
  t.is(configPath({}, '/home/op'), '/home/op/.config/virtui/config.yaml');
  t.is(configPath({ XDG_CONFIG_HOME: 'relative' }, '/home/op'), '/home/op/.config/virtui/config.yaml');
  t.is(configPath({ XDG_CONFIG_HOME: '' }, '/home/op'), '/home/op/.config/virtui/config.yaml');
});

const cfg = (): Config => read('hosts.yaml');
const plan = (argv: string[], config: Config = cfg(), env: Record<string, string> = {}) =>
  mergeHosts(config, parseArgs(argv), env).map((h) => `${h.source}:${h.name}=${h.uri ?? '(libvirt default)'}${h.readonly ? ' ro' : ''}${h.demo ? ' demo' : ''}`);
const KVM2 = 'qemu+ssh://admin@kvm2.example.org/system?keyfile=/home/op/.ssh/id_kvm';

test('mergeHosts: nothing given: the config\'s current host first, then the others', (t) => {
  t.deepEqual(plan([]), ['config:lab=qemu:///system', 'config:kvm1=qemu+ssh://root@kvm1/system ro', `config:kvm2.example.org=${KVM2}`]);
});

test('mergeHosts: nothing given and no config: libvirt\'s default URI (the caller falls back to the demo)', (t) => {
  t.deepEqual(plan([], NO_CONFIG), ['default:default=(libvirt default)']);
  t.deepEqual(plan(['-r'], NO_CONFIG), ['default:default=(libvirt default) ro']);
});

test('mergeHosts: -c URIs and names first, in order, the first current; the config joins; one entry per URI', (t) => {
  t.deepEqual(plan(['-c', 'qemu+ssh://root@kvm9/system', '-c', 'kvm1', '-c', 'qemu:///system', '-c', 'qemu+ssh://root@kvm9/system']), [
    'cli:kvm9=qemu+ssh://root@kvm9/system',
    'cli:kvm1=qemu+ssh://root@kvm1/system ro',
    'cli:lab=qemu:///system',
    `config:kvm2.example.org=${KVM2}`,
  ]);
});

test('mergeHosts: LIBVIRT_DEFAULT_URI when no -c, with the configured name of its URI; -c beats it', (t) => {
  t.deepEqual(plan([], cfg(), { LIBVIRT_DEFAULT_URI: 'qemu+ssh://root@kvm1/system' }), [
    'env:kvm1=qemu+ssh://root@kvm1/system ro',
    'config:lab=qemu:///system',
    `config:kvm2.example.org=${KVM2}`,
  ]);
  t.deepEqual(plan([], NO_CONFIG, { LIBVIRT_DEFAULT_URI: 'qemu:///session' }), ['env:qemu:session=qemu:///session']);
  t.deepEqual(plan(['-c', 'test:///default'], NO_CONFIG, { LIBVIRT_DEFAULT_URI: 'qemu:///session' }), ['cli:test:default=test:///default']);
  t.deepEqual(plan([], NO_CONFIG, { LIBVIRT_DEFAULT_URI: '' }), ['default:default=(libvirt default)']);
});

test('mergeHosts: -r makes every host read-only; a host the config marks read-only stays so', (t) => {
  t.deepEqual(plan(['-r', '-c', 'kvm1']), [
    'cli:kvm1=qemu+ssh://root@kvm1/system ro',
    'config:lab=qemu:///system ro',
    `config:kvm2.example.org=${KVM2} ro`,
  ]);
});

test('mergeHosts: a URI given on the command line is named apart from the configured names', (t) => {
  const c = parseConfig('hosts:\n  - name: kvm1\n    uri: qemu:///system\n', 'c.yaml');
  t.deepEqual(plan(['-c', 'qemu+ssh://root@kvm1/system', '-c', 'qemu+ssh://root@kvm1/session'], c), [
    'cli:kvm1-2=qemu+ssh://root@kvm1/system',
    'cli:kvm1-3=qemu+ssh://root@kvm1/session',
    'config:kvm1=qemu:///system',
  ]);
});

test('mergeHosts: --demo alone is the demo only, whatever the config and the environment', (t) => {
  t.deepEqual(plan(['--demo'], cfg(), { LIBVIRT_DEFAULT_URI: 'qemu:///system' }), [`cli:demo=${DEMO_URI} demo`]);
  t.deepEqual(plan(['--demo', '-r']), [`cli:demo=${DEMO_URI} ro demo`]);
});

test('mergeInterval: -i beats the config file, which beats the default', (t) => {
  t.is(mergeInterval(cfg(), parseArgs([])), 2000);
  t.is(mergeInterval(parseConfig('interval: 5\n', 'c.yaml'), parseArgs([])), 5000);
  t.is(mergeInterval(parseConfig('interval: 5\n', 'c.yaml'), parseArgs(['-i', '2'])), 2000);
  t.is(mergeInterval(NO_CONFIG, parseArgs([])), 2000);
});
