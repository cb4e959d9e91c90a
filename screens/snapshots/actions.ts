// What can be done with a domain's snapshots, by key.
import type { Snapshot } from '../../src/model/snapshots.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { KindCreate } from '../kit/kind.ts';
import { descendants } from '../../src/libvirt/snapxml.ts';
import type { ActionHost } from '../kit/list.ts';
import { domjobOf, virshJob } from '../jobs/run.ts';

export interface SnapshotCtx {
  host: ActionHost;
  snap: Snapshot | undefined;
  domain: string;
  /** the domain as --domain names it (its UUID when virsh would read its name as an ID); the name when not given */
  target?: string;
  /** the domain's state now ("running", "shut off" ...) */
  domainState: string;
  snapshots: readonly Snapshot[];
}

/** "snap-20261122-101500" in local time */
export function snapName(prefix: string, d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${prefix}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

const SNAPSHOT_TIMEOUT = 1_800_000;

async function createSnapshot(c: SnapshotCtx): Promise<void> {
  const running = c.domainState === 'running' || c.domainState === 'paused';
  const r = await c.host.form({
    title: `New snapshot of ${c.domain}`,
    intro: [running ? `${c.domain} is ${c.domainState}: the snapshot keeps its memory too, unless it is disk-only.` : `${c.domain} is ${c.domainState}: the snapshot keeps its disks.`],
    fields: [
      { id: 'name', label: 'Name', value: snapName('snap'), validate: (v) => (!v.trim() ? 'a name is needed' : c.snapshots.some((s) => s.name === v) ? 'a snapshot of that name exists' : v.includes('/') ? 'a snapshot name cannot contain /' : '') },
      { id: 'description', label: 'Description' },
      { id: 'diskOnly', label: 'Disk only', kind: 'check', note: 'external overlay files, no memory' },
    ],
    buttons: ['Take snapshot'],
  });
  if (!r.submitted) return;
  const v = r.values;
  const args = ['snapshot-create-as', '--domain', c.target ?? c.domain, '--name', v['name']!];
  if (v['description']) args.push('--description', v['description']);
  if (v['diskOnly']) args.push('--disk-only', '--atomic');
  // its memory is written out while the guest waits: a job, which libvirt cannot abort (an internal snapshot)
  if (running && !v['diskOnly']) virshJob(c.host, { kind: 'snapshot', target: `${c.domain}/${v['name']!}`, progress: domjobOf(c.host, c.target ?? c.domain) }, args, SNAPSHOT_TIMEOUT);
  else await c.host.action(args, { timeoutMs: SNAPSHOT_TIMEOUT, long: true });
}

async function revertSnapshot(c: SnapshotCtx): Promise<void> {
  const s = c.snap!;
  const safety = snapName('before-revert');
  const r = await c.host.ask({
    title: `Revert ${c.domain} to ${s.name}`, dangerous: true, confirmLabel: 'Revert',
    message: [
      `Revert ${c.domain} to snapshot ${s.name} (taken ${s.created}).`,
      `What ${c.domain} holds now is lost: every disk change since then${c.domainState === 'running' || c.domainState === 'paused' ? ', and its running memory' : ''}.`,
      s.memory ? `It comes back ${s.state} as it was.` : `The snapshot has no memory: it comes back ${s.state === 'running' ? 'booting from its disks' : 'shut off'}.`,
    ],
    checkboxes: [{ id: 'safety', label: `first take a safety snapshot of the present state: ${safety}`, checked: true }],
  });
  if (!r.confirmed) return;
  if (r.checked['safety']) {
    const made = await c.host.action(['snapshot-create-as', '--domain', c.target ?? c.domain, '--name', safety, '--description', `taken by virtui before reverting to ${s.name}`], { timeoutMs: SNAPSHOT_TIMEOUT, long: true });
    // no safety net, no revert
    if (!made.ok) return;
  }
  await c.host.action(['snapshot-revert', '--domain', c.target ?? c.domain, '--snapshotname', s.name], { timeoutMs: SNAPSHOT_TIMEOUT, long: true });
}

async function deleteSnapshot(c: SnapshotCtx): Promise<void> {
  const s = c.snap!;
  const kids = descendants(c.snapshots, s.name);
  const r = await c.host.ask({
    title: `Delete snapshot ${s.name}`, dangerous: true, confirmLabel: 'Delete',
    message: [`Delete snapshot ${s.name} of ${c.domain} (taken ${s.created}): you can no longer revert to it.`,
      kids.length ? `It has ${kids.length} descendant${kids.length > 1 ? 's' : ''}: ${kids.map((k) => k.name).join(', ')}. Unless ${kids.length > 1 ? 'they go too, they are' : 'it goes too, it is'} kept and attached to ${s.parent ? s.parent : 'no parent (becomes a root)'}.` : 'It has no children.'],
    checkboxes: kids.length ? [{ id: 'children', label: `also delete its ${kids.length} descendant${kids.length > 1 ? 's' : ''}`, checked: false }] : [],
  });
  if (!r.confirmed) return;
  await c.host.action(['snapshot-delete', '--domain', c.target ?? c.domain, '--snapshotname', s.name, ...(r.checked['children'] ? ['--children'] : [])], { timeoutMs: SNAPSHOT_TIMEOUT, long: true });
}

export const SNAPSHOT_ACTIONS: KeyAction<SnapshotCtx>[] = [
  { keys: ['enter'], label: 'details', help: 'details: the snapshot and its XML', when: (c) => !!c.snap, run: (c) => c.host.openDetail(c.snap!.name) },
  { keys: ['r'], label: 'revert', help: 'revert the domain to this snapshot (asks; offers a safety snapshot first)', mutates: true, dangerous: true, bulk: false, when: (c) => !!c.snap, run: revertSnapshot },
  { keys: ['X'], label: 'delete', help: 'delete the snapshot (asks; with or without its children)', mutates: true, dangerous: true, when: (c) => !!c.snap, run: deleteSnapshot },
];

/** `n`: take one; not without its domain */
export const SNAPSHOT_CREATE: KindCreate<SnapshotCtx> = {
  key: 'n', help: 'take a snapshot (name, description, disk only)', when: (c) => c.domainState !== '', run: createSnapshot,
};
