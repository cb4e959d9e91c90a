// The form state, the network and pool builders, and the safe XML edit flow against a fake host.
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormState } from '../../src/ui/form.ts';
import { buildNetworkXml, checkNetworkForm, checkNewName, freeSubnet, poolDefineArgs, type NetworkForm } from '../../src/libvirt/build.ts';
import { parseNetworkXml } from '../../src/libvirt/netxml.ts';
import { validateXmlFile } from '../../src/virsh/validate.ts';
import { editXml, defineNew, identityChange, EDIT_KINDS, type EditHost } from '../../src/xmledit.ts';
import type { DialogSpec } from '../../src/ui/dialog.ts';
import { parseNodeCpu, cpuPercent, kvmReadiness, parseNodeMem, parseVersion } from '../../src/libvirt/node.ts';
import { capture } from '../helpers.ts';

const type = (f: FormState, s: string) => { for (const ch of s) f.handle(ch); };

test('form: fields, a choice that shows other fields, validation keeps the form open', (t) => {
  const f = new FormState({
    title: 't', buttons: ['Go'], fields: [
      { id: 'name', label: 'Name', validate: (v) => (v ? '' : 'needed') },
      { id: 'kind', label: 'Kind', kind: 'choice', options: ['a', 'b'] },
      { id: 'extra', label: 'Extra', visible: (v) => v['kind'] === 'b', value: 'x' },
      { id: 'on', label: 'On', kind: 'check' },
    ],
  });
  t.deepEqual(f.visibleFields().map((x) => x.id), ['name', 'kind', 'on']);
  f.focus = 3; // Go
  f.handle('enter');
  t.is(f.done, null);
  t.regex(f.error, /Name: needed/);
  t.is(f.focus, 0, 'the focus goes to the field in error');
  type(f, 'web 01');
  f.handle('tab');
  f.handle('right');
  t.deepEqual(f.visibleFields().map((x) => x.id), ['name', 'kind', 'extra', 'on']);
  f.handle('tab'); f.handle('tab');
  f.handle(' ');
  f.handle('tab');
  f.handle('enter');
  t.deepEqual(f.done, { submitted: true, button: 'Go', values: { name: 'web 01', kind: 'b', extra: 'x', on: 'yes' } });
});

test('form: a hidden field never reaches the result; Esc cancels', (t) => {
  const f = new FormState({ title: 't', buttons: ['Go'], fields: [{ id: 'kind', label: 'K', kind: 'choice', options: ['a', 'b'] }, { id: 'x', label: 'X', value: 'secret', visible: (v) => v['kind'] === 'b' }] });
  f.focus = 1; f.handle('enter');
  t.deepEqual(f.done!.values, { kind: 'a' });
  const g = new FormState({ title: 't', buttons: ['Go'], fields: [{ id: 'a', label: 'A' }] });
  g.handle('escape');
  t.false(g.done!.submitted);
  t.true(g.lines(60, 20).some((l) => l.includes('[ Go ]')));
});

test('form: a name offered after the format follows it until it is typed into (a qcow2 copy was named web.raw)', (t) => {
  const f = new FormState({ title: 'Convert', buttons: ['Convert'], fields: [
    { id: 'format', label: 'Format', kind: 'choice', options: ['raw', 'qcow2'] },
    { id: 'name', label: 'Name', value: 'web.raw', follow: (v) => `web.${v['format']}` },
  ] });
  f.handle('right');
  t.is(f.values()['name'], 'web.qcow2');
  f.handle('left');
  t.is(f.values()['name'], 'web.raw');
  f.handle('tab');
  f.handle('left'); // a cursor move is no edit
  t.is(f.values()['name'], 'web.raw');
  type(f, '2');
  f.handle('S-tab');
  f.handle('right');
  t.is(f.values()['name'], 'web.ra2w', 'typed into: it stays as typed');
  f.handle('enter'); f.handle('enter');
  t.deepEqual(f.done?.values, { format: 'qcow2', name: 'web.ra2w' });
  // shown again with what was typed before: it stays
  const again = new FormState({ title: 'Convert', buttons: ['Convert'], fields: [
    { id: 'format', label: 'Format', kind: 'choice', options: ['raw', 'qcow2'] },
    { id: 'name', label: 'Name', value: 'mine.img', follow: (v) => `web.${v['format']}` },
  ] });
  again.handle('right');
  t.is(again.values()['name'], 'mine.img');
});

