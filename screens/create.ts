// The create forms of networks and pools, and "define from an XML file".
import type { FieldSpec, FormValues } from '../src/ui/form.ts';
import { buildNetworkXml, checkNetworkForm, checkNewName, freeSubnet, ipText, ipv4, maskOf, NET_MODES, overlappingNetwork, POOL_FIELDS, POOL_TYPES, poolDefineArgs, type NetworkForm, type PoolType } from '../src/libvirt/build.ts';
import { shellLine } from '../src/virsh/quote.ts';
import { ipv4Subnets } from '../src/libvirt/netxml.ts';
import type { EDIT_KINDS } from '../src/xmledit.ts';
import type { ActionHost } from './kit/list.ts';

const MODE_NOTES: Record<string, string> = {
  nat: 'guests reach out through the host (NAT)',
  route: 'routed to the host\'s network, no NAT',
  isolated: 'guests and host only, no way out',
  open: 'no firewall rules from libvirt',
  bridge: 'guests join an existing host bridge',
};

/** `n` on the networks screen: the form, the XML, validation, define (and start). */
export async function createNetwork(host: ActionHost, existing: ReadonlyArray<{ name: string; ipv4: string }>, bridges?: () => Promise<string[] | null>): Promise<void> {
  const free = freeSubnet(existing.map((n) => n.ipv4).filter(Boolean));
  // the host's own bridges for bridge mode (libvirt's virbrN belong to its networks: last)
  const known = (await bridges?.().catch(() => null)) ?? null;
  const hostBridges = known && [...known.filter((b) => !/^virbr/.test(b)), ...known.filter((b) => /^virbr/.test(b))];
  let values: FormValues = { name: '', mode: 'nat', bridge: '', address: free.address, prefix: '24', dhcp: free.dhcp, autostart: '' };
  const notBridge = (v: FormValues) => v['mode'] !== 'bridge';
  for (;;) {
    const check = (id: keyof NetworkForm) => (_: string, v: FormValues) => checkNetworkForm(v as unknown as NetworkForm)[id] ?? '';
    const fields: FieldSpec[] = [
      { id: 'name', label: 'Name', value: values['name'], validate: (v) => check('name')(v, { ...values, name: v }) || (existing.some((n) => n.name === v) ? 'a network of that name exists' : '') },
      { id: 'mode', label: 'Mode', kind: 'choice', options: NET_MODES, value: values['mode'] },
      { id: 'bridge', label: 'Bridge', value: values['bridge'], note: 'empty: libvirt picks virbrN', visible: notBridge, validate: check('bridge') },
      {
        id: 'hostBridge', label: 'Host bridge', value: values['hostBridge'] ?? hostBridges?.[0] ?? 'br0', visible: (v) => !notBridge(v),
        note: hostBridges ? (hostBridges.length ? `on this host: ${hostBridges.join(' ')}` : 'this host has no bridge') : undefined,
        validate: (v) => (!v.trim() ? 'the name of an existing host bridge'
          : hostBridges && !hostBridges.includes(v.trim()) ? `no bridge ${v.trim()} on this host${hostBridges.length ? ` (${hostBridges.join(', ')})` : ''}` : ''),
      },
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
    if (f.mode !== 'bridge') {
      // libvirt defines a network whose subnet another one has, then cannot start it: refuse first
      const others = await Promise.all(existing.map(async (n) => ({
        name: n.name,
        subnets: await host.run(['net-dumpxml', '--network', n.name]).then(ipv4Subnets).catch(() => (n.ipv4 ? [n.ipv4] : [])),
      })));
      const hit = overlappingNetwork(f.address, Number(f.prefix), others);
      if (hit) {
        const back = await host.ask({
          title: 'The subnet is in use', confirmLabel: 'Back to the form', cancelLabel: 'Close',
          message: [`${ipText((ipv4(f.address)! & maskOf(Number(f.prefix))) >>> 0)}/${Number(f.prefix)} overlaps network ${hit.name} (${hit.subnet}).`,
            'libvirt would define it and then fail to start it. Nothing was defined: choose another address.'],
        });
        if (back.confirmed) continue;
        return;
      }
    }
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
      await host.ask({ title: 'Cannot read the file', local: true, message: [`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`], confirmLabel: 'Back', notice: true });
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

/** where a new pool's files go when the form leaves the target empty */
export const poolTargetDefault = (name: string) => `/var/lib/libvirt/images/${name || 'NAME'}`;

/**
 * `n` on the pools screen: pool-define-as from a form whose fields follow the type, shown as the
 * command it runs and confirmed (Back returns to the form) before it is defined.
 */
export async function createPool(host: ActionHost, existing: ReadonlyArray<{ name: string; path?: string }>): Promise<void> {
  const has = (t: string, f: string) => (POOL_FIELDS[t as PoolType] ?? []).includes(f);
  // the target, the default filled in: dir, fs and netfs pools need one, and none may share it
  const target = (v: FormValues) => (has(v['type']!, 'target') ? v['target']?.trim() || (v['type'] === 'logical' || v['type'] === 'disk' ? '' : poolTargetDefault(v['name']!.trim())) : '');
  const taken = (v: FormValues) => {
    const t = target(v).replace(/\/+$/, '');
    const other = t ? existing.find((p) => p.path && p.path.replace(/\/+$/, '') === t) : undefined;
    return other ? `pool ${other.name} uses ${t} already` : '';
  };
  let values: FormValues = { type: POOL_TYPES[0]!, build: '', autostart: 'yes' };
  for (;;) {
    const fields: FieldSpec[] = [
      { id: 'name', label: 'Name', value: values['name'], validate: (v) => checkNewName(v, 'pool') || (existing.some((p) => p.name === v) ? 'a pool of that name exists' : '') },
      { id: 'type', label: 'Type', kind: 'choice', options: POOL_TYPES, value: values['type'] },
      ...Object.entries(POOL_LABELS).map(([id, [label, note]]): FieldSpec => ({
        id, label, value: values[id] ?? '', visible: (v) => has(v['type']!, id),
        note: id === 'target' ? 'empty: /var/lib/libvirt/images/NAME' : note,
        validate: (val, v) => {
          const required = id === 'sourceHost' || id === 'sourcePath' || (id === 'sourceDev' && v['type'] !== 'logical') || (id === 'sourceName' && v['type'] === 'logical');
          if (required && !val.trim()) return 'needed for this type';
          if ((id === 'target' || id === 'sourcePath' || id === 'sourceDev') && val.trim() && !val.trim().startsWith('/')) return 'an absolute path';
          return id === 'target' ? taken(v) : '';
        },
      })),
      { id: 'build', label: 'Build it', kind: 'check', value: values['build'], note: 'pool-build: make the directory, format the device or create the VG' },
      { id: 'autostart', label: 'Autostart', kind: 'check', value: values['autostart'] },
    ];
    const r = await host.form({ title: 'New storage pool', intro: POOL_TYPES.map((t) => `${t.padEnd(9)}${POOL_NOTES[t]}`), fields, buttons: ['Define and start', 'Define'] });
    if (!r.submitted) return;
    values = { ...values, ...r.values };
    const v: FormValues = { ...r.values, target: target(r.values) };
    const name = v['name']!;
    const args = poolDefineArgs(v);
    const start = r.button === 'Define and start';
    const then = [v['build'] ? `Then it is built (pool-build${BUILD_WARNINGS[v['type'] as PoolType] ? ', which asks first' : ''}).` : '',
      v['autostart'] ? 'Autostart is turned on.' : '', start ? 'Then it is started.' : 'It is defined, not started (u starts it).'].filter(Boolean);
    const go = await host.ask({ title: `Define pool ${name}?`, message: ['virsh runs:', ...then], pre: [shellLine(['virsh', ...args])], confirmLabel: 'Define', cancelLabel: 'Back' });
    if (!go.confirmed) continue;
    const def = await host.action(args);
    if (!def.ok) return;
    if (v['build']) {
      const warn = BUILD_WARNINGS[v['type'] as PoolType];
      const dev = v['sourceDev'] || v['sourceName'] || name;
      // No keeps the pool as it is (a device that has its filesystem already works unbuilt):
      // autostart and start still follow, as the question says
      const ok = warn ? (await host.ask({ title: `Build pool ${name}`, dangerous: true, confirmLabel: 'Build', cancelLabel: 'Do not build', typeToConfirm: dev,
        message: [warn(dev), `Do not build: ${dev} is left as it is, and the pool is ${[v['autostart'] ? 'set to autostart' : '', start ? 'started' : ''].filter(Boolean).join(' and ') || 'only defined'} all the same.`] })).confirmed : true;
      if (ok && !(await host.action(['pool-build', '--pool', name], { timeoutMs: 600_000 })).ok) return;
    }
    if (v['autostart']) await host.action(['pool-autostart', '--pool', name]);
    if (start) await host.action(['pool-start', '--pool', name]);
    return;
  }
}
