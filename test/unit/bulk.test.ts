// The pure parts of actions on marked rows: the bound per host, the question, the summary.
import test from 'ava';
import { bulkQuestion, bulkSummary, questionLines, runBounded, runBulk, withHost, type Probe } from '../../screens/kit/bulk.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { ActionHost } from '../../src/context.ts';

test('runBounded: at most `limit` at a time on each host, the hosts side by side', async (t) => {
  const running = new Map<string, number>();
  const peak = new Map<string, number>();
  const items = [...Array(10)].map((_, i) => ({ host: i % 2 ? 'a' : 'b', i }));
  const out = await runBounded(items, (x) => x.host, 3, async (x) => {
    running.set(x.host, (running.get(x.host) ?? 0) + 1);
    peak.set(x.host, Math.max(peak.get(x.host) ?? 0, running.get(x.host)!));
    await new Promise((r) => setImmediate(r));
    running.set(x.host, running.get(x.host)! - 1);
    return x.i * 2;
  });
  t.deepEqual(out, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18], 'results in the items\' order');
  t.is(peak.get('a'), 3);
  t.is(peak.get('b'), 3);
});

const probe = (p: Partial<Probe> = {}): Probe => ({ asks: [], commands: [], interactive: null, ...p });

test('bulkQuestion: the targets, the skipped ones and why; a typed count beyond 5 only when it destroys', (t) => {
  const six = [...Array(6)].map((_, i) => ({ name: `vm-${i}`, probe: probe({ commands: [['start', '--domain', `vm-${i}`]] }) }));
  const q = bulkQuestion('start', 'domain', false, six, [{ name: 'web', skip: 'running' }], 1);
  t.is(q.title, 'Start 6 domains');
  t.regex(q.message[0]!, /^Start 6 domains: vm-0, vm-1, vm-2, vm-3, vm-4, vm-5\.$/);
  t.is(q.message[1], 'Skipped: web (running).');
  t.true(q.message.some((l) => l.includes('virsh start --domain vm-0')));
  t.is(q.typeToConfirm, undefined);
  t.false(!!q.dangerous);
  const d = bulkQuestion('destroy', 'domain', true, six, [], 2);
  t.is(d.typeToConfirm, '6');
  t.regex(d.message[0]!, /on 2 hosts/);
  t.is(bulkQuestion('destroy', 'domain', true, six.slice(0, 5), [], 1).typeToConfirm, undefined, '5 is not beyond 5');
  // a row's own question wanted its name typed: the bulk one wants the count, and offers its checkboxes once
  const named = [{ name: 'a', probe: probe({ asks: [{ title: 'Undefine a', message: ['gone'], confirmLabel: 'Undefine', typeToConfirm: 'a', checkboxes: [{ id: 'nvram', label: 'also remove its 3 files', checked: false }] }] }) }];
  const u = bulkQuestion('undefine', 'domain', true, named, [], 1);
  t.is(u.typeToConfirm, '1');
  t.is(u.confirmLabel, 'Undefine');
  t.deepEqual(u.checkboxes?.map((c) => [c.id, c.label, c.checked]), [['nvram', 'also remove its files (each one where it applies)', false]]);
  t.true(u.message.includes('  gone'));
});

test('bulkSummary: "7 ok, 1 failed: web-03 (reason)"', (t) => {
  const ok = [...Array(7)].map((_, i) => ({ name: `web-0${i}`, ok: true }));
  t.is(bulkSummary('start', [...ok, { name: 'web-03', ok: false, reason: 'Domain is already active' }]), 'start: 7 ok, 1 failed: web-03 (Domain is already active)');
  t.is(bulkSummary('stop', [{ name: 'a', ok: true }, { name: 'b', ok: false, skipped: true, reason: 'shut off' }]), 'stop: 1 ok, 1 skipped: b (shut off)');
});

test('withHost: the host of a kind\'s own context or of a KindCtx', (t) => {
  const h = { uri: 'x' } as unknown as ActionHost;
  const other = { uri: 'y' } as unknown as ActionHost;
  t.is((withHost({ host: h, dom: 1 }, other) as { host: ActionHost }).host, other);
  const env = { host: h, get store() { return 'live'; } };
  const c = withHost({ env, item: 1 }, other) as { env: { host: ActionHost; store: string } };
  t.is(c.env.host, other);
  t.is(c.env.store, 'live');
  t.is(env.host, h, 'the original is untouched');
});

