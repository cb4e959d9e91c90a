// Dialogs at 80x24 with a 200-character name: the name wraps or is shortened, the input and the
// buttons stay in view, and typing the whole name still confirms.
import test from 'ava';
import { openApp } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';

test('80x24: a 200-character name in the title, the message and the name to type', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  const name = `${'very-long-name-'.repeat(13).slice(0, 191)}ENDS-HERE`;
  t.is(name.length, 200);
  const answer = h.app.ask({
    title: `Delete volume ${name}`, confirmLabel: 'Delete', dangerous: true, typeToConfirm: name,
    message: [`Delete ${name} and its data: /var/lib/libvirt/images/${name} is removed.`, 'It is used by web-01.'],
  });
  await h.until(/\[ Delete \]/);
  const lines = h.text();
  t.true(lines.every((l) => [...l].length <= 80), h.screen());
  t.regex(h.screen(), /\[ Cancel \]/);
  t.regex(h.screen(), /Type the name to confirm: very-long.*….*ENDS-HERE/);
  t.regex(h.screen(), /^\s*│ >/m);
  // the message's name is wrapped, not lost: its end is on the screen
  t.regex(h.screen(), /ENDS-HERE/);
  // typing the whole name keeps the field and the buttons in view
  await h.keys(...name);
  await h.until(/ENDS-HERE█/);
  t.regex(h.screen(), /\[ Delete \]/);
  t.true(h.text().every((l) => [...l].length <= 80));
  await h.keys('enter');
  t.true((await answer).confirmed);
});

test('a notice (a refusal): one button, and every answering key closes it with a no', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  for (const key of ['enter', 'escape', 'y', 'n', 'tab']) {
    const answer = h.app.ask({ title: 'Cannot do it', message: ['because.'], confirmLabel: 'OK', notice: true });
    await h.until(/\[ OK \]/);
    t.notRegex(h.screen(), /Cancel|y\/n/);
    t.regex(h.screen(), /Enter or Esc closes/);
    if (key === 'tab') {
      // Tab has nowhere else to go: Enter still closes
      await h.keys('tab', 'enter');
    } else await h.keys(key);
    t.false((await answer).confirmed, key);
    t.notRegex(h.screen(), /Cannot do it/);
  }
});

test('a form\'s intro wraps to the form\'s width, whole: at 80x24, and on a short terminal the blank lines give way first', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys(':', ...'vol default', 'enter');
  await h.until(/Volumes of default/);
  await h.keys('u');
  await h.until(/Upload a file into pool default/);
  const intro = /A file on this machine becomes a volume \(a new one of its exact size, or +│[^\n]*\n[^\n]*│ one that exists, overwritten\)\. +│[^\n]*\n[^\n]*│ A qcow2 file stays qcow2: the pool is rescanned after\. +│/;
  t.regex(h.screen(), intro);
  t.notRegex(h.screen(), /│ [^│\n]*…[^│\n]*│/, 'nothing in the form is cut');
  await h.resize(80, 11);
  await h.until(/\[ Upload \]/);
  t.regex(h.screen(), intro, h.screen());
  t.regex(h.screen(), /Local file/);
  t.regex(h.screen(), /Esc cancels/);
  await h.keys('escape');
});
