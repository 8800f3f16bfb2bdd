// The Node flags the server runs with, read from the `satchel` script in package.json so they are written
// once: the satchel bin and the benchmarks' worker processes use the same ones as `npm run satchel`.
// They are about memory. A sync worker's garbage is bulky and short-lived (whole provider answers, a page's
// rows); V8's defaults keep a young generation of about 100 MB and let the heap grow to three times what is
// live before a full collection. A 4 MB young generation and at most double keep a 100,000-device sync near
// 200 MB.
// `--wasm-sync-tier-up` is for the embedded database (PGlite, PostgreSQL compiled to WebAssembly). V8 moves a
// busy WebAssembly function to its optimizing compiler on background threads, and PostgreSQL's largest
// functions (the executor, the parser) each take tens of megabytes to compile; several at once held 300 to
// 500 MB for a moment whenever a new kind of query got busy. Compiled one at a time on the thread that runs
// them, a 100,000-device sync peaks near 400 MB instead of 500 to 860 MB; opening takes half a second longer.
import { readFileSync } from 'node:fs';

export function serverFlags() {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return String(manifest.scripts.satchel)
    .split(/\s+/)
    .filter((word) => word.startsWith('--'));
}
