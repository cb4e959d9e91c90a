// The `:` line as a pure interpreter, on the real registry.
import test from 'ava';
import { interpret, type CommandRegistry } from '../../src/command.ts';
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
