// The create forms of networks and pools, and "define from an XML file".
import type { FieldSpec, FormValues } from '../src/ui/form.ts';
import { buildNetworkXml, checkNetworkForm, freeSubnet, NET_MODES, POOL_FIELDS, POOL_TYPES, poolDefineArgs, type NetworkForm, type PoolType } from '../src/libvirt/build.ts';
import type { EDIT_KINDS } from '../src/xmledit.ts';
import type { ActionHost } from './list.ts';

const MODE_NOTES: Record<string, string> = {
  nat: 'guests reach out through the host (NAT)',
  route: 'routed to the host\'s network, no NAT',
  isolated: 'guests and host only, no way out',
  open: 'no firewall rules from libvirt',
  bridge: 'guests join an existing host bridge',
};

/** `n` on the networks screen: the form, the XML, validation, define (and start). */
export async function createNetwork(host: ActionHost, existing: ReadonlyArray<{ name: string; ipv4: string }>): Promise<void> {
  const free = freeSubnet(existing.map((n) => n.ipv4).filter(Boolean));
  let values: FormValues = { name: '', mode: 'nat', bridge: '', address: free.address, prefix: '24', dhcp: free.dhcp, autostart: '' };
  const notBridge = (v: FormValues) => v['mode'] !== 'bridge';
  for (;;) {
    const check = (id: keyof NetworkForm) => (_: string, v: FormValues) => checkNetworkForm(v as unknown as NetworkForm)[id] ?? '';
    const fields: FieldSpec[] = [
      { id: 'name', label: 'Name', value: values['name'], validate: (v) => check('name')(v, { ...values, name: v }) || (existing.some((n) => n.name === v) ? 'a network of that name exists' : '') },
      { id: 'mode', label: 'Mode', kind: 'choice', options: NET_MODES, value: values['mode'] },
      { id: 'bridge', label: 'Bridge', value: values['bridge'], note: 'empty: libvirt picks virbrN', visible: notBridge, validate: check('bridge') },
      { id: 'hostBridge', label: 'Host bridge', value: values['hostBridge'] ?? 'br0', visible: (v) => !notBridge(v), validate: (v) => (v.trim() ? '' : 'the name of an existing host bridge') },
      { id: 'address', label: 'IPv4 address', value: values['address'], visible: notBridge, validate: check('address') },
      { id: 'prefix', label: 'Prefix length', value: values['prefix'], visible: notBridge, validate: check('prefix') },
      { id: 'dhcp', label: 'DHCP range', value: values['dhcp'], note: 'empty: no DHCP', visible: notBridge, validate: check('dhcp') },
      { id: 'autostart', label: 'Autostart', kind: 'check', value: values['autostart'] },
    ];
    const r = await host.form({ title: 'New network', intro: Object.entries(MODE_NOTES).map(([m, n]) => `${m.padEnd(9)}${n}`), fields, buttons: ['Define and start', 'Define'] });
    if (!r.submitted) return;
    values = { ...values, ...r.values };
    const f: NetworkForm = {
      name: values['name']!, mode: values['mode'] as NetworkForm['mode'], bridge: values['mode'] === 'bridge' ? values['hostBridge']! : values['bridge']!,
      address: values['address'] ?? '', prefix: values['prefix'] ?? '', dhcp: values['dhcp'] ?? '',
    };
    const start = r.button === 'Define and start';
    const out = await host.defineNew('network', f.name, buildNetworkXml(f), [start ? 'Then it is started.' : 'It is defined, not started (u starts it).'].concat(values['autostart'] ? ['Autostart is turned on.'] : []));
    if (out === 'back') continue;
    if (out === 'defined') {
      if (values['autostart']) await host.action(['net-autostart', '--network', f.name]);
      if (start) await host.action(['net-start', '--network', f.name]);
    }
    return;
  }
}

/** `F`: define a network, pool or domain from an XML file on this machine. */
export async function defineFromFile(host: ActionHost, kind: keyof typeof EDIT_KINDS): Promise<void> {
  let path = '';
  for (;;) {
    const r = await host.form({ title: `Define a ${kind} from an XML file`, fields: [{ id: 'path', label: 'XML file', value: path, note: 'a path on this machine' }], buttons: ['Read'] });
    if (!r.submitted) return;
    path = r.values['path']!.trim();
    let xml: string;
    try {
      xml = host.readFile(path.replace(/^~(?=\/)/, process.env.HOME ?? '~'));
    } catch (e) {
      await host.ask({ title: 'Cannot read the file', message: [`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`], confirmLabel: 'Back' });
      continue;
    }
    const name = /<name>([^<]*)<\/name>/.exec(xml)?.[1] ?? path;
    const out = await host.defineNew(kind, name, xml);
    if (out !== 'back') return;
  }
}

