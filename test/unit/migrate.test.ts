// Migration: the argument builder (every option), domjobinfo captured on the labs during real
// migrations (lab 1 -> lab 2, 128 MiB guest, --bandwidth 1 and 8), the pre-flight checks on the
// guest's XML and lab 2's capabilities, and the hints of the usual migration errors.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkLine, guestFacts, jobProgress, migrateArgs, optionProblem, parseCapabilities, parseDomCapsCpu, parseJobInfo, preflight,
  type MigrateOptions, type TargetFacts,
} from '../../src/libvirt/migrate.ts';
import { parseNodeMem } from '../../src/libvirt/node.ts';
import { createVolumeArgs, deleteVolumeArgs, volumePlan } from '../../src/libvirt/migrate.ts';
import { parseVolumeXml } from '../../src/libvirt/volxml.ts';
import { parsePoolXml } from '../../src/libvirt/poolxml.ts';
import { volumeCommands } from '../../screens/migrate/run.ts';
import { migrationHint, errorLines } from '../../src/virsh/errors.ts';
import { FIXTURES, waitFor } from '../helpers.ts';
import { STATS_ARGS as STATS } from '../../src/libvirt/stats.ts';
import { progressCell } from '../../screens/jobs/rows.ts';
import type { Job } from '../../src/model/jobs.ts';

const fx = (name: string) => readFileSync(join(FIXTURES, 'migrate', name), 'utf8');
const LAB2 = 'qemu+unix:///system?socket=/run/virt-lab2/libvirt-sock';
const base: MigrateOptions = {
  domain: 'h16a-cap', dest: LAB2, kind: 'live', persistent: false, undefineSource: false, copyStorage: false,
  autoConverge: false, compressed: false, unsafe: false,
};

test('builder: the bare live and offline migrations', (t) => {
  t.deepEqual(migrateArgs(base), ['migrate', '--live', '--domain', 'h16a-cap', '--desturi', LAB2]);
  t.deepEqual(migrateArgs({ ...base, kind: 'offline', persistent: true }), ['migrate', '--offline', '--persistent', '--domain', 'h16a-cap', '--desturi', LAB2]);
});

test('builder: every option, each on its own', (t) => {
  const one = (o: Partial<MigrateOptions>) => migrateArgs({ ...base, ...o }).slice(2, -4);
  t.deepEqual(one({ persistent: true }), ['--persistent']);
  t.deepEqual(one({ undefineSource: true }), ['--undefinesource']);
  t.deepEqual(one({ copyStorage: true }), ['--copy-storage-all']);
  t.deepEqual(one({ autoConverge: true }), ['--auto-converge']);
  t.deepEqual(one({ compressed: true }), ['--compressed']);
  t.deepEqual(one({ unsafe: true }), ['--unsafe']);
  t.deepEqual(one({ bandwidth: 8 }), ['--bandwidth', '8']);
  t.deepEqual(one({ bandwidth: 0 }), []);
  t.deepEqual(one({ migrateUri: ' tcp://10.250.0.2 ' }), ['--migrateuri', 'tcp://10.250.0.2']);
  t.deepEqual(one({ migrateUri: '' }), []);
});

test('builder: the lab README\'s command, and an offline migration leaves out what only a live one means', (t) => {
  t.deepEqual(migrateArgs({ ...base, persistent: true, undefineSource: true, unsafe: true, migrateUri: 'tcp://10.250.0.2' }),
    ['migrate', '--live', '--persistent', '--undefinesource', '--migrateuri', 'tcp://10.250.0.2', '--unsafe', '--domain', 'h16a-cap', '--desturi', LAB2]);
  const all = { persistent: true, undefineSource: true, copyStorage: true, autoConverge: true, compressed: true, unsafe: true, bandwidth: 4, migrateUri: 'tcp://x' };
  t.deepEqual(migrateArgs({ ...base, ...all, kind: 'offline' }), ['migrate', '--offline', '--persistent', '--undefinesource', '--unsafe', '--domain', 'h16a-cap', '--desturi', LAB2]);
  t.deepEqual(migrateArgs({ ...base, ...all }), ['migrate', '--live', '--persistent', '--undefinesource', '--copy-storage-all', '--auto-converge', '--compressed',
    '--bandwidth', '4', '--migrateuri', 'tcp://x', '--unsafe', '--domain', 'h16a-cap', '--desturi', LAB2]);
  // a name that starts with a dash stays a value
  t.deepEqual(migrateArgs({ ...base, domain: '--help' }).slice(-4), ['--domain', '--help', '--desturi', LAB2]);
});

