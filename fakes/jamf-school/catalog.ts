/**
 * What a school's Apple fleet is made of, for the fleet generator: models with their identifiers, OS releases,
 * storage sizes and serial-number styles, plus names, device groups and apps. Values follow what Jamf School
 * shows (lower-case `class`, `model.type` as the product line, three-part OS versions).
 */
import type { Random } from '../shared/random.ts';
import type { DeviceClass, FakeJamfSchoolApp } from './types.ts';

/** Apple's serial alphabet (no I or O). */
export const SERIAL_ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export interface Model {
  name: string;
  identifier: string;
  type: string;
  class: DeviceClass;
  osPrefix: string;
  releases: { version: string; weight: number }[];
  /** Storage sizes in GB as the device reports them. */
  capacities: number[];
  /** Before 2021 Apple serials had 12 characters (factory, date, model); since then 10 random ones. */
  serial: (r: Random) => string;
  /** Devices with an A12 chip or later report UDIDs like `00008101-001A2C3E0E38001E`. */
  chip?: string;
  battery: boolean;
  ethernet?: boolean;
  weight: number;
}

const legacySerial =
  (...factories: string[]) =>
  (r: Random) =>
    r.pick(factories) + r.chars(SERIAL_ALPHABET, 9);
const randomSerial = (r: Random) => r.chars(SERIAL_ALPHABET, 10);

const IPADOS_CURRENT = [
  { version: '26.1.0', weight: 6 },
  { version: '26.0.1', weight: 2 },
  { version: '18.7.1', weight: 2 },
  { version: '18.6.2', weight: 1 },
];
const IPADOS_18_LAST = [
  { version: '18.7.1', weight: 5 },
  { version: '18.6.2', weight: 2 },
  { version: '17.7.10', weight: 1 },
];

/** An iPad model: everything iPads share is filled in. */
const ipad = (
  model: Pick<Model, 'name' | 'identifier' | 'releases' | 'capacities' | 'serial' | 'weight'> & {
    chip?: string;
  },
): Model => ({
  type: 'iPad',
  class: 'ipad',
  osPrefix: 'iOS',
  battery: true,
  ...model,
});

export const MODELS: Model[] = [
  ipad({
    name: 'iPad 7 (WiFi)',
    identifier: 'iPad7,11',
    releases: IPADOS_18_LAST,
    capacities: [29.79, 119.21],
    serial: legacySerial('DMP', 'DMQ', 'F9F'),
    weight: 2,
  }),
  ipad({
    name: 'iPad 8 (WiFi)',
    identifier: 'iPad11,6',
    releases: IPADOS_CURRENT,
    capacities: [29.79, 119.21],
    serial: legacySerial('DMP', 'GG7', 'F9F'),
    chip: '8020',
    weight: 3,
  }),
  ipad({
    name: 'iPad 9 (WiFi)',
    identifier: 'iPad12,1',
    releases: IPADOS_CURRENT,
    capacities: [59.59, 238.42],
    serial: randomSerial,
    chip: '8030',
    weight: 5,
  }),
  ipad({
    name: 'iPad 10 (WiFi)',
    identifier: 'iPad13,18',
    releases: IPADOS_CURRENT,
    capacities: [59.59, 238.42],
    serial: randomSerial,
    chip: '8101',
    weight: 4,
  }),
  ipad({
    name: 'iPad 11 (WiFi)',
    identifier: 'iPad15,7',
    releases: IPADOS_CURRENT,
    capacities: [119.21],
    serial: randomSerial,
    chip: '8110',
    weight: 1,
  }),
  ipad({
    name: 'iPad Air 5 (WiFi)',
    identifier: 'iPad13,16',
    releases: IPADOS_CURRENT,
    capacities: [59.59],
    serial: randomSerial,
    chip: '8103',
    weight: 1,
  }),
  {
    name: 'MacBook Air (M1, 2020)',
    identifier: 'MacBookAir10,1',
    type: 'MacBook Air',
    class: 'mac',
    osPrefix: 'macOS',
    releases: [
      { version: '15.7.1', weight: 3 },
      { version: '26.1.0', weight: 2 },
      { version: '14.8.1', weight: 1 },
    ],
    capacities: [233.47],
    serial: legacySerial('FVF', 'C02', 'FVH'),
    chip: '8103',
    battery: true,
    weight: 0.4,
  },
  {
    name: 'MacBook Air (M2, 2022)',
    identifier: 'Mac14,2',
    type: 'MacBook Air',
    class: 'mac',
    osPrefix: 'macOS',
    releases: [
      { version: '26.1.0', weight: 3 },
      { version: '15.7.1', weight: 2 },
    ],
    capacities: [233.47, 465.63],
    serial: randomSerial,
    chip: '8112',
    battery: true,
    weight: 0.3,
  },
  {
    name: 'iMac (24-inch, M1, 2021)',
    identifier: 'iMac21,1',
    type: 'iMac',
    class: 'mac',
    osPrefix: 'macOS',
    releases: [{ version: '15.7.1', weight: 1 }],
    capacities: [233.47],
    serial: randomSerial,
    chip: '8103',
    battery: false,
    ethernet: true,
    weight: 0.2,
  },
  {
    name: 'Apple TV 4K (3rd generation)',
    identifier: 'AppleTV14,1',
    type: 'AppleTV',
    class: 'appletv',
    osPrefix: 'tvOS',
    releases: [
      { version: '26.1.0', weight: 2 },
      { version: '18.6.0', weight: 1 },
    ],
    capacities: [59.59],
    serial: randomSerial,
    chip: '8110',
    battery: false,
    ethernet: true,
    weight: 0.2,
  },
];

