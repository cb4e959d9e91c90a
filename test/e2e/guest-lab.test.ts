// Seeing into real guests, in tmux against the labs: lab-alpha's address from its DHCP lease,
// lab2-delta's from its guest agent and its filesystems on the Agent tab, the agent's clock sync
// and password (grep'd absent from every log virtui writes), a domain made to fail (a copy of
// lab-gamma whose disk does not exist) explained before start and after, and `:lint`. Holds the
// labs (lablock.ts); the copy is removed again.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { command, only, startVirtui, type Tui } from './drive.ts';
import { holdLabsForThisFile } from './lablock.ts';
import { LAB2_SKIPPED, LAB2_UNIX_URI, lab2Available } from './lab2.ts';

const LAB1_URI = 'qemu:///system';
const virshOn = (uri: string) => (...args: string[]) => execFileSync('virsh', ['-q', '-c', uri, ...args], { encoding: 'utf8', timeout: 60_000 }).trim();
const lab1 = virshOn(LAB1_URI);
const lab1Up = () => spawnSync('virsh', ['-q', '-c', LAB1_URI, 'list', '--name'], { timeout: 30_000 }).status === 0;
const UP = !LAB2_SKIPPED && lab1Up() && lab2Available();
const LAB = UP ? test.serial : test.skip;
if (UP) holdLabsForThisFile();

const BROKEN = 'lab-gamma-e2e-broken';
const MISSING = '/var/lib/virt-lab/pool/e2e-missing-disk.qcow2';

function config(t: ExecutionContext): { file: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-guest-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, `hosts:\n  - name: lab1\n    uri: ${LAB1_URI}\n  - name: lab2\n    uri: "${LAB2_UNIX_URI}"\n`);
  return { file, state: join(dir, 'state') };
}

/** every file under `dir` (virtui's state: virtui.log, session logs, crash logs) */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** lab-gamma's definition under another name, with a disk whose file does not exist */
function defineBroken(t: ExecutionContext): void {
  const xml = lab1('dumpxml', '--inactive', 'lab-gamma')
    .replace('<name>lab-gamma</name>', `<name>${BROKEN}</name>`)
    .replace(/<uuid>.*?<\/uuid>\n/, '')
    .replace(/<mac address='[^']*'\/>\n/g, '')
    .replace("<disk type='volume' device='disk'>", "<disk type='file' device='disk'>")
    .replace(/<source pool='[^']*' volume='[^']*'\/>/, `<source file='${MISSING}'/>`);
  t.true(xml.includes(MISSING));
  const dir = mkdtempSync(join(tmpdir(), 'virtui-broken-'));
  const file = join(dir, 'broken.xml');
  writeFileSync(file, xml);
  lab1('define', file);
  rmSync(dir, { recursive: true, force: true });
  t.teardown(() => {
    spawnSync('virsh', ['-q', '-c', LAB1_URI, 'destroy', BROKEN], { timeout: 30_000 });
    spawnSync('virsh', ['-q', '-c', LAB1_URI, 'undefine', BROKEN], { timeout: 30_000 });
    rmSync(`/var/log/libvirt/qemu/${BROKEN}.log`, { force: true });
  });
}

LAB('IP addresses from the lease and the agent, the Agent tab, clock sync and a password nowhere in the logs', (t) => {
  t.timeout(300_000);
  const { file, state } = config(t);
  const v = startVirtui('170x45', ['--config', file, '-c', LAB1_URI, '-c', LAB2_UNIX_URI], ['env', `XDG_STATE_HOME=${state}`]);
  t.teardown(() => v.stop());
  // lab 1's list: lab-alpha's address from its DHCP lease (the IP column on a wide screen)
  v.wait('^lab-alpha +running .*192\\.168\\.150\\.11 lease', 90);
  // every host: lab2-delta's from its guest agent, with the source shown
  v.keys('A');
  v.wait('^lab2 +lab2-delta +running .*192\\.168\\.160\\.14 agent', 90);
  v.wait('^lab1 +lab-alpha +running .*192\\.168\\.150\\.11 lease', 30);
  only(v, 'lab2-delta');
  v.keys('Enter');
  v.wait('Domain lab2-delta', 30);
  // the NICs table: the address and where it came from
  v.wait('52:54:00:1a:b2:04 .*192\\.168\\.160\\.14/24 +agent', 60);
  v.keys('4');
  v.wait('Agent: answers', 60);
  v.wait('Hostname: +lab2-delta', 30);
  v.wait('/mnt +vda +ext4 .*vda', 30);
  t.regex(v.screen(), /OS: +Debian GNU\/Linux 12/);
  // the guest's clock from the host
  v.keys('T');
  // (another host's result: prefixed with its name)
  v.wait('✓ lab2: virsh domtime --domain lab2-delta --sync', 60);
  // a password through the form: masked there, and nowhere afterwards
  const pw = `Pw-e2e-${process.pid}-x9`;
  v.keys('P');
  v.wait("Set a user's password in lab2-delta");
  v.keys('Tab');
  v.type(pw);
  v.keys('Tab');
  v.type(pw);
  v.wait('•{8,}');
  t.false(v.screen().includes(pw));
  v.keys('Tab', 'Enter');
  v.wait("✓ lab2: virsh set-user-password --domain lab2-delta --user root --password '?\\*{8}'?", 60);
  t.false(v.screen().includes(pw));
  // the action log (L): the masked form
  v.keys('L');
  v.wait('set-user-password', 15);
  t.regex(v.screen(), /--password '?\*{8}'?/);
  t.false(v.screen().includes(pw));
  v.keys('q');
  v.stop();
  const files = filesUnder(state);
  for (const f of files) t.false(readFileSync(f, 'utf8').includes(pw), `${f} holds the password`);
  // the daemon's log of lab 2 too: libvirt is given it only in the agent command
  for (const f of ['/run/virt-lab2/libvirtd.log']) if (existsSync(f)) t.false(readFileSync(f, 'utf8').includes(pw), `${f} holds the password`);
});

LAB('a copy of lab-gamma whose disk does not exist: the reason before start, the QEMU log tail after; :lint names the guests without an agent', (t) => {
  t.timeout(300_000);
  defineBroken(t);
  const { file, state } = config(t);
  const v = startVirtui('170x45', ['--config', file, '-c', LAB1_URI], ['env', `XDG_STATE_HOME=${state}`]);
  t.teardown(() => v.stop());
  v.wait(`^${BROKEN} +shut off`, 90);
  only(v, BROKEN);
  // before start is pressed: the why panel says what start would trip over
  v.keys('W');
  v.wait(`Domain ${BROKEN} \\(diagnose\\)`, 30);
  v.wait(`disk vda: its source ${MISSING} does not exist`, 60);
  t.regex(v.screen(), /fix: restore the file/);
  // start fails; the panel then says why, with the QEMU log's tail
  v.keys('u');
  // the status line puts the reason first when the command does not fit
  v.wait(`✗ .*Failed to start domain '${BROKEN}'`, 60);
  v.wait('shut off \\(failed\\): it failed to start', 60);
  v.wait(`QEMU log: /var/log/libvirt/qemu/${BROKEN}\\.log`, 30);
  v.wait('shutting down, reason=failed', 30);
  v.wait('Cannot access storage file', 30);
  v.keys('Escape', 'Escape');
  command(v, 'lint', 'Lint \\| [0-9]+ findings', 90);
  for (const d of ['lab-alpha', 'lab-beta', 'lab-gamma']) t.regex(v.screen(), new RegExp(`${d}: no guest agent channel`));
});
