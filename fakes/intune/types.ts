/**
 * Public types of the Intune fake (Microsoft Entra ID token/consent endpoints + Microsoft Graph v1.0
 * `deviceManagement/managedDevices`). Field names and JSON types follow the v1.0 `managedDevice` resource:
 * Int64 values are numbers (Graph answers with `IEEE754Compatible=false`), timestamps are ISO 8601 strings.
 */

export type ComplianceState =
  | 'unknown'
  | 'compliant'
  | 'noncompliant'
  | 'conflict'
  | 'error'
  | 'inGracePeriod'
  | 'configManager';

export interface FakeDeviceActionResult {
  actionName: string;
  actionState: string;
  startDateTime: string;
  lastUpdatedDateTime: string;
}

/** One Intune `managedDevice` as Graph v1.0 returns it (every property, in the resource page's order). */
export interface FakeManagedDevice {
  id: string;
  userId: string | null;
  deviceName: string | null;
  managedDeviceOwnerType: 'unknown' | 'company' | 'personal';
  deviceActionResults: FakeDeviceActionResult[];
  enrolledDateTime: string;
  lastSyncDateTime: string;
  operatingSystem: string | null;
  complianceState: ComplianceState;
  jailBroken: string | null;
  managementAgent: string;
  osVersion: string | null;
  easActivated: boolean;
  easDeviceId: string | null;
  easActivationDateTime: string;
  azureADRegistered: boolean | null;
  deviceEnrollmentType: string;
  activationLockBypassCode: string | null;
  emailAddress: string | null;
  azureADDeviceId: string | null;
  deviceRegistrationState: string;
  deviceCategoryDisplayName: string | null;
  isSupervised: boolean;
  exchangeLastSuccessfulSyncDateTime: string;
  exchangeAccessState: string;
  exchangeAccessStateReason: string;
  remoteAssistanceSessionUrl: string | null;
  remoteAssistanceSessionErrorDetails: string | null;
  isEncrypted: boolean;
  userPrincipalName: string | null;
  model: string | null;
  manufacturer: string | null;
  imei: string | null;
  complianceGracePeriodExpirationDateTime: string;
  serialNumber: string | null;
  phoneNumber: string | null;
  androidSecurityPatchLevel: string | null;
  userDisplayName: string | null;
  configurationManagerClientEnabledFeatures: Record<string, boolean> | null;
  wiFiMacAddress: string | null;
  deviceHealthAttestationState: Record<string, unknown> | null;
  subscriberCarrier: string | null;
  meid: string | null;
  totalStorageSpaceInBytes: number;
  freeStorageSpaceInBytes: number;
  managedDeviceName: string | null;
  partnerReportedThreatState: string;
  requireUserEnrollmentApproval: boolean | null;
  managementCertificateExpirationDate: string;
  iccid: string | null;
  udid: string | null;
  notes: string | null;
  ethernetMacAddress: string | null;
  physicalMemoryInBytes: number;
  enrollmentProfileName: string | null;
}

/** What `setFleet` accepts: any subset of the fields; the rest get Intune's empty values and `id` a new GUID. */
export type FakeManagedDeviceInput = Partial<FakeManagedDevice>;

export interface FakeTenantInput {
  /** Directory (tenant) ID, a GUID; derived from the first domain when omitted. */
  id?: string;
  /** Verified domains, e.g. `district.org`; the tenant answers to each of them as well as to its ID. */
  domains: string[];
  /** Display name, used in error messages ("…not found in the directory 'X'"). Default: the first domain. */
  name?: string;
  /** Whether the tenant holds an active Intune licence (default true). Graph answers 400 without one. */
  licensed?: boolean;
}

export interface FakeClientSecret {
  value: string;
  /** ms since the epoch or an ISO date; omitted: never expires. */
  expiresAt?: number | string;
}

export interface FakeAppInput {
  clientId: string;
  displayName?: string;
  /** One secret, or several (rotation). */
  secret?: string;
  secretExpiresAt?: number | string;
  secrets?: FakeClientSecret[];
  /** Certificates (PEM) whose keys may sign client assertions. */
  certificatePem?: string;
  certificatePems?: string[];
  /** Application permissions granted in the home tenant (and asked for when another tenant consents). */
  permissions: string[];
  /** Other tenants may consent to it (default true). */
  multiTenant?: boolean;
  /** Exact-match redirect URIs for admin consent. */
  redirectUris?: string[];
}

