/**
 * One generated Mac or iPad record with realistic values: who uses it, when it last checked in, what it
 * runs, how it was bought. Values every device of a kind shares (security settings, an iPad without
 * cellular) are one object, so large fleets stay small in memory.
 */
import type { Random } from '../shared/random.ts';
import {
  BUILDINGS,
  type Building,
  DEPARTMENTS,
  FIRST_NAMES,
  IPADOS_RELEASES,
  type IpadModel,
  LAST_NAMES,
  MACOS_RELEASES,
  type MacModel,
  type OsRelease,
  STAFF_POSITIONS,
} from './fleet-catalog.ts';
import type { FakeComputer, FakeMobileDevice } from './types.ts';

const DAY = 86_400_000;
const HEX = '0123456789ABCDEF';
/** Apple's randomised serials leave out vowels, so no word can be spelt. */
const SERIAL_CHARS = '0123456789BCDFGHJKLMNPQRTVWXYZ';
const OLD_SERIAL_CHARS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const MAC_FACTORIES = ['C02', 'C07', 'C1M', 'FVF', 'FVH', 'DKQ'];
const IPAD_FACTORIES = ['DMP', 'DMQ', 'DLX', 'F9F', 'GG7', 'F4K'];

export interface RecordContext {
  r: Random;
  now: number;
  domain: string;
}

interface Person {
  username: string;
  realName: string;
  email: string;
  position: string;
}

export function macSerial(r: Random, model: MacModel): string {
  if (!model.serialSuffix) return r.chars(SERIAL_CHARS, 10);
  return [r.pick(MAC_FACTORIES), r.chars(OLD_SERIAL_CHARS, 5), model.serialSuffix].join('');
}

export function ipadSerial(r: Random, model: IpadModel): string {
  if (!model.serialSuffix) return r.chars(SERIAL_CHARS, 10);
  return [r.pick(IPAD_FACTORIES), r.chars(OLD_SERIAL_CHARS, 5), model.serialSuffix].join('');
}

