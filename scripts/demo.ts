import path from 'node:path';
import { startDemo } from './demo/district.ts';
import { startGoogle } from './demo/google.ts';
import { startIntune } from './demo/intune.ts';
import { startJamfPro } from './demo/jamf-pro.ts';
import { startJamfSchool } from './demo/jamf-school.ts';
import { enableDemoSignIn, startSignIn } from './demo/sign-in.ts';

/**
 * `npm run demo`: Satchel on a fresh embedded database with a demo district of Chromebooks, Windows laptops,
 * Macs and iPads, and a fake of each MDM on loopback configured as that MDM — so every provider on MDM Settings
 * can be activated and authorized without an account anywhere. Nothing here is real.
 */
const root = path.resolve(import.meta.dirname, '..');
const demo = await startDemo({
  port: Number(process.env.PORT ?? 3000),
  dataDir: path.join(root, 'data-demo'),
  devices: 3000,
  people: 2400,
  fakes: [startGoogle, startIntune, startJamfPro, startJamfSchool],
  signIn: { enable: enableDemoSignIn, start: startSignIn },
});
console.log(`
Satchel demo is running at ${demo.url}
  Sign in as ${demo.email} with password ${demo.password}
  Then, in System Settings › MDM Settings:
${demo.fakes.flatMap((fake) => fake.instructions.map((line) => `    ${line}`)).join('\n')}
Stop with Ctrl+C; the demo's data lives in ./data-demo and is recreated on every start.
`);

const stop = async () => {
  await demo.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
