/**
 * The hardware a district's Intune holds: Windows laptops (Lenovo, Dell, HP, Surface), iPads and Macs, each
 * with its vendor's serial-number shape, storage sizes and OS builds, plus the junk serials white-box and
 * virtual machines report.
 */
import type { Random } from '../shared/random.ts';

export type Platform = 'windows' | 'ipad' | 'mac';

export interface DeviceModel {
  platform: Platform;
  manufacturer: string;
  model: string;
  serial: (random: Random) => string;
  /** Serials of this shape belong to this model, so requested serials get plausible hardware. */
  serialShape?: RegExp;
  storageBytes: readonly number[];
  weight: number;
}

export interface OsRelease {
  version: string;
  weight: number;
}

const DIGITS = '0123456789';
/** Vendors leave out letters that read like digits. */
const ALNUM = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const DELL_TAG = '0123456789BCDFGHJKLMNPQRSTVWXYZ';

export const JUNK_SERIALS = [
  'To be filled by O.E.M.',
  'System Serial Number',
  '0',
  'Default string',
  'Default String',
  '123456789',
  'Not Specified',
  'None',
  'Chassis Serial Number',
  '0000-0000-0000-0000-0000-0000-00',
];

export const MODELS: readonly DeviceModel[] = [
  {
    platform: 'windows',
    manufacturer: 'LENOVO',
    model: '82VM',
    serial: (r) => `PF${r.chars(ALNUM, 6)}`,
    serialShape: /^PF[0-9A-Z]{6}$/,
    storageBytes: [127482298368, 255550554112],
    weight: 14,
  },
  {
    platform: 'windows',
    manufacturer: 'LENOVO',
    model: '20XK',
    serial: (r) => `MP${r.chars(ALNUM, 6)}`,
    serialShape: /^MP[0-9A-Z]{6}$/,
    storageBytes: [255550554112],
    weight: 6,
  },
  {
    platform: 'windows',
    manufacturer: 'Dell Inc.',
    model: 'Latitude 3140',
    serial: (r) => r.chars(DELL_TAG, 7),
    serialShape: /^[0-9A-Z]{7}$/,
    storageBytes: [127482298368, 255550554112],
    weight: 16,
  },
  {
    platform: 'windows',
    manufacturer: 'Dell Inc.',
    model: 'Latitude 5440',
    serial: (r) => r.chars(DELL_TAG, 7),
    storageBytes: [255550554112, 511101108224],
    weight: 5,
  },
  {
    platform: 'windows',
    manufacturer: 'HP',
    model: 'HP ProBook x360 11 G7 Education Edition',
    serial: (r) => `5CD${r.chars(DIGITS, 4)}${r.chars(ALNUM, 3)}`,
    serialShape: /^5C[DG][0-9]{4}[0-9A-Z]{3}$/,
    storageBytes: [127482298368],
    weight: 12,
  },
  {
    platform: 'windows',
    manufacturer: 'HP',
    model: 'HP Fortis 14 inch G10 Chromebook',
    serial: (r) => `5CG${r.chars(DIGITS, 4)}${r.chars(ALNUM, 3)}`,
    storageBytes: [127482298368],
    weight: 4,
  },
  {
    platform: 'windows',
    manufacturer: 'Microsoft Corporation',
    model: 'Surface Laptop SE',
    serial: (r) => r.chars(DIGITS, 12),
    serialShape: /^[0-9]{12}$/,
    storageBytes: [127482298368],
    weight: 3,
  },
  {
    platform: 'ipad',
    manufacturer: 'Apple',
    model: 'iPad (9th generation)',
    serial: (r) => `${r.pick(['DMP', 'F9F', 'GG7'])}${r.chars(ALNUM, 9)}`,
    serialShape: /^(DMP|F9F|GG7)[0-9A-Z]{9}$/,
    storageBytes: [63968497664],
    weight: 14,
  },
  {
    platform: 'ipad',
    manufacturer: 'Apple',
    model: 'iPad (10th generation)',
    serial: (r) => r.chars(ALNUM, 10),
    serialShape: /^[0-9A-Z]{10}$/,
    storageBytes: [63968497664, 255550554112],
    weight: 8,
  },
  {
    platform: 'mac',
    manufacturer: 'Apple',
    model: 'MacBook Air (M1, 2020)',
    serial: (r) => `C02${r.chars(ALNUM, 9)}`,
    serialShape: /^C02[0-9A-Z]{9}$/,
    storageBytes: [245107195904],
    weight: 5,
  },
  {
    platform: 'mac',
    manufacturer: 'Apple',
    model: 'MacBook Air (13-inch, M2, 2022)',
    serial: (r) => r.chars(ALNUM, 10),
    storageBytes: [245107195904, 494384795648],
    weight: 3,
  },
];

/** What white-box PCs and virtual machines enrol as, for junk serials. */
export const JUNK_MODEL: DeviceModel = {
  platform: 'windows',
  manufacturer: 'System manufacturer',
  model: 'System Product Name',
  serial: () => 'To be filled by O.E.M.',
  storageBytes: [255550554112],
  weight: 0,
};

export const OS_RELEASES: Record<Platform, readonly OsRelease[]> = {
  windows: [
    { version: '10.0.26100.2314', weight: 4 },
    { version: '10.0.22631.4460', weight: 6 },
    { version: '10.0.22621.4317', weight: 2 },
    { version: '10.0.19045.5131', weight: 3 },
  ],
  ipad: [
    { version: '18.1', weight: 5 },
    { version: '17.7.1', weight: 4 },
    { version: '17.6.1', weight: 2 },
    { version: '16.7.10', weight: 1 },
  ],
  mac: [
    { version: '15.1', weight: 4 },
    { version: '14.7.1', weight: 4 },
    { version: '13.7.1', weight: 1 },
  ],
};

export const OPERATING_SYSTEMS: Record<Platform, string> = { windows: 'Windows', ipad: 'iOS', mac: 'macOS' };

/** The model a requested serial most likely belongs to, if its shape says so. */
export function modelForSerial(serial: string): DeviceModel | undefined {
  return MODELS.find((model) => model.serialShape?.test(serial.trim().toUpperCase()));
}
