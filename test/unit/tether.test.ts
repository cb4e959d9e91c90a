// virtui's children die with it, even when it is killed with SIGKILL and cannot end them.
import test from 'ava';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProgram, tethered } from '../../src/virsh/tether.ts';
import { FIXTURES, waitFor } from '../helpers.ts';

/** the processes whose environment holds `tag` (children inherit virtui's environment) */
function tagged(tag: string): Array<{ pid: number; cmd: string }> {
  const out: Array<{ pid: number; cmd: string }> = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/environ`, 'latin1').split('\0').includes(tag)) continue;
      out.push({ pid: Number(d), cmd: readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch { /* gone, or not ours */ }
  }
  return out;
}

test('a program is run through setpriv --pdeathsig KILL, with its own pid and argv; a missing one is left to fail as missing', (t) => {
  const setpriv = findProgram('setpriv');
  t.truthy(setpriv, 'setpriv (util-linux) is on every Debian');
  const sh = findProgram('sh')!;
  t.deepEqual(tethered('sh', ['-c', 'echo $1', '--', '-x']), { file: setpriv!, args: ['--pdeathsig', 'KILL', '--', sh, '-c', 'echo $1', '--', '-x'] });
  t.deepEqual(tethered('virtui-no-such-program', ['a']), { file: 'virtui-no-such-program', args: ['a'] });
  t.deepEqual(tethered('/nonexistent/virsh', ['a']), { file: '/nonexistent/virsh', args: ['a'] });
});

test('after kill -9 of virtui, no child is left: the session\'s virsh, the event stream, the program in a pane', async (t) => {
  const tag = `VIRTUI_TETHER_TEST=${randomBytes(6).toString('hex')}`;
  const [k, v] = tag.split('=') as [string, string];
  const child = spawn(process.execPath, ['--import', 'tsx', join(FIXTURES, 'children.ts')], { env: { ...process.env, [k]: v }, stdio: ['ignore', 'pipe', 'inherit'] });
  t.teardown(() => { for (const p of tagged(tag)) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => { out += d; });
  await waitFor(() => out.includes('READY') || child.exitCode !== null, 30_000, () => `the children to start: ${out}`);
  t.regex(out, /READY/);
  const before = tagged(tag).filter((p) => p.pid !== child.pid);
  const cmds = before.map((p) => p.cmd).join('\n');
  t.regex(cmds, /virsh -c test:\/\/\/default event --all --loop/, 'the event stream runs');
  t.regex(cmds, /virsh .*-c test:\/\/\/default/, 'the session runs');
  t.regex(cmds, /sleep 600/, 'the pane\'s program runs');
  child.kill('SIGKILL');
  await waitFor(() => tagged(tag).length === 0, 10_000, () => `no child left; still there:\n${tagged(tag).map((p) => `${p.pid} ${p.cmd}`).join('\n')}`);
  t.pass();
});
