// What can be done to a volume, by key. Every change is one virsh vol-* command.
import type { Volume } from '../../src/model/volumes.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { KindCreate } from '../kit/kind.ts';
import { exactSize, humanKiB, parseSize } from '../../src/ui/text.ts';
import type { FieldSpec } from '../../src/ui/form.ts';
import { confirmThen, type ActionHost } from '../kit/list.ts';
import { usedByText } from './columns.ts';
import { virshJob, volumeGrowth } from '../jobs/run.ts';
import { TRANSFER_KEYS } from './transfer.ts';
import { QEMU_IMG_KEYS } from './qemuimg.ts';

export interface VolumeCtx {
  host: ActionHost;
  vol: Volume | undefined;
  pool: string;
  /** the pool is active (volumes can be listed and changed) */
  poolActive: boolean;
  /** bytes free in the pool, when libvirt says */
  poolFree?: number;
  volumes: readonly Volume[];
}

export { parseSize, exactSize };

const sizeCheck = (v: string) => (parseSize(v) === undefined ? 'a size such as 10G, 512M or 1.5T' : parseSize(v)! <= 0n ? 'must be more than 0' : '');
const nameCheck = (existing: readonly Volume[]) => (v: string) =>
  !v.trim() ? 'a name is needed' : v.includes('/') ? 'a volume name cannot contain /' : existing.some((x) => x.name === v) ? 'a volume of that name exists' : '';

/** bytes as "1.5 TiB" (a BigInt only loses precision here, where it is shown rounded anyway) */
const human = (b: bigint | number) => humanKiB(Number(b) / 1024);

/**
 * A size beyond the pool's free space asks first (a sparse volume may fit today and fill the pool
 * later; a preallocated one fails): true when it may go on.
 */
async function roomFor(c: VolumeCtx, bytes: bigint, what: string): Promise<boolean> {
  if (c.poolFree === undefined || bytes <= BigInt(Math.floor(c.poolFree))) return true;
  const r = await c.host.ask({
    title: `${what}: more than pool ${c.pool} has free`, confirmLabel: 'Go on', cancelLabel: 'Back',
    message: [`${what} asks for ${human(bytes)} (${bytes} bytes); pool ${c.pool} has ${human(c.poolFree)} free.`,
      'A sparse volume is created anyway and fails later, when the guest writes past what is free; a preallocated one fails now.'],
  });
  return r.confirmed;
}

const users = (v: Volume) => (v.usedBy.length ? `It is used by ${usedByText(v)}${v.usedBy.some((u) => u.running) ? ', which is running' : ''}.` : '');

async function createVolume(c: VolumeCtx): Promise<void> {
  const backings = ['(none)', ...c.volumes.map((v) => v.name)];
  const fields: FieldSpec[] = [
    { id: 'name', label: 'Name', validate: nameCheck(c.volumes) },
    { id: 'format', label: 'Format', kind: 'choice', options: ['qcow2', 'raw'] },
    { id: 'capacity', label: 'Capacity', value: '10G', note: 'e.g. 512M, 10G, 1.5T', validate: sizeCheck },
    { id: 'prealloc', label: 'Preallocate', kind: 'check', note: 'off: a sparse file that grows as the guest writes' },
    { id: 'backing', label: 'Backing volume', kind: 'choice', options: backings, note: 'qcow2 only: a copy-on-write overlay', visible: (v) => v['format'] === 'qcow2' },
  ];
  const r = await c.host.form({ title: `New volume in pool ${c.pool}`, fields, buttons: ['Create'] });
  if (!r.submitted) return;
  const v = r.values;
  if (!(await roomFor(c, parseSize(v['capacity']!)!, `Volume ${v['name']}`))) return;
  const args = ['vol-create-as', '--pool', c.pool, '--name', v['name']!, '--capacity', String(parseSize(v['capacity']!)), '--format', v['format']!];
  // vol-create-as allocates the whole capacity unless told otherwise
  if (!v['prealloc']) args.push('--allocation', '0');
  else if (v['format'] === 'qcow2') args.push('--prealloc-metadata');
  const back = v['backing'] && v['backing'] !== '(none)' ? c.volumes.find((x) => x.name === v['backing']) : undefined;
  if (back) args.push('--backing-vol', back.path || back.name, '--backing-vol-format', back.format || 'raw');
  await c.host.action(args, { timeoutMs: 600_000 });
}

async function cloneVolume(c: VolumeCtx): Promise<void> {
  const src = c.vol!;
  const dot = src.name.lastIndexOf('.');
  const suggestion = dot > 0 ? `${src.name.slice(0, dot)}-clone${src.name.slice(dot)}` : `${src.name}-clone`;
  const r = await c.host.form({
    title: `Clone volume ${src.name}`, intro: [`A full copy of ${src.name} (${humanKiB((src.capacity ?? 0) / 1024)}) in pool ${c.pool}.`, ...(src.usedBy.some((u) => u.running) ? [`${users(src)} A copy of a disk in use may be inconsistent.`] : [])],
    fields: [{ id: 'name', label: 'New name', value: suggestion, validate: nameCheck(c.volumes) }], buttons: ['Clone'],
  });
  if (!r.submitted) return;
  const name = r.values['name']!;
  virshJob(c.host, {
    kind: 'vol-clone', target: `${c.pool}/${src.name}`, progress: volumeGrowth(c.host, c.pool, name, src.allocation ?? src.capacity ?? 0), cancel: 'kill',
    cancelNote: `This ends virtui's virsh process only: libvirt cannot abort a clone, libvirtd goes on copying into ${name} until it is done (delete ${name} afterwards if you do not want it).`,
  }, ['vol-clone', '--pool', c.pool, '--vol', src.name, '--newname', name], 3_600_000);
}

