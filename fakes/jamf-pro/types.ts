/**
 * Public types of the fake Jamf Pro. Records have the JSON shape of the Jamf Pro API
 * (`GET /api/v2/computers-inventory` results and `GET /api/v2/mobile-devices/detail` results): IDs are
 * numeric strings, timestamps are ISO strings in UTC (`2026-11-19T08:15:00Z`), dates are `YYYY-MM-DD`.
 */

export interface FakeComputerGeneral {
  name?: string | null;
  lastIpAddress?: string | null;
  lastReportedIp?: string | null;
  jamfBinaryVersion?: string | null;
  platform?: string | null;
  barcode1?: string | null;
  barcode2?: string | null;
  assetTag?: string | null;
  remoteManagement?: { managed?: boolean | null; managementUsername?: string | null } | null;
  supervised?: boolean | null;
  mdmCapable?: { capable?: boolean | null; capableUsers?: string[] } | null;
  reportDate?: string | null;
  lastContactTime?: string | null;
  lastCloudBackupDate?: string | null;
  lastEnrolledDate?: string | null;
  mdmProfileExpiration?: string | null;
  initialEntryDate?: string | null;
  managementId?: string | null;
  site?: { id?: string; name?: string } | null;
  enrolledViaAutomatedDeviceEnrollment?: boolean | null;
  userApprovedMdm?: boolean | null;
  declarativeDeviceManagementEnabled?: boolean | null;
  extensionAttributes?: unknown[];
}

export interface FakeComputerHardware {
  make?: string | null;
  model?: string | null;
  modelIdentifier?: string | null;
  serialNumber?: string | null;
  processorSpeedMhz?: number | null;
  processorCount?: number | null;
  coreCount?: number | null;
  processorType?: string | null;
  processorArchitecture?: string | null;
  macAddress?: string | null;
  altMacAddress?: string | null;
  totalRamMegabytes?: number | null;
  batteryCapacityPercent?: number | null;
  appleSilicon?: boolean | null;
  extensionAttributes?: unknown[];
}

export interface FakeComputerPartition {
  name?: string;
  sizeMegabytes?: number;
  availableMegabytes?: number;
  partitionType?: 'BOOT' | 'RECOVERY' | 'OTHER';
  percentUsed?: number;
  fileVault2State?: string;
  fileVault2ProgressPercent?: number | null;
  lvmManaged?: boolean;
}

export interface FakeComputerDisk {
  id?: string;
  device?: string;
  model?: string;
  revision?: string;
  serialNumber?: string;
  sizeMegabytes?: number;
  smartStatus?: string;
  type?: string;
  partitions?: FakeComputerPartition[];
}

export interface FakeComputer {
  /** Jamf's computer ID, a numeric string. */
  id: string;
  udid?: string | null;
  general?: FakeComputerGeneral | null;
  hardware?: FakeComputerHardware | null;
  operatingSystem?: {
    name?: string | null;
    version?: string | null;
    build?: string | null;
    supplementalBuildVersion?: string | null;
    rapidSecurityResponse?: string | null;
    activeDirectoryStatus?: string | null;
    fileVault2Status?: string | null;
    softwareUpdateDeviceId?: string | null;
    extensionAttributes?: unknown[];
  } | null;
  userAndLocation?: {
    username?: string | null;
    realname?: string | null;
    email?: string | null;
    position?: string | null;
    phone?: string | null;
    departmentId?: string | null;
    buildingId?: string | null;
    room?: string | null;
    extensionAttributes?: unknown[];
  } | null;
  purchasing?: {
    leased?: boolean | null;
    purchased?: boolean | null;
    poNumber?: string | null;
    poDate?: string | null;
    vendor?: string | null;
    warrantyDate?: string | null;
    appleCareId?: string | null;
    leaseDate?: string | null;
    purchasePrice?: string | null;
    lifeExpectancy?: number | null;
    purchasingAccount?: string | null;
    purchasingContact?: string | null;
    extensionAttributes?: unknown[];
  } | null;
  storage?: { bootDriveAvailableSpaceMegabytes?: number | null; disks?: FakeComputerDisk[] } | null;
  security?: {
    sipStatus?: string | null;
    gatekeeperStatus?: string | null;
    xprotectVersion?: string | null;
    autoLoginDisabled?: boolean | null;
    remoteDesktopEnabled?: boolean | null;
    activationLockEnabled?: boolean | null;
    recoveryLockEnabled?: boolean | null;
    firewallEnabled?: boolean | null;
    secureBootLevel?: string | null;
    externalBootLevel?: string | null;
    bootstrapTokenAllowed?: boolean | null;
  } | null;
  diskEncryption?: {
    bootPartitionEncryptionDetails?: {
      partitionName?: string;
      partitionFileVault2State?: string;
      partitionFileVault2Percent?: number;
    } | null;
    individualRecoveryKeyValidityStatus?: string | null;
    institutionalRecoveryKeyPresent?: boolean | null;
    diskEncryptionConfigurationName?: string | null;
    fileVault2EnabledUserNames?: string[];
    fileVault2EligibilityMessage?: string | null;
  } | null;
  /** Sections the fake holds no data for (applications, printers, …) may be given too; they are served as stored. */
  [section: string]: unknown;
}