export function makeComputer(ctx: RecordContext, id: string, serial: string, model: MacModel): FakeComputer {
  const { r } = ctx;
  const building = r.pick(BUILDINGS);
  const student = building.students && r.chance(0.6);
  const person = makePerson(ctx, student);
  const times = checkInTimes(ctx);
  const release = pickRelease(r, MACOS_RELEASES, model.maxMajor);
  const ade = r.chance(0.85);
  const purchased = purchase(ctx, model.year);
  const available = Math.floor(model.diskMb * (0.15 + r.next() * 0.7));
  const name = student
    ? `${building.code}-MAC-${String(1 + r.int(999)).padStart(3, '0')}`
    : `${person.username}-${model.laptop ? 'MacBook' : 'iMac'}`;
  return {
    id,
    udid: uuid(r).toUpperCase(),
    general: {
      name,
      lastIpAddress: `203.0.113.${1 + r.int(254)}`,
      lastReportedIp: localIp(r),
      jamfBinaryVersion: '11.23.0-t1761840000',
      platform: 'Mac',
      barcode1: null,
      barcode2: null,
      assetTag: r.chance(0.9) ? assetTag(r, building) : null,
      remoteManagement: { managed: true, managementUsername: 'jamfmanage' },
      supervised: ade,
      mdmCapable: { capable: true, capableUsers: [person.username] },
      reportDate: iso(times.lastCheckIn - r.int(DAY)),
      lastContactTime: iso(times.lastCheckIn),
      lastCloudBackupDate: null,
      lastEnrolledDate: iso(times.enrolled),
      mdmProfileExpiration: iso(times.enrolled + 2 * 365 * DAY),
      initialEntryDate: iso(times.enrolled).slice(0, 10),
      managementId: uuid(r),
      site: { id: '-1', name: 'None' },
      enrolledViaAutomatedDeviceEnrollment: ade,
      userApprovedMdm: true,
      declarativeDeviceManagementEnabled: true,
      extensionAttributes: [],
    },
    hardware: {
      make: 'Apple',
      model: model.name,
      modelIdentifier: model.identifier,
      serialNumber: serial,
      processorType: model.processor,
      processorArchitecture: model.appleSilicon ? 'arm64' : 'x86_64',
      coreCount: model.cores,
      macAddress: mac(r),
      altMacAddress: model.laptop ? null : mac(r),
      totalRamMegabytes: model.ramMb,
      batteryCapacityPercent: model.laptop ? 70 + r.int(31) : null,
      appleSilicon: model.appleSilicon,
      extensionAttributes: [],
    },
    operatingSystem: {
      name: 'macOS',
      version: release.version,
      build: release.build,
      supplementalBuildVersion: release.build,
      rapidSecurityResponse: null,
      activeDirectoryStatus: 'Not Bound',
      fileVault2Status: 'ALL_ENCRYPTED',
      softwareUpdateDeviceId: null,
      extensionAttributes: [],
    },
    userAndLocation: {
      username: person.username,
      realname: person.realName,
      email: person.email,
      position: person.position,
      phone: null,
      departmentId: r.pick(DEPARTMENTS).id,
      buildingId: building.id,
      room: room(r),
      extensionAttributes: [],
    },
    purchasing: {
      ...purchased.terms,
      poDate: iso(purchased.bought).slice(0, 10),
      warrantyDate: iso(purchased.warrantyEnds).slice(0, 10),
    },
    storage: {
      bootDriveAvailableSpaceMegabytes: available,
      disks: [
        {
          id: '1',
          device: 'disk0',
          model: 'APPLE SSD AP0256Q',
          revision: '873.120.',
          serialNumber: r.chars(HEX, 16),
          sizeMegabytes: model.diskMb,
          smartStatus: 'Verified',
          type: 'SSD',
          partitions: [
            {
              name: 'Macintosh HD (Boot Partition)',
              sizeMegabytes: model.diskMb,
              availableMegabytes: available,
              partitionType: 'BOOT',
              percentUsed: Math.round(100 - (available / model.diskMb) * 100),
              fileVault2State: 'ENCRYPTED',
              fileVault2ProgressPercent: null,
              lvmManaged: false,
            },
          ],
        },
      ],
    },
    security: model.appleSilicon ? MAC_SECURITY_SILICON : MAC_SECURITY_INTEL,
    diskEncryption: {
      bootPartitionEncryptionDetails: MAC_BOOT_ENCRYPTION,
      individualRecoveryKeyValidityStatus: 'VALID',
      institutionalRecoveryKeyPresent: false,
      diskEncryptionConfigurationName: 'FileVault',
      fileVault2EnabledUserNames: [person.username],
      fileVault2EligibilityMessage: 'Eligible',
    },
  };
}

