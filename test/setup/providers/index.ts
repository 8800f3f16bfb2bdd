import { googleHarness } from './google.ts';
import type { ProviderHarness } from './harness.ts';
import { intuneHarness } from './intune.ts';
import { jamfProHarness } from './jamf-pro.ts';
import { jamfSchoolHarness } from './jamf-school.ts';

/** Every provider's fake, as the behaviour suite drives it: one line per provider. */
export const PROVIDER_HARNESSES: readonly ProviderHarness[] = [
  googleHarness,
  intuneHarness,
  jamfProHarness,
  jamfSchoolHarness,
];
