#!/usr/bin/env node
// Runs the CLI under the project's pinned Node (24), whatever Node started this script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/server/main.ts', import.meta.url));
const pinned = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
const node = major >= 24 || !existsSync(pinned) ? process.execPath : pinned;
// A small young generation: a sync worker's garbage is short-lived and bulky (whole provider answers), and
// V8's default lets it hold about 100 MB of memory that is mostly empty.
const result = spawnSync(node, ['--max-semi-space-size=4', main, ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
