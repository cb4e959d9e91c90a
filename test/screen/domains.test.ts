// The domains screen at fixed sizes, on the demo host (real virsh, test driver).
import test from 'ava';
import { openApp } from './harness.ts';
import { DEMO_URI, HOSTILE_URI } from '../helpers.ts';
import { demoStats } from '../../src/demo.ts';

test('80x24: header, every column, rows, status and footer fit', async (t) => {
  let now = 1_800_000_000_000;
  const h = await openApp(DEMO_URI, 80, 24, { demo: true, stats: { clock: () => now, augment: demoStats() } });
  t.teardown(() => h.close());
  const lines = h.text();
  t.is(lines.length, 24);
  t.true(lines.every((l) => l.length <= 80));
  t.regex(lines[0]!, /^virtui test:\/\/\/.*\.xml +DEMO +Domains \| 13 domains, 6 running/);
  t.regex(lines[1]!, /^(host|guest) CPU .* 6\/13 running {2}tick 60 s$/);
  t.regex(lines[2]!, /^NAME▲ +STATE +CPU% +CPU 60s +VCPU +MEMORY +AUTO +PERS$/);
  t.regex(h.screen(), /^build-runner +shut off +- +4 +8\.0\/8\.0 GiB +no +yes$/m);
  // CPU % needs two samples a tick apart: none yet, then a number and the sparkline's first bar
  t.regex(h.screen(), /^web-02 +running +- +2 +1\.5\/2\.0 GiB /m);
  now += 2000;
  await h.app.conn.domains.refresh();
  t.regex(h.screen(), /^web-02 +running +[\d.]+% +[▁▂▃▄▅▆▇█]+ +2 +1\.5\/2\.0 GiB /m);
  t.regex(h.screen(), /^legacy-erp +crashed /m);
  t.regex(h.screen(), /^laptop-sim +pmsuspended /m);
  t.regex(h.screen(), /^win11-desktop +shut off \(saved\)/m);
  t.regex(lines[23]!, /^Enter details {2}u start/);
  // more keys than room: the footer says so, whole (the terminal's last cell is never drawn)
  t.regex(lines[23]!, / {2}\? more$/);
  t.true(lines[23]!.length <= 79);
});

test('160x48: long titles, and the header summary', async (t) => {
  const h = await openApp(DEMO_URI, 160, 48, { demo: true });
  t.teardown(() => h.close());
  const lines = h.text();
  t.is(lines.length, 48);
  t.regex(lines[2]!, /NAME▲ +STATE +CPU% +CPU LAST 60s +VCPUS +MEMORY \(CUR\/MAX\) +AUTOSTART +PERSISTENT/);
  t.regex(lines[0]!, /Domains \| 13 domains, 6 running, 1 paused, 1 pmsuspended, 1 crashed, 4 shut off/);
  t.regex(lines[47]!, /q quit/);
});

test('j/k/G/g move the selection; the footer follows the selected state', async (t) => {
  const h = await openApp(DEMO_URI, 100, 24);
  t.teardown(() => h.close());
  await h.keys('j', 'j'); // db-primary, running
  t.regex(h.text()[23]!, /d shutdown +r reboot/);
  await h.keys('G'); // win11-desktop, saved
  t.regex(h.text()[23]!, /u start +M drop save/);
  await h.keys('home', 'down', 'down', 'down'); // db-replica, paused
  t.regex(h.text()[23]!, /p resume/);
});

test('the mouse: a click selects a row, a second click opens it, the wheel scrolls', async (t) => {
  const h = await openApp(DEMO_URI, 100, 24);
  t.teardown(() => h.close());
  // SGR mouse reports, 1-based: row 6 of the terminal (under the header, the host line and the
  // column titles) is the 3rd domain (db-primary)
  await h.keys('\x1b[<0;5;6M', '\x1b[<0;5;6m');
  t.regex(h.text()[23]!, /d shutdown/);
  await h.keys('\x1b[<0;5;7M', '\x1b[<0;5;7m'); // db-replica, paused
  t.regex(h.text()[23]!, /p resume/);
  await h.keys('\x1b[<0;5;7M', '\x1b[<0;5;7m');
  await h.until(/Domain db-replica/);
  await h.keys('escape', '\x1b[<65;5;8M', '\x1b[<65;5;8M'); // wheel down twice: 3 rows each
  // from db-replica (row 3) to row 9: monitoring, running
  t.regex(h.text()[23]!, /p suspend/);
});

