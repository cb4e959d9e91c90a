// The domains list's keys of this folder: n new (virt-install), C clone (virt-clone), N rename.
import type { KeyAction } from '../../src/ui/keymap.ts';
import type { DomainCtx } from '../domains/actions.ts';
import { createDomain } from './wizard.ts';
import { cloneDomain, renameDomain } from './clone.ts';

export const INSTALL_KEYS: KeyAction<DomainCtx>[] = [
  {
    keys: ['n'], label: 'new', help: 'a new domain with virt-install: a form, then the exact command and its XML, then it runs in a pane', mutates: true, bulk: false,
    when: (c) => !!c.ctx && !!c.conn, run: (c) => createDomain(c.ctx!, c.conn!),
  },
  {
    keys: ['C'], label: 'clone', help: 'clone a shut-off or paused domain with virt-clone (a new file per disk, in the same pools)', mutates: true, bulk: false, footer: false,
    when: (c) => !!c.dom && !!c.ctx && !!c.conn, run: (c) => cloneDomain(c.ctx!, c.conn!, c.dom!),
  },
  {
    keys: ['N'], label: 'rename', help: 'rename a shut-off domain (domrename); says why not otherwise', mutates: true, bulk: false, footer: false,
    when: (c) => !!c.dom && !!c.ctx && !!c.conn, run: (c) => renameDomain(c.ctx!, c.conn!, c.dom!),
  },
];
