// The whole program in tmux against the real lab (qemu:///system, real QEMU guests).
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVirtui } from './drive.ts';
import { registerPaneTests } from './panes-lab.ts';
import { holdLabsForThisFile } from './lablock.ts';
import { sharedDir } from '../helpers.ts';

const LAB = process.env.VIRTUI_SKIP_LAB === '1' ? test.skip : test.serial;
if (process.env.VIRTUI_SKIP_LAB !== '1') holdLabsForThisFile();
const virsh = (...args: string[]) => execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], { encoding: 'utf8' }).trim();
const state = (name: string) => virsh('domstate', name).split('\n')[0];

LAB('lab: start lab-gamma and see it run, then destroy it after the question', (t) => {
  t.teardown(() => { if (state('lab-gamma') !== 'shut off') virsh('destroy', 'lab-gamma'); });
  t.is(state('lab-gamma'), 'shut off', 'the lab starts with lab-gamma shut off');
  const v = startVirtui('100x30', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-gamma +shut off');
  v.type('/gamma');
  v.keys('Enter');
  v.wait('1 shown');
  v.keys('u');
  v.wait('virsh start --domain lab-gamma: ok', 30);
  v.wait('lab-gamma +running', 30);
  t.is(state('lab-gamma'), 'running');
  v.keys('D');
  v.wait('Destroy lab-gamma');
  v.keys('y');
  v.wait('lab-gamma +shut off', 30);
  t.is(state('lab-gamma'), 'shut off');
});

LAB('lab: suspend and resume lab-alpha', (t) => {
  t.teardown(() => { if (state('lab-alpha') === 'paused') virsh('resume', 'lab-alpha'); });
  t.is(state('lab-alpha'), 'running');
  const v = startVirtui('100x30', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha +running');
  v.type('/alpha');
  v.keys('Enter');
  v.wait('1 shown');
  v.keys('p');
  v.wait('lab-alpha +paused', 30);
  t.is(state('lab-alpha'), 'paused');
  v.wait('p resume');
  v.keys('p');
  v.wait('lab-alpha +running', 30);
  t.is(state('lab-alpha'), 'running');
  // the real numbers domstats gives: CPU %, vCPUs, memory
  t.regex(v.screen(), /lab-alpha +running +[\d.]+% +[▁▂▃▄▅▆▇█ ]* +1 +192\/192 MiB/);
});

LAB('lab: the list follows a change made outside virtui on the next tick', (t) => {
  t.teardown(() => { if (state('lab-alpha') === 'paused') virsh('resume', 'lab-alpha'); });
  const v = startVirtui('100x30', ['-c', 'qemu:///system', '--interval', '1']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha +running');
  virsh('suspend', 'lab-alpha');
  v.wait('lab-alpha +paused', 10);
  virsh('resume', 'lab-alpha');
  v.wait('lab-alpha +running', 10);
  t.is(state('lab-alpha'), 'running');
});

LAB('lab: details of a real guest (disks, NIC), and the lab\'s states in the list', (t) => {
  const v = startVirtui('120x40', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-beta +paused');
  v.wait('lab-gamma +shut off');
  v.type('/alpha');
  v.keys('Enter', 'Enter');
  v.wait('Domain lab-alpha');
  v.keys('PageDown');
  v.wait('vdb +disk \\(ro\\) +virtio +raw');
  v.wait('52:54:00:1a:b0:01 +network +lab-nat +virtio');
  t.regex(v.screen(), /alpha-root\.qcow2/);
});

LAB('lab: networks with their real DHCP leases and the domains using them', (t) => {
  const v = startVirtui('120x30', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha');
  v.keys(':');
  v.type('net');
  v.keys('Enter');
  v.wait('lab-nat +active +yes +yes +virbr-lab0 +nat +192\\.168\\.150\\.1/24 +192\\.168\\.150\\.100-192\\.168\\.150\\.199 +[1-9]');
  v.wait('lab-isolated +active .* isolated +10\\.150\\.0\\.1/24');
  v.wait('default +inactive');
  v.type('/lab-nat');
  v.keys('Enter', 'Enter');
  v.wait('Network lab-nat');
  v.wait('192\\.168\\.150\\.11/24 +52:54:00:1a:b0:01 +lab-alpha');
  v.wait('Domains using it \\(3\\)');
  t.regex(v.screen(), /lab-beta +52:54:00:1a:b0:02/);
  t.regex(v.screen(), /lab-gamma +52:54:00:1a:b0:03/);
});

LAB('lab: the storage pool with its real size, usage and path', (t) => {
  const v = startVirtui('140x30', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha');
  v.keys(':');
  v.type('pool');
  v.keys('Enter');
  v.wait('lab-pool +active +yes +dir +[0-9].* +[0-9]+% [█░]+ +/var/lib/virt-lab/pool'); // grep -E: no \d
  t.regex(v.screen(), /Storage pools \| 1 pool, 1 active/);
});

// ---- issue 3: storage, networks, snapshots and XML editing on the real host ----

const tryVirsh = (...args: string[]) => { try { execFileSync('virsh', ['-q', '-c', 'qemu:///system', ...args], { stdio: 'ignore' }); } catch { /* not there */ } };

LAB('lab: create a qcow2 volume in lab-pool, resize it, delete it', (t) => {
  const name = 'virtui e2e.qcow2';
  t.teardown(() => tryVirsh('vol-delete', '--pool', 'lab-pool', name));
  const v = startVirtui('100x30', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha');
  v.type(':pool');
  v.keys('Enter');
  v.wait('lab-pool +active');
  v.keys('Enter');
  v.wait('Volumes of lab-pool');
  v.wait('alpha-root.qcow2 +file +qcow2 .*lab-alpha \\(vda\\)');
  v.keys('n');
  v.wait('New volume in pool lab-pool');
  v.type(name);
  v.keys('Tab', 'Tab', 'C-u');
  v.type('64M');
  v.keys('Enter');
  v.wait('virtui e2e.qcow2 +file +qcow2 +64\\.0 MiB', 30);
  t.regex(virsh('vol-info', '--pool', 'lab-pool', name), /Capacity: +64\.00 MiB/);
  v.type('/e2e');
  v.keys('Enter');
  v.wait('1 shown');
  v.keys('r');
  v.wait('Resize volume virtui e2e.qcow2');
  v.keys('C-u');
  v.type('128M');
  v.keys('Enter');
  v.wait('virtui e2e.qcow2 +file +qcow2 +128 MiB', 30);
  t.regex(virsh('vol-info', '--pool', 'lab-pool', name), /Capacity: +128\.00 MiB/);
  // the chain as qemu-img sees it
  v.keys('Enter');
  v.wait('\\[Overview\\]');
  v.keys('3');
  v.wait('virtual size: 128 MiB', 30);
  v.keys('q', 'X');
  v.wait('Delete volume virtui e2e.qcow2');
  v.wait('No domain uses it');
  v.keys('y');
  v.wait('no volume matches /e2e', 30);
  t.notRegex(virsh('vol-list', 'lab-pool'), /virtui e2e/);
});

LAB('lab: create a network from the form, start it, stop it, undefine it', (t) => {
  const name = 'virtui-e2e-net';
  t.teardown(() => { tryVirsh('net-destroy', name); tryVirsh('net-undefine', name); });
  const v = startVirtui('100x30', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha');
  v.type(':net');
  v.keys('Enter');
  v.wait('lab-nat +active');
  v.keys('n');
  v.wait('New network');
  v.type(name);
  // mode: nat -> route -> isolated
  v.keys('Tab', 'Right', 'Right', 'Tab', 'Tab', 'C-u');
  v.type('10.177.0.1');
  v.keys('Tab', 'Tab', 'C-u');
  v.type('10.177.0.10-10.177.0.20');
  // autostart, then the "Define" button (not started yet)
  v.keys('Tab', 'Tab', 'Right', 'Enter');
  v.wait('Define network virtui-e2e-net\\?');
  v.wait('virt-xml-validate: valid');
  v.wait('<range start="10.177.0.10" end="10.177.0.20"/>');
  v.keys('y');
  v.wait('virtui-e2e-net +inactive +no +yes .* isolated +10\\.177\\.0\\.1/24 +10\\.177\\.0\\.10-', 30);
  v.type('/e2e');
  v.keys('Enter');
  v.wait('1 shown');
  v.keys('u');
  v.wait('virtui-e2e-net +active', 30);
  t.regex(virsh('net-info', name), /Active: +yes/);
  v.keys('D');
  v.wait('Stop network virtui-e2e-net');
  v.keys('y');
  v.wait('virtui-e2e-net +inactive', 30);
  v.keys('X');
  v.wait('Undefine network virtui-e2e-net');
  v.type(name);
  v.keys('Enter');
  v.wait('no network matches /e2e', 30);
  t.notRegex(virsh('net-list', '--all', '--name'), /virtui-e2e-net/);
});

LAB('lab: take a snapshot of lab-alpha, revert to it (with a safety snapshot), delete both', (t) => {
  const before = virsh('snapshot-list', 'lab-alpha', '--name');
  t.teardown(() => {
    for (const s of virsh('snapshot-list', 'lab-alpha', '--name').split('\n').map((x) => x.trim()).filter((x) => x && !before.includes(x))) tryVirsh('snapshot-delete', 'lab-alpha', s);
    if (state('lab-alpha') !== 'running') tryVirsh('start', 'lab-alpha');
  });
  const v = startVirtui('120x30', ['-c', 'qemu:///system']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha +running');
  v.type(':snap lab-alpha');
  v.keys('Enter');
  v.wait('Snapshots of lab-alpha');
  v.wait('`- later \\*');
  v.keys('n');
  v.wait('New snapshot of lab-alpha');
  v.keys('C-u');
  v.type('virtui-e2e');
  v.keys('Tab');
  v.type('taken by the e2e test');
  v.keys('Enter');
  v.wait('`- virtui-e2e \\* .* running +disk\\+memory +taken by the e2e test', 120);
  v.keys('G', 'r');
  v.wait('Revert lab-alpha to virtui-e2e');
  v.wait('\\[x\\] first take a safety snapshot');
  v.keys('y');
  v.wait('virsh snapshot-revert --domain lab-alpha --snapshotname virtui-e2e: ok', 180);
  v.wait('`- before-revert-[0-9]+-[0-9]+ ', 30);
  v.wait('virtui-e2e \\*', 30);
  t.is(virsh('snapshot-current', 'lab-alpha', '--name'), 'virtui-e2e');
  t.is(state('lab-alpha'), 'running');
  // delete virtui-e2e with its child (the safety snapshot)
  v.type('/virtui-e2e');
  v.keys('Enter');
  v.keys('Home', 'X');
  v.wait('Delete snapshot virtui-e2e');
  v.wait('1 descendant: before-revert');
  v.keys('Tab', 'Space', 'y');
  v.wait('no snapshot matches /virtui-e2e', 120);
  t.deepEqual(virsh('snapshot-list', 'lab-alpha', '--name'), before);
});

LAB('lab: edit lab-gamma\'s XML: an invalid change is rejected and the old definition stays; a valid one is applied', (t) => {
  const original = virsh('dumpxml', '--inactive', '--security-info', 'lab-gamma');
  const dir = mkdtempSync(join(tmpdir(), 'virtui-e2e-'));
  const saved = join(dir, 'original.xml');
  writeFileSync(saved, `${original}\n`);
  t.teardown(() => { tryVirsh('define', saved); rmSync(dir, { recursive: true, force: true }); });
  // the "editor": the first time it breaks the XML, the second time it changes the description
  const editor = join(dir, 'editor.sh');
  writeFileSync(editor, `#!/bin/sh
if [ ! -e "${dir}/once" ]; then touch "${dir}/once"; sed -i 's|<devices>|<devices><bogus-element/>|' "$1"
else sed -i 's|<devices><bogus-element/>|<devices>|; s|<description>[^<]*</description>|<description>edited by virtui e2e</description>|' "$1"; fi
`, { mode: 0o755 });
  const v = startVirtui('120x34', ['-c', 'qemu:///system'], ['env', `EDITOR=${editor}`, `XDG_STATE_HOME=${dir}/state`]);
  t.teardown(() => v.stop());
  v.wait('lab-gamma +shut off');
  v.type('/gamma');
  v.keys('Enter');
  v.wait('1 shown');
  v.keys('e');
  v.wait('does not validate', 30);
  v.wait('definition has not been changed');
  t.is(virsh('dumpxml', '--inactive', '--security-info', 'lab-gamma'), original, 'the old definition is intact');
  v.keys('y');
  v.wait('Define domain lab-gamma\\?', 30);
  v.wait('\\+ +<description>edited by virtui e2e</description>');
  v.keys('y');
  v.wait('domain lab-gamma defined from your edit', 30);
  t.regex(virsh('dumpxml', '--inactive', 'lab-gamma'), /<description>edited by virtui e2e<\/description>/);
  const backups = readdirSync(join(dir, 'state', 'virtui', 'backups'));
  t.is(backups.length, 1);
  t.is(readFileSync(join(dir, 'state', 'virtui', 'backups', backups[0]!), 'utf8'), original.endsWith('\n') ? original : `${original}\n`);
});

/** "85.6 MiB", "2.5K", "96" -> a number to compare (bytes or KiB, the same unit down a column) */
function amount(s: string): number {
  const m = /^([\d.]+)\s*([KMGT]?)/.exec(s.trim());
  if (!m) return -1;
  return Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2] || ' ');
}

LAB('lab: lab-alpha\'s CPU % and moving sparkline; suspend flattens its chart and marks the event; top sorts by each key', (t) => {
  t.teardown(() => { if (state('lab-alpha') === 'paused') virsh('resume', 'lab-alpha'); });
  t.is(state('lab-alpha'), 'running');
  const v = startVirtui('120x40', ['-c', 'qemu:///system', '--interval', '1']);
  t.teardown(() => v.stop());
  v.wait('events live', 20);
  // lab-alpha makes a little load: a CPU % above zero within a few ticks
  v.wait('lab-alpha +running +([1-9][0-9]*\\.[0-9]|0\\.[1-9])%', 30);
  const spark = () => /lab-alpha +running +[\d.]+% +([▁▂▃▄▅▆▇█ ]+?) +1 /.exec(v.screen())?.[1] ?? '';
  const first = spark();
  t.true(first.trim().length > 0);
  // the sparkline moves: the last minute slides by as the ticks come in
  const end = Date.now() + 20_000;
  let later = first;
  while (later === first && Date.now() < end) { execFileSync('sleep', ['1']); later = spark(); }
  t.not(later, first, 'the sparkline moved');

  v.type('/alpha');
  v.keys('Enter', 'v');
  v.wait('Stats lab-alpha \\| running');
  v.wait('CPU [0-9.]+% of 1 vCPU');
  v.keys('p');
  v.wait('Stats lab-alpha \\| paused', 30);
  // the event stream's own words, at the time libvirt gave
  v.wait('events \\(red marks\\): [0-9:]{8} Suspended Paused', 15);
  // flattened: a paused guest runs nothing (QEMU's own threads may still tick a little)
  v.wait('^CPU [0-9.]+% of 1 vCPU, 0\\.0% in the guest', 15);
  v.keys('p');
  v.wait('Resumed Unpaused', 15);
  t.is(state('lab-alpha'), 'running');

  v.keys('Escape', 'Escape', ':');
  v.type('top');
  v.keys('Enter');
  v.wait('Top \\| 2 active, by CPU');
  const sorts: Array<[string, string, RegExp, (cells: string[]) => number]> = [
    ['M', 'memory', /MEM USED▼/, (c) => amount(c[4]!)],
    ['B', 'disk', /DISK R\/W \/s▼/, (c) => c[6]!.split('/').reduce((a, x) => a + amount(x), 0)],
    ['N', 'network', /NET RX\/TX \/s▼/, (c) => c[8]!.split('/').reduce((a, x) => a + amount(x), 0)],
    ['P', 'CPU', /CPU%▼/, (c) => amount(c[2]!)],
  ];
  for (const [key, name, marker, value] of sorts) {
    v.keys(key);
    v.wait(`Top \\| 2 active, by ${name}`);
    const lines = v.lines();
    t.regex(lines[2]!, marker);
    // both are active with counters: a number in every column ("-" would sort as anything)
    const ROW = /^(\S+) +(\S+) +([\d.]+%) +(\d+) +([\d.]+ [KMGTP]iB) +([\d.]+%) +([\d.]+[KMGT]?\/[\d.]+[KMGT]?) +(\d+) +([\d.]+[KMGT]?\/[\d.]+[KMGT]?)$/;
    const rows = lines.slice(3, 5).map((l) => ROW.exec(l.trimEnd())?.slice(1) ?? []);
    t.deepEqual(rows.map((c) => c[0]).sort(), ['lab-alpha', 'lab-beta'], lines.slice(2, 5).join('\n'));
    // the values are read from one screen: the order on it must be highest first
    const vals = rows.map((c) => value(c));
    t.true(vals.every((x) => x >= 0), `${name}: ${JSON.stringify(rows)}`);
    t.true(vals[0]! >= vals[1]!, `${name}: ${JSON.stringify(rows)}`);
  }
});

LAB('lab: libvirtd frozen, then killed: STALE rows with the real cause, cleared by the first answer', (t) => {
  const pidOf = () => Number(readFileSync('/run/virt-lab/libvirtd.pid', 'utf8').trim());
  const pid = pidOf();
  let killed = false;
  t.teardown(() => {
    try { process.kill(pid, 'SIGCONT'); } catch { /* gone */ }
    if (killed) spawnSync('bash', [join(sharedDir(), 'lab', 'setup-lab.sh')], { stdio: 'ignore', env: { ...process.env, LAB_SKIP_INSTALL: '1' } });
  });
  const v = startVirtui('100x30', ['-c', 'qemu:///system', '--interval', '1']);
  t.teardown(() => v.stop());
  v.wait('lab-alpha +running');
  v.wait('events live');
  // frozen: the refresh waits; after two ticks (5 s at least) the rows are marked stale, long before the 30 s limit
  process.kill(pid, 'SIGSTOP');
  v.wait('STALE: no answer from libvirt for [0-9]+ s', 20);
  v.wait('lab-alpha +running \\? +\\?');
  v.wait('libvirt has not answered for [0-9]+ s');
  process.kill(pid, 'SIGCONT');
  v.wait('libvirt answers again after [0-9]+ s', 20);
  v.gone('STALE');
  v.wait('lab-alpha +running +[0-9.]+%', 10);
  // killed: the socket refuses; the hint says so, not "permission denied"
  killed = true;
  process.kill(pid, 'SIGKILL');
  v.wait('libvirt does not answer: .*(Connection refused|No such file)', 20);
  t.notRegex(v.screen(), /permission denied|polkit/i);
  t.regex(v.screen(), /STALE/);
  const r = spawnSync('bash', [join(sharedDir(), 'lab', 'setup-lab.sh')], { encoding: 'utf8', env: { ...process.env, LAB_SKIP_INSTALL: '1' } });
  t.is(r.status, 0, r.stderr);
  killed = false;
  v.wait('libvirt answers again', 30);
  v.gone('STALE', 10);
  t.is(state('lab-alpha'), 'running', 'the guests ran on while the daemon was away');
});

// last: they destroy lab-alpha and bring the lab back
registerPaneTests(LAB, virsh, state);