test('/ filters live, ! negates, Esc clears', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.keys('/', 'k', 'u', 'b', 'e');
  let s = h.screen();
  t.regex(s, /kube-node-1/);
  t.notRegex(s, /web-01/);
  t.regex(h.text()[22]!, /^\/kube/);
  await h.keys('enter');
  t.regex(h.text()[0]!, /Domains \| \/kube: 2 shown \| 13 domains/);
  await h.keys('/', '\x15', '!', 'r', 'u', 'n', 'enter'); // ^U empties the field
  s = h.screen();
  t.notRegex(s, /web-01/);
  t.notRegex(s, /build-runner/); // "run" is in its name
  t.regex(s, /^db-replica +paused/m);
  t.regex(s, /^dev sandbox +shut off/m);
  await h.keys('escape');
  t.regex(h.screen(), /web-01/);
});

test('s cycles the sort column, S reverses it', async (t) => {
  const h = await openApp(DEMO_URI, 100, 24);
  t.teardown(() => h.close());
  await h.keys('s', 's', 's', 's'); // VCPUS ascending
  let lines = h.text();
  t.regex(lines[2]!, /VCPUS?▲/);
  t.regex(lines[3]!, /^(ci-ephemeral-7|dev sandbox|legacy-erp) /);
  await h.keys('S');
  lines = h.text();
  t.regex(lines[2]!, /VCPUS?▼/);
  t.regex(lines[3]!, /^db-primary /);
});

test('Enter opens the detail view with disks, NICs, graphics; Tab shows the XML; Esc goes back', async (t) => {
  const h = await openApp(DEMO_URI, 100, 40);
  t.teardown(() => h.close());
  await h.keys('j', 'j', 'enter');
  await h.until(/Disks \(2\)/);
  const s = h.screen();
  t.regex(s, /Domain db-primary \| running/);
  t.regex(s, /Max memory: +16777216 KiB \(16\.0 GiB\)/);
  t.regex(s, /vdb +disk +virtio +raw +\/var\/lib\/libvirt\/images\/db-data\.raw/);
  t.regex(s, /52:54:00:10:01:10 +network +backend +virtio/);
  t.regex(s, /spice +5902 +0\.0\.0\.0/);
  await h.keys('tab');
  t.regex(h.screen(), /<domain type='test' id='3'>/);
  await h.keys('G');
  t.regex(h.screen(), /<\/domain>/);
  await h.keys('escape');
  t.regex(h.text()[0]!, /Domains \|/);
});

test('destroy asks, names the domain; after yes the state changes and the log has the command', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30);
  t.teardown(() => h.close());
  await h.keys('/', ...'web-02', 'enter', 'D');
  t.regex(h.screen(), /Destroy web-02[\s\S]*Power off web-02 at once/);
  await h.keys('n');
  t.regex(h.screen(), /^web-02 +running/m);
  await h.keys('D', 'y');
  await h.until(/^web-02 +shut off/m);
  t.regex(h.screen(), /✓ virsh destroy --domain web-02: ok/);
  await h.keys('L');
  t.regex(h.screen(), /ok +virsh destroy --domain web-02/);
  await h.keys('enter');
  t.regex(h.screen(), /^virsh -c test:\/\/\/.*world\.xml destroy --domain web-02$/m);
});

