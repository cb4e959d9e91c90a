// What runs in a pane, as argument arrays, and how to read what it said. Pure.
import type { PtySpec } from './process.ts';
import { guestfsEnv } from '../libvirt/guestfs.ts';

const uriArgs = (uri: string, readonly: boolean) => [...(readonly ? ['-r'] : []), '-c', uri];

/** `virsh -c URI console [--force] --domain DOMAIN` */
export function consoleSpec(uri: string, domain: string, force = false): PtySpec {
  return { file: 'virsh', args: ['-c', uri, 'console', ...(force ? ['--force'] : []), '--domain', domain], pkg: 'libvirt-clients' };
}

/** an interactive `virsh -c URI` */
export function shellSpec(uri: string, readonly: boolean): PtySpec {
  return { file: 'virsh', args: uriArgs(uri, readonly), pkg: 'libvirt-clients' };
}

export type FishTarget =
  | { kind: 'domain'; name: string }
  | { kind: 'volume'; name: string; path: string; format: string };

export interface FishOptions {
  uri: string;
  readonly: boolean;
  /** -i: inspect the guest and mount its filesystems */
  inspect: boolean;
  /** the caller's environment (LIBGUESTFS_* are passed on) */
  env?: NodeJS.ProcessEnv;
}

/**
 * guestfish on a domain's disks (`-d`, through libvirt) or on one volume (`-a PATH`).
 * LIBGUESTFS_BACKEND=direct unless the user chose a backend: the libvirt backend would ask the
 * daemon for a second, transient domain, which a read-only or remote connection cannot have.
 * LIBGUESTFS_BACKEND_SETTINGS passes through (force_tcg where KVM cannot run the appliance).
 */
export function guestfishSpec(t: FishTarget, o: FishOptions): PtySpec {
  const env = guestfsEnv(o.env);
  const args = [...(o.readonly ? ['--ro'] : ['--rw'])];
  if (t.kind === 'domain') args.push('-c', o.uri, '-d', t.name);
  else args.push(...(t.format ? [`--format=${t.format}`] : []), '-a', t.path);
  if (o.inspect) args.push('-i');
  return { file: 'guestfish', args, env, pkg: 'libguestfs-tools' };
}

/** guestfish's prompt: the appliance is up (or, without -i, guestfish waits for `run`) */
export const FISH_PROMPT = /><fs> $/m;
/** -i found nothing to mount: run again without it */
export const FISH_NO_OS = /no operating system was found on this disk/;

export type ConsoleFailure = 'busy' | 'no-device' | 'not-running' | null;

/** Why `virsh console` gave up, from what it printed. */
export function consoleFailure(output: string): ConsoleFailure {
  if (/Active console session exists/i.test(output)) return 'busy';
  if (/cannot find (character|console) device|no console devices/i.test(output)) return 'no-device';
  if (/domain is not running/i.test(output)) return 'not-running';
  return null;
}

/** The XML lines that give a domain a serial console (what `virt-install` adds by default). */
export const SERIAL_XML = [
  "<serial type='pty'>",
  "  <target port='0'/>",
  '</serial>',
  "<console type='pty'>",
  "  <target type='serial' port='0'/>",
  '</console>',
];

/**
 * Output bytes as a log line would keep them: escape sequences and other control characters
 * dropped, CR LF made LF. The log is text to read and grep, not a replay.
 */
export function plainText(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b[P^_][^\x1b]*(?:\x1b\\)?/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b[ -/]*[0-~]?/g, '')
    .replace(/\r+\n/g, '\n')
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/** a virsh command that streams or waits (`event --loop`), in a pane of its own instead of the shared session */
export function virshCommandSpec(uri: string, readonly: boolean, args: readonly string[]): PtySpec {
  return { file: 'virsh', args: [...uriArgs(uri, readonly), ...args], pkg: 'libvirt-clients' };
}
