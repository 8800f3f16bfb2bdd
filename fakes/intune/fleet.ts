/**
 * Deterministic generator of realistic Intune fleets (v1.0 `managedDevice` objects) for a school district:
 * mostly Windows laptops, some iPads and Macs, students and staff on the district's domain, check-ins spread
 * over the last weeks. The same options and seed always give the same devices.
 */
import {
  type CommonFleetOptions,
  caseVariantCount,
  caseVariantOf,
  DEFAULT_FLEET_NOW,
} from '../shared/fleet.ts';
import { Random, shuffle } from '../shared/random.ts';
import { NO_DATE } from './fields.ts';
import {
  type DeviceModel,
  JUNK_MODEL,
  JUNK_SERIALS,
  MODELS,
  modelForSerial,
  OPERATING_SYSTEMS,
  OS_RELEASES,
  type Platform,
} from './fleet-models.ts';
import type { ComplianceState, FakeManagedDevice } from './types.ts';

export { DEFAULT_FLEET_NOW, JUNK_SERIALS };

/** The common options (fakes/shared/fleet.ts); a requested serial's shape picks its hardware. */
export type FleetOptions = CommonFleetOptions;

export interface FleetManifest {
  /** Requested serial → id of its (newest) device. */
  bySerial: Record<string, string>;
  junkDeviceIds: string[];
  /** ids of the older re-enrolled records. */
  duplicateDeviceIds: string[];
  /** Requested serial → the variant actually stored. */
  variants: Record<string, string>;
}

const DAY = 86_400_000;
const DIGITS = '0123456789';
const HEX = '0123456789ABCDEF';
const NAME_CHARS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const SCHOOLS = ['HS', 'MS', 'ES1', 'ES2', 'ES3', 'DO'];
const FIRST_NAMES = ['Ava', 'Liam', 'Maya', 'Noah', 'Sofia', 'Ethan', 'Zoe', 'Mateo', 'Chloe', 'Owen'];
const LAST_NAMES = [
  'Garcia',
  'Nguyen',
  'Smith',
  'Patel',
  'Johnson',
  'Kim',
  'Lopez',
  'Brown',
  'Davis',
  'Wilson',
];
const COMPLIANCE: { value: ComplianceState; weight: number }[] = [
  { value: 'compliant', weight: 85 },
  { value: 'noncompliant', weight: 8 },
  { value: 'inGracePeriod', weight: 3 },
  { value: 'unknown', weight: 2 },
  { value: 'error', weight: 2 },
];

export function generateFleet(options: FleetOptions): FakeManagedDevice[] {
  return generateFleetDetailed(options).devices;
}

export function generateFleetDetailed(options: FleetOptions): {
  devices: FakeManagedDevice[];
  manifest: FleetManifest;
} {
  const random = new Random(options.seed ?? 1);
  const now = new Date(options.now ?? DEFAULT_FLEET_NOW).getTime();
  if (!Number.isFinite(now)) throw new Error('generateFleet: invalid `now`');
  const maker = new DeviceMaker(random, now, options.domain ?? 'district.example.org');
  const requested = [...new Set(options.serials ?? [])];
  for (const serial of requested) maker.reserve(serial);
  const manifest: FleetManifest = { bySerial: {}, junkDeviceIds: [], duplicateDeviceIds: [], variants: {} };

  const regular = makeRegular(maker, requested, Math.max(options.size, requested.length), options, manifest);
  const extra = [
    ...makeDuplicates(maker, regular, options.duplicatesOf ?? [], manifest),
    ...makeJunk(maker, options.junk ?? 0, manifest),
  ];
  const devices = regular.concat(extra);
  shuffle(devices, random);
  return { devices, manifest };
}

function makeRegular(
  maker: DeviceMaker,
  requested: string[],
  size: number,
  options: FleetOptions,
  manifest: FleetManifest,
): FakeManagedDevice[] {
  const variantCount = caseVariantCount(options.caseVariants, requested.length);
  const devices: FakeManagedDevice[] = [];
  for (let i = 0; i < size; i++) {
    const wanted = requested[i];
    const stored = wanted !== undefined && i < variantCount ? caseVariantOf(wanted, i) : wanted;
    if (wanted !== undefined && stored !== wanted) manifest.variants[wanted] = stored!;
    const model = (wanted !== undefined ? modelForSerial(wanted) : undefined) ?? maker.pickModel();
    const device = maker.make(model, stored);
    if (wanted !== undefined) manifest.bySerial[wanted] = device.id;
    devices.push(device);
  }
  return devices;
}

