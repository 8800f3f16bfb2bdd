/**
 * Fake Jamf Pro for tests, benchmarks and demos: API-client tokens (`/api/oauth/token`,
 * `/api/v1/oauth/token`), computer inventory (`/api/v1|v2/computers-inventory`) and mobile device
 * inventory (`/api/v2/mobile-devices/detail`) with sections, paging, sorting and RSQL filters, for several
 * instances at once. Point a client at it through its base URL only: `fake.instanceUrl(name)`.
 */
export { COMPUTER_SECTIONS } from './computers.ts';
export {
  DEFAULT_FLEET_NOW,
  type DeviceRef,
  type Fleet,
  type FleetManifest,
  type FleetOptions,
  generateFleet,
} from './fleet.ts';
export { IPAD_MODELS, JUNK_SERIALS, MAC_MODELS } from './fleet-catalog.ts';
export { DEFAULT_INSTANCE, type FakeJamfInstance, type FakeJamfPro } from './handle.ts';
export { DEFAULT_CLIENT, DEFAULT_SETTINGS } from './instance.ts';
export { DEFAULT_PAGE_SIZE } from './inventory.ts';
export { MOBILE_DEVICE_SECTIONS } from './mobile-devices.ts';
export { type Comparison, type Operator, parseRsql, type RsqlNode, RsqlSyntaxError } from './rsql.ts';
export { startFakeJamfPro } from './server.ts';
export type * from './types.ts';
export { TOKEN_PATHS } from './types.ts';
