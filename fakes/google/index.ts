/**
 * Fake Google for tests and local runs: Directory API ChromeOS devices (list/get/count, partial
 * responses, HTTP batch) and Google OAuth 2.0 (auth code + PKCE, refresh, revoke, service-account JWT).
 * Point the official clients at it through their options only:
 *   admin({ version: 'directory_v1', auth, rootUrl: fake.apiRootUrl })
 *   new OAuth2Client({ …, endpoints: { oauth2AuthBaseUrl: fake.authUrl, oauth2TokenUrl: fake.tokenUrl, oauth2RevokeUrl: fake.revokeUrl } })
 */
export { MAX_BATCH_PARTS } from './batch.ts';
export { DEFAULT_MAX_RESULTS, FULL_ONLY_FIELDS, MAX_RESULTS } from './directory.ts';
export {
  DEFAULT_FLEET_NOW,
  DEFAULT_ORG_UNITS,
  type FleetManifest,
  type FleetOptions,
  generateFleet,
  generateFleetDetailed,
  JUNK_SERIALS,
  orgUnitIdFor,
} from './fleet.ts';
export { CHROMEOS_READONLY_SCOPE, CHROMEOS_SCOPE, GOOGLE_TOKEN_URL } from './oauth.ts';
export {
  type ApproveOptions,
  type CustomerView,
  DEFAULT_CLIENT,
  DEFAULT_DOMAIN,
  type FailNextOptions,
  type FakeGoogle,
  type QuotaSettings,
  startFakeGoogle,
} from './server.ts';
export type * from './types.ts';
