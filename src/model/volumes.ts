// The volumes of one pool: vol-list, each volume's XML, and which domains use each volume
// (the domains' block devices, matched by path).
import { Store } from './store.ts';
import { parseVolList, parseVolumeXml, type VolumeXmlInfo } from '../libvirt/volxml.ts';
import { parseDomainXml } from '../libvirt/domxml.ts';
import type { VirshRunner } from './domains.ts';
import { decodeCell, domainArg } from '../libvirt/parse.ts';

export interface Volume extends VolumeXmlInfo {
  pool: string;
  /** "web-01 (vda)" for each domain disk whose source is this volume */
  usedBy: Array<{ domain: string; target: string; running: boolean }>;
}

export interface DomainRef { name: string; running: boolean; uuid?: string }

export class VolumeStore extends Store<Volume> {
  constructor(protected readonly v: VirshRunner, readonly pool: string, private readonly domains: () => readonly DomainRef[]) { super(); }

  get volumes(): Volume[] { return this.items; }

  protected async fetch(): Promise<Volume[]> {
    const [list, users] = await Promise.all([this.v.run(['vol-list', '--pool', this.pool]), this.users()]);
    // vol-list has no --name: its escaped cells are decoded, and the XML says the exact name
    return Promise.all(parseVolList(list).map((row) => ({ name: decodeCell(row.name), path: decodeCell(row.path) })).map(async (r) => {
      const info = parseVolumeXml(await this.v.run(['vol-dumpxml', '--pool', this.pool, '--vol', r.name]).catch(() => '<volume/>'));
      const path = info.path || r.path;
      const name = info.name || r.name;
      return { ...info, name, path, pool: this.pool, usedBy: [...(users.get(path) ?? []), ...(users.get(`${this.pool}/${name}`) ?? [])] };
    }));
  }

  /** a disk's source (a path, or "pool/volume" for <disk type='volume'>) -> the domains whose disks use it */
  private async users(): Promise<Map<string, Volume['usedBy']>> {
    const map = new Map<string, Volume['usedBy']>();
    await Promise.all(this.domains().map(async (d) => {
      const xml = await this.v.run(['dumpxml', '--domain', domainArg(d)]).catch(() => '');
      const devs = xml ? parseDomainXml(xml).disks : [];
      for (const b of devs) {
        if (!b.source) continue;
        map.set(b.source, [...(map.get(b.source) ?? []), { domain: d.name, target: b.target, running: d.running }]);
      }
    }));
    return map;
  }
}
