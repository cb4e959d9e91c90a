// `n` on the domains screen: a new domain with virt-install, from three pages of a form, then
// the exact argument list and the XML it would define (--print-xml --dry-run, validated), then
// virt-install in a terminal pane as a job; the new domain is selected, its console opened when asked.
import { existsSync } from 'node:fs';
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { FieldSpec, FormValues } from '../../src/ui/form.ts';
import {
  checkInstall, commandLines, hostFreeKiB, missingTool, DISK_BUSES, DISK_FORMATS, GRAPHICS, INSTALL_SOURCES, installArgs, installError, NET_KINDS, newVolumeName, NIC_MODELS, offersUefi,
  parseNodeinfo, searchOsinfo, virtTypes, type HostFacts, type InstallForm,
} from '../../src/libvirt/install.ts';
import { parseNodeMem } from '../../src/libvirt/node.ts';
import { parseVolList } from '../../src/libvirt/volxml.ts';
import { humanBytes } from '../../src/libvirt/units.ts';
import { decodeCell } from '../../src/libvirt/parse.ts';
import { osinfoList, previewInstall, privateFiles } from '../../src/virsh/virtinst.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { hostBridges } from '../ifaces/store.ts';
import { isTestDriver, filesHere } from '../../src/libvirt/uri.ts';
import { findProgram } from '../../src/pty/process.ts';
import { selectDomain } from '../domains/lists.ts';

