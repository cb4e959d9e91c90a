// What virsh tells about the inside of a guest: its addresses (domifaddr, from the DHCP lease,
// the guest agent or the host's ARP table), its NIC counters (domifstat), what the guest agent
// says (guestinfo, domfsinfo), and why it is in its state (domstate --reason, domblkerror).
// Pure: text in, records out. Tested on captures from the labs (test/fixtures/guest/).

/** where an address was learnt, in the order they are trusted: the guest's own word first */
export type AddrSource = 'agent' | 'lease' | 'arp';
export const ADDR_SOURCES: readonly AddrSource[] = ['agent', 'lease', 'arp'];

export interface IfAddr {
  /** the interface's name: the host side (vnet0) for lease/arp, the guest's (eth0) for the agent */
  iface: string;
  mac: string;
  family: 'ipv4' | 'ipv6';
  addr: string;
  prefix: number | undefined;
}

/** a table's header or its line of dashes: not data */
const RULE = /^-{4,}$/;

/**
 * `virsh domifaddr DOM --source S` (with or without -q). An interface with several addresses
 * prints its name and MAC once; the next lines say "-": they belong to the interface above.
 */
export function parseDomifaddr(text: string): IfAddr[] {
  const out: IfAddr[] = [];
  let iface = '';
  let mac = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || RULE.test(line) || /^Name\s+MAC address\s+Protocol\s+Address$/.test(line)) continue;
    // the name may hold spaces (a Windows guest's "Ethernet 2"): everything before the MAC
    const m = /^(.+?)\s+(\S+)\s+(ipv4|ipv6)\s+(\S+)$/.exec(line);
    if (!m) continue;
    if (m[1] !== '-') iface = m[1]!;
    if (m[2] !== '-') mac = m[2]!;
    else if (m[1] !== '-') mac = '';
    const [addr, prefix] = m[4]!.split('/');
    out.push({ iface, mac, family: m[3] as 'ipv4' | 'ipv6', addr: addr!, prefix: prefix === undefined ? undefined : Number(prefix) });
  }
  return out;
}

/** an address worth showing: not loopback, not link-local (fe80::, 169.254.) */
export function usefulAddr(a: IfAddr): boolean {
  if (a.family === 'ipv4') return !a.addr.startsWith('127.') && !a.addr.startsWith('169.254.');
  return a.addr !== '::1' && !/^fe[89ab][0-9a-f]:/i.test(a.addr);
}

/** The addresses a row shows: IPv4 first, then IPv6, loopback and link-local left out. */
export function shownAddrs(addrs: readonly IfAddr[]): { v4: string[]; v6: string[] } {
  const keep = addrs.filter(usefulAddr);
  return { v4: keep.filter((a) => a.family === 'ipv4').map((a) => a.addr), v6: keep.filter((a) => a.family === 'ipv6').map((a) => a.addr) };
}

export interface IfStat {
  iface: string;
  rxBytes: number; rxPackets: number; rxErrs: number; rxDrop: number;
  txBytes: number; txPackets: number; txErrs: number; txDrop: number;
}

/** `virsh domifstat DOM IFACE`: "vnet0 rx_bytes 5352" lines. */
export function parseDomifstat(text: string): IfStat | undefined {
  const v = new Map<string, number>();
  let iface = '';
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(rx|tx)_(bytes|packets|errs|drop)\s+(-?\d+)$/.exec(line.trim());
    if (!m) continue;
    iface = m[1]!;
    v.set(`${m[2]}_${m[3]}`, Number(m[4]));
  }
  if (!iface) return undefined;
  const n = (k: string) => v.get(k) ?? 0;
  return {
    iface,
    rxBytes: n('rx_bytes'), rxPackets: n('rx_packets'), rxErrs: n('rx_errs'), rxDrop: n('rx_drop'),
    txBytes: n('tx_bytes'), txPackets: n('tx_packets'), txErrs: n('tx_errs'), txDrop: n('tx_drop'),
  };
}

/** bytes per second between two readings (a counter that went back, a restarted guest: 0) */
export function ifRates(a: IfStat, b: IfStat, seconds: number): { rx: number; tx: number } {
  if (seconds <= 0) return { rx: 0, tx: 0 };
  return { rx: Math.max(0, b.rxBytes - a.rxBytes) / seconds, tx: Math.max(0, b.txBytes - a.txBytes) / seconds };
}

