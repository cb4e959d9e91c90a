// The one size formatter: the same size reads the same in a column, a job's progress, a
// migration's line and a lint finding.
import test from 'ava';
import { humanBytes, humanKiB } from '../../src/libvirt/units.ts';
import { humanPair } from '../../src/ui/text.ts';
import { bytesProgress } from '../../src/libvirt/storagejobs.ts';
import { jobProgress, parseJobInfo } from '../../src/libvirt/migrate.ts';
import { diagnose, type DiagFacts } from '../../src/libvirt/diagnose.ts';
import { checkClone } from '../../src/libvirt/install.ts';

test('bytes and KiB: the largest unit under 1024, one decimal below 100, whole numbers above', (t) => {
  t.is(humanBytes(0), '0 B');
  t.is(humanBytes(512), '512 B');
  t.is(humanBytes(1536), '1.5 KiB');
  t.is(humanBytes(128.8 * 2 ** 20), '129 MiB');
  t.is(humanBytes(2 ** 30), '1.0 GiB');
  t.is(humanBytes(2 * 2 ** 40), '2.0 TiB');
  t.is(humanBytes(-3 * 2 ** 20), '-3.0 MiB');
  t.is(humanBytes(undefined), '-');
  t.is(humanKiB(0), '0 KiB');
  t.is(humanKiB(512), '512 KiB');
  t.is(humanKiB(100 * 2 ** 20), '100 GiB');
  t.is(humanKiB(1.5 * 1024), '1.5 MiB');
});

test('a size just under a unit or under 100 reads as it rounds: "1.0 GiB", not "1024 MiB"; "100 GiB", not "100.0 GiB"', (t) => {
  // a qcow2 allocation 512 KiB short of 1 GiB, next to one of 1 GiB
  t.is(humanBytes(1073217536), '1.0 GiB');
  t.is(humanBytes(2 ** 30 - 1), '1.0 GiB');
  t.is(humanBytes(1023.99 * 2 ** 30), '1.0 TiB');
  t.is(humanKiB(1048575), '1.0 GiB');
  t.is(humanBytes(1023.6), '1.0 KiB');
  t.is(humanBytes(1023), '1023 B');
  t.is(humanBytes(99.96 * 2 ** 30), '100 GiB');
  t.is(humanBytes(99.94 * 2 ** 30), '99.9 GiB');
  t.is(humanBytes(1000 * 2 ** 20), '1000 MiB');
  t.is(humanPair(1048575, 1048575), '1.0/1.0 GiB');
  t.is(humanPair(100 * 1024 - 30, 100 * 1024), '100/100 MiB');
  t.is(humanPair(512 * 1024, 2 ** 20), '0.5/1.0 GiB');
});

test('a job\'s progress, a migration\'s line and a lint finding say a size as the columns do', (t) => {
  t.is(bytesProgress(512 * 2 ** 20, 2 ** 30).text, `${humanKiB(512 * 1024)} of ${humanKiB(2 ** 20)}`);
  t.is(bytesProgress(200 * 2 ** 20, 200 * 2 ** 20).text, '200 MiB of 200 MiB');
  const big = 'Job type:         Unbounded\nOperation:        Outgoing migration\nTime elapsed:     1532         ms\nData processed:   1.000 TiB\nData remaining:   1.000 TiB\nData total:       2.000 TiB\n';
  t.regex(jobProgress(parseJobInfo(big))!.text, /^1\.0 TiB\/2\.0 TiB, 1\.0 TiB left/);
  const facts: DiagFacts = { name: 'g', state: 'paused', reason: { state: 'paused', reason: 'ioerror' }, blkErrors: [{ disk: 'vda', error: 'no space' }],
    disks: [], networks: [], memoryKiB: 131072, hostFreeKiB: 8_000_000, emulator: '/usr/bin/qemu-system-x86_64', emulatorError: '', events: [],
    pools: [{ name: 'p', active: true, capacity: 100 * 2 ** 30, available: 1.5 * 2 ** 20 }] };
  t.is(checkClone('shut off', 'c', [], [{ pool: 'p', bytes: 3 * 2 ** 30, available: 2 * 2 ** 30 }]), 'the copies need 3.0 GiB in pool p, which has 2.0 GiB free', 'as the pool column says them');
  t.true(diagnose(facts).some((f) => f.text.includes(`pool p: 1.5 MiB free of ${humanKiB(100 * 2 ** 20)}`)), 'the pool column says "100 GiB" and "1.5 MiB"');
});
