// Names that virsh's tables escape, and names that look like options, created and deleted for
// every kind through virtui's own code (the action tables, the forms, the stores, the safe XML
// define) on a test-driver connection: each comes back from its store exactly, its XML loads,
// every action succeeds, and no command virtui sent had a name where virsh reads an option.
import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '../../src/model/connection.ts';
import { Jobs } from '../../src/model/jobs.ts';
import { DomainStore } from '../../src/model/domains.ts';
import { NetworkStore } from '../../src/model/networks.ts';
import { PoolStore } from '../../src/model/pools.ts';
import { VolumeStore } from '../../src/model/volumes.ts';
import { SnapshotStore } from '../../src/model/snapshots.ts';
import { defineNew, editXml, EDIT_KINDS, xmlName, type EditHost } from '../../src/xmledit.ts';
import type { ActionHost } from '../../screens/kit/list.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { DOMAIN_ACTIONS, type DomainCtx } from '../../screens/domains/actions.ts';
import { NETWORK_ACTIONS } from '../../screens/networks/actions.ts';
import { POOL_ACTIONS } from '../../screens/pools/actions.ts';
import { VOLUME_ACTIONS } from '../../screens/volumes/actions.ts';
import { SNAPSHOT_ACTIONS } from '../../screens/snapshots/actions.ts';
import { domainArg, parseDominfo } from '../../src/libvirt/parse.ts';
import { DASH_NAMES, misplacedNames } from '../helpers.ts';
import { kindKeys } from '../../screens/kit/kind.ts';
import { NETWORK_KIND } from '../../screens/networks/kind.ts';
import { POOL_KIND } from '../../screens/pools/kind.ts';
import { VOLUME_KIND } from '../../screens/volumes/kind.ts';
import { SNAPSHOT_KIND } from '../../screens/snapshots/kind.ts';

const NAMES = ['rel"snap\'1 $(id) \\x', ...DASH_NAMES];

/** virtui's ActionHost on a real connection: every question answered yes, every form filled with `values` */
function realHost(host: Connection, values: () => Record<string, string>): ActionHost {
  const backupDir = mkdtempSync(join(tmpdir(), 'virtui-names-'));
  // the XML edit gets the action host itself, as bind(ctx, conn) is in virtui
  const h: ActionHost = {
    readonly: false,
    uri: host.uri,
    ask: async (spec) => ({ confirmed: true, checked: Object.fromEntries((spec.checkboxes ?? []).map((c) => [c.id, c.checked])) }),
    action: (args, opts) => host.action(args, opts),
    run: (args) => host.run(args),
    openDetail: () => undefined,
    openScreen: () => undefined,
    form: async (spec) => ({
      submitted: true, button: spec.buttons.at(-1)!,
      values: { ...Object.fromEntries(spec.fields.map((f) => [f.id, f.value ?? (f.kind === 'choice' ? f.options?.[0] ?? '' : '')])), ...values() },
    }),
    editXml: async (kind, name) => { await editXml({ ...h, backupDir }, EDIT_KINDS[kind], name); },
    defineNew: (kind, name, xml, note) => defineNew({ ...h, backupDir }, EDIT_KINDS[kind], name, xml, note),
    readFile: () => '',
    openConsole: async () => undefined,
    openGuestfish: async () => undefined,
    job: (spec, work) => { const j = new Jobs().run({ ...spec, host: 'test' }, work); jobsDone.push(j.done.catch(() => {})); return j; },
    name: host.name,
    setStatus: (s) => host.setStatus(s),
    editFile: async () => undefined,
    domain: (n) => host.domains.get(n),
    refreshDomains: () => host.domains.refresh(),
    lastEvent: () => undefined,
    onDomains: () => () => {},
  };
  return h;
}

/** the jobs the actions started (a snapshot with memory is one): awaited before what they made is read */
const jobsDone: Promise<unknown>[] = [];

