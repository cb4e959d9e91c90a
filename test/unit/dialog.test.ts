import test from 'ava';
import { DialogState } from '../../src/ui/dialog.ts';
import { LineInput } from '../../src/ui/lineinput.ts';

test('a dangerous confirm starts on Cancel: Enter alone does nothing harmful', (t) => {
  const s = new DialogState({ title: 'Destroy x', message: ['lost'], confirmLabel: 'Destroy', dangerous: true });
  s.handle('enter');
  t.deepEqual(s.done, { confirmed: false, checked: {} });
});

test('y confirms, n and Esc cancel', (t) => {
  const y = new DialogState({ title: 't', message: [], confirmLabel: 'OK', dangerous: true });
  y.handle('y');
  t.true(y.done!.confirmed);
  const esc = new DialogState({ title: 't', message: [], confirmLabel: 'OK' });
  esc.handle('escape');
  t.false(esc.done!.confirmed);
});

test('type-to-confirm refuses until the name is typed exactly', (t) => {
  const s = new DialogState({ title: 'Undefine', message: [], confirmLabel: 'Undefine', dangerous: true, typeToConfirm: "it's 🚀",
    checkboxes: [{ id: 'a', label: 'A', checked: true }] });
  for (const ch of "it's") s.handle(ch);
  s.handle('enter');
  t.is(s.done, null);
  t.regex(s.error, /exactly/);
  t.true(s.lines(60).some((l) => l.includes('exactly')));
  s.handle(' ');
  s.handle('🚀');
  s.handle('y'); // a letter in the field is text, not "yes"
  t.is(s.done, null);
  s.handle('backspace');
  s.handle('S-tab'); // to the checkbox
  s.handle(' ');
  s.handle('tab');
  s.handle('enter');
  t.deepEqual(s.done, { confirmed: true, checked: { a: false } });
});

test('line input editing keys', (t) => {
  const l = new LineInput('abc');
  l.handle('left');
  l.handle('X');
  t.is(l.value, 'abXc');
  l.handle('C-a');
  l.handle('delete');
  t.is(l.value, 'bXc');
  l.handle('C-e');
  l.handle('backspace');
  t.is(l.value, 'bX');
  l.handle('C-w');
  t.is(l.value, '');
  t.is(l.handle('backspace'), 'none', 'Backspace on an empty line keeps the prompt open');
  t.is(l.value, '');
  t.is(l.handle('C-c'), 'cancel');
  t.is(l.handle('enter'), 'submit');
});
