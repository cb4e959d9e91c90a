// The whole program in tmux against the real lab (qemu:///system, real QEMU guests).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { startVirtui } from './drive.ts';

const LAB = process.env.VIRTUI_SKIP_LAB === '1' ? test.skip : test.serial;
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
  v.wait('virsh start lab-gamma: ok', 30);
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
  // the real numbers domstats gives: vCPUs, memory, CPU time
  t.regex(v.screen(), /lab-alpha +running +1 +192\/192 MiB +\d/);
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
  t.regex(v.screen(), /Storage pools \| 1 pools, 1 active/);
});