export interface GuestFs { mountpoint: string; name: string; type: string; totalBytes?: number; usedBytes?: number; disks: string[] }
export interface GuestIface { name: string; mac: string; addrs: Array<{ family: string; addr: string; prefix: number | undefined }> }

export interface GuestInfo {
  os: string;
  kernel: string;
  hostname: string;
  timezone: string;
  users: Array<{ name: string; domain?: string; loginTime?: number }>;
  fs: GuestFs[];
  ifaces: GuestIface[];
  /** every "key : value" line, in order */
  fields: Array<[string, string]>;
}

/** `virsh guestinfo DOM`: "os.pretty-name      : Debian ..." lines, lists as "fs.0.name". */
export function parseGuestinfo(text: string): GuestInfo {
  const fields: Array<[string, string]> = [];
  const v = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s*: ?(.*)$/.exec(line);
    if (!m) continue;
    fields.push([m[1]!, m[2]!]);
    v.set(m[1]!, m[2]!);
  }
  const count = (k: string) => Number(v.get(`${k}.count`) ?? 0);
  const num = (k: string) => (v.has(k) ? Number(v.get(k)) : undefined);
  const users = [...Array(count('user')).keys()].map((i) => ({
    name: v.get(`user.${i}.name`) ?? '', domain: v.get(`user.${i}.domain`), loginTime: num(`user.${i}.login-time`),
  }));
  const fs = [...Array(count('fs')).keys()].map((i): GuestFs => ({
    mountpoint: v.get(`fs.${i}.mountpoint`) ?? '', name: v.get(`fs.${i}.name`) ?? '', type: v.get(`fs.${i}.fstype`) ?? '',
    totalBytes: num(`fs.${i}.total-bytes`), usedBytes: num(`fs.${i}.used-bytes`),
    disks: [...Array(count(`fs.${i}.disk`)).keys()].map((j) => v.get(`fs.${i}.disk.${j}.alias`) ?? v.get(`fs.${i}.disk.${j}.device`) ?? ''),
  }));
  const ifaces = [...Array(count('if')).keys()].map((i): GuestIface => ({
    name: v.get(`if.${i}.name`) ?? '', mac: v.get(`if.${i}.hwaddr`) ?? '',
    addrs: [...Array(count(`if.${i}.addr`)).keys()].map((j) => ({
      family: v.get(`if.${i}.addr.${j}.type`) ?? '', addr: v.get(`if.${i}.addr.${j}.addr`) ?? '', prefix: num(`if.${i}.addr.${j}.prefix`),
    })),
  }));
  const offset = num('timezone.offset');
  const tz = v.get('timezone.name') ?? '';
  return {
    os: v.get('os.pretty-name') ?? v.get('os.name') ?? '',
    kernel: [v.get('os.kernel-release'), v.get('os.machine')].filter(Boolean).join(' '),
    hostname: v.get('hostname') ?? '',
    timezone: offset === undefined ? tz : `${tz || 'UTC'}${offset ? ` (${offset >= 0 ? '+' : '-'}${String(Math.floor(Math.abs(offset) / 3600)).padStart(2, '0')}:${String(Math.floor((Math.abs(offset) % 3600) / 60)).padStart(2, '0')})` : ''}`,
    users, fs, ifaces, fields,
  };
}

export interface FsInfoRow { mountpoint: string; name: string; type: string; target: string }

/** `virsh domfsinfo DOM` (with or without -q): mount point, device name, type, the disks under it. */
export function parseDomfsinfo(text: string): FsInfoRow[] {
  const out: FsInfoRow[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || RULE.test(line) || /^Mountpoint\s+Name\s+Type\s+Target$/.test(line)) continue;
    // virsh pads its columns with at least three spaces; a mount point may hold a single space
    const cells = line.split(/\s{3,}/);
    if (cells.length < 3) continue;
    const [mountpoint, name, type, target = ''] = cells as [string, string, string, string?];
    out.push({ mountpoint, name, type, target });
  }
  return out;
}

export interface BlkError { disk: string; error: string }

/** `virsh domblkerror DOM`: "vda: no space" lines, or "No errors found". */
export function parseDomblkerror(text: string): BlkError[] {
  const out: BlkError[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+): (.+?)\s*$/.exec(line);
    if (m) out.push({ disk: m[1]!, error: m[2]! });
  }
  return out;
}

