// What a connection URI says about where its host is. Pure.

/** a URI whose host is this machine (its files and `ip` are ours): no host part, and not the test driver */
export function isLocalUri(uri: string): boolean {
  return /^[a-z0-9+]+:\/\/\//i.test(uri) && !/^test:/.test(uri);
}
