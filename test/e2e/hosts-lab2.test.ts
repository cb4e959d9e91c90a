// Many hosts at once, as an operator uses virtui, in tmux against two real libvirt hosts: lab 1
// (qemu:///system) and lab 2 (virtlab2, by its unix socket and by real SSH). Serial: the sshd
// log that counts logins is lab 2's one, stopping lab 2 is seen by every test, and the file holds the labs
// (lablock.ts) against the other lab test files.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, only, startVirtui, type Tui } from './drive.ts';
import { holdLabsForThisFile } from './lablock.ts';
import { LAB1_SSH_URI, LAB2_SKIPPED, LAB2_SSH_URI, LAB2_UNIX_URI, killLab2Daemon, lab2Available, sshLoginPorts, startLab2, stopLab2 } from './lab2.ts';

const LAB1_URI = 'qemu:///system';
const virshOn = (uri: string) => (...args: string[]) => execFileSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', timeout: 30_000 }).trim();
const lab1 = virshOn(LAB1_URI);
const lab2 = virshOn(LAB2_UNIX_URI);
const state = (on: (...a: string[]) => string, dom: string) => on('domstate', dom).split('\n')[0];
const lab1Up = () => spawnSync('virsh', ['-q', '-c', LAB1_URI, 'list', '--name'], { timeout: 30_000 }).status === 0;

const UP = !LAB2_SKIPPED && lab1Up() && lab2Available();
const LAB2 = UP ? test.serial : test.skip;
if (UP) holdLabsForThisFile();

/** a config file that names the two hosts (else they are named by their host names, vm and virtlab2) */
function namingConfig(t: ExecutionContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-hosts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `# the e2e test's hosts
hosts:
  - name: lab1
    uri: ${LAB1_URI}
  - name: lab2
    uri: "${LAB2_UNIX_URI}"
`);
  return file;
}

/** the guests as the lab has them: what every test starts from and leaves */
function labAsFound(t: ExecutionContext): void {
  t.is(state(lab1, 'lab-alpha'), 'running');
  t.is(state(lab1, 'lab-beta'), 'paused');
  t.is(state(lab2, 'lab2-delta'), 'running');
  t.teardown(() => {
    if (state(lab1, 'lab-alpha') === 'paused') lab1('resume', 'lab-alpha');
    if (state(lab1, 'lab-beta') === 'running') lab1('suspend', 'lab-beta');
    if (lab2Available() && state(lab2, 'lab2-delta') === 'paused') lab2('resume', 'lab2-delta');
  });
}

/** Clears the filter (Esc in the filter prompt; Esc on the list goes back). */
function unfilter(v: Tui): void {
  v.keys('/', 'Escape');
  v.gone(' shown \\|');
}

/** keys refused because the last action on the object had not settled (see act) */
let refusals = 0;

/**
 * Presses a key that acts on the selected domain until the screen shows `until`. virtui refuses
 * such a key, saying "key not taken", until the last action on that object and the
 * refreshes after it are done, and the row can show the result a refresh before that: an
 * operator who is quick presses again, and so does this.
 */
function act(v: Tui, key: string, until: string): void {
  const end = Date.now() + 30_000;
  v.keys(key);
  for (;;) {
    try {
      v.wait(until, 3);
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
      if (/key not taken: /.test(v.screen())) {
        refusals++;
        v.keys(key);
      }
    }
  }
}

