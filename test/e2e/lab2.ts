// Lab 2 (../shared/lab/README.md, "Lab 2"): a second real libvirt host, virtlab2, reached by a
// unix socket and by real SSH on 127.0.0.1:2222, whose sshd logs every login.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir } from '../helpers.ts';
import { until } from './labguest.ts';

const KEY = 'keyfile=/var/lib/virt-lab2/ssh/id_ed25519&no_verify=1';
export const LAB2_UNIX_URI = 'qemu+unix:///system?socket=/run/virt-lab2/libvirt-sock';
export const LAB2_SSH_URI = `qemu+ssh://root@127.0.0.1:2222/system?${KEY}&socket=/run/virt-lab2/libvirt-sock`;
/** lab 1 (qemu:///system) through lab 2's sshd: a second remote host for the same login count */
export const LAB1_SSH_URI = `qemu+ssh://root@127.0.0.1:2222/system?${KEY}&socket=/run/libvirt/libvirt-sock`;
export const SSHD_LOG = '/run/virt-lab2/sshd.log';

/** npm test starts lab 2 unless one of these is set (src/virsh/bootstrap.mjs) */
export const LAB2_SKIPPED = process.env.VIRTUI_SKIP_LAB === '1' || process.env.VIRTUI_SKIP_LAB2 === '1';

/**
 * The source port of each login in the sshd log, oldest first (a login is an 'Accepted publickey'
 * line). The log is lab 2's own, but every client of lab 2's sshd counts in it: tests that count
 * logins run serially. stopLab2() deletes the log (teardown removes /run/virt-lab2): the count
 * starts again from 0 after startLab2().
 */
export function sshLoginPorts(): number[] {
  if (!existsSync(SSHD_LOG)) return [];
  return [...readFileSync(SSHD_LOG, 'utf8').matchAll(/Accepted publickey for \S+ from \S+ port (\d+)/g)].map((m) => Number(m[1]));
}

export function sshLogins(): number {
  return sshLoginPorts().length;
}

const answers = (uri: string) => spawnSync('virsh', ['-q', '-c', uri, 'list', '--name'], { encoding: 'utf8', timeout: 30_000 }).status === 0;

/** Lab 2 is wanted and its daemon answers on the unix socket now. */
export function lab2Available(): boolean {
  return !LAB2_SKIPPED && answers(LAB2_UNIX_URI);
}

function script(name: string, ...args: string[]): void {
  const r = spawnSync('bash', [join(sharedDir(), 'lab', name), ...args], {
    encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, LAB_SKIP_INSTALL: '1' },
  });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed (exit ${r.status}):\n${`${r.stdout}${r.stderr}`.split('\n').slice(-20).join('\n')}`);
}

/** Stops lab 2 as an outage would (daemons, sshd, guests; its state is kept): teardown-lab2.sh --keep. */
export function stopLab2(): void {
  script('teardown-lab2.sh', '--keep');
  until(() => !answers(LAB2_UNIX_URI), 30, 'lab 2 to stop answering');
}

/**
 * Kills lab 2's libvirtd alone (its sshd and guests stay): a daemon that dies on a host that is
 * still reachable. startLab2() starts it again (~3-5 s).
 */
export function killLab2Daemon(): void {
  const pid = Number(readFileSync('/run/virt-lab2/libvirtd.pid', 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  until(() => !answers(LAB2_UNIX_URI), 30, 'lab 2\'s libvirtd to stop answering');
}

/**
 * Starts lab 2 again (setup-lab2.sh: ~15-35 s after stopLab2, ~3-5 s after killLab2Daemon) and
 * waits until both its URIs answer: the check of the ssh URI is one login.
 */
export function startLab2(): void {
  script('setup-lab2.sh');
  until(() => answers(LAB2_UNIX_URI), 60, `${LAB2_UNIX_URI} to answer`);
  until(() => answers(LAB2_SSH_URI), 60, `${LAB2_SSH_URI} to answer`);
}
