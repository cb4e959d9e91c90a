// The line above the domains: the host's load, or, where the driver gives none, the guests'.
import test from 'ava';
import { hostLine } from '../../screens/kit/hostline.ts';
import type { Domain } from '../../src/libvirt/types.ts';

const dom = (name: string, state: string, id: number | null, memory: number): Domain =>
  ({ name, state, id, uuid: name, memory, memoryMax: memory, autostart: false, persistent: true } as Domain);
const list = [dom('a', 'running', 1, 1 << 20), dom('b', 'running', 2, 1 << 20), dom('c', 'shut off', null, 1 << 20)];
const o = { events: true, interval: 2000 };

test('a host with statistics: its CPU and memory', (t) => {
  t.is(hostLine({ cpu: 12.5, cpus: 2, memUsed: 1 << 20, memTotal: 4 << 20 }, list, { ...o, guestCpu: () => 50 }),
    'host CPU 12.5% of 2  mem 1.0/4.0 GiB  2/3 running  tick 2 s  events live');
});

test('the test driver (no host statistics): the running guests\' CPU over the host\'s CPUs and their memory', (t) => {
  const cpu = (d: Domain) => ({ a: 30, b: 10 } as Record<string, number>)[d.name];
  t.is(hostLine({ cpus: 16, memTotal: 64 << 20 }, list, { events: null, interval: 2000, guestCpu: cpu }),
    'guest CPU 2.5% of 16  guest mem 2.0/64.0 GiB  2/3 running  tick 2 s');
  // no CPU measured yet (one sample so far), or no way to measure it
  t.regex(hostLine({ cpus: 16 }, list, { ...o, guestCpu: () => undefined }), /^host CPU - {2}guest mem /);
  t.regex(hostLine({ cpus: 16 }, list, o), /^host CPU - {2}/);
  // a driver with memory statistics but none for CPU: the memory is the host's, and says so
  t.regex(hostLine({ cpus: 2, memUsed: 1 << 20, memTotal: 4 << 20 }, list, { ...o, guestCpu: cpu }), /^guest CPU 20\.0% of 2 {2}host mem 1\.0\/4\.0 GiB/);
});
