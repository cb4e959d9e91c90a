// The why panel's checks and the host-wide lint: the rules on made facts, the lint on the fixture
// worlds (virt-manager's test-driver world, read through a real virsh session) and the XML reader
// on lab-gamma's captured XML.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose, lint, parsePreflightXml, type DiagFacts, type LintWorld } from '../../src/libvirt/diagnose.ts';
import { diagFacts, lintWorld, localLogDir, logTail } from '../../src/model/diagnose.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Domain } from '../../src/libvirt/types.ts';
import { lintSummary } from '../../screens/lint/screen.ts';
import { VirshSession } from '../../src/virsh/session.ts';
import { FIXTURES, ROOT } from '../helpers.ts';
import { findShared } from '../../src/virsh/shared-dir.mjs';

const gamma = readFileSync(join(FIXTURES, 'guest', 'lab-gamma.xml'), 'utf8');

test('the XML the checks read: lab-gamma\'s volume disk, empty cdrom, network, memory, no agent', (t) => {
  const x = parsePreflightXml(gamma);
  t.is(x.name, 'lab-gamma');
  t.is(x.memoryKiB, 131072);
  t.is(x.vcpus, 1);
  t.is(x.emulator, '/usr/bin/qemu-system-x86_64');
  t.deepEqual(x.disks.map((d) => [d.target, d.device, d.path, d.pool, d.volume, d.removable]), [
    ['vda', 'disk', '', 'lab-pool', 'gamma-root.qcow2', false], ['hdc', 'cdrom', '', '', '', true]]);
  t.deepEqual(x.networks, ['lab-nat']);
  t.false(x.agent);
  t.deepEqual(parsePreflightXml('not xml').disks, []);
});

const base: DiagFacts = {
  name: 'lab-gamma-broken', state: 'shut off', reason: { state: 'shut off', reason: 'unknown' }, blkErrors: [], disks: [], pools: [],
  networks: [], memoryKiB: 131072, hostFreeKiB: 8_000_000, emulator: '/usr/bin/qemu-system-x86_64', emulatorError: '', events: [],
};

test('pre-flight: a missing disk, a missing backing file, an inactive network and pool, too little memory, a missing emulator', (t) => {
  const f = diagnose({
    ...base,
    disks: [{ target: 'vda', source: '/nope/disk.qcow2', exists: false, backing: [{ path: '/nope/base.qcow2', exists: false }], pool: 'p', removable: false }],
    pools: [{ name: 'p', active: false }, { name: 'nopool', active: false, missing: true }], networks: [{ name: 'lab-nat', active: false }, { name: 'gone', active: false, missing: true }],
    memoryKiB: 16_000_000, emulatorError: 'Cannot check QEMU binary /usr/bin/qemu-system-x86_64: No such file or directory',
  });
  const texts = f.map((x) => `${x.level} ${x.text} | ${x.fix ?? ''}`);
  t.regex(texts[0]!, /^info shut off \(unknown\)/);
  t.true(texts.some((x) => /^error disk vda: its source \/nope\/disk\.qcow2 does not exist/.test(x)));
  t.true(texts.some((x) => /^error disk vda: its backing file \/nope\/base\.qcow2 does not exist/.test(x)));
  // the key that starts them on their screens is u (x is their XML); each name after its option
  t.true(texts.some((x) => /^error pool p .*not active \| virsh pool-start --pool p \(or u on :pool\)$/.test(x)));
  t.true(texts.some((x) => /^error network lab-nat .*not active \| virsh net-start --network lab-nat \(or u on :net\)$/.test(x)));
  // a pool that is not there at all is not "not active" (virt-manager's test world: pool idontexist)
  t.true(texts.some((x) => /^error pool nopool \(of its disks\) does not exist/.test(x)));
  t.false(texts.some((x) => /nopool.*not active/.test(x)));
  t.true(texts.some((x) => /^error network gone .*does not exist/.test(x)));
  t.true(texts.some((x) => /^warn it needs 15\.3 GiB of memory; the host has 7\.6 GiB free/.test(x)));
  t.true(texts.some((x) => /^error its emulator .* is missing/.test(x)));
  // nothing in the way: it says so, with the key that starts it
  t.deepEqual(diagnose(base).slice(1).map((x) => [x.text, x.fix]), [['nothing found that would stop it from starting', 'u: start']]);
  // an empty cdrom is no missing disk
  t.is(diagnose({ ...base, disks: [{ target: 'hdc', source: '', exists: false, backing: [], pool: '', removable: true }] }).length, 2);
});