test('options libvirt would refuse are caught before any host is asked', (t) => {
  t.is(optionProblem(base, 'running'), '');
  t.is(optionProblem(base, 'paused'), '');
  t.regex(optionProblem(base, 'shut off'), /live migration needs a running guest/);
  t.regex(optionProblem({ ...base, kind: 'offline', persistent: true }, 'running'), /offline migration .* shut-off/);
  t.regex(optionProblem({ ...base, kind: 'offline' }, 'shut off'), /persistent/);
  t.regex(optionProblem({ ...base, dest: ' ' }, 'running'), /no target/);
  t.regex(optionProblem(base, 'running', 'test:///default'), /test driver cannot migrate/);
  t.regex(optionProblem({ ...base, dest: 'test:///default' }, 'running', 'qemu:///system'), /test driver cannot migrate/);
  t.regex(optionProblem({ ...base, bandwidth: -1 }, 'running'), /MiB\/s/);
  t.regex(optionProblem({ ...base, migrateUri: '10.0.0.1' }, 'running'), /tcp:\/\//);
});

test('domjobinfo: no job, a job just started, a slow one, one near its end, a completed one', (t) => {
  t.is(parseJobInfo(fx('domjobinfo-none.txt')).type, 'None');
  t.is(jobProgress(parseJobInfo(fx('domjobinfo-none.txt'))), null);

  const starting = parseJobInfo(fx('domjobinfo-starting.txt'));
  t.like(starting, { type: 'Unbounded', operation: 'Outgoing migration', elapsedMs: 1246, dataTotal: undefined });
  t.deepEqual(jobProgress(starting), { text: 'starting, 1.2 s' });

  const slow = parseJobInfo(fx('domjobinfo-slow.txt'));
  t.like(slow, { elapsedMs: 2336, iteration: 1, expectedDowntimeMs: 300, dirtyRate: 0, pageSize: 4096 });
  t.is(Math.round(slow.dataProcessed!), Math.round(1.020 * 1024 ** 2));
  t.is(Math.round(slow.dataRemaining!), Math.round(126.812 * 1024 ** 2));
  t.is(Math.round(slow.dataTotal!), Math.round(128.758 * 1024 ** 2));
  t.is(Math.round(slow.memBandwidth!), Math.round(1.018 * 1024 ** 2));
  const p = jobProgress(slow)!;
  t.is(p.text, '1.9 MiB/129 MiB, 127 MiB left, 1.0 MiB/s, dirty 0 pages/s, downtime ~300 ms, 2.3 s');
  t.is(p.total, slow.dataTotal);

  // zero pages are never "processed": done is what no longer remains
  const late = jobProgress(parseJobInfo(fx('domjobinfo-late.txt')))!;
  // the jobs view's cell says the percentage once: the bar's
  const cell = progressCell({ state: 'running', last: late, progress: async () => late } as unknown as Job);
  t.regex(cell, /^█+░* +96% 124 MiB\/129 MiB, 4\.7 MiB left/);
  t.is(cell.match(/%/g)!.length, 1);
  t.regex(late.text, /^124 MiB\/129 MiB, 4\.7 MiB left, 7\.8 MiB\/s/);

  const done = parseJobInfo(fx('domjobinfo-completed.txt'));
  t.like(done, { type: 'Completed', operation: 'Incoming migration', elapsedMs: 11099, totalDowntimeMs: 158, iteration: 4 });
  t.is(jobProgress(done), null);
});

test('domjobinfo of a save (save, managed save, a snapshot with memory): the same parser, bytes done of the total', (t) => {
  const save = 'Job type:         Unbounded\nOperation:        Save\nTime elapsed:     1532         ms\nData processed:   256.000 MiB\nData remaining:   768.000 MiB\nData total:       1.000 GiB\n';
  t.like(parseJobInfo(save), { type: 'Unbounded', operation: 'Save', elapsedMs: 1532, dataProcessed: 256 * 2 ** 20, dataRemaining: 768 * 2 ** 20, dataTotal: 2 ** 30 });
  t.deepEqual(jobProgress(parseJobInfo(save)), { text: '256 MiB/1.0 GiB, 768 MiB left, 1.5 s', done: 256 * 2 ** 20, total: 2 ** 30 });
});

test('domjobinfo: a dirty rate in pages/s is shown in bytes too', (t) => {
  const j = parseJobInfo(fx('domjobinfo-slow.txt').replace(/Dirty rate:\s+0/, 'Dirty rate:       512'));
  t.regex(jobProgress(j)!.text, /dirty 512 pages\/s \(2\.0 MiB\/s\)/);
});

const guest = () => guestFacts(fx('dumpxml-running.xml'));
const lab2 = (): TargetFacts => ({
  name: 'lab2',
  sourceUuid: 'aaaaaaaa-0000-0000-0000-000000000001',
  caps: parseCapabilities(fx('capabilities-lab2.xml')),
  cpu: parseDomCapsCpu(fx('domcapabilities-lab2.xml')),
  networks: [{ name: 'lab-nat', active: true }],
  pools: [{ name: 'lab-pool', active: true, path: '/var/lib/virt-lab/pool' }, { name: 'lab2-pool', active: true, path: '/var/lib/virt-lab2/pool' }],
  mem: parseNodeMem(fx('nodememstats-lab2.txt')),
  domains: ['lab2-delta'],
  paths: new Map([['/var/lib/virt-lab/pool/h16a-cap.qcow2', true]]),
});

test('guest facts from a running guest\'s XML', (t) => {
  const g = guest();
  t.like(g, { name: 'h16a-cap', type: 'qemu', arch: 'x86_64', machine: 'pc-i440fx-7.2', memoryKiB: 131072, networks: ['lab-nat'], bridges: [] });
  t.deepEqual(g.disks.map((d) => [d.target, d.path]), [['vda', '/var/lib/virt-lab/pool/h16a-cap.qcow2']]);
});

test('target facts from lab 2: its UUID, arches and machines, CPU models', (t) => {
  const c = parseCapabilities(fx('capabilities-lab2.xml'));
  t.is(c.uuid, '4c616232-7669-4274-ac61-623276697232');
  t.true(c.arches.get('x86_64')!.machines.has('pc-i440fx-7.2'));
  t.true(c.arches.get('x86_64')!.machines.has('pc'));
  t.true(c.arches.get('x86_64')!.domains.has('qemu'));
  const cpu = parseDomCapsCpu(fx('domcapabilities-lab2.xml'));
  t.false(cpu.modes.get('host-passthrough'));
  t.true(cpu.modes.get('host-model'));
  t.is(cpu.models.get('qemu64'), 'yes');
  t.is(cpu.models.get('Skylake-Server'), 'no');
});

test('pre-flight: the lab migration passes, with the --unsafe advice until it is ticked', (t) => {
  const checks = preflight(guest(), lab2(), { kind: 'live', copyStorage: false, unsafe: false, state: 'running' });
  t.deepEqual(checks.filter((c) => c.level === 'fail'), []);
  const lines = checks.map(checkLine);
  t.true(lines.includes('✓ h16a-cap is running: it moves live'));
  t.true(lines.includes('✓ x86_64 qemu machine pc-i440fx-7.2: lab2 runs it'));
  t.true(lines.includes('✓ network lab-nat: active on lab2'));
  t.true(lines.includes('✓ memory: h16a-cap needs 128 MiB, lab2 has 21.8 GiB free'));
  t.true(lines.includes('✓ vda /var/lib/virt-lab/pool/h16a-cap.qcow2: lab2 has it (shared storage)'));
  t.true(lines.some((l) => /^! libvirt refuses a live migration .* tick --unsafe/.test(l)));
  const ticked = preflight(guest(), lab2(), { kind: 'live', copyStorage: false, unsafe: true, state: 'running' }).map(checkLine);
  t.false(ticked.some((l) => /tick --unsafe/.test(l)));
  t.true(ticked.some((l) => /^! --unsafe: /.test(l)));
});

test('pre-flight: what would fail', (t) => {
  const fails = (g: ReturnType<typeof guest>, tf: TargetFacts, o = { kind: 'live' as const, copyStorage: false, unsafe: true, state: 'running' }) =>
    preflight(g, tf, o).filter((c) => c.level === 'fail').map((c) => c.text);
  const g = guest();
  t.deepEqual(fails(g, { ...lab2(), networks: [{ name: 'lab-nat', active: false }] }), ['network lab-nat: defined on lab2 but not active (start it there)']);
  t.deepEqual(fails(g, { ...lab2(), networks: [] }), ['network lab-nat: lab2 has none of that name (define it there, or change the guest\'s NIC)']);
  t.deepEqual(fails(g, { ...lab2(), mem: { free: 1000, buffers: 0, cached: 0 } }), ['memory: h16a-cap needs 128 MiB, lab2 has 1000 KiB free']);
  t.deepEqual(fails({ ...g, arch: 'aarch64' }, lab2()), ['arch aarch64: lab2 runs no aarch64 guests (it has i686, x86_64)']);
  t.deepEqual(fails({ ...g, type: 'kvm' }, lab2()), ['domain type kvm: lab2 offers qemu for x86_64']);
  t.deepEqual(fails({ ...g, machine: 'pc-q35-9.0' }, lab2()), ['machine pc-q35-9.0: lab2\'s QEMU does not have it (an older QEMU there?)']);
  t.deepEqual(fails({ ...g, cpu: { mode: 'custom', model: 'Skylake-Server' } }, lab2()), ['CPU model Skylake-Server: not usable on lab2\'s CPU (give the guest a model both hosts have)']);
  t.deepEqual(fails({ ...g, cpu: { mode: 'host-passthrough', model: '' } }, lab2()), ['CPU host-passthrough: lab2 cannot give it (its domcapabilities say so)']);
  t.deepEqual(fails(g, { ...lab2(), domains: ['h16a-cap'] }), ['lab2 already has a domain named h16a-cap']);
  t.deepEqual(fails(g, { ...lab2(), sourceUuid: '4c616232-7669-4274-ac61-623276697232' }), ['lab2 is the same host as the source (host UUID 4c616232-7669-4274-ac61-623276697232)']);
  t.deepEqual(fails(g, lab2(), { kind: 'live', copyStorage: false, unsafe: true, state: 'shut off' }), ['h16a-cap is shut off: a live migration needs it running (choose offline)']);
});

test('pre-flight: disks not on the target are copied with --copy-storage-all, into the pool of their directory', (t) => {
  const noDisk = { ...lab2(), paths: new Map([['/var/lib/virt-lab/pool/h16a-cap.qcow2', false]]) };
  const o = { kind: 'live' as const, copyStorage: false, unsafe: false, state: 'running' };
  t.true(preflight(guest(), noDisk, o).map(checkLine).includes('✗ vda /var/lib/virt-lab/pool/h16a-cap.qcow2: not on lab2: tick --copy-storage-all to copy it'));
  t.true(preflight(guest(), noDisk, { ...o, copyStorage: true }).map(checkLine).includes('✓ vda /var/lib/virt-lab/pool/h16a-cap.qcow2: copied into lab2\'s pool lab-pool'));
  const noPool = { ...noDisk, pools: [] };
  t.true(preflight(guest(), noPool, { ...o, copyStorage: true }).map(checkLine).some((l) => /^✗ vda .*: to be copied, but no pool on lab2 has \/var\/lib\/virt-lab\/pool/.test(l)));
  t.true(preflight(guest(), noDisk, { ...o, kind: 'offline', state: 'shut off' }).map(checkLine).some((l) => /^✗ vda .* an offline migration copies no disk/.test(l)));
});

test('the usual migration errors (captured on the labs) get their hints', (t) => {
  const [unsafe, ssh, notRunning, aborted] = fx('errors.txt').split('\n');
  t.regex(migrationHint(unsafe!), /--unsafe/);
  t.regex(migrationHint(ssh!), /over ssh: check the URI/);
  t.notRegex(migrationHint(ssh!), /tries again/);
  t.regex(migrationHint(notRunning!), /choose offline/);
  t.regex(migrationHint(aborted!), /cancelled .*stays on the source/);
  t.regex(migrationHint('error: operation failed: guest CPU doesn\'t match specification: missing features: avx2'), /CPU/);
  t.deepEqual(errorLines(unsafe!), ['Unsafe migration: Migration without shared storage is unsafe']);
});

test('guest facts: a CPU model with and without attributes, a volume disk, a bridge, memory in MiB', (t) => {
  const xml = `<domain type='kvm'><name>x</name><memory unit='MiB'>512</memory>
    <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type></os>
    <cpu mode='custom' match='exact'><model fallback='forbid'>Westmere</model></cpu>
    <devices><disk type='volume' device='disk'><source pool='lab-pool' volume='v.qcow2'/><target dev='vdb'/></disk>
    <disk type='file' device='cdrom'><target dev='hdc'/><readonly/></disk>
    <interface type='bridge'><source bridge='br0'/></interface></devices></domain>`;
  const g = guestFacts(xml);
  t.like(g, { type: 'kvm', memoryKiB: 524288, bridges: ['br0'], networks: [], cpu: { mode: 'custom', model: 'Westmere' } });
  t.deepEqual(g.disks.map((d) => [d.target, d.pool, d.volume, d.device, d.readonly]), [['vdb', 'lab-pool', 'v.qcow2', 'disk', false], ['hdc', '', '', 'cdrom', true]]);
  t.like(guestFacts("<domain><name>y</name><cpu><model>qemu64</model></cpu></domain>").cpu, { mode: 'custom', model: 'qemu64' });
});

// ---- the job (screens/migrate/run.ts) on a stand-in connection: what it runs, its progress, cancel, failure

import { startMigration } from '../../screens/migrate/run.ts';
import { Jobs } from '../../src/model/jobs.ts';
import { virshFailure } from '../../src/virsh/errors.ts';
import type { ScreenContext } from '../../src/context.ts';
import { Connection } from '../../src/model/connection.ts';

function standIn(outcome: Promise<string>) {
  const calls: string[][] = [];
  const statuses: Array<{ kind: string; text: string; hint?: string }> = [];
  let refreshed = 0;
  const conn = {
    name: 'lab1', uri: 'qemu:///system',
    domains: { domains: [{ name: '42', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', id: 3, state: 'running' }] },
    run: async (args: string[]) => { calls.push(['run', ...args]); return fx('domjobinfo-slow.txt'); },
    action: async (args: string[]) => {
      calls.push(['action', ...args]);
      if (args[0] === 'domjobabort') return { ok: true, output: '' };
      try { return { ok: true, output: await outcome }; } catch (e) { return { ok: false, output: '', error: virshFailure(`virsh ${args.join(' ')}`, (e as Error).message) }; }
    },
    setStatus: (s: { kind: string; text: string; hint?: string }) => { statuses.push(s); },
    refresh: () => { refreshed++; },
  };
  const target = { refresh: () => { refreshed++; } };
  const jobs = new Jobs();
  const ctx = { jobs, requestRender: () => {} };
  return { conn: conn as unknown as Connection, target: target as unknown as Connection, ctx: ctx as unknown as ScreenContext, jobs, calls, statuses, refreshed: () => refreshed };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the job: virsh migrate in its own process (action, long), domjobinfo progress meanwhile, both hosts refreshed at the end', async (t) => {
  let finish!: (out: string) => void;
  const s = standIn(new Promise<string>((r) => { finish = r; }));
  const { job, done } = startMigration(s.ctx, s.conn, { ...base, persistent: true, undefineSource: true, unsafe: true }, 'lab2', s.target);
  t.like(job, { kind: 'migrate', host: 'lab1', target: 'h16a-cap', state: 'running' });
  // as the connection lists its running actions (-c is the host's: the jobs view names it), so
  // that the question on quitting names the migration once
  t.is(job.command, `virsh migrate --live --persistent --undefinesource --unsafe --domain h16a-cap --desturi '${LAB2}'`);
  // what cancelling leaves, said in the jobs view's question
  t.is(job.cancelNote, 'domjobabort stops it: h16a-cap goes on running on lab1, and lab2 keeps nothing of it.');
  await waitFor(() => !!job.last, 30_000, () => `a progress read (calls: ${JSON.stringify(s.calls)})`);
  t.deepEqual(s.calls[0], ['action', ...migrateArgs({ ...base, persistent: true, undefineSource: true, unsafe: true })]);
  t.true(s.calls.some((c) => c.join(' ') === 'run domjobinfo --domain h16a-cap'));
  t.regex(job.last?.text ?? '', /^1\.9 MiB\/129 MiB/);
  finish('');
  await done;
  t.like(job, { state: 'ok', message: 'h16a-cap is on lab2 now' });
  t.is(s.refreshed(), 2);
  const polls = s.calls.length;
  await settle(1200);
  t.is(s.calls.length, polls, 'no domjobinfo after the end');
});

test('the job: cancel runs domjobabort; the migration\'s "canceled by client" ends it as cancelled', async (t) => {
  let fail!: (e: Error) => void;
  const s = standIn(new Promise<string>((_, r) => { fail = r; }));
  const { job, done } = startMigration(s.ctx, s.conn, base, 'lab2', s.target);
  await settle(10);
  t.true(await s.jobs.cancel(job));
  t.deepEqual(s.calls.find((c) => c[1] === 'domjobabort'), ['action', 'domjobabort', '--domain', 'h16a-cap']);
  fail(new Error(fx('errors.txt').split('\n')[3]!));
  await t.throwsAsync(done);
  t.is(job.state, 'cancelled');
  t.regex(job.message, /canceled by client/);
});

test('the job: a failure ends it with the migration\'s hint, on the status line too', async (t) => {
  const s = standIn(Promise.reject(new Error(fx('errors.txt').split('\n')[0]!)));
  const { job, done } = startMigration(s.ctx, s.conn, base, 'lab2', s.target);
  const e = await t.throwsAsync(done);
  t.is(job.state, 'failed');
  t.is(job.message, 'Unsafe migration: Migration without shared storage is unsafe');
  t.regex((e as { hint?: string }).hint ?? '', /--unsafe/);
  t.regex(s.statuses.at(-1)!.hint ?? '', /--unsafe/);
  t.is(s.refreshed(), 2);
});

// ---- what the pre-flight reads (screens/migrate/facts.ts), from lab 2's captured answers

import { readTarget } from '../../screens/migrate/facts.ts';

test('the target\'s facts: pool names without virsh\'s padding, a disk found after one refresh of its pool', async (t) => {
  const asked: string[] = [];
  let refreshed = false;
  const disk = '/var/lib/virt-lab/pool/h16a-cap.qcow2';
  const answers: Record<string, () => string> = {
    capabilities: () => fx('capabilities-lab2.xml'),
    'domcapabilities --virttype qemu --arch x86_64': () => fx('domcapabilities-lab2.xml'),
    'net-list --all --name': () => fx('net-list-all-lab2.txt'),
    'net-list --name': () => fx('net-list-all-lab2.txt'),
    'pool-list --all --name': () => fx('pool-list-all-lab2.txt'),
    'pool-list --name': () => fx('pool-list-all-lab2.txt'),
    'pool-dumpxml --pool lab-pool': () => fx('pool-dumpxml-lab-pool-lab2.xml'),
    'pool-dumpxml --pool lab2-pool': () => fx('pool-dumpxml-lab-pool-lab2.xml').replace(/virt-lab\/pool/, 'virt-lab2/pool'),
    nodememstats: () => fx('nodememstats-lab2.txt'),
    'list --all --name': () => 'lab2-delta\n\n',
    'pool-refresh --pool lab-pool': () => { refreshed = true; return 'Pool lab-pool refreshed\n'; },
    [`vol-info --vol ${disk}`]: () => { if (!refreshed) throw new Error('Storage volume not found'); return 'Name: h16a-cap.qcow2\n'; },
  };
  const target = async (args: string[]) => {
    asked.push(args.join(' '));
    const a = answers[args.join(' ')];
    if (!a) throw new Error(`not captured: ${args.join(' ')}`);
    return a();
  };
  const source = async (args: string[]) => (args[0] === 'capabilities' ? fx('capabilities-lab2.xml').replace(/<uuid>[^<]*</, '<uuid>aaaa<') : '');
  const f = await readTarget('lab2', target, source, guest());
  t.deepEqual(f.pools, [{ name: 'lab-pool', active: true, path: '/var/lib/virt-lab/pool' }, { name: 'lab2-pool', active: true, path: '/var/lib/virt-lab2/pool' }]);
  t.deepEqual(f.networks, [{ name: 'lab-nat', active: true }]);
  t.deepEqual(f.domains, ['lab2-delta']);
  t.is(f.sourceUuid, 'aaaa');
  t.deepEqual([...f.paths!], [[disk, true]]);
  t.deepEqual(asked.filter((a) => /vol-info|pool-refresh/.test(a)), [`vol-info --vol ${disk}`, 'pool-refresh --pool lab-pool', `vol-info --vol ${disk}`]);
  t.deepEqual(preflight(guest(), f, { kind: 'live', copyStorage: false, unsafe: true, state: 'running' }).filter((c) => c.level === 'fail'), []);
});

test('the job of a domain named like a number (virsh is given its UUID) is named, and its row found, by the name', async (t) => {
  const s = standIn(Promise.resolve(''));
  const { job, done } = startMigration(s.ctx, s.conn, { ...base, domain: '6695eb01-f6a4-8304-79aa-97f2502e193f' }, 'lab2', s.target);
  t.is(job.target, '42');
  t.regex(job.command, /--domain 6695eb01-f6a4-8304-79aa-97f2502e193f /);
  await done;
  t.is(job.message, '42 is on lab2 now');
  t.deepEqual(s.statuses.at(-1), { kind: 'ok', text: 'migrated 42 to lab2' });
});

// lab 1's volumes (vol-dumpxml of a qcow2 and a raw one) and pools (pool-dumpxml), captured;
// the guest has both as disks, lab 2 lacks them
test('copy-storage: each missing disk is created first in the target pool of its directory, with its name, capacity and format', (t) => {
  const g = guest();
  const qcow = parseVolumeXml(fx('vol-dumpxml-qcow2-lab1.xml'));
  const raw = parseVolumeXml(fx('vol-dumpxml-raw-lab1.xml'));
  const lab1Pool = parsePoolXml(fx('pool-dumpxml-lab-pool-lab1.xml'));
  g.disks = [
    { ...g.disks[0]!, target: 'vda', path: qcow.path },
    { ...g.disks[0]!, target: 'vdb', path: raw.path },
    { ...g.disks[0]!, target: 'vdc', path: '/var/lib/virt-lab/pool/h16a-cap.qcow2' },
    { target: 'hdc', device: 'cdrom', path: '/srv/iso/x.iso', pool: '', volume: '', readonly: true, shareable: false },
  ];
  const tf: TargetFacts = {
    ...lab2(),
    pools: [{ name: 'm16-pool', active: true, path: lab1Pool.path }],
    paths: new Map([[qcow.path, false], [raw.path, false], ['/var/lib/virt-lab/pool/h16a-cap.qcow2', true], ['/srv/iso/x.iso', false]]),
  };
  const plan = volumePlan(g, tf, new Map([[qcow.path, qcow], [raw.path, raw]]));
  t.deepEqual(plan.problems, []);
  t.deepEqual(plan.create, [
    { disk: 'vda', path: '/var/lib/virt-lab/pool/empty-data.qcow2', pool: 'm16-pool', name: 'empty-data.qcow2', capacity: 1073741824, format: 'qcow2' },
    { disk: 'vdb', path: '/var/lib/virt-lab/pool/scratch.raw', pool: 'm16-pool', name: 'scratch.raw', capacity: 67108864, format: 'raw' },
  ]);
  t.deepEqual(createVolumeArgs(plan.create[0]!), ['vol-create-as', '--pool', 'm16-pool', '--name', 'empty-data.qcow2', '--capacity', '1073741824', '--format', 'qcow2']);
  t.deepEqual(createVolumeArgs(plan.create[1]!), ['vol-create-as', '--pool', 'm16-pool', '--name', 'scratch.raw', '--capacity', '67108864', '--format', 'raw', '--allocation', '0']);
  t.deepEqual(deleteVolumeArgs(plan.create[1]!), ['vol-delete', '--pool', 'm16-pool', '--vol', 'scratch.raw']);
  t.deepEqual(volumeCommands(LAB2, plan.create.slice(0, 1)), [`virsh -c '${LAB2}' vol-create-as --pool m16-pool --name empty-data.qcow2 --capacity 1073741824 --format qcow2`]);
  const lines = preflight(g, tf, { kind: 'live', copyStorage: true, unsafe: false, state: 'running' }, plan).map(checkLine);
  t.true(lines.includes('✓ vda /var/lib/virt-lab/pool/empty-data.qcow2: copied; virtui first creates it in lab2\'s pool m16-pool (qcow2, 1.0 GiB)'));
  t.true(lines.includes('✓ vdb /var/lib/virt-lab/pool/scratch.raw: copied; virtui first creates it in lab2\'s pool m16-pool (raw, 64.0 MiB)'));
});

test('copy-storage: a disk no target pool can hold says why and what to do', (t) => {
  const g = guest();
  const qcow = parseVolumeXml(fx('vol-dumpxml-qcow2-lab1.xml'));
  g.disks = [{ ...g.disks[0]!, path: qcow.path }];
  const missing = (pools: TargetFacts['pools'], vol: typeof qcow | null = qcow) =>
    volumePlan(g, { ...lab2(), pools, paths: new Map([[qcow.path, false]]) }, new Map([[qcow.path, vol ?? undefined]]));
  // lab 2's own pool is another directory
  const none = missing([{ name: 'lab2-pool', active: true, path: parsePoolXml(fx('pool-dumpxml-lab-pool-lab2.xml')).path.replace('virt-lab/', 'virt-lab2/') }]);
  t.deepEqual(none.create, []);
  t.regex(none.problems[0]!.text, /^no pool on lab2 has the directory \/var\/lib\/virt-lab\/pool: define one there \(pool-define-as NAME dir --target \/var\/lib\/virt-lab\/pool/);
  t.regex(missing([{ name: 'p', active: false, path: '/var/lib/virt-lab/pool/' }]).problems[0]!.text, /pool p \(\/var\/lib\/virt-lab\/pool\) is not active: start it there/);
  t.regex(missing([{ name: 'p', active: true, path: '/var/lib/virt-lab/pool' }], null).problems[0]!.text, /size and format are unknown/);
  t.regex(missing([{ name: 'p', active: true, path: '/var/lib/virt-lab/pool' }], { ...qcow, format: 'vmdk' }).problems[0]!.text, /format is vmdk/);
  const plan = missing([]);
  const line = preflight(g, { ...lab2(), pools: [], paths: new Map([[qcow.path, false]]) }, { kind: 'live', copyStorage: true, unsafe: false, state: 'running' }, plan).map(checkLine);
  t.true(line.some((l) => l.startsWith('✗ vda /var/lib/virt-lab/pool/empty-data.qcow2: to be copied, but no pool on lab2 has the directory')));
  // shared storage: nothing to create
  t.deepEqual(volumePlan(guest(), lab2(), new Map()), { create: [], problems: [] });
});

// ---- the target volumes in the job: created before virsh migrate, deleted when it fails or is cancelled

const vol = (name: string, format: string) => ({ disk: 'vda', path: `/var/lib/m16/${name}`, pool: 'm16-pool', name, capacity: 1 << 20, format });

test('the job: the target volumes are created before the migration, and after a failure exactly those are deleted', async (t) => {
  const s = standIn(Promise.reject(new Error(fx('errors.txt').split('\n')[0]!)));
  const onTarget: string[] = [];
  const run = async (args: string[]) => {
    onTarget.push(args.join(' '));
    s.calls.push(['target', ...args]);
  };
  const { job, done } = startMigration(s.ctx, s.conn, { ...base, copyStorage: true }, 'lab2', s.target,
    { create: [vol('a.qcow2', 'qcow2'), vol('b.raw', 'raw')], run });
  await t.throwsAsync(done);
  const order = s.calls.filter((c) => c[0] !== 'run').map((c) => c.slice(0, 2).join(' '));
  t.deepEqual(order, ['target vol-create-as', 'target vol-create-as', 'action migrate', 'target vol-delete', 'target vol-delete']);
  t.deepEqual(onTarget.filter((c) => c.startsWith('vol-delete')), ['vol-delete --pool m16-pool --vol a.qcow2', 'vol-delete --pool m16-pool --vol b.raw']);
  t.is(job.state, 'failed');
  t.regex(job.message, /^Unsafe migration: .*; deleted the volumes virtui created on lab2: m16-pool\/a\.qcow2, m16-pool\/b\.raw$/);
  t.regex(s.statuses.at(-1)!.text, /deleted the volumes virtui created on lab2/);
});

test('the job: a volume that cannot be created stops it before the migration; the ones made before are deleted, not the one that failed', async (t) => {
  const s = standIn(Promise.resolve(''));
  const onTarget: string[] = [];
  const run = async (args: string[]) => {
    onTarget.push(args.join(' '));
    if (args[0] === 'vol-create-as' && args.includes('b.raw')) throw virshFailure('virsh vol-create-as', "error: storage volume name 'b.raw' already in use.");
  };
  const { job, done } = startMigration(s.ctx, s.conn, { ...base, copyStorage: true }, 'lab2', s.target,
    { create: [vol('a.qcow2', 'qcow2'), vol('b.raw', 'raw')], run });
  await t.throwsAsync(done);
  t.false(s.calls.some((c) => c[1] === 'migrate'));
  t.deepEqual(onTarget.filter((c) => c.startsWith('vol-delete')), ['vol-delete --pool m16-pool --vol a.qcow2']);
  t.regex(job.message, /creating m16-pool\/b\.raw on lab2: .*already in use.*; deleted the volume virtui created on lab2: m16-pool\/a\.qcow2/);
});

test('the job: cancelled while the volumes are made, it deletes them and never migrates; after a success they stay', async (t) => {
  const s = standIn(Promise.resolve(''));
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const onTarget: string[] = [];
  const run = async (args: string[]) => { onTarget.push(args.join(' ')); if (args[0] === 'vol-create-as') await gate; };
  const { job, done } = startMigration(s.ctx, s.conn, { ...base, copyStorage: true }, 'lab2', s.target, { create: [vol('a.qcow2', 'qcow2'), vol('b.raw', 'raw')], run });
  await waitFor(() => onTarget.length === 1, 30_000, () => 'the first vol-create-as');
  t.true(await s.jobs.cancel(job));
  t.false(s.calls.some((c) => c[1] === 'domjobabort'));
  release();
  await t.throwsAsync(done);
  t.is(job.state, 'cancelled');
  t.false(s.calls.some((c) => c[1] === 'migrate'));
  t.deepEqual(onTarget, ['vol-create-as --pool m16-pool --name a.qcow2 --capacity 1048576 --format qcow2', 'vol-delete --pool m16-pool --vol a.qcow2']);
  t.regex(job.message, /cancelled before the migration started; deleted the volume virtui created on lab2: m16-pool\/a\.qcow2/);

  const ok = standIn(Promise.resolve(''));
  const made: string[] = [];
  const r = startMigration(ok.ctx, ok.conn, { ...base, copyStorage: true }, 'lab2', ok.target, { create: [vol('a.qcow2', 'qcow2')], run: async (a) => { made.push(a[0]!); } });
  await r.done;
  t.deepEqual(made, ['vol-create-as']);
});

// ---- the hosts of a running migration say so (Connection.migrating): a target's domstats no longer waits for QEMU

import { hostNote, hostState } from '../../screens/hosts/columns.ts';

test('while a migration runs, both hosts say what they are doing, and their domstats is --nowait; afterwards neither', async (t) => {
  let finish!: (out: string) => void;
  const s = standIn(new Promise<string>((r) => { finish = r; }));
  const src = new Connection({ uri: 'qemu:///system', readonly: false, demo: false, events: false });
  const dst = new Connection({ uri: LAB2, readonly: false, demo: false, events: false });
  t.teardown(() => { finish(''); src.close(); dst.close(); });
  const seen: string[] = [];
  (dst.session as unknown as { run: (a: readonly string[]) => Promise<string> }).run = async (a) => { seen.push(a.join(' ')); return ''; };
  // the stand-in connection runs the migration; the real ones are marked through it as source and target
  const conn = Object.assign(src, { action: (s.conn as unknown as { action: unknown }).action, refresh: () => {} }) as Connection;
  dst.state = 'connected';
  await dst.run(STATS);
  const { done } = startMigration(s.ctx, conn, base, 'lab2', dst);
  await waitFor(() => dst.migrating !== '', 30_000, () => 'the target marked');
  t.is(dst.migrating, 'receiving a migration of h16a-cap from qemu:///system');
  t.is(src.migrating, 'sending h16a-cap to lab2');
  t.is(hostState(dst, Date.now()), 'migrating');
  t.is(hostNote(dst), 'receiving a migration of h16a-cap from qemu:///system');
  // even when a refresh is late (libvirt without --nowait): migrating, not slow
  dst.health = { state: 'slow', since: Date.now(), reason: dst.migrating, hint: '' };
  t.is(hostState(dst, Date.now()), 'migrating');
  dst.health = { state: 'ok', since: 0, reason: '', hint: '' };
  await dst.run(STATS);
  await dst.run(['list', '--all']);
  finish('');
  await done;
  t.is(dst.migrating, '');
  t.is(src.migrating, '');
  t.is(hostState(dst, Date.now()), 'up');
  await dst.run(STATS);
  // (the end refreshes the target: its lists are read again, without --nowait)
  t.deepEqual(seen.slice(0, 3), [STATS.join(' '), `${STATS.join(' ')} --nowait`, 'list --all']);
  t.true(seen.slice(3).filter((c) => c.startsWith('domstats')).every((c) => c === STATS.join(' ')));
  t.is(seen.at(-1), STATS.join(' '));
});

// ---- the screen's text (screens/migrate/view.ts): the volumes' commands before the migration's

import { migrateLines } from '../../screens/migrate/view.ts';

test('the review shows the vol-create-as of each volume, on the target, before the migrate command', (t) => {
  const o = { ...base, copyStorage: true, persistent: true, undefineSource: true };
  const lines = (plan: Parameters<typeof migrateLines>[0]['plan']) => migrateLines({
    domain: 'h16a-cap', state: 'running', source: { name: 'lab1', uri: 'qemu:///system' }, target: 'lab2', o,
    checks: [], problem: '', error: '', job: null, plan, targetUri: LAB2,
  });
  const v = { disk: 'vda', path: '/var/lib/libvirt/m16-pool/m16-cp.qcow2', pool: 'm16-pool', name: 'm16-cp.qcow2', capacity: 16 * 2 ** 20, format: 'qcow2' };
  const l = lines({ create: [v], problems: [] });
  const at = l.indexOf('Commands (the volume first, on lab2; deleted again if the migration fails or is cancelled)');
  t.true(at > 0);
  t.is(l[at + 1], `  virsh -c '${LAB2}' vol-create-as --pool m16-pool --name m16-cp.qcow2 --capacity 16777216 --format qcow2`);
  t.regex(l[at + 2]!, /^ {2}virsh -c qemu:\/\/\/system migrate --live --persistent --undefinesource --copy-storage-all --domain h16a-cap/);
  // nothing to create: the one command, as before
  t.true(lines({ create: [], problems: [] }).includes('Command'));
  t.false(lines({ create: [], problems: [] }).some((x) => /vol-create-as/.test(x)));
});