export function makeMobileDevice(
  ctx: RecordContext,
  id: string,
  serial: string,
  model: IpadModel,
): FakeMobileDevice {
  const { r } = ctx;
  const building = r.pick(BUILDINGS);
  const student = building.students && r.chance(0.85);
  const person = makePerson(ctx, student);
  const times = checkInTimes(ctx);
  const release = pickRelease(r, IPADOS_RELEASES, model.maxMajor);
  const supervised = r.chance(0.92);
  const department = r.pick(DEPARTMENTS);
  const available = Math.floor(model.capacityMb * (0.1 + r.next() * 0.8));
  const purchased = purchase(ctx, model.year);
  return {
    mobileDeviceId: id,
    deviceType: 'iOS',
    general: {
      udid: model.newUdid ? `0000${r.chars(HEX, 4)}-00${r.chars(HEX, 14)}` : r.chars(HEX, 40).toLowerCase(),
      displayName: student
        ? `${building.code}-iPad-${String(1 + r.int(9999)).padStart(4, '0')}`
        : `${person.realName.split(' ')[0]}'s iPad`,
      assetTag: r.chance(0.9) ? assetTag(r, building) : null,
      siteId: '-1',
      lastInventoryUpdateDate: iso(times.lastCheckIn),
      osVersion: release.version,
      osBuild: release.build,
      osSupplementalBuildVersion: null,
      osRapidSecurityResponse: null,
      softwareUpdateDeviceId: model.board,
      ipAddress: localIp(r),
      managed: true,
      supervised,
      deviceOwnershipType: 'Institutional',
      enrollmentMethodPrestage: supervised
        ? { mobileDevicePrestageId: '1', profileName: student ? 'Student iPads' : 'Staff iPads' }
        : null,
      enrollmentSessionTokenValid: false,
      lastEnrolledDate: iso(times.enrolled),
      mdmProfileExpirationDate: iso(times.enrolled + 2 * 365 * DAY),
      timeZone: 'America/Chicago',
      declarativeDeviceManagementEnabled: true,
      sharedIpad: false,
      extensionAttributes: [],
    },
    hardware: {
      capacityMb: model.capacityMb,
      availableSpaceMb: available,
      usedSpacePercentage: Math.round(100 - (available / model.capacityMb) * 100),
      batteryLevel: 5 + r.int(96),
      serialNumber: serial,
      wifiMacAddress: mac(r),
      bluetoothMacAddress: mac(r),
      modemFirmwareVersion: null,
      model: model.name,
      modelIdentifier: model.identifier,
      modelNumber: model.modelNumber,
      bluetoothLowEnergyCapable: true,
      deviceId: null,
      extensionAttributes: [],
    },
    userAndLocation: {
      username: person.username,
      realName: person.realName,
      emailAddress: person.email,
      position: person.position,
      phoneNumber: null,
      departmentId: department.id,
      buildingId: building.id,
      room: room(r),
      building: building.name,
      department: department.name,
      extensionAttributes: [],
    },
    purchasing: {
      ...purchased.terms,
      poDate: iso(purchased.bought),
      warrantyExpiresDate: iso(purchased.warrantyEnds),
      leaseExpiresDate: null,
    },
    security: {
      ...(supervised ? IPAD_SECURITY_SUPERVISED : IPAD_SECURITY_UNSUPERVISED),
      passcodePresent: r.chance(0.9),
    },
    network: IPAD_WIFI_ONLY_NETWORK,
  };
}

/** Puts an iPad in lost mode, as an admin does for a missing one. */
export function lostMode(ctx: RecordContext, device: FakeMobileDevice): FakeMobileDevice {
  const { r, now } = ctx;
  const located = now - r.int(3 * DAY);
  return {
    ...device,
    security: {
      ...device.security,
      lostModeEnabled: true,
      lostModePersistent: true,
      lostModeMessage: 'This iPad belongs to the school district. Please return it to the front office.',
      lostModePhoneNumber: '555-0100',
      lostModeFootnote: `Asset ${device.general?.assetTag ?? device.hardware?.serialNumber ?? ''}`,
      lostModeLocation: {
        lastLocationUpdate: iso(located),
        lostModeLocationHorizontalAccuracyMeters: 10 + r.int(60),
        lostModeLocationVerticalAccuracyMeters: 5 + r.int(20),
        lostModeLocationAltitudeMeters: 180 + r.int(40),
        lostModeLocationSpeedMetersPerSecond: 0,
        lostModeLocationCourseDegrees: -1,
        lostModeLocationTimestamp: iso(located),
      },
    },
  };
}

/** Seconds-precision UTC, as Jamf writes timestamps. */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

function makePerson(ctx: RecordContext, student: boolean): Person {
  const { r, domain } = ctx;
  const first = r.pick(FIRST_NAMES);
  const last = r.pick(LAST_NAMES);
  const username = student ? `s${100000 + r.int(900000)}` : `${first[0]!.toLowerCase()}${last.toLowerCase()}`;
  return {
    username,
    realName: `${first} ${last}`,
    email: `${username}@${domain}`,
    position: student ? 'Student' : r.pick(STAFF_POSITIONS),
  };
}

/** Most devices checked in this week, some in the last months, a few long ago. */
function checkInTimes({ r, now }: RecordContext): { lastCheckIn: number; enrolled: number } {
  const roll = r.next();
  const age =
    roll < 0.72 ? r.int(7 * DAY) : roll < 0.92 ? 7 * DAY + r.int(83 * DAY) : 90 * DAY + r.int(640 * DAY);
  const lastCheckIn = now - age;
  return { lastCheckIn, enrolled: lastCheckIn - (30 + r.int(900)) * DAY };
}