const POOL_NOTES: Record<PoolType, string> = {
  dir: 'a directory on the host',
  fs: 'a block device with a filesystem, mounted on the target',
  netfs: 'an NFS export, mounted on the target',
  logical: 'an LVM volume group (source name; devices to build it)',
  disk: 'a whole disk; volumes are its partitions',
};
const POOL_LABELS: Record<string, [string, string]> = {
  sourceHost: ['Source host', 'e.g. nfs.example.com'],
  sourcePath: ['Source path', 'the export, e.g. /srv/images'],
  sourceDev: ['Source device', 'e.g. /dev/sdb'],
  sourceName: ['Volume group', 'the VG name'],
  sourceFormat: ['Source format', 'e.g. ext4, nfs, gpt (empty: auto)'],
  target: ['Target path', 'where it appears on the host'],
};

/** what pool-build destroys, by type (dir only makes a directory) */
export const BUILD_WARNINGS: Partial<Record<PoolType, (dev: string) => string>> = {
  fs: (d) => `pool-build makes a new filesystem on ${d}: everything on ${d} is lost.`,
  disk: (d) => `pool-build writes a new partition table on ${d}: every partition and file on ${d} is lost.`,
  logical: (d) => `pool-build creates the volume group ${d} on its devices: what they hold is lost.`,
};

/** `n` on the pools screen: pool-define-as from a form whose fields follow the type. */
export async function createPool(host: ActionHost, existing: ReadonlyArray<{ name: string }>): Promise<void> {
  const has = (t: string, f: string) => (POOL_FIELDS[t as PoolType] ?? []).includes(f);
  const fields: FieldSpec[] = [
    { id: 'name', label: 'Name', validate: (v) => (!v.trim() ? 'a name is needed' : v.includes('/') ? 'no / in a pool name' : existing.some((p) => p.name === v) ? 'a pool of that name exists' : '') },
    { id: 'type', label: 'Type', kind: 'choice', options: POOL_TYPES },
    ...Object.entries(POOL_LABELS).map(([id, [label, note]]): FieldSpec => ({
      id, label, note, value: id === 'target' ? '/var/lib/libvirt/images/' : '', visible: (v) => has(v['type']!, id),
      validate: (val, v) => {
        const required = id === 'target' ? v['type'] !== 'logical' && v['type'] !== 'disk' : id === 'sourceHost' || id === 'sourcePath' || (id === 'sourceDev' && v['type'] !== 'logical') || (id === 'sourceName' && v['type'] === 'logical');
        if (required && !val.trim()) return 'needed for this type';
        if ((id === 'target' || id === 'sourcePath' || id === 'sourceDev') && val.trim() && !val.trim().startsWith('/')) return 'an absolute path';
        return '';
      },
    })),
    { id: 'build', label: 'Build it', kind: 'check', value: '', note: 'pool-build: make the directory, format the device or create the VG' },
    { id: 'autostart', label: 'Autostart', kind: 'check', value: 'yes' },
  ];
  const r = await host.form({ title: 'New storage pool', intro: POOL_TYPES.map((t) => `${t.padEnd(9)}${POOL_NOTES[t]}`), fields, buttons: ['Define and start', 'Define'] });
  if (!r.submitted) return;
  const v = r.values;
  const def = await host.action(poolDefineArgs(v));
  if (!def.ok) return;
  if (v['build']) {
    const warn = BUILD_WARNINGS[v['type'] as PoolType];
    if (warn) {
      const dev = v['sourceDev'] || v['sourceName'] || v['name']!;
      const ok = await host.ask({ title: `Build pool ${v['name']}`, dangerous: true, confirmLabel: 'Build', typeToConfirm: dev, message: [warn(dev), 'The pool stays defined either way.'] });
      if (!ok.confirmed) return;
    }
    const b = await host.action(['pool-build', '--pool', v['name']!], { timeoutMs: 600_000 });
    if (!b.ok) return;
  }
  if (v['autostart']) await host.action(['pool-autostart', '--pool', v['name']!]);
  if (r.button === 'Define and start') await host.action(['pool-start', '--pool', v['name']!]);
}
