// Which domain actions are offered in which state, and what they run.
import test from 'ava';
import { DOMAIN_ACTIONS, type DomainCtx } from '../../screens/domains/actions.ts';
import { fakeActionHost } from '../helpers.ts';
import { available, findAction, footerText, helpLines } from '../../src/ui/keymap.ts';
import type { Domain, DomainState } from '../../src/libvirt/types.ts';
import type { DialogResult } from '../../src/ui/dialog.ts';

const dom = (state: DomainState, extra: Partial<Domain> = {}): Domain => ({
  name: 'web 01', id: state === 'shut off' ? null : 1, state, autostart: false, persistent: true, managedSave: false, ...extra,
});

const fakeHost = (answer: Partial<DialogResult> & { confirmed: boolean } = { confirmed: true }, reads: Record<string, string> = {}) =>
  fakeActionHost(() => answer, reads);

const labels = (d: Domain, readonly = false) =>
  available(DOMAIN_ACTIONS, { host: fakeHost().host, dom: d } as DomainCtx, readonly).map((a) => a.label);

test('shut off: start, autostart, undefine; never shutdown, destroy or suspend', (t) => {
  t.deepEqual(labels(dom('shut off')), ['details', 'start', 'restore from file', 'autostart on', 'undefine', 'guestfish', 'stats', 'why', 'migrate', 'hardware', 'screen', 'snapshots', 'edit XML']);
});

test('running: shutdown, reboot, reset, destroy, suspend, managed save; no start', (t) => {
  t.deepEqual(labels(dom('running')), ['details', 'shutdown', 'reboot', 'reset', 'destroy', 'suspend', 'managed save', 'save to file', 'autostart on', 'undefine', 'console', 'guestfish', 'stats', 'why', 'migrate', 'hardware', 'screen', 'snapshots', 'edit XML']);
});

test('paused: resume (same key as suspend), destroy, reset, managed save', (t) => {
  const l = labels(dom('paused', { autostart: true }));
  t.deepEqual(l, ['details', 'reset', 'destroy', 'resume', 'managed save', 'save to file', 'autostart off', 'undefine', 'console', 'guestfish', 'stats', 'why', 'migrate', 'hardware', 'screen', 'snapshots', 'edit XML']);
  const ctx = { host: fakeHost().host, dom: dom('paused') };
  t.is(findAction(DOMAIN_ACTIONS, 'p', ctx, false)!.label, 'resume');
  t.is(findAction(DOMAIN_ACTIONS, 'p', { ...ctx, dom: dom('running') }, false)!.label, 'suspend');
});

test('crashed, pmsuspended, transient, managed save', (t) => {
  t.deepEqual(labels(dom('crashed')), ['details', 'start', 'destroy', 'restore from file', 'autostart on', 'undefine', 'guestfish', 'stats', 'why', 'hardware', 'screen', 'snapshots', 'edit XML']);
  t.deepEqual(labels(dom('pmsuspended')), ['details', 'destroy', 'wake', 'autostart on', 'undefine', 'guestfish', 'stats', 'why', 'hardware', 'screen', 'snapshots', 'edit XML']);
  t.deepEqual(labels(dom('running', { persistent: false })), ['details', 'shutdown', 'reboot', 'reset', 'destroy', 'suspend', 'save to file', 'console', 'guestfish', 'stats', 'why', 'migrate', 'hardware', 'screen', 'snapshots']);
  t.true(labels(dom('shut off', { managedSave: true })).includes('drop save'));
});

test('wake only where the driver can wake a guest (QEMU), never on the test driver', (t) => {
  const on = (uri: string) => available(DOMAIN_ACTIONS, { host: { ...fakeHost().host, uri }, dom: dom('pmsuspended') } as DomainCtx, false).map((a) => a.label);
  for (const uri of ['qemu:///system', 'qemu+ssh://root@h/system', 'QEMU:///session']) t.true(on(uri).includes('wake'), uri);
  for (const uri of ['test:///default', 'lxc:///', 'xen:///system', 'ch:///system']) t.false(on(uri).includes('wake'), uri);
});

