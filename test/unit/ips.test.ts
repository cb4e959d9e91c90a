// The IP store: only the rows on screen, running domains only, the agent's word first, the agent
// asked a few rows a tick, a domain without an agent channel (or a host whose ARP fails) not again.
import test from 'ava';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IpStore, AGENT_PER_TICK, KNOWN_MS, LEASE_MS, ipCell, type IpHost } from '../../src/model/ips.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import { virshFailure } from '../../src/virsh/errors.ts';
import { FIXTURES } from '../helpers.ts';

const fx = (name: string) => readFileSync(join(FIXTURES, 'guest', name), 'utf8');
const dom = (name: string, state: Domain['state'] = 'running', id: number | null = 1): Domain =>
  ({ name, id: state === 'running' ? id : null, state, autostart: false, persistent: true, managedSave: false });

function fakeHost(doms: Domain[], answer: (dom: string, source: string) => string) {
  const calls: string[] = [];
  const domains = Object.assign(new EventEmitter(), { domains: doms });
  const host: IpHost = {
    domains,
    run: async (args) => {
      const d = args[args.indexOf('--domain') + 1]!;
      const s = args[args.indexOf('--source') + 1]!;
      calls.push(`${d} ${s}`);
      return answer(d, s);
    },
  };
  return { host, calls };
}

const NO_AGENT = () => { throw virshFailure('virsh domifaddr', fx('domifaddr-agent-alpha.err')); };
const ARP_FAILS = () => { throw virshFailure('virsh domifaddr', fx('domifaddr-arp-alpha.err')); };

test('asks only the rows on screen, running ones only; the agent wins over the lease', async (t) => {
  const doms = [dom('lab-alpha'), dom('lab2-delta'), dom('off', 'shut off'), dom('hidden')];
  const { host, calls } = fakeHost(doms, (d, s) => {
    if (d === 'lab2-delta') return fx(s === 'agent' ? 'domifaddr-agent-delta.txt' : 'domifaddr-lease-delta.txt');
    if (s === 'agent') return NO_AGENT();
    if (s === 'arp') return ARP_FAILS();
    return fx('domifaddr-lease-alpha.txt');
  });
  let now = 1000;
  const ips = new IpStore(host, () => now);
  ips.focus('list', () => ({ selected: 'lab-alpha', visible: ['lab-alpha', 'lab2-delta', 'off'] }));
  await ips.refresh();
  t.deepEqual(calls.sort(), ['lab-alpha agent', 'lab-alpha lease', 'lab2-delta agent', 'lab2-delta lease']);
  t.is(ipCell(ips.get('lab-alpha'), true), '192.168.150.11 lease');
  t.is(ipCell(ips.get('lab2-delta'), true), '192.168.160.14 agent');
  t.true(ips.noAgent('lab-alpha'));
  t.is(ips.get('hidden'), undefined);
  t.is(ips.version, 1);
  // the next tick: nothing is due yet
  calls.length = 0;
  now += 1000;
  await ips.refresh();
  t.deepEqual(calls, []);
  // later: the lease again, never the agent of a domain without one
  now += LEASE_MS;
  await ips.refresh();
  t.false(calls.includes('lab-alpha agent'));
  t.true(calls.includes('lab-alpha lease'));
  t.is(ips.version, 1, 'nothing shown changed');
});

test('the agent is asked for a few rows a tick, the selected one first; ARP only for the selected row, and not again where it fails', async (t) => {
  const doms = Array.from({ length: 20 }, (_, i) => dom(`vm-${i}`));
  const { host, calls } = fakeHost(doms, (d, s) => (s === 'arp' ? ARP_FAILS() : s === 'agent' ? '' : ''));
  const now = 1000;
  const ips = new IpStore(host, () => now);
  ips.focus('list', () => ({ selected: 'vm-19', visible: doms.map((d) => d.name) }));
  await ips.refresh();
  const agent = calls.filter((c) => c.endsWith(' agent'));
  t.is(agent.length, AGENT_PER_TICK);
  t.true(agent.includes('vm-19 agent'));
  t.is(calls.filter((c) => c.endsWith(' lease')).length, 20);
  t.deepEqual(calls.filter((c) => c.endsWith(' arp')), ['vm-19 arp']);
  t.true(ips.arpBroken);
});

test('a domain that stopped forgets its addresses', async (t) => {
  const doms = [dom('lab-alpha')];
  const { host } = fakeHost(doms, (_d, s) => (s === 'lease' ? fx('domifaddr-lease-alpha.txt') : NO_AGENT()));
  const ips = new IpStore(host, () => 0);
  ips.focus('detail', () => ({ selected: 'lab-alpha', visible: [] }));
  await ips.refresh();
  t.truthy(ips.get('lab-alpha'));
  // as the store does: a new list
  (host.domains as unknown as { domains: Domain[] }).domains = [dom('lab-alpha', 'shut off')];
  await ips.refresh();
  t.is(ips.get('lab-alpha'), undefined);
  t.is(ipCell(undefined, false), '-');
});

test('the details\' NICs: each NIC\'s addresses by MAC with their source, its rates by target', async (t) => {
  const { nicExtras } = await import('../../screens/domains/detail.ts');
  const { parseDomifaddr } = await import('../../src/libvirt/guest.ts');
  const all = parseDomifaddr(fx('domifaddr-agent-delta.txt'));
  const x = nicExtras({ v4: ['192.168.160.14'], v6: [], source: 'agent', all }, new Map([['vnet0', { rx: 1000, tx: 250 }]]),
    [{ mac: '52:54:00:1A:B2:04', target: 'vnet0' }, { mac: '52:54:00:00:00:09', target: '' }]);
  t.deepEqual(x.get('52:54:00:1A:B2:04'), { addrs: '192.168.160.14/24', source: 'agent', rx: 1000, tx: 250 });
  t.deepEqual(x.get('52:54:00:00:00:09'), { addrs: '', source: '', rx: undefined, tx: undefined });
});

test('a row whose address is known is asked again each minute, one still without one at the booting cadence; the selected row always at the fast one', async (t) => {
  const doms = [dom('known'), dom('booting'), dom('sel')];
  const { host, calls } = fakeHost(doms, (d, s) => (s === 'lease' && d !== 'booting' ? fx('domifaddr-lease-alpha.txt') : s === 'agent' ? NO_AGENT() : ''));
  let now = 1000;
  const ips = new IpStore(host, () => now);
  ips.focus('list', () => ({ selected: 'sel', visible: ['known', 'booting', 'sel'] }));
  await ips.refresh();
  t.deepEqual(calls.filter((c) => c.endsWith(' lease')).sort(), ['booting lease', 'known lease', 'sel lease']);
  calls.length = 0;
  now += LEASE_MS;
  await ips.refresh();
  t.deepEqual(calls.filter((c) => c.endsWith(' lease')).sort(), ['booting lease', 'sel lease'], 'the known address is not asked after 10 s');
  calls.length = 0;
  now = 1000 + KNOWN_MS;
  await ips.refresh();
  t.true(calls.includes('known lease'), 'after a minute it is');
  t.is(ipCell(ips.get('known'), true), '192.168.150.11 lease');
});
