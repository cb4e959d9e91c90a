// The virt-install family run once and read back: the OS list, the XML virt-install would
// define (--print-xml --dry-run), and its validation. A missing tool names its Debian package.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnce } from './spawn.ts';
import { VirshError } from './errors.ts';
import { validateXmlFile, type Validation } from './validate.ts';
import { installError, parseOsinfo, printXmlArgs, TOOL_PACKAGES } from '../libvirt/install.ts';

/** "virt-install is not installed (apt-get install virtinst)" for a missing tool, else the error's line */
export function toolProblem(e: unknown): string {
  if (e instanceof VirshError && e.kind === 'missing') {
    const tool = /^(\S+) is not installed/.exec(e.line)?.[1] ?? '';
    return `${tool} is not installed: apt-get install ${TOOL_PACKAGES[tool] ?? tool}`;
  }
  return e instanceof VirshError ? e.line : (e as Error).message;
}

let osinfoCache: Array<{ id: string; name: string }> | undefined;

/** osinfo-query's OS list (read once: it is this machine's libosinfo database), or why there is none */
export async function osinfoList(): Promise<Array<{ id: string; name: string }> | string> {
  if (osinfoCache) return osinfoCache;
  try {
    const r = await runOnce('osinfo-query', ['os', '-f', 'short-id,name'], { timeoutMs: 30_000 });
    if (r.exitCode === 0) return (osinfoCache = parseOsinfo(r.stdout));
    return r.stderr.trim() || `osinfo-query failed (${r.exitCode})`;
  } catch (e) {
    return toolProblem(e);
  }
}

export interface Preview { ok: boolean; xml: string; error: string; validation?: Validation }

/** The domain XML virt-install would define with `args`: nothing is created (--dry-run). */
export async function previewInstall(args: readonly string[]): Promise<Preview> {
  let r;
  try {
    r = await runOnce('virt-install', printXmlArgs(args), { timeoutMs: 120_000 });
  } catch (e) {
    return { ok: false, xml: '', error: toolProblem(e) };
  }
  if (r.exitCode !== 0 || !/<domain[\s>]/.test(r.stdout)) return { ok: false, xml: '', error: installError(r.stderr || r.stdout) };
  const dir = mkdtempSync(join(tmpdir(), 'virtui-install-'));
  try {
    const file = join(dir, 'domain.xml');
    // (a kernel boot prints two documents, the install and the final one: the last is what stays)
    const docs = r.stdout.split(/(?=<domain[\s>])/).filter((d) => d.trim());
    writeFileSync(file, docs[docs.length - 1]!);
    const validation = await validateXmlFile(file, 'domain').catch((e: unknown) => ({ ok: true, output: [], skipped: toolProblem(e) }));
    return { ok: validation.ok, xml: r.stdout.trimEnd(), error: validation.ok ? '' : validation.output.join(' '), validation };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Files virt-install reads (cloud-init user-data, a root password): private to root, removed
 * after the run, and at the latest when virtui's process exits (a quit, a signal or a crash while
 * the review question is open or virt-install runs: a password must not stay in /tmp).
 */
export function privateFiles(files: Record<string, string>): { paths: Record<string, string>; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'virtui-cloudinit-'));
  const remove = () => { process.off('exit', remove); rmSync(dir, { recursive: true, force: true }); };
  process.on('exit', remove);
  const paths: Record<string, string> = {};
  try {
    for (const [name, text] of Object.entries(files)) {
      paths[name] = join(dir, name);
      writeFileSync(paths[name]!, text, { mode: 0o600 });
    }
  } catch (e) {
    remove();
    throw e;
  }
  return { paths, remove };
}
