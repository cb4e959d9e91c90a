// `F` on a domain: save its memory to a file of your choosing (virsh save) while it runs, or
// restore one from a file when it is shut off (virsh restore): jobs, as a managed save is.
import type { Domain } from '../../src/libvirt/types.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { ActionHost } from '../kit/list.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import { isLocalUri, filesHere } from '../../src/libvirt/uri.ts';
import { localFile } from '../../src/model/localfile.ts';
import { readPosition, restoreProgress } from '../../src/model/readpos.ts';
import { domjobAbort, domjobOf, virshJob } from '../jobs/run.ts';
import { snapName } from '../snapshots/actions.ts';

interface Ctx { host: ActionHost; dom: Domain | undefined }

/** the host's files are this machine's: a local libvirt, or the test driver (which runs inside virsh here) */

const AFTER = ['as it was', 'running', 'paused'];
const afterFlags = (v: string | undefined) => (v === 'running' ? ['--running'] : v === 'paused' ? ['--paused'] : []);

/** the last file each domain was saved to in this run, offered when it is restored */
const lastSaved = new Map<string, string>();

/** where `virsh managedsave` puts a domain's memory (QEMU's default save directory) */
const managedSavePath = (name: string) => `/var/lib/libvirt/qemu/save/${name}.save`;

/**
 * A path for libvirtd (on its host): absolute, since the daemon's working directory is not
 * yours; on this machine, its directory must exist (`mustExist`: the file too). Pure but for the stat.
 */
export function savePathCheck(uri: string, path: string, mustExist: boolean, domain?: string): string {
  if (!path.trim()) return 'a file is needed';
  if (!path.startsWith('/')) return 'an absolute path (libvirtd opens it, from its own working directory)';
  // a file there would be taken for a managed save: start would restore from it, undefine refuses
  if (domain !== undefined && path === managedSavePath(domain)) return `libvirt's managed save file of ${domain} (managedsave writes it): another name`;
  if (!filesHere(uri)) return '';
  const f = localFile(path);
  if (mustExist) return !f.exists ? 'no such file' : !f.isFile ? 'not a file' : '';
  return f.dirExists ? '' : 'its directory does not exist';
}

async function saveToFile(c: Ctx): Promise<void> {
  const d = c.dom!;
  const where = filesHere(c.host.uri) ? 'on this machine' : `on the host of ${c.host.uri}, not here`;
  const r = await c.host.form({
    title: `Save ${d.name} to a file`,
    intro: [`Its memory is written to the file ${where}, and ${d.name} stops; F on it (shut off) restores it from that file.`, 'Its disks are not in the file: do not change them before it is restored.'],
    fields: [
      { id: 'file', label: 'File', value: `/var/lib/libvirt/qemu/save/${snapName(d.name)}.save`, validate: (v) => savePathCheck(c.host.uri, v, false, d.name) },
      { id: 'after', label: 'On restore', kind: 'choice', options: AFTER, note: 'the state it comes back in' },
    ],
    buttons: ['Save'],
  });
  if (!r.submitted) return;
  const file = r.values['file']!;
  if (filesHere(c.host.uri) && localFile(file).exists) {
    const ok = await c.host.ask({ title: `Replace ${file}`, local: true, dangerous: true, confirmLabel: 'Replace', message: [`${file} exists: saving ${d.name} there replaces what it holds.`] });
    if (!ok.confirmed) return;
  }
  const arg = domainArg(d);
  lastSaved.set(`${c.host.uri}\n${d.name}`, file);
  virshJob(c.host, {
    kind: 'save', target: d.name, progress: domjobOf(c.host, arg), cancel: domjobAbort(c.host, arg),
    cancelNote: `libvirt aborts the save: ${d.name} goes on running as before, and the partial file is removed.`,
  }, ['save', '--domain', arg, '--file', file, ...afterFlags(r.values['after'])], 3_600_000);
}

async function restoreFromFile(c: Ctx): Promise<void> {
  const d = c.dom!;
  const r = await c.host.form({
    title: `Restore from a file`,
    intro: [`The domain saved in the file comes back ${filesHere(c.host.uri) ? '' : `(the file is on the host of ${c.host.uri}) `}with its memory, where it was when saved.`],
    fields: [
      { id: 'file', label: 'File', value: lastSaved.get(`${c.host.uri}\n${d.name}`) ?? '/var/lib/libvirt/qemu/save/', validate: (v) => savePathCheck(c.host.uri, v, true) },
      { id: 'after', label: 'State', kind: 'choice', options: AFTER, note: 'as saved, or running, or paused' },
    ],
    buttons: ['Restore'],
  });
  if (!r.submitted) return;
  const file = r.values['file']!;
  // the file names its domain: restoring another than the one selected is said first
  let inside = '';
  try { inside = /<name>([^<]*)<\/name>/.exec(await c.host.run(['save-image-dumpxml', '--file', file]))?.[1] ?? ''; } catch (e) {
    await c.host.ask({ title: `Restore from ${file}`, notice: true, confirmLabel: 'OK', message: [`libvirt cannot read it as a saved domain: ${(e as Error).message.split('\n')[0]}`] });
    return;
  }
  if (inside && inside !== d.name) {
    const ok = await c.host.ask({ title: `Restore ${inside}`, confirmLabel: 'Restore', message: [`${file} holds ${inside}, not ${d.name}: ${inside} comes back.`] });
    if (!ok.confirmed) return;
  }
  // virsh says nothing while it reads: on this machine, how far QEMU has read the file; else its size and the time
  const size = filesHere(c.host.uri) ? localFile(file).size : undefined;
  const pos = isLocalUri(c.host.uri) ? readPosition(localFile(file).path) : () => null;
  const t0 = Date.now();
  const progress = async () => restoreProgress({ pos: pos(), size, elapsedMs: Date.now() - t0 });
  const { job, done } = virshJob(c.host, { kind: 'restore', target: inside || file, progress }, ['restore', '--file', file, ...afterFlags(r.values['after'])], 3_600_000);
  const timer = setInterval(() => { void progress().then((p) => c.host.report?.(job, p)); }, POLL_MS);
  void done.finally(() => clearInterval(timer)).catch(() => {});
}

/** how often a restore's progress is read */
const POLL_MS = 1000;

const is = (...states: string[]) => (c: Ctx) => !!c.dom && states.includes(c.dom.state);

export const SAVE_FILE_KEYS: KeyAction<Ctx>[] = [
  { keys: ['F'], label: 'save to file', help: 'save its memory to a file you name and stop it (virsh save; a job: J)', footer: false, mutates: true, bulk: false, when: is('running', 'paused'), run: saveToFile },
  { keys: ['F'], label: 'restore from file', help: 'restore a domain from a file saved with F (virsh restore; a job: J)', footer: false, mutates: true, bulk: false, when: is('shut off', 'crashed'), run: restoreFromFile },
];
