// qemu-img check and convert (qcow2 <-> raw) on a volume, as jobs. qemu-img runs on this
// machine, on the volume's file: only on a local host, and never on a disk a running guest has open.
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { Volume } from '../../src/model/volumes.ts';
import type { JobProgress } from '../../src/model/jobs.ts';
import { isLocalUri, isTestDriver } from '../../src/libvirt/uri.ts';
import { checkVerdict, convertPercent } from '../../src/libvirt/storagejobs.ts';
import { runOnce } from '../../src/virsh/spawn.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import type { VolumeCtx } from './actions.ts';
import { volumeNameCheck } from './transfer.ts';

/** the formats qemu-img is told (-f) rather than left to guess: guessing raw is unsafe */
const KNOWN = ['raw', 'qcow2', 'qcow', 'vmdk', 'vdi', 'vhdx', 'vpc', 'qed'];
const fmtArgs = (v: Volume) => (KNOWN.includes(v.format) ? ['-f', v.format] : []);

/**
 * Why qemu-img may not touch this volume from here, or '' when it may: a remote host's file is
 * not on this machine, the test driver's volumes are no files, a running guest has it open. Pure.
 */
export function qemuImgRefusal(uri: string, v: Volume): string {
  if (isTestDriver(uri)) return `qemu-img runs on this machine; ${uri} is the test driver: its volumes are not real files.`;
  if (!isLocalUri(uri)) return `qemu-img runs on this machine, and ${v.name} is on the host of ${uri}: qemu-img cannot reach it from here (run it on that host: ssh, or ! for virsh).`;
  if (v.type !== 'file' && v.type !== 'block') return `qemu-img works on files and block devices; ${v.name} is a ${v.type} volume.`;
  const busy = v.usedBy.filter((u) => u.running).map((u) => u.domain);
  if (busy.length) return `${v.name} is a disk of ${busy.join(', ')}, which ${busy.length > 1 ? 'are' : 'is'} running: qemu-img must not ${busy.length > 1 ? 'touch it under them' : 'touch it under it'}. Shut ${busy.length > 1 ? 'them' : 'it'} down first.`;
  return '';
}

async function refused(c: VolumeCtx, what: string): Promise<boolean> {
  const why = qemuImgRefusal(c.host.uri, c.vol!);
  if (why) await c.host.ask({ title: `qemu-img ${what} ${c.vol!.name}`, confirmLabel: 'OK', notice: true, message: [why] });
  return !!why;
}

async function check(c: VolumeCtx): Promise<void> {
  if (await refused(c, 'check')) return;
  const v = c.vol!;
  const args = ['check', '--output=json', ...fmtArgs(v), v.path];
  const command = shellLine(['qemu-img', ...args]);
  const ac = new AbortController();
  c.host.job({ kind: 'qemu-img check', target: `${c.pool}/${v.name}`, command, cancel: () => ac.abort(), cancelNote: 'A check only reads: nothing is left behind.' }, async (job) => {
    const r = await runOnce('qemu-img', args, { timeoutMs: 24 * 3_600_000, signal: ac.signal });
    job.output = `${r.stdout}${r.stderr}`;
    const verdict = checkVerdict(r.exitCode, r.stdout, r.stderr);
    if (!verdict.ok) throw new VirshError(command, verdict.message, '', job.output);
    job.message = verdict.message;
  });
}

/** "web.qcow2" -> "web.raw": the name a converted copy is offered */
export function convertedName(name: string, format: string): string {
  const m = /^(.*)\.(qcow2|raw|img)$/i.exec(name);
  return `${m ? m[1] : name}.${format}`;
}