test('form: more fields than rows: the ones around the focus, the cut ends marked; the buttons and the keys line always show', (t) => {
  const f = new FormState({ title: 'Add', buttons: ['Review'], fields: 'abcdefgh'.split('').map((c) => ({ id: c, label: `Field ${c}`, value: c })) });
  const plain = (l: string) => l.replace(/\{[^}]*\}/g, '');
  for (const focus of [0, 4, 7, 8, 9]) {
    f.focus = focus;
    const lines = f.lines(60, 6).map(plain);
    t.true(lines.length <= 6, `${lines.length} lines for 6 rows`);
    t.regex(lines.at(-2)!, /\[ Review \] {2}\[ Cancel \]/);
    t.regex(lines.at(-1)!, /^Tab\/Up\/Down move/);
    if (focus < 8) t.true(lines.some((l) => l.startsWith(`Field ${'abcdefgh'[focus]}`)), `field ${focus} in sight`);
  }
  f.focus = 4;
  t.deepEqual(f.lines(60, 6).map(plain).slice(0, 4), ['↑ 3 more', 'Field d  d', 'Field e  e█', '↓ 3 more']);
  f.focus = 0;
  t.deepEqual(f.lines(60, 6).map(plain).slice(0, 3), ['Field a  a█', 'Field b  b', '↓ 6 more']);
});

const net = (o: Partial<NetworkForm>): NetworkForm => ({ name: 'n1', mode: 'nat', bridge: '', address: '192.168.100.1', prefix: '24', dhcp: '192.168.100.2-192.168.100.254', ...o });

test('network form: checks', (t) => {
  t.deepEqual(checkNetworkForm(net({})), {});
  t.truthy(checkNetworkForm(net({ name: 'a b' }))['name']);
  t.truthy(checkNetworkForm(net({ address: '300.1.1.1' }))['address']);
  t.truthy(checkNetworkForm(net({ prefix: '31' }))['prefix']);
  t.regex(checkNetworkForm(net({ dhcp: '192.168.101.2-192.168.101.9' }))['dhcp']!, /inside 192.168.100.0\/24/);
  t.regex(checkNetworkForm(net({ dhcp: '192.168.100.9-192.168.100.2' }))['dhcp']!, /start comes after/);
  t.regex(checkNetworkForm(net({ dhcp: '192.168.100.1-192.168.100.9' }))['dhcp']!, /own address/);
  t.deepEqual(checkNetworkForm(net({ mode: 'bridge', bridge: 'br0', address: '' })), {});
});

test('network XML: every mode builds XML that virt-xml-validate accepts and our parser reads back', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-test-'));
  for (const mode of ['nat', 'route', 'isolated', 'open', 'bridge'] as const) {
    const f = net({ name: `n-${mode}`, mode, bridge: mode === 'bridge' ? 'br0' : 'virbr77' });
    const xml = buildNetworkXml(f);
    const back = parseNetworkXml(xml);
    t.is(back.name, `n-${mode}`);
    t.is(back.forward, mode === 'isolated' ? 'isolated' : mode);
    if (mode !== 'bridge') { t.is(back.ipv4, '192.168.100.1/24'); t.is(back.dhcp, '192.168.100.2-192.168.100.254'); }
    const file = join(dir, `${mode}.xml`);
    writeFileSync(file, xml);
    const v = await validateXmlFile(file, 'network');
    t.true(v.ok && !v.skipped, `${mode}: ${v.output.join(' ')} ${v.skipped ?? ''}`);
  }
  t.false(buildNetworkXml(net({ dhcp: '' })).includes('dhcp'));
});

test('free subnet skips the ones in use', (t) => {
  t.deepEqual(freeSubnet(['192.168.100.1/24', '192.168.101.1/24']), { address: '192.168.102.1', dhcp: '192.168.102.2-192.168.102.254' });
});

test('pool-define-as: only the fields of the type', (t) => {
  t.deepEqual(poolDefineArgs({ name: 'p 1', type: 'dir', target: '/srv/p 1', sourceHost: 'ignored' }), ['pool-define-as', '--name', 'p 1', '--type', 'dir', '--target', '/srv/p 1']);
  t.deepEqual(poolDefineArgs({ name: 'nfs', type: 'netfs', sourceHost: 'h', sourcePath: '/e', sourceFormat: '', target: '/mnt/n' }),
    ['pool-define-as', '--name', 'nfs', '--type', 'netfs', '--source-host', 'h', '--source-path', '/e', '--target', '/mnt/n']);
  t.deepEqual(poolDefineArgs({ name: 'vg', type: 'logical', sourceName: 'vg0', sourceDev: '/dev/sdb', target: '' }),
    ['pool-define-as', '--name', 'vg', '--type', 'logical', '--source-name', 'vg0', '--source-dev', '/dev/sdb']);
});

