// The guest parsers on captures from the labs: lab-alpha (DHCP lease on lab 1), lab2-delta (runs
// the QEMU guest agent on lab 2), lab-beta (paused), lab-gamma (shut off), and the test driver.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  agentPingOk, blkErrorWords, hasAgentChannel, ifRates, noAgentChannel, parseDomblkerror, parseDomfsinfo, parseDomifaddr,
  parseDomifstat, parseDomstateReason, parseGuestinfo, reasonWords, shownAddrs,
} from '../../src/libvirt/guest.ts';
import { FIXTURES } from '../helpers.ts';

const fx = (name: string) => readFileSync(join(FIXTURES, 'guest', name), 'utf8');

test('domifaddr --source lease: lab-alpha\'s DHCP lease', (t) => {
  t.deepEqual(parseDomifaddr(fx('domifaddr-lease-alpha.txt')), [{ iface: 'vnet0', mac: '52:54:00:1a:b0:01', family: 'ipv4', addr: '192.168.150.11', prefix: 24 }]);
  t.deepEqual(parseDomifaddr(fx('domifaddr-lease-delta.txt')).map((a) => a.addr), ['192.168.160.14']);
});

test('domifaddr: an interface whose name has spaces (a Windows guest\'s "Ethernet 2") keeps its addresses', (t) => {
  // the test driver's answer for NICs named so (virsh pads the name to 10 columns, or not at all)
  t.deepEqual(parseDomifaddr(fx('domifaddr-agent-spaces.txt')).map((a) => [a.iface, a.mac, a.addr]), [
    ['Ethernet 2', '52:54:00:aa:bb:01', '192.168.122.23'],
    ['Local Area Connection', '52:54:00:aa:bb:02', '192.168.122.24'],
  ]);
});

test('domifaddr --source agent: the guest\'s own interfaces; a "-" line belongs to the interface above', (t) => {
  const all = parseDomifaddr(fx('domifaddr-agent-delta.txt'));
  t.deepEqual(all.map((a) => [a.iface, a.mac, a.family, a.addr, a.prefix]), [
    ['lo', '00:00:00:00:00:00', 'ipv4', '127.0.0.1', 8],
    ['lo', '00:00:00:00:00:00', 'ipv6', '::1', 128],
    ['eth0', '52:54:00:1a:b2:04', 'ipv4', '192.168.160.14', 24],
    ['eth0', '52:54:00:1a:b2:04', 'ipv6', 'fe80::5054:ff:fe1a:b204', 64],
  ]);
  // the session's -q form (no header) reads the same
  t.deepEqual(parseDomifaddr(fx('domifaddr-agent-delta-q.txt')), all);
  // loopback and link-local are not what an operator looks for
  t.deepEqual(shownAddrs(all), { v4: ['192.168.160.14'], v6: [] });
});

test('domifaddr --source arp: the test driver; an empty answer; the lab\'s errors', (t) => {
  t.deepEqual(parseDomifaddr(fx('domifaddr-arp-test.txt')).map((a) => a.addr), ['192.168.122.3']);
  t.deepEqual(parseDomifaddr(fx('domifaddr-arp-alpha.txt')), []);
  t.true(noAgentChannel(fx('domifaddr-agent-alpha.err')));
  t.false(noAgentChannel(fx('domifaddr-arp-alpha.err')));
});

test('domifstat: counters, and rates between two readings', (t) => {
  const a = parseDomifstat(fx('domifstat-alpha.txt'))!;
  t.deepEqual(a, { iface: 'vnet0', rxBytes: 5352, rxPackets: 64, rxErrs: 0, rxDrop: 0, txBytes: 2656, txPackets: 26, txErrs: 0, txDrop: 0 });
  t.deepEqual(ifRates(a, { ...a, rxBytes: a.rxBytes + 2000, txBytes: a.txBytes + 500 }, 2), { rx: 1000, tx: 250 });
  // a guest restarted between the readings: counters start again, no negative rate
  t.deepEqual(ifRates(a, { ...a, rxBytes: 10, txBytes: 10 }, 2), { rx: 0, tx: 0 });
  t.is(parseDomifstat(''), undefined);
});

