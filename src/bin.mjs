#!/usr/bin/env node
// `virtui` once installed (npm link / npm install -g): the bundle of the sources when one can be
// made (src/virsh/launch.mjs), else TypeScript through tsx; no build step either way.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMain } from './virsh/launch.mjs';

const main = await loadMain(join(dirname(fileURLToPath(import.meta.url)), '..'));
await main(process.argv.slice(2));
