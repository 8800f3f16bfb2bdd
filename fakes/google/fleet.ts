/**
 * Deterministic generator of realistic ChromeOS fleets (Directory API `ChromeOsDevice` objects).
 * The same options and seed always give the same devices. Per-model data (CPU, TPM, RAM) is shared
 * between devices, so 300,000 devices stay within a few hundred MB.
 */
import type { FakeChromeDevice, FakeRecentUser } from './types.ts';

export interface FleetOptions {
  /** Regular devices, including one per entry of `serials`. */
  size: number;
  seed?: number | string;
  /** Serials that must exist (e.g. overlapping a district's inventory). */
  serials?: string[];
  /** Extra devices with junk serials ("To be filled by O.E.M.", "0", …), added on top of `size`. */
  junk?: number;
  /** How many regular devices are DEPROVISIONED (preferably not the `serials` ones). */
  deprovisioned?: number;
  /** How many regular devices are DISABLED. */
  disabled?: number;
  /** For each serial, an extra re-enrolled duplicate: same serial, new deviceId, older lastSync. */
  duplicatesOf?: string[];
  /** Status of those duplicates (default ACTIVE, the hard case). */
  duplicateStatus?: 'ACTIVE' | 'DEPROVISIONED';
  /**
   * Store some `serials` with a case/whitespace variant ("5cd1234xyz", " 5CD1234XYZ "): true picks about
   * one in ten (at least one), a number picks that many.
   */
  caseVariants?: boolean | number;
  orgUnits?: string[];
  /** Domain of user emails. */
  domain?: string;
  /** "Now" for lastSync and enrolment dates; default 2026-11-20T12:00:00Z so output is stable. */
  now?: number | string | Date;
}

export interface FleetManifest {
  /** Requested serial → deviceId of its (newest) device. */
  bySerial: Record<string, string>;
  junkDeviceIds: string[];
  deprovisionedDeviceIds: string[];
  disabledDeviceIds: string[];
  /** deviceIds of the older duplicate records. */
  duplicateDeviceIds: string[];
  /** Requested serial → the variant actually stored. */
  variants: Record<string, string>;
}

export const DEFAULT_FLEET_NOW = '2026-11-20T12:00:00.000Z';
export const DEFAULT_ORG_UNITS = [
  '/Students/High School',
  '/Students/Middle School',
  '/Students/Elementary',
  '/Staff',
  '/Carts/Library',
  '/Testing/Kiosk',
];
export const JUNK_SERIALS = [
  'To be filled by O.E.M.',
  'Default string',
  '0',
  '123456789',
  'System Serial Number',
  'NONE',
  'N/A',
  '0123456789ABCDEF',
  'Not Applicable',
  'xxxxxxxxxx',
];

interface Model {
  name: string;
  serial: (r: Random) => string;
  board: string;
  firmware: string;
  ram: string;
  storageTotal: string;
  volumeId: string;
  aueYear: number;
  aueMonth: number;
  flex?: boolean;
  ethernet?: boolean;
  cpuInfo: NonNullable<FakeChromeDevice['cpuInfo']>;
  tpm: NonNullable<FakeChromeDevice['tpmVersionInfo']>;
  weight: number;
}

const ALNUM = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '0123456789';
const HEX = '0123456789abcdef';

function cpu(model: string, architecture: string, khz: number, cores: number) {
  const logicalCpus = Array.from({ length: cores }, () => ({
    maxScalingFrequencyKhz: khz,
    currentScalingFrequencyKhz: Math.round(khz / 3),
    idleDuration: '48213.190s',
    cStates: [
      { displayName: 'POLL', sessionDuration: '0.002s' },
      { displayName: 'C1', sessionDuration: '1203.551s' },
    ],
  }));
  return [{ model, architecture, maxClockSpeedKhz: khz, logicalCpus }];
}

function tpm(manufacturer: string, firmwareVersion: string) {
  return {
    family: '322e3000',
    firmwareVersion,
    manufacturer,
    specLevel: '116',
    tpmModel: '1',
    vendorSpecific: '786f76657300',
  };
}