async function convert(c: VolumeCtx): Promise<void> {
  if (await refused(c, 'convert')) return;
  const v = c.vol!;
  const pools = (await c.host.run(['pool-list', '--name']).catch(() => c.pool)).split('\n').map((l) => l.trim()).filter(Boolean);
  const other = v.format === 'raw' ? 'qcow2' : 'raw';
  const r = await c.host.form({
    title: `Convert volume ${v.name}`,
    intro: [`A copy of ${v.name}${v.format ? ` (${v.format})` : ''} in another format, made by qemu-img on this machine; ${v.name} stays as it is.`, ...(v.backing ? ['Its backing chain is merged into the copy.'] : [])],
    fields: [
      { id: 'format', label: 'Format', kind: 'choice', options: [other, other === 'raw' ? 'qcow2' : 'raw'] },
      { id: 'pool', label: 'Into pool', kind: 'choice', options: [c.pool, ...pools.filter((p) => p !== c.pool)] },
      {
        id: 'name', label: 'Name', value: convertedName(v.name, other), follow: (all) => convertedName(v.name, all['format'] ?? other),
        validate: (n, all) => volumeNameCheck(n) || ((all['pool'] ?? c.pool) === c.pool && c.volumes.some((x) => x.name === n) ? 'a volume of that name exists' : ''),
      },
    ],
    buttons: ['Convert'],
  });
  if (!r.submitted) return;
  const { format, pool, name } = r.values as { format: string; pool: string; name: string };
  // libvirt makes the target (its owner, its labels, any pool type), qemu-img fills it (-n)
  const create = ['vol-create-as', '--pool', pool, '--name', name, '--capacity', String(Math.round(v.capacity ?? 0)), '--format', format, ...(format === 'raw' ? ['--allocation', '0'] : [])];
  const made = await c.host.action(create);
  if (!made.ok) return;
  let target = '';
  try { target = (await c.host.run(['vol-path', '--pool', pool, '--vol', name])).trim(); } catch { /* said below */ }
  const drop = () => c.host.action(['vol-delete', '--pool', pool, '--vol', name], { quiet: true });
  if (!target) {
    await c.host.ask({ title: `Convert volume ${v.name}`, confirmLabel: 'OK', notice: true, message: [`libvirt made ${pool}/${name} but does not say its path: nothing was converted; delete ${name} there (X) if you do not want it.`] });
    return;
  }
  const args = ['convert', '-p', '-n', ...fmtArgs(v), '-O', format, v.path, target];
  const command = shellLine(['qemu-img', ...args]);
  const ac = new AbortController();
  let pct: number | null = null;
  const progress = async (): Promise<JobProgress | null> => (pct === null ? null : { text: '', done: pct, total: 100 });
  c.host.job({
    kind: 'qemu-img convert', target: `${c.pool}/${v.name} -> ${pool}/${name}`, command, progress, cancel: () => ac.abort(),
    cancelNote: `qemu-img stops, and the half-written ${name} is deleted.`,
  }, async (j) => {
    try {
      const out = await runOnce('qemu-img', args, { timeoutMs: 24 * 3_600_000, signal: ac.signal, onOutput: (s) => { pct = convertPercent(s) ?? pct; } });
      j.output = `$ virsh ${shellLine(create)}\n$ ${command}\n${out.stderr}`;
      if (out.exitCode !== 0) {
        const line = out.stderr.split('\n').map((l) => l.replace(/^qemu-img:\s*/, '').trim()).find(Boolean) ?? `exit code ${out.exitCode}`;
        throw new VirshError(command, line, '', out.stderr);
      }
    } catch (e) {
      // a half-written copy is worth nothing
      await drop();
      throw e;
    }
    // the new file's allocation and format, as libvirt sees them now
    await c.host.action(['pool-refresh', '--pool', pool], { quiet: true });
    j.message = `${pool}/${name} (${format})`;
  });
}

export const QEMU_IMG_KEYS: KeyAction<VolumeCtx>[] = [
  { keys: ['c'], label: 'check', help: 'qemu-img check: is the image consistent (local hosts only; not while a running guest uses it; a job: J)', bulk: false, when: (c) => !!c.vol && c.poolActive, run: check },
  { keys: ['v'], label: 'convert', help: 'qemu-img convert to raw or qcow2, into this pool or another (local hosts only; not while a running guest uses it; a job: J)', mutates: true, bulk: false, when: (c) => !!c.vol && c.poolActive, run: convert },
];
