// The jobs view (J, :jobs) at 80x24: running, failed and cancelled jobs, the detail, cancel, quitting with one running.
import test from 'ava';
import { openApp } from './harness.ts';
import { DEMO_URI } from '../helpers.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('80x24: J lists running, failed and cancelled jobs with their progress and outcome; x cancels (asks, names it); Enter shows one whole', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.until(/web-01/);
  const jobs = h.app.jobs;
  let stopUpload!: (e: Error) => void;
  jobs.run({ kind: 'vol-upload', host: 'demo', target: 'default/disk one.raw', command: "virsh vol-upload --pool default --vol 'disk one.raw' /tmp/x.raw", progress: async () => ({ text: '50.0 MiB of 200.0 MiB', done: 50, total: 200 }), cancel: () => stopUpload(new VirshError('virsh vol-upload', 'cancelled: its process was ended', '', '', 'cancelled')), cancelNote: 'The volume keeps what was written so far.' },
    () => new Promise((_ok, no) => { stopUpload = no; }));
  await jobs.run({ kind: 'qemu-img check', host: 'demo', target: 'default/bad.qcow2', command: 'qemu-img check --output=json /var/lib/libvirt/images/bad.qcow2' },
    async () => { throw new VirshError('qemu-img check', '1 corruption', 'repair only from a copy', 'ERROR cluster 3 refcount=0 reference=1'); }).done.catch(() => {});
  // its end is on the host's status line, with the hint
  await h.until(/qemu-img check of default\/bad\.qcow2 failed: 1 corruption — repair only/);
  jobs.run({ kind: 'managedsave', host: 'demo', target: 'db-01', command: 'virsh managedsave --domain db-01' }, () => new Promise(() => {}));
  await h.keys('J');
  await h.until(/Jobs \| 3 jobs, 2 running/);
  const lines = h.text();
  t.true(lines.every((l) => l.length <= 80));
  t.regex(lines[1]!, /^STATE +KIND +TARGET .*TIME +PROGRESS/);
  t.regex(h.screen(), /^running +managedsave +db-01 .* \d+s/m);
  t.regex(h.screen(), /^FAILED +qemu-img che.* +1 corruption/m);
  t.regex(h.screen(), /^running +vol-upload +default\/disk one\.raw .*██░+ +25%/m, h.screen());
  // the managed save cannot be cancelled: no x
  await h.keys('home');
  t.notRegex(h.text().at(-1)!, /x cancel/);
  await h.keys('G');
  t.regex(h.text().at(-1)!, /x cancel/);
  await h.keys('x');
  await h.until(/Cancel vol-upload of default\/disk one\.raw/);
  t.regex(h.screen(), /The volume keeps what was written so far/);
  await h.keys('y');
  await h.until(/^cancelled +vol-upload/m);
  t.regex(h.screen(), /vol-upload of default\/disk one\.raw cancelled/);
  await h.keys('enter');
  await h.until(/command: +virsh vol-upload --pool default --vol 'disk one\.raw' \/tmp\/x\.raw/);
  t.regex(h.screen(), /outcome: +cancelled: its process was ended/);
  await h.keys('escape', 'down');
  await h.keys('enter');
  await h.until(/ERROR cluster 3 refcount=0 reference=1/);
  t.regex(h.screen(), /hint: +repair only from a copy/);
});

test('the elapsed time of a running job ticks while the view shows', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  h.app.jobs.run({ kind: 'vol-wipe', host: 'demo', target: 'default/a', command: 'virsh vol-wipe --pool default --vol a' }, () => new Promise(() => {}));
  await h.keys(':', ...'jobs', 'enter');
  await h.until(/^running +vol-wipe +default\/a +\d+s/m);
  const time = () => /^running +vol-wipe +default\/a +(\d+)s/m.exec(h.screen())![1];
  const first = time();
  await h.until(new RegExp(`^running +vol-wipe +default/a +(?!${first}s)\\d+s`, 'm'), 5000);
  t.not(time(), first);
});

test('quitting with a job running asks and names it', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.until(/web-01/);
  h.app.jobs.run({ kind: 'vol-clone', host: 'demo', target: 'default/web-01.qcow2', command: 'virsh vol-clone --pool default --vol web-01.qcow2 --newname w2' }, () => new Promise(() => {}));
  await h.keys('q');
  await h.until(/Quit virtui/);
  t.regex(h.screen(), /Still running: 1 job \(vol-clone of/);
  t.regex(h.screen(), /default\/web-01\.qcow2\)\. Quitting ends virtui's/);
  t.notRegex(h.screen(), /actions? have not finished/);
  await h.keys('escape');
});