/** what a disk error means for the operator */
export function blkErrorWords(error: string): string {
  if (/no space/i.test(error)) return 'the disk image\'s storage is full (ENOSPC): the guest paused itself rather than lose writes';
  if (/unspecified/i.test(error)) return 'an I/O error on the disk image (the storage under it failed or went away)';
  return error;
}

export interface StateReason { state: string; reason: string }

/** `virsh domstate DOM --reason`: "paused (ioerror)". */
export function parseDomstateReason(text: string): StateReason {
  const line = text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  const m = /^(.*?)\s*\((.*)\)$/.exec(line);
  return m ? { state: m[1]!, reason: m[2]! } : { state: line, reason: '' };
}

// virsh's reason words (tools/virsh-domain-monitor.c) in plain words
const REASONS: Record<string, Record<string, string>> = {
  running: {
    booted: 'it was started (booted normally)', migrated: 'it arrived by migration', restored: 'it was restored from a saved state',
    'from snapshot': 'it was reverted to a snapshot', unpaused: 'it was resumed after a pause', 'migration canceled': 'a migration away was canceled',
    'save canceled': 'a save was canceled', wakeup: 'it woke up from a guest suspend', crashed: 'it crashed and kept running (on_crash preserve)',
    'post-copy': 'it runs on this host while a post-copy migration finishes', 'post-copy failed': 'a post-copy migration failed',
  },
  paused: {
    user: 'someone paused it (virsh suspend, or p here)', migrating: 'it is paused for a migration', saving: 'it is paused while being saved',
    dumping: 'it is paused while its memory is dumped', ioerror: 'a disk I/O error paused it (a full or failing storage: see the disk errors below)',
    watchdog: 'its watchdog fired and paused it', 'from snapshot': 'it was reverted to a paused snapshot', 'shutting down': 'it is paused while shutting down',
    snapshot: 'it is paused while a snapshot is taken', 'crashed': 'the guest crashed (panic) and was left paused', starting: 'it is paused while starting',
    'post-copy': 'it is paused during a post-copy migration', 'post-copy failed': 'a post-copy migration failed and paused it', 'api error': 'a libvirt call failed and left it paused',
    unknown: 'it is paused for a reason libvirt does not know',
  },
  'shut off': {
    unknown: 'it has not run since libvirt started, or was defined shut off', shutdown: 'the guest shut itself down', destroyed: 'it was destroyed (powered off at once)',
    crashed: 'QEMU crashed or was killed: the log below may say why', migrated: 'it was migrated away', saved: 'it was saved to a file', failed: 'it failed to start: the log below says why',
    'from snapshot': 'it was reverted to a shut-off snapshot', daemon: 'the daemon stopped it',
  },
  crashed: { panicked: 'the guest kernel panicked', unknown: 'it crashed' },
  pmsuspended: { unknown: 'the guest suspended itself (S3/S4)' },
  'in shutdown': { user: 'a shutdown was asked and the guest is shutting down', unknown: 'the guest is shutting down' },
};

/** "paused (ioerror)" in words. */
export function reasonWords(r: StateReason): string {
  return REASONS[r.state]?.[r.reason] ?? (r.reason && r.reason !== 'unknown' ? `${r.state}: ${r.reason}` : r.state);
}

/** `qemu-agent-command DOM '{"execute":"guest-ping"}'` answered: `{"return":{}}` */
export function agentPingOk(text: string): boolean {
  try {
    return typeof (JSON.parse(text.trim()) as { return?: unknown }).return === 'object';
  } catch {
    return false;
  }
}

/** what virsh says when a domain has no agent channel at all (vs. one whose agent does not answer) */
export function noAgentChannel(line: string): boolean {
  return /guest agent is not configured/i.test(line);
}

/** the guest agent's channel to add to a domain's <devices> */
export const AGENT_CHANNEL_XML = [
  "<channel type='unix'>",
  "  <target type='virtio' name='org.qemu.guest_agent.0'/>",
  '</channel>',
];

/** A domain XML has the guest agent's channel. */
export function hasAgentChannel(xml: string): boolean {
  return /<target\s[^>]*name=['"]org\.qemu\.guest_agent\.0['"]/.test(xml);
}
