// The Disks tab (virt-df) and the file browser (virt-ls, virt-cat) at 80x24, with stand-ins for
// the libguestfs tools that print what the real ones printed on lab-gamma (test/fixtures/guestfs/bin).
import test from 'ava';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { openApp } from './harness.ts';
import { DEMO_URI, FIXTURES } from '../helpers.ts';

// this file's worker only: the stand-ins come first on PATH, and say what they were called with
const calls = join(mkdtempSync(join(tmpdir(), 'virtui-guestfs-')), 'calls');
process.env['PATH'] = `${join(FIXTURES, 'guestfs', 'bin')}${delimiter}${process.env['PATH']}`;
process.env['FAKE_GUESTFS_LOG'] = calls;
const called = () => (existsSync(calls) ? readFileSync(calls, 'utf8') : '');

test.serial('the Disks tab: Enter runs virt-df as a job; the filesystem with its size, used and free', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys('/', ...'build-runner', 'enter', 'enter', '8');
  await h.until(/\[Disks\]/);
  await h.until(/Enter reads them \(starts a libguestfs appliance/);
  t.is(called(), '');
  await h.keys('enter');
  await h.until(/\/dev\/sda +230 MiB +27 KiB +213 MiB +1%/);
  t.regex(called(), new RegExp(`^virt-df --csv -c test://\\S+world\\.xml -d build-runner$`, 'm'));
  t.true(h.app.jobs.list.some((j) => j.kind === 'virt-df' && j.target === 'build-runner' && j.state === 'ok'));
});

test.serial('the file browser: no OS to inspect, so /dev/sda is mounted with -m; a directory, a file in a text view, up, a path that is not there', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys('/', ...'build-runner', 'enter', 'enter', '8', 'b');
  await h.until(/Files of build-runner: \//);
  await h.until(/README\.txt/);
  t.regex(h.screen(), /\/dev\/sda mounted on \//);
  t.regex(h.screen(), /drwxr-xr-x +1024 +Nov 29 21:10 +data\//);
  t.regex(called(), /^virt-ls -l -c \S+ -d build-runner -- \/\nvirt-df --csv -c \S+ -d build-runner\nvirt-ls -l -c \S+ -d build-runner -m \/dev\/sda -- \/$/m);
  await h.keys('enter');
  await h.until(/numbers\.txt/);
  t.regex(h.text()[0]!, /Files of build-runner: \/data/);
  await h.keys('down', 'enter');
  await h.until(/build-runner:\/data\/numbers\.txt \(v.* \| 2000 lines/);
  t.regex(h.screen(), /^1\n2\n3\n/m);
  await h.keys('escape', 'backspace');
  await h.until(/lost\+found/);
  await h.keys('o', 'C-u', ...'/nonexist', 'enter');
  await h.until(/\/nonexist: No such file or directory/);
  t.regex(called(), /virt-cat -c \S+ -d build-runner -m \/dev\/sda -- \/nonexist/);
});

test('on the demo host the Disks tab says there are no disks and offers no key', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'build-runner', 'enter', 'enter', '8');
  await h.until(/the demo host has no disks to open/);
  await h.keys('b');
  t.notRegex(h.screen(), /Files of/);
});
