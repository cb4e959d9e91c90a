// The Agent tab of a domain's details: what the QEMU guest agent says about the guest, and what
// it can do (set the clock, trim, freeze/thaw, set a password). A domain without the agent's
// channel says so and shows the XML that adds one.
import type { Domain } from '../../src/libvirt/types.ts';
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { ActionHost } from '../../src/context.ts';
import { domainArg } from '../../src/libvirt/parse.ts';
import {
  AGENT_CHANNEL_XML, agentPingOk, hasAgentChannel, parseDomfsinfo, parseGuestinfo, type FsInfoRow, type GuestInfo,
} from '../../src/libvirt/guest.ts';
import { VirshError } from '../../src/virsh/errors.ts';
import { humanKiB } from '../../src/ui/text.ts';
import type { FrozenGuests } from '../../src/model/frozen.ts';
import { fieldLines } from '../kit/tabbed.ts';

export interface AgentFacts {
  channel: boolean;
  running: boolean;
  /** '' when the agent answered guest-ping, else why not */
  pingError: string;
  info?: GuestInfo;
  infoError?: string;
  fs?: FsInfoRow[];
  /** guest-fsfreeze-status said "frozen" */
  frozen?: boolean;
}

const why = (e: unknown) => (e instanceof VirshError ? e.line : e instanceof Error ? e.message : String(e));

/** Asks the agent (only when the domain has its channel and runs). */
export async function loadAgent(run: (args: string[]) => Promise<string>, dom: Domain, xml: string): Promise<AgentFacts> {
  const channel = hasAgentChannel(xml);
  const running = dom.state === 'running';
  if (!channel || !running) return { channel, running, pingError: '' };
  const d = domainArg(dom);
  const agent = (cmd: string) => run(['qemu-agent-command', '--domain', d, JSON.stringify({ execute: cmd })]);
  const ping = await agent('guest-ping').then((o) => (agentPingOk(o) ? '' : `unexpected answer: ${o.trim()}`), why);
  if (ping) return { channel, running, pingError: ping };
  const [info, fs, freeze] = await Promise.all([
    run(['guestinfo', '--domain', d]).then((o) => ({ info: parseGuestinfo(o) }), (e) => ({ infoError: why(e) })),
    run(['domfsinfo', '--domain', d]).then(parseDomfsinfo, () => undefined),
    agent('guest-fsfreeze-status').then((o) => /"frozen"/.test(o), () => undefined),
  ]);
  return { channel, running, pingError: '', ...info, fs, frozen: freeze };
}

const pct = (used?: number, total?: number) => (used !== undefined && total ? `${Math.round((100 * used) / total)} %` : '-');