function pickRelease(r: Random, releases: Record<number, OsRelease[]>, maxMajor: number): OsRelease {
  const majors = Object.keys(releases)
    .map(Number)
    .filter((major) => major <= maxMajor)
    .sort((a, b) => b - a);
  // The newest major a model runs is the usual one; older ones linger on a few devices.
  const major = r.chance(0.8) ? majors[0]! : r.pick(majors);
  return r.weighted(releases[major]!);
}

/** A summer purchase in the model's year, with a year's warranty or three with AppleCare. */
function purchase({ r }: RecordContext, modelYear: number) {
  const bought = Date.UTC(modelYear, 6 + r.int(3), 1 + r.int(28));
  const appleCare = r.chance(0.4);
  const terms = {
    purchased: true,
    leased: false,
    poNumber: `PO-${modelYear}-${r.chars('0123456789', 5)}`,
    vendor: 'Apple',
    appleCareId: appleCare ? r.chars('0123456789', 12) : null,
    purchasePrice: null,
    lifeExpectancy: 4,
    purchasingAccount: null,
    purchasingContact: 'Technology Department',
  };
  return { terms, bought, warrantyEnds: bought + (appleCare ? 3 : 1) * 365 * DAY };
}

function assetTag(r: Random, building: Building): string {
  return `${building.code}-${r.chars('0123456789', 6)}`;
}

function room(r: Random): string {
  return r.chance(0.2)
    ? r.pick(['Library', 'Cart A', 'Cart B', 'Front Office', 'Gym'])
    : String(100 + r.int(230));
}

function localIp(r: Random): string {
  return `10.${r.int(64)}.${r.int(256)}.${1 + r.int(254)}`;
}

function mac(r: Random): string {
  return r.chars(HEX, 12).replace(/(..)(?!$)/g, '$1:');
}

function uuid(r: Random): string {
  const hex = r.chars(HEX, 32).toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

const MAC_SECURITY_SILICON = Object.freeze({
  sipStatus: 'ENABLED',
  gatekeeperStatus: 'APP_STORE_AND_IDENTIFIED_DEVELOPERS',
  xprotectVersion: '5320',
  autoLoginDisabled: true,
  remoteDesktopEnabled: false,
  activationLockEnabled: false,
  recoveryLockEnabled: true,
  firewallEnabled: true,
  secureBootLevel: 'FULL_SECURITY',
  externalBootLevel: 'NOT_SUPPORTED',
  bootstrapTokenAllowed: true,
});

const MAC_SECURITY_INTEL = Object.freeze({
  ...MAC_SECURITY_SILICON,
  recoveryLockEnabled: false,
  secureBootLevel: 'NOT_SUPPORTED',
  externalBootLevel: 'NOT_SUPPORTED',
});

const MAC_BOOT_ENCRYPTION = Object.freeze({
  partitionName: 'Macintosh HD (Boot Partition)',
  partitionFileVault2State: 'ENCRYPTED',
  partitionFileVault2Percent: 100,
});

const IPAD_SECURITY_SUPERVISED = Object.freeze({
  dataProtected: true,
  blockLevelEncryptionCapable: true,
  fileLevelEncryptionCapable: true,
  passcodeCompliant: true,
  passcodeCompliantWithProfile: true,
  hardwareEncryption: 3,
  activationLockEnabled: false,
  jailBreakDetected: false,
  passcodeLockGracePeriodEnforcedSeconds: null,
  personalDeviceProfileCurrent: false,
  lostModeEnabled: false,
  lostModePersistent: false,
  lostModeMessage: null,
  lostModePhoneNumber: null,
  lostModeFootnote: null,
  lostModeLocation: null,
});

/** An unsupervised iPad keeps the Activation Lock its user turned on. */
const IPAD_SECURITY_UNSUPERVISED = Object.freeze({
  ...IPAD_SECURITY_SUPERVISED,
  activationLockEnabled: true,
});

const IPAD_WIFI_ONLY_NETWORK = Object.freeze({
  cellularTechnology: 'None',
  voiceRoamingEnabled: false,
  imei: null,
  iccid: null,
  meid: null,
  eid: null,
  carrierSettingsVersion: null,
  currentCarrierNetwork: null,
  homeCarrierNetwork: null,
  dataRoamingEnabled: false,
  roaming: false,
  personalHotspotEnabled: false,
  phoneNumber: null,
});
