// The migration's options as a form, and the form's values as options. Pure.
import type { FormSpec, FormValues } from '../../src/ui/form.ts';
import type { MigrateOptions } from '../../src/libvirt/migrate.ts';

/** the target choice that lets the operator type a URI */
export const TYPED = 'URI…';

/** where the guest can go: the other connections by name */
export interface TargetHost { name: string; uri: string }

const yes = (v: string | undefined) => v === 'yes';
const live = (v: FormValues) => v.kind === 'live';

/** The form: the target, the kind, the options; `values` are the ones chosen before (or the defaults). */
export function migrateForm(domain: string, source: string, targets: readonly TargetHost[], values: FormValues): FormSpec {
  const names = [...targets.map((t) => t.name), TYPED];
  return {
    title: `Migrate ${domain} from ${source}`,
    fields: [
      { id: 'target', label: 'Target', kind: 'choice', options: names, value: names.includes(values.target ?? '') ? values.target : names[0], note: 'a connected host, or a URI' },
      { id: 'uri', label: 'URI', value: values.uri ?? '', visible: (v) => v.target === TYPED, note: 'qemu+ssh://, qemu+tcp://, qemu+unix:///system?socket=',
        validate: (s) => (/^[a-z][a-z0-9+]*:\/\/\S*$/i.test(s.trim()) ? '' : 'a libvirt URI, e.g. qemu+ssh://root@kvm2/system') },
      { id: 'kind', label: 'Kind', kind: 'choice', options: ['live', 'offline'], value: values.kind ?? 'live', note: 'live: running guest; offline: the definition of a shut-off one' },
      { id: 'persistent', label: 'Persistent', kind: 'check', value: values.persistent ?? 'yes', note: 'define it on the target (--persistent)' },
      { id: 'undefine', label: 'Undefine source', kind: 'check', value: values.undefine ?? 'yes', note: `remove its definition from ${source} (--undefinesource)` },
      { id: 'copy', label: 'Copy disks', kind: 'check', value: values.copy ?? '', visible: live, note: '--copy-storage-all: for disks the target lacks' },
      { id: 'unsafe', label: 'Unsafe', kind: 'check', value: values.unsafe ?? '', note: '--unsafe: no shared-storage check' },
      { id: 'autoconverge', label: 'Auto-converge', kind: 'check', value: values.autoconverge ?? '', visible: live, note: 'throttle a guest that dirties memory fast' },
      { id: 'compressed', label: 'Compressed', kind: 'check', value: values.compressed ?? '', visible: live, note: 'compress repeated pages' },
      { id: 'bandwidth', label: 'Bandwidth', value: values.bandwidth ?? '', visible: live, note: 'MiB/s, empty: no limit',
        validate: (s) => (!s.trim() || /^\d+$/.test(s.trim()) ? '' : 'a whole number of MiB/s') },
      { id: 'migrateuri', label: 'Migrate URI', value: values.migrateuri ?? '', visible: live, note: 'tcp://ADDRESS if the target\'s name does not resolve',
        validate: (s) => (!s.trim() || /^[a-z][a-z0-9+]*:\/\/\S+$/i.test(s.trim()) ? '' : 'like tcp://10.0.0.2[:PORT]') },
    ],
    intro: [
      'libvirt refuses a live migration when it cannot prove the disks are',
      'on shared storage: --unsafe skips that check. Tick it only when both',
      'hosts really see the same files (both writing one corrupts it).',
    ],
    buttons: ['Check'],
  };
}

/** The defaults: a live move of a running guest, an offline one of a shut-off one; defined on the target, undefined on the source. */
export function defaultValues(state: string, targets: readonly TargetHost[]): FormValues {
  return {
    target: targets[0]?.name ?? TYPED, uri: '', kind: state === 'shut off' ? 'offline' : 'live',
    persistent: 'yes', undefine: 'yes', copy: '', unsafe: '', autoconverge: '', compressed: '', bandwidth: '', migrateuri: '',
  };
}

/** The options the values say; the target's URI from the host chosen or typed. */
export function formOptions(domain: string, v: FormValues, targets: readonly TargetHost[]): MigrateOptions {
  const host = targets.find((t) => t.name === v.target);
  const bw = (v.bandwidth ?? '').trim();
  return {
    domain,
    dest: host ? host.uri : (v.uri ?? '').trim(),
    kind: v.kind === 'offline' ? 'offline' : 'live',
    persistent: yes(v.persistent),
    undefineSource: yes(v.undefine),
    copyStorage: yes(v.copy),
    autoConverge: yes(v.autoconverge),
    compressed: yes(v.compressed),
    unsafe: yes(v.unsafe),
    bandwidth: bw ? Number(bw) : undefined,
    migrateUri: (v.migrateuri ?? '').trim(),
  };
}
