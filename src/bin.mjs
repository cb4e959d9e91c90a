#!/usr/bin/env node
// README's start command, `node .` (package.json's "main"), and `virtui` once installed (npm link,
// npm install -g): what `npm start` does without npm in front of it (a third of a second). It
// installs what is missing, then runs the bundle of the sources when one can be made
// (src/virsh/launch.mjs), else TypeScript through tsx; no build step either way.
import { boot } from './virsh/bootstrap.mjs';

await boot('run', process.argv.slice(2));