const MODELS: Model[] = [
  {
    name: 'HP Chromebook 11 G9 EE',
    serial: (r) => flat('5CD', r.chars(DIGITS, 3), r.chars(ALNUM, 4)),
    board: 'dedede',
    firmware: 'Google_Drawcia.13606.459.0',
    ram: '4103049216',
    storageTotal: '31268536320',
    volumeId: '/dev/mmcblk0p1',
    aueYear: 2031,
    aueMonth: 6,
    cpuInfo: cpu('Intel(R) Celeron(R) N4500 @ 1.10GHz', 'x64', 2800000, 2),
    tpm: tpm('474f4f47', '00000000000008ea'),
    weight: 5,
  },
  {
    name: 'Lenovo 100e Chromebook Gen 3',
    serial: (r) => flat('PF', r.chars(ALNUM, 6)),
    board: 'dedede',
    firmware: 'Google_Pirika.13606.541.0',
    ram: '4103049216',
    storageTotal: '31268536320',
    volumeId: '/dev/mmcblk0p1',
    aueYear: 2031,
    aueMonth: 6,
    cpuInfo: cpu('Intel(R) Celeron(R) N4500 @ 1.10GHz', 'x64', 2800000, 2),
    tpm: tpm('474f4f47', '00000000000008ea'),
    weight: 5,
  },
  {
    name: 'Dell Chromebook 3100',
    serial: (r) => r.chars(ALNUM, 7),
    board: 'octopus',
    firmware: 'Google_Fleex.11297.271.0',
    ram: '4094484480',
    storageTotal: '31268536320',
    volumeId: '/dev/mmcblk0p1',
    aueYear: 2026,
    aueMonth: 6,
    cpuInfo: cpu('Intel(R) Celeron(R) N4000 CPU @ 1.10GHz', 'x64', 2600000, 2),
    tpm: tpm('474f4f47', '00000000000008ea'),
    weight: 3,
  },
  {
    name: 'Acer Chromebook Spin 311',
    serial: (r) => flat('NXHUVAA00', r.chars(DIGITS, 13)),
    board: 'kukui',
    firmware: 'Google_Kukui.12573.273.0',
    ram: '4046168064',
    storageTotal: '31268536320',
    volumeId: '/dev/mmcblk0p1',
    aueYear: 2028,
    aueMonth: 6,
    cpuInfo: cpu('ARMv8 Processor rev 4 (v8l)', 'ARM64', 2000000, 8),
    tpm: tpm('474f4f47', '00000000000008ea'),
    weight: 2,
  },
  {
    name: 'ASUS Chromebook CR1100CKA',
    serial: (r) =>
      flat('M', r.chars(DIGITS, 1), 'NXCV', r.chars(DIGITS, 2), r.chars(ALNUM, 1), r.chars(DIGITS, 6)),
    board: 'dedede',
    firmware: 'Google_Drawlat.13606.627.0',
    ram: '8232292352',
    storageTotal: '62537072640',
    volumeId: '/dev/mmcblk0p1',
    aueYear: 2031,
    aueMonth: 6,
    cpuInfo: cpu('Intel(R) Celeron(R) N5100 @ 1.10GHz', 'x64', 2800000, 4),
    tpm: tpm('474f4f47', '00000000000008ea'),
    weight: 2,
  },
  {
    name: 'Lenovo 300e Chromebook Gen 4',
    serial: (r) => flat('R9', r.chars(ALNUM, 6)),
    board: 'nissa',
    firmware: 'Google_Craask.15217.592.0',
    ram: '8232292352',
    storageTotal: '62537072640',
    volumeId: '/dev/nvme0n1p1',
    aueYear: 2033,
    aueMonth: 6,
    ethernet: false,
    cpuInfo: cpu('Intel(R) N100', 'x64', 3400000, 4),
    tpm: tpm('474f4f47', '0000000000000a29'),
    weight: 3,
  },
  {
    name: 'HP ProDesk 600 G3 (ChromeOS Flex)',
    serial: (r) => flat('MXL', r.chars(DIGITS, 4), r.chars(ALNUM, 3)),
    board: 'reven',
    firmware: '',
    ram: '8264925184',
    storageTotal: '255550554112',
    volumeId: '/dev/sda1',
    aueYear: 2030,
    aueMonth: 11,
    flex: true,
    ethernet: true,
    cpuInfo: cpu('Intel(R) Core(TM) i5-7500 CPU @ 3.40GHz', 'x64', 3800000, 4),
    tpm: tpm('49465800', '0000000700020005'),
    weight: 1,
  },
];

const OS_RELEASES = [
  { os: '132.0.6834.164', platform: '16093.68.0', weight: 5 },
  { os: '131.0.6778.120', platform: '16063.45.0', weight: 3 },
  { os: '130.0.6723.126', platform: '16033.58.0', weight: 2 },
  { os: '128.0.6613.133', platform: '15964.67.0', weight: 1 },
];
const EOL_RELEASE = { os: '126.0.6478.222', platform: '15886.44.0' };

