import { launch, median, treeCpu } from './real.ts';
import { join } from 'node:path';
const runs = Number(process.env.N ?? 9);
const variants: Record<string, [string, string[]]> = { old: ['/tmp/wt-old', [process.execPath, '/tmp/wt-old/src/bin.mjs', '--demo']], new: ['/work/main', [process.execPath, '/work/main/src/bin.mjs', '--demo']], bare: ['/work/main', [process.execPath, '-e', 'process.stdout.write("3 running web"); setTimeout(()=>{},5000)']] };
const res: Record<string, number[]> = {};
for (let i = 0; i < runs; i++) for (const [k, [cwd, cmd]] of Object.entries(variants)) {
  const r = launch(cmd[0]!, cmd.slice(1), { cwd });
  try { (res[k] ??= []).push(await r.waitFor((t) => /\d+ running/.test(t) && t.includes('web'))); (res[k+'-cpu'] ??= []).push(treeCpu(r.pid) * 1000); } finally { await r.kill(); }
}
for (const [k, xs] of Object.entries(res)) console.log(k, median(xs).toFixed(0), xs.map((x) => x.toFixed(0)).join(' '));
