// The `:` line as a pure interpreter, on the real registry.
import test from 'ava';
import { interpret, secretsOf, type CommandRegistry } from '../../src/command.ts';
import { findScreen, screenArgs } from '../../screens/index.ts';

const REG: CommandRegistry = {
  find: (a) => { const d = findScreen(a); return d && { name: d.name, title: d.title, arg: d.arg, built: !!d.create, planned: d.planned }; },
  rewrite: screenArgs,
};
const real = { demo: false, uri: 'qemu:///system' };
const testDriver = { demo: false, uri: 'test:///default' };
const run = (text: string, host = real, o = {}) => interpret(text, REG, host, o);

test('screens by any alias, with their argument; :dom all is the fleet', (t) => {
  t.deepEqual(run('net'), { kind: 'screen', name: 'networks' });
  t.deepEqual(run('  vol  lab-pool '), { kind: 'screen', name: 'volumes', arg: 'lab-pool' });
  t.deepEqual(run('snap "my dom"'), { kind: 'screen', name: 'snapshots', arg: 'my dom' });
  t.deepEqual(run('dom all'), { kind: 'screen', name: 'fleet' });
  t.deepEqual(run('hosts'), { kind: 'screen', name: 'hosts' });
  t.deepEqual(run('iface'), { kind: 'screen', name: 'ifaces' });
  // a screen without an argument takes none: the words go to virsh
  t.deepEqual(run('net extra'), { kind: 'virsh', args: ['net', 'extra'], long: false, changes: true });
});

test('quit, help, shell, console and the empty line', (t) => {
  t.deepEqual(run(''), { kind: 'nothing' });
  t.deepEqual(run('q'), { kind: 'quit', force: false });
  t.deepEqual(run('q!'), { kind: 'quit', force: true });
  t.deepEqual(run('?'), { kind: 'help' });
  t.deepEqual(run('shell'), { kind: 'shell' });
  // "virsh" typed out of habit (it was "unknown command: 'virsh'")
  t.deepEqual(run('virsh'), { kind: 'shell' });
  t.deepEqual(run('virsh dominfo "web 01"'), { kind: 'virsh', args: ['dominfo', 'web 01'], long: false, changes: false });
  t.deepEqual(run(' virsh  net'), { kind: 'screen', name: 'networks' });
  t.deepEqual(run('console --force -- --help'), { kind: 'console', domain: '--help', force: true });
  t.is(run('console').kind, 'error');
  t.is(run('crash').kind, 'virsh', 'only with VIRTUI_DEBUG_CRASH');
  t.deepEqual(run('crash', real, { debugCrash: true }), { kind: 'crash' });
});

test('virsh commands: reads, changes, long jobs in their own process, streams in a pane (never on the test driver)', (t) => {
  t.deepEqual(run('nodeinfo'), { kind: 'virsh', args: ['nodeinfo'], long: false, changes: false });
  t.deepEqual(run('dominfo "web 01"'), { kind: 'virsh', args: ['dominfo', 'web 01'], long: false, changes: false });
  t.like(run('migrate --live web qemu+ssh://b/system'), { kind: 'virsh', long: true });
  t.deepEqual(run('event --all --loop'), { kind: 'pane', title: 'virsh event', args: ['event', '--all', '--loop'] });
  t.like(run('event --all --loop', testDriver), { kind: 'error' });
  t.regex((run('edit web-01') as { text: string }).text, /use `e` on the domain/);
  t.regex((run('connect qemu:///system') as { text: string }).text, /:hosts/);
  t.regex((run('dominfo "unclosed') as { text: string }).text, /^:dominfo "unclosed: /);
});

test('secretsOf: the password of set-user-password however it is written; any other secret line keeps only the object it names readable', (t) => {
  t.deepEqual(secretsOf(['set-user-password', 'web 01', 'root', 'pw1']), ['pw1']);
  t.deepEqual(secretsOf(['set-user-password', '--password', 'pw2', '--domain', 'web', '--user', 'root']), ['pw2']);
  t.deepEqual(secretsOf(['set-user-password', '--user', 'root', 'web', 'pw3']), ['pw3'], 'the user given by option: the second word is the password');
  t.deepEqual(secretsOf(['set-user-password', 'web', 'root', '--password=pw4', '--encrypted']), ['pw4']);
  t.deepEqual(secretsOf(['qemu-agent-command', 'web', '{"execute":"guest-set-user-password","arguments":{"password":"eA=="}}']), ['{"execute":"guest-set-user-password","arguments":{"password":"eA=="}}']);
  t.deepEqual(secretsOf(['secret-set-value', '--secret', 'uuid-1', '--base64', 'c2VjcmV0']), ['c2VjcmV0']);
  t.deepEqual(secretsOf(['dominfo', 'web']), [], 'no secret: nothing masked');
});
