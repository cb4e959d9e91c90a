// Safe XML editing (`e` on a domain, network or pool): the XML goes to $EDITOR; an unchanged
// file writes nothing; a changed one is validated, shown as a diff, confirmed, backed up, then
// defined. An invalid file or a failed define offers "edit again" or "discard", and the old
// definition stays exactly as it was (libvirt only replaces it on a successful define).
import { mkdtempSync, readFileSync, writeFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionHost } from './context.ts';
import { VirshError } from './virsh/errors.ts';
import { unifiedDiff, validateXmlFile, type Schema } from './virsh/validate.ts';
import { safeFileName, stateDir } from './paths.ts';

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

/** What the edit needs: the context bound to the connection (`bind(ctx, conn)`). */
export type EditHost = Pick<ActionHost, 'run' | 'action' | 'ask' | 'editFile' | 'setStatus'> & {
  /** where the old XML is kept before each define (default: backups/ in virtui's state directory) */
  backupDir?: string;
};

const backupDirOf = (h: EditHost) => h.backupDir ?? join(stateDir(), 'backups');

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

const uncommented = (xml: string) => xml.replace(/<!--[\s\S]*?-->/g, '');

/** the first <name> of an XML document (outside comments), its entities decoded */
export function xmlName(xml: string): string | undefined {
  const m = /<name>([^<]*)<\/name>/.exec(uncommented(xml));
  return m?.[1]!.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : ENTITIES[e] ?? all);
}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** The object's own <name> and <uuid> (the first of each: they come before any device's). Pure. */
export function identity(xml: string): { name: string | undefined; uuid: string | undefined } {
  const uuid = /<uuid>([^<]*)<\/uuid>/.exec(uncommented(xml))?.[1];
  return { name: xmlName(xml)?.trim(), uuid: uuid?.trim().toLowerCase() };
}

/**
 * What an edit does to the object's identity, as define will take it: a new name without the
 * old UUID makes a second object beside the old one; a new name or UUID alone is refused by libvirt.
 */
export function identityChange(before: string, after: string): { kind: 'same' } | { kind: 'new'; name: string } | { kind: 'refused'; why: string } {
  const a = identity(before);
  const b = identity(after);
  const renamed = b.name !== undefined && a.name !== undefined && b.name !== a.name;
  const uuidKept = !!a.uuid && b.uuid === a.uuid;
  if (renamed && uuidKept) return { kind: 'refused', why: `the name changed (${a.name} -> ${b.name}) but the UUID is the same: libvirt refuses a define that renames; rename a shut-off domain with virsh domrename` };
  if (renamed) return { kind: 'new', name: b.name! };
  if (a.uuid && b.uuid && b.uuid !== a.uuid) return { kind: 'refused', why: `the UUID changed (${a.uuid} -> ${b.uuid}) under the same name: libvirt refuses a second object named ${a.name}` };
  return { kind: 'same' };
}

/** "Domain 'x' defined from ..." -> x */
function definedName(output: string): string | undefined {
  return /^\S+ '(.*)' defined/m.exec(output)?.[1];
}

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
      const code = await h.editFile(file);
      if (typeof code === 'number' && code !== 0) {
        // as virsh edit does: an editor that fails (vim's :cq) means "do not use this"
        h.setStatus(code === 127
          ? { kind: 'error', text: `${kind.noun} ${name}: the editor did not start: nothing changed`, hint: 'set EDITOR (or VISUAL) to an installed editor' }
          : { kind: 'info', text: `${kind.noun} ${name}: the editor exited with code ${code}: edit discarded, the definition is unchanged` });
        return 'discarded';
      }
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
      const who = identityChange(original, edited);
      if (who.kind === 'refused') {
        if (await again(`${kind.noun} ${name}: not defined`, [`Your edit cannot be defined: ${who.why}.`], diff)) continue;
        h.setStatus({ kind: 'info', text: `${kind.noun} ${name}: edit discarded, the definition is unchanged` });
        return 'discarded';
      }
      const go = await h.ask({
        title: who.kind === 'new' ? `Define a NEW ${kind.noun} ${who.name}?` : `Define ${kind.noun} ${name}?`,
        message: [
          ...(who.kind === 'new'
            ? [`Your edit changes the name to ${who.name} and has no UUID of ${name}'s: virsh ${kind.define} creates a second ${kind.noun}, ${who.name}, beside ${name}, which stays as it is.`,
              ...(kind.noun === 'domain' ? [`Both would use the same disks: starting both corrupts them.`] : [])]
            : [`virsh ${kind.define} replaces the definition with your edit. The old XML is saved first in ${backupDirOf(h)}.`, kind.effect]),
          ...(v.skipped ? [`Not validated: ${v.skipped}. libvirt still checks it.`] : [])],
        pre: diff, preStyle: 'diff', confirmLabel: 'Define', cancelLabel: 'Edit again or discard',
      });
      if (!go.confirmed) {
        if (await again(`${kind.noun} ${name}: not defined`, ['You did not define the edit.'], [])) continue;
        h.setStatus({ kind: 'info', text: `${kind.noun} ${name}: edit discarded, the definition is unchanged` });
        return 'discarded';
      }
      mkdirSync(backupDirOf(h), { recursive: true });
      const backup = join(backupDirOf(h), `${safeFileName(`${kind.noun}-${name}`)}-${stamp()}.xml`);
      writeFileSync(backup, original);
      const r = await h.action([kind.define, '--file', file]);
      if (r.ok) {
        const made = definedName(r.output) ?? (who.kind === 'new' ? who.name : name);
        h.setStatus({ kind: 'ok', text: made === name
          ? `${kind.noun} ${name} defined from your edit; the old XML is in ${backup}`
          : `new ${kind.noun} ${made} defined from your edit; ${name} is unchanged` });
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
      await h.ask({ title: `${kind.noun} ${name}: the XML does not validate`, message: ['virt-xml-validate says:', ...v.output.slice(0, 8), '', 'Nothing was defined.'], pre: lines, confirmLabel: 'Back', notice: true });
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
