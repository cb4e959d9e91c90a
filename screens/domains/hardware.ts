// The Hardware tab of a domain's details: memory, vCPUs, disks, CD-ROMs, NICs, graphics, serial
// ports, channels, boot order and autostart, and the keys that change them. Every change is
// checked in its form, shown as the exact virsh commands and the XML diff before it runs, and
// offered again from the next boot when the hypervisor refuses it live.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Domain } from '../../src/libvirt/types.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { ActionHost } from '../../src/context.ts';
import type { ActionResult } from '../../src/model/connection.ts';
import type { FieldSpec, FormValues } from '../../src/ui/form.ts';
import { domainArg, decodeCell, parseKeyValues } from '../../src/libvirt/parse.ts';
import { parsePoolXml } from '../../src/libvirt/poolxml.ts';
import { parseVolList } from '../../src/libvirt/volxml.ts';
import { exactSize, humanKiB } from '../../src/ui/text.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import {
  MODE_LABEL, attachDeviceArgs, attachDiskArgs, attachNicArgs, bootLabel, bootOrder, changeMediaArgs, checkCount, checkDiskSize, checkMemory, checkTarget,
  defineArgs, detachDiskArgs, detachNicArgs, diskXml, freeTarget, hasLive, lineDiff, modeOf, modesFor, newMac, parseHardware, setmaxmemArgs,
  setmaxvcpusArgs, setmemArgs, setvcpusArgs, usedTargets, validMac, volCreateArgs, volDeleteArgs, withBootOrder, withCurrentMemory, withDevice,
  withMedia, withMemory, withoutDisk, withoutNic, withVcpus, nicXml, type BootDevice, type Hardware, type Mode,
} from '../../src/libvirt/hardware.ts';
import { filesHere } from '../../src/libvirt/uri.ts';

export interface HwCtx { host: ActionHost; dom: Domain | undefined }

type Run = (args: string[]) => Promise<string>;

/** the running definition and the persistent one (the same for a shut-off domain) */
export interface HwXml { live: string; inactive: string }

export async function loadHardware(run: Run, dom: Domain): Promise<HwXml> {
  const d = domainArg(dom);
  const [live, inactive] = await Promise.all([run(['dumpxml', '--domain', d]), dom.persistent === false ? Promise.resolve('') : run(['dumpxml', '--inactive', '--domain', d])]);
  return { live, inactive: inactive || live };
}

const mib = (kib: number) => humanKiB(kib);

