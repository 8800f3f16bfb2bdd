/**
 * Public types of the Jamf School fake. A stored device has the shape `GET /api/devices` answers (field
 * names and JSON types as in Jamf School's device list), plus `groupIds` and `apps`, which the list leaves out
 * (`apps` comes back only with `includeApps`) and the single-device answer shows.
 */

export type EnrollType = 'manual' | 'ac2' | 'ac2Pending' | 'dep' | 'depPending';

/** Lower-case product class, as Jamf School writes it (`ipad`). */
export type DeviceClass = 'ipad' | 'iphone' | 'mac' | 'appletv';

export interface FakeJamfSchoolOwner {
  /** 0 when the device has no owner (the single-device answer then shows `{}`). */
  id: number;
  locationId: number;
  name: string;
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  notes?: string;
  /** "YYYY-MM-DD HH:MM:SS" in the instance's time zone. */
  modified?: string;
  vpp: { status: string }[];
}

export interface FakeJamfSchoolApp {
  name: string;
  identifier: string;
  version: string;
  vendor: string;
  icon: string;
}

export interface FakeJamfSchoolNetwork {
  IPAddress: string;
  /** Jamf School sends these flags as the strings "0" and "1". */
  isNetworkTethered: string;
  BluetoothMAC: string;
  WiFiMAC: string;
  EthernetMACs?: string;
  VoiceRoamingEnabled: string;
  DataRoamingEnabled: string;
  PersonalHotspotEnabled: string;
}

export interface FakeJamfSchoolDevice {
  UDID: string;
  locationId: number;
  serialNumber: string;
  assetTag: string;
  inTrash: boolean;
  class: DeviceClass;
  /** `type` is the product line ("iPad", "MacBook Air", "AppleTV"). */
  model: { name: string; identifier: string; type: string };
  /** e.g. `{prefix: "iOS", version: "18.1.0"}`. */
  os: { prefix: string; version: string };
  name: string;
  owner: FakeJamfSchoolOwner;
  isManaged: boolean;
  isSupervised: boolean;
  isBootstrapStored?: boolean;
  enrollType: EnrollType;
  depProfile: string;
  /** Device group names; `groupIds` holds their IDs in the same order. */
  groups: string[];
  groupIds: number[];
  /** Remaining charge as a fraction from 0 to 1. */
  batteryLevel: number;
  /** Storage in gigabytes. */
  totalCapacity: number;
  availableCapacity: number;
  iCloudBackupEnabled: boolean;
  /** "YYYY-MM-DD HH:MM:SS", or "" when never backed up. */
  iCloudBackupLatest: string;
  iTunesStoreLoggedIn: boolean;
  region: { string: string; coordinates: string };
  notes: string;
  /** "YYYY-MM-DD HH:MM:SS" in the instance's time zone (no zone in the string). */
  lastCheckin: string;
  modified: string;
  networkInformation: FakeJamfSchoolNetwork;
  apps?: FakeJamfSchoolApp[];
}

/**
 * What an API key may do. Jamf School sets access rights per key in Organization › Settings › API; the fake
 * models only the right the device endpoints need.
 */
export interface ApiKeyRights {
  devices: 'read' | 'none';
}

export type ApiKeyRight = keyof ApiKeyRights;

export interface FakeApiKey {
  /** The HTTP Basic user name: the instance's Network ID unless given. */
  networkId?: string;
  /** The HTTP Basic password. */
  apiKey: string;
  /** Default: every right. */
  rights?: Partial<ApiKeyRights>;
}

export interface FakeInstanceOptions {
  /** Network ID (Devices › Enroll Device(s)); derived from the name when omitted. */
  networkId?: string;
  /** API keys; default one key, DEFAULT_API_KEY, with every right. */
  apiKeys?: FakeApiKey[];
  devices?: FakeJamfSchoolDevice[];
  /** IANA zone the instance's "YYYY-MM-DD HH:MM:SS" times are in, shown by the single-device answer. */
  timeZone?: string;
}

/**
 * Pagination of `GET /api/devices`, which Jamf School does not document: `none` answers every match at once
 * (page parameters are ignored); `page-param` answers `limit` devices (default `pageSize`) of page `page`
 * (1-based), while `count` stays the number of matches.
 */
export type PagingMode = 'none' | 'page-param';

/** What a request without `X-Server-Protocol-Version: 3` gets: 404 (default) or the same answer. */
export type OlderProtocolMode = 'not-found' | 'serve';

export interface FakeJamfSchoolOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** The default instance, served at the root (`${url}/api`). */
  networkId?: string;
  apiKey?: string;
  rights?: Partial<ApiKeyRights>;
  devices?: FakeJamfSchoolDevice[];
  timeZone?: string;
  /** More instances, served under `${url}/instances/<name>`. */
  instances?: Record<string, FakeInstanceOptions>;
  latencyMs?: number;
  /** API requests per minute per instance (sliding 60 s window); 429 + Retry-After past it. Default: off. */
  quotaPerMinute?: number;
  /** Whether `serialnumber` (and `assettag`) compare case-sensitively. Default false. */
  serialCaseSensitive?: boolean;
  /** Answer at most this many devices per listing, `count` still telling the full total. Default: no cap. */
  maxDevicesPerResponse?: number;
  paging?: PagingMode;
  /** Default `limit` under `page-param` paging (default 100; larger limits are cut to 1,000). */
  pageSize?: number;
  olderProtocol?: OlderProtocolMode;
  /** Keep about this many log entries (the oldest are dropped a tenth at a time). Default 200,000. */
  maxLogEntries?: number;
}

export type RequestKind = 'token' | 'consent' | 'api' | 'batch' | 'other';

export interface FakeLogEntry {
  /** Increasing sequence number. */
  seq: number;
  /** Milliseconds since the epoch on the fake clock. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  kind: RequestKind;
  /** `devices.list`, `devices.lookup` (a `serialnumber` filter), `devices.get`, `unknown`. */
  operation: string;
  inner: boolean;
  /** True when the request reads devices without naming them by serial. */
  listing: boolean;
  /** `serialnumber` values, as sent. */
  serials: string[];
  /** Response status; 0 while in flight. */
  status: number;
  /** Devices in the answer. */
  resultCount?: number;
  injected?: 'fail' | 'malformed' | 'quota';
  /** Why the answer was an error: `unauthorized`, `protocol`, `permission`, `DeviceNotFound`, … */
  error?: string;
  /** Instance the path named (`default` at the root). */
  instance: string;
  /** HTTP Basic user name (a Network ID, not a secret). */
  networkId?: string;
  /** `X-Server-Protocol-Version` as sent. */
  protocolVersion?: string;
  udid?: string;
  durationMs: number;
}

export type FailTarget = 'api' | 'token' | 'batch-item' | 'any';

/** `repeat-page`: under `page-param` paging, page N answers page N−1's devices again. */
export type MalformedKind = 'truncated' | 'wrong-shape' | 'html' | 'repeat-page';
