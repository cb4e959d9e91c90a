// What a connection URI says about where its host and its files are.
import test from 'ava';
import { filesHere, isLocalUri, isTestDriver } from '../../src/libvirt/uri.ts';

test('local, test driver, remote: whose files are on this machine', (t) => {
  const cases: Array<[string, boolean, boolean, boolean]> = [
    // uri, local, test driver, files here
    ['qemu:///system', true, false, true],
    ['qemu+unix:///system?socket=/run/virt-lab2/libvirt-sock', true, false, true],
    ['test:///default', false, true, true],
    ['test:///tmp/world-1000.xml', false, true, true],
    ['qemu+ssh://root@127.0.0.1:2222/system', false, false, false],
    ['qemu+tcp://kvm-01/system', false, false, false],
  ];
  for (const [uri, local, test, here] of cases) {
    t.is(isLocalUri(uri), local, `${uri} local`);
    t.is(isTestDriver(uri), test, `${uri} test driver`);
    t.is(filesHere(uri), here, `${uri} files here`);
  }
});
