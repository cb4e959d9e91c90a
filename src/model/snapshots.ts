// The snapshots of one domain: snapshot-list --parent, the current one, and each one's XML
// (description, memory or disk-only).
import { Store } from './store.ts';
import { parseSnapshotList, parseSnapshotXml } from '../libvirt/snapxml.ts';
import type { VirshRunner } from './domains.ts';

export interface Snapshot {
  name: string;
  parent: string;
  /** "2026-11-22 02:48:19 +0000" as virsh prints it */
  created: string;
  state: string;
  description: string;
  memory: boolean;
  diskOnly: boolean;
  current: boolean;
}

export class SnapshotStore extends Store<Snapshot> {
  constructor(private readonly v: VirshRunner, readonly domain: string) { super(); }

  get snapshots(): Snapshot[] { return this.items; }

  protected async fetch(): Promise<Snapshot[]> {
    const [list, current] = await Promise.all([
      this.v.run(['snapshot-list', '--domain', this.domain, '--parent']),
      // "domain has no current snapshot" is an error: none is current
      this.v.run(['snapshot-current', '--domain', this.domain, '--name']).then((s) => s.replace(/\n$/, '')).catch(() => ''),
    ]);
    return Promise.all(parseSnapshotList(list).map(async (r) => {
      const x = parseSnapshotXml(await this.v.run(['snapshot-dumpxml', '--domain', this.domain, '--snapshotname', r.name]).catch(() => '<domainsnapshot/>'));
      return { name: r.name, parent: r.parent, created: r.created, state: r.state, description: x.description, memory: x.memory, diskOnly: x.diskOnly, current: r.name === current };
    }));
  }
}
