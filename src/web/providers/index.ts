import type { ProviderKey } from '../../common/mdm.ts';
import { googleUi } from './google/index.ts';
import { intuneUi } from './intune/index.ts';
import { jamfProUi } from './jamf-pro/index.ts';
import { jamfSchoolUi } from './jamf-school/index.ts';
import type { ProviderUiRegistry } from './types.ts';

/** Every provider the server knows needs an entry here (the type makes a missing one a compile error). */
export const PROVIDER_UI: ProviderUiRegistry = {
  google: googleUi,
  intune: intuneUi,
  jamf_pro: jamfProUi,
  jamf_school: jamfSchoolUi,
};

/** The provider's short name for labels: "Last check-in (Google)", "Not in Intune". */
export function providerLabel(provider: ProviderKey): string {
  return PROVIDER_UI[provider].label;
}
