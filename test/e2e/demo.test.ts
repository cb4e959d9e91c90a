// The whole program in tmux on the demo host and other test-driver worlds.
import test from 'ava';
import { existsSync, readFileSync, readdirSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startVirtui, startProgram, restored, tagged, killVirtui } from './drive.ts';
import { ROOT, HOSTILE_URI, DEMO_URI } from '../helpers.ts';
import { strWidth } from '../../src/ui/blessed-compat.ts';

const bootstrap = join(ROOT, 'src', 'virsh', 'bootstrap.mjs');

test.serial('--help and --version print and exit', (t) => {
  const help = execFileSync(process.execPath, [bootstrap, 'run', '--', '--help'], { encoding: 'utf8' });
  t.regex(help, /-c, --connect URI/);
  t.regex(help, /-r, --readonly/);
  t.regex(help, /--demo/);
  const version = execFileSync(process.execPath, [bootstrap, 'run', '--', '--version'], { encoding: 'utf8' });
  t.regex(version, /^virtui \d+\.\d+\.\d+\n$/);
  const bad = (() => { try { execFileSync(process.execPath, [bootstrap, 'run', '--', '--frobnicate'], { encoding: 'utf8', stdio: 'pipe' }); return null; } catch (e) { return e as { status: number; stderr: string }; } })();
  t.is(bad?.status, 2);
  t.regex(bad!.stderr, /unknown option "--frobnicate"/);
});

test.serial("README's start command: `node .` in the project folder opens virtui, the options given straight after it", (t) => {
  const v = startProgram('80x24', ['env', '-C', ROOT, process.execPath, '.', '--demo', '-i', '3']);
  t.teardown(() => v.stop());
  v.wait('DEMO');
  v.wait('web-02 +running');
  // -i 3 reached virtui: the header says the tick
  v.wait('tick 3 s');
  t.regex(v.screen(), /^virtui .*DEMO/m);
  v.keys('q');
  v.gone('web-02', 15);
  t.deepEqual(restored(v), { alternate: '0', mouse: '0', cursor: '1' });
});

test.serial('demo host: filter, details, destroy after the question, quit restores the terminal', (t) => {
  const v = startVirtui('80x24', ['--demo']);
  t.teardown(() => v.stop());
  v.wait('DEMO');
  v.wait('web-02 +running');
  v.type('/web');
  v.wait('^/web');
  v.keys('Enter');
  v.wait('/web: 2 shown');
  t.notRegex(v.screen(), /db-primary/);
  v.keys('j', 'Enter');
  v.wait('Domain web-02');
  v.wait('Used memory: +1572864 KiB \\(1\\.5 GiB\\)');
  v.keys('PageDown'); // at 24 rows the devices are below the fold
  v.wait('vda +disk +virtio +qcow2');
  v.keys('Escape');
  v.wait('Domains \\|');
  v.keys('D');
  v.wait('Destroy web-02');
  t.regex(v.screen(), /Power off web-02 at once/);
  v.keys('y');
  v.wait('web-02 +shut off');
  v.wait('virsh destroy --domain web-02: ok');
  // the demo's world lives inside virtui: quitting after a change says it is lost
  v.keys('q');
  v.wait('Quit virtui');
  v.wait('your 1 change to'); // (wrapped at 80 columns: "... it is lost")
  v.keys('y');
  v.wait('\\[exited 0\\]');
  t.notRegex(v.screen(), /NAME.*STATE/);
  t.deepEqual(restored(v), { alternate: '0', mouse: '0', cursor: '1' });
});

test.serial('Ctrl-C quits and restores the terminal', (t) => {
  const v = startVirtui('80x24', ['--demo']);
  t.teardown(() => v.stop());
  v.wait('web-02');
  v.keys('C-c');
  v.wait('\\[exited 0\\]');
  t.deepEqual(restored(v), { alternate: '0', mouse: '0', cursor: '1' });
});

test.serial('SIGTERM restores the terminal', (t) => {
  const v = startVirtui('80x24', ['--demo', '--interval', '1.73']);
  t.teardown(() => v.stop());
  v.wait('web-02');
  // the node process itself (tmux's own command line holds the same words); no pkill on a bare Debian
  const pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      const argv = readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
      return argv[0] === process.execPath && argv.includes('1.73') && argv.some((a) => a.endsWith('bootstrap.mjs'));
    } catch { return false; }
  });
  t.is(pids.length, 1);
  process.kill(Number(pids[0]), 'SIGTERM');
  v.wait('\\[exited 143\\]');
  t.notRegex(v.screen(), /NAME.*STATE/);
  t.deepEqual(restored(v), { alternate: '0', mouse: '0', cursor: '1' });
});

