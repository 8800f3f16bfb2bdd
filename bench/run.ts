/** `npm run bench -- <name>`: runs one benchmark script from this folder, which prints its figures. */
const benchmarks: Record<string, () => Promise<unknown>> = {
  startup: () => import('./startup.ts'),
  inventory: () => import('./inventory.ts'),
  sync: () => import('./sync.ts'),
  scale: () => import('./scale.ts'),
};

const name = process.argv[2];
const run = name ? benchmarks[name] : undefined;
if (!run) {
  console.error(`usage: npm run bench -- <${Object.keys(benchmarks).join('|')}>`);
  process.exit(2);
}
await run();