function table(headers: string[], rows: string[][]): string[] {
  if (!rows.length) return ['  (none)'];
  const w = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (c || '-').padEnd(w[i]!)).join('  ')}`.trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** The tab's lines. Pure. */
export function agentLines(name: string, f: AgentFacts, frozen: boolean): string[] {
  if (!f.channel) {
    // one line a paragraph: the text view wraps them to the screen
    return [
      `${name} has no guest agent channel: virtui cannot see inside it (addresses from the agent, OS, filesystems) nor set its clock or a password.`,
      '',
      'Add this to its <devices> (e edits the XML), install qemu-guest-agent in the guest, then shut it down and start it again (a reboot from inside keeps the old devices):',
      '',
      ...AGENT_CHANNEL_XML.map((l) => `    ${l}`),
    ];
  }
  if (!f.running) return [`${name} has a guest agent channel; the agent answers only while the domain runs.`];
  const out: string[] = [];
  if (frozen) out.push('FROZEN: the guest\'s filesystems are frozen; every write in it blocks until Z thaws them.', '');
  if (f.pingError) {
    return [...out, `Agent: does not answer (${f.pingError})`, '',
      'The channel is there: is qemu-guest-agent installed and running in the guest?'];
  }
  out.push('Agent: answers (guest-ping)');
  if (f.info) {
    const g = f.info;
    out.push(...fieldLines([['OS', g.os || '-'], ['Kernel', g.kernel || '-'], ['Hostname', g.hostname || '-'], ['Timezone', g.timezone || '-'],
      ['Users', g.users.length ? g.users.map((u) => u.name + (u.domain ? `@${u.domain}` : '')).join(', ') : '(nobody logged in)']]));
  } else if (f.infoError) {
    out.push(`  guestinfo: ${f.infoError}`);
  }
  const fs = f.info?.fs.length ? f.info.fs : undefined;
  out.push('', `Filesystems (${fs?.length ?? f.fs?.length ?? 0})`);
  if (fs) {
    out.push(...table(['MOUNTPOINT', 'DEVICE', 'TYPE', 'USED', 'SIZE', 'USE', 'DISKS'], fs.map((x) => [
      x.mountpoint, x.name, x.type, x.usedBytes === undefined ? '-' : humanKiB(x.usedBytes / 1024), x.totalBytes === undefined ? '-' : humanKiB(x.totalBytes / 1024),
      pct(x.usedBytes, x.totalBytes), x.disks.join(','),
    ])));
  } else {
    out.push(...table(['MOUNTPOINT', 'DEVICE', 'TYPE', 'DISKS'], (f.fs ?? []).map((x) => [x.mountpoint, x.name, x.type, x.target])));
  }
  const ifs = f.info?.ifaces ?? [];
  out.push('', `Interfaces (${ifs.length})`);
  out.push(...table(['NAME', 'MAC', 'ADDRESSES'], ifs.map((i) => [i.name, i.mac, i.addrs.map((a) => `${a.addr}/${a.prefix ?? ''}`).join(' ')])));
  out.push('', 'T set the guest clock from the host   f trim   z freeze / Z thaw   P set a user\'s password');
  return out;
}

export interface AgentCtx { host: ActionHost; dom: Domain | undefined }

/** The agent's keys (the Agent tab): `shown` says whether that tab is on screen. */
export function agentActions(frozen: FrozenGuests, shown: () => boolean): KeyAction<AgentCtx>[] {
  const on = (c: AgentCtx) => shown() && c.dom?.state === 'running';
  return [
    {
      keys: ['T'], label: 'sync clock', help: 'set the guest\'s clock from the host (domtime --sync; Agent tab)', mutates: true, when: on,
      run: (c) => { void c.host.action(['domtime', '--domain', domainArg(c.dom!), '--sync']); },
    },
    {
      keys: ['f'], label: 'fstrim', help: 'discard the unused blocks of the guest\'s filesystems (domfstrim; Agent tab)', mutates: true, when: on,
      run: (c) => { void c.host.action(['domfstrim', '--domain', domainArg(c.dom!)], { timeoutMs: 600_000 }); },
    },
    {
      keys: ['z'], label: 'freeze', help: 'freeze the guest\'s filesystems (asks; writes block until thawed; Agent tab)', mutates: true,
      when: (c) => on(c) && !frozen.has(c.dom!.name),
      run: async (c) => {
        const name = c.dom!.name;
        const r = await c.host.ask({
          title: `Freeze the filesystems of ${name}`, confirmLabel: 'Freeze', dangerous: true,
          message: [`Every write in ${name} blocks until its filesystems are thawed (Z): applications may hang or time out.`,
            'Use it around a snapshot or a backup of its disks; quitting virtui while it is frozen asks first.'],
        });
        if (!r.confirmed) return;
        const res = await c.host.action(['domfsfreeze', '--domain', domainArg(c.dom!)]);
        if (res.ok) frozen.set(name, true);
      },
    },
    {
      keys: ['Z'], label: 'thaw', help: 'thaw the guest\'s frozen filesystems (domfsthaw)', mutates: true,
      when: (c) => !!c.dom && c.dom.state === 'running' && (frozen.has(c.dom.name) || shown()),
      run: async (c) => {
        const res = await c.host.action(['domfsthaw', '--domain', domainArg(c.dom!)]);
        if (res.ok) frozen.set(c.dom!.name, false);
      },
    },
    {
      keys: ['P'], label: 'password', help: 'set a guest user\'s password through the agent (a form; the password is never shown or logged)', mutates: true, when: on,
      run: async (c) => {
        const r = await c.host.form({
          title: `Set a user's password in ${c.dom!.name}`,
          intro: ['The guest agent sets it (set-user-password). virtui never shows, logs or keeps it.'],
          fields: [
            { id: 'user', label: 'User', value: 'root', validate: (v) => (v.trim() ? '' : 'a user name') },
            { id: 'password', label: 'Password', secret: true, validate: (v) => (v ? '' : 'a password') },
            { id: 'again', label: 'Again', secret: true },
          ],
          buttons: ['Set'],
          validate: (v) => (v.password === v.again ? '' : 'the two passwords differ'),
        });
        if (!r.submitted) return;
        const pw = r.values.password!;
        await c.host.action(['set-user-password', '--domain', domainArg(c.dom!), '--user', r.values.user!.trim(), '--password', pw], { secret: pw });
      },
    },
  ];
}
