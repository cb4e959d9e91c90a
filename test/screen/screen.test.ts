// The Screen tab on the demo host (test driver: its screenshots are PNGs of a fixed picture):
// the half blocks, the tunnel, the refresh that stops when the tab is hidden, send-key shown
// before it is sent, a guest without graphics, NO_COLOR and -r.
import test from 'ava';
import { hostname } from 'node:os';
import { openApp, type Harness } from './harness.ts';
import { DEMO_URI, waitFor } from '../helpers.ts';
import type { DomainDetailView } from '../../screens/domains/detail.ts';
import { ProgramJob } from '../../screens/terminal/jobs.ts';

const detail = (h: Harness) => (h.app as unknown as { top: DomainDetailView }).top;
/** the picture's rows: under the tab line, above the two info lines, the status and the footer */
const picture = (h: Harness) => h.text().slice(3, -4);
const blocks = (h: Harness) => picture(h).join('\n').match(/[▀▄█]/g)?.length ?? 0;
/** the cells of the picture whose colours are not the terminal's own */
const coloured = (h: Harness) => {
  const lines = (h.app.screen as unknown as { lines: Array<Array<[number, string]>> }).lines;
  return lines.slice(3, -4).flat().filter(([a]) => ((a >> 9) & 0x1ff) !== 0x1ff || (a & 0x1ff) !== 0x1ff).length;
};

async function screenOf(h: Harness, name: string): Promise<void> {
  await h.keys('/', ...name, 'enter', 'V');
  await h.until(new RegExp(`Domain ${name} \\(sc`));
}

test('V on the list: web-01\'s screen as half blocks in colour, its display and the ssh -L that tunnels it', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await screenOf(h, 'web-01');
  await h.until(/1120x832 at \d\d:\d\d:\d\d · every 2 s/, 30_000);
  t.true(blocks(h) > 500);
  t.true(coloured(h) > 500);
  // 1120x832 in 80x17 cells: 46 cells wide (92/2 lines of 34 pixel rows), centred
  const rows = picture(h).filter((l) => l.includes('▀'));
  t.is(rows.length, 17);
  t.is(rows[0]!.trim().length, 46);
  t.regex(h.screen(), new RegExp(`vnc://127\\.0\\.0\\.1:0 · ssh -N -L 5900:127\\.0\\.0\\.1:5900 ${hostname()} · y copies`));
  await h.keys('y');
  await h.until(/copied \(if the terminal allows OSC 52\): ssh -N -L 5900/);
  t.true(h.written().includes(`\x1b]52;c;${Buffer.from(`ssh -N -L 5900:127.0.0.1:5900 ${hostname()}`).toString('base64')}\x07`));
});

test('the screenshots are taken while the tab is on screen and never while it is hidden', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await screenOf(h, 'web-01');
  // F: 2 -> 5 -> 10 -> 1 s
  await h.keys('F', 'F', 'F');
  await h.until(/every 1 s/);
  const view = detail(h);
  const first = view.screenShots;
  await waitFor(() => view.screenShots >= first + 2, 10_000, () => 'two more screenshots at 1 s');
  // another tab: the timer stops
  await h.keys('1');
  await h.until(/\[Overview\]/);
  const hidden = view.screenShots;
  await new Promise((r) => setTimeout(r, 2500));
  t.is(view.screenShots, hidden);
  // back: it takes them again; paused, it does not
  await h.keys('7');
  await waitFor(() => view.screenShots > hidden, 10_000, () => 'a screenshot once shown again');
  await h.keys(' ');
  await h.until(/paused \(space resumes\)/);
  const paused = view.screenShots;
  await new Promise((r) => setTimeout(r, 2500));
  t.is(view.screenShots, paused);
  // leaving the details altogether
  await h.keys(' ', 'escape');
  await h.until(/Domains/);
  const gone = view.screenShots;
  await new Promise((r) => setTimeout(r, 2500));
  t.is(view.screenShots, gone);
});

test('a terminal pane over the whole screen hides the picture: no screenshot until the details show again', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await screenOf(h, 'web-01');
  await h.keys('F', 'F', 'F');
  await h.until(/every 1 s/);
  const view = detail(h);
  const first = view.screenShots;
  await waitFor(() => view.screenShots >= first + 1, 10_000, () => 'a screenshot at 1 s');
  const pane = h.app.openPane(new ProgramJob('cat', { file: 'cat', args: [] }));
  await h.idle();
  t.true(h.app.panes.covering);
  // one may have been under way when the pane came
  await new Promise((r) => setTimeout(r, 1200));
  const hidden = view.screenShots;
  await new Promise((r) => setTimeout(r, 2500));
  t.is(view.screenShots, hidden, 'no screenshot while the pane covers the details');
  // back to the list: the details show, and the picture is taken again
  await h.keys('C-]', 'escape');
  await h.until(/Domain web-01 \(screen\)/);
  await waitFor(() => view.screenShots > hidden, 10_000, () => 'a screenshot once shown again');
  pane.close();
});

