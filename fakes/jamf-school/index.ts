/**
 * Fake Jamf School for tests and local runs: the device API (`GET /api/devices`, `GET /api/devices/{UDID}`)
 * of several instances on one loopback origin, HTTP Basic with Network ID and API keys that carry rights,
 * the protocol-version header, optional paging, truncation and rate limit, fault injection and a request log.
 * Point a client at it through its base URL only: `fake.url` (default instance) or `fake.instanceUrl(name)`.
 */

export { PROTOCOL_VERSION } from './api.ts';
export { ALL_RIGHTS, basicCredentials } from './auth.ts';
export { JUNK_SERIALS } from './catalog.ts';
export type { FailNextOptions } from './faults.ts';
export {
  DEFAULT_DOMAIN,
  DEFAULT_FLEET_NOW,
  type FleetManifest,
  type FleetOptions,
  generateFleet,
  generateFleetDetailed,
} from './fleet.ts';
export { DEFAULT_API_KEY, DEFAULT_INSTANCE, DEFAULT_NETWORK_ID } from './instance.ts';
export { MAX_PAGE_LIMIT } from './query.ts';
export { type FakeJamfSchool, type InstanceView, startFakeJamfSchool } from './server.ts';
export { formatJamfTime } from './time.ts';
export type * from './types.ts';
