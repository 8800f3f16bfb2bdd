import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProviderBench } from './adapter.ts';
import { collectFakeGarbage, fakeStats, startFakeProcess } from './fake-process.ts';
import { plannerMinimum } from './planner-minimum.ts';

/** What the fake's command line needs to generate the planned fleet around the tracked serials. */
interface FleetArgs {
  serialsFile: string;
  /** Regular devices, the tracked ones among them; the junk comes on top. */
  size: number;
  junk: number;
  seed: number;
  now: string;
}

/**
 * Jamf Pro: the fake generates its fleet (Macs and iPads) around the tracked serials itself, and the district
 * enters the fake's API client, as an administrator would. Jamf Pro cannot list only what changed, so there
 * are no incremental runs. A run sends two requests at once (one to each inventory, or two pages of one).
 */
export const jamfPro: ProviderBench = {
  key: 'jamf_pro',
  name: 'Jamf Pro',
  requestsAtOnce: 2,
  async writeFleet(dir, plan) {
    const serialsFile = path.join(dir, 'jamf-pro-serials.txt');
    await writeFile(serialsFile, `${plan.trackedSerialKeys.join('\n')}\n`);
    const args: FleetArgs = {
      serialsFile,
      size: plan.trackedSerialKeys.length + plan.strangers - plan.junk,
      junk: plan.junk,
      seed: plan.seed,
      now: plan.checkedInBefore.toISOString(),
    };
    const file = path.join(dir, 'jamf-pro-fleet.json');
    await writeFile(file, JSON.stringify(args));
    // No device is changed between runs (no incremental runs), so none of the fake's IDs is needed.
    return { file, size: args.size + args.junk, deviceIds: [] };
  },
  async startFake(fleet) {
    const args = JSON.parse(await readFile(fleet.file, 'utf8')) as FleetArgs;
    return startFakeProcess(
      'jamf-pro',
      [
        '--port',
        '0',
        '--serials',
        args.serialsFile,
        '--size',
        String(args.size),
        '--junk',
        String(args.junk),
        '--seed',
        String(args.seed),
        '--now',
        args.now,
        // Nothing reads the request log here: a short one keeps the fake's own memory out of the figures.
        '--log',
        '5000',
      ],
      {
        lastLine: 'JAMF_PRO_CLIENT_SECRET',
        origin: (printed) => printed.JAMF_PRO_BASE_URL!,
        // The fake listens on loopback, which district-entered URLs may only point at when this is allowed.
        environment: () => ({ SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS: 'true' }),
      },
    );
  },
  activationSettings: (fake) => ({ baseUrl: fake.printed.JAMF_PRO_BASE_URL }),
  async authorize(api, fake) {
    await api('POST', '/api/v1/mdm/providers/jamf_pro/credentials', {
      clientId: fake.printed.JAMF_PRO_CLIENT_ID,
      clientSecret: fake.printed.JAMF_PRO_CLIENT_SECRET,
    });
  },
  minimumCalls: (strategy, sizes) => plannerMinimum('jamf_pro', strategy, sizes),
  stats: fakeStats,
  collectGarbage: collectFakeGarbage,
};
