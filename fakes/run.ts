/**
 * `npm run fake -- <provider> [options]`: runs one provider's fake on loopback and prints the environment or
 * settings that point Satchel at it (`npm run fake -- <provider> --help` for its options).
 */
const FAKES: Record<string, () => Promise<{ runCli(argv: string[]): Promise<void> }>> = {
  google: () => import('./google/cli.ts'),
  intune: () => import('./intune/cli.ts'),
  'jamf-pro': () => import('./jamf-pro/cli.ts'),
  'jamf-school': () => import('./jamf-school/cli.ts'),
  'google-oidc': () => import('./oidc/google-cli.ts'),
  'microsoft-oidc': () => import('./oidc/microsoft-cli.ts'),
};

const [name, ...argv] = process.argv.slice(2);
const load = name ? FAKES[name] : undefined;
if (!load) {
  console.log(`usage: npm run fake -- <${Object.keys(FAKES).join('|')}> [options]`);
  process.exit(name === '--help' || name === '-h' ? 0 : 2);
}
await (await load()).runCli(argv);
