// The terminal panes against the real lab: consoles, guestfish, hostile guest output.
// Registered at the end of lab.test.ts: the lab's guests are shared, so these run in its series.
import type { SkipFn, TestFn } from 'ava';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startProgram as startVirtuiLike, startVirtui, tagged, killVirtui, type Tui } from './drive.ts';
import { sharedDir } from '../helpers.ts';

const tmux = (v: Tui, ...args: string[]) => spawnSync('tmux', ['-L', `tui-drive-${v.name}`, ...args], { encoding: 'utf8' });

/** filters the list down to one domain, as a user would */
function only(v: Tui, text: string): void {
  v.type(`/${text}`);
  v.keys('Enter');
  v.wait('1 shown');
}

/** The lab as setup-lab.sh leaves it (lab-alpha running with its shell, lab-beta paused, lab-gamma off). */
export function restoreLab(): void {
  spawnSync('bash', [join(sharedDir(), 'lab', 'setup-lab.sh')], { stdio: 'ignore', env: { ...process.env, LAB_SKIP_INSTALL: '1' } });
}

export function registerPaneTests(LAB: TestFn['serial'] | SkipFn, virsh: (...a: string[]) => string, state: (n: string) => string | undefined): void {
  const lab = ['-c', 'qemu:///system'];

  LAB('lab panes: lab-alpha\'s console answers; the list and back keep it; lab-beta\'s console beside it; hostile output stays in the pane', (t) => {
    t.teardown(() => { if (state('lab-beta') === 'running') virsh('suspend', 'lab-beta'); });
    const v = startVirtui('120x36', lab);
    t.teardown(() => v.stop());
    v.wait('lab-alpha +running');
    only(v, 'alpha');
    v.keys('c');
    v.wait("Connected to domain 'lab-alpha'", 20);
    v.wait('TYPING');
    v.keys('Enter');
    v.wait('lab-alpha:/# ?$', 20);
    v.type('echo $((6*7))');
    v.keys('Enter');
    v.wait('^42$', 20);
    // leave the pane, see the list, come back: the console kept its content
    v.keys('C-]');
    v.wait('Enter type');
    v.keys('q');
    v.wait('NAME.*STATE');
    v.gone('^42$');
    v.keys('C-]');
    v.wait('^42$');
    // a second console at the same time: lab-beta, resumed first
    v.keys('C-]', 'q');
    v.keys('Escape');
    v.wait('lab-beta +paused');
    only(v, 'beta');
    v.keys('p');
    v.wait('lab-beta +running', 30);
    v.keys('c');
    v.wait("Connected to domain 'lab-beta'", 20);
    v.keys('Enter');
    v.wait('lab-beta:/# ?$', 20);
    v.wait(' 1 console lab-alpha .* 2 console lab-beta ');
    // both run: back to the first with the pane keys, beside the list
    v.keys('C-]', '1', '|');
    v.wait('lab-alpha:/# echo [$][(][(]6[*]7[)][)]');
    v.wait('NAME.*STATE');
    v.keys('Enter');

    // a guest prints what would take over a terminal: title, clear, bracketed paste, cursor save/restore, OSC 52, cursor, mouse off
    tmux(v, 'set-option', '-g', 'set-clipboard', 'on');
    const before = { title: v.pane('#{pane_title}'), cursor: v.pane('#{cursor_flag}'), mouse: v.pane('#{mouse_any_flag}'), alt: v.pane('#{alternate_on}') };
    v.type("printf '\\033]0;PWNED\\007\\033[2J\\033[H\\033[?2004h\\0337\\033[s\\033[5;5H\\0338\\033[u\\033]52;c;cHduZWQ=\\007\\033[?25h\\033[?1000l\\033[?1049lHOSTILE-DONE\\n'");
    v.keys('Enter');
    v.wait('HOSTILE-DONE$', 20);
    const after = { title: v.pane('#{pane_title}'), cursor: v.pane('#{cursor_flag}'), mouse: v.pane('#{mouse_any_flag}'), alt: v.pane('#{alternate_on}') };
    t.deepEqual(after, before, 'title, cursor, mouse reporting and alternate screen of the host terminal are unchanged');
    t.not(after.title, 'PWNED');
    t.not(tmux(v, 'show-buffer').status, 0, 'OSC 52 set no clipboard buffer');
    const rows = v.lines();
    t.regex(rows[0]!, /^virtui qemu:\/\/\/system/, 'the header is still there');
    t.regex(rows.join('\n'), /NAME.*STATE/, 'the list beside the pane is still there');
    t.regex(rows.at(-2)!.concat(rows.at(-1)!), /\^\] leaves the pane/, 'the footer is still there');
  });

  LAB('lab panes: guestfish on lab-gamma (shut off, asks) and on lab-alpha (running: read-only), listing the filesystems', (t) => {
    const v = startVirtui('120x36', lab, ['env', 'LIBGUESTFS_BACKEND_SETTINGS=force_tcg']);
    t.teardown(() => v.stop());
    v.wait('lab-gamma +shut off');
    only(v, 'gamma');
    v.keys('g');
    v.wait('guestfish on lab-gamma');
    v.wait('Read-write');
    v.keys('Escape'); // the safe answer: read-only
    v.wait('guestfish lab-gamma \\(ro\\)');
    v.wait('read-only \\(--ro\\): as chosen');
    v.wait('starting the libguestfs appliance', 10);
    v.gone('starting the libguestfs appliance', 150);
    v.wait('><fs> ?$', 10);
    v.type('list-filesystems');
    v.keys('Enter');
    v.wait('^/dev/sd[a-z]+[0-9]*: ', 30);
    v.keys('C-]', 'q', 'Escape');
    v.wait('lab-alpha +running');
    only(v, 'alpha');
    v.keys('g');
    v.wait("read-only \\(--ro\\): lab-alpha is running, and writing to a live guest's disks corrupts them", 10);
    v.wait('READ-ONLY');
    v.gone('starting the libguestfs appliance', 150);
    v.wait('><fs> ?$', 10);
    v.type('list-filesystems');
    v.keys('Enter');
    v.wait('^/dev/sda: ext4', 30);
    t.regex(v.screen(), /guestfish --ro -c qemu:\/\/\/system -d lab-alpha/, 'the command is shown');
    t.regex(v.screen(), / 1 guestfish lab-gamma \(ro\) .* 2 guestfish lab-alpha \(ro\) /);
  });

  LAB('lab panes: a console held by another client is taken over with --force after the question', (t) => {
    const other = startVirtuiLike('80x10', ['virsh', '-c', 'qemu:///system', 'console', 'lab-alpha']);
    t.teardown(() => other.stop());
    other.wait('Escape character', 20);
    const v = startVirtui('100x30', lab);
    t.teardown(() => v.stop());
    v.wait('lab-alpha +running');
    only(v, 'alpha');
    v.keys('c');
    v.wait('Console of lab-alpha is in use', 20);
    v.wait('Take over');
    // it came while the console had the keys: it takes none for a moment, and says so
    v.wait('Enter chooses');
    v.keys('y');
    v.wait('console --force --domain lab-alpha', 10);
    v.wait("Connected to domain 'lab-alpha'", 20);
    other.wait('\\[exited', 20);
    t.regex(other.screen(), /stream had I\/O failure|exited/);
  });

  LAB('lab panes: kill -9 of virtui leaves no child: the event stream, the session, lab-alpha\'s console', (t) => {
    const tag = `VIRTUI_E2E_TAG=${process.pid}-${Date.now()}`;
    const v = startVirtui('100x30', lab, ['env', tag]);
    t.teardown(() => { v.stop(); for (const p of tagged(tag)) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ } });
    v.wait('lab-alpha +running');
    only(v, 'alpha');
    v.keys('c');
    v.wait("Connected to domain 'lab-alpha'", 20);
    const running = tagged(tag).map((p) => p.argv.join(' '));
    // the event stream reads nothing: it outlived virtui (until the next event) before
    t.true(running.some((c) => / event --all --loop/.test(c)), running.join('\n'));
    t.true(running.some((c) => / console /.test(c)), running.join('\n'));
    t.deepEqual(killVirtui(v, tag), [], 'nothing of virtui is left');
  });

  LAB('lab panes: destroying lab-alpha ends its console with the reason; it re-attaches when it runs again', (t) => {
    t.teardown(() => restoreLab());
    const v = startVirtui('100x30', lab);
    t.teardown(() => v.stop());
    v.wait('lab-alpha +running');
    only(v, 'alpha');
    v.keys('c');
    v.wait("Connected to domain 'lab-alpha'", 20);
    v.keys('C-]', 'q');
    v.wait('NAME.*STATE');
    v.keys('D');
    v.wait('Destroy lab-alpha');
    v.keys('y');
    v.wait('lab-alpha +shut off', 30);
    v.keys('C-]');
    v.wait('console ended: lab-alpha was destroyed', 15);
    v.wait('console lab-alpha \\(ended\\)');
    v.keys('a');
    v.wait('re-attach when lab-alpha runs again: on');
    virsh('start', 'lab-alpha');
    v.wait('lab-alpha is running again: re-attaching', 20);
    // the second "Connected" comes below the re-attach note
    const connectedAfterNote = () => {
      const rows = v.lines();
      const note = rows.findIndex((l) => l.includes('running again: re-attaching'));
      return note >= 0 && rows.slice(note).some((l) => l.includes("Connected to domain 'lab-alpha'"));
    };
    for (let i = 0; i < 40 && !connectedAfterNote(); i++) spawnSync('sleep', ['0.5']);
    t.true(connectedAfterNote(), v.screen());
    t.is(state('lab-alpha'), 'running');
  });
}
