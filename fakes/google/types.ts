/**
 * Public types of the Google fake (Directory API ChromeOS devices + Google OAuth 2.0).
 * Field names and JSON types follow the Admin SDK discovery document (`ChromeOsDevice`): int64 values
 * are strings, timestamps are RFC 3339 strings.
 */

export interface FakeRecentUser {
  type: string;
  email?: string;
}

export interface FakeChromeDevice {
  kind?: string;
  etag?: string;
  deviceId: string;
  serialNumber: string;
  status: string;
  annotatedAssetId?: string;
  annotatedUser?: string;
  annotatedLocation?: string;
  notes?: string;
  orgUnitPath?: string;
  orgUnitId?: string;
  lastSync?: string;
  lastEnrollmentTime?: string;
  firstEnrollmentTime?: string;
  lastDeprovisionTimestamp?: string;
  deprovisionReason?: string;
  osVersion?: string;
  osVersionCompliance?: string;
  platformVersion?: string;
  firmwareVersion?: string;
  bootMode?: string;
  model?: string;
  manufactureDate?: string;
  orderNumber?: string;
  meid?: string;
  macAddress?: string;
  ethernetMacAddress?: string;
  ethernetMacAddress0?: string;
  dockMacAddress?: string;
  recentUsers?: FakeRecentUser[];
  lastKnownNetwork?: { ipAddress?: string; wanIpAddress?: string }[];
  activeTimeRanges?: { date: string; activeTime: number }[];
  autoUpdateExpiration?: string;
  autoUpdateThrough?: string;
  supportEndDate?: string;
  willAutoRenew?: boolean;
  extendedSupportEligible?: boolean;
  extendedSupportEnabled?: boolean;
  extendedSupportStart?: string;
  chromeOsType?: string;
  deviceLicenseType?: string;
  cpuInfo?: {
    model?: string;
    architecture?: string;
    maxClockSpeedKhz?: number;
    logicalCpus?: {
      maxScalingFrequencyKhz?: number;
      currentScalingFrequencyKhz?: number;
      idleDuration?: string;
      cStates?: { displayName?: string; sessionDuration?: string }[];
    }[];
  }[];
  cpuStatusReports?: {
    reportTime?: string;
    cpuUtilizationPercentageInfo?: number[];
    cpuTemperatureInfo?: { label?: string; temperature?: number }[];
  }[];
  diskVolumeReports?: { volumeInfo: { volumeId: string; storageFree: string; storageTotal: string }[] }[];
  diskSpaceUsage?: { capacityBytes?: string; usedBytes?: string };
  systemRamTotal?: string;
  systemRamFreeReports?: { reportTime?: string; systemRamFreeInfo?: string[] }[];
  tpmVersionInfo?: {
    family?: string;
    firmwareVersion?: string;
    manufacturer?: string;
    specLevel?: string;
    tpmModel?: string;
    vendorSpecific?: string;
  };
  osUpdateStatus?: Record<string, unknown>;
  deviceFiles?: { name?: string; type?: string; createTime?: string; downloadUrl?: string }[];
  screenshotFiles?: { name?: string; type?: string; createTime?: string; downloadUrl?: string }[];
}

export interface FakeOAuthClient {
  clientId: string;
  /** Omit for a public client (then no secret is checked). */
  clientSecret?: string;
  /** Exact-match list, as in the Google Cloud console. */
  redirectUris: string[];
}

export interface FakeServiceAccount {
  clientEmail: string;
  /** SPKI PEM of the key the service account signs its JWT assertions with. */
  publicKeyPem: string;
  /** Numeric client ID shown in the domain-wide delegation screen; informational. */
  clientId?: string;
  /** Scopes authorised for domain-wide delegation. Omitted: every scope is authorised. */
  allowedScopes?: string[];
  /** Users it may impersonate (`sub`). Omitted: any user of a known customer. */
  allowedSubjects?: string[];
}

export interface FakeCustomerOptions {
  /** Immutable customer ID (e.g. `C03az79cb`); derived from the domain when omitted. */
  customerId?: string;
  domain: string;
  /** Users of this domain who are not admins: the Directory API answers them 403 `forbidden`. */
  nonAdmins?: string[];
}

export type ConsentMode = 'prompt' | 'auto-approve' | 'auto-deny';

export type QuotaReason = 'rateLimitExceeded' | 'userRateLimitExceeded' | 'quotaExceeded';

