import test from 'ava';
import { quoteVirshArg, virshLine, shellLine, splitCommandLine } from '../../src/virsh/quote.ts';
import { HOSTILE_NAMES } from '../helpers.ts';
import { execFileSync } from 'node:child_process';
import { VirshSession } from '../../src/virsh/session.ts';

test('plain words are not quoted', (t) => {
  t.is(virshLine(['start', 'web-01', '--console']), 'start web-01 --console');
});

test('hostile names are single-quoted with embedded quotes escaped', (t) => {
  t.is(quoteVirshArg('web 01'), "'web 01'");
  t.is(quoteVirshArg("it's"), "'it'\\''s'");
  t.is(quoteVirshArg('$(id)'), "'$(id)'");
  t.is(quoteVirshArg('ünï-🚀'), "'ünï-🚀'");
  t.is(quoteVirshArg(''), "''");
});

test('a newline cannot reach the line-based session', (t) => {
  t.throws(() => quoteVirshArg('a\nb'), { message: /newline/ });
});

test('shell display quoting round-trips through splitCommandLine', (t) => {
  for (const name of HOSTILE_NAMES) {
    t.deepEqual(splitCommandLine(shellLine(['destroy', name])), ['destroy', name], name);
  }
});

test('splitCommandLine: quotes, backslashes, unterminated quote', (t) => {
  t.deepEqual(splitCommandLine(`dominfo "web 01"  a\\ b 'c d'`), ['dominfo', 'web 01', 'a b', 'c d']);
  t.deepEqual(splitCommandLine(''), []);
  t.deepEqual(splitCommandLine("x ''"), ['x', '']);
  t.throws(() => splitCommandLine('dominfo "web'), { message: /unterminated/ });
});

test('a qemu+ssh URI with ? and & is quoted for the shell display and for virsh\'s own parser', async (t) => {
  const uri = 'qemu+ssh://root@127.0.0.1:2222/system?keyfile=/var/lib/virt-lab2/ssh/id_ed25519&no_verify=1&socket=/run/virt-lab2/libvirt-sock';
  const s = new VirshSession({ uri: 'test:///default' });
  t.teardown(() => s.close());
  const shown = new VirshSession({ uri }).display(['list']);
  t.is(shown, `virsh -c '${uri}' list`);
  // pasted into a real shell, the URI is one argument, unchanged (& would end the command there)
  t.is(execFileSync('sh', ['-c', shown.replace(/^virsh /, 'printf "%s\\n" ')], { encoding: 'utf8' }), `-c\n${uri}\nlist\n`);
  // as an argument in the session (a migration's destination): virsh's parser gives it back whole
  t.is(virshLine(['migrate', 'dom', uri]), `migrate dom '${uri}'`);
  t.is(await s.run(['echo', uri]), uri);
});
