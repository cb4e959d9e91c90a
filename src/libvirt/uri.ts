// What a connection URI says about where its host is. Pure.

/** a URI whose host is this machine (its files and `ip` are ours): no host part, and not the test driver */
export function isLocalUri(uri: string): boolean {
  return /^[a-z0-9+]+:\/\/\//i.test(uri) && !isTestDriver(uri);
}

/** the test driver: its world lives inside the virsh that opened it (no daemon, no events) */
export function isTestDriver(uri: string): boolean {
  return uri.startsWith('test:');
}

/** a file the host reads (an ISO, a save file, a disk) is a file of this machine: a local host, or the test driver (it runs here) */
export function filesHere(uri: string): boolean {
  return isLocalUri(uri) || isTestDriver(uri);
}

/** a short name for a host from its URI: its host part, else driver and the last part of the path ("qemu:system") */
export function uriName(uri: string): string {
  const m = /^([a-z][a-z0-9.+-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::\d+)?(\/[^?#]*)?/i.exec(uri);
  if (!m) return uri;
  if (m[2]) return m[2].replace(/^\[|\]$/g, '');
  const driver = m[1]!.split('+')[0]!;
  const path = (m[3] ?? '').replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last ? `${driver}:${last}` : driver;
}

/** the URI names a host of its own (qemu+ssh://kvm1/...), not this machine's daemon or a test world */
export function hasHost(uri: string): boolean {
  return /^[a-z][a-z0-9.+-]*:\/\/(?:[^@/?#]*@)?[^/@?#]/i.test(uri);
}
