import test from 'ava';
import { parseDomList, parseDominfo, parseDomstats, parseNames, parseKeyValues } from '../../src/libvirt/parse.ts';
import { parseSamples } from '../../src/libvirt/stats.ts';
import { capture, HOSTILE_NAMES } from '../helpers.ts';

test('list --all: demo host, every state', (t) => {
  const rows = parseDomList(capture('demo-list-all.txt'));
  t.is(rows.length, 13);
  t.deepEqual(rows[0], { id: 1, name: 'web-01', state: 'running' });
  const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
  t.is(byName['db-replica']!.state, 'paused');
  t.is(byName['legacy-erp']!.state, 'crashed');
  t.is(byName['laptop-sim']!.state, 'pmsuspended');
  t.deepEqual(byName['dev sandbox'], { id: null, name: 'dev sandbox', state: 'shut off' });
});

test('list --all: names with spaces, quotes, $(), unicode, and a name ending in a state word', (t) => {
  const rows = parseDomList(capture('hostile-list-all.txt'));
  t.deepEqual(rows.map((r) => r.name).sort(), [...HOSTILE_NAMES].sort());
  t.deepEqual(rows.find((r) => r.name === 'x running'), { id: null, name: 'x running', state: 'shut off' });
  t.is(rows.find((r) => r.name === 'quote"double {bold}')!.state, 'paused');
});

test('list --all with its header and rule (no -q) gives the same rows', (t) => {
  t.deepEqual(parseDomList(capture('hostile-list-all-with-header.txt')), parseDomList(capture('hostile-list-all.txt')));
});

test('list --all: the lab on qemu:///system', (t) => {
  t.deepEqual(parseDomList(capture('lab-list-all.txt')), [
    { id: 1, name: 'lab-alpha', state: 'running' },
    { id: 2, name: 'lab-beta', state: 'paused' },
    { id: null, name: 'lab-gamma', state: 'shut off' },
  ]);
});

test('list --name keeps names exactly', (t) => {
  t.deepEqual(parseNames(capture('hostile-list-name.txt')).sort(), [...HOSTILE_NAMES].sort());
  t.deepEqual(parseNames(capture('demo-list-transient.txt')), ['ci-ephemeral-7']);
  t.deepEqual(parseNames(''), []);
});

test('dominfo: running (lab) and shut off (demo, name with a space)', (t) => {
  const a = parseDominfo(capture('lab-dominfo-alpha.txt'));
  t.is(a.id, 1);
  t.is(a.name, 'lab-alpha');
  t.is(a.state, 'running');
  t.is(a.vcpus, 1);
  t.is(a.memoryMax, 196608);
  t.true(a.persistent);
  t.true(a.cpuTime! > 0);
  const d = parseDominfo(capture('demo-dominfo-dev-sandbox.txt'));
  t.is(d.id, null);
  t.is(d.name, 'dev sandbox');
  t.is(d.state, 'shut off');
  t.is(d.memoryMax, 786432);
  t.false(d.autostart);
  t.false(d.managedSave);
  t.true(d.fields.length >= 10);
  // a domain with two taints: one Messages field, both in it (not a field named "tainted")
  const m = parseDominfo(capture('lab2-dominfo-delta-tainted.txt'));
  t.deepEqual(m.fields.filter(([k]) => k === 'Messages' || k === 'tainted'), [['Messages', 'tainted: running with undesirable elevated privileges; tainted: custom guest agent control commands issued']]);
});

test('domstats: the lab gives cpu, balloon and vcpu numbers', (t) => {
  const stats = parseSamples(capture('lab-domstats.txt'));
  t.deepEqual(stats.map((s) => s.name).sort(), ['lab-alpha', 'lab-beta', 'lab-gamma']);
  const beta = stats.find((s) => s.name === 'lab-beta')!;
  t.is(beta.state, 'paused');
  t.is(beta.vcpuCurrent, 2);
  t.true(beta.cpuTime! > 0);
  t.is(beta.balloonMax, 163840);
  // the generic parser keeps every key
  const block = capture('lab-domstats.txt').split("Domain: 'lab-beta'")[1]!;
  t.is(parseDomstats(capture('lab-domstats.txt')).find((s) => s.name === 'lab-beta')!.values.get('balloon.minor_fault'), /balloon\.minor_fault=(\d+)/.exec(block)![1]);
});

test('domstats: the test driver gives only the state; quoted names are kept whole', (t) => {
  const stats = parseSamples(capture('hostile-domstats.txt'));
  t.deepEqual(stats.map((s) => s.name).sort(), [...HOSTILE_NAMES].sort());
  t.is(stats.find((s) => s.name === "it's")!.state, 'running');
  t.is(stats[0]!.vcpuCurrent, undefined);
  t.is(stats[0]!.cpuTime, undefined);
});

test('key/value lines split at the first colon only', (t) => {
  t.deepEqual(parseKeyValues('UUID:  a:b:c\nnot a pair\n'), [['UUID', 'a:b:c']]);
});