test('i types a line as send-key commands, each shown before it is sent; a character without a key is refused with the reason', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await screenOf(h, 'web-01');
  await h.keys('i', ...'Hi!', 'enter');
  await h.until(/Type into web-01/);
  t.regex(h.screen(), /virsh send-key --domain web-01 --codeset linux KEY_LEFTSHIFT KEY_H/);
  t.regex(h.screen(), /virsh send-key --domain web-01 --codeset linux KEY_I\b/);
  t.regex(h.screen(), /virsh send-key --domain web-01 --codeset linux KEY_LEFTSHIFT KEY_1/);
  t.regex(h.screen(), /\[x\] then press Enter/);
  t.is(h.conn.log.entries.length, 0);
  await h.keys('enter');
  await waitFor(() => h.conn.log.entries.length === 4, 10_000, () => 'four send-key commands');
  t.deepEqual(h.conn.log.entries.map((e) => e.short), [
    'virsh send-key --domain web-01 --codeset linux KEY_LEFTSHIFT KEY_H',
    'virsh send-key --domain web-01 --codeset linux KEY_I',
    'virsh send-key --domain web-01 --codeset linux KEY_LEFTSHIFT KEY_1',
    'virsh send-key --domain web-01 --codeset linux KEY_ENTER',
  ]);
  t.true(h.conn.log.entries.every((e) => e.ok));
  await h.keys('i', ...'café', 'enter');
  await h.until(/cannot type that: U\+00E9 'é' has no key on a US keyboard/);
  t.is(h.conn.log.entries.length, 4);
});

test('K: Ctrl+Alt+Del is shown with a warning and can be left unsent; Ctrl+Alt+F2 is sent', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await screenOf(h, 'web-01');
  await h.keys('K');
  await h.until(/Send a key to web-01/);
  await h.keys('right');
  await h.until(/Ctrl\+Alt\+Del/);
  await h.keys('tab', 'enter');
  await h.until(/Ctrl\+Alt\+Del: many guests reboot \(or power off\) at once on it/);
  t.regex(h.screen(), /virsh send-key --domain web-01 --codeset linux KEY_LEFTCTRL KEY_LEFTALT[\s│]+KEY_DELETE/);
  await h.keys('escape');
  t.is(h.conn.log.entries.length, 0);
  await h.keys('K', 'right', 'right', 'right', 'tab', 'enter');
  await h.until(/Ctrl\+Alt\+F2 to web-01/);
  await h.keys('enter');
  await waitFor(() => h.conn.log.entries.length === 1, 10_000, () => 'one send-key');
  t.is(h.conn.log.entries[0]!.short, 'virsh send-key --domain web-01 --codeset linux KEY_LEFTCTRL KEY_LEFTALT KEY_F2');
});

test('a guest without graphics says so and shows the XML that adds a VNC display and a video card', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true });
  t.teardown(() => h.close());
  await screenOf(h, 'kube-node-1');
  await h.until(/kube-node-1 has no graphical display/);
  t.regex(h.screen(), /<graphics type='vnc' port='-1' autoport='yes' listen='127\.0\.0\.1'\/>/);
  t.regex(h.screen(), /<model type='vga'\/>/);
  t.is(detail(h).screenShots, 0);
  t.notRegex(h.screen(), /i type/);
  // no picture to refresh: no rate nor pause offered, and F and Space do nothing
  t.notRegex(h.text().at(-1)!, /F rate|Space pause/);
  await h.keys('F', ' ');
  t.notRegex(h.screen(), /every \d+ s|paused/);
  t.is(detail(h).screenShots, 0);
  // F is the domain's "save to a file" elsewhere: here it only says why there is nothing to refresh
  await h.keys('F');
  await h.until(/kube-node-1 has no graphical display: no picture to refresh/);
  t.notRegex(h.screen(), /Save kube-node-1/);
  t.is(h.conn.log.entries.length, 0);
});

test.serial('NO_COLOR (serial: the theme is one for the process): the picture in blocks and spaces, no colour; a shut-off guest has no picture', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true, env: { NO_COLOR: '1' } });
  t.teardown(() => h.close());
  await screenOf(h, 'web-01');
  await h.until(/1120x832 at/, 30_000);
  t.true(blocks(h) > 100);
  t.is(coloured(h), 0);
  await h.keys('escape', 'escape', '/', 'C-u', ...'win11-desktop', 'enter', 'V');
  await h.until(/win11-desktop is shut off: no picture until it runs/);
  t.regex(h.screen(), /spice:\/\/0\.0\.0\.0:5905 · ssh -N -L 5905:127\.0\.0\.1:5905/);
});

test('-r: no screenshot (libvirt forbids it on a read-only connection), the tunnel is shown, no key can be sent', async (t) => {
  const h = await openApp(DEMO_URI, 80, 24, { demo: true, readonly: true });
  t.teardown(() => h.close());
  await screenOf(h, 'web-01');
  await h.until(/no picture: libvirt forbids screenshots on a read-only connection \(-r\)/);
  t.regex(h.screen(), /ssh -N -L 5900:127\.0\.0\.1:5900/);
  t.is(detail(h).screenShots, 0);
  await h.keys('i');
  t.notRegex(h.screen(), /Type into/);
});
