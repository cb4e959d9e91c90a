import * as pty from 'node-pty';
let got = 0;
for (let i = 0; i < 30; i++) {
  await new Promise<void>((res) => {
    const p = pty.spawn('printf', ['error: operation failed: Active console session exists for this domain\\n'], { cols: 80, rows: 24, env: process.env as any });
    let s = '';
    p.onData((d) => { s += d; });
    p.onExit(() => { if (s.includes('Active')) got++; res(); });
  });
}
console.log('got', got, 'of 30');