function table(headers: string[], rows: string[][]): string[] {
  if (!rows.length) return ['  (none)'];
  const w = headers.map((h, i) => Math.min(60, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (c || '-').padEnd(w[i]!)).join('  ')}`.trimEnd();
  return [line(headers), ...rows.map(line)];
}

export const HW_KEYS = 's memory  K vCPUs  i add disk/NIC/CD-ROM drive  O remove one  E CD-ROM medium  b boot order  a autostart';

/** The tab's lines. Pure. `next`: the persistent definition, when it differs from the running one. */
export function hardwareLines(x: HwXml, dom: Domain | undefined, readonly: boolean): string[] {
  const hw = parseHardware(x.live);
  const cfg = x.inactive && x.inactive !== x.live ? parseHardware(x.inactive) : hw;
  const running = !!dom && dom.id !== null;
  // what the persistent definition says, where it differs from the running guest
  const next = (differs: boolean, then: string) => (running && differs ? `   (next boot: ${then})` : '');
  const memNow = `${mib(hw.currentKiB)} of ${mib(hw.memoryKiB)} maximum`;
  const memCfg = next(hw.currentKiB !== cfg.currentKiB || hw.memoryKiB !== cfg.memoryKiB, `${mib(cfg.currentKiB)} of ${mib(cfg.memoryKiB)}`);
  const cpuNow = `${hw.vcpus} of ${hw.vcpusMax} maximum`;
  const cpuCfg = next(hw.vcpus !== cfg.vcpus || hw.vcpusMax !== cfg.vcpusMax, `${cfg.vcpus} of ${cfg.vcpusMax}`);
  const order = bootOrder(cfg).map((d) => bootLabel(d, cfg));
  const out = [
    `  Memory:     ${memNow}${memCfg}`,
    `  vCPUs:      ${cpuNow}${cpuCfg}`,
    `  Autostart:  ${dom ? (dom.autostart ? 'yes' : 'no') : '-'}`,
    `  Boot order: ${order.join(' > ') || '(none)'}`,
  ];
  if (cfg.kernel) out.push(`              direct kernel boot (${cfg.kernel}): the boot order applies to the firmware only`);
  const disks = hw.disks.filter((d) => d.device !== 'cdrom');
  const cds = hw.disks.filter((d) => d.device === 'cdrom');
  out.push('', `Disks (${disks.length})`);
  out.push(...table(['TARGET', 'BUS', 'DEVICE', 'FORMAT', 'SOURCE'], disks.map((d) => [d.target, d.bus, d.device + (d.readonly ? ' (ro)' : ''), d.format, d.source])));
  out.push('', `CD-ROMs (${cds.length})`);
  out.push(...table(['TARGET', 'BUS', 'MEDIUM'], cds.map((d) => [d.target, d.bus, d.source || '(empty)'])));
  out.push('', `NICs (${hw.nics.length})`);
  out.push(...table(['MAC', 'TYPE', 'SOURCE', 'MODEL', 'DEVICE'], hw.nics.map((n) => [n.mac, n.type, n.source, n.model, n.target])));
  out.push('', `Graphics (${hw.graphics.length})`);
  out.push(...table(['TYPE', 'PORT', 'LISTEN'], hw.graphics.map((g) => [g.type, g.port === '-1' || (!g.port && g.autoport) ? 'auto' : g.port, g.listen])));
  out.push('', `Serial and console (${hw.serials.length})`);
  out.push(...table(['KIND', 'TYPE', 'TARGET', 'PORT', 'PATH'], hw.serials.map((s) => [s.kind, s.type, s.target, s.port, s.path])));
  out.push('', `Channels (${hw.channels.length})`);
  out.push(...table(['TYPE', 'NAME', 'STATE'], hw.channels.map((c) => [c.type, c.name, c.state])));
  out.push('', readonly ? 'Read-only connection: the hardware is shown, not changed.' : HW_KEYS);
  return out;
}

// --- what the forms choose from

interface PoolFacts { name: string; path: string; free?: number; type: string; volumes: Array<{ name: string; path: string }> }

async function readPools(run: Run): Promise<PoolFacts[]> {
  const names = (await run(['pool-list', '--name']).catch(() => '')).split('\n').map((l) => l.trimEnd()).filter(Boolean);
  return Promise.all(names.map(async (name) => {
    const [xml, vols] = await Promise.all([run(['pool-dumpxml', '--pool', name]).catch(() => '<pool/>'), run(['vol-list', '--pool', name]).catch(() => '')]);
    const p = parsePoolXml(xml);
    return { name, path: p.path, free: p.available, type: p.type, volumes: parseVolList(vols).map((v) => ({ name: decodeCell(v.name), path: decodeCell(v.path) })) };
  }));
}

async function hostMemKiB(run: Run): Promise<number | undefined> {
  const ni = new Map(parseKeyValues(await run(['nodeinfo']).catch(() => '')));
  return Number(/^(\d+)/.exec(ni.get('Memory size') ?? '')?.[1]) || undefined;
}

/** a path on this machine can be checked (the test driver's too: it runs here); one on a remote host cannot from here */
const pathCheck = (uri: string) => (p: string) => {
  if (!p.trim()) return 'a path is needed';
  if (!p.startsWith('/')) return 'an absolute path (/...)';
  if (filesHere(uri) && !existsSync(p)) return `${p} does not exist`;
  return '';
};

const modeField = (dom: Domain, note = ''): FieldSpec => {
  const modes = modesFor(dom.id !== null, dom.persistent !== false);
  return { id: 'mode', label: 'Apply', kind: 'choice', options: modes.map((m) => MODE_LABEL[m]), note: note || (modes.length === 1 ? (dom.id === null ? 'shut off: the definition' : 'transient: now only') : '') };
};

// --- the plan shown before anything runs, and its run

export interface Step { args: string[]; /** run when a later step fails: nothing half-made is left */ undo?: string[] }

interface Plan {
  title: string;
  what: string[];
  steps: Step[];
  before: string;
  after: string;
  dangerous?: boolean;
  /** the same change from the next boot only, offered when the live change is refused */
  persistent?: () => Plan;
  /** files the steps read (removed after) */
  dir?: string;
}

function tempFile(name: string, text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-hw-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { dir, file };
}

async function apply(c: HwCtx, plan: Plan): Promise<boolean> {
  try {
    const diff = lineDiff(plan.before, plan.after);
    const r = await c.host.ask({
      title: plan.title, confirmLabel: plan.dangerous ? 'Remove' : 'Apply', dangerous: plan.dangerous,
      message: [...plan.what, '', 'Runs:', ...plan.steps.map((s) => `  ${shellLine(['virsh', ...s.args])}`), '', diff.length ? 'The XML:' : 'The XML does not change.'],
      pre: diff, preStyle: 'diff',
    });
    if (!r.confirmed) return false;
    const run = await runSteps(c, plan.steps);
    const { failed, result } = run;
    if (!failed) return true;
    if (!(failed.args.includes('--live') && plan.persistent)) await tellUndone(c, plan.title, run);
    else {
      const alt = plan.persistent();
      // (its file goes whatever the answer)
      try {
        const again = await c.host.ask({
          title: `${plan.title}: refused now`, confirmLabel: 'Apply from next boot', cancelLabel: 'Leave it',
          message: [`The hypervisor refused the change while ${c.dom!.name} runs:`, `  ${result!.error?.line ?? result!.output}`,
            '', 'It can be made in the persistent definition instead, to take effect from the next boot:',
            ...alt.steps.map((x) => `  ${shellLine(['virsh', ...x.args])}`)],
        });
        if (again.confirmed) {
          const altRun = await runSteps(c, alt.steps);
          await tellUndone(c, alt.title, altRun);
          return !altRun.failed;
        }
      } finally { if (alt.dir) rmSync(alt.dir, { recursive: true, force: true }); }
    }
    return false;
  } finally {
    if (plan.dir) rmSync(plan.dir, { recursive: true, force: true });
  }
}

/** The steps in order; when one fails, what the earlier ones made (a new volume) goes again, and the failed step is returned. */
export async function runSteps(c: HwCtx, steps: readonly Step[]): Promise<{ failed?: Step; result?: ActionResult; undone?: Array<{ args: string[]; result: ActionResult }> }> {
  const done: Step[] = [];
  for (const s of steps) {
    const result = await c.host.action(s.args, { timeoutMs: 300_000 });
    if (result.ok) { done.push(s); continue; }
    const undone: Array<{ args: string[]; result: ActionResult }> = [];
    for (const d of done.reverse()) if (d.undo) undone.push({ args: d.undo, result: await c.host.action(d.undo) });
    return { failed: s, result, ...(undone.length ? { undone } : {}) };
  }
  return {};
}

/**
 * A failed change whose earlier steps were undone says so: the status line shows only the last
 * command (the undo's "vol-delete: ok"), which reads as if the change had worked
 */
async function tellUndone(c: HwCtx, title: string, r: Awaited<ReturnType<typeof runSteps>>): Promise<void> {
  if (!r.failed || !r.undone) return;
  await c.host.ask({
    title: `${title}: failed`, confirmLabel: 'OK', notice: true,
    message: [`${shellLine(['virsh', ...r.failed.args])} failed:`, `  ${r.result?.error?.line ?? r.result?.output ?? ''}`,
      ...(r.result?.error?.hint ? [`  (${r.result.error.hint})`] : []), '',
      'What the steps before it made was removed again:',
      ...r.undone.map((u) => `  ${shellLine(['virsh', ...u.args])}: ${u.result.ok ? 'ok' : `FAILED (${u.result.error?.line ?? ''}): it is still there`}`)],
  });
}

/** `change` with the keys typed while it reads the XML held, then dropped when its form opens (a "1" would switch tabs) */
const held = (c: HwCtx, change: (c: HwCtx) => Promise<void>) => (c.host.holdKeysWhile ? c.host.holdKeysWhile(() => change(c)) : change(c));

/** the XML the change is measured on: the live one for a change made now only */
const base = (x: HwXml, mode: Mode) => (mode === 'live' ? x.live : x.inactive);

// --- the changes

async function memory(c: HwCtx): Promise<void> {
  const dom = c.dom!;
  const d = domainArg(dom);
  const [x, host] = await Promise.all([loadHardware(c.host.run, dom), hostMemKiB(c.host.run)]);
  const hw = parseHardware(x.live);
  const cfg = parseHardware(x.inactive);
  const running = dom.id !== null;
  const cur = (v: FormValues) => checkMemory(v['current'] ?? '', host);
  const max = (v: FormValues) => checkMemory(v['max'] ?? '', host);
  const r = await c.host.form({
    title: `Memory of ${dom.name}`,
    intro: [`Now ${mib(hw.currentKiB)} of ${mib(hw.memoryKiB)} maximum; the host has ${host ? mib(host) : 'an unknown amount'}.`,
      ...(running ? ['The maximum changes from the next boot only: QEMU cannot change it while the guest runs.'] : [])],
    fields: [
      { id: 'current', label: 'Current', value: exactSize(BigInt(cfg.currentKiB) * 1024n), note: 'e.g. 160M, 2G; MiB without a unit', validate: (v) => checkMemory(v, host).error },
      { id: 'max', label: 'Maximum', value: exactSize(BigInt(cfg.memoryKiB) * 1024n), validate: (v) => checkMemory(v, host).error },
      modeField(dom),
    ],
    buttons: ['Review'],
    validate: (v) => {
      const m = modeOf(v['mode']!);
      const c1 = cur(v).kib!;
      const m1 = max(v).kib!;
      if (hasLive(m) && c1 > BigInt(hw.memoryKiB)) return `Current: above the running maximum (${mib(hw.memoryKiB)}), which only changes from the next boot`;
      if (m !== 'live' && c1 > m1) return `Current: above the maximum (${mib(Number(m1))})`;
      if (m === 'live' && m1 !== BigInt(cfg.memoryKiB)) return 'Maximum: it cannot change now only; choose "from next boot" or "now and persistently"';
      return '';
    },
  });
  if (!r.submitted) return;
  const mode = modeOf(r.values['mode']!);
  const kib = cur(r.values).kib!;
  const maxKib = max(r.values).kib!;
  const make = (m: Mode): Plan => {
    const steps: Step[] = [];
    const maxChanged = maxKib !== BigInt(cfg.memoryKiB);
    const curChanged = kib !== BigInt(m === 'live' ? hw.currentKiB : cfg.currentKiB) || (m === 'both' && kib !== BigInt(hw.currentKiB));
    if (maxChanged && maxKib > BigInt(cfg.memoryKiB)) steps.push({ args: setmaxmemArgs(d, maxKib) });
    if (curChanged) steps.push({ args: setmemArgs(d, kib, m) });
    if (maxChanged && maxKib <= BigInt(cfg.memoryKiB)) steps.push({ args: setmaxmemArgs(d, maxKib) });
    const b = base(x, m);
    let after = maxChanged && m !== 'live' ? withMemory(b, maxKib) : b;
    after = withCurrentMemory(after, kib);
    return { title: `Memory of ${dom.name}`, what: [`Memory ${mib(Number(kib))} of ${mib(Number(maxKib))} maximum, ${MODE_LABEL[m]}.`], steps, before: b, after,
      persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
  };
  const plan = make(mode);
  if (!plan.steps.length) { await c.host.ask({ title: `Memory of ${dom.name}`, message: ['Nothing changes.'], confirmLabel: 'OK', notice: true }); return; }
  await apply(c, plan);
}

async function vcpus(c: HwCtx): Promise<void> {
  const dom = c.dom!;
  const d = domainArg(dom);
  const [x, hvMax] = await Promise.all([loadHardware(c.host.run, dom), c.host.run(['maxvcpus']).then((o) => Number(o.trim()) || 4096, () => 4096)]);
  const hw = parseHardware(x.live);
  const cfg = parseHardware(x.inactive);
  const r = await c.host.form({
    title: `vCPUs of ${dom.name}`,
    intro: [`Now ${hw.vcpus} of ${hw.vcpusMax} maximum; the hypervisor allows ${hvMax}.`,
      ...(dom.id !== null ? ['A running guest gets vCPUs up to its maximum; the maximum changes from the next boot only. Removing vCPUs live often fails.'] : [])],
    fields: [
      { id: 'current', label: 'Current', value: String(cfg.vcpus), validate: (v) => checkCount(v, hvMax, 'what the hypervisor allows').error },
      { id: 'max', label: 'Maximum', value: String(cfg.vcpusMax), validate: (v) => checkCount(v, hvMax, 'what the hypervisor allows').error },
      modeField(dom),
    ],
    buttons: ['Review'],
    validate: (v) => {
      const m = modeOf(v['mode']!);
      const n = Number(v['current']);
      const mx = Number(v['max']);
      if (hasLive(m) && n > hw.vcpusMax) return `Current: above the running maximum (${hw.vcpusMax}), which only changes from the next boot`;
      if (m !== 'live' && n > mx) return `Current: above the maximum (${mx})`;
      if (m === 'live' && mx !== cfg.vcpusMax) return 'Maximum: it cannot change now only; choose "from next boot" or "now and persistently"';
      return '';
    },
  });
  if (!r.submitted) return;
  const mode = modeOf(r.values['mode']!);
  const n = Number(r.values['current']);
  const mx = Number(r.values['max']);
  const make = (m: Mode): Plan => {
    const steps: Step[] = [];
    const maxChanged = mx !== cfg.vcpusMax;
    if (maxChanged && mx > cfg.vcpusMax) steps.push({ args: setmaxvcpusArgs(d, mx) });
    if (n !== (m === 'live' ? hw.vcpus : cfg.vcpus) || (m === 'both' && n !== hw.vcpus)) steps.push({ args: setvcpusArgs(d, n, m) });
    if (maxChanged && mx < cfg.vcpusMax) steps.push({ args: setmaxvcpusArgs(d, mx) });
    const b = base(x, m);
    const after = withVcpus(b, n, m === 'live' ? hw.vcpusMax : mx);
    return { title: `vCPUs of ${dom.name}`, what: [`${n} vCPUs of ${m === 'live' ? hw.vcpusMax : mx} maximum, ${MODE_LABEL[m]}.`], steps, before: b, after,
      persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
  };
  const plan = make(mode);
  if (!plan.steps.length) { await c.host.ask({ title: `vCPUs of ${dom.name}`, message: ['Nothing changes.'], confirmLabel: 'OK', notice: true }); return; }
  await apply(c, plan);
}

const KINDS = ['disk: a new volume', 'disk: an existing volume', 'disk: a file or device', 'CD-ROM drive', 'NIC'] as const;
const DISK_BUSES = ['virtio', 'sata', 'scsi', 'usb', 'ide'];
const CD_BUSES = ['sata', 'ide', 'scsi', 'usb'];

async function addDevice(c: HwCtx): Promise<void> {
  const dom = c.dom!;
  const d = domainArg(dom);
  const [x, pools, nets] = await Promise.all([loadHardware(c.host.run, dom), readPools(c.host.run),
    c.host.run(['net-list', '--name']).then((o) => o.split('\n').map((l) => l.trimEnd()).filter(Boolean), () => [] as string[])]);
  const used = usedTargets(x.live, x.inactive);
  const hw = parseHardware(x.live);
  const macs = new Set([...hw.nics, ...parseHardware(x.inactive).nics].map((n) => n.mac.toLowerCase()));
  const mac = newMac(() => [...randomBytes(3)], macs);
  const vols = pools.flatMap((p) => p.volumes.map((v) => ({ label: `${p.name}/${v.name}`, path: v.path })));
  const pool = (v: FormValues) => pools.find((p) => p.name === v['pool']);
  const is = (...k: string[]) => (v: FormValues) => k.includes(v['what']!);
  const isDisk = is(KINDS[0], KINDS[1], KINDS[2]);
  const bus = (v: FormValues) => (v['what'] === 'CD-ROM drive' ? v['cdbus']! : v['bus']!);
  const fields: FieldSpec[] = [
    { id: 'what', label: 'Add', kind: 'choice', options: [...KINDS] },
    { id: 'pool', label: 'Pool', kind: 'choice', options: pools.length ? pools.map((p) => p.name) : ['(no active pool)'], visible: is(KINDS[0]),
      validate: (v, all) => (pool(all) ? '' : 'no active pool: start one first') },
    { id: 'name', label: 'Volume name', value: `${dom.name}-disk.qcow2`, follow: (all) => `${dom.name}-disk.${all['format'] || 'qcow2'}`, visible: is(KINDS[0]),
      validate: (v, all) => (!v.trim() ? 'a name is needed' : v.includes('/') ? 'a volume name cannot contain /' : pool(all)?.volumes.some((x) => x.name === v) ? `pool ${all['pool']} has a volume ${v}` : '') },
    { id: 'size', label: 'Size', value: '10G', note: 'GiB without a unit; exact: 32M, 1.5T', visible: is(KINDS[0]), validate: (v, all) => checkDiskSize(v, pool(all)?.free).error },
    { id: 'format', label: 'Format', kind: 'choice', options: ['qcow2', 'raw'], visible: is(KINDS[0]) },
    { id: 'volume', label: 'Volume', kind: 'choice', options: vols.length ? vols.map((v) => v.label) : ['(no volume)'], visible: is(KINDS[1]),
      validate: (v) => (vols.some((x) => x.label === v) ? '' : 'no volume to choose') },
    { id: 'path', label: 'Path', visible: is(KINDS[2]), validate: pathCheck(c.host.uri) },
    { id: 'iso', label: 'Medium (optional)', visible: is('CD-ROM drive'), note: 'an ISO path; empty: no medium', validate: (v) => (v.trim() ? pathCheck(c.host.uri)(v) : '') },
    { id: 'bus', label: 'Bus', kind: 'choice', options: DISK_BUSES, visible: isDisk },
    { id: 'cdbus', label: 'Bus', kind: 'choice', options: CD_BUSES, visible: is('CD-ROM drive') },
    { id: 'target', label: 'Target', note: 'empty: the first free one', visible: (v) => isDisk(v) || is('CD-ROM drive')(v),
      validate: (v, all) => (v.trim() ? checkTarget(v.trim(), bus(all), used) : '') },
    { id: 'nettype', label: 'Connect to', kind: 'choice', options: ['network', 'bridge'], visible: is('NIC') },
    { id: 'network', label: 'Network', kind: 'choice', options: nets.length ? nets : ['(no active network)'], visible: (v) => is('NIC')(v) && v['nettype'] === 'network',
      validate: (v) => (nets.includes(v) ? '' : 'no active network') },
    { id: 'bridge', label: 'Bridge', value: 'br0', visible: (v) => is('NIC')(v) && v['nettype'] === 'bridge', validate: (v) => (/^[^\s/]+$/.test(v) ? '' : 'a host bridge name (br0)') },
    { id: 'model', label: 'Model', kind: 'choice', options: ['virtio', 'e1000', 'rtl8139'], visible: is('NIC') },
    { id: 'mac', label: 'MAC', value: mac, visible: is('NIC'),
      validate: (v) => (!validMac(v) ? 'a unicast MAC such as 52:54:00:12:34:56' : macs.has(v.toLowerCase()) ? `${v} is already used by another NIC` : '') },
    modeField(dom),
  ];
  const r = await c.host.form({ title: `Add hardware to ${dom.name}`, fields, buttons: ['Review'] });
  if (!r.submitted) return;
  const v = r.values;
  const mode = modeOf(v['mode']!);
  const what = v['what']!;
  const make = (m: Mode): Plan => {
    const b = base(x, m);
    if (what === 'NIC') {
      const nic = { type: v['nettype'] as 'network' | 'bridge', source: v['nettype'] === 'bridge' ? v['bridge']! : v['network']!, model: v['model']!, mac: v['mac']!.toLowerCase() };
      return { title: `Add a NIC to ${dom.name}`, what: [`A ${nic.model} NIC on ${nic.type} ${nic.source}, MAC ${nic.mac}, ${MODE_LABEL[m]}.`],
        steps: [{ args: attachNicArgs(d, nic, m) }], before: b, after: withDevice(b, 'interface', nicXml(nic)),
        persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
    }
    const cd = what === 'CD-ROM drive';
    const theBus = bus(v);
    const target = v['target']?.trim() || freeTarget(theBus, x.live, x.inactive);
    if (cd) {
      const iso = v['iso']!.trim();
      const disk = { source: iso, target, bus: theBus, format: 'raw', cdrom: true };
      if (iso) {
        return { title: `Add a CD-ROM drive to ${dom.name}`, what: [`A ${theBus} CD-ROM drive ${target} with ${iso}, ${MODE_LABEL[m]}.`],
          steps: [{ args: attachDiskArgs(d, disk, m) }], before: b, after: withDevice(b, 'disk', diskXml(disk)),
          persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
      }
      // an empty drive has no --source for attach-disk: its XML goes to attach-device
      const f = tempFile('cdrom.xml', `${diskXml(disk).join('\n')}\n`);
      return { title: `Add a CD-ROM drive to ${dom.name}`, what: [`An empty ${theBus} CD-ROM drive ${target}, ${MODE_LABEL[m]}.`, `${f.file} holds its XML.`],
        steps: [{ args: attachDeviceArgs(d, f.file, m) }], before: b, after: withDevice(b, 'disk', diskXml(disk)), dir: f.dir,
        persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
    }
    if (what === KINDS[0]) {
      const p = pool(v)!;
      const bytes = checkDiskSize(v['size']!).bytes!;
      const name = v['name']!;
      // a dir pool's volume is its path; another pool's path is known once it is made
      const path = p.path ? `${p.path.replace(/\/$/, '')}/${name}` : name;
      const disk = { source: path, target, bus: theBus, format: v['format']! };
      return { title: `Add a disk to ${dom.name}`,
        what: [`A new ${v['format']} volume ${name} of ${exactSize(bytes)} (${bytes} bytes) in pool ${p.name}, attached as ${target} (${theBus}), ${MODE_LABEL[m]}.`,
          'When the attach fails, the new volume is deleted again.'],
        steps: [{ args: volCreateArgs(p.name, name, bytes, v['format']!), undo: volDeleteArgs(p.name, name) }, { args: attachDiskArgs(d, disk, m) }],
        before: b, after: withDevice(b, 'disk', diskXml(disk)),
        persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
    }
    const path = what === KINDS[1] ? vols.find((x) => x.label === v['volume'])!.path : v['path']!.trim();
    const format = /\.qcow2$/i.test(path) ? 'qcow2' : 'raw';
    const disk = { source: path, target, bus: theBus, format };
    return { title: `Add a disk to ${dom.name}`, what: [`${path} attached as ${target} (${theBus}, ${format}), ${MODE_LABEL[m]}.`],
      steps: [{ args: attachDiskArgs(d, disk, m) }], before: b, after: withDevice(b, 'disk', diskXml(disk)),
      persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
  };
  await apply(c, make(mode));
}

async function removeDevice(c: HwCtx): Promise<void> {
  const dom = c.dom!;
  const d = domainArg(dom);
  const [x, pools] = await Promise.all([loadHardware(c.host.run, dom), readPools(c.host.run)]);
  const hw = parseHardware(dom.id !== null ? x.live : x.inactive);
  const cfgDisks = parseHardware(x.inactive).disks;
  const volOf = (path: string, pool: string, volume: string) => (pool && volume ? { pool, name: volume }
    : pools.flatMap((p) => p.volumes.filter((v) => v.path === path).map((v) => ({ pool: p.name, name: v.name })))[0]);
  const items = [
    ...hw.disks.map((k) => ({ label: `${k.device} ${k.target} ${k.source || '(empty)'}`, disk: k, nic: undefined })),
    ...[...hw.nics, ...parseHardware(x.inactive).nics.filter((n) => !hw.nics.some((h) => h.mac === n.mac))].map((n) => ({ label: `NIC ${n.mac} ${n.source}`, disk: undefined, nic: n })),
  ];
  if (!items.length) { await c.host.ask({ title: `Remove hardware from ${dom.name}`, message: [`${dom.name} has no disk nor NIC.`], confirmLabel: 'OK', notice: true }); return; }
  const pick = (v: FormValues) => items.find((i) => i.label === v['item']);
  const r = await c.host.form({
    title: `Remove hardware from ${dom.name}`,
    fields: [
      { id: 'item', label: 'Remove', kind: 'choice', options: items.map((i) => i.label) },
      { id: 'delete', label: 'Also delete its volume', kind: 'check', visible: (v) => { const k = pick(v)?.disk; return !!k && k.device !== 'cdrom' && !!volOf(k.path, k.pool, k.volume); } },
      modeField(dom),
    ],
    buttons: ['Review'],
  });
  if (!r.submitted) return;
  const it = pick(r.values)!;
  const mode = modeOf(r.values['mode']!);
  const make = (m: Mode): Plan => {
    const b = base(x, m);
    if (it.nic) {
      const n = it.nic;
      return { title: `Remove a NIC from ${dom.name}`, dangerous: true,
        what: [`The NIC ${n.mac} (${n.type} ${n.source}) goes, ${MODE_LABEL[m]}: the guest loses that network link and its address on it.`],
        steps: [{ args: detachNicArgs(d, n.type, n.mac, m) }], before: b, after: withoutNic(b, n.mac),
        persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
    }
    const k = it.disk!;
    const vol = r.values['delete'] ? volOf(k.path, k.pool, k.volume) : undefined;
    const steps: Step[] = [{ args: detachDiskArgs(d, k.target, m) }];
    // the volume goes only once no definition keeps it
    const keptByConfig = m === 'live' && cfgDisks.some((x2) => x2.target === k.target);
    if (vol && !keptByConfig) steps.push({ args: volDeleteArgs(vol.pool, vol.name) });
    return { title: `Remove ${k.device === 'cdrom' ? 'a CD-ROM drive' : 'a disk'} from ${dom.name}`, dangerous: true,
      what: [`${k.target} (${k.source || 'empty'}) is detached, ${MODE_LABEL[m]}: the guest loses that device.`,
        vol && !keptByConfig ? `The volume ${vol.pool}/${vol.name} is DELETED with all its data.` : k.source ? `${k.source} itself is kept.` : '',
        vol && keptByConfig ? 'The volume is kept: the persistent definition still uses it.' : ''].filter(Boolean),
      steps, before: b, after: withoutDisk(b, k.target),
      persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
  };
  await apply(c, make(mode));
}

async function media(c: HwCtx): Promise<void> {
  const dom = c.dom!;
  const d = domainArg(dom);
  const [x, pools] = await Promise.all([loadHardware(c.host.run, dom), readPools(c.host.run)]);
  const hw = parseHardware(dom.id !== null ? x.live : x.inactive);
  const cds = hw.disks.filter((k) => k.device === 'cdrom' || k.device === 'floppy');
  if (!cds.length) {
    await c.host.ask({ title: `CD-ROM of ${dom.name}`, message: [`${dom.name} has no CD-ROM drive. i adds one (Add: CD-ROM drive), with or without a medium.`], confirmLabel: 'OK', notice: true });
    return;
  }
  const vols = pools.flatMap((p) => p.volumes.map((v) => ({ label: `${p.name}/${v.name}`, path: v.path })))
    .sort((a, b) => Number(/\.iso$/i.test(b.label)) - Number(/\.iso$/i.test(a.label)));
  const drive = (v: FormValues) => cds.find((k) => `${k.target} ${k.source || '(empty)'}` === v['drive']);
  const r = await c.host.form({
    title: `CD-ROM medium of ${dom.name}`,
    fields: [
      { id: 'drive', label: 'Drive', kind: 'choice', options: cds.map((k) => `${k.target} ${k.source || '(empty)'}`) },
      { id: 'op', label: 'Do', kind: 'choice', options: ['insert or change', 'eject'], validate: (v, all) => (v === 'eject' && !drive(all)?.source ? 'the drive is empty' : '') },
      { id: 'from', label: 'Medium from', kind: 'choice', options: ['a path', 'a volume'], visible: (v) => v['op'] !== 'eject' },
      { id: 'path', label: 'Path', visible: (v) => v['op'] !== 'eject' && v['from'] === 'a path', validate: pathCheck(c.host.uri) },
      { id: 'volume', label: 'Volume', kind: 'choice', options: vols.length ? vols.map((v) => v.label) : ['(no volume)'], visible: (v) => v['op'] !== 'eject' && v['from'] === 'a volume',
        validate: (v) => (vols.some((x2) => x2.label === v) ? '' : 'no volume to choose') },
      modeField(dom),
    ],
    buttons: ['Review'],
  });
  if (!r.submitted) return;
  const v = r.values;
  const k = drive(v)!;
  const mode = modeOf(v['mode']!);
  const eject = v['op'] === 'eject';
  const path = eject ? '' : v['from'] === 'a volume' ? vols.find((x2) => x2.label === v['volume'])!.path : v['path']!.trim();
  const op = eject ? 'eject' : k.source ? 'update' : 'insert';
  const make = (m: Mode): Plan => {
    const b = base(x, m);
    return { title: `CD-ROM medium of ${dom.name}`, what: [eject ? `${k.target}: eject ${k.source}, ${MODE_LABEL[m]}.` : `${k.target}: ${k.source ? `${k.source} replaced by` : 'insert'} ${path}, ${MODE_LABEL[m]}.`],
      steps: [{ args: changeMediaArgs(d, k.target, op, path, m) }], before: b, after: withMedia(b, k.target, eject ? null : path),
      persistent: hasLive(m) && dom.persistent !== false ? () => make('config') : undefined };
  };
  await apply(c, make(mode));
}

const ORDINAL = ['1st', '2nd', '3rd', '4th'];

async function boot(c: HwCtx): Promise<void> {
  const dom = c.dom!;
  const x = await loadHardware(c.host.run, dom);
  const cfg = parseHardware(x.inactive);
  const devices: BootDevice[] = [...cfg.disks.filter((k) => k.target).map((k) => ({ kind: 'disk' as const, target: k.target })), ...cfg.nics.filter((n) => n.mac).map((n) => ({ kind: 'nic' as const, mac: n.mac }))];
  const labels = devices.map((k) => bootLabel(k, cfg));
  const now = bootOrder(cfg).map((k) => bootLabel(k, cfg));
  const slots = ORDINAL.slice(0, Math.max(1, Math.min(ORDINAL.length, devices.length)));
  const r = await c.host.form({
    title: `Boot order of ${dom.name}`,
    intro: [`Now: ${now.join(' > ') || '(none)'}.`, ...(cfg.kernel ? [`${dom.name} boots a kernel directly (${cfg.kernel}): the order applies to the firmware only.`] : []),
      ...(dom.id !== null ? ['It takes effect from the next boot.'] : [])],
    fields: slots.map((s, i) => ({ id: s, label: s, kind: 'choice' as const, options: i === 0 ? labels : ['(none)', ...labels], value: now[i] ?? (i === 0 ? labels[0] : '(none)') })),
    buttons: ['Review'],
    validate: (v) => {
      const chosen = slots.map((s) => v[s]!).filter((l) => l !== '(none)');
      return new Set(chosen).size !== chosen.length ? 'a device is named twice' : '';
    },
  });
  if (!r.submitted || !labels.length) return;
  const order = slots.map((s) => r.values[s]!).filter((l) => l !== '(none)').map((l) => devices[labels.indexOf(l)]!);
  const after = withBootOrder(x.inactive, order);
  const f = tempFile(`${dom.name.replace(/[^A-Za-z0-9._-]/g, '_')}.xml`, after);
  await apply(c, { title: `Boot order of ${dom.name}`, what: [`Boot ${order.map((k) => bootLabel(k, cfg)).join(' > ')}, from the next boot.`, `The new definition is in ${f.file}.`],
    steps: [{ args: defineArgs(f.file) }], before: x.inactive, after, dir: f.dir });
}

/** The Hardware tab's keys: `shown` says whether that tab is on screen. */
export function hardwareActions(shown: () => boolean): KeyAction<HwCtx>[] {
  const on = (c: HwCtx) => shown() && !!c.dom;
  const persistentOrRunning = (c: HwCtx) => on(c) && (c.dom!.persistent !== false || c.dom!.id !== null);
  return [
    { keys: ['s'], label: 'memory', help: 'memory: current (setmem) and maximum (setmaxmem) (Hardware tab)', mutates: true, when: persistentOrRunning, run: (c) => held(c, memory) },
    { keys: ['K'], label: 'vCPUs', help: 'vCPUs: current and maximum (setvcpus) (Hardware tab)', mutates: true, when: persistentOrRunning, run: (c) => held(c, vcpus) },
    { keys: ['i'], label: 'add', help: 'add a disk (new volume, volume or file), a CD-ROM drive or a NIC (Hardware tab)', mutates: true, when: persistentOrRunning, run: (c) => held(c, addDevice) },
    { keys: ['O'], label: 'remove', help: 'remove a disk (and its volume, when asked), a CD-ROM drive or a NIC (asks; Hardware tab)', mutates: true, dangerous: true, when: persistentOrRunning, run: (c) => held(c, removeDevice) },
    { keys: ['E'], label: 'CD-ROM', help: 'insert, change or eject a CD-ROM medium (change-media; Hardware tab)', mutates: true, when: persistentOrRunning, run: (c) => held(c, media) },
    { keys: ['b'], label: 'boot order', help: 'the boot order (defines the changed XML; Hardware tab)', mutates: true, when: (c) => on(c) && c.dom!.persistent !== false, run: (c) => held(c, boot) },
  ];
}
