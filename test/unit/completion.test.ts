// The `:` line's Tab completion, hint and history, pure, on what `virsh help` really says.
import test from 'ava';
import { complete, hintFor, optionsOf, parseHelpCommand, parseHelpList, positionals, tokens, type CompletionSources, type ObjectKind } from '../../src/completion.ts';
import { History, holdsSecret } from '../../src/history.ts';
import { secretsOf } from '../../src/command.ts';
import { capture } from '../helpers.ts';

const COMMANDS = parseHelpList(capture('help.txt'));
const SYN: Record<string, string> = {
  dominfo: parseHelpCommand(capture('help-dominfo.txt'))!,
  'net-info': 'net-info <network>',
  'vol-info': 'vol-info <vol> [--pool <string>] [--bytes] [--physical]',
  'snapshot-info': 'snapshot-info <domain> [--snapshotname <string>] [--current]',
  'vol-list': 'vol-list <pool> [--details]',
};
const NAMES: Record<ObjectKind, string[]> = { domain: ['web-01', 'web-02', 'web 03', "it's", 'db'], network: ['default', 'isolated'], pool: ['default', 'iso'], vol: [], snapshot: [] };
const seen: Array<[ObjectKind, object]> = [];
const src: CompletionSources = {
  screens: ['dom', 'domains', 'net', 'network', 'vol', 'snap', 'log', 'q'],
  commands: COMMANDS,
  synopsis: (c) => SYN[c],
  screenArg: (a) => (a === 'vol' ? 'pool' : a === 'snap' ? 'domain' : undefined),
  names: (k, scope) => { seen.push([k, scope]); return k === 'vol' ? ((scope as { pool?: string }).pool === 'iso' ? ['debian.iso', 'alpine.iso'] : ['root.qcow2']) : k === 'snapshot' ? ((scope as { domain?: string }).domain === 'db' ? ['before-upgrade', 'before-migration'] : []) : NAMES[k]; },
};
const tab = (text: string, cursor = text.length) => complete(text, cursor, src);

