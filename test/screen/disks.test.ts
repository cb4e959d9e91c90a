// The Disks tab (virt-df) and the file browser (virt-ls, virt-cat) at 80x24, with stand-ins for
// the libguestfs tools that print what the real ones printed on lab-gamma (test/fixtures/guestfs/bin).
import test from 'ava';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { openApp } from './harness.ts';
import { DEMO_URI, FIXTURES, waitFor } from '../helpers.ts';

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
  // what cancelling it would leave, for the jobs view's question
  t.regex(h.app.jobs.list.find((j) => j.kind === 'virt-df')!.cancelNote ?? '', /only reads build-runner's disks: ending it leaves nothing behind/);
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

test.serial('a file asked for and left before it came is not shown over the screen the operator went to', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => { delete process.env['FAKE_GUESTFS_SLOW_CAT']; h.close(); });
  await h.keys('/', ...'build-runner', 'enter', 'enter', '8', 'b');
  await h.until(/README\.txt/);
  process.env['FAKE_GUESTFS_SLOW_CAT'] = '1500';
  await h.keys('o', 'C-u', ...'/README.txt', 'enter');
  await h.until(/virt-cat \/README\.txt/);
  // Esc: back to the Disks tab, then to the list
  await h.keys('escape', 'escape');
  await h.until(/NAME/);
  const job = h.app.jobs.list.find((j) => j.kind === 'virt-cat')!;
  await waitFor(() => job.state !== 'running', 15_000, () => 'virt-cat ends');
  await h.idle();
  t.notRegex(h.screen(), /README\.txt \(virt-cat\)|made by setup-lab/);
  t.regex(h.screen(), /NAME/);
});

test('on the demo host the Disks tab says there are no disks and offers no key', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await h.keys('/', ...'build-runner', 'enter', 'enter', '8');
  await h.until(/the demo host has no disks to open/);
  await h.keys('b');
  t.notRegex(h.screen(), /Files of/);
});
