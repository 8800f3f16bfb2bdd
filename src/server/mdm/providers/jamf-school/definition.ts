import { checkProviderUrl } from '../../http/provider-url.ts';
import type { ProviderDefinition } from '../../provider.ts';
import { acceptCredentials } from './auth.ts';
import { CONCURRENT_REQUESTS } from './client.ts';
import { estimates, fetchPage } from './fetch.ts';
import { JamfSchoolCredentials, JamfSchoolSettings, normalizeBaseUrl } from './settings.ts';

export const jamfSchool: ProviderDefinition = {
  key: 'jamf_school',
  name: 'Jamf School',
  shortName: 'Jamf School',
  description:
    'Last check-in, OS version, owner, storage, supervision, enrolment and groups for iPads, Macs and Apple TVs.',
  guide: 'docs/providers/jamf_school.md',
  settings: JamfSchoolSettings,
  async checkSettings(deps, settings) {
    await checkProviderUrl(String(settings.baseUrl), {
      allowPrivate: deps.config.allowPrivateProviderUrls,
    });
  },
  credentials: {
    method: 'api_key',
    schema: JamfSchoolCredentials,
    accept: acceptCredentials,
  },
  sync: {
    incremental: false,
    estimates,
    fetchPage,
    lookupNote:
      'Jamf School is asked for each serial number as Satchel stores it (upper case, no spaces). A device Jamf School holds with spaces in its serial number is reported not found, and so is one stored in lower case if Jamf School compares case exactly; devices in Jamf School’s trash are not counted.',
  },
  // Shared by every district that enters the same Jamf School address.
  identity: { assetTag: 'assetTag', searchable: ['name', 'assetTag', 'ownerUsername'] },
  rateLimit: {
    kind: 'concurrency',
    max: CONCURRENT_REQUESTS,
    instance: (settings) => normalizeBaseUrl(String(settings.baseUrl)),
  },
};