function makeDuplicates(
  maker: DeviceMaker,
  regular: FakeManagedDevice[],
  serials: string[],
  manifest: FleetManifest,
): FakeManagedDevice[] {
  const made: FakeManagedDevice[] = [];
  for (const serial of serials) {
    let original = regular.find((device) => device.serialNumber === serial);
    if (!original) {
      original = maker.make(modelForSerial(serial) ?? maker.pickModel(), serial);
      manifest.bySerial[serial] = original.id;
      made.push(original);
    }
    const model = MODELS.find((m) => m.model === original.model) ?? maker.pickModel();
    const duplicate = maker.make(model, serial);
    maker.makeOlderThan(duplicate, original);
    manifest.duplicateDeviceIds.push(duplicate.id);
    made.push(duplicate);
  }
  return made;
}

function makeJunk(maker: DeviceMaker, count: number, manifest: FleetManifest): FakeManagedDevice[] {
  const made: FakeManagedDevice[] = [];
  for (let j = 0; j < count; j++) {
    const device = maker.make(JUNK_MODEL, JUNK_SERIALS[j % JUNK_SERIALS.length]!);
    manifest.junkDeviceIds.push(device.id);
    made.push(device);
  }
  return made;
}

/** Makes one device at a time from the shared random stream. */
class DeviceMaker {
  private readonly random: Random;
  private readonly now: number;
  private readonly domain: string;
  private readonly usedSerials = new Set<string>();
  private assetNumber = 1000;

  constructor(random: Random, now: number, domain: string) {
    this.random = random;
    this.now = now;
    this.domain = domain;
  }

  reserve(serial: string): void {
    this.usedSerials.add(serial.trim().toUpperCase());
  }

  pickModel(): DeviceModel {
    return this.random.weighted(MODELS);
  }

  make(model: DeviceModel, serial?: string): FakeManagedDevice {
    const r = this.random;
    const serialNumber = serial ?? this.newSerial(model);
    const user = this.user(model.platform);
    const enrolled = this.now - (20 + r.int(900)) * DAY - r.int(DAY);
    const lastSync = Math.max(enrolled + 3_600_000, this.now - this.syncAge());
    const total = r.pick(model.storageBytes);
    const os = OPERATING_SYSTEMS[model.platform];
    const apple = model.platform !== 'windows';
    return {
      id: uuid(r),
      userId: user ? uuid(r) : '',
      deviceName: this.deviceName(model.platform),
      managedDeviceOwnerType: 'company',
      deviceActionResults: [],
      enrolledDateTime: iso(enrolled),
      lastSyncDateTime: iso(lastSync),
      operatingSystem: os,
      complianceState: r.weighted(COMPLIANCE).value,
      jailBroken: model.platform === 'ipad' ? 'False' : 'Unknown',
      managementAgent:
        model.platform === 'windows' && r.chance(0.1) ? 'configurationManagerClientMdm' : 'mdm',
      osVersion: r.weighted(OS_RELEASES[model.platform]).version,
      easActivated: false,
      easDeviceId: '',
      easActivationDateTime: NO_DATE,
      azureADRegistered: model.platform !== 'ipad' || user !== undefined,
      deviceEnrollmentType: enrollmentType(model.platform, user !== undefined),
      activationLockBypassCode: null,
      emailAddress: user?.email ?? '',
      azureADDeviceId: model.platform === 'ipad' && !user ? '00000000-0000-0000-0000-000000000000' : uuid(r),
      deviceRegistrationState: 'registered',
      deviceCategoryDisplayName: user?.student ? 'Student' : user ? 'Staff' : 'Shared',
      isSupervised: apple,
      exchangeLastSuccessfulSyncDateTime: NO_DATE,
      exchangeAccessState: 'none',
      exchangeAccessStateReason: 'none',
      remoteAssistanceSessionUrl: null,
      remoteAssistanceSessionErrorDetails: null,
      isEncrypted: r.chance(0.95),
      userPrincipalName: user?.email ?? '',
      model: model.model,
      manufacturer: model.manufacturer,
      imei: '',
      complianceGracePeriodExpirationDateTime: '9999-12-31T23:59:59Z',
      serialNumber,
      phoneNumber: '',
      androidSecurityPatchLevel: '',
      userDisplayName: user?.displayName ?? '',
      configurationManagerClientEnabledFeatures: null,
      wiFiMacAddress: r.chars(HEX, 12),
      deviceHealthAttestationState: null,
      subscriberCarrier: '',
      meid: '',
      totalStorageSpaceInBytes: total,
      freeStorageSpaceInBytes: Math.floor(total * (0.1 + r.next() * 0.7)),
      managedDeviceName: managedDeviceName(user?.email, model.platform, enrolled),
      partnerReportedThreatState: 'unknown',
      requireUserEnrollmentApproval: null,
      managementCertificateExpirationDate: iso(enrolled + 365 * DAY),
      iccid: null,
      udid: apple ? joined('0000', r.chars(DIGITS, 4), '-', r.chars(HEX, 16)) : null,
      notes: null,
      ethernetMacAddress: null,
      // Intune reports 0 outside hardware-information reads.
      physicalMemoryInBytes: 0,
      enrollmentProfileName: null,
    };
  }

