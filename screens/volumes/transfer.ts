// Between a file on this machine and a volume (virsh vol-upload / vol-download), as jobs: the
// bytes go through virsh's stream, so the volume may be on another host.
import { basename } from 'node:path';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { Volume } from '../../src/model/volumes.ts';
import { localFile, sizeNow } from '../../src/model/localfile.ts';
import { bytesProgress, parseVolInfoBytes } from '../../src/libvirt/storagejobs.ts';
import { humanBytes } from '../../src/libvirt/units.ts';
import { virshJob, volumeGrowth } from '../jobs/run.ts';
import type { VolumeCtx } from './actions.ts';
import { usedByText } from './columns.ts';

/** a volume name: the same rules as the new-volume form's */
export function volumeNameCheck(v: string): string {
  return !v.trim() ? 'a name is needed' : v.includes('/') ? 'a volume name cannot contain /' : v !== v.trim() ? 'no spaces at its ends' : '';
}

/** the local file an upload reads: there, a file, not empty */
export function uploadFileCheck(path: string): string {
  if (!path.trim()) return 'a file is needed';
  const f = localFile(path);
  return !f.exists ? `no such file: ${f.path}` : !f.isFile ? 'not a file' : f.size === 0 ? 'the file is empty' : '';
}

/** the local file a download writes: its directory there, not a directory itself */
export function downloadFileCheck(path: string): string {
  if (!path.trim()) return 'a file is needed';
  const f = localFile(path);
  return !f.dirExists ? `its directory does not exist: ${f.path}` : f.exists && !f.isFile ? 'not a file' : '';
}

const running = (v: Volume) => v.usedBy.filter((u) => u.running).map((u) => u.domain);

async function upload(c: VolumeCtx): Promise<void> {
  const r = await c.host.form({
    title: `Upload a file into pool ${c.pool}`,
    intro: ['A file on this machine becomes a volume (a new one of its exact size, or one that exists, overwritten).', 'A qcow2 file stays qcow2: the pool is rescanned after.'],
    fields: [
      { id: 'file', label: 'Local file', validate: uploadFileCheck },
      { id: 'name', label: 'Volume', note: 'empty: the file\'s name', validate: (v, all) => (v ? volumeNameCheck(v) : all['file'] ? volumeNameCheck(basename(all['file'])) : '') },
    ],
    buttons: ['Upload'],
  });
  if (!r.submitted) return;
  const f = localFile(r.values['file']!);
  const name = r.values['name'] || basename(f.path);
  const existing = c.volumes.find((v) => v.name === name);
  if (existing) {
    const busy = running(existing);
    if (busy.length) {
      await c.host.ask({ title: `Upload into ${name}`, confirmLabel: 'OK', notice: true, message: [`${name} is a disk of ${busy.join(', ')}, which ${busy.length > 1 ? 'are' : 'is'} running: it cannot be overwritten under ${busy.length > 1 ? 'them' : 'it'}.`] });
      return;
    }
    const ok = await c.host.ask({
      title: `Overwrite volume ${name}`, dangerous: true, confirmLabel: 'Overwrite', typeToConfirm: existing.usedBy.length ? name : undefined,
      message: [`${name} exists in pool ${c.pool}: its data is replaced by ${f.path} (${humanBytes(f.size)}).`, ...(existing.usedBy.length ? [`It is used by ${usedByText(existing)}.`] : [])],
    });
    if (!ok.confirmed) return;
  }
  const create = ['vol-create-as', '--pool', c.pool, '--name', name, '--capacity', String(f.size), '--format', 'raw', '--allocation', '0'];
  const up = ['vol-upload', '--pool', c.pool, '--vol', name, '--file', f.path];
  let made = false;
  virshJob(c.host, {
    kind: 'vol-upload', target: `${c.pool}/${name}`, message: () => `${humanBytes(f.size)} from ${f.path}`, progress: volumeGrowth(c.host, c.pool, name, f.size), cancel: 'kill',
    cancelNote: existing ? `virsh stops sending: ${name} is left partly overwritten.` : `virsh stops sending, and the new volume ${name} is deleted.`,
    before: existing ? undefined : async () => {
      const m = await c.host.action(create);
      if (!m.ok) throw m.error;
      made = true;
    },
    // libvirt looks at what the file holds (qcow2 or raw) when it scans the pool; a volume
    // made for an upload that did not happen is worth nothing
    after: (ok) => (ok ? c.host.action(['pool-refresh', '--pool', c.pool], { quiet: true }) : made ? c.host.action(['vol-delete', '--pool', c.pool, '--vol', name], { quiet: true }) : Promise.resolve()),
  }, up, 24 * 3_600_000);
}

async function download(c: VolumeCtx): Promise<void> {
  const v = c.vol!;
  const r = await c.host.form({
    title: `Download volume ${v.name}`,
    intro: [`Its bytes${v.format ? ` (${v.format}, as the pool stores it)` : ''} go into a file on this machine.`, ...(running(v).length ? [`It is a disk of ${running(v).join(', ')}, which is running: the copy may be inconsistent.`] : [])],
    fields: [{ id: 'file', label: 'Local file', value: v.name, note: 'relative to virtui\'s working directory', validate: downloadFileCheck }],
    buttons: ['Download'],
  });
  if (!r.submitted) return;
  const f = localFile(r.values['file']!);
  if (f.exists) {
    const ok = await c.host.ask({ title: `Replace ${f.path}`, local: true, dangerous: true, confirmLabel: 'Replace', message: [`${f.path} exists (${humanBytes(f.size)}): the download replaces it.`] });
    if (!ok.confirmed) return;
  }
  // what the stream will send: the file's length (physical), not the guest's capacity
  let total = v.allocation ?? v.capacity ?? 0;
  virshJob(c.host, {
    kind: 'vol-download', target: `${c.pool}/${v.name}`, message: () => `${humanBytes(sizeNow(f.path))} into ${f.path}`, progress: async () => (total ? bytesProgress(sizeNow(f.path), total) : null), cancel: 'kill',
    cancelNote: `virsh stops receiving: ${f.path} is left with part of the volume (delete it).`,
    before: async () => {
      try { total = parseVolInfoBytes(await c.host.run(['vol-info', '--pool', c.pool, '--vol', v.name, '--bytes', '--physical'])).physical ?? total; } catch { /* the list's allocation stands in */ }
    },
  }, ['vol-download', '--pool', c.pool, '--vol', v.name, '--file', f.path], 24 * 3_600_000);
}

export const TRANSFER_KEYS: KeyAction<VolumeCtx>[] = [
  { keys: ['u'], label: 'upload', help: 'upload a local file into a new volume (its exact size) or over one (vol-upload; a job: J)', mutates: true, bulk: false, when: (c) => c.poolActive, run: upload },
  {
    keys: ['D'], label: 'download', help: 'download the volume into a local file (vol-download; a job: J)', mutates: true, bulk: false,
    when: (c) => !!c.vol && c.poolActive && (c.vol.type === 'file' || c.vol.type === 'block'), run: download,
  },
];