export interface FakeMobileDeviceGeneral {
  udid?: string | null;
  displayName?: string | null;
  assetTag?: string | null;
  siteId?: string | null;
  lastInventoryUpdateDate?: string | null;
  osVersion?: string | null;
  osRapidSecurityResponse?: string | null;
  osBuild?: string | null;
  osSupplementalBuildVersion?: string | null;
  softwareUpdateDeviceId?: string | null;
  ipAddress?: string | null;
  managed?: boolean | null;
  supervised?: boolean | null;
  deviceOwnershipType?: string | null;
  enrollmentMethodPrestage?: { mobileDevicePrestageId?: string; profileName?: string } | null;
  enrollmentSessionTokenValid?: boolean | null;
  lastEnrolledDate?: string | null;
  mdmProfileExpirationDate?: string | null;
  timeZone?: string | null;
  declarativeDeviceManagementEnabled?: boolean | null;
  sharedIpad?: boolean | null;
  extensionAttributes?: unknown[];
}

export interface FakeMobileDevice {
  /** Jamf's mobile device ID, a numeric string. */
  mobileDeviceId: string;
  /** `iOS` for iPads and iPhones, `tvOS` for Apple TVs. */
  deviceType?: string | null;
  general?: FakeMobileDeviceGeneral | null;
  hardware?: {
    capacityMb?: number | null;
    availableSpaceMb?: number | null;
    usedSpacePercentage?: number | null;
    batteryLevel?: number | null;
    serialNumber?: string | null;
    wifiMacAddress?: string | null;
    bluetoothMacAddress?: string | null;
    modemFirmwareVersion?: string | null;
    model?: string | null;
    modelIdentifier?: string | null;
    modelNumber?: string | null;
    bluetoothLowEnergyCapable?: boolean | null;
    deviceId?: string | null;
    extensionAttributes?: unknown[];
  } | null;
  userAndLocation?: {
    username?: string | null;
    realName?: string | null;
    emailAddress?: string | null;
    position?: string | null;
    phoneNumber?: string | null;
    departmentId?: string | null;
    buildingId?: string | null;
    room?: string | null;
    building?: string | null;
    department?: string | null;
    extensionAttributes?: unknown[];
  } | null;
  purchasing?: {
    purchased?: boolean | null;
    leased?: boolean | null;
    poNumber?: string | null;
    vendor?: string | null;
    appleCareId?: string | null;
    purchasePrice?: string | null;
    purchasingAccount?: string | null;
    poDate?: string | null;
    warrantyExpiresDate?: string | null;
    leaseExpiresDate?: string | null;
    lifeExpectancy?: number | null;
    purchasingContact?: string | null;
    extensionAttributes?: unknown[];
  } | null;
  security?: {
    dataProtected?: boolean | null;
    blockLevelEncryptionCapable?: boolean | null;
    fileLevelEncryptionCapable?: boolean | null;
    passcodePresent?: boolean | null;
    passcodeCompliant?: boolean | null;
    passcodeCompliantWithProfile?: boolean | null;
    hardwareEncryption?: number | null;
    activationLockEnabled?: boolean | null;
    jailBreakDetected?: boolean | null;
    lostModeEnabled?: boolean | null;
    lostModePersistent?: boolean | null;
    lostModeMessage?: string | null;
    lostModePhoneNumber?: string | null;
    lostModeFootnote?: string | null;
    lostModeLocation?: {
      lastLocationUpdate?: string | null;
      lostModeLocationHorizontalAccuracyMeters?: number | null;
      lostModeLocationVerticalAccuracyMeters?: number | null;
      lostModeLocationAltitudeMeters?: number | null;
      lostModeLocationSpeedMetersPerSecond?: number | null;
      lostModeLocationCourseDegrees?: number | null;
      lostModeLocationTimestamp?: string | null;
    } | null;
  } | null;
  network?: {
    cellularTechnology?: string | null;
    voiceRoamingEnabled?: boolean | null;
    imei?: string | null;
    iccid?: string | null;
    meid?: string | null;
    eid?: string | null;
    carrierSettingsVersion?: string | null;
    currentCarrierNetwork?: string | null;
    homeCarrierNetwork?: string | null;
    dataRoamingEnabled?: boolean | null;
    roaming?: boolean | null;
    personalHotspotEnabled?: boolean | null;
    phoneNumber?: string | null;
  } | null;
  [section: string]: unknown;
}