const DOMAIN_XML = capture('lab-dumpxml-gamma.xml');

function editHost(edits: Array<(s: string) => string>, answers: Array<boolean>, defineOk = true) {
  const ran: string[][] = [];
  const asked: DialogSpec[] = [];
  const status: string[] = [];
  const backupDir = mkdtempSync(join(tmpdir(), 'virtui-backup-'));
  let defined = '';
  const h: EditHost = {
    run: async () => DOMAIN_XML,
    action: async (args) => {
      ran.push(args);
      defined = readFileSync(args.at(-1)!, 'utf8');
      return defineOk ? { ok: true, output: '' } : { ok: false, output: '', error: { line: 'error: XML error: bad', hint: '', stderr: 'error: XML error: bad' } as never };
    },
    ask: async (spec) => { asked.push(spec); return { confirmed: answers.shift() ?? false, checked: {} }; },
    editFile: async (p) => { const e = edits.shift(); if (e) writeFileSync(p, e(readFileSync(p, 'utf8'))); },
    setStatus: (s) => { status.push(s.text); },
    backupDir,
  };
  return { h, ran, asked, status, backupDir, defined: () => defined };
}

test('edit: an unchanged file writes nothing (no define, no backup)', async (t) => {
  const e = editHost([(s) => s], []);
  t.is(await editXml(e.h, EDIT_KINDS.domain, 'lab-gamma'), 'unchanged');
  t.deepEqual(e.ran, []);
  t.deepEqual(readdirSync(e.backupDir), []);
  t.regex(e.status.at(-1)!, /no change, nothing written/);
});

test('edit: invalid XML is rejected, edit again, then a valid change is shown as a diff, backed up and defined', async (t) => {
  const e = editHost([(s) => s.replace('<vcpu', '<vcpux'), (s) => s.replace('<vcpux', '<vcpu').replace('>1</vcpu>', '>2</vcpu>')], [true, true]);
  t.is(await editXml(e.h, EDIT_KINDS.domain, 'lab-gamma'), 'defined');
  t.regex(e.asked[0]!.title, /does not validate/);
  t.is(e.asked[0]!.confirmLabel, 'Edit again');
  t.regex(e.asked[1]!.title, /Define domain lab-gamma/);
  t.true(e.asked[1]!.pre!.some((l) => /^\+.*<vcpu.*>2<\/vcpu>/.test(l)), e.asked[1]!.pre!.join('\n'));
  t.true(e.asked[1]!.pre!.some((l) => /^-.*<vcpu.*>1<\/vcpu>/.test(l)));
  t.is(e.ran.length, 1);
  t.is(e.ran[0]![0], 'define');
  t.regex(e.defined(), />2<\/vcpu>/);
  const backups = readdirSync(e.backupDir);
  t.is(backups.length, 1);
  t.is(readFileSync(join(e.backupDir, backups[0]!), 'utf8'), DOMAIN_XML, 'the backup is the old XML');
});

test('edit: invalid XML then discard: nothing is defined', async (t) => {
  const e = editHost([(s) => s.replace('</domain>', '')], [false]);
  t.is(await editXml(e.h, EDIT_KINDS.domain, 'lab-gamma'), 'discarded');
  t.deepEqual(e.ran, []);
  t.regex(e.status.at(-1)!, /definition is unchanged/);
});

test('edit: a failed define offers edit again; discard leaves it', async (t) => {
  const e = editHost([(s) => s.replace('>1</vcpu>', '>2</vcpu>')], [true, false], false);
  t.is(await editXml(e.h, EDIT_KINDS.domain, 'lab-gamma'), 'discarded');
  t.regex(e.asked[1]!.title, /refused/);
  t.true(e.asked[1]!.message.some((m) => /XML error/.test(m)));
});

test('define new: valid XML is shown and defined; invalid goes back', async (t) => {
  const ok = editHost([], [true]);
  t.is(await defineNew(ok.h, EDIT_KINDS.network, 'n1', buildNetworkXml(net({}))), 'defined');
  t.is(ok.ran[0]![0], 'net-define');
  t.true(ok.asked[0]!.pre!.some((l) => l.includes('<name>n1</name>')));
  const bad = editHost([], [true]);
  t.is(await defineNew(bad.h, EDIT_KINDS.network, 'n1', '<network><nonsense/></network>'), 'back');
  t.deepEqual(bad.ran, []);
});

