import test from 'ava';
import { firstErrorLine, hintFor, virshFailure } from '../../src/virsh/errors.ts';
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