async function resizeVolume(c: VolumeCtx): Promise<void> {
  const v = c.vol!;
  const now = BigInt(Math.round(v.capacity ?? 0));
  const r = await c.host.form({
    title: `Resize volume ${v.name}`, intro: [`Capacity now: ${human(now)} (${now} bytes).`, 'Growing is safe; the guest must still grow its partition and filesystem.'],
    fields: [{ id: 'capacity', label: 'New capacity', value: exactSize(now), validate: sizeCheck }],
    buttons: ['Resize'],
  });
  if (!r.submitted) return;
  const bytes = parseSize(r.values['capacity']!)!;
  if (bytes === now) return;
  if (bytes < now) {
    await confirmThen(c, {
      title: `Shrink volume ${v.name}`, confirmLabel: 'Shrink', typeToConfirm: v.name,
      message: [`Shrink ${v.name} from ${human(now)} to ${human(bytes)}: everything past the new end is cut off. This can destroy the filesystem on it and cannot be undone.`, users(v)].filter(Boolean),
    }, ['vol-resize', '--pool', c.pool, '--vol', v.name, '--capacity', String(bytes), '--shrink']);
    return;
  }
  if (!(await roomFor(c, bytes - now, `Growing ${v.name}`))) return;
  await c.host.action(['vol-resize', '--pool', c.pool, '--vol', v.name, '--capacity', String(bytes)]);
}

export const VOLUME_ACTIONS: KeyAction<VolumeCtx>[] = [
  { keys: ['enter'], label: 'details', help: 'details: the volume, its XML and qemu-img info of the whole backing chain', when: (c) => !!c.vol, run: (c) => c.host.openDetail(c.vol!.name) },
  {
    keys: ['g'], label: 'guestfish', help: 'guestfish on the volume in a pane: read-only while a running domain uses it; read-write after asking',
    when: (c) => !!c.vol && !!c.vol.path && c.poolActive && c.vol.type !== 'dir',
    run: (c) => c.host.openGuestfish({ kind: 'volume', name: c.vol!.name, path: c.vol!.path, format: c.vol!.format }, c.vol!.usedBy.some((u) => u.running), usedByText(c.vol!)),
  },
  { keys: ['C'], label: 'clone', help: 'clone the volume (vol-clone: a full copy)', mutates: true, bulk: false, when: (c) => !!c.vol && c.poolActive, run: cloneVolume },
  { keys: ['r'], label: 'resize', help: 'resize: grow; shrinking asks and says it can destroy data', mutates: true, dangerous: true, bulk: false, when: (c) => !!c.vol && c.poolActive, run: resizeVolume },
  {
    keys: ['W'], label: 'wipe', help: 'wipe: overwrite all its data with zeros (asks)', mutates: true, dangerous: true, when: (c) => !!c.vol && c.poolActive,
    run: async (c) => {
      const v = c.vol!;
      const r = await c.host.ask({
        title: `Wipe volume ${v.name}`, confirmLabel: 'Wipe', typeToConfirm: v.usedBy.length ? v.name : undefined, dangerous: true,
        message: [`Wipe ${v.name}: all its data (${humanKiB((v.capacity ?? 0) / 1024)}) is overwritten with zeros. It cannot be undone.`, users(v)].filter(Boolean),
      });
      if (!r.confirmed) return;
      virshJob(c.host, {
        kind: 'vol-wipe', target: `${c.pool}/${v.name}`, cancel: 'kill',
        cancelNote: `This ends virtui's virsh process only: libvirt cannot abort a wipe, libvirtd goes on overwriting ${v.name} until it is done; its data is partly gone already.`,
      }, ['vol-wipe', '--pool', c.pool, '--vol', v.name], 3_600_000);
    },
  },
  ...TRANSFER_KEYS,
  ...QEMU_IMG_KEYS,
  {
    keys: ['X'], label: 'delete', help: 'delete the volume and its data (asks; names the domains using it)', mutates: true, dangerous: true, when: (c) => !!c.vol && c.poolActive,
    run: (c) => confirmThen(c, {
      title: `Delete volume ${c.vol!.name}`, confirmLabel: 'Delete', typeToConfirm: c.vol!.usedBy.length ? c.vol!.name : undefined,
      message: [`Delete ${c.vol!.name} and its data: ${c.vol!.path || c.vol!.name} is removed.`,
        c.vol!.usedBy.length ? `${users(c.vol!)} Those domains will not find this disk any more.` : 'No domain uses it.'],
    }, ['vol-delete', '--pool', c.pool, '--vol', c.vol!.name]),
  },
];

/** `n`: the create form (the kit offers it only while the pool is active: its list can be read) */
export const VOLUME_CREATE: KindCreate<VolumeCtx> = {
  key: 'n', help: 'create a volume (name, qcow2 or raw, capacity, optional backing volume)', run: createVolume,
};
