// `C` clone (virt-clone, one new file per disk in the same pools, as a job in a pane) and `N`
// rename (domrename) of a domain on the list.
import type { ScreenContext } from '../../src/context.ts';
import type { Connection } from '../../src/model/connection.ts';
import type { Domain } from '../../src/libvirt/types.ts';
import type { FieldSpec } from '../../src/ui/form.ts';
import { checkClone, cloneArgs, defaultCloneName, cloneFileName, installError, missingTool, renameRefusal } from '../../src/libvirt/install.ts';
import { humanBytes } from '../../src/libvirt/units.ts';
import { checkNewName } from '../../src/libvirt/build.ts';
import { parseDomainXml } from '../../src/libvirt/domxml.ts';
import { domainArg, parseKeyValues } from '../../src/libvirt/parse.ts';
import { shellLine } from '../../src/virsh/quote.ts';
import { selectDomain } from '../domains/lists.ts';
import { findProgram } from '../../src/pty/process.ts';

export interface CloneDiskPlan { target: string; source: string; path: string; pool?: string; bytes: number; available?: number }

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const bytesOf = (info: string, key: string) => Number(/^(\d+)/.exec(parseKeyValues(info).find(([k]) => k === key)?.[1] ?? '')?.[1] ?? 0);

/** each disk virt-clone copies: its path, its pool and what the copy needs there */
async function clonePlan(conn: Connection, dom: Domain): Promise<CloneDiskPlan[]> {
  const xml = await conn.run(['dumpxml', '--inactive', '--domain', domainArg(dom)]);
  await conn.pools.refresh();
  // virt-clone shares CD-ROMs and read-only disks, and copies the others
  const disks = parseDomainXml(xml).disks.filter((d) => d.device === 'disk' && d.source && !d.readonly);
  return Promise.all(disks.map(async (d) => {
    const vol = d.type === 'volume' ? d.source.split('/') : null;
    const path = vol ? (await conn.run(['vol-path', '--pool', vol[0]!, '--vol', vol.slice(1).join('/')]).catch(() => d.source)).trim() : d.source;
    const pool = vol ? vol[0] : (await conn.run(['vol-pool', '--vol', path]).catch(() => '')).trim() || undefined;
    const info = await conn.run(['vol-info', '--bytes', '--vol', path]).catch(() => '');
    const p = conn.pools.pools.find((x) => x.name === pool);
    return { target: d.target, source: d.source, path, pool, bytes: bytesOf(info, 'Allocation'), available: p?.available };
  }));
}

/** `C`: virt-clone with a new name and one new file per disk next to the original. */
export async function cloneDomain(ctx: ScreenContext, conn: Connection, dom: Domain): Promise<void> {
  if (dom.state !== 'shut off' && dom.state !== 'paused') {
    await ctx.ask({ title: `Cannot clone ${dom.name}`, message: [checkClone(dom.state, 'x', [], [])], confirmLabel: 'OK', notice: true });
    return;
  }
  const missing = missingTool(['virt-clone'], findProgram);
  if (missing) { await ctx.ask({ title: `Cannot clone ${dom.name}`, message: [missing, 'virt-clone runs on this machine, whatever the host.'], confirmLabel: 'OK', notice: true }); return; }
  let got: CloneDiskPlan[] | undefined;
  let taken: string[] = [];
  // keys typed while the disks are read wait (and are dropped when the form opens), never acting on the list
  await ctx.holdKeysWhile(async () => {
    try {
      got = await clonePlan(conn, dom);
    } catch (e) {
      conn.setStatus({ kind: 'error', text: `clone ${dom.name}: ${(e as Error).message.split('\n')[0]}` });
      return;
    }
    taken = lines(await conn.run(['list', '--all', '--name']).catch(() => ''));
  });
  if (!got) return;
  const plan = got;
  let name = defaultCloneName(dom.name);
  let files = plan.map((d, i) => cloneFileName(d.path, name, i));
  for (;;) {
    const fields: FieldSpec[] = [
      { id: 'name', label: 'New name', value: name, validate: (v) => checkClone(dom.state, v, taken, plan.map((d) => ({ pool: d.pool ?? d.path, bytes: d.bytes, available: d.available }))) },
      ...plan.map((d, i): FieldSpec => ({
        id: `file${i}`, label: `${d.target} copy`, value: files[i], note: d.pool ? `in pool ${d.pool}` : undefined,
        validate: (v) => (!v.startsWith('/') ? 'an absolute path' : v === d.path ? 'the original itself' : files.some((f, j) => j < i && f === v) ? 'the same file as another disk' : ''),
      })),
    ];
    const r = await ctx.form({ title: `Clone ${dom.name}`, intro: plan.length ? [`virt-clone copies ${plan.length} disk${plan.length > 1 ? 's' : ''} (CD-ROMs and read-only disks are shared).`, ...plan.map((d) => `${d.target}: ${d.path} (${humanBytes(Number(d.bytes))} used)`)] : ['No disk to copy.'], fields, buttons: ['Clone'] });
    if (!r.submitted) return;
    // a new name renames the files that still have the old default
    const newName = r.values['name']!;
    files = plan.map((d, i) => { const v = r.values[`file${i}`]!; return v === cloneFileName(d.path, name, i) && newName !== name ? cloneFileName(d.path, newName, i) : v; });
    name = newName;
    const exist = await Promise.all(files.map((f) => conn.run(['vol-info', '--vol', f]).then(() => true, () => false)));
    const clash = files.find((_, i) => exist[i]);
    if (clash) {
      await ctx.ask({ title: 'The file exists', message: [`${clash} is a volume already: virt-clone would refuse. Choose another name.`], confirmLabel: 'Back', notice: true });
      continue;
    }
    const args = cloneArgs(conn.uri, domainArg(dom), name, files);
    const go = await ctx.ask({ title: `Clone ${dom.name} to ${name}?`, message: ['virt-clone runs in a terminal pane (its progress live):'], pre: [shellLine(['virt-clone', ...args])], confirmLabel: 'Clone', cancelLabel: 'Back' });
    if (!go.confirmed) continue;
    runClone(ctx, conn, name, args, files);
    return;
  }
}