test('managed save, vol-clone and vol-wipe run as jobs: listed in :jobs with their command and outcome, a failed one too', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.until(/web-01/);
  await h.keys('/', ...'web-01', 'enter', 'm');
  await h.until(/managedsave of web-01 done/);
  await h.keys('escape', ':', ...'vol default', 'enter');
  await h.until(/Volumes of default/);
  await h.keys('/', ...'web-02.qcow2', 'enter', 'C', 'enter');
  await h.until(/vol-clone of default\/web-02\.qcow2 done/);
  await h.keys('W');
  await h.until(/Wipe volume web-02\.qcow2/);
  await h.keys(...'web-02.qcow2', 'enter');
  // the test driver cannot wipe: the job fails, the UI goes on
  await h.until(/vol-wipe of default\/web-02\.qcow2 failed: Failed to wipe/);
  await h.keys('J');
  await h.until(/Jobs \| 3 jobs/);
  t.regex(h.screen(), /^FAILED +vol-wipe +default\/web-02\.q/m);
  t.regex(h.screen(), /^done +vol-clone +default\/web-02\.q/m);
  t.regex(h.screen(), /^done +managedsave +web-01 /m);
  await h.keys('G', 'enter');
  await h.until(/command: +virsh managedsave --domain web-01/);
});

test('F saves a running domain to a file and restores it, as jobs; the form refuses a relative path (a leading dash), a missing directory, a missing file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'h16b-save '));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.until(/web-02/);
  await h.keys('/', ...'web-02', 'enter', 'F');
  await h.until(/Save web-02 to a file/);
  await h.keys('C-u', ...'-x.save', 'enter');
  await h.until(/File: an absolute path/);
  await h.keys('C-u', ...`${dir}/no such dir/x.save`, 'enter');
  await h.until(/File: its directory does not exist/);
  const file = `${dir}/web 02 '$(x)'.save`;
  await h.keys('C-u', ...file, 'enter');
  await h.until(/save of web-02 done/);
  t.true(existsSync(file));
  await h.until(/^web-02 +shut off/m);
  await h.keys('F');
  await h.until(/Restore from a file/);
  // the file just saved is offered
  t.regex(h.screen(), /web 02 '\$\(x\)'\.save/);
  await h.keys('C-u', ...`${dir}/nothing.save`, 'enter');
  await h.until(/File: no such file/);
  await h.keys('C-u', ...file, 'enter');
  await h.until(/restore of web-02 done/);
  await h.until(/^web-02 +running/m);
  await h.keys('J');
  await h.until(/^done +restore +web-02/m);
  t.regex(h.screen(), /^done +save +web-02/m);
});

test('volumes: the upload and download forms refuse a missing file or directory; a hostile volume name is just a name; qemu-img is refused on the test driver', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'h16b-up '));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const src = join(dir, 'disk.img');
  writeFileSync(src, Buffer.alloc(4096, 7));
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys(':', ...'vol default', 'enter');
  await h.until(/Volumes of default \| 14 volumes/);
  await h.keys('u');
  await h.until(/Upload a file into pool default/);
  await h.keys(...`${dir}/missing.img`, 'tab', 'tab', 'enter');
  await h.until(/Local file: no such file/);
  await h.keys('C-u', ...src, 'tab', ...'a/b', 'tab', 'enter');
  await h.until(/Volume: a volume name cannot contain \//);
  const hostile = `-x 'q' $(id)`;
  await h.keys('C-u', ...hostile, 'tab', 'enter');
  // the test driver creates the volume but cannot upload: the job fails, and the volume it made goes again
  await h.until(/vol-upload of default\/-x 'q' \$\(id\) failed/);
  const made = h.conn.log.entries.find((e) => e.short.startsWith('virsh vol-create-as'))!;
  t.is(made.short, `virsh vol-create-as --pool default --name '-x '\\''q'\\'' $(id)' --capacity 4096 --format raw --allocation 0`);
  t.is(h.conn.log.entries.at(-1)!.short, `virsh vol-delete --pool default --vol '-x '\\''q'\\'' $(id)'`);
  await h.keys('/', ...'web-01.qcow2', 'enter', 'D');
  await h.until(/Download volume web-01\.qcow2/);
  await h.keys('C-u', ...`${dir}/nope/x.img`, 'enter');
  await h.until(/Local file: its directory does not exist/);
  await h.keys('C-u', ...src, 'enter');
  await h.until(/Replace .*disk\.img/);
  await h.keys('n');
  await h.keys('c');
  await h.until(/driver: its volumes are not real files/);
  await h.keys('enter');
  await h.keys('J');
  await h.until(/^FAILED +vol-upload/m);
  await h.keys('enter');
  await h.until(/command: +virsh vol-upload --pool default --vol '-x '\\''q'\\'' \$\(id\)' --file\s+'\/tmp\/h16b-up /);
});
