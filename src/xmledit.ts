// Safe XML editing (`e` on a domain, network or pool): the XML goes to $EDITOR; an unchanged
// file writes nothing; a changed one is validated, shown as a diff, confirmed, backed up, then
// defined. An invalid file or a failed define offers "edit again" or "discard", and the old
// definition stays exactly as it was (libvirt only replaces it on a successful define).
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionResult, Status } from './model/host.ts';
import type { DialogResult, DialogSpec } from './ui/dialog.ts';
import { VirshError } from './virsh/errors.ts';
import { unifiedDiff, validateXmlFile, type Schema } from './virsh/validate.ts';
import { safeFileName } from './paths.ts';

export interface EditKind {
  noun: string;
  schema: Schema;
  /** the read: the inactive (persistent) definition, with secrets so a define keeps them */
  dump: (name: string) => string[];
  /** the same read for drivers that refuse the flags (the test driver refuses --inactive for networks and pools) */
  dumpPlain: (name: string) => string[];
  define: string;
  /** said before a define: when the change takes effect */
  effect: string;
}

export const EDIT_KINDS = {
  domain: {
    noun: 'domain', schema: 'domain', define: 'define',
    dump: (n) => ['dumpxml', '--inactive', '--security-info', '--domain', n], dumpPlain: (n) => ['dumpxml', '--domain', n],
    effect: 'A running domain keeps its present configuration until it is shut down and started again.',
  },
  network: {
    noun: 'network', schema: 'network', define: 'net-define',
    dump: (n) => ['net-dumpxml', '--inactive', '--network', n], dumpPlain: (n) => ['net-dumpxml', '--network', n],
    effect: 'An active network uses the new definition after it is stopped and started again.',
  },
  pool: {
    noun: 'pool', schema: 'storagepool', define: 'pool-define',
    dump: (n) => ['pool-dumpxml', '--inactive', '--pool', n], dumpPlain: (n) => ['pool-dumpxml', '--pool', n],
    effect: 'An active pool uses the new definition after it is stopped and started again.',
  },
} satisfies Record<string, EditKind>;

export interface EditHost {
  run(args: string[]): Promise<string>;
  action(args: string[]): Promise<ActionResult>;
  ask(spec: DialogSpec): Promise<DialogResult>;
  /** opens the file in the user's editor and resolves when the editor exits */
  editFile(path: string): Promise<void>;
  setStatus(s: Status): void;
  /** where the old XML is kept before each define */
  backupDir: string;
}

export type EditOutcome = 'unchanged' | 'defined' | 'discarded' | 'unreadable';