export type FilterSupport = 'honoured' | 'ignored';
export type BatchOrder = 'request' | 'reversed' | 'shuffled';

export interface ThrottleSettings {
  /** Requests per window for one app in one tenant (Intune devices service: 2,000 per 20 s). */
  perAppLimit?: number;
  /** Requests per window for all apps in one tenant (Intune: 4,000 per 20 s). */
  perTenantLimit?: number;
  windowMs?: number;
  /** Send `Retry-After` with 429s (default true); some Intune endpoints leave it out. */
  retryAfter?: boolean;
  /** OData error code of the 429 body (default `TooManyRequests`). */
  code?: 'TooManyRequests' | 'activityLimitReached';
}

export interface FakeIntuneOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Tenants besides (or instead of) the default one. */
  tenants?: FakeTenantInput[];
  /** App registrations, each registered in (and consented by) the tenant named by `tenant`. */
  apps?: (FakeAppInput & { tenant: string })[];
  /** Leave out the default tenant and app (default false). */
  withoutDefaults?: boolean;
  /** Devices per tenant, keyed by tenant ID or domain. */
  fleets?: Record<string, FakeManagedDeviceInput[]>;
  /** Path of Graph under the origin (default `/graph`), so a client that mixes up its two base URLs fails. */
  graphPath?: string;
  /** Devices per page when `$top` is absent (Intune: 1,000). */
  pageSize?: number;
  /** Largest `$top` served; bigger values are clamped to it (unconfirmed; default 1,000). */
  maxTop?: number;
  filterSupport?: FilterSupport;
  /** Compare `serialNumber eq` case-sensitively (Microsoft's behaviour is unconfirmed; default false). */
  serialFilterCaseSensitive?: boolean;
  throttle?: ThrottleSettings;
  /** Order of `$batch` responses (default `shuffled`: clients must match responses by `id`). */
  batchOrder?: BatchOrder;
  /**
   * `error` for an unknown tenant at the token endpoint: `invalid_request` (default, what it has long answered)
   * or `invalid_tenant` (what Entra's discovery endpoint answers now).
   */
  unknownTenantError?: 'invalid_request' | 'invalid_tenant';
  /** Access-token lifetime (`expires_in`), default 3599 s. */
  accessTokenLifetimeSeconds?: number;
  /** Delay added to every request. */
  latencyMs?: number;
  /** Keep about this many log entries (the oldest are dropped a tenth at a time). Default 200,000. */
  maxLogEntries?: number;
  /** Gzip JSON bodies when the client sends `Accept-Encoding: gzip` (default true). */
  gzip?: boolean;
}

export type RequestKind = 'token' | 'consent' | 'discovery' | 'api' | 'batch' | 'other';

export interface FakeLogEntry {
  /** Increasing, inner batch requests included. */
  seq: number;
  /** ms since the epoch on the fake clock. */
  at: number;
  method: string;
  /** Graph paths are logged from the version on (`/v1.0/deviceManagement/managedDevices`), inner ones too. */
  path: string;
  query: Record<string, string>;
  kind: RequestKind;
  /** `token`, `consent.page`, `consent.decide`, `openid-configuration`, `managedDevices.list`, `managedDevices.get`, `managedDeviceOverview.get`, `batch`, `unknown`. */
  operation: string;
  /** A request inside a `$batch`; `batchSeq` names the batch and `batchRequestId` its `id`. */
  inner: boolean;
  batchSeq?: number;
  batchRequestId?: string;
  /** True when the request reads devices without naming them by serial (a listing whose serial filter was absent or not honoured). */
  listing: boolean;
  /** Serial numbers named by `serialNumber eq` clauses, as sent (also when the filter was not honoured). */
  serials: string[];
  /** Whether a `$filter` was applied (false when absent, unsupported or switched off). */
  filterHonoured?: boolean;
  /** Response status; 0 while in flight. */
  status: number;
  durationMs: number;
  resultCount?: number;
  injected?: 'fail' | 'malformed' | 'quota';
  /** Error code of an error answer (`invalid_client`, `Forbidden`, …). */
  error?: string;
  tenantId?: string;
  clientId?: string;
  /** Token requests: how the client authenticated. */
  clientAuth?: 'secret' | 'assertion' | 'none';
}

export type FailTarget = 'api' | 'token' | 'batch-item' | 'any';
/** `repeat-page`: a list page whose `@odata.nextLink` is the URL it was asked with (a pagination loop). */
export type MalformedKind = 'truncated' | 'wrong-shape' | 'html' | 'repeat-page';
