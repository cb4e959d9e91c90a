// VirshError: what failed, the first error line, and what the user can do about it.

export class VirshError extends Error {
  constructor(
    /** the command as the user would type it (virsh ... or another tool) */
    readonly command: string,
    /** the first meaningful error line, without the "error: " prefix */
    readonly line: string,
    readonly hint: string,
    /** everything virsh wrote to stderr */
    readonly stderr = '',
    readonly kind: 'failed' | 'timeout' | 'died' | 'missing' | 'cancelled' = 'failed',
  ) {
    super(hint ? `${line} (${hint})` : line);
    this.name = 'VirshError';
  }
}

/** Lines that are warnings whatever their prefix: libvirt prints them before the real error. */
// only polkit's "not available" warning: "authentication unavailable: no polkit agent ..." is the real error
const NOISE = [/Authorization not available/i, /^warning:/i];

/**
 * The lines that say what failed: virsh's `error:` lines (other lines are warnings, kept only in
 * the log's detail), without known noise such as polkit's "Authorization not available" when a
 * real error follows it.
 */
export function errorLines(stderr: string): string[] {
  const raw = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const errs = raw.filter((l) => /^error:/i.test(l)).map((l) => l.replace(/^error:\s*/i, '').trim()).filter(Boolean);
  const pool = errs.length ? errs : raw;
  const real = pool.filter((l) => !NOISE.some((re) => re.test(l)));
  return real.length ? real : pool;
}

/**
 * The first informative line of virsh's stderr. virsh often says "Failed to start domain 'x'"
 * and gives the cause on the next line: both are kept.
 */
export function firstErrorLine(stderr: string): string {
  const lines = errorLines(stderr);
  if (lines.length === 0) return 'unknown error';
  if (lines.length > 1 && /^failed to /i.test(lines[0]!)) return `${lines[0]}: ${lines[1]}`;
  return lines[0]!;
}

/**
 * [the error, what to do, what it means for the connection: 'lost' libvirt is out of reach (the
 * lists go stale; trying again later can help), 'denied' we are refused (trying again cannot help)]
 */
