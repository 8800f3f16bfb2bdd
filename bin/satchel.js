#!/usr/bin/env node
// Runs the CLI under the project's pinned Node (24), whatever Node started this script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/server/main.ts', import.meta.url));
const pinned = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
const node = major >= 24 || !existsSync(pinned) ? process.execPath : pinned;
// Memory: a sync worker's garbage is bulky and short-lived (whole provider answers, a page's rows). V8's
// defaults keep a young generation of about 100 MB and let the heap grow to three times what is live before
// a full collection; a 4 MB young generation and at most double keep a 100,000-device sync near 200 MB.
const flags = ['--max-semi-space-size=4', '--heap-growing-percent=100'];
const result = spawnSync(node, [...flags, main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
