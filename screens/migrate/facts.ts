// What the pre-flight reads: the guest's XML on the source, and on the target its capabilities,
// CPU models, networks, pools, free memory, domains and whether it has each disk path. A
// connected target is read through its session; a typed URI through one-shot virsh runs.
import { disksToCopy, guestFacts, parseCapabilities, parseDomCapsCpu, volumePlan, type GuestFacts, type TargetFacts, type VolumePlan } from '../../src/libvirt/migrate.ts';
import { parseVolumeXml, type VolumeXmlInfo } from '../../src/libvirt/volxml.ts';
import { parseNodeMem } from '../../src/libvirt/node.ts';
import { parseNames } from '../../src/libvirt/parse.ts';

export type Reader = (args: string[]) => Promise<string>;

const maybe = async (read: Reader, args: string[]): Promise<string | undefined> => {
  try { return await read(args); } catch { return undefined; }
};

/** the guest as it runs (a live migration sends that), else its definition */
export async function readGuest(source: Reader, domain: string): Promise<GuestFacts> {
  return guestFacts(await source(['dumpxml', '--domain', domain]));
}

/** `pool-list --name` pads each name to a column's width */
const names = (text: string | undefined) => parseNames(text ?? '').map((n) => n.trimEnd()).filter(Boolean);

const poolPath = (xml: string) => /<target>\s*<path>([^<]*)<\/path>/.exec(xml)?.[1]?.trim() ?? '';

export async function readTarget(name: string, target: Reader, source: Reader, g: GuestFacts): Promise<TargetFacts> {
  const [caps, srcCaps, cpu, netAll, netOn, poolAll, poolOn, mem, doms] = await Promise.all([
    maybe(target, ['capabilities']),
    maybe(source, ['capabilities']),
    g.arch ? maybe(target, ['domcapabilities', ...(g.type ? ['--virttype', g.type] : []), '--arch', g.arch]) : Promise.resolve(undefined),
    maybe(target, ['net-list', '--all', '--name']),
    maybe(target, ['net-list', '--name']),
    maybe(target, ['pool-list', '--all', '--name']),
    maybe(target, ['pool-list', '--name']),
    maybe(target, ['nodememstats']),
    maybe(target, ['list', '--all', '--name']),
  ]);
  const active = new Set(names(poolOn));
  const pools = poolAll === undefined ? undefined : await Promise.all(names(poolAll).map(async (p) => ({
    name: p, active: active.has(p), path: poolPath((await maybe(target, ['pool-dumpxml', '--pool', p])) ?? ''),
  })));
  const netsOn = new Set(names(netOn));
  const t: TargetFacts = {
    name,
    sourceUuid: srcCaps ? parseCapabilities(srcCaps).uuid : undefined,
    caps: caps ? parseCapabilities(caps) : undefined,
    cpu: cpu ? parseDomCapsCpu(cpu) : undefined,
    networks: netAll === undefined ? undefined : names(netAll).map((n) => ({ name: n, active: netsOn.has(n) })),
    pools,
    mem: mem ? parseNodeMem(mem) : undefined,
    domains: doms === undefined ? undefined : parseNames(doms),
  };
  t.paths = await diskPaths(target, g, pools);
  return t;
}

/**
 * Whether the target has each disk path: a volume of one of its pools (libvirt's view, the only
 * one a remote host gives). A pool that has not looked at its directory since the file came is
 * refreshed once, then asked again.
 */
async function diskPaths(target: Reader, g: GuestFacts, pools: TargetFacts['pools']): Promise<Map<string, boolean>> {
  const out = new Map<string, boolean>();
  const refreshed = new Set<string>();
  for (const d of g.disks) {
    if (!d.path || out.has(d.path)) continue;
    if ((await maybe(target, ['vol-info', '--vol', d.path])) !== undefined) { out.set(d.path, true); continue; }
    const dir = d.path.replace(/\/[^/]*$/, '') || '/';
    const pool = pools?.find((p) => p.active && p.path === dir);
    if (pool && !refreshed.has(pool.name)) {
      refreshed.add(pool.name);
      await maybe(target, ['pool-refresh', '--pool', pool.name]);
      out.set(d.path, (await maybe(target, ['vol-info', '--vol', d.path])) !== undefined);
    } else out.set(d.path, false);
  }
  return out;
}

/**
 * The volumes a copy-storage migration needs on the target: the source's `vol-dumpxml` of each
 * disk the target lacks (its name, capacity and format), placed in the target's pools.
 */
export async function readVolumePlan(source: Reader, g: GuestFacts, t: TargetFacts): Promise<VolumePlan> {
  const vols = new Map<string, VolumeXmlInfo | undefined>();
  for (const d of disksToCopy(g, t)) {
    const xml = await maybe(source, ['vol-dumpxml', '--vol', d.path]);
    vols.set(d.path, xml === undefined ? undefined : parseVolumeXml(xml));
  }
  return volumePlan(g, t, vols);
}