for (const size of ['120x34', '80x24']) {
  LAB2(`lab 1 and lab 2 together at ${size}: :hosts, the fleet view, and an action from it on each row's own host`, (t) => {
    t.timeout(150_000);
    labAsFound(t);
    const v = startVirtui(size, ['--config', namingConfig(t), '-c', LAB1_URI, '-c', LAB2_UNIX_URI]);
    t.teardown(() => v.stop());
    // the first -c is current; the config names both hosts by their URIs
    v.wait('^virtui lab1 \\(1/2\\) qemu:', 30);
    v.wait('^lab-alpha +running', 30);
    v.keys('H');
    v.wait('Hosts \\| 2 hosts, 2 up', 30);
    v.wait('^\\*lab1 +up +1/3 ');
    v.wait('^ lab2 +up +1/1 ');
    // (a long URI is cut in the middle: its scheme and its socket's end stay)
    v.wait('^ lab2 .* 9\\.[0-9.]+ +qemu\\+unix:.*(sock|\\?)');
    if (size === '120x34') t.regex(v.screen(), /^ lab2 .*libvirt-sock host virtla/m, 'its own host name in the note');

    v.keys('A');
    v.wait('Fleet \\| 2 hosts, 4 domains, 2 running');
    v.wait('^HOST.* NAME +STATE');
    v.wait('^lab1 +lab-alpha +running');
    v.wait('^lab1 +lab-gamma +shut off');
    v.wait('^lab2 +lab2-delta +running');
    t.regex(v.screen(), /^2 hosts, 2 up$/m, 'the banner: no host down');

    // lab-alpha from the fleet view: suspended on lab 1, and lab 2 untouched
    only(v, 'alpha');
    act(v, 'p', '^lab1 +lab-alpha +paused');
    v.wait('virsh suspend --domain lab-alpha: ok');
    t.is(state(lab1, 'lab-alpha'), 'paused');
    t.is(state(lab2, 'lab2-delta'), 'running');
    act(v, 'p', '^lab1 +lab-alpha +running');
    t.is(state(lab1, 'lab-alpha'), 'running');

    // lab2-delta, on the host that is NOT current: the action goes to lab 2, not to lab 1
    unfilter(v);
    only(v, 'delta');
    act(v, 'p', '^lab2 +lab2-delta +paused');
    v.wait('suspend --domain lab2-delta: ok');
    t.is(state(lab2, 'lab2-delta'), 'paused');
    t.is(state(lab1, 'lab-alpha'), 'running');
    act(v, 'p', '^lab2 +lab2-delta +running');
    t.is(state(lab2, 'lab2-delta'), 'running');
    // the current host is still lab 1
    t.regex(v.screen(), /^virtui lab1 \(1\/2\)/);
  });
}

/** the libvirt socket an ssh command line forwards to (libvirt's netcat proxy: nc -U SOCKET) */
const socketOf = (argv: string) => /-U (\S+?)'?\s*$/.exec(argv.trim())?.[1] ?? argv;

/** The live ssh connections to lab 2's sshd made by a process of `pids`: source port -> socket. */
function sshSockets(pids: ReadonlySet<number>): Map<number, string> {
  const out = new Map<number, string>();
  const ss = spawnSync('ss', ['-tnpH', 'state', 'established', '( dport = :2222 )'], { encoding: 'utf8' }).stdout;
  for (const line of ss.split('\n')) {
    const m = /127\.0\.0\.1:(\d+) +127\.0\.0\.1:2222 .*pid=(\d+)/.exec(line);
    if (!m || !pids.has(Number(m[2]))) continue;
    try { out.set(Number(m[1]), socketOf(readFileSync(`/proc/${m[2]}/cmdline`, 'utf8').replace(/\0/g, ' '))); } catch { /* gone */ }
  }
  return out;
}

/**
 * An `ssh` first in PATH that notes each command line (one a line) in `log`, then runs the real
 * ssh: what virtui and its virsh processes start, told apart from other clients of the shared sshd.
 */
