/**
 * Fake Microsoft Entra ID (client-credentials token endpoint, admin consent) and Microsoft Graph v1.0 Intune
 * managed devices, for tests and local runs. Point a client at it through its two base URLs only:
 *   MICROSOFT_LOGIN_URL = fake.loginUrl   (for https://login.microsoftonline.com)
 *   MICROSOFT_GRAPH_URL = fake.graphUrl   (for https://graph.microsoft.com)
 */
export { type ClientAssertionOptions, createClientAssertion } from './assertion-signer.ts';
export { MAX_BATCH_REQUESTS } from './batch.ts';
export { JWT_BEARER_ASSERTION_TYPE } from './client-assertion.ts';
export { DEFAULT_APP, DEFAULT_DOMAIN, DEFAULT_TENANT } from './defaults.ts';
export type { FailNextOptions, MalformedNextOptions } from './faults.ts';
export { MANAGED_DEVICE_PROPERTIES } from './fields.ts';
export {
  DEFAULT_FLEET_NOW,
  type FleetManifest,
  type FleetOptions,
  generateFleet,
  generateFleetDetailed,
  JUNK_SERIALS,
} from './fleet.ts';
export { DEVICE_READ_PERMISSIONS, OVERVIEW_PERMISSIONS } from './graph.ts';
export type { ConsentUrlOptions, FakeIntune, TenantView } from './handle.ts';
export { startFakeIntune } from './server.ts';
export {
  EXPIRED_TEST_CERTIFICATE_PEM,
  EXPIRED_TEST_PRIVATE_KEY_PEM,
  TEST_CERTIFICATE_PEM,
  TEST_PRIVATE_KEY_PEM,
} from './test-certificates.ts';
export { DEFAULT_THROTTLE } from './throttle.ts';
export { GRAPH_DEFAULT_SCOPE } from './token-endpoint.ts';
export type * from './types.ts';