export interface InstallFacts extends HostFacts {
  virtTypes: string[];
  uefi: boolean;
  bridges: string[] | null;
  osList: Array<{ id: string; name: string }>;
  /** why there is no OS list (osinfo-query missing) */
  osProblem: string;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** A path can be checked here when the host is this machine (the test driver too: virt-install runs here) */

/** What the form shows and checks: the host's memory, CPUs, pools (with their volumes), networks, OS list. */
export async function installFacts(conn: Connection): Promise<InstallFacts> {
  const read = (args: string[]) => conn.run(args).catch(() => '');
  await Promise.all([conn.pools.refresh(), conn.networks.refresh()]);
  const [nodeinfo, mem, caps, doms, os] = await Promise.all([read(['nodeinfo']), read(['nodememstats']), read(['capabilities']), read(['list', '--all', '--name']), osinfoList()]);
  const types = virtTypes(caps);
  const [domcaps, bridges] = await Promise.all([
    read(['domcapabilities', ...(types[0] ? ['--virttype', types[0]] : [])]),
    hostBridges(conn),
  ]);
  const pools = await Promise.all(conn.pools.pools.map(async (p) => ({
    name: p.name, available: p.available, active: p.active,
    volumes: p.active ? parseVolList(await read(['vol-list', '--pool', p.name])).map((r) => decodeCell(r.name)) : [],
  })));
  const m = parseNodeMem(mem);
  const node = parseNodeinfo(nodeinfo);
  const local = filesHere(conn.uri);
  return {
    ...node,
    freeKiB: hostFreeKiB(m, node.memKiB),
    domains: lines(doms), pools, networks: conn.networks.networks.map((n) => n.name), inactiveNetworks: conn.networks.networks.filter((n) => !n.active).map((n) => n.name),
    osinfo: typeof os === 'string' ? [] : os.map((o) => o.id), osList: typeof os === 'string' ? [] : os, osProblem: typeof os === 'string' ? os : '',
    exists: local ? (p) => existsSync(p) : undefined,
    virtTypes: types, uefi: offersUefi(domcaps), bridges,
  };
}

/** The form's values as virt-install's form (the pages keep everything typed, shown or not). */
export function toInstallForm(v: FormValues): InstallForm {
  return {
    name: v['name'] ?? '', osinfo: (v['osinfo'] ?? '').trim() || 'detect', memory: v['memory'] ?? '', vcpus: v['vcpus'] ?? '',
    firmware: v['firmware'] === 'uefi' ? 'uefi' : 'bios', virtType: v['virtType'] ?? '', source: (v['source'] ?? 'cdrom') as InstallForm['source'],
    iso: v['iso'], kernel: v['kernel'], initrd: v['initrd'], kernelArgs: v['kernelArgs'], image: v['image'], sshKey: v['sshKey'],
    disk: (v['disk'] ?? 'new') as InstallForm['disk'], pool: v['pool'], size: v['size'], format: v['format'], bus: v['bus'], volume: v['volume'],
    net: (v['net'] ?? 'network') as InstallForm['net'], network: v['network'], bridge: v['bridge'], model: v['model'],
    graphics: (v['graphics'] ?? 'none') as InstallForm['graphics'],
  };
}

const SOURCE_NOTES: Record<string, string> = {
  cdrom: 'an ISO: a path on the host, or POOL/VOLUME',
  kernel: 'direct kernel boot: kernel, initrd, arguments',
  import: 'boot an existing disk image',
  pxe: 'boot from the network',
  cloud: 'a cloud image, set up by cloud-init',
};

/** The three pages; `facts` fills the notes and the checks. */
export function installPages(f: InstallFacts, values: () => FormValues): Array<{ title: string; intro?: string[]; fields: FieldSpec[] }> {
  const check = (id: string) => (val: string, v: FormValues) => checkInstall(toInstallForm({ ...values(), ...v, [id]: val }), f)[id] ?? '';
  const v0 = values();
  const mib = (k?: number) => (k === undefined ? '?' : `${Math.floor(k / 1024)} MiB`);
  const activePools = f.pools.filter((p) => p.active).map((p) => p.name);
  const activeNets = f.networks.filter((n) => !f.inactiveNetworks?.includes(n));
  const poolFree = (v: FormValues) => { const p = f.pools.find((x) => x.name === v['pool']); return p?.available !== undefined ? `${humanBytes(p.available)} free in ${p.name}` : ''; };
  const isos = f.pools.flatMap((p) => (p.volumes ?? []).filter((n) => /\.iso$/i.test(n)).map((n) => `${p.name}/${n}`));
  const noNewDisk = (v: FormValues) => v['source'] === 'import' || v['source'] === 'cloud';
  return [
    {
      title: 'New domain (1/3): the machine',
      fields: [
        { id: 'name', label: 'Name', value: v0['name'], validate: check('name') },
        {
          id: 'osinfo', label: 'OS variant', value: v0['osinfo'] ?? 'detect', validate: check('osinfo'),
          note: (v) => (f.osProblem ? f.osProblem : v['osinfo'] === 'detect' ? 'detect: from the install medium' : searchOsinfo(f.osList, v['osinfo'] ?? '', 4).map((o) => o.id).join(' ') || 'no match'),
        },
        { id: 'memory', label: 'Memory (MiB)', value: v0['memory'] ?? '512', validate: check('memory'), note: `host: ${mib(f.memKiB)}, ${mib(f.freeKiB)} free` },
        { id: 'vcpus', label: 'vCPUs', value: v0['vcpus'] ?? '1', validate: check('vcpus'), note: `host: ${f.cpus ?? '?'} CPUs` },
        { id: 'firmware', label: 'Firmware', kind: 'choice', options: f.uefi ? ['bios', 'uefi'] : ['bios'], value: v0['firmware'] ?? 'bios', note: f.uefi ? undefined : 'UEFI: no firmware on this host' },
        { id: 'virtType', label: 'Virt type', kind: 'choice', options: f.virtTypes.length ? f.virtTypes : ['kvm', 'qemu'], value: v0['virtType'] ?? f.virtTypes[0], note: 'from the host\'s capabilities' },
      ],
    },
    {
      title: 'New domain (2/3): install from',
      intro: Object.entries(SOURCE_NOTES).map(([k, n]) => `${k.padEnd(8)}${n}`),
      fields: [
        { id: 'source', label: 'Source', kind: 'choice', options: INSTALL_SOURCES, value: v0['source'] ?? 'cdrom' },
        { id: 'iso', label: 'ISO', value: v0['iso'] ?? isos[0] ?? '', visible: (v) => v['source'] === 'cdrom', validate: check('iso'), note: isos.length ? `${isos.length} ISO volume${isos.length > 1 ? 's' : ''}: ${isos.slice(0, 2).join(' ')}` : 'a path, or POOL/VOLUME' },
        { id: 'kernel', label: 'Kernel', value: v0['kernel'] ?? '', visible: (v) => v['source'] === 'kernel', validate: check('kernel') },
        { id: 'initrd', label: 'Initrd', value: v0['initrd'] ?? '', visible: (v) => v['source'] === 'kernel', validate: check('initrd'), note: 'empty: none' },
        { id: 'kernelArgs', label: 'Kernel arguments', value: v0['kernelArgs'] ?? 'console=ttyS0', visible: (v) => v['source'] === 'kernel' },
        { id: 'image', label: 'Disk image', value: v0['image'] ?? '', visible: noNewDisk, validate: check('image'), note: 'POOL/VOLUME or a path: used as it is' },
        { id: 'cloudUser', label: 'User', value: v0['cloudUser'] ?? '', visible: (v) => v['source'] === 'cloud', note: 'empty: the image\'s own', validate: (x) => (x && !/^[a-z_][a-z0-9_-]{0,31}$/.test(x) ? 'a user name: lower-case letters, digits, _ -' : '') },
        { id: 'cloudPassword', label: 'Password', secret: true, value: v0['cloudPassword'] ?? '', visible: (v) => v['source'] === 'cloud', note: 'empty: none' },
        { id: 'sshKey', label: 'SSH public key file', value: v0['sshKey'] ?? '', visible: (v) => v['source'] === 'cloud', validate: check('sshKey'), note: 'e.g. /root/.ssh/id_ed25519.pub' },
      ],
    },
    {
      title: 'New domain (3/3): disk, network, display',
      fields: [
        { id: 'disk', label: 'Disk', kind: 'choice', options: ['new', 'existing', 'none'], value: v0['disk'] ?? 'new', note: 'import/cloud: a second disk' },
        { id: 'pool', label: 'Pool', kind: 'choice', options: activePools.length ? activePools : [''], value: v0['pool'] ?? activePools[0], visible: (v) => v['disk'] === 'new', validate: check('pool'), note: poolFree },
        { id: 'size', label: 'Size', value: v0['size'] ?? '10G', visible: (v) => v['disk'] === 'new', validate: check('size'), note: (v) => [poolFree(v), 'GiB without a unit'].filter(Boolean).join('; ') },
        { id: 'format', label: 'Format', kind: 'choice', options: DISK_FORMATS, value: v0['format'] ?? 'qcow2', visible: (v) => v['disk'] === 'new' },
        { id: 'volume', label: 'Volume', value: v0['volume'] ?? '', visible: (v) => v['disk'] === 'existing', validate: check('volume'), note: 'POOL/VOLUME or a path' },
        { id: 'bus', label: 'Bus', kind: 'choice', options: DISK_BUSES, value: v0['bus'] ?? 'virtio', visible: (v) => v['disk'] !== 'none' || noNewDisk(values()) },
        { id: 'net', label: 'Network', kind: 'choice', options: NET_KINDS, value: v0['net'] ?? (f.networks.length ? 'network' : 'none') },
        { id: 'network', label: 'Libvirt network', kind: 'choice', options: f.networks.length ? f.networks : [''], value: v0['network'] ?? activeNets[0] ?? f.networks[0], visible: (v) => v['net'] === 'network', validate: check('network') },
        { id: 'bridge', label: 'Host bridge', value: v0['bridge'] ?? f.bridges?.[0] ?? '', visible: (v) => v['net'] === 'bridge', validate: check('bridge'), note: f.bridges ? (f.bridges.length ? f.bridges.join(' ') : 'this host has no bridge') : undefined },
        { id: 'model', label: 'NIC model', kind: 'choice', options: NIC_MODELS, value: v0['model'] ?? 'virtio', visible: (v) => v['net'] !== 'none' },
        { id: 'graphics', label: 'Graphics', kind: 'choice', options: GRAPHICS, value: v0['graphics'] ?? 'none', note: 'a serial console is always added' },
      ],
    },
  ];
}

/** What the `n` key needs: the screen context and the list's connection. */
export async function createDomain(ctx: ScreenContext, conn: Connection): Promise<void> {
  const missing = missingTool(['virt-install'], findProgram);
  if (missing) { await ctx.ask({ title: 'Cannot create a domain', message: [missing, 'virt-install runs on this machine, whatever the host.'], confirmLabel: 'OK', notice: true }); return; }
  conn.setStatus({ kind: 'busy', text: 'reading the host: memory, CPUs, pools, networks, OS list…' });
  // (a name typed at once would otherwise act on the list: "a" autostart, "e" edit...)
  let facts!: InstallFacts;
  await ctx.holdKeysWhile(async () => { facts = await installFacts(conn); });
  conn.setStatus({ kind: 'info', text: '' });
  let values: FormValues = {};
  let page = 0;
  const pages = () => installPages(facts, () => values);
  for (;;) {
    if (page < 3) {
      const p = pages()[page]!;
      const r = await ctx.form({ title: p.title, intro: p.intro, fields: p.fields, buttons: page ? ['Next', 'Back'] : ['Next'] });
      if (!r.submitted) return;
      values = { ...values, ...r.values };
      page += r.button === 'Back' ? -1 : 1;
      continue;
    }
    const form = toInstallForm(values);
    const problems = Object.entries(checkInstall(form, facts));
    if (problems.length) { page = 0; continue; }
    const secrets = cloudFiles(values);
    // the files go on every way out of the review: back, close, an error (a quit: privateFiles)
    let handedOver = false;
    try {
      const args = installArgs(conn.uri, { ...form, ...secrets?.paths });
      conn.setStatus({ kind: 'busy', text: 'virt-install --print-xml --dry-run…' });
      const preview = await previewInstall(args);
      conn.setStatus({ kind: 'info', text: '' });
      const command = shellLine(['virt-install', ...args]);
      const pre = [...commandLines('virt-install', args), '',
        ...(preview.ok ? preview.xml.split('\n') : [])];
      const validated = preview.validation?.skipped ? `not validated: ${preview.validation.skipped}` : 'The XML validates (virt-xml-validate).';
      const test = isTestDriver(conn.uri);
      if (!preview.ok || test) {
        const back = await ctx.ask({
          title: preview.ok ? 'virt-install cannot create it here' : 'virt-install refuses this domain', confirmLabel: 'Back to the form', cancelLabel: 'Close', pre,
          message: preview.ok ? ['The test driver\'s world lives in each connection: virt-install would create it in its own, not in this one.', validated]
            : [`virt-install --print-xml --dry-run: ${preview.error}`, 'Nothing was created.'],
        });
        if (!back.confirmed) return;
        page = 0;
        continue;
      }
      const disk = form.disk === 'new' ? `A new ${form.format} volume ${newVolumeName(form.name, form.format ?? 'qcow2')} in pool ${form.pool}.` : '';
      const go = await ctx.ask({
        title: `Create ${form.name}?`, confirmLabel: 'Create', cancelLabel: 'Back', pre,
        checkboxes: [{ id: 'console', label: 'then open its console', checked: true }],
        message: ['virt-install runs in a terminal pane (its output live; the lists go on meanwhile):', disk, validated].filter(Boolean),
      });
      if (!go.confirmed) { page = 2; continue; }
      runInstall(ctx, conn, form, args, command, !!go.checked['console'], secrets?.remove);
      handedOver = true;
      return;
    } finally {
      if (!handedOver) secrets?.remove();
    }
  }
}

/** cloud-init's files: a user-data with the user (and its password or key), or root's password */
function cloudFiles(v: FormValues): ReturnType<typeof privateFiles> & { paths: { userData?: string; passwordFile?: string } } | undefined {
  if (v['source'] !== 'cloud') return undefined;
  const user = v['cloudUser']?.trim();
  const pw = v['cloudPassword'] ?? '';
  if (!user && !pw) return undefined;
  if (!user) {
    const files = privateFiles({ 'root-password': pw });
    return { ...files, paths: { passwordFile: files.paths['root-password'] } };
  }
  const userData = ['#cloud-config', 'users:', '  - default', `  - name: ${user}`, '    sudo: ALL=(ALL) NOPASSWD:ALL', '    shell: /bin/bash',
    ...(pw ? ['    lock_passwd: false', `    plain_text_passwd: ${JSON.stringify(pw)}`] : [])].join('\n');
  const files = privateFiles({ 'user-data': `${userData}\n` });
  return { ...files, paths: { userData: files.paths['user-data'] } };
}

/** virt-install in a pane, as a job; on failure, a volume it created and left is deleted (or named). */
function runInstall(ctx: ScreenContext, conn: Connection, form: InstallForm, args: string[], command: string, console: boolean, cleanup?: () => void): void {
  const run = ctx.openProgram(conn, `virt-install ${form.name}`, 'virt-install', args);
  ctx.jobs.run({ kind: 'virt-install', host: conn.name, target: form.name, command, cancel: () => run.close() }, async (job) => {
    const r = await run.exited.finally(() => cleanup?.());
    await conn.domains.refresh();
    const made = conn.domains.domains.some((d) => d.name === form.name);
    if (r.code === 0 && made) {
      selectDomain(conn, form.name);
      conn.setStatus({ kind: 'ok', text: `virt-install: ${form.name} created` });
      if (console) await ctx.openConsole(conn, form.name);
      ctx.requestRender();
      return;
    }
    const why = r.code === null ? 'the pane was closed while it ran' : installError(r.out);
    let left = '';
    if (made) left = `; ${form.name} was defined before it ended: it is left (X undefines it)`;
    else if (form.disk === 'new') {
      // virt-install removes a disk it made when it fails, but not when it is killed
      const vol = newVolumeName(form.name, form.format ?? 'qcow2');
      const there = await conn.run(['vol-info', '--pool', form.pool!, '--vol', vol]).then(() => true, () => false);
      if (there) {
        const del = await conn.action(['vol-delete', '--pool', form.pool!, '--vol', vol], { quiet: true });
        left = del.ok ? `; the volume ${form.pool}/${vol} it created was deleted` : `; the volume ${form.pool}/${vol} it created is left: ${del.error?.line}`;
      }
    }
    job.message = `${why}${left}`;
    conn.setStatus({ kind: 'error', text: `virt-install ${form.name}: ${why}${left}` });
    ctx.requestRender();
    throw new Error(job.message);
  });
}
