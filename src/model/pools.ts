// The storage pools store: pool-list, then each pool's XML (type, sizes, path).
import { Store } from './store.ts';
import { parsePoolList, parsePoolXml, type PoolXmlInfo } from '../libvirt/poolxml.ts';
import type { VirshRunner } from './domains.ts';
import { exactNames } from '../libvirt/parse.ts';

export interface Pool extends PoolXmlInfo { active: boolean; autostart: boolean; persistent: boolean }

export class PoolStore extends Store<Pool> {
  constructor(protected readonly v: VirshRunner) { super(); }

  get pools(): Pool[] { return this.items; }

  protected async fetch(): Promise<Pool[]> {
    const [list, names, transient] = await Promise.all([
      this.v.run(['pool-list', '--all']), this.v.run(['pool-list', '--all', '--name']), this.v.run(['pool-list', '--all', '--transient', '--name'])]);
    // virsh 9 pads `pool-list --name` with spaces to the width of the longest name
    const nameLines = (text: string) => text.split('\n').map((n) => n.trimEnd()).filter(Boolean);
    const tset = new Set(nameLines(transient));
    // the table escapes some characters of a name; --name prints them as they are
    const rows = parsePoolList(list);
    const exact = exactNames(rows.map((r) => r.name), nameLines(names));
    return Promise.all(rows.map((row, i) => ({ ...row, name: exact[i]! })).map(async (r) => ({
      ...parsePoolXml(await this.v.run(['pool-dumpxml', '--pool', r.name]).catch(() => '<pool/>')),
      name: r.name, active: r.active, autostart: r.autostart, persistent: !tset.has(r.name),
    })));
  }
}
