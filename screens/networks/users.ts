// The domains that use a network: for its detail view, and for the question before it stops.
import { parseDomainXml } from '../../src/libvirt/domxml.ts';
import { domainArg } from '../../src/libvirt/parse.ts';

export interface NetUser { domain: string; mac: string; running: boolean }

/**
 * The domains with an interface on network `net`, read from their XML (a table such as
 * domiflist's splits names with spaces). A domain that cannot be read is left out.
 */
export async function networkUsers(run: (args: string[]) => Promise<string>, domains: ReadonlyArray<{ name: string; uuid?: string; running: boolean }>, net: string): Promise<NetUser[]> {
  const each = await Promise.all(domains.map(async (d) => {
    const xml = await run(['dumpxml', '--domain', domainArg(d)]).catch(() => '');
    if (!xml) return [];
    // a portgroup follows the network's name after a /
    return parseDomainXml(xml).nics.filter((n) => n.type === 'network' && (n.source === net || n.source.startsWith(`${net}/`)))
      .map((n) => ({ domain: d.name, mac: n.mac, running: d.running }));
  }));
  return each.flat();
}

/** "web-01 and db-1 (running)", or '' when none: for a question */
export function usersText(users: readonly NetUser[]): string {
  const names = [...new Set(users.map((u) => u.domain))];
  if (!names.length) return '';
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