const act = <C>(table: readonly KeyAction<C>[], label: string, ctx: C) => {
  const a = table.find((x) => x.label === label && (!x.when || x.when(ctx)));
  if (!a) throw new Error(`${label} is not offered`);
  return a.run(ctx);
};

const domainXml = (name: string) => `<domain type='test'><name>${name.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</name><memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`;

test('every kind: a name that virsh escapes or could read as an option is created, found, read and deleted', async (t) => {
  const host = new Connection({ uri: 'test:///default', readonly: false, demo: false });
  t.teardown(() => host.close());
  await host.connect();
  const sent: string[][] = [];
  const run = host.session.run.bind(host.session);
  host.session.run = (args, opts) => { sent.push([...args]); return run(args, opts); };
  let values: Record<string, string> = {};
  const h = realHost(host, () => values);
  const domains = new DomainStore(host);
  const networks = new NetworkStore(host);
  const pools = new PoolStore(host);

  for (const name of NAMES) {
    // a domain: defined as `F` or a form would (validated, define --file), then driven by its keys
    t.is(await h.defineNew('domain', name, domainXml(name)), 'defined', name);
    await domains.refresh();
    const ctx = (): DomainCtx => ({ host: h, dom: domains.get(name) });
    t.truthy(domains.get(name), `domain ${name} listed under its exact name`);
    t.is(parseDominfo(await host.run(['dominfo', '--domain', name])).name, name);
    for (const [label, state] of [['start', 'running'], ['suspend', 'paused'], ['resume', 'running'], ['destroy', 'shut off']] as const) {
      await act(DOMAIN_ACTIONS, label, ctx());
      await domains.refresh();
      t.is(domains.get(name)?.state, state, `${label} ${name}`);
    }

    // a snapshot of it
    values = { name, description: `about ${name}` };
    const snaps = new SnapshotStore(host, name);
    const sctx = () => ({ host: h, snap: snaps.get(name), domain: name, domainState: domains.get(name)!.state, snapshots: snaps.snapshots });
    await act(kindKeys(SNAPSHOT_KIND), 'new', sctx());
    await snaps.refresh();
    t.is(snaps.get(name)?.description, `about ${name}`, `snapshot ${name}: its XML was read`);
    t.regex(await host.run(['snapshot-dumpxml', '--domain', name, '--snapshotname', name]), /<domainsnapshot>/);
    await act(SNAPSHOT_ACTIONS, 'delete', sctx());
    await snaps.refresh();
    t.deepEqual(snaps.snapshots.map((s) => s.name), [], `snapshot ${name} deleted`);

    await act(DOMAIN_ACTIONS, 'undefine', ctx());
    await domains.refresh();
    t.falsy(domains.get(name), `domain ${name} undefined`);

    // a network from the form
    values = { name, mode: 'isolated' };
    await act(kindKeys(NETWORK_KIND), 'new', { host: h, net: undefined, networks: networks.networks });
    await networks.refresh();
    t.like(networks.get(name), { name, active: false, persistent: true }, `network ${name}`);
    await act(NETWORK_ACTIONS, 'undefine', { host: h, net: networks.get(name), networks: networks.networks });
    await networks.refresh();
    t.falsy(networks.get(name), `network ${name} undefined`);

    // a pool from the form, started; a volume in it
    values = { name, type: 'dir', target: `/virtui-test/${name}` };
    await act(kindKeys(POOL_KIND), 'new', { host: h, pool: undefined, pools: pools.pools });
    // "Define" (the last button) defines only
    await act(POOL_ACTIONS, 'start', { host: h, pool: (await pools.refresh(), pools.get(name)), pools: pools.pools });
    await pools.refresh();
    t.like(pools.get(name), { name, active: true }, `pool ${name}`);
    const vols = new VolumeStore(host, name, () => []);
    const vctx = () => ({ host: h, vol: vols.get(name), pool: name, poolActive: true, volumes: vols.volumes });
    values = { name, format: 'raw', capacity: '1M' };
    await act(kindKeys(VOLUME_KIND), 'new', vctx());
    await vols.refresh();
    t.is(vols.get(name)?.capacity, 1024 * 1024, `volume ${name}: its XML was read`);
    await act(VOLUME_ACTIONS, 'delete', vctx());
    await vols.refresh();
    t.deepEqual(vols.volumes.map((v) => v.name), [], `volume ${name} deleted`);
    await act(POOL_ACTIONS, 'stop', { host: h, pool: pools.get(name), pools: pools.pools });
    await pools.refresh();
    await act(POOL_ACTIONS, 'undefine', { host: h, pool: pools.get(name), pools: pools.pools });
    await pools.refresh();
    t.falsy(pools.get(name), `pool ${name} undefined`);
  }
  t.deepEqual(host.log.entries.filter((e) => !e.ok).map((e) => `${e.short}: ${e.message}`), []);
  t.deepEqual(sent.flatMap((c) => misplacedNames(c, NAMES)), []);
});

