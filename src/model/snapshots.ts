// The snapshots of one domain: snapshot-list --parent, the current one, and each one's XML
// (description, memory or disk-only).
import { Store } from './store.ts';
import { parseSnapshotList, parseSnapshotXml } from '../libvirt/snapxml.ts';
import type { VirshRunner } from './domains.ts';
import { exactNames, parseNames } from '../libvirt/parse.ts';

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
  /** `target`: the domain as --domain names it (domainArg), `domain` its name */
  constructor(protected readonly v: VirshRunner, readonly domain: string, readonly target = domain) { super(); }

  get snapshots(): Snapshot[] { return this.items; }

  protected async fetch(): Promise<Snapshot[]> {
    const [list, names, current] = await Promise.all([
      this.v.run(['snapshot-list', '--domain', this.target, '--parent']),
      // the table escapes some characters of a name (its own and its parent's); --name does not
      this.v.run(['snapshot-list', '--domain', this.target, '--name']),
      // "domain has no current snapshot" is an error: none is current
      this.v.run(['snapshot-current', '--domain', this.target, '--name']).then((s) => s.replace(/\n$/, '')).catch(() => ''),
    ]);
    const rows = parseSnapshotList(list);
    const known = parseNames(names);
    const exact = exactNames(rows.map((r) => r.name), known);
    const parents = exactNames(rows.map((r) => r.parent), known);
    return Promise.all(rows.map((row, i) => ({ ...row, name: exact[i]!, parent: row.parent && parents[i]! })).map(async (r) => {
      const x = parseSnapshotXml(await this.v.run(['snapshot-dumpxml', '--domain', this.target, '--snapshotname', r.name]).catch(() => '<domainsnapshot/>'));
      return { name: r.name, parent: r.parent, created: r.created, state: r.state, description: x.description, memory: x.memory, diskOnly: x.diskOnly, current: r.name === current };
    }));
  }
}