async function readXml(h: EditHost, kind: EditKind, name: string): Promise<string> {
  try {
    return await h.run(kind.dump(name));
  } catch (e) {
    if (e instanceof VirshError && /unsupported flags/.test(e.line)) return h.run(kind.dumpPlain(name));
    throw e;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** the first <name> of an XML document, its entities decoded */
export function xmlName(xml: string): string | undefined {
  const m = /<name>([^<]*)<\/name>/.exec(xml);
  return m?.[1]!.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e] ?? all);
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

export async function editXml(h: EditHost, kind: EditKind, name: string): Promise<EditOutcome> {
  let original: string;
  try {
    original = await readXml(h, kind, name);
  } catch (e) {
    const err = e instanceof VirshError ? e : new VirshError('virsh', String(e), '');
    h.setStatus({ kind: 'error', text: `cannot read the XML of ${kind.noun} ${name}: ${err.line}`, hint: err.hint });
    return 'unreadable';
  }
  // virsh reads `--domain 1` as the domain with ID 1 first: never edit another object's XML
  const said = xmlName(original);
  if (said !== undefined && said !== name) {
    h.setStatus({ kind: 'error', text: `virsh gave the XML of ${kind.noun} ${said} for ${name}: nothing was edited`, hint: `virsh reads the name ${name} as an ID or a UUID: in the virsh shell (!), virsh edit UUID edits it` });
    return 'unreadable';
  }
  const dir = mkdtempSync(join(tmpdir(), 'virtui-edit-'));
  const file = join(dir, `${safeFileName(`${kind.noun}-${name}`)}.xml`);
  const oldFile = join(dir, 'original.xml');
  writeFileSync(file, original);
  writeFileSync(oldFile, original);
  const again = async (title: string, message: string[], pre: string[]): Promise<boolean> =>
    (await h.ask({ title, message: [...message, `The ${kind.noun}'s definition has not been changed.`], pre, confirmLabel: 'Edit again', cancelLabel: 'Discard' })).confirmed;
  try {
    for (;;) {
      await h.editFile(file);
      const edited = readFileSync(file, 'utf8');
      if (edited === original) {
        h.setStatus({ kind: 'info', text: `${kind.noun} ${name}: no change, nothing written` });
        return 'unchanged';
      }
      const v = await validateXmlFile(file, kind.schema);
      if (!v.ok) {
        if (await again(`${kind.noun} ${name}: the XML does not validate`, [`virt-xml-validate rejected the edited file (schema ${kind.schema}):`], v.output)) continue;
        h.setStatus({ kind: 'info', text: `${kind.noun} ${name}: edit discarded, the definition is unchanged` });
        return 'discarded';
      }
      const diff = await unifiedDiff(oldFile, file, `${name} (now)`, `${name} (edited)`);
      const go = await h.ask({
        title: `Define ${kind.noun} ${name}?`,
        message: [`virsh ${kind.define} replaces the definition with your edit. The old XML is saved first in ${h.backupDir}.`, kind.effect,
          ...(v.skipped ? [`Not validated: ${v.skipped}. libvirt still checks it.`] : [])],
        pre: diff, preStyle: 'diff', confirmLabel: 'Define', cancelLabel: 'Edit again or discard',
      });
      if (!go.confirmed) {
        if (await again(`${kind.noun} ${name}: not defined`, ['You did not define the edit.'], [])) continue;
        h.setStatus({ kind: 'info', text: `${kind.noun} ${name}: edit discarded, the definition is unchanged` });
        return 'discarded';
      }
      mkdirSync(h.backupDir, { recursive: true });
      const backup = join(h.backupDir, `${safeFileName(`${kind.noun}-${name}`)}-${stamp()}.xml`);
      writeFileSync(backup, original);
      const r = await h.action([kind.define, '--file', file]);
      if (r.ok) {
        h.setStatus({ kind: 'ok', text: `${kind.noun} ${name} defined from your edit; the old XML is in ${backup}` });
        return 'defined';
      }
      const err = r.error!;
      if (await again(`${kind.noun} ${name}: libvirt refused the edit`, [err.line, ...(err.hint ? [`hint: ${err.hint}`] : [])], err.stderr ? err.stderr.trim().split('\n') : [])) continue;
      h.setStatus({ kind: 'info', text: `${kind.noun} ${name}: edit discarded, the definition is unchanged` });
      return 'discarded';
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type NewOutcome = 'defined' | 'back' | 'failed';

/**
 * A new definition (from a form or a file): validated, shown, confirmed, then `<define> FILE`.
 * 'back': the user wants the form again (or the XML did not validate); nothing was defined.
 */
export async function defineNew(h: EditHost, kind: EditKind, name: string, xml: string, note: string[] = []): Promise<NewOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-new-'));
  const file = join(dir, `${safeFileName(`${kind.noun}-${name}`)}.xml`);
  writeFileSync(file, xml);
  try {
    const v = await validateXmlFile(file, kind.schema);
    const lines = xml.replace(/\n$/, '').split('\n');
    if (!v.ok) {
      await h.ask({ title: `${kind.noun} ${name}: the XML does not validate`, message: ['virt-xml-validate says:', ...v.output.slice(0, 8), '', 'Nothing was defined.'], pre: lines, confirmLabel: 'Back', cancelLabel: 'Close' });
      return 'back';
    }
    const go = await h.ask({
      title: `Define ${kind.noun} ${name}?`,
      message: [`virsh ${kind.define} with this XML${v.skipped ? ` (not validated: ${v.skipped})` : ' (virt-xml-validate: valid)'}.`, ...note],
      pre: lines, confirmLabel: 'Define', cancelLabel: 'Back',
    });
    if (!go.confirmed) return 'back';
    const r = await h.action([kind.define, '--file', file]);
    return r.ok ? 'defined' : 'failed';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
