// virtui's children die with it, even when it is killed with SIGKILL and cannot end them.
import test from 'ava';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allowedCpus, findProgram, onOneCpu, tethered } from '../../src/virsh/tether.ts';
import { VirshSession } from '../../src/virsh/session.ts';
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

test('the CPUs a process may use, from Cpus_allowed_list: ranges and single CPUs; unknown is null', (t) => {
  t.deepEqual(allowedCpus('Name:\tx\nCpus_allowed_list:\t0-2,5,7-8\n'), [0, 1, 2, 5, 7, 8]);
  t.deepEqual(allowedCpus('Cpus_allowed_list:\t3\n'), [3]);
  t.is(allowedCpus('Name:\tx\n'), null);
  t.is(allowedCpus('Cpus_allowed_list:\tx-y\n'), null);
  t.true(allowedCpus()!.length >= 1, 'this machine has its list');
});

test('a test-driver session runs virsh on one CPU as a batch task (virsh 9 hangs after a job that ended before its wait began); a missing virsh runs as it is', async (t) => {
  const chrt = findProgram('chrt')!;
  const taskset = findProgram('taskset')!;
  const virsh = findProgram('virsh')!;
  t.truthy(chrt && taskset, 'chrt and taskset (util-linux) are on every Debian');
  const cpus = allowedCpus()!;
  t.deepEqual(onOneCpu('virsh', ['-q', '-c', 'test:///default'], () => cpus.length - 1), { file: chrt, args: ['-b', '0', taskset, '-c', String(cpus.at(-1)), virsh, '-q', '-c', 'test:///default'] });
  t.deepEqual(onOneCpu('virtui-no-such-virsh', ['-q']), { file: 'virtui-no-such-virsh', args: ['-q'] });
  // the real session: its virsh (the same pid, exec'd through chrt and taskset) is a batch task on one CPU
  const s = new VirshSession({ uri: 'test:///default' });
  t.teardown(() => s.close());
  await s.start();
  const pid = (s as unknown as { proc: { pid: number } }).proc.pid;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // field 41 (policy) after the command's closing parenthesis: 3 is SCHED_BATCH
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  t.is(fields[41 - 3], '3', 'SCHED_BATCH');
  t.regex(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Cpus_allowed_list:\s*\d+\s*$/m, 'one CPU');
  t.regex(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /virsh\0/);
});