test('host: nodememstats, nodecpustats to CPU %, version, KVM readiness', (t) => {
  t.like(parseNodeMem(capture('lab-nodememstats.txt')), { total: 24683656 });
  const a = parseNodeCpu(capture('lab-nodecpustats-1.txt'));
  const b = parseNodeCpu(capture('lab-nodecpustats-2.txt'));
  const p = cpuPercent(a, b)!;
  t.true(p >= 0 && p <= 100);
  t.is(cpuPercent(undefined, b), undefined);
  t.is(cpuPercent(b, a), undefined, 'counters going backwards are no measurement');
  t.is(cpuPercent({ user: 0, system: 0, idle: 0, iowait: 0 }, { user: 30, system: 20, idle: 50, iowait: 0 }), 50);
  t.like(parseVersion(capture('lab-version.txt')), { library: 'libvirt 9.0.0', hypervisor: 'QEMU 7.2.22' });
  const k = kvmReadiness({ devKvm: true, devKvmRw: true, cpuinfo: 'flags\t\t: fpu vme svm sse', modules: 'kvm_amd 1 0 - Live\nkvm 2 1 kvm_amd, Live\n' });
  t.true(k.every((c) => c.ok));
  t.regex(k[0]!.detail, /svm/);
  t.false(kvmReadiness({ devKvm: false, devKvmRw: false, cpuinfo: 'flags : fpu', modules: '' }).some((c) => c.ok));
});

test('edit: an editor that fails (vim :cq) discards the edit, as virsh edit does', async (t) => {
  const e = editHost([(s) => s.replace('>1</vcpu>', '>2</vcpu>')], [true]);
  const h = { ...e.h, editFile: async (p: string) => { await e.h.editFile(p); return 1; } };
  t.is(await editXml(h, EDIT_KINDS.domain, 'lab-gamma'), 'discarded');
  t.deepEqual(e.asked, [], 'no "Define ...?" with the half-finished file');
  t.deepEqual(e.ran, []);
  t.regex(e.status.at(-1)!, /exited with code 1: edit discarded, the definition is unchanged/);
});

test('edit: a new name without the UUID is called out as a NEW domain; the result names it', async (t) => {
  const e = editHost([(s) => s.replace('<name>lab-gamma</name>', '<name>lab-gamma2</name>').replace(/<uuid>[^<]*<\/uuid>/, '')], [true]);
  e.h.action = async (args) => { e.ran.push(args); return { ok: true, output: `Domain 'lab-gamma2' defined from ${args[1]}\n` }; };
  t.is(await editXml(e.h, EDIT_KINDS.domain, 'lab-gamma'), 'defined');
  t.regex(e.asked[0]!.title, /NEW domain lab-gamma2/);
  t.true(e.asked[0]!.message.some((m) => /second domain, lab-gamma2, beside lab-gamma/.test(m)));
  t.true(e.asked[0]!.message.some((m) => /same disks/.test(m)));
  t.regex(e.status.at(-1)!, /new domain lab-gamma2 defined .* lab-gamma is unchanged/);
});

test('edit: a new name with the same UUID is refused before define, naming why', async (t) => {
  const e = editHost([(s) => s.replace('<name>lab-gamma</name>', '<name>lab-gamma2</name>')], [false]);
  t.is(await editXml(e.h, EDIT_KINDS.domain, 'lab-gamma'), 'discarded');
  t.regex(e.asked[0]!.message[0]!, /name changed \(lab-gamma -> lab-gamma2\) but the UUID is the same/);
  t.deepEqual(e.ran, []);
  t.deepEqual(identityChange('<domain><name>a&amp;b</name><uuid>U</uuid></domain>', '<domain><name>a&amp;b</name><uuid>u</uuid><devices><disk><name>x</name></disk></devices></domain>'), { kind: 'same' });
});

test('form: a long validation error wraps to the form\'s width instead of losing its end', (t) => {
  const f = new FormState({ title: 't', buttons: ['Go'], fields: [{ id: 'name', label: 'Name', value: 'a b', validate: (v) => checkNewName(v, 'pool') }] });
  f.focus = 1;
  f.handle('enter');
  const lines = f.lines(40);
  t.true(lines.join(' ').replace(/\{[^}]*\}/g, '').replace(/\s+/g, ' ').includes('(it names files on the host)'), lines.join('\n'));
});