test('a domain named like an ID or a UUID is acted on through its UUID, never the domain that has that ID', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-ids-'));
  const uuidName = '0a0b0c0d-1111-2222-3333-444455556666';
  const doms = ['a', '1', uuidName].map((n) => `<domain type='test'><name>${n}</name><memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`);
  writeFileSync(join(dir, 'world.xml'), `<node>${doms.join('')}</node>`);
  const host = new Connection({ uri: `test://${join(dir, 'world.xml')}`, readonly: false, demo: false });
  t.teardown(() => host.close());
  await host.connect();
  const domains = new DomainStore(host);
  await domains.refresh();
  t.is(domains.get('a')?.id, 1);
  t.regex(domains.get('1')?.uuid ?? '', /^[0-9a-f-]{36}$/);
  const h = realHost(host, () => ({}));
  await act(DOMAIN_ACTIONS, 'suspend', { host: h, dom: domains.get('1') });
  await act(DOMAIN_ACTIONS, 'suspend', { host: h, dom: domains.get(uuidName) });
  await domains.refresh();
  t.deepEqual(domains.domains.map((d) => [d.name, d.state]).sort(), [['0a0b0c0d-1111-2222-3333-444455556666', 'paused'], ['1', 'paused'], ['a', 'running']]);
  t.is(parseDominfo(await host.run(['dominfo', '--domain', domainArg(domains.get('1')!)])).name, '1');
  // its snapshots are its own
  const snaps = new SnapshotStore(host, '1', domainArg(domains.get('1')!));
  await act(kindKeys(SNAPSHOT_KIND), 'new', { host: realHost(host, () => ({ name: 'mine' })), snap: undefined, domain: '1', target: snaps.target, domainState: 'paused', snapshots: [] });
  await Promise.all(jobsDone);
  await snaps.refresh();
  t.deepEqual(snaps.snapshots.map((s) => s.name), ['mine']);
  t.is((await host.run(['snapshot-list', '--domain', 'a', '--name'])).trim(), '');
});

test('the XML edit of a domain named like an ID never edits the domain that has that ID', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-ids-'));
  const doms = ['a', '1'].map((n) => `<domain type='test'><name>${n}</name><memory>524288</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>`);
  writeFileSync(join(dir, 'world.xml'), `<node>${doms.join('')}</node>`);
  const host = new Connection({ uri: `test://${join(dir, 'world.xml')}`, readonly: false, demo: false });
  t.teardown(() => host.close());
  await host.connect();
  let edited = 0;
  const edit: EditHost = {
    run: (a) => host.run(a), action: (a) => host.action(a), ask: async () => ({ confirmed: true, checked: {} }),
    editFile: async () => { edited++; }, setStatus: (s) => host.setStatus(s), backupDir: dir,
  };
  t.is(await editXml(edit, EDIT_KINDS.domain, '1'), 'unreadable');
  t.is(edited, 0);
  t.regex(host.status.text, /virsh gave the XML of domain a for 1: nothing was edited/);
  t.is(xmlName("<domain><name>it&apos;s &amp; &#x1F680;</name><uuid>x</uuid></domain>"), "it's & 🚀");
});
