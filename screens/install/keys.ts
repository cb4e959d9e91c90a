// The domains list's keys of this folder: C clone (virt-clone), N rename; and its create form, n new (virt-install).
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { DomainCtx } from '../domains/actions.ts';
import type { KindCreate } from '../kit/kind.ts';
import { createDomain } from './wizard.ts';
import { cloneDomain, renameDomain } from './clone.ts';

export const INSTALL_KEYS: KeyAction<DomainCtx>[] = [
  {
    keys: ['C'], label: 'clone', help: 'clone a shut-off or paused domain with virt-clone (a new file per disk, in the same pools)', mutates: true, bulk: false, footer: false,
    when: (c) => !!c.dom && !!c.ctx && !!c.conn, run: (c) => cloneDomain(c.ctx!, c.conn!, c.dom!),
  },
  {
    keys: ['N'], label: 'rename', help: 'rename a shut-off domain (domrename); says why not otherwise', mutates: true, bulk: false, footer: false,
    when: (c) => !!c.dom && !!c.ctx && !!c.conn, run: (c) => renameDomain(c.ctx!, c.conn!, c.dom!),
  },
];

/** `n`: the domains' create form */
export const DOMAIN_CREATE: KindCreate<DomainCtx> = {
  key: 'n', help: 'a new domain with virt-install: a form, then the exact command and its XML, then it runs in a pane',
  when: (c) => !!c.ctx && !!c.conn, run: (c) => createDomain(c.ctx!, c.conn!),
  // the footer keeps start, shut down ... first: `n` is in the help (`?`) and the README
  at: Infinity,
};