function runClone(ctx: ScreenContext, conn: Connection, name: string, args: string[], files: string[]): void {
  const run = ctx.openProgram(conn, `virt-clone ${name}`, 'virt-clone', args);
  ctx.jobs.run({ kind: 'clone', host: conn.name, target: name, command: shellLine(['virt-clone', ...args]), cancel: () => run.close() }, async (job) => {
    const r = await run.exited;
    await conn.domains.refresh();
    if (r.code === 0 && conn.domains.domains.some((d) => d.name === name)) {
      selectDomain(conn, name);
      conn.setStatus({ kind: 'ok', text: `virt-clone: ${name} created` });
      ctx.requestRender();
      return;
    }
    // virt-clone undefines its clone when a copy fails, but leaves the files it made
    const gone: string[] = [];
    const kept: string[] = [];
    for (const f of files) {
      if (!(await conn.run(['vol-info', '--vol', f]).then(() => true, () => false))) continue;
      const del = await conn.action(['vol-delete', '--vol', f], { quiet: true });
      (del.ok ? gone : kept).push(f);
    }
    const why = r.code === null ? 'the pane was closed while it ran' : installError(r.out);
    job.message = [why, gone.length ? `deleted the copies it made: ${gone.join(' ')}` : '', kept.length ? `left: ${kept.join(' ')}` : ''].filter(Boolean).join('; ');
    conn.setStatus({ kind: 'error', text: `virt-clone ${name}: ${job.message}` });
    ctx.requestRender();
    throw new Error(job.message);
  });
}

/** `N`: domrename of a shut-off domain; refused with the reason otherwise. */
export async function renameDomain(ctx: ScreenContext, conn: Connection, dom: Domain): Promise<void> {
  const refusal = renameRefusal(dom);
  if (refusal) {
    await ctx.ask({ title: `Cannot rename ${dom.name}`, message: [refusal], confirmLabel: 'OK', notice: true });
    return;
  }
  const taken = lines(await conn.run(['list', '--all', '--name']).catch(() => ''));
  const r = await ctx.form({
    title: `Rename ${dom.name}`, buttons: ['Rename'],
    fields: [{ id: 'name', label: 'New name', value: dom.name, validate: (v) => (v === dom.name ? 'the same name' : checkNewName(v, 'domain') || (taken.includes(v) ? `a domain named ${v} exists on this host` : '')) }],
  });
  if (!r.submitted) return;
  const res = await conn.action(['domrename', '--domain', domainArg(dom), '--new-name', r.values['name']!]);
  if (res.ok) {
    await conn.domains.refresh();
    selectDomain(conn, r.values['name']!);
  }
}
