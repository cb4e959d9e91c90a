#!/usr/bin/env node
// `virtui` once installed (npm link / npm install -g): TypeScript runs through tsx, no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
await main(process.argv.slice(2));