function sshRecorder(t: ExecutionContext): { path: string; started: () => Array<{ pid: number; argv: string }> } {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-ssh-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const real = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).stdout.trim();
  const log = join(dir, 'started');
  // (the pid stays the same through exec: it is the ssh process's; libvirt gives ssh a clean environment, PATH kept)
  writeFileSync(join(dir, 'ssh'), `#!/bin/sh\nprintf '%s %s\\n' "$$" "$*" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  const started = () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [])
    .map((l) => ({ pid: Number(l.slice(0, l.indexOf(' '))), argv: l.slice(l.indexOf(' ') + 1) }));
  return { path: `${dir}:${process.env.PATH}`, started };
}

const count = (list: readonly string[]) => list.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());

LAB2('over qemu+ssh, two hosts for 2 minutes of screens, refreshes and actions: at most 2 ssh logins per host', (t) => {
  t.timeout(300_000);
  labAsFound(t);
  const before = sshLoginPorts().length;
  const ssh = sshRecorder(t);
  // no config: the hosts are named by their host names
  const v = startVirtui('120x34', ['--no-config', '-c', LAB2_SSH_URI, '-c', LAB1_SSH_URI], ['env', `PATH=${ssh.path}`]);
  t.teardown(() => v.stop());
  v.wait('^virtui virtlab2 \\(1/2\\) qemu\\+ssh://', 30);
  v.wait('^lab2-delta +running', 30);
  v.wait('events live', 30);

  const started = Date.now();
  const screens: Array<[string, () => void]> = [
    ['net', () => command(v, 'net', 'lab-nat +active .*192\\.168\\.1[56]0\\.1/24')],
    ['pool', () => command(v, 'pool', 'lab-pool +active .*/var/lib/virt-lab/pool')],
    ['vol', () => command(v, 'vol lab-pool', 'Volumes of lab-pool')],
    ['iface', () => command(v, 'iface', 'Host interfaces \\|')],
    ['hosts', () => { v.keys('H'); v.wait('Hosts \\| 2 hosts, 2 up'); v.wait('^[ *]vm +up +[0-9]+/3 '); }],
    // the fleet view, then ^R there: both hosts' lists again
    ['fleet', () => { v.keys('A'); v.wait('^virtlab2 +lab2-delta +running'); v.wait('^vm +lab-alpha +running'); v.keys('C-r'); v.wait('^vm +lab-gamma +shut off'); }],
  ];
  let rounds = 0;
  let acted = 0;
  // when a login happens, and after what: a login too many is named by the step that made it
  let seen = ssh.started().length;
  const steps: string[] = [];
  const step = (what: string) => {
    const n = ssh.started().length;
    if (n > seen) steps.push(`${n - seen} after ${what} (round ${rounds}, ${Math.round((Date.now() - started) / 1000)} s)`);
    seen = n;
  };
  step('connecting');
  while (Date.now() - started < 120_000) {
    for (const [name, show] of screens) {
      show();
      // back home before the next key: an Escape and a key read together are Alt+key
      v.keys('Escape');
      v.wait('Domains \\|');
      step(name);
    }
    // back on the fleet view: suspend and resume lab2-delta (lab 2, the current host) every other round
    if (rounds % 2 === 0) {
      v.keys('A');
      only(v, 'delta');
      act(v, 'p', '^virtlab2 +lab2-delta +paused');
      act(v, 'p', '^virtlab2 +lab2-delta +running');
      acted++;
      step('suspend and resume');
      v.keys('Escape');
      v.wait('Domains \\|');
    }
    // every third round the other host is made current for a while (Enter on it in :hosts)
    if (rounds % 3 === 1) {
      v.keys('H');
      only(v, 'vm');
      v.keys('Enter');
      v.wait('^virtui vm \\(2/2\\)');
      v.wait('^lab-alpha +running');
      v.keys('H');
      only(v, 'virtlab2');
      v.keys('Enter');
      v.wait('^virtui virtlab2 \\(1/2\\)');
      step('switching hosts');
    }
    rounds++;
    // home: the domains of the current host
    v.wait('Domains \\|');
  }
  t.log(`${rounds} rounds of ${screens.length} screens, ${acted} suspend/resume (${refusals} keys refused while the last action settled), in ${Math.round((Date.now() - started) / 1000)} s`);
  t.true(acted >= 2);
  t.is(state(lab2, 'lab2-delta'), 'running');

  const LAB2_SOCK = '/run/virt-lab2/libvirt-sock';
  const LAB1_SOCK = '/run/libvirt/libvirt-sock';
  // the ssh commands virtui started, per host: its session and its event stream
  const launched = count(ssh.started().map((p) => socketOf(p.argv)));
  // the logins the sshd log shows since virtui launched, those of virtui's own ssh processes by host
  const ports = sshLoginPorts().slice(before);
  const ours = sshSockets(new Set(ssh.started().map((p) => p.pid)));
  const logins = count(ports.map((p) => ours.get(p) ?? 'another client'));
  t.log(`ssh started by virtui: ${JSON.stringify(Object.fromEntries(launched))}; logins in the sshd log: ${JSON.stringify(Object.fromEntries(logins))}: ${steps.join('; ')}`);
  if ([...launched.values()].some((n) => n > 2)) {
    v.keys('L'); // what virtui did: its action log and the status line
    t.log(v.screen());
  }
  for (const [host, sock] of [['lab 2', LAB2_SOCK], ['lab 1', LAB1_SOCK]]) {
    const n = launched.get(sock) ?? 0;
    t.true(n >= 1 && n <= 2, `${host}: ${n} ssh commands (the session and the event stream)`);
    t.is(logins.get(sock) ?? 0, n, `${host}: each is one login in the sshd log, still connected`);
  }
  t.deepEqual([...launched.keys()].sort(), [LAB1_SOCK, LAB2_SOCK]);
});

/** the seconds to lab 2's next try, as the fleet view's banner says them */
const retryIn = (v: Tui) => Number(/lab2 down \(retry in (\d+) s\)/.exec(v.screen())?.[1] ?? 0);

LAB2('lab 2 stopped while virtui runs: its rows say down, lab 1 keeps updating, keys answer; started again it comes back by itself, and at once with ^R', (t) => {
  t.timeout(420_000);
  labAsFound(t);
  let down = false;
  // (teardowns run last first: lab 2 is back before the guests are checked)
  t.teardown(() => { if (down) startLab2(); });
  const v = startVirtui('120x34', ['--config', namingConfig(t), '-c', LAB1_URI, '-c', LAB2_UNIX_URI]);
  t.teardown(() => v.stop());
  v.wait('^lab-alpha +running', 30);
  v.keys('A');
  v.wait('^2 hosts, 2 up$', 30);
  v.wait('^lab2 +lab2-delta +running +[0-9.]+%', 30);

  // the whole of lab 2 goes away: daemons, sshd, guests
  down = true;
  stopLab2();
  v.wait('^2 hosts, 1 up  \\|  lab2 down', 30);
  // its last rows stay, greyed, with ? for what is not known now (the outage shuts its guests
  // down first: the event stream may have told that before the daemon went)
  v.wait('^lab2 +lab2-delta +(running|shut off) \\? +\\?');
  v.wait('^lab1 +lab-alpha +running +[0-9.]+%');
  // lab 1 keeps updating: a change made behind virtui's back shows
  lab1('resume', 'lab-beta');
  v.wait('^lab1 +lab-beta +running', 20);
  lab1('suspend', 'lab-beta');
  v.wait('^lab1 +lab-beta +paused', 20);
  // the keys answer, and :hosts says the same
  v.keys('H');
  v.wait('Hosts \\| 2 hosts, 1 up');
  v.wait('^ lab2 +down');
  v.wait('^\\*lab1 +up +1/3 ');
  v.keys('Escape');
  v.wait('^HOST.* NAME +STATE');
  // the backoff grows: 2 s, 4 s ... at most 30 s
  v.wait('lab2 down \\(retry in ([89]|[1-3][0-9]) s\\)', 60);

  startLab2();
  down = false;
  // by itself, at the next try (at most 30 s later), without a restart of virtui
  v.wait('^2 hosts, 2 up$', 45);
  v.wait('^lab2 +lab2-delta +running +[0-9.]+%', 30);
  v.keys('H');
  v.wait('^ lab2 +up +1/1 ');
  v.keys('Escape');
  v.wait('^HOST.* NAME +STATE');

  // its daemon alone dies; once it is back, ^R tries at once instead of waiting for the backoff.
  // The daemon is started again once the backoff is at its longest (30 s: 2, 4, 8, 16, 30), as
  // soon as the banner counts it down: on a busy machine setup-lab2.sh takes 15-22 s. Should it
  // take so long that the backoff has nearly run out, it comes back by itself, and the daemon is
  // killed again
  let wait = 0;
  for (let round = 1; round <= 3 && wait < 6; round++) {
    down = true;
    killLab2Daemon();
    v.wait('lab2 down \\(retry in (2[7-9]|30) s\\)', 90);
    const restart = Date.now();
    startLab2();
    down = false;
    wait = retryIn(v);
    t.log(`round ${round}: lab 2's daemon started again in ${Date.now() - restart} ms; the next try ${wait} s away`);
    if (wait < 6) v.wait('^2 hosts, 2 up$', 45);
  }
  t.true(wait >= 6, 'the ^R is tested before the backoff runs out');
  v.keys('C-r');
  v.wait('^2 hosts, 2 up$', Math.min(5, wait - 1));
  v.wait('^lab2 +lab2-delta +running +[0-9.]+%', 30);
});