export const FIRST_NAMES = [
  'Ava',
  'Liam',
  'Mia',
  'Noah',
  'Sofia',
  'Mateo',
  'Amara',
  'Ethan',
  'Zoe',
  'Lucas',
  'Priya',
  'Caleb',
  'Hana',
  'Diego',
  'Leah',
  'Omar',
  'Grace',
  'Kai',
  'Nora',
  'Elijah',
];
export const LAST_NAMES = [
  'Garcia',
  'Nguyen',
  'Smith',
  'Johnson',
  'Patel',
  'Kim',
  'Martinez',
  'Brown',
  'Lopez',
  'Williams',
  'Okafor',
  'Chen',
  'Davis',
  'Rossi',
  'Haddad',
  'Walker',
  'Silva',
  'Murphy',
  'Cohen',
  'Tanaka',
];

export interface DeviceGroup {
  id: number;
  name: string;
}

export const ALL_IPADS: DeviceGroup = { id: 1001, name: 'All iPads' };
export const IPAD_GROUPS: DeviceGroup[] = [
  { id: 1011, name: 'Grade 3 iPads' },
  { id: 1012, name: 'Grade 4 iPads' },
  { id: 1013, name: 'Grade 5 iPads' },
  { id: 1021, name: 'Cart A' },
  { id: 1022, name: 'Cart B' },
  { id: 1031, name: 'Testing Mode' },
];
export const STAFF_MACS: DeviceGroup = { id: 2001, name: 'Staff Macs' };
export const APPLE_TVS: DeviceGroup = { id: 3001, name: 'Classroom Apple TVs' };

export const DEP_PROFILES: Record<DeviceClass, string> = {
  ipad: 'Student iPad',
  iphone: 'Staff iPhone',
  mac: 'Staff Mac',
  appletv: 'Classroom Apple TV',
};

const app = (name: string, identifier: string, version: string, vendor: string): FakeJamfSchoolApp => ({
  name,
  identifier,
  version,
  vendor,
  icon: `https://is1-ssl.mzstatic.com/image/thumb/${identifier}/60x60bb.png`,
});

/** App sets shared by many devices (a patch replaces a device's `apps` as a whole). */
export const APP_SETS: Record<'student' | 'staff', FakeJamfSchoolApp[]> = {
  student: [
    app('Keynote', 'com.apple.Keynote', '14.4', 'Apple'),
    app('Pages', 'com.apple.Pages', '14.4', 'Apple'),
    app('Seesaw', 'com.seesaw.classroom', '9.12.0', 'Seesaw Learning, Inc.'),
    app('Google Chrome', 'com.google.chrome.ios', '141.0.7390.96', 'Google LLC'),
  ],
  staff: [
    app('Keynote', 'com.apple.Keynote', '14.4', 'Apple'),
    app('Jamf Teacher', 'com.jamf.teacher', '5.4.0', 'Jamf'),
    app('Google Chrome', 'com.google.chrome.ios', '141.0.7390.96', 'Google LLC'),
  ],
};

export const NOTES = ['Cracked screen, repaired', 'Loaner', 'New case', 'Battery replaced', 'Spare'];

/** Serial values that show up when a record has no real serial. */
export const JUNK_SERIALS = [
  '',
  'Unknown',
  '0',
  '000000000000',
  'N/A',
  'XXXXXXXXXXXX',
  'Not Available',
  'To be filled by O.E.M.',
];
