import test from 'ava';
import { quoteVirshArg, virshLine, shellLine, splitCommandLine } from '../../src/virsh/quote.ts';
import { HOSTILE_NAMES } from '../helpers.ts';

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