/** A patch for `updateComputer`/`updateMobileDevice`: sections are merged key by key, at every depth. */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends object | null | undefined ? DeepPartial<T[K]> : T[K];
};

export interface FakeApiClient {
  clientId: string;
  clientSecret: string;
  /** Privileges of the client's API roles, e.g. `Read Computers`, `Read Mobile Devices`. */
  privileges: string[];
  /** "Access Token Lifetime" of the client, in seconds (default: the instance's, 1800). */
  tokenLifetimeSeconds?: number;
  displayName?: string;
}

export const TOKEN_PATHS = ['/api/oauth/token', '/api/v1/oauth/token'] as const;
export type TokenPath = (typeof TOKEN_PATHS)[number];

export interface FakeInstanceSettings {
  /** Token paths this instance answers (Jamf Pro versions differ); the others answer 404. Default: both. */
  tokenPaths?: TokenPath[];
  /** In-flight requests beyond this many answer 503 (0: no limit, the default; Jamf asks clients for ≤ 5). */
  concurrencyLimit?: number;
  /** Request targets longer than this many bytes answer 414, as a load balancer does (default 8,192). */
  maxUrlLength?: number;
  /** Whether RSQL string comparisons heed case (Jamf documents them as case-insensitive: default false). */
  rsqlCaseSensitive?: boolean;
  /** Largest `page-size` accepted; more answers 400 (default 2,000, from the SDK's docstring). */
  maxPageSize?: number;
  /** Access-token lifetime of clients that name none, in seconds (default 1800). */
  tokenLifetimeSeconds?: number;
}

export interface FakeInstanceOptions extends FakeInstanceSettings {
  computers?: FakeComputer[];
  mobileDevices?: FakeMobileDevice[];
  /** API clients of the instance; default one client, DEFAULT_CLIENT. */
  clients?: FakeApiClient[];
}

export interface FakeJamfProOptions extends FakeInstanceOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** More instances, served under `/instances/<name>`; the top-level options describe the default one. */
  instances?: Record<string, FakeInstanceOptions>;
  /** The least time an answer takes from its request's arrival. */
  latencyMs?: number;
  /** Keep about this many log entries (the oldest are dropped a tenth at a time). Default 200,000. */
  maxLogEntries?: number;
}

export type RequestKind = 'token' | 'consent' | 'api' | 'batch' | 'other';

export interface FakeLogEntry {
  /** Increasing sequence number. */
  seq: number;
  /** Milliseconds since the epoch on the fake clock when the request arrived. */
  at: number;
  method: string;
  /** Path as the instance sees it (without the fake's `/instances/<name>` prefix). */
  path: string;
  query: Record<string, string>;
  kind: RequestKind;
  /** `computers.list`, `mobileDevices.list`, `token`, or `unknown`. */
  operation: string;
  /** Always false: Jamf Pro has no batch calls. */
  inner: boolean;
  /** True when the request reads devices without naming them by serial (a listing). */
  listing: boolean;
  /** Serial numbers named by `==`/`=in=` on the serial field of the filter, as sent. */
  serials: string[];
  /** Response status; 0 while in flight. */
  status: number;
  resultCount?: number;
  injected?: 'fail' | 'malformed' | 'quota';
  /** Error code of an error answer (`INVALID_TOKEN`, `invalid_client`, …). */
  error?: string;
  /** The instance the request was for. */
  instance: string;
  /** API client of the token (or of the token request). */
  clientId?: string;
  durationMs: number;
}

export type FailTarget = 'api' | 'token' | 'any';
export type MalformedKind = 'truncated' | 'wrong-shape' | 'html' | 'repeat-page';

export interface FailNextOptions {
  /** `Retry-After` seconds on a 429 (default 1); null sends none. */
  retryAfter?: number | null;
  target?: FailTarget;
  /** Only requests to this instance (default: any instance). */
  instance?: string;
}

export interface MalformedNextOptions {
  /** Answer this many matching requests normally first. */
  after?: number;
  /** Inventory requests (default) or token requests (`repeat-page` applies to inventory only). */
  target?: 'api' | 'token';
  instance?: string;
}
