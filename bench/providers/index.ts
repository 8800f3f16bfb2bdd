/**
 * The providers the sync benchmark can measure (`npm run bench -- sync --provider <key>`), one adapter each
 * (`ProviderBench`, in `adapter.ts`); adding one is its file here and a line in the list below. An adapter:
 *
 * - `writeFleet(dir, plan)` writes what its fake needs to hold every tracked serial plus `plan.strangers`
 *   devices, `plan.junk` of them with junk serials, all checked in before `plan.checkedInBefore`: a fleet
 *   file, or a serials file the fake generates around (`--serials`, with `--seed`). It returns the file, the
 *   fleet's size and every device's id at the fake (a fake that generates its own fleet can run the same
 *   generator with the same seed to know them).
 * - `startFake` starts the fake with `startFakeProcess` (`node fakes/run.ts <name> …`): it names the last
 *   `NAME=value` line the fake's command line prints, the control routes' origin, and which lines are
 *   Satchel's environment (an OAuth client) rather than connection settings (a base URL, a client secret).
 * - `activationSettings` and `authorize` connect the district: the benchmark activates the provider with
 *   those settings and its request scope, then `authorize` finishes through the API: OAuth's consent screen
 *   (the fake's `approve` control route), or `POST /api/v1/mdm/providers/<key>/credentials`.
 * - `changeDevices` (only where the provider lists what changed) changes the given devices at the fake
 *   through its `update-devices` control route, checked in now; without it there are no incremental runs.
 * - `minimumCalls` is the planner's estimate for a strategy: `plannerMinimum(key, strategy, sizes)`.
 * - `stats` and `collectGarbage` where the fake has `GET /__fake/stats` and `POST /__fake/collect-garbage`
 *   (`fakeStats`, `collectFakeGarbage`); without `stats` the provider's answering time is not shown.
 */
import type { ProviderBench } from './adapter.ts';
import { google } from './google.ts';
import { intune } from './intune.ts';
import { jamfPro } from './jamf-pro.ts';

export const providerBenches: readonly ProviderBench[] = [google, intune, jamfPro];

export function providerBench(key: string): ProviderBench {
  const found = providerBenches.find((bench) => bench.key === key);
  if (!found)
    throw new Error(
      `No sync benchmark for the provider ${key}; there is one for ${providerBenches.map((bench) => bench.key).join(', ')}`,
    );
  return found;
}
