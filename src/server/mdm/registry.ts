import type { ProviderKey } from '../../common/mdm.ts';
import { NotFound } from '../errors.ts';
import type { ProviderDefinition } from './provider.ts';
import { google } from './providers/google/definition.ts';
import { intune } from './providers/intune/definition.ts';
import { jamfPro } from './providers/jamf-pro/definition.ts';
import { jamfSchool } from './providers/jamf-school/definition.ts';

/** Every provider Satchel knows; adding one is its folder plus a line here. */
export const providers: readonly ProviderDefinition[] = [google, intune, jamfPro, jamfSchool];

export function providerByKey(key: ProviderKey | string): ProviderDefinition {
  const found = providers.find((provider) => provider.key === key);
  if (!found) throw new NotFound('Provider');
  return found;
}
