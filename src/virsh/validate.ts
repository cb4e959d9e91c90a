// Checking XML before libvirt sees it: `virt-xml-validate FILE SCHEMA` (libvirt-clients; it
// needs xmllint from libxml2-utils), and `diff -u` to show what an edit changes.
import { runOnce } from './spawn.ts';
import { VirshError } from './errors.ts';

export type Schema = 'domain' | 'network' | 'storagepool' | 'storagevol' | 'domainsnapshot';

export interface Validation {
  ok: boolean;
  /** what the validator said (errors, or "validates") */
  output: string[];
  /** validation could not run (tool missing): libvirt will still check on define */
  skipped?: string;
}

export async function validateXmlFile(file: string, schema: Schema): Promise<Validation> {
  let r;
  try {
    r = await runOnce('virt-xml-validate', [file, schema], { timeoutMs: 30_000 });
  } catch (e) {
    if (e instanceof VirshError && e.kind === 'missing') return { ok: true, output: [], skipped: 'virt-xml-validate is not installed (apt-get install libvirt-clients)' };
    throw e;
  }
  const text = `${r.stdout}${r.stderr}`.trim();
  if (r.exitCode === 127 || /xmllint: not found/.test(text)) {
    return { ok: true, output: [], skipped: 'virt-xml-validate needs xmllint (apt-get install libxml2-utils)' };
  }
  return { ok: r.exitCode === 0, output: text ? text.split('\n') : [] };
}

/** `diff -u` of two files, labelled; [] when they are the same. */
export async function unifiedDiff(oldFile: string, newFile: string, oldLabel: string, newLabel: string): Promise<string[]> {
  const r = await runOnce('diff', ['-u', '--label', oldLabel, '--label', newLabel, oldFile, newFile], { timeoutMs: 30_000 });
  if (r.exitCode === 0) return [];
  if (r.exitCode !== 1) throw new Error(`diff failed: ${r.stderr.trim()}`);
  return r.stdout.replace(/\n$/, '').split('\n');
}