test('read-only offers nothing that changes the host', (t) => {
  for (const s of ['running', 'paused', 'shut off', 'crashed', 'pmsuspended'] as DomainState[]) {
    // guestfish stays: on a read-only connection it only opens disks read-only
    t.deepEqual(labels(dom(s), true), ['details', 'guestfish', 'stats', 'why', 'hardware', 'screen', 'snapshots'], s);
  }
});

test('destroy asks first, names the domain and what is lost; cancel runs nothing', async (t) => {
  const no = fakeHost({ confirmed: false });
  await findAction(DOMAIN_ACTIONS, 'D', { host: no.host, dom: dom('running') }, false)!.run({ host: no.host, dom: dom('running') });
  t.deepEqual(no.ran, []);
  t.regex(no.asked[0]!.message.join(' '), /web 01.*lost/);
  t.true(no.asked[0]!.dangerous);
  const yes = fakeHost();
  await findAction(DOMAIN_ACTIONS, 'D', { host: yes.host, dom: dom('running') }, false)!.run({ host: yes.host, dom: dom('running') });
  t.deepEqual(yes.ran, [['destroy', '--domain', 'web 01']]);
});

test('undefine makes the user type the name and offers managed save and snapshot metadata', async (t) => {
  const f = fakeHost({ confirmed: true }, { 'snapshot-list': 'snap1\nsnap2\n', dumpxml: "<domain><os><nvram>/x</nvram></os></domain>" });
  const d = dom('shut off', { managedSave: true });
  await findAction(DOMAIN_ACTIONS, 'X', { host: f.host, dom: d }, false)!.run({ host: f.host, dom: d });
  const spec = f.asked[0]!;
  t.is(spec.typeToConfirm, 'web 01');
  t.deepEqual(spec.checkboxes!.map((c) => c.id), ['managed-save', 'snapshots-metadata', 'nvram']);
  t.regex(spec.checkboxes![1]!.label, /2 snapshots/);
  t.deepEqual(f.ran, [['undefine', '--domain', 'web 01', '--managed-save', '--snapshots-metadata', '--keep-nvram']]);
});

test('undefine without the options when the user unticks them', async (t) => {
  const f = fakeHost({ confirmed: true, checked: { 'managed-save': false } });
  const d = dom('shut off', { managedSave: true });
  await findAction(DOMAIN_ACTIONS, 'X', { host: f.host, dom: d }, false)!.run({ host: f.host, dom: d });
  t.deepEqual(f.ran, [['undefine', '--domain', 'web 01']]);
});

test('footer and help come from the same table', (t) => {
  const ctx: DomainCtx = { host: fakeHost().host, dom: dom('running') };
  const footer = footerText([DOMAIN_ACTIONS], ctx, false, 200);
  t.regex(footer, /Enter details {2}d shutdown {2}r reboot {2}R reset {2}D destroy {2}p suspend/);
  t.notRegex(footer, /u start/);
  // cut at a whole hint, and says that there is more
  t.is(footerText([DOMAIN_ACTIONS], ctx, false, 33), 'Enter details  d shutdown  ? more');
  t.is(footerText([DOMAIN_ACTIONS], ctx, false, 30), 'Enter details  ? more');
  const help = helpLines([{ title: 'Domains keys', table: DOMAIN_ACTIONS }], ctx, false);
  for (const a of DOMAIN_ACTIONS) t.true(help.some((l) => l.includes(a.help ?? a.label)), a.label);
  t.true(help.some((l) => /D +destroy: power off.*\[asks first\]/.test(l)));
  t.true(help.some((l) => /u +start.*\(not now\)/.test(l)));
  t.false(help.some((l) => /D +destroy.*\(not now\)/.test(l)));
});
