// The host line's numbers: from /proc on a local daemon (what libvirt reads for nodecpustats and
// nodememstats), from virsh elsewhere; the test driver's fixed numbers asked once.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isLocalQemu, parseNodeCpu, parseNodeMem, procCpu, procMem } from '../../src/libvirt/node.ts';
import { HostLoad } from '../../src/model/hostload.ts';
import { FIXTURES } from '../helpers.ts';

const fx = (f: string) => readFileSync(join(FIXTURES, 'virsh', f), 'utf8');

test('/proc/meminfo read as nodememstats: the lab\'s capture and virsh\'s answer right after it agree', (t) => {
  t.deepEqual(procMem(fx('lab-proc-meminfo.txt')), parseNodeMem(fx('lab-nodememstats-after-proc.txt')));
  t.is(procMem('nothing here'), undefined);
});

test('/proc/stat read as nodecpustats: user+nice, system+irq+softirq, idle, iowait in ns, as virsh said a moment later', (t) => {
  const proc = procCpu(fx('lab-proc-stat.txt'))!;
  const virsh = parseNodeCpu(fx('lab-nodecpustats-after-proc.txt'));
  t.deepEqual(Object.keys(proc).sort(), Object.keys(virsh).sort());
  // virsh read /proc/stat a few ms later: the same counters, a little further on
  for (const k of ['user', 'system', 'idle', 'iowait']) {
    t.true(virsh[k]! >= proc[k]! && virsh[k]! - proc[k]! < 0.001 * virsh[k]!, `${k}: ${proc[k]} then ${virsh[k]}`);
  }
  t.deepEqual(procCpu('cpu  10 1 20 300 4 2 3 0 0 0\ncpu0 10 1 20 300 4 2 3 0 0 0\n'), { user: 11e7, system: 25e7, idle: 300e7, iowait: 4e7 });
  t.is(procCpu('intr 1 2 3'), undefined);
});

test('only qemu:///system and qemu:///session are this machine', (t) => {
  t.true(isLocalQemu('qemu:///system'));
  t.true(isLocalQemu('qemu:///session'));
  for (const u of ['qemu+ssh://root@h/system', 'qemu+unix:///system?socket=/run/virt-lab2/libvirt-sock', 'test:///default', 'qemu://h/system', 'lxc:///system', '']) t.false(isLocalQemu(u), u);
});

function runner(answers: Record<string, string>) {
  const asked: string[] = [];
  return {
    asked,
    run: async (args: readonly string[]) => {
      asked.push(args[0]!);
      const a = answers[args[0]!];
      if (a === undefined) throw Object.assign(new Error('no'), { line: 'error: this function is not supported by the connection driver' });
      return a;
    },
  };
}

test('a local daemon: the host line from /proc, no nodecpustats or nodememstats a tick', async (t) => {
  const r = runner({ nodeinfo: fx('lab-nodeinfo.txt') });
  let n = 0;
  const stats = ['cpu  100 0 100 800 0 0 0 0 0 0\n', 'cpu  150 0 150 900 0 0 0 0 0 0\n'];
  const load = new HostLoad(r as never, 'qemu:///system', (f) => (f === '/proc/stat' ? stats[Math.min(n++, 1)]! : fx('lab-proc-meminfo.txt')));
  await load.refresh();
  await load.refresh();
  t.deepEqual(r.asked, ['nodeinfo']);
  // 100 busy of 200 ticks between the two samples
  t.is(load.load.cpu, 50);
  t.is(load.load.memTotal, 24683620);
  t.is(load.load.memUsed, 24683620 - 22425484 - 11052 - 624604);
});

test('a remote daemon asks virsh each tick; the test driver\'s fixed CPU numbers are asked once', async (t) => {
  const remote = runner({ nodeinfo: fx('lab-nodeinfo.txt'), nodecpustats: fx('lab-nodecpustats-1.txt'), nodememstats: fx('lab-nodememstats.txt') });
  const l1 = new HostLoad(remote as never, 'qemu+ssh://root@h/system', () => { throw new Error('not this machine'); });
  await l1.refresh();
  await l1.refresh();
  t.deepEqual(remote.asked.filter((a) => a === 'nodecpustats' || a === 'nodememstats'), ['nodecpustats', 'nodememstats', 'nodecpustats', 'nodememstats']);
  const fixed = runner({ nodeinfo: fx('lab-nodeinfo.txt'), nodecpustats: fx('lab-nodecpustats-1.txt') });
  const l2 = new HostLoad(fixed as never, 'test:///default');
  for (let i = 0; i < 3; i++) await l2.refresh();
  // nor nodememstats, which it does not have: its error would make virsh run the first batch again call by call
  t.deepEqual(fixed.asked, ['nodeinfo', 'nodecpustats']);
  t.regex(l2.memError ?? '', /test driver gives no memory statistics/);
});