test('bulkQuestion: a row whose own question says more than the first one\'s (a volume in use) is shown too', (t) => {
  const del = (name: string, usedBy?: string) => ({
    name, probe: probe({ asks: [{ title: `Delete volume ${name}`, confirmLabel: 'Delete', dangerous: true, ...(usedBy ? { typeToConfirm: name } : {}),
      message: [`Delete ${name}: all its data is lost.`, ...(usedBy ? [`It is used by ${usedBy}, which is running.`] : [])] }] }),
  });
  const q = bulkQuestion('delete', 'volume', true, [del('a.qcow2'), del('b.qcow2'), del('c.qcow2', 'web-01')], [], 1);
  t.true(q.message.some((l) => /It is used by web-01, which is running/.test(l)), q.message.join('\n'));
  t.is(q.typeToConfirm, '3');
});

test('runBulk: a question the probe never saw (a second one, after the first) is answered no, not yes', async (t) => {
  const ran: string[][] = [];
  const asked: string[] = [];
  const host = {
    readonly: false, uri: 'test:///default',
    ask: async (spec: { title: string }) => { asked.push(spec.title); return { confirmed: true, checked: {} }; },
    action: async (args: string[]) => { ran.push(args); return { ok: true, output: '' }; },
    run: async () => '',
  } as unknown as ActionHost;
  const a: KeyAction<{ host: ActionHost; name: string }> = {
    keys: ['X'], label: 'remove', mutates: true, dangerous: true,
    run: async (c) => {
      if (!(await c.host.ask({ title: `Remove ${c.name}`, message: ['it goes'], confirmLabel: 'Remove' })).confirmed) return;
      const more = await c.host.ask({ title: `Also wipe the disks of ${c.name}?`, message: ['they go too'], confirmLabel: 'Wipe' });
      await c.host.action(more.confirmed ? ['remove', '--wipe', c.name] : ['remove', c.name]);
    },
  };
  const conn = {} as Connection;
  const app = { ask: host.ask, guarded: (_t: string | undefined, run: () => void | Promise<void>) => run(), setStatus: () => {}, requestRender: () => {} };
  await runBulk(app, a, 'domain', ['a', 'b'].map((name) => ({ name, conn, target: `domain:${name}`, ctx: { host, name } })));
  t.deepEqual(asked, ['Remove 2 domains'], 'one question, the bulk one');
  t.deepEqual(ran, [['remove', 'a'], ['remove', 'b']]);
});

test('bulkQuestion: a line of the own questions that only some rows have names them; a checkbox names the rows it is for', (t) => {
  const undef = (name: string, running: boolean, saved: boolean) => probe({ asks: [{
    title: `Undefine ${name}`, confirmLabel: 'Undefine', typeToConfirm: name, dangerous: true,
    message: [`Undefine ${name}: its configuration is removed from libvirt.`, running ? 'It keeps running as a transient domain.' : 'It can only be brought back from a saved copy of its XML.', 'Its disk images are not deleted.'],
    checkboxes: saved ? [{ id: 'managed-save', label: 'also remove its managed save image', checked: true }] : [],
  }] });
  const q = bulkQuestion('undefine', 'domain', true, [
    { name: 'web-01', object: 'web-01', probe: undef('web-01', true, false) },
    { name: 'web-02', object: 'web-02', probe: undef('web-02', true, false) },
    { name: 'win11', object: 'win11', probe: undef('win11', false, true) },
  ], [], 1);
  t.deepEqual(q.message.slice(1, 6), [
    "Each one's own question, as for web-01:",
    '  Undefine web-01: its configuration is removed from libvirt.',
    '  It keeps running as a transient domain. (only web-01, web-02)',
    '  It can only be brought back from a saved copy of its XML. (only win11)',
    '  Its disk images are not deleted.',
  ]);
  t.deepEqual(q.checkboxes?.map((c) => c.label), ['also remove its managed save image: win11']);
  // a name that is part of the words is not confused with them
  t.deepEqual(questionLines([{ name: 'a@h1', object: 'a', message: ['Stop a at once'] }, { name: 'b@h2', object: 'b', message: ['Stop b at once'] }]),
    [{ line: 'Stop a at once', for: ['a@h1'] }, { line: 'Stop b at once', for: ['b@h2'] }]);
});
