#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx guichet ...` works in a clone right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli.ts');
process.exitCode = await main(process.argv.slice(2));