test.serial('an uncaught error restores the terminal and writes a crash log whose path is printed', (t) => {
  const state = mkdtempSync(join(tmpdir(), 'virtui-state-'));
  const v = startVirtui('100x24', ['--demo'], ['env', 'VIRTUI_DEBUG_CRASH=1', `XDG_STATE_HOME=${state}`]);
  t.teardown(() => v.stop());
  v.wait('web-02');
  v.keys(':');
  v.type('crash');
  v.keys('Enter');
  v.wait('\\[exited 70\\]');
  const screen = v.screen().replace(/\n/g, '');
  const m = /The details are in (\S+?\.log)/.exec(screen);
  t.truthy(m, screen);
  t.true(m![1]!.startsWith(join(state, 'virtui')));
  t.true(existsSync(m![1]!));
  t.regex(readFileSync(m![1]!, 'utf8'), /crash requested[\s\S]*at /);
  t.deepEqual(restored(v), { alternate: '0', mouse: '0', cursor: '1' });
});

test.serial('-r offers no action that changes anything', (t) => {
  const v = startVirtui('100x24', ['--demo', '-r']);
  t.teardown(() => v.stop());
  v.wait('READ-ONLY');
  v.wait('web-02 +running');
  v.type('/web-02');
  v.keys('Enter');
  const footer = v.lines().filter(Boolean).pop()!;
  t.regex(footer, /Enter details/);
  t.notRegex(footer, /shutdown|destroy|suspend/);
  v.keys('D');
  v.keys('d');
  t.notRegex(v.screen(), /Destroy web-02/);
  t.regex(v.screen(), /web-02 +running/);
});

test.serial('LIBVIRT_DEFAULT_URI is honoured like virsh does', (t) => {
  const v = startVirtui('100x24', [], ['env', 'LIBVIRT_DEFAULT_URI=test:///default']);
  t.teardown(() => v.stop());
  v.wait('virtui test:///default');
  v.wait('^test +running');
  t.notRegex(v.screen(), /DEMO/);
});

test.serial('no libvirt daemon and no URI: the demo host opens, labelled DEMO, and says why', (t) => {
  // a private mount namespace where /run/libvirt is empty: virsh's default finds no daemon
  const empty = mkdtempSync(join(tmpdir(), 'virtui-nodaemon-'));
  mkdirSync('/run/libvirt', { recursive: true });
  const v = startVirtui('120x24', [], ['unshare', '-m', 'sh', '-c', `mount --bind ${empty} /run/libvirt && exec env -u LIBVIRT_DEFAULT_URI "$@"`, 'sh']);
  t.teardown(() => v.stop());
  v.wait('DEMO');
  v.wait('web-02');
  t.regex(v.screen(), /no libvirt daemon answered/);
});

test.serial('a URI that cannot be reached: a clear error and a hint, exit 1', (t) => {
  const v = startVirtui('120x24', ['-c', 'qemu+unix:///system?socket=/nonexistent/sock']);
  t.teardown(() => v.stop());
  v.wait('\\[exited 1\\]');
  // what libvirt says depends on the host (no socket, or polkit): virsh's own words, then a hint
  t.regex(v.screen(), /^virtui: cannot connect: \S.*\n(.*\n)?hint: \S/m);
});

test.serial('hostile names: shown aligned (emoji included), filtered and acted on', (t) => {
  const v = startVirtui('100x24', ['-c', HOSTILE_URI]);
  t.teardown(() => v.stop());
  v.wait('x running +shut off');
  const lines = v.lines();
  const header = lines.find((l) => l.startsWith('NAME'))!;
  const stateCol = header.indexOf('STATE');
  for (const name of ['web 01', "it's", '$(id)', 'ünï-🚀', 'quote"double {bold}']) {
    const line = lines.find((l) => l.startsWith(name + ' '));
    t.truthy(line, name);
    // the STATE column starts at the same cell on every row
    const cells = strWidth(line!.slice(0, line!.search(/(running|paused|shut off)/)));
    t.is(cells, stateCol, name);
  }
  v.type('/ünï');
  v.keys('Enter');
  v.wait('1 shown');
  v.keys('p');
  v.wait('ünï-🚀 +paused');
  v.wait("virsh suspend --domain 'ünï-🚀': ok");
});