test('guestinfo: OS, kernel, hostname, timezone, users, filesystems, interfaces of lab2-delta', (t) => {
  const g = parseGuestinfo(fx('guestinfo-delta.txt'));
  t.is(g.os, 'Debian GNU/Linux 12 (bookworm)');
  t.is(g.kernel, '6.1.0-57-amd64 x86_64');
  t.is(g.hostname, 'lab2-delta');
  t.is(g.timezone, 'UTC');
  t.deepEqual(g.users, []);
  t.deepEqual(g.fs, [{ mountpoint: '/mnt', name: 'vda', type: 'ext4', totalBytes: 52685824, usedBytes: 20480, disks: ['vda'] }]);
  t.deepEqual(g.ifaces.map((i) => [i.name, i.mac, i.addrs.map((a) => `${a.addr}/${a.prefix}`)]), [
    ['lo', '00:00:00:00:00:00', ['127.0.0.1/8', '::1/128']],
    ['eth0', '52:54:00:1a:b2:04', ['192.168.160.14/24', 'fe80::5054:ff:fe1a:b204/64']],
  ]);
  const withUsers = parseGuestinfo('user.count : 1\nuser.0.name : root\nuser.0.login-time : 1700000000\ntimezone.name : CET\ntimezone.offset : 3600\n');
  t.deepEqual(withUsers.users, [{ name: 'root', domain: undefined, loginTime: 1700000000 }]);
  t.is(withUsers.timezone, 'CET (+01:00)');
});

test('domfsinfo: with and without the header; the test driver\'s two mounts', (t) => {
  t.deepEqual(parseDomfsinfo(fx('domfsinfo-delta.txt')), [{ mountpoint: '/mnt', name: 'vda', type: 'ext4', target: 'vda' }]);
  t.deepEqual(parseDomfsinfo(fx('domfsinfo-delta-q.txt')), parseDomfsinfo(fx('domfsinfo-delta.txt')));
  t.deepEqual(parseDomfsinfo(' Mountpoint   Name   Type   Target\n------------------------------------\n /            vda1   ext4   vda\n /boot        vda2   ext4   vda\n').map((r) => r.mountpoint), ['/', '/boot']);
});

test('domblkerror: none found, an error of the test driver', (t) => {
  t.deepEqual(parseDomblkerror(fx('domblkerror-lab-alpha.txt')), []);
  t.deepEqual(parseDomblkerror(fx('domblkerror-lab-beta.txt')), []);
  t.deepEqual(parseDomblkerror(fx('domblkerror-test.txt')), [{ disk: 'vda', error: 'unspecified error' }]);
  t.regex(blkErrorWords('no space'), /full/);
});

test('domstate --reason: state and reason, in words', (t) => {
  t.deepEqual(parseDomstateReason(fx('domstate-lab-alpha.txt')), { state: 'running', reason: 'booted' });
  t.deepEqual(parseDomstateReason(fx('domstate-lab-beta.txt')), { state: 'paused', reason: 'user' });
  t.deepEqual(parseDomstateReason(fx('domstate-lab-gamma.txt')), { state: 'shut off', reason: 'unknown' });
  t.regex(reasonWords(parseDomstateReason(fx('domstate-lab-beta.txt'))), /paused it/);
  t.regex(reasonWords({ state: 'paused', reason: 'ioerror' }), /I\/O error/);
  t.regex(reasonWords({ state: 'shut off', reason: 'failed' }), /failed to start/);
  t.is(reasonWords({ state: 'running', reason: 'something new' }), 'running: something new');
});

test('the agent: a ping answered; whether a domain\'s XML has the channel', (t) => {
  t.true(agentPingOk(fx('agent-ping-delta.txt')));
  t.false(agentPingOk('error'));
  t.false(hasAgentChannel(fx('lab-gamma.xml')));
  t.true(hasAgentChannel("<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0' state='connected'/></channel>"));
});
