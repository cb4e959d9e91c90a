// The policy of the terminal sessions a pane runs (DESIGN "Seams"): when a console, guestfish or
// a virsh shell may open on a connection, read-only or not, and with what it is told. The App
// gives the panes and the questions; this module decides.
import type { Connection } from '../../src/model/connection.ts';
import { bind, type ScreenContext } from '../../src/context.ts';
import type { FishTarget } from '../../src/pty/commands.ts';
import { SERIAL_XML as SERIAL_LINES } from '../../src/pty/commands.ts';
import { findProgram } from '../../src/pty/process.ts';
import { parseDomainXml } from '../../src/libvirt/domxml.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import { ConsoleJob, FishJob, ShellJob } from './jobs.ts';
import type { TermJob, TerminalView } from './view.ts';
import type { Panes } from './panes.ts';

/**
 * What the sessions need: the screen context (its questions; a job gets it bound to its
 * connection) and the panes, which are this folder's and so not in the context.
 */
export type SessionsHost = ScreenContext & {
  readonly panes: Pick<Panes, 'list' | 'show'>;
  /** the connection a pane's session talks to */
  paneConnection(v: TerminalView): Connection | undefined;
  openPane(job: TermJob, conn: Connection): TerminalView;
};

export class TerminalSessions {
  constructor(private readonly host: SessionsHost) {}

  async openConsole(conn: Connection, name: string, force: boolean): Promise<void> {
    // the same name on another host is another console
    const open = this.host.panes.list.find((v) => v.jobTitle === `console ${name}` && this.host.paneConnection(v) === conn);
    if (open && open.pane.running) { this.host.panes.show(open); return; }
    if (conn.readonly) {
      conn.setStatus({ kind: 'error', text: 'a console cannot be opened on a read-only connection (-r)', hint: 'libvirt refuses it: what is typed there could change the guest' });
      return;
    }
    if (conn.demo) {
      conn.setStatus({ kind: 'error', text: 'the demo host has no consoles: its guests are not real', hint: 'connect to a libvirt host with -c URI' });
      return;
    }
    let xml = '';
    try {
      xml = await conn.run(['dumpxml', '--domain', domainArg(conn.domains.get(name) ?? { name })]);
    } catch { /* virsh console says what is wrong */ }
    if (xml && parseDomainXml(xml).consoles === 0) {
      await this.host.ask({
        title: `${name} has no console`,
        message: [`${name} has no serial or console device, so there is no console to open.`, 'These lines in its <devices> add one (e edits the XML; the guest needs a restart and a getty or console=ttyS0):'],
        pre: SERIAL_LINES, confirmLabel: 'OK', notice: true,
      });
      return;
    }
    if (open) open.close();
    this.host.openPane(new ConsoleJob(bind(this.host, conn), name, force), conn);
  }

  async openGuestfish(conn: Connection, target: FishTarget, running: boolean, users: string): Promise<void> {
    if (conn.demo) {
      conn.setStatus({ kind: 'error', text: 'the demo host has no disks to open: its guests are not real', hint: 'connect to a libvirt host with -c URI' });
      return;
    }
    if (!findProgram('guestfish')) {
      conn.setStatus({ kind: 'error', text: 'guestfish is not installed (libguestfs)', hint: 'apt-get install libguestfs-tools' });
      return;
    }
    const what = target.kind === 'domain' ? target.name : `volume ${target.name}`;
    let readonly = true;
    let why = '';
    const state = target.kind === 'domain' ? conn.domains.get(target.name)?.state ?? 'running' : 'running';
    if (running) why = target.kind === 'domain' ? `${target.name} is ${state}, and writing to a live guest's disks corrupts them` : `it is in use by ${users}, which is running: writing to a live guest's disk corrupts it`;
    else if (conn.readonly) why = 'the connection is read-only (-r)';
    else {
      const r = await this.host.ask({
        title: `guestfish on ${what}`,
        message: [
          target.kind === 'domain' ? `${target.name} is shut off, so its disks can be opened read-write.` : `The volume is not used by a running domain${users ? ` (it belongs to ${users})` : ''}.`,
          'Read-write lets guestfish change files in the guest: make sure nothing starts it meanwhile.',
          'Read-only cannot change anything.',
        ],
        confirmLabel: 'Read-write', cancelLabel: 'Read-only',
      });
      readonly = !r.confirmed;
      why = readonly ? 'as chosen' : `${target.kind === 'domain' ? target.name : 'the volume'} is not running; you chose read-write`;
    }
    this.host.openPane(new FishJob(bind(this.host, conn), target, readonly, why), conn);
  }

  /** `!` or `:shell`: an interactive virsh on this connection. */
  openShell(conn: Connection): void {
    if (conn.demo) {
      conn.setStatus({ kind: 'error', text: 'the demo host lives inside virtui: a separate virsh would see a different world', hint: 'use : to run virsh commands on the demo host' });
      return;
    }
    this.host.openPane(new ShellJob(bind(this.host, conn)), conn);
  }

}