test.serial('hostile names: a name that starts with a dash is a name, never an option of virsh', (t) => {
  const v = startVirtui('100x30', ['-c', HOSTILE_URI]);
  t.teardown(() => v.stop());
  v.wait('-starts-with-dash +running');
  v.type('/--help');
  v.keys('Enter');
  v.wait('1 shown');
  // the details are dominfo's, not virsh's help text
  v.keys('Enter');
  v.wait('Name: +--help');
  v.wait('Persistent: +yes');
  t.notRegex(v.screen(), /SYNOPSIS|dominfo <domain>/);
  v.keys('x');
  v.wait('<name>--help</name>');
  v.keys('Escape');
  v.wait('^--help +running');
  v.keys('p');
  v.wait('^--help +paused');
  v.wait('virsh suspend --domain --help: ok');
  v.keys('p');
  v.wait('^--help +running');
  v.wait('virsh resume --domain --help: ok');
  // the network's users: both domains whose names start with a dash
  v.keys(':');
  v.type('net');
  v.keys('Enter');
  v.wait('-dash-net +active');
  v.keys('Enter');
  v.wait('Domains using it \\(2\\)');
  v.wait('--help +52:54:00:da:5b:01');
  v.wait('-starts-with-dash +52:54:00:da:5b:02');
  v.keys('x');
  v.wait('<name>-dash-net</name>');
  // a pool and a volume named like options
  v.keys(':');
  v.type('vol --pool');
  v.keys('Enter');
  v.wait('Volumes of --pool');
  v.wait('-vol +file .*64(\\.0)? MiB');
});

test.serial('kill -9 of virtui leaves no child behind: its virsh session and the program in a pane die with it', (t) => {
  // (the event stream, which outlived virtui before, needs a daemon: panes-lab.ts; and
  // test/unit/tether.test.ts runs each kind of child without one)
  const tag = `VIRTUI_E2E_TAG=${process.pid}-${Date.now()}`;
  const v = startVirtui('100x24', ['-c', 'test:///default'], ['env', tag]);
  t.teardown(() => { v.stop(); for (const p of tagged(tag)) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } });
  v.wait('^test +running');
  v.keys('!');
  v.wait('virsh #');
  const virshes = tagged(tag).filter((p) => /virsh$/.test(p.argv[0]!));
  t.is(virshes.length, 2, `the session and the shell in the pane: ${JSON.stringify(virshes)}`);
  t.deepEqual(killVirtui(v, tag), [], 'nothing of virtui is left');
});

/** a config file in a directory of its own */
function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'virtui-config-')), 'config.yaml');
  writeFileSync(file, text);
  return file;
}

test.serial('two hosts named by a config file: :hosts, the fleet view with its HOST column, an action on the other host\'s row', (t) => {
  const config = configFile(`hosts:\n  - name: plain\n    uri: test:///default\n  - name: demo\n    uri: ${DEMO_URI}\n`);
  const v = startVirtui('100x24', ['--config', config, '-c', 'test:///default', '-c', DEMO_URI]);
  t.teardown(() => v.stop());
  // (both test-driver worlds say the same host name: only the config tells them apart)
  v.wait('^virtui plain \\(1/2\\) test:///default');
  v.wait('^test +running');
  v.keys('H');
  v.wait('Hosts \\| 2 hosts, 2 up');
  v.wait('^\\*plain +up +1/1 ');
  v.wait('^ demo +up +6/13 ');
  v.keys('Escape');
  v.wait('^test +running');
  v.keys('A');
  v.wait('Fleet \\| 2 hosts, 14 domains, 7 running');
  v.wait('^plain +test +running');
  v.wait('^demo +web-02 +running');
  // the filter spans the hosts; web-02 is only on the demo host, which is not the current one
  v.type('/web-02');
  v.keys('Enter');
  v.wait('/web-02: 1 shown');
  v.keys('p');
  v.wait('^demo +web-02 +paused');
  v.wait('virsh suspend --domain web-02: ok');
  v.keys('p');
  v.wait('^demo +web-02 +running');
  t.regex(v.screen(), /^virtui plain \(1\/2\)/, 'the current host stays the same');
});

test.serial('a broken config file: virtui stops before the screen opens, naming the file, the line and the mistake', (t) => {
  const config = configFile(`interval: 2\nhosts:\n  - name: plain\n    uri: test:///default\n    readOnly: true\n`);
  const v = startVirtui('120x24', ['-c', 'test:///default', '-c', DEMO_URI, '--config', config]);
  t.teardown(() => v.stop());
  v.wait('\\[exited 2\\]');
  const screen = v.screen().replace(/\n/g, '');
  t.true(screen.includes(`virtui: ${config}:5:5: unknown key "readOnly" in a host (known keys: name, uri, readonly)`), screen);
  t.notRegex(screen, /NAME.*STATE/);
  t.deepEqual(restored(v), { alternate: '0', mouse: '0', cursor: '1' });
  // YAML itself broken: yaml's words, at the line
  const bad = configFile(`hosts:\n  - name: plain\n    uri: test:///default\n   - name: demo\n`);
  const r = (() => { try { execFileSync(process.execPath, [bootstrap, 'run', '--', '--config', bad], { encoding: 'utf8', stdio: 'pipe' }); return null; } catch (e) { return e as { status: number; stderr: string }; } })();
  t.is(r?.status, 2);
  t.regex(r!.stderr, new RegExp(`^virtui: ${bad.replace(/[.]/g, '\\.')}:4:[0-9]+: not valid YAML: `));
});
