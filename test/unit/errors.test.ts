import test from 'ava';
import { accessDenied, connectionLost, firstErrorLine, hintFor, virshFailure } from '../../src/virsh/errors.ts';
import { capture } from '../helpers.ts';

test('no daemon: both lines, and the hint says libvirtd is not running', (t) => {
  const e = virshFailure('virsh list', capture('error-no-daemon.txt'));
  t.regex(e.line, /failed to connect to the hypervisor: Failed to connect socket/);
  t.regex(e.hint, /libvirtd is not running/);
});

test('read-only connection', (t) => {
  const e = virshFailure('virsh destroy web-01', capture('error-readonly.txt'));
  t.is(e.line, "Failed to destroy domain 'web-01': operation forbidden: read only access prevents virDomainDestroy");
  t.regex(e.hint, /read-only/);
});

test('domain not found, already running, permission denied', (t) => {
  t.regex(hintFor(capture('lab-error-nosuch.txt')), /no longer exists/);
  t.regex(hintFor(capture('lab-error-already-running.txt')), /already running/);
  t.regex(hintFor("error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied"), /permission denied/);
  t.is(hintFor('error: something nobody planned for'), '');
});

test('first error line without the prefix', (t) => {
  t.is(firstErrorLine("error: failed to get domain 'nosuch'\n"), "failed to get domain 'nosuch'");
  t.is(firstErrorLine(''), 'unknown error');
});

test('polkit\'s warning before the real error: the real error and its hint', (t) => {
  const e = virshFailure('virsh snapshot-info lab-alpha --snapshotname nosuch', capture('error-polkit-then-real.txt'));
  t.is(e.line, "Domain snapshot not found: no domain snapshot with matching name 'nosuch'");
  t.notRegex(e.hint, /permission/);
  // the warning stays in the detail
  t.regex(e.stderr, /Authorization not available/);
  // prefixed as an error too, it still yields to a real one
  t.is(firstErrorLine('error: Authorization not available. Check if polkit service is running\nerror: Requested operation is not valid: domain is not running\n'), 'Requested operation is not valid: domain is not running');
  t.regex(firstErrorLine('Authorization not available. Check if polkit service is running\n'), /Authorization not available/);
});

test('a lost daemon names the real cause: gone socket, refused, lost connection', (t) => {
  const gone = virshFailure('virsh list', capture('error-no-socket.txt'));
  t.regex(gone.hint, /not running: its socket does not exist/);
  t.notRegex(gone.hint, /permission/);
  const killed = virshFailure('virsh list', capture('lab-error-daemon-killed.txt'));
  t.is(killed.line, 'Disconnected from qemu:///system due to end of file');
  t.regex(killed.hint, /connection to libvirtd was lost/);
  t.regex(hintFor("error: Failed to connect socket to '/run/libvirt/libvirt-sock': Connection refused"), /connection was refused/);
  t.regex(hintFor("error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied"), /permission denied/);
});

test('a real polkit error is not noise: no agent to authenticate is a permission problem', (t) => {
  const e = virshFailure('virsh list', "error: failed to connect to the hypervisor\nerror: authentication unavailable: no polkit agent available to authenticate action 'org.libvirt.unix.manage'\n");
  t.regex(e.line, /authentication unavailable: no polkit agent/);
  t.regex(e.hint, /permission denied/);
});

test('a lost connection is told by the same rules as its hint; a permission problem is not one', (t) => {
  t.true(connectionLost(capture('lab-error-daemon-killed.txt')));
  t.true(connectionLost(capture('error-no-socket.txt')));
  t.true(connectionLost("error: Failed to connect socket to '/run/libvirt/libvirt-sock': Connection refused"));
  t.false(connectionLost("error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied"));
  t.false(connectionLost("error: failed to get domain 'nosuch'"));
});

// Captured from lab 2 (test/e2e/lab2.ts): a daemon stopped under a live session, sshd stopped,
// libvirtd killed behind a live sshd, a frozen daemon (keepalive), and fresh connections refused.
const LOST_LAB2: Array<[string, RegExp]> = [
  // the first call after the daemon went: virsh's asynchronous "Disconnected" line, then its own reconnect failing
  ['lab2-error-lost-unix.txt', /connection to libvirtd was lost/],
  ['lab2-error-reconnect-unix.txt', /connection to libvirtd was lost/],
  ['lab2-error-lost-ssh-sshd-down.txt', /cannot be reached over ssh/],
  ['lab2-error-reconnect-ssh-sshd-down.txt', /cannot be reached over ssh/],
  ['lab2-error-lost-ssh-daemon-down.txt', /not running on the remote host/],
  ['lab2-error-reconnect-ssh-daemon-down.txt', /not running on the remote host/],
  ['lab2-error-keepalive-unix.txt', /stopped answering \(keepalive/],
  ['lab2-error-keepalive-ssh.txt', /stopped answering \(keepalive/],
  ['lab2-event-exit-eof-ssh.txt', /connection to libvirtd was lost/],
  ['lab2-event-exit-keepalive-ssh.txt', /stopped answering \(keepalive/],
  ['lab2-error-connect-ssh-refused.txt', /cannot be reached over ssh/],
  ['lab2-error-connect-ssh-nohost.txt', /cannot be reached over ssh/],
  ['lab2-error-connect-ssh-nosock.txt', /not running on the remote host/],
];

for (const [file, hint] of LOST_LAB2) {
  test(`lab 2, out of reach: ${file} is a lost connection with its own cause`, (t) => {
    const text = capture(file);
    t.true(connectionLost(text));
    t.false(accessDenied(text));
    t.regex(hintFor(text), hint);
    // a refused ssh connection is not libvirtd refusing it
    t.notRegex(hintFor(text), /systemctl start libvirtd|permission denied/);
  });
}

test('lab 2, ssh refuses us: a bad key, an unreadable key file, an unknown host key are denials, not losses', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['lab2-error-connect-ssh-badkey.txt', /ssh refused the login/],
    ['lab2-error-connect-ssh-nokeyfile.txt', /cannot read the key file/],
    ['lab2-error-connect-ssh-hostkey.txt', /does not trust the host's key/],
  ];
  for (const [file, hint] of cases) {
    const text = capture(file);
    t.false(connectionLost(text), file);
    t.true(accessDenied(text), file);
    t.regex(hintFor(text), hint, file);
    t.notRegex(hintFor(text), /libvirt group/, file);
  }
  t.regex(firstErrorLine(capture('lab2-error-connect-ssh-badkey.txt')), /^failed to connect to the hypervisor: Cannot recv data: root@127\.0\.0\.1: Permission denied \(publickey\)/);
  // the local permission problem stays a denial too
  t.true(accessDenied("error: Failed to connect socket to '/var/run/libvirt/libvirt-sock': Permission denied"));
  t.false(accessDenied(capture('lab-error-daemon-killed.txt')));
});

test('lab 2: the first line names the URI with its & and ? as virsh printed it', (t) => {
  t.is(firstErrorLine(capture('lab2-error-lost-ssh-daemon-down.txt')),
    'Disconnected from qemu+ssh://root@127.0.0.1:2222/system?keyfile=/var/lib/virt-lab2/ssh/id_ed25519&no_verify=1&socket=/run/virt-lab2/libvirt-sock due to end of file');
});
