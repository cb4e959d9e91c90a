// What a virsh command typed on the `:` line does to the shared session, by its verb. Pure.
//
// The session runs one command at a time: a command that streams or waits for something
// (`event --loop`, `console`) would hold it, and every refresh and action behind it, until the
// time limit restarts virsh (on the test driver that reloads the world). Long jobs run in a
// process of their own so that the lists keep refreshing meanwhile.

/** Never in the session: they stream, or wait for something that may never come. */
export const STREAMING: Readonly<Record<string, string>> = {
  event: 'it waits for events (with --loop, forever)',
  'qemu-monitor-event': 'it waits for QEMU monitor events',
  console: 'it needs a terminal of its own',
};

/** Long jobs: in their own virsh process (a real host), with a long time limit of silence. */
const LONG = new Set([
  'migrate', 'save', 'restore', 'dump', 'managedsave', 'vol-wipe', 'vol-upload', 'vol-download', 'vol-clone',
  'vol-create-from', 'snapshot-create', 'snapshot-create-as', 'blockcopy', 'blockcommit', 'blockpull', 'backup-begin',
]);

/**
 * Verbs that only read: they change nothing on the host (what the demo host loses at quit is
 * counted from the others). A verb not listed here counts as a change, to be safe.
 */
const READS = new Set([
  'help', 'version', 'uri', 'hostname', 'sysinfo', 'capabilities', 'domcapabilities', 'nodeinfo', 'nodecpumap',
  'nodecpustats', 'nodememstats', 'nodesuspend-info', 'nodedev-list', 'nodedev-dumpxml', 'nodedev-info', 'freecell', 'freepages',
  'maxvcpus', 'cpu-models', 'cpu-baseline', 'cpu-compare', 'hypervisor-cpu-compare', 'hypervisor-cpu-baseline', 'list', 'dominfo',
  'domstate', 'domid', 'domname', 'domuuid', 'domstats', 'domblklist', 'domiflist', 'domblkinfo', 'domblkstat',
  'domifstat', 'dommemstat', 'domblkerror', 'domcontrol', 'domjobinfo', 'domdisplay', 'domifaddr', 'domhostname',
  'domfsinfo', 'domxml-to-native', 'domxml-from-native', 'dumpxml', 'vcpucount', 'vcpuinfo', 'iothreadinfo', 'emulatorpin',
  'vncdisplay', 'ttyconsole', 'domlaunchsecinfo', 'guestinfo', 'guestvcpus', 'net-list', 'net-info', 'net-dumpxml',
  'net-uuid', 'net-name', 'net-dhcp-leases', 'net-port-list', 'net-port-dumpxml', 'pool-list', 'pool-info',
  'pool-dumpxml', 'pool-uuid', 'pool-name', 'pool-capabilities', 'find-storage-pool-sources', 'find-storage-pool-sources-as',
  'vol-list', 'vol-info', 'vol-dumpxml', 'vol-path', 'vol-name', 'vol-key', 'vol-pool', 'snapshot-list', 'snapshot-info',
  'snapshot-dumpxml', 'snapshot-current', 'snapshot-parent', 'checkpoint-list', 'checkpoint-info', 'checkpoint-dumpxml',
  'checkpoint-parent', 'iface-list', 'iface-dumpxml', 'iface-name', 'iface-mac', 'nwfilter-list', 'nwfilter-dumpxml',
  'nwfilter-binding-list', 'nwfilter-binding-dumpxml', 'secret-list', 'secret-dumpxml', 'nodedev-capabilities',
  'echo', 'pwd', 'domtime', 'schedinfo', 'blkiotune', 'memtune', 'numatune', 'domiftune',
  'blkdeviotune', 'perf', 'metadata', 'desc', 'vcpupin', 'domjobinfo', 'save-image-dumpxml', 'managedsave-dumpxml',
  'backup-dumpxml', 'domdirtyrate-calc', 'get-user-sshkeys', 'domblkthreshold',
]);

/** Settings verbs that only read when given no value to set (`schedinfo NAME` reads, `schedinfo NAME --set ...` writes). */
const READ_UNLESS_SET = new Set(['schedinfo', 'blkiotune', 'memtune', 'numatune', 'domiftune', 'blkdeviotune', 'perf', 'metadata', 'desc', 'vcpupin', 'emulatorpin', 'domtime']);

export type VerbPlan =
  | { kind: 'session' }
  | { kind: 'long' }
  | { kind: 'pane'; why: string };

/** Where a `:` command runs: in the session, in a process of its own, or in a terminal pane. */
export function planFor(args: readonly string[]): VerbPlan {
  const verb = args[0] ?? '';
  // every *-event command waits (net-event, pool-event, nodedev-event ...); `--list` only prints the event names
  if (STREAMING[verb] || /-event$/.test(verb)) {
    if (args.includes('--list')) return { kind: 'session' };
    return { kind: 'pane', why: STREAMING[verb] ?? 'it waits for events' };
  }
  if (LONG.has(verb)) return { kind: 'long' };
  return { kind: 'session' };
}

/** Whether a command may have changed the host (what the demo host loses at quit). */
export function changesHost(args: readonly string[]): boolean {
  const verb = args[0] ?? '';
  if (!READS.has(verb)) return true;
  if (!READ_UNLESS_SET.has(verb)) return false;
  // a value to set: anything but the object and --config/--live/--current style flags
  return args.slice(1).some((a) => /^--(set|sync|time|now|edit|new-desc|new|title|weight|hard-limit|soft-limit|swap-hard-limit|mode|nodeset|inbound|outbound|total-bytes-sec|read-bytes-sec|write-bytes-sec|total-iops-sec|enable|disable|remove|key|uri)\b/.test(a) || /^\d/.test(a));
}
