// The session reader's search for end marks: exact, and linear in the bytes read however they are cut.
import test from 'ava';
import { ChunkText } from '../../src/virsh/chunks.ts';

const MARK = 'echo __virtui_ab12c3__\n__virtui_ab12c3__';
/** a 5 MB answer, as virsh would print it (lines of a domstats), then the end mark and the next prompt */
function answer(): string {
  const line = 'Domain: \'bench-0001\'\n  state.state=1\n  cpu.time=123456789\n  balloon.current=1048576\n';
  return line.repeat(Math.ceil((5 << 20) / line.length));
}

for (const size of [1, 7, 64 * 1024]) {
  test(`a 5 MB answer in ${size}-byte chunks: the mark is found where it is, each byte looked at about once`, (t) => {
    const body = answer();
    const text = `${body}${MARK}virsh # `;
    const c = new ChunkText();
    let found = -1;
    let searches = 0;
    for (let i = 0; i < text.length && found < 0; i += size) {
      c.push(text.slice(i, i + size));
      found = c.find(MARK);
      searches++;
    }
    t.is(found, body.length);
    for (let i = searches * size; i < text.length; i += size) c.push(text.slice(i, i + size));
    t.is(c.text().slice(0, found), body);
    // each chunk is looked at once, and the seam before it (at most twice the mark's length)
    t.true(c.examined <= body.length + MARK.length + searches * 2 * MARK.length, `${c.examined} characters examined for ${text.length}`);
    c.dropTo(found + MARK.length);
    t.is(c.text(), 'virsh # ');
  });
}

test('joining the text between two searches does not lose the place, nor find a mark twice', (t) => {
  const c = new ChunkText('abc echo __m');
  t.is(c.find('__mark__'), -1);
  c.push('ar');
  c.text(); // joined while the search is under way
  c.push('k__ rest');
  t.is(c.find('__mark__'), 9);
  t.is(c.find('__mark__'), 9);
  c.dropTo(17);
  t.is(c.text(), ' rest');
  t.is(c.find('__mark__'), -1);
  c.push('__mark__');
  t.is(c.find('__mark__'), 5);
});

test('a new mark is searched from the beginning', (t) => {
  const c = new ChunkText('one MARK1 two MARK2');
  t.is(c.find('MARK2'), 14);
  t.is(c.find('MARK1'), 4);
});

test('cut anywhere, the mark is found where indexOf finds it in the whole text (random texts and cuts)', (t) => {
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const mark = 'echo __m__\n__m__';
  for (let run = 0; run < 2000; run++) {
    // text made of pieces of the mark itself, so near misses abound
    let text = '';
    while (text.length < 200) text += rnd(4) === 0 ? mark.slice(0, 1 + rnd(mark.length)) : 'xe_'.charAt(rnd(3));
    if (rnd(2)) { const at = rnd(text.length); text = text.slice(0, at) + mark + text.slice(at); }
    const c = new ChunkText();
    let found = -1;
    for (let i = 0; i < text.length && found < 0;) {
      const n = 1 + rnd(20);
      c.push(text.slice(i, i + n));
      i += n;
      found = c.find(mark);
      if (rnd(5) === 0) c.text(); // a join in the middle of the search
    }
    if (found !== text.indexOf(mark)) { t.fail(`run ${run}: found ${found}, indexOf ${text.indexOf(mark)} in ${JSON.stringify(text)}`); return; }
  }
  t.pass();
});