  /** Moves a re-enrolled record's dates before the original's: same serial, older check-in. */
  makeOlderThan(duplicate: FakeManagedDevice, original: FakeManagedDevice): void {
    const r = this.random;
    const lastSync = Date.parse(original.lastSyncDateTime) - (30 + r.int(300)) * DAY;
    duplicate.lastSyncDateTime = iso(lastSync);
    duplicate.enrolledDateTime = iso(lastSync - (10 + r.int(200)) * DAY);
    duplicate.deviceName = original.deviceName;
    if (r.chance(0.5)) duplicate.complianceState = 'noncompliant';
  }

  private newSerial(model: DeviceModel): string {
    let serial: string;
    do serial = model.serial(this.random);
    while (this.usedSerials.has(serial));
    this.usedSerials.add(serial);
    return serial;
  }

  /** 72% checked in this week, 20% in the last three months, the rest long ago. */
  private syncAge(): number {
    const r = this.random;
    const roll = r.next();
    return roll < 0.72
      ? r.int(7 * DAY)
      : roll < 0.92
        ? 7 * DAY + r.int(83 * DAY)
        : 90 * DAY + r.int(640 * DAY);
  }

  private user(platform: Platform): { email: string; displayName: string; student: boolean } | undefined {
    const r = this.random;
    if (platform === 'ipad' && r.chance(0.3)) return undefined;
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    if (platform !== 'mac' && r.chance(0.8)) {
      const id = 100000 + r.int(900000);
      return {
        email: joined('s', id, '@', this.domain),
        displayName: joined(first, ' ', last),
        student: true,
      };
    }
    return {
      email: joined(first.toLowerCase(), '.', last.toLowerCase(), r.int(100), '@', this.domain),
      displayName: joined(first, ' ', last),
      student: false,
    };
  }

  private deviceName(platform: Platform): string {
    const r = this.random;
    const school = r.pick(SCHOOLS);
    const number = this.assetNumber++;
    if (platform === 'windows')
      return r.chance(0.1)
        ? joined('DESKTOP-', r.chars(NAME_CHARS, 7))
        : joined(school, '-L', String(number).padStart(5, '0'));
    return joined(school, platform === 'ipad' ? '-IPAD-' : '-MAC-', String(number).padStart(5, '0'));
  }
}

function enrollmentType(platform: Platform, withUser: boolean): string {
  if (platform === 'windows') return 'windowsAzureADJoin';
  return withUser ? 'appleBulkWithUser' : 'appleBulkWithoutUser';
}

/** Intune's generated name: `{user}_{platform}_{M/D/YYYY}_{h:mm AM}`. */
function managedDeviceName(email: string | undefined, platform: Platform, enrolled: number): string {
  const date = new Date(enrolled);
  const hours = date.getUTCHours();
  const time = `${hours % 12 || 12}:${String(date.getUTCMinutes()).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`;
  const kind = platform === 'windows' ? 'Windows' : platform === 'ipad' ? 'iPad' : 'MacOS';
  const owner = email ? email.slice(0, email.indexOf('@')) : 'Userless';
  return joined(
    owner,
    '_',
    kind,
    '_',
    date.getUTCMonth() + 1,
    '/',
    date.getUTCDate(),
    '/',
    date.getUTCFullYear(),
    '_',
    time,
  );
}

/** Graph's timestamps: whole seconds, UTC. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function uuid(r: Random): string {
  const hex = r.chars('0123456789abcdef', 32);
  const variant = '89ab'[r.int(4)]!;
  return joined(
    hex.slice(0, 8),
    '-',
    hex.slice(8, 12),
    '-4',
    hex.slice(13, 16),
    '-',
    variant,
    hex.slice(17, 20),
    '-',
    hex.slice(20),
  );
}

/**
 * One flat string from parts: template literals make rope strings whose nodes cost more memory than the
 * characters, which adds up over 300,000 devices.
 */
function joined(...parts: (string | number)[]): string {
  return parts.join('');
}