const HINTS: Array<[RegExp, string, ('lost' | 'denied')?]> = [
  [/read only access prevents|read-only|operation forbidden.*read only/i,
    'the connection is read-only (-r, :hosts n -r, or readonly: true in the config): open it read-write to change anything'],
  // SSH refusing us: retrying cannot help (and every try is a failed login), so these are not 'lost'
  [/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i,
    'ssh does not trust the host\'s key: connect once with ssh to check and accept it (or add no_verify=1 to the URI)', 'denied'],
  // ssh prints the unreadable key file, then the refused login on a line of its own (not an error: line)
  [/Identity file .* not accessible/i, 'ssh cannot read the key file: check keyfile= in the URI', 'denied'],
  [/Permission denied \((publickey|password|keyboard-interactive)|Too many authentication failures/i,
    'ssh refused the login: check the user and the key (keyfile= in the URI); virtui cannot type a password', 'denied'],
  // the transport's own cause before the general "lost": the host or its daemon is out of reach
  [/ssh: connect to host .*(Connection refused|No route to host|timed out|Network is unreachable)|ssh: Could not resolve hostname|kex_exchange_identification|Connection closed by remote host/i,
    'the host cannot be reached over ssh (sshd not running, the host down or unreachable): virtui tries again', 'lost'],
  // qemu+ssh's netcat proxy on the far side: the host answers, its libvirtd does not
  [/nc: .*: (No such file or directory|Connection refused)/i,
    'libvirtd is not running on the remote host (its socket is missing there): start it there, or check socket= in the URI', 'lost'],
  [/due to keepalive timeout|connection closed due to keepalive/i,
    'libvirtd stopped answering (keepalive timeout): the daemon hangs or the network dropped; virtui reconnects at the next refresh (^R)', 'lost'],
  // the connection's real cause first: a missing socket or a refused connection is not a permission problem
  [/Disconnected from .* due to|End of file while reading data|Failed to reconnect to the hypervisor|no valid connection|client socket is closed/i,
    'the connection to libvirtd was lost (the daemon stopped or restarted): virtui reconnects at the next refresh (^R)', 'lost'],
  [/Failed to connect socket to .*No such file or directory|No such file or directory.*sock/i,
    'libvirtd is not running: its socket does not exist. Start it (systemctl start libvirtd), check the URI, or try virtui --demo', 'lost'],
  [/Connection refused/i,
    'libvirtd is not running: the connection was refused. Start it (systemctl start libvirtd), check the URI, or try virtui --demo', 'lost'],
  [/did not answer within|Timed out during operation|cannot acquire state change lock/i,
    'libvirtd did not answer in time: it may be hung or overloaded (check it with virsh on the host)', 'lost'],
  [/Permission denied|authentication (unavailable|failed)|access denied|not authorized/i,
    'permission denied: run as root, add your user to the libvirt group, or use qemu:///session', 'denied'],
  [/Failed to connect socket|cannot connect to .*libvirt|libvirtd.*not running/i,
    'libvirtd is not running or not reachable: start it (systemctl start libvirtd), check the URI, or try virtui --demo', 'lost'],
  [/Domain not found|failed to get domain|no domain with matching/i,
    'the domain no longer exists (undefined elsewhere?); the list has been refreshed'],
  [/Network not found|failed to get network|no network with matching/i, 'the network no longer exists'],
  [/Storage pool not found|failed to get pool|no storage pool with matching/i, 'the storage pool no longer exists'],
  [/Storage volume not found|failed to get vol|no storage vol with matching/i, 'the volume no longer exists'],
  [/domain is not running/i, 'the domain is not running: start it first'],
  [/domain is already running|already active/i, 'the domain is already running'],
  [/domain is not paused|not paused/i, 'the domain is not paused'],
  [/managed save image exists|Refusing to undefine while domain managed save/i,
    'the domain has a managed save image: undefine it together with its managed save'],
  [/cannot undefine transient domain/i, 'a transient domain disappears when it stops: destroy it instead'],
  [/has snapshots|snapshot metadata/i, 'the domain has snapshots: undefine it together with their metadata'],
  [/nvram/i, 'the domain has UEFI variables (NVRAM): keep or remove them with the undefine options'],
  [/unknown command|command .* doesn't support option|unknown option|expected syntax/i,
    'see `virsh help <command>` (type :help <command>)'],
  [/Requested operation is not valid/i, 'not possible in the current state; the list has been refreshed'],
  [/not supported|this function is not supported/i, 'this hypervisor driver does not support it'],
];

/** The hint for the error lines of `text` (its warnings do not count). */
function ruleFor(text: string): (typeof HINTS)[number] | undefined {
  const lines = errorLines(text).join('\n');
  return HINTS.find(([re]) => re.test(lines));
}

export function hintFor(text: string): string {
  return ruleFor(text)?.[1] ?? '';
}

/** Whether the error says libvirt is out of reach (no socket, refused, lost, no answer), by the same rules as the hint. */
export function connectionLost(text: string): boolean {
  return ruleFor(text)?.[2] === 'lost';
}

/**
 * Whether virsh says that its own connection is gone (the daemon went, or stopped answering), as
 * opposed to any failure to connect: a migration whose destination is out of reach fails with
 * "Failed to connect socket" too, while the source connection is fine.
 */
export function linkLost(stderr: string): boolean {
  return /Disconnected from .* due to|Failed to reconnect to the hypervisor|no valid connection|client socket is closed|connection closed due to keepalive/i
    .test(errorLines(stderr).join('\n'));
}

/** Whether the error says we are refused (a login, a key, a permission): trying again cannot help. */
export function accessDenied(text: string): boolean {
  return ruleFor(text)?.[2] === 'denied';
}

/**
 * What to do about a failed `virsh migrate`: its usual causes first (the storage libvirt cannot
 * prove shared, the CPU, the target out of reach), else the general rules. A migration's ssh
 * failure is about the target, not the source's own connection (no "virtui tries again").
 */
const MIGRATION_HINTS: Array<[RegExp, string]> = [
  [/Unsafe migration|without shared storage is unsafe|cache mode.*unsafe/i,
    'libvirt cannot prove the disks are on shared storage: if both hosts see the same files (a directory both mount), migrate again with --unsafe; else copy the disks (--copy-storage-all)'],
  [/canceled by client|migration.*(cancel|abort)ed|operation aborted/i, 'the migration was cancelled (domjobabort): the guest stays on the source'],
  [/guest CPU doesn't match|CPU.*incompatible|incompatible.*CPU|Host CPU does not provide|unsupported configuration: .*(cpu|CPU)|does not support.*CPU model/i,
    'the target\'s CPU cannot run the guest\'s CPU model: give the guest a model both hosts have (or host-model), or choose another host'],
  [/ssh: |Host key verification failed|Permission denied \(publickey/i,
    'the target cannot be reached over ssh: check the URI (user, port, keyfile=) and that the target\'s sshd runs'],
  [/Cannot access storage file|No such file or directory|Unable to find pool for path|cannot precreate storage/i,
    'a disk file is missing on the target: copy the disks (--copy-storage-all, with a pool for their directory there) or share the storage'],
  [/Network not found|no network with matching/i, 'the target has no active network of that name: define and start it there'],
  [/Storage pool not found|no storage pool with matching/i, 'the target has no active pool of that name: define and start it there'],
  [/domain .* already exists|already exists with uuid|already defined/i, 'the target has a domain of that name or UUID already: remove or rename one of them'],
  [/domain is not running/i, 'a live migration needs a running guest: choose offline for a shut-off one'],
  [/offline migration/i, 'an offline migration moves only the definition of a shut-off guest, and needs --persistent'],
  [/Failed to connect socket|Connection refused|No route to host|Unable to connect|unable to connect to server/i,
    'the target host cannot be reached (its libvirtd, the URI, or --migrateuri: the address the target listens on for the memory stream)'],
];

export function migrationHint(stderr: string): string {
  const lines = errorLines(stderr).join('\n');
  return MIGRATION_HINTS.find(([re]) => re.test(lines))?.[1] ?? hintFor(stderr);
}

export function virshFailure(command: string, stderr: string): VirshError {
  const line = firstErrorLine(stderr);
  return new VirshError(command, line, hintFor(stderr), stderr);
}