const LOCATIONS = [
  'Room 101',
  'Room 114',
  'Room 204',
  'Room 212',
  'Library',
  'Cart A',
  'Cart B',
  'Front Office',
  'Gym',
];
const NOTES = [
  'Cracked screen, repaired',
  'Loaner',
  'Replaced keyboard',
  'Battery swollen - replaced',
  'Spare',
];
const DEPROVISION_REASONS = [
  'DEPROVISION_REASON_RETIRING_DEVICE',
  'DEPROVISION_REASON_SAME_MODEL_REPLACEMENT',
  'DEPROVISION_REASON_DIFFERENT_MODEL_REPLACEMENT',
  'DEPROVISION_REASON_REPAIR_CENTER',
];
const DAY = 86_400_000;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    // xmur3 string hash → sfc32 state
    const text = String(seed);
    let h = 1779033703 ^ text.length;
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    const next = () => {
      h = Math.imul(h ^ (h >>> 16), 2246822507);
      h = Math.imul(h ^ (h >>> 13), 3266489909);
      h ^= h >>> 16;
      return h >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  weighted<T extends { weight: number }>(items: readonly T[]): T {
    let total = 0;
    for (const item of items) total += item.weight;
    let roll = this.next() * total;
    for (const item of items) {
      roll -= item.weight;
      if (roll < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** A flat (non-rope) random string, so large fleets stay compact in memory. */
  chars(alphabet: string, length: number): string {
    const codes = new Array<number>(length);
    for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(this.int(alphabet.length));
    return String.fromCharCode(...codes);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

function uuid(r: Random): string {
  const codes = new Array<number>(36);
  for (let i = 0; i < 36; i++) codes[i] = HEX.charCodeAt(r.int(16));
  codes[8] = codes[13] = codes[18] = codes[23] = 45; // '-'
  codes[14] = 52; // version 4
  codes[19] = '89ab'.charCodeAt(r.int(4));
  return String.fromCharCode(...codes);
}

/** Stable `orgUnitId` for an OU path (Google's IDs look like `03ph8a2z1k2n3p4`). */
export function orgUnitIdFor(path: string): string {
  let h = 2166136261;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 16777619);
  const r = new Random(`ou:${path}:${h}`);
  return `03ph8a2z${r.chars('0123456789abcdefghijklmnopqrstuvwxyz', 7)}`;
}

/**
 * Joins parts into one flat string: template literals build rope strings whose nodes cost more memory
 * than the characters, which matters with 300,000 devices.
 */
function flat(...parts: (string | number)[]): string {
  return parts.join('');
}

const interned = new Map<string, string>();
function intern(value: string): string {
  const known = interned.get(value);
  if (known !== undefined) return known;
  const stored = flat(value, '');
  interned.set(stored, stored);
  return stored;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function monthEnd(year: number, month: number): number {
  return Date.UTC(year, month, 0);
}

export function generateFleet(options: FleetOptions): FakeChromeDevice[] {
  return generateFleetDetailed(options).devices;
}

export function generateFleetDetailed(options: FleetOptions): {
  devices: FakeChromeDevice[];
  manifest: FleetManifest;
} {
  const r = new Random(options.seed ?? 1);
  const now = new Date(options.now ?? DEFAULT_FLEET_NOW).getTime();
  if (!Number.isFinite(now)) throw new Error('generateFleet: invalid `now`');
  const domain = options.domain ?? 'district.example.org';
  const orgUnits = options.orgUnits?.length ? options.orgUnits : DEFAULT_ORG_UNITS;
  const ouIds = new Map(orgUnits.map((ou) => [ou, orgUnitIdFor(ou)]));
  const requested = [...new Set(options.serials ?? [])];
  const size = Math.max(options.size, requested.length);
  const used = new Set(requested.map((s) => s.trim().toUpperCase()));
  const manifest: FleetManifest = {
    bySerial: {},
    junkDeviceIds: [],
    deprovisionedDeviceIds: [],
    disabledDeviceIds: [],
    duplicateDeviceIds: [],
    variants: {},
  };
  const assetPrefixes = new Map<string, string>();
  const prefixFor = (ou: string) => {
    let prefix = assetPrefixes.get(ou);
    if (!prefix) {
      const words = ou.split('/').filter(Boolean);
      const last = words[words.length - 1] ?? 'DEV';
      prefix = last
        .split(/\s+/)
        .map((w) => w[0]?.toUpperCase() ?? '')
        .join('')
        .padEnd(2, 'X');
      assetPrefixes.set(ou, prefix);
    }
    return prefix;
  };

  const makeDevice = (serial: string | undefined, model: Model, assetNumber: number): FakeChromeDevice => {
    let serialNumber = serial;
    if (serialNumber === undefined) {
      do serialNumber = model.serial(r);
      while (used.has(serialNumber));
      used.add(serialNumber);
    }
    const ou = r.pick(orgUnits);
    const isStudent = ou.startsWith('/Students');
    const firstEnrollment = now - (60 + r.int(1400)) * DAY - r.int(DAY);
    const lastEnrollment = r.chance(0.15)
      ? firstEnrollment + r.int(Math.max(1, now - firstEnrollment - DAY))
      : firstEnrollment;
    const roll = r.next();
    const syncAge =
      roll < 0.72 ? r.int(7 * DAY) : roll < 0.92 ? 7 * DAY + r.int(83 * DAY) : 90 * DAY + r.int(640 * DAY);
    const lastSync = Math.max(lastEnrollment + 3_600_000, now - syncAge);
    const aue = monthEnd(model.aueYear, model.aueMonth);
    const release = aue < now ? EOL_RELEASE : r.weighted(OS_RELEASES);
    const userCount = isStudent ? 1 + r.int(3) : 1;
    const recentUsers: FakeRecentUser[] = [];
    for (let i = 0; i < userCount; i++) {
      recentUsers.push({
        type: 'USER_TYPE_MANAGED',
        email: isStudent
          ? flat('s', 100000 + r.int(900000), '@', domain)
          : flat(r.pick(['j', 'm', 'a', 'k', 'r']), r.chars('abcdefghijklmnopqrstuvwxyz', 5), '@', domain),
      });
    }
    if (r.chance(0.05)) recentUsers.push({ type: 'USER_TYPE_UNMANAGED' });
    const storageFree = Math.floor(Number(model.storageTotal) * (0.15 + r.next() * 0.7));
    const mac = r.chars(HEX, 12);
    const device: FakeChromeDevice = {
      kind: 'admin#directory#chromeosdevice',
      etag: flat('"', r.chars('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-', 27), '"'),
      deviceId: uuid(r),
      serialNumber,
      status: 'ACTIVE',
      lastSync: iso(lastSync),
      recentUsers,
      lastKnownNetwork: [
        {
          ipAddress: flat('10.', r.int(64), '.', r.int(256), '.', 1 + r.int(254)),
          wanIpAddress: intern(`203.0.113.${1 + r.int(254)}`),
        },
      ],
      orgUnitPath: ou,
      orgUnitId: ouIds.get(ou)!,
      osVersion: release.os,
      platformVersion: intern(`${release.platform} (Official Build) stable-channel ${model.board}`),
      bootMode: r.chance(0.01) ? 'Dev' : 'Verified',
      lastEnrollmentTime: iso(lastEnrollment),
      firstEnrollmentTime: iso(firstEnrollment),
      model: model.name,
      macAddress: mac,
      manufactureDate: intern(iso(firstEnrollment - (30 + r.int(300)) * DAY).slice(0, 10)),
      autoUpdateExpiration: intern(String(aue)),
      autoUpdateThrough: intern(iso(aue).replace('.000Z', 'Z')),
      chromeOsType: model.flex ? 'chromeOsFlex' : 'chromeOs',
      deviceLicenseType: model.flex ? 'educationUpgrade' : 'education',
      diskVolumeReports: [
        {
          volumeInfo: [
            { volumeId: model.volumeId, storageFree: String(storageFree), storageTotal: model.storageTotal },
          ],
        },
      ],
      systemRamTotal: model.ram,
      tpmVersionInfo: model.tpm,
      cpuInfo: model.cpuInfo,
    };
    if (model.firmware) device.firmwareVersion = model.firmware;
    if (r.chance(0.9))
      device.annotatedAssetId = flat(prefixFor(ou), '-', String(assetNumber).padStart(6, '0'));
    if (isStudent && r.chance(0.6)) device.annotatedUser = recentUsers[0]?.email ?? '';
    else if (!isStudent && r.chance(0.8)) device.annotatedUser = recentUsers[0]?.email ?? '';
    if (r.chance(0.5)) device.annotatedLocation = r.pick(LOCATIONS);
    if (r.chance(0.08)) device.notes = r.pick(NOTES);
    if (r.chance(0.3)) device.orderNumber = flat('PO-', 2020 + r.int(7), '-', r.chars(DIGITS, 5));
    if (model.ethernet || r.chance(0.1)) {
      const eth = r.chars(HEX, 12);
      device.ethernetMacAddress = eth;
      device.ethernetMacAddress0 = eth.toUpperCase();
    }
    return device;
  };

  const regular: FakeChromeDevice[] = [];
  const fromRequested = new Set<FakeChromeDevice>();
  const variantCount =
    options.caseVariants === true
      ? Math.max(1, Math.floor(requested.length / 10))
      : typeof options.caseVariants === 'number'
        ? Math.min(options.caseVariants, requested.length)
        : 0;
  for (let i = 0; i < size; i++) {
    const model = r.weighted(MODELS);
    const wanted = requested[i];
    let stored = wanted;
    if (wanted !== undefined && i < variantCount) {
      const kind = i % 3;
      stored = kind === 0 ? wanted.toLowerCase() : kind === 1 ? ` ${wanted} ` : `${wanted.toLowerCase()}\t`;
      if (stored === wanted) stored = ` ${wanted}`;
      manifest.variants[wanted] = stored;
    }
    const device = makeDevice(stored, model, 1000 + i);
    if (wanted !== undefined) {
      manifest.bySerial[wanted] = device.deviceId;
      fromRequested.add(device);
    }
    regular.push(device);
  }

  // Statuses: prefer devices that were not explicitly requested.
  const order = regular.map((_, i) => i);
  shuffle(order, r);
  order.sort((x, y) => Number(fromRequested.has(regular[x]!)) - Number(fromRequested.has(regular[y]!)));
  let cursor = 0;
  for (let k = 0; k < (options.deprovisioned ?? 0) && cursor < order.length; k++, cursor++) {
    const device = regular[order[cursor]!]!;
    const when = Date.parse(device.lastSync!) + r.int(20) * DAY;
    device.status = 'DEPROVISIONED';
    device.lastDeprovisionTimestamp = iso(Math.min(when, now - DAY));
    device.deprovisionReason = r.pick(DEPROVISION_REASONS);
    manifest.deprovisionedDeviceIds.push(device.deviceId);
  }
  for (let k = 0; k < (options.disabled ?? 0) && cursor < order.length; k++, cursor++) {
    const device = regular[order[cursor]!]!;
    device.status = 'DISABLED';
    manifest.disabledDeviceIds.push(device.deviceId);
  }

  const extra: FakeChromeDevice[] = [];
  for (const serial of options.duplicatesOf ?? []) {
    let original = regular.find((d) => d.serialNumber === serial);
    if (!original) {
      original = makeDevice(serial, r.weighted(MODELS), 500000 + extra.length);
      manifest.bySerial[serial] = original.deviceId;
      extra.push(original);
    }
    const duplicate = makeDevice(
      serial,
      MODELS.find((m) => m.name === original.model) ?? MODELS[0]!,
      600000 + extra.length,
    );
    const originalSync = Date.parse(original.lastSync ?? iso(now));
    const older = originalSync - (30 + r.int(300)) * DAY;
    duplicate.lastSync = iso(older);
    duplicate.lastEnrollmentTime = iso(older - (10 + r.int(200)) * DAY);
    duplicate.firstEnrollmentTime = duplicate.lastEnrollmentTime;
    duplicate.orgUnitPath = original.orgUnitPath!;
    duplicate.orgUnitId = original.orgUnitId!;
    if (original.annotatedAssetId) duplicate.annotatedAssetId = original.annotatedAssetId;
    if (options.duplicateStatus === 'DEPROVISIONED') {
      duplicate.status = 'DEPROVISIONED';
      duplicate.lastDeprovisionTimestamp = iso(older + DAY);
      duplicate.deprovisionReason = 'DEPROVISION_REASON_SAME_MODEL_REPLACEMENT';
    }
    manifest.duplicateDeviceIds.push(duplicate.deviceId);
    extra.push(duplicate);
  }
  for (let j = 0; j < (options.junk ?? 0); j++) {
    const flex = MODELS.find((m) => m.flex) ?? MODELS[0]!;
    const device = makeDevice(JUNK_SERIALS[j % JUNK_SERIALS.length]!, flex, 700000 + j);
    manifest.junkDeviceIds.push(device.deviceId);
    extra.push(device);
  }

  const devices = regular.concat(extra);
  shuffle(devices, r);
  return { devices, manifest };
}

export function shuffle<T>(items: T[], r: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
}
