// Paths and small helpers shared by the tests.
import { readFileSync } from 'node:fs';
import type { DialogResult, DialogSpec } from '../src/ui/dialog.ts';
import type { FormResult, FormSpec, FormValues } from '../src/ui/form.ts';
import type { ActionHost } from '../screens/kit/list.ts';
import { Jobs } from '../src/model/jobs.ts';
import { findShared } from '../src/virsh/shared-dir.mjs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const FAKE_VIRSH = join(FIXTURES, 'fake-virsh.mjs');
export const DEMO_URI = `test://${join(ROOT, 'src', 'demo', 'world.xml')}`;
export const HOSTILE_URI = `test://${join(FIXTURES, 'worlds', 'hostile-names.xml')}`;
export const HOSTILE_NAMES = ['web 01', "it's", '$(id)', 'ünï-🚀', 'x running', 'quote"double {bold}'];
/** names virsh would read as options if they stood where an option can */
export const DASH_NAMES = ['--help', '-starts-with-dash'];

export function capture(name: string): string {
  return readFileSync(join(FIXTURES, 'virsh', name), 'utf8');
}

/** ../shared (the lab, the fixtures, tui-drive), found as src/virsh/bootstrap.mjs finds it. */
export function sharedDir(): string {
  const found = findShared(ROOT);
  if (!found) throw new Error('cannot find the shared folder (lab, fixtures, tui-drive): set VIRTUI_SHARED');
  return found;
}

/**
 * Waits for a condition; `ms` is only how long a broken one takes to fail (generous: the suite
 * runs beside CPU burners). `what` is a function: the message describes the state at the
 * time-out, not at the start.
 */
export const waitFor = async (cond: () => boolean, ms = 10_000, what: () => string = () => 'condition'): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

/**
 * A fake of what actions need from the app: records the commands run and the questions asked;
 * `answer` decides each question (default: yes, with the boxes as offered); `reads` answers run().
 */
export function fakeActionHost(answer: (spec: DialogSpec) => Partial<DialogResult> = () => ({}), reads: Record<string, string> = {},
  fill: (spec: FormSpec) => Partial<FormResult> & { values?: FormValues } = () => ({})) {
  const ran: string[][] = [];
  const jobs = new Jobs();
  const asked: DialogSpec[] = [];
  const forms: FormSpec[] = [];
  const edited: string[][] = [];
  const opened: string[][] = [];
  const defined: string[][] = [];
  const host: ActionHost = {
    readonly: false,
    uri: 'qemu:///system',
    ask: async (spec) => {
      asked.push(spec);
      return { confirmed: true, checked: Object.fromEntries((spec.checkboxes ?? []).map((c) => [c.id, c.checked])), ...answer(spec) };
    },
    action: async (args) => { ran.push(args); return { ok: true, output: '' }; },
    run: async (args) => reads[args[0]!] ?? '',
    openDetail: () => undefined,
    openScreen: (screen, arg) => { opened.push([screen, arg]); },
    form: async (spec) => {
      forms.push(spec);
      const r = fill(spec);
      const defaults = Object.fromEntries(spec.fields.map((f) => [f.id, f.value ?? (f.kind === 'choice' ? f.options?.[0] ?? '' : '')]));
      return { submitted: true, button: spec.buttons[0]!, ...r, values: { ...defaults, ...r.values } };
    },
    editXml: async (kind, name) => { edited.push([kind, name]); },
    defineNew: async (kind, name, xml) => { defined.push([kind, name, xml]); return 'defined'; },
    readFile: (path) => readFileSync(path, 'utf8'),
    openConsole: async (name) => { opened.push(['console', name]); },
    openGuestfish: async (t, running) => { opened.push(['guestfish', t.name, running ? 'ro' : 'ask']); },
    job: (spec, work) => jobs.run({ ...spec, host: 'test' }, work),
    name: 'test',
    setStatus: () => {},
    editFile: async () => {},
    domain: () => undefined,
    refreshDomains: async () => {},
    lastEvent: () => undefined,
    onDomains: () => () => {},
  };
  return { host, ran, asked, forms, edited, opened, defined, jobs };
}

/** virsh's options that name the object: the next argument is their value, whatever it starts with */
const NAMING = new Set(['--domain', '--network', '--pool', '--vol', '--snapshotname', '--name', '--newname']);
/** other options with a value (virsh help <command>) */
const VALUED = new Set([...NAMING, '--file', '--xmlfile', '--description', '--capacity', '--allocation', '--format', '--backing-vol', '--backing-vol-format',
  '--type', '--target', '--source-host', '--source-path', '--source-dev', '--source-name', '--source-format', '--timeout']);

/**
 * virsh's parser, as far as names go: where `args` (a command and its arguments) hands one of
 * `names` to virsh anywhere but as the value of a naming option. A name starting with - there
 * would be read as an option; any other name as a positional argument, which a name must not be.
 */
export function misplacedNames(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (VALUED.has(a)) i++;
    else if (names.includes(a)) {
      out.push(`${JSON.stringify(a)} is read as ${a.startsWith('-') ? 'an option' : 'a positional argument'} in ${JSON.stringify(args)}`);
    }
  }
  return out;
}