test('undefine needs the typed name; hostile names work', async (t) => {
  const h = await openApp(HOSTILE_URI, 100, 30);
  t.teardown(() => h.close());
  await h.keys('/', ...'it'.split(''), "'", 's', 'enter');
  t.regex(h.screen(), /^it's +running/m);
  await h.keys('X');
  await h.until(/Type it's to confirm/);
  await h.keys('i', 't', 'enter');
  t.regex(h.screen(), /type "it's" exactly/);
  await h.keys("'", 's', 'enter');
  await h.until(/virsh undefine --domain 'it'\\''s': ok/);
  await h.until(/^it's +running .* - +no$/m); // still running, transient now
});

test('? lists every key of the screen from the key table; read-only offers no actions', async (t) => {
  const h = await openApp(DEMO_URI, 100, 40, { readonly: true });
  t.teardown(() => h.close());
  t.regex(h.text()[0]!, /READ-ONLY/);
  t.notRegex(h.text()[39]!, /start|destroy/);
  await h.keys('?');
  const s = h.screen();
  t.regex(s, /Domains keys/);
  t.regex(s, /Enter +details/);
  t.regex(s, /j ↓ +down/);
  t.regex(s, /Everywhere/);
  t.notRegex(s, /destroy/);
  // the end of the help says why there are no actions
  await h.keys('end');
  t.regex(h.screen(), /Read-only connection/);
  t.notRegex(h.screen(), /destroy/);
  await h.keys('q');
  t.regex(h.text()[0]!, /Domains/);
});

test(': switches screens and runs anything else in virsh', async (t) => {
  const h = await openApp(DEMO_URI, 100, 30);
  t.teardown(() => h.close());
  await h.keys(':', ...'top', 'enter');
  t.regex(h.text()[0]!, /Top \| 9 active, by CPU/);
  await h.keys(':', ...'net', 'enter');
  await h.until(/^backend +active/m);
  await h.keys(':', ...'dom', 'enter');
  await h.keys(':', ...'nodeinfo', 'enter');
  await h.until(/CPU model: +x86_64/);
  t.regex(h.text()[0]!, /virsh nodeinfo/);
  await h.keys('escape', ':', ...'dominfo nosuch', 'enter');
  await h.until(/failed to get domain 'nosuch'/);
  t.regex(h.screen(), /hint: the domain no longer exists/);
  await h.keys('escape', ':', ...'edit web-01', 'enter');
  t.regex(h.screen(), /virsh edit cannot run here: use `e` on the domain/);
  // a console never goes through the session (it would take it over): without a name it says so
  await h.keys(':', ...'console', 'enter');
  t.regex(h.screen(), /:console needs a domain name/);
  await h.keys(':', 'l', 'o', 'g', 'enter');
  t.regex(h.screen(), /Action log/);
  t.regex(h.screen(), /FAILED +virsh dominfo nosuch/);
  await h.keys(':', 'd', 'o', 'm', 'enter');
  t.regex(h.screen(), /^web-01 /m);
});

test('a resize redraws at the new size', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24);
  t.teardown(() => h.close());
  await h.resize(160, 48);
  const lines = h.text();
  t.is(lines.length, 48);
  t.regex(lines[2]!, /MEMORY \(CUR\/MAX\)/);
});

test('a 1000-domain list: paging reaches the end and the selection stays visible', async (t) => {
  const { writeWorld } = await import('../../bench/world.ts');
  const uri = `test://${writeWorld(1000)}`;
  const h = await openApp(uri, 80, 24);
  t.teardown(() => h.close());
  // 19 rows shown (under the host line); a page moves 18: the selection is on bench-0036, the last row shown
  await h.keys('pagedown', 'pagedown');
  t.regex(h.text()[21]!, /^bench-0036 /);
  await h.keys('end');
  t.regex(h.screen(), /^bench-0999 /m);
  t.regex(h.text()[0]!, /1000 domains/);
});

test('the details follow a change made elsewhere (another virsh, told by an event): the numbers are read again', async (t) => {
  const h = await openApp(DEMO_URI, 100, 40);
  t.teardown(() => h.close());
  await h.keys('/', ...'web-01', 'enter', 'enter');
  await h.until(/Used memory: +2097152 KiB/);
  // what another virsh does, then the event's refresh (the test driver has no event stream)
  await h.conn.run(['setmem', '--domain', 'web-01', '--size', '524288', '--current']);
  h.conn.domains.invalidate(['web-01']);
  await h.conn.domains.refresh();
  await h.until(/Used memory: +524288 KiB/);
  // and again: every change, not only the first one after the details opened
  await h.conn.run(['setmem', '--domain', 'web-01', '--size', '1048576', '--current']);
  h.conn.domains.invalidate(['web-01']);
  await h.conn.domains.refresh();
  await h.until(/Used memory: +1048576 KiB/);
  t.regex(h.screen(), /Used memory: +1048576 KiB/);
});
