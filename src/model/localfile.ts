// What the storage jobs need to know of a file on this machine (the end of an upload or a
// download, a save file on a local host): whether it is there, its size, its first bytes.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export interface LocalFile {
  /** the path made absolute (from virtui's working directory): what the command gets */
  path: string;
  exists: boolean;
  isFile: boolean;
  size: number;
  /** the directory it would go in exists */
  dirExists: boolean;
}

export function localFile(path: string, cwd = process.cwd()): LocalFile {
  // ~ as a shell would read it: the operator types paths as they would in one
  const abs = resolve(cwd, /^~(\/|$)/.test(path) ? join(homedir(), path.slice(1)) : path);
  const st = statOf(abs);
  const dir = statOf(dirname(abs));
  return { path: abs, exists: !!st, isFile: !!st?.isFile(), size: st?.size ?? 0, dirExists: !!dir?.isDirectory() };
}

/** the size of a file now (a download growing), 0 when it is not there (yet) */
export const sizeNow = (path: string): number => statOf(path)?.size ?? 0;

/** the first `n` bytes of a file (its format's magic) */
export function headOf(path: string, n = 8): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(n);
    const got = readSync(fd, b, 0, n, 0);
    return b.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

function statOf(p: string) {
  try { return statSync(p); } catch { return undefined; }
}