test('virsh help: every command name; a command\'s synopsis and summary', (t) => {
  t.true(COMMANDS.length > 200);
  for (const c of ['dominfo', 'net-start', 'pool-list', 'vol-info', 'snapshot-create-as', 'help', 'domstats']) t.true(COMMANDS.includes(c), c);
  t.false(COMMANDS.some((c) => /[A-Z(]/.test(c)), 'no group headers');
  t.is(SYN['dominfo'], 'dominfo <domain>  (domain information)');
  t.deepEqual(positionals(SYN['vol-info']!), ['vol']);
  t.deepEqual(positionals(SYN['dominfo']!), ['domain']);
  t.deepEqual([...optionsOf(SYN['vol-info']!)], [['--pool', true], ['--bytes', false], ['--physical', false]]);
});

test('Tab: the first word from the screens and virsh\'s commands; one choice gets a space', (t) => {
  t.deepEqual(tab('domin'), { text: 'dominfo ', cursor: 8, options: ['dominfo'] });
  // several: as far as they agree, and the choices for the hint line
  const n = tab('net-');
  t.is(n.text, 'net-');
  t.true(n.options.includes('net-start') && n.options.includes('net-list'));
  const d = tab('dom');
  t.true(d.options.includes('dom') && d.options.includes('domains') && d.options.includes('domstats'));
  t.is(tab('snapshot-cr').text, 'snapshot-create');
  t.is(tab('zzz').options.length, 0);
});

test('Tab: object names where the synopsis takes them, quoted for the line', (t) => {
  t.is(tab('dominfo w').text, 'dominfo web', 'web-01, web-02 and "web 03" agree on web');
  t.is(tab('dominfo web-').text, 'dominfo web-0');
  t.is(tab('dominfo web-0').text, 'dominfo web-0');
  t.deepEqual(tab('dominfo web-0').options, ['web-01', 'web-02']);
  t.is(tab('dominfo web ').text, 'dominfo web ', 'a second positional it does not take: nothing');
  t.is(tab("dominfo 'web ").text, "dominfo 'web 03' ");
  t.is(tab('dominfo i').text, "dominfo 'it'\\''s' ");
  t.is(tab('net-info i').text, 'net-info isolated ');
  // a screen's argument
  t.is(tab('vol i').text, 'vol iso ');
  t.is(tab('snap d').text, 'snap db ');
  // an option's value names its kind; the volumes are those of the pool named on the line
  t.is(tab('vol-info --pool iso d').text, 'vol-info --pool iso debian.iso ');
  t.is(tab('vol-list d').text, 'vol-list default ');
  t.is(tab('snapshot-info db --snapshotname before-').text, 'snapshot-info db --snapshotname before-');
  t.deepEqual(tab('snapshot-info db --snapshotname before-').options, ['before-migration', 'before-upgrade']);
  // options from the synopsis
  t.is(tab('vol-info x --by').text, 'vol-info x --bytes ');
  // in the middle of the line: what follows stays
  t.is(tab('dominfo w --x', 9).text, 'dominfo web --x');
  t.is(tab('dominfo d --x', 9).text, 'dominfo db --x');
});

test('Tab: a name that begins with -- goes after its option, or virsh would read it as one', (t) => {
  const dash: CompletionSources = { ...src, names: (k) => (k === 'domain' ? ['--help'] : k === 'network' ? ['--pool'] : []) };
  t.is(complete('dominfo ', 8, dash).text, 'dominfo --domain --help ');
  t.is(complete('net-info ', 9, dash).text, 'net-info --network --pool ');
  t.is(complete('net-info --network ', 19, dash).text, 'net-info --network --pool ', 'after its option: as it is');
  // a screen's own argument is its own: `:vol --pool` shows the volumes of pool --pool
  t.is(complete('snap ', 5, dash).text, 'snap --help ');
});

test('Tab: names that start with a dash (the hostile-names world): after an option that takes one, and in a positional slot after their option', (t) => {
  const hostile: CompletionSources = {
    ...src,
    synopsis: (c) => ({ dominfo: 'dominfo <domain>', 'vol-list': 'vol-list <pool> [--details]', 'vol-info': 'vol-info <vol> [--pool <string>] [--bytes]' } as Record<string, string>)[c],
    names: (k) => (k === 'domain' ? ['--help', '-starts-with-dash', 'web 01'] : k === 'pool' ? ['--pool'] : k === 'vol' ? ['-vol'] : []),
  };
  const tb = (text: string) => complete(text, text.length, hostile);
  // an option's value: names, not the options
  t.is(tb('dominfo --domain -s').text, 'dominfo --domain -starts-with-dash ');
  t.is(tb('vol-info --pool --').text, 'vol-info --pool --pool ');
  // a positional slot: the options and the dashed names; one name goes after the positional's option
  t.deepEqual(tb('dominfo -').options, ['--help', '-starts-with-dash']);
  t.is(tb('dominfo --h').text, 'dominfo --domain --help ');
  t.is(tb('dominfo -s').text, 'dominfo --domain -starts-with-dash ');
  t.is(tb('vol-list --p').text, 'vol-list --pool --pool ');
  t.deepEqual(tb('vol-list --').options, ['--details', '--pool']);
  t.is(tb('vol-info --b').text, 'vol-info --bytes ', 'an option is still an option');
  t.is(tb('vol-info -v').text, 'vol-info --vol -vol ');
});

test('tokens: quotes and backslashes as a shell reads them, an open quote tolerated', (t) => {
  t.deepEqual(tokens(`a 'b c' d\\ e "f`).map((x) => x.value), ['a', 'b c', 'd e', 'f']);
});

test('the hint line: a screen\'s use, a command\'s synopsis, else what the line is for', (t) => {
  const use = (a: string) => (a === 'vol' ? ':vol [POOL]  (Volumes)' : undefined);
  t.is(hintFor('vol ', src, use), ':vol [POOL]  (Volumes)');
  t.is(hintFor('dominfo web', src, use), 'dominfo <domain>  (domain information)');
  t.regex(hintFor('', src, use), /Tab completes/);
  t.is(hintFor('nonsense', src, use), '');
});

test('history: Up and Down with the line being typed kept; repeats kept once; secrets never', (t) => {
  const h = new History(['nodeinfo', 'dominfo web-01']);
  t.is(h.up('dom'), 'dominfo web-01');
  t.is(h.up(''), 'nodeinfo');
  t.is(h.up(''), undefined, 'the oldest');
  t.is(h.down(), 'dominfo web-01');
  t.is(h.down(), 'dom', 'back to what was typed');
  t.is(h.down(), undefined);
  t.true(h.add('nodeinfo'));
  t.deepEqual(h.entries, ['dominfo web-01', 'nodeinfo']);
  t.false(h.add('set-user-password web-01 root hunter2'));
  t.false(h.add('secret-set-value --secret 0f3a --base64 aHVudGVyMg=='));
  t.false(h.add('domdisplay --include-password web-01'));
  t.false(h.add('  '));
  t.deepEqual(h.entries, ['dominfo web-01', 'nodeinfo']);
  t.true(holdsSecret('migrate web-01 qemu+ssh://root:pw@kvm2/system'));
  t.false(holdsSecret('migrate web-01 qemu+ssh://root@kvm2/system'));
  // a file written by an older version with a secret in it: not offered
  t.deepEqual(new History(['list', 'set-user-password a b c']).entries, ['list']);
});

test('the secrets of a typed command, to mask where it is shown or logged', (t) => {
  t.deepEqual(secretsOf(['set-user-password', 'web-01', 'root', 'hunter2']), ['hunter2']);
  t.deepEqual(secretsOf(['set-user-password', '--domain', 'web-01', '--user', 'root', '--password', 'hunter2']), ['hunter2']);
  t.deepEqual(secretsOf(['set-user-password', '--domain', 'web-01', 'root', 'hunter2', '--encrypted']), ['hunter2']);
  t.deepEqual(secretsOf(['secret-set-value', '--secret', '0f3a', '--base64', 'aHVudGVyMg==']), ['aHVudGVyMg==']);
  t.deepEqual(secretsOf(['migrate', 'web-01', 'qemu+ssh://root:pw@kvm2/system']), ['pw']);
  t.deepEqual(secretsOf(['domdisplay', '--include-password', 'web-01']), [], 'a flag, not a value: the output is what was asked for');
  t.deepEqual(secretsOf(['dominfo', 'web-01']), []);
});