export interface FakeGoogleOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Devices per customer, keyed by domain (contains a dot) or customer ID. */
  fleets?: Record<string, FakeChromeDevice[]>;
  customers?: FakeCustomerOptions[];
  /** Registered OAuth web clients. Defaults to one client, see DEFAULT_CLIENT. */
  clients?: FakeOAuthClient[];
  serviceAccounts?: FakeServiceAccount[];
  /** Delay added to every request before it is handled. */
  latencyMs?: number;
  /** Queries per minute per user per client (sliding 60 s window). 0/undefined: unlimited. */
  quotaPerMinute?: number;
  /** HTTP status when over quota: 429 (default) or 403. */
  quotaStatus?: 429 | 403;
  quotaReason?: QuotaReason;
  /** Send `Retry-After` with quota errors (default true). */
  quotaRetryAfter?: boolean;
  /** Access-token lifetime; `expires_in` reports it minus one second, as Google does (3600 → 3599). */
  accessTokenLifetimeSeconds?: number;
  /** Refresh tokens expire after this long (Google's "Testing" apps: 7 days). Default: never. */
  refreshTokenLifetimeSeconds?: number;
  /** Live refresh tokens per client and user; the oldest stops working past it (Google: 100). */
  maxRefreshTokensPerUser?: number;
  /** Authorization codes expire after this long (default 600 s). */
  codeLifetimeSeconds?: number;
  /** Page tokens stop working this long after the first page was served (default 1 h). */
  pageTokenLifetimeSeconds?: number;
  /** Serve at most this many devices per list page, fewer than `maxResults` asks for (default: no cap). */
  pageSizeCap?: number;
  /** What GET /o/oauth2/v2/auth does: show the consent page (default) or answer at once. */
  consent?: ConsentMode;
  /** Account the consent page proposes; default `admin@<first domain>`. */
  defaultEmail?: string;
  /** Grant only these of the requested scopes (simulates a user unticking scopes). */
  grantedScopes?: string[] | null;
  /** Gzip JSON bodies when the client sends `Accept-Encoding: gzip` (default true). */
  gzip?: boolean;
  /** Keep about this many log entries (the oldest are dropped a tenth at a time). Default 200,000. */
  maxLogEntries?: number;
}

export type RequestKind = 'auth' | 'consent' | 'token' | 'revoke' | 'tokeninfo' | 'api' | 'batch' | 'other';

export interface RequestLogEntry {
  /** Increasing sequence number, also for inner batch calls. */
  seq: number;
  /** ISO timestamp (fake clock) when the request arrived. */
  time: string;
  /** Milliseconds since the epoch on the fake clock. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  kind: RequestKind;
  /** e.g. `directory.chromeosdevices.list`, `token.refresh_token`. */
  operation?: string;
  /** True for a call inside an HTTP batch; `batchSeq` then names the enclosing request. */
  inner: boolean;
  batchSeq?: number;
  contentId?: string;
  headers: {
    authorization?: string;
    contentType?: string;
    userAgent?: string;
    xGoogApiClient?: string;
    acceptEncoding?: string;
  };
  /** Non-secret summary of the body (grant type, client, batch part count, JWT claims…). */
  body?: Record<string, unknown>;
  /** Response status; 0 while the request is still being handled. */
  status: number;
  durationMs: number;
  /** Error reason when the answer was an error (`authError`, `invalid_grant`, …). */
  error?: string;
  /** Auth subject (user email, or service account email) and client of the access token. */
  subject?: string;
  clientId?: string;
  customerId?: string;
  /** Serial fragments named by `id:` terms of `query`/`filter`. */
  serials: string[];
  /** Values named by `asset_id:` terms. */
  assetIds: string[];
  /** Device ID of a `get`. */
  deviceId?: string;
  /** Devices returned (list/get) or counted. */
  resultCount?: number;
  /** Quota units charged (a ChromeOS batch is one unit). */
  quotaUnits: number;
  /** The response was deliberately broken (fault injection). */
  injected?: 'fail' | 'malformed' | 'quota';
}

export type FailTarget = 'api' | 'batch-item' | 'token' | 'revoke' | 'any';
/**
 * `oversized`: the right answer, padded with whitespace past 21 MB (still valid JSON); `repeat-token`: a list
 * page whose `nextPageToken` is the token it was asked with (a pagination loop).
 */
export type MalformedKind = 'truncated' | 'wrong-shape' | 'html' | 'oversized' | 'repeat-token';
