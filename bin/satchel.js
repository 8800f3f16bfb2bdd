#!/usr/bin/env node
// Runs the CLI under the project's pinned Node (24), whatever Node started this script.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serverFlags } from './server-flags.js';

const main = fileURLToPath(new URL('../src/server/main.ts', import.meta.url));
const pinned = fileURLToPath(new URL('../node_modules/.bin/node', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
const node = major >= 24 || !existsSync(pinned) ? process.execPath : pinned;
const result = spawnSync(node, [...serverFlags(), main, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
