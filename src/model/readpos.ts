// How far a file has been read by the process reading it: the position of its open file
// description (/proc/PID/fdinfo/FD). virsh restore says nothing while libvirt's QEMU (or its
// iohelper, or a decompressor) reads the save file; on this machine that position is the
// restore's progress. Linux only, and only the processes this user may look into (root: all).
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { humanBytes } from '../libvirt/units.ts';
import type { JobProgress } from './jobs.ts';

/** `pos:\t37274096` of an fdinfo; undefined when it has none */
export function fdinfoPos(text: string): number | undefined {
  const m = /^pos:\s*(\d+)/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * A reader of `path`'s read position: each call returns the furthest position of the processes
 * that have it open (other than virtui), or null when none has (yet). The process and descriptor
 * found are looked at first the next time, so a steady poll reads one fdinfo.
 */
export function readPosition(file: string, proc = '/proc', self = process.pid): () => number | null {
  // (a descriptor's link names the file by its real path)
  let path = file;
  try { path = realpathSync(file); } catch { /* not there (yet): as given */ }
  let known: Array<{ pid: string; fd: string }> = [];
  const at = (pid: string, fd: string): number | undefined => {
    try {
      if (readlinkSync(`${proc}/${pid}/fd/${fd}`) !== path) return undefined;
      return fdinfoPos(readFileSync(`${proc}/${pid}/fdinfo/${fd}`, 'utf8'));
    } catch { return undefined; }
  };
  const scan = (): Array<{ pid: string; fd: string }> => {
    const found: Array<{ pid: string; fd: string }> = [];
    let pids: string[] = [];
    try { pids = readdirSync(proc).filter((p) => /^\d+$/.test(p) && p !== String(self)); } catch { return found; }
    for (const pid of pids) {
      let fds: string[];
      try { fds = readdirSync(`${proc}/${pid}/fd`); } catch { continue; }
      for (const fd of fds) {
        try { if (readlinkSync(`${proc}/${pid}/fd/${fd}`) === path) found.push({ pid, fd }); } catch { /* closed meanwhile */ }
      }
    }
    return found;
  };
  const furthest = (list: Array<{ pid: string; fd: string }>) => {
    let best: number | null = null;
    const alive: Array<{ pid: string; fd: string }> = [];
    for (const x of list) {
      const p = at(x.pid, x.fd);
      if (p === undefined) continue;
      alive.push(x);
      if (best === null || p > best) best = p;
    }
    return { best, alive };
  };
  return () => {
    let r = furthest(known);
    if (r.best === null) r = furthest(scan());
    known = r.alive;
    return r.best;
  };
}

/**
 * A restore's progress line: the bytes read of the file when a reader's position is known; else
 * the file's size and the time so far (a remote host's file, or before QEMU has opened it). Pure.
 */
export function restoreProgress(r: { pos: number | null; size?: number; elapsedMs: number }): JobProgress {
  const secs = `${Math.round(r.elapsedMs / 1000)} s`;
  if (r.pos !== null && r.size) {
    const done = Math.min(r.pos, r.size);
    return { text: `${humanBytes(done)}/${humanBytes(r.size)} read, ${secs}`, done, total: r.size };
  }
  return { text: r.size ? `reading the ${humanBytes(r.size)} file, ${secs}` : `reading the file (no progress from libvirt), ${secs}` };
}