test('paused by an I/O error: the disk error in words and the free space of its pool', (t) => {
  const f = diagnose({ ...base, state: 'paused', reason: { state: 'paused', reason: 'ioerror' }, blkErrors: [{ disk: 'vda', error: 'no space' }],
    pools: [{ name: 'lab-pool', active: true, capacity: 100 * 2 ** 30, available: 2 ** 30 }] });
  t.is(f[0]!.level, 'error');
  t.regex(f[0]!.text, /I\/O error/);
  t.regex(f[1]!.text, /vda: no space: .*full/);
  t.regex(f[1]!.fix!, /p: resume/);
  t.regex(f[2]!.text, /pool lab-pool: 1\.0 GiB free of 100 GiB \(99 % used\)/);
  t.is(f[2]!.level, 'warn');
});

test('the QEMU log: read on this machine, said to be out of reach elsewhere', (t) => {
  t.is(localLogDir('qemu:///system'), '/var/log/libvirt/qemu');
  t.is(localLogDir('qemu+ssh://root@kvm2/system'), '');
  t.regex(logTail('qemu+ssh://root@kvm2/system', 'x').note!, /cannot read it remotely/);
  t.regex(logTail('test:///default', 'x').note!, /test driver/);
});

const world = (over: Partial<LintWorld>): LintWorld => ({ host: { cpus: 4, memoryKiB: 8 * 2 ** 20 }, domains: [], volumes: [], networks: [], pools: [], ...over });
const dom = (name: string, over: Partial<LintWorld['domains'][number]> = {}) =>
  ({ name, active: true, agent: true, vcpus: 1, memoryKiB: 2 ** 20, diskPaths: [], pools: [], snapshots: { internal: 0, external: 0 }, ...over });

test('lint rules: no agent, overcommit, unused volumes, mixed snapshots, inactive autostart, full pools', (t) => {
  const f = lint(world({
    domains: [dom('a', { agent: false, vcpus: 4, diskPaths: ['/p/a.qcow2'], pools: ['full'] }), dom('b', { vcpus: 2, memoryKiB: 8 * 2 ** 20, snapshots: { internal: 1, external: 2 } })],
    volumes: [{ pool: 'full', name: 'a.qcow2', path: '/p/a.qcow2' }, { pool: 'full', name: 'old.qcow2', path: '/p/old.qcow2' }],
    networks: [{ name: 'n1', active: false, autostart: true }, { name: 'n2', active: false, autostart: false }],
    pools: [{ name: 'full', active: true, autostart: true, capacity: 100, available: 5 }, { name: 'idle', active: false, autostart: true }],
  }));
  t.deepEqual(f.map((x) => x.about), ['a', 'host', 'host', 'full/old.qcow2', 'b', 'n1', 'idle', 'a']);
  t.regex(f[1]!.text, /6 vCPUs on 4 host CPUs \(1\.5x\)/);
  t.regex(f[5]!.fix!, /virsh net-start --network n1/);
  // a name after its option: pasted into a shell, a volume named --help is still the volume
  t.regex(f[3]!.fix!, /virsh vol-delete --pool full --vol old\.qcow2/);
  t.regex(f[7]!.text, /pool full, 95 % full/);
  t.deepEqual(lint(world({ domains: [dom('ok')] })), []);
});

