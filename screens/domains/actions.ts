// What can be done to a domain, by key, offered only when its state allows it (DESIGN rules 2, 3).
import type { Domain } from '../../src/libvirt/types.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import { autostartKeys, confirmThen, editKey, type ActionHost } from '../kit/list.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import { domjobAbort, domjobOf, virshJob } from '../jobs/run.ts';
import { SAVE_FILE_KEYS } from './savefile.ts';
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import { INSTALL_KEYS } from '../install/keys.ts';

export type { ActionHost };

/** `ctx`, `conn`: the list's own (the new, clone and rename forms need the host's stores) */
export interface DomainCtx { host: ActionHost; dom: Domain | undefined; ctx?: ScreenContext; conn?: Connection }

const active = (d: Domain | undefined) => !!d && d.id !== null;
/** QEMU is the driver that can wake a guest from pmsuspended (virDomainPMWakeup); the test driver, LXC, Xen ... cannot */
const canWake = (c: DomainCtx) => /^qemu(\+[a-z0-9]+)?:/i.test(c.host.uri);
const is = (...states: string[]) => (c: DomainCtx) => !!c.dom && states.includes(c.dom.state);

async function snapshotCount(c: DomainCtx, name: string): Promise<number> {
  try {
    return (await c.host.run(['snapshot-list', '--domain', name, '--name'])).split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

async function hasNvram(c: DomainCtx, name: string): Promise<boolean> {
  try {
    return /<nvram[\s>/]|firmware=['"]efi['"]/.test(await c.host.run(['dumpxml', '--inactive', '--domain', name]));
  } catch {
    return false;
  }
}

export async function undefineDomain(c: DomainCtx): Promise<void> {
  const d = c.dom!;
  const [snaps, nvram] = await Promise.all([snapshotCount(c, domainArg(d)), hasNvram(c, domainArg(d))]);
  const checkboxes = [];
  if (d.managedSave) checkboxes.push({ id: 'managed-save', label: 'also remove its managed save image (the saved memory state)', checked: true });
  if (snaps > 0) checkboxes.push({ id: 'snapshots-metadata', label: `also remove the metadata of its ${snaps} snapshot${snaps > 1 ? 's' : ''}`, checked: true });
  if (nvram) checkboxes.push({ id: 'nvram', label: 'also remove its UEFI variables (NVRAM file)', checked: false });
  const message = [
    `Undefine ${d.name}: its configuration is removed from libvirt.`,
    active(d)
      ? 'It keeps running as a transient domain and disappears when it stops.'
      : 'It can only be brought back from a saved copy of its XML.',
    'Its disk images are not deleted.',
  ];
  if (d.managedSave) message.push('libvirt refuses to undefine it while its managed save image is kept.');
  if (snaps > 0) message.push(`libvirt refuses to undefine it while ${snaps} snapshot${snaps > 1 ? 's keep' : ' keeps'} metadata.`);
  const r = await c.host.ask({
    title: `Undefine ${d.name}`, message, confirmLabel: 'Undefine', dangerous: true, checkboxes, typeToConfirm: d.name,
  });
  if (!r.confirmed) return;
  const args = ['undefine', '--domain', domainArg(d)];
  if (r.checked['managed-save']) args.push('--managed-save');
  if (r.checked['snapshots-metadata']) args.push('--snapshots-metadata');
  if (nvram) args.push(r.checked['nvram'] ? '--nvram' : '--keep-nvram');
  await c.host.action(args);
}

export const DOMAIN_ACTIONS: KeyAction<DomainCtx>[] = [
  { keys: ['enter'], label: 'details', help: 'details: info, disks, NICs, graphics, XML', when: (c) => !!c.dom, run: (c) => c.host.openDetail(c.dom!.name) },
  {
    keys: ['u'], label: 'start', help: 'start (restores the managed save image when there is one)', mutates: true,
    when: is('shut off', 'crashed'), run: (c) => { void c.host.action(['start', '--domain', domainArg(c.dom!)]); },
  },
  { keys: ['d'], label: 'shutdown', help: 'shutdown: ask the guest to power off (ACPI)', mutates: true, when: is('running'), run: (c) => { void c.host.action(['shutdown', '--domain', domainArg(c.dom!)]); } },
  { keys: ['r'], label: 'reboot', help: 'reboot: ask the guest to restart (ACPI)', mutates: true, when: is('running'), run: (c) => { void c.host.action(['reboot', '--domain', domainArg(c.dom!)]); } },
  {
    keys: ['R'], label: 'reset', help: 'reset: hard reset, like the reset button', mutates: true, dangerous: true, when: is('running', 'paused'),
    run: (c) => confirmThen(c, {
      title: `Reset ${c.dom!.name}`, confirmLabel: 'Reset',
      message: [`Reset ${c.dom!.name} at once, like pressing its reset button.`, 'Anything the guest has not written to disk is lost.'],
    }, ['reset', '--domain', domainArg(c.dom!)]),
  },
  {
    keys: ['D'], label: 'destroy', help: 'destroy: power off at once (pull the plug)', mutates: true, dangerous: true, when: (c) => active(c.dom),
    run: (c) => confirmThen(c, {
      title: `Destroy ${c.dom!.name}`, confirmLabel: 'Destroy',
      message: [
        `Power off ${c.dom!.name} at once, like pulling the plug.`,
        'Anything the guest has not written to disk is lost.',
        ...(c.dom!.persistent ? [] : [`${c.dom!.name} is transient: it disappears completely when it stops.`]),
      ],
    }, ['destroy', '--domain', domainArg(c.dom!)]),
  },
  { keys: ['p'], label: 'suspend', help: 'suspend (pause) / resume', mutates: true, when: is('running'), run: (c) => { void c.host.action(['suspend', '--domain', domainArg(c.dom!)]); } },
  { keys: ['p'], label: 'resume', help: 'resume a paused domain', mutates: true, when: is('paused'), run: (c) => { void c.host.action(['resume', '--domain', domainArg(c.dom!)]); } },
  { keys: ['w'], label: 'wake', help: 'wake a pmsuspended domain (dompmwakeup; QEMU hosts only: other drivers cannot)', mutates: true, when: (c) => is('pmsuspended')(c) && canWake(c), run: (c) => { void c.host.action(['dompmwakeup', '--domain', domainArg(c.dom!)]); } },
  {
    keys: ['m'], label: 'managed save', help: 'managed save: save its memory to disk and stop; start restores it', mutates: true,
    when: (c) => !!c.dom && c.dom.persistent && (c.dom.state === 'running' || c.dom.state === 'paused'),
    run: (c) => {
      const d = domainArg(c.dom!);
      virshJob(c.host, { kind: 'managedsave', target: c.dom!.name, progress: domjobOf(c.host, d), cancel: domjobAbort(c.host, d), cancelNote: `libvirt aborts the save: ${c.dom!.name} goes on running as before and no image is kept.` }, ['managedsave', '--domain', d], 600_000);
    },
  },
  {
    keys: ['M'], label: 'drop save', help: 'remove the managed save image (the saved memory state)', mutates: true, dangerous: true,
    when: (c) => !!c.dom && c.dom.managedSave && c.dom.id === null,
    run: (c) => confirmThen(c, {
      title: `Remove the managed save of ${c.dom!.name}`, confirmLabel: 'Remove',
      message: [`The saved memory state of ${c.dom!.name} is deleted: the next start boots it afresh.`],
    }, ['managedsave-remove', '--domain', domainArg(c.dom!)]),
  },
  ...SAVE_FILE_KEYS,
  ...autostartKeys<DomainCtx>('autostart', '--domain', (c) => c.dom, domainArg),
  {
    keys: ['X'], label: 'undefine', help: 'undefine: remove the definition (asks; you type the name)', mutates: true, dangerous: true,
    when: (c) => !!c.dom && c.dom.persistent, run: (c) => undefineDomain(c),
  },
  {
    keys: ['c'], label: 'console', help: 'the serial console in a terminal pane (lists keep updating; Ctrl+] leaves it)', mutates: true, bulk: false,
    when: is('running', 'paused'), run: (c) => c.host.openConsole(c.dom!.name),
  },
  {
    keys: ['g'], label: 'guestfish', help: 'guestfish on its disks in a pane: read-only while it runs; read-write only when shut off, after asking',
    when: (c) => !!c.dom, run: (c) => c.host.openGuestfish({ kind: 'domain', name: c.dom!.name }, active(c.dom)),
  },
  { keys: ['v'], label: 'stats', help: 'live charts: CPU, memory, disk and network I/O, with events marked', when: (c) => !!c.dom, run: (c) => c.host.openScreen('stats', c.dom!.name) },
  { keys: ['W'], label: 'why', help: 'diagnose: why it is in its state, what would stop it from starting, its QEMU log (also :why DOMAIN)', when: (c) => !!c.dom, run: (c) => c.host.openScreen('why', c.dom!.name) },
  { keys: ['o'], label: 'migrate', help: 'migrate to another host: live or offline, pre-flight checks, progress, cancel (also :migrate DOMAIN)', mutates: true, bulk: false, footer: false, when: is('running', 'paused', 'shut off'), run: (c) => c.host.openScreen('migrate', c.dom!.name) },
  { keys: ['h'], label: 'hardware', help: 'hardware: memory, vCPUs, disks, CD-ROMs, NICs, boot order (also :hw DOMAIN)', footer: false, when: (c) => !!c.dom, run: (c) => c.host.openScreen('hw', c.dom!.name) },
  { keys: ['V'], label: 'screen', help: 'the guest\'s screen (half blocks), keys sent to it, its display\'s ssh tunnel (also :screen DOMAIN)', footer: false, when: (c) => !!c.dom, run: (c) => c.host.openScreen('screen', c.dom!.name) },
  { keys: ['t'], label: 'snapshots', help: 'the domain\'s snapshots (a tree: take, revert, delete)', when: (c) => !!c.dom, run: (c) => c.host.openScreen('snapshots', c.dom!.name) },
  editKey<DomainCtx>('domain', (c) => c.dom),
  ...INSTALL_KEYS,
];
