// The terminal panes under load: output throughput against the bare pty, the cost of a frame
// with a busy pane, and the memory of panes with full scrollback. Prints one JSON line.
// Run by bench/run.ts in its own process (with --expose-gc) so the RSS is its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from 'node-pty';
import { App } from '../src/app.ts';
import { Connection } from '../src/model/connection.ts';
import { fakeTerminal } from '../src/ui/blessed-compat.ts';
import { ProgramJob } from '../screens/terminal/jobs.ts';
import { SCROLLBACK } from '../src/ui/terminal.ts';

const dir = mkdtempSync(join(tmpdir(), 'virtui-panes-'));
// what a busy console prints: coloured log lines of varied length
const lines: string[] = [];
for (let i = 0, n = 0; n < 8 * 1024 * 1024; i++) {
  const l = `\x1b[32m[${String(i).padStart(7)}]\x1b[0m kernel: eth0: link up ${'x'.repeat(i % 90)} \x1b[1;31mERR\x1b[0m ${i * 7919 % 100000}`;
  lines.push(l);
  n += l.length + 2;
}
const file = join(dir, 'out.txt');
writeFileSync(file, `${lines.join('\r\n')}\r\nBENCH-END\r\n`);
const bytes = lines.join('\r\n').length;

function bare(): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const p = pty.spawn('cat', [file], { cols: 200, rows: 45, env: process.env as Record<string, string> });
    p.onData(() => undefined);
    p.onExit(() => resolve(performance.now() - t0));
  });
}

const { input, output } = fakeTerminal(200, 50);
const host = new Connection({ uri: 'test:///default', readonly: false, demo: false, events: false });
await host.connect();
const app = new App({ conn: host, io: { input, output }, interval: 3_600_000 });
app.start();
await app.conn.domains.refresh();

async function inPane(): Promise<number> {
  const t0 = performance.now();
  const v = app.openPane(new ProgramJob('cat', { file: 'cat', args: [file] }));
  await new Promise<void>((resolve) => v.pane.once('exit', () => resolve()));
  // the emulator has parsed everything it was given when its write queue is empty
  await new Promise<void>((resolve) => v.pane.term.write('', resolve));
  const t = performance.now() - t0;
  v.close(true);
  return t;
}

const bareMs = Math.min(await bare(), await bare());
const paneMs = Math.min(await inPane(), await inPane());

// a frame with a full pane on screen
const v = app.openPane(new ProgramJob('cat', { file: 'cat', args: [file] }));
await new Promise<void>((resolve) => v.pane.once('exit', () => resolve()));
const frames: number[] = [];
for (let i = 0; i < 200; i++) {
  if (i % 2) v.pane.scroll(1); else v.pane.scroll(-1);
  const t0 = performance.now();
  app.renderNow();
  frames.push(performance.now() - t0);
}
frames.sort((a, b) => a - b);
v.close(true);

// memory: four panes with full scrollback of 200-column lines
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
gc(); gc();
const before = process.memoryUsage().rss;
const full = `${Array.from({ length: SCROLLBACK + 100 }, (_, i) => `${String(i).padStart(6)} ${'y'.repeat(193)}`).join('\r\n')}\r\n`;
const views = [];
for (let i = 0; i < 4; i++) {
  const p = app.openPane(new ProgramJob(`idle ${i}`, { file: 'sleep', args: ['60'] }));
  await new Promise<void>((resolve) => p.pane.term.write(full, resolve));
  views.push(p);
}
gc(); gc();
const after = process.memoryUsage().rss;
for (const p of views) p.close(true);
app.destroy();
host.close();
rmSync(dir, { recursive: true, force: true });

console.log(JSON.stringify({
  bytes, bareMs, paneMs,
  frameP50: frames[100], frameP99: frames[198],
  scrollback: SCROLLBACK, perPaneMb: (after - before) / 4 / 1024 / 1024,
}));
process.exit(0);