test('lint on virt-manager\'s test-driver world: every domain without an agent channel, overcommit, the mixed snapshots', async (t) => {
  const file = join(findShared(ROOT)!, 'fixtures', 'worlds', 'virt-manager-testdriver.xml');
  const uri = `test://${file}`;
  const s = new VirshSession({ uri });
  await s.start();
  t.teardown(() => s.close());
  const w = await lintWorld({ uri, run: (a) => s.run(a) });
  t.true(w.domains.length >= 10);
  const f = lint(w);
  const noAgent = f.filter((x) => /no guest agent channel/.test(x.text)).map((x) => x.about);
  t.deepEqual(noAgent, w.domains.filter((d) => !d.agent).map((d) => d.name));
  t.true(noAgent.includes('test-state-shutoff'));
  t.true(f.some((x) => /^vCPU overcommit/.test(x.text)));
  t.true(f.some((x) => x.about === 'test-snapshots' && /mixes \d+ internal and \d+ external/.test(x.text)));
  // the why of test-many-devices: its disk's pool idontexist is not there at all
  const dom = { name: 'test-many-devices', id: 1, state: 'running' as const, autostart: false, persistent: true, managedSave: false };
  const why = diagnose(await diagFacts({ uri, run: (a) => s.run(a) }, dom, []));
  t.true(why.some((x) => x.text === 'pool idontexist (of its disks) does not exist'), JSON.stringify(why));
});

test('lintSummary: each count agrees with its noun', (t) => {
  t.is(lintSummary([{ level: 'warn', text: 'a' }, { level: 'info', text: 'b' }, { level: 'info', text: 'c' }]), '3 findings: 0 errors, 1 warning, 2 notes');
  t.is(lintSummary([{ level: 'error', text: 'a' }]), '1 finding: 1 error, 0 warnings, 0 notes');
});

test('a disk\'s volume named like an option is looked up as a volume, not read as virsh\'s --help', async (t) => {
  const s = new VirshSession({ uri: 'test:///default' });
  t.teardown(() => s.close());
  const xml = join(mkdtempSync(join(tmpdir(), 'virtui-diag-')), 'dom.xml');
  writeFileSync(xml, `<domain type='test'><name>voldom</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os>
<devices><disk type='volume' device='disk'><source pool='default-pool' volume='--help'/><target dev='vda'/></disk></devices></domain>`);
  await s.run(['define', '--file', xml]);
  const dom: Domain = { name: 'voldom', id: null, state: 'shut off', autostart: false, persistent: true, managedSave: false };
  const f = await diagFacts({ uri: 'test:///default', run: (a) => s.run(a) }, dom, []);
  t.is(f.disks[0]!.source, 'default-pool/--help');
  t.false(f.disks[0]!.exists, 'there is no such volume (the help text is not its path)');
  await s.run(['vol-create-as', '--pool', 'default-pool', '--name', '--help', '--capacity', '1M']);
  const g = await diagFacts({ uri: 'test:///default', run: (a) => s.run(a) }, dom, []);
  t.true(g.disks[0]!.exists);
});

test('lint reads a domain named like an ID by its UUID, not the domain that has that ID', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-lint-ids-'));
  const agent = "<devices><channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel></devices>";
  const dom = (n: string, extra: string) => `<domain type='test'><name>${n}</name><memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os>${extra}</domain>`;
  writeFileSync(join(dir, 'world.xml'), `<node>${dom('a', agent)}${dom('1', '')}</node>`);
  const uri = `test://${join(dir, 'world.xml')}`;
  const s = new VirshSession({ uri });
  t.teardown(() => s.close());
  const w = await lintWorld({ uri, run: (a) => s.run(a) });
  t.deepEqual(w.domains.map((d) => [d.name, d.agent]).sort(), [['1', false], ['a', true]]);
});
