import xterm from '@xterm/headless';
const t = new xterm.Terminal({ cols: 20, rows: 5, scrollback: 100, allowProposedApi: true });
t.onTitleChange((x) => console.log('title', x));
t.onData((d) => console.log('data', JSON.stringify(d)));
t.write('hello \x1b[31mred\x1b[0m\x1b[?25l\x1b]0;PWN\x07\x1b[6n\x1b[c 🚀x', () => {
  const core = (t as any)._core;
  console.log(Object.keys(core).filter(k=>/core|Service/i.test(k)));
  console.log(core.coreService?.isCursorHidden, core._coreService?.isCursorHidden);
  const line = t.buffer.active.getLine(0)!;
  console.log(line.translateToString(true), t.buffer.active.cursorX);
  for (let x = 0; x < 20; x++) { const c = line.getCell(x)!; process.stdout.write(`[${c.getChars()}|${c.getWidth()}|${c.getFgColor()}|${c.isFgPalette()}]`); }
  console.log();
});
