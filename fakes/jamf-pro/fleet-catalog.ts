/**
 * The stock a generated fleet is made from: Mac and iPad models as a K-12 district holds them, the OS
 * releases they run (as of late 2026), the district's buildings, and people's names.
 */

export interface OsRelease {
  version: string;
  build: string;
  weight: number;
}

export interface MacModel {
  name: string;
  identifier: string;
  /** Year of release; devices were bought that summer. */
  year: number;
  appleSilicon: boolean;
  processor: string;
  cores: number;
  ramMb: number;
  diskMb: number;
  laptop: boolean;
  /**
   * The last four characters of a 12-character serial, which name the model; empty for models from 2021 on,
   * which Apple gave 10-character random serials.
   */
  serialSuffix: string;
  /** Newest macOS major version the model runs. */
  maxMajor: number;
  weight: number;
}

export interface IpadModel {
  name: string;
  identifier: string;
  modelNumber: string;
  year: number;
  capacityMb: number;
  /** As for Macs: empty where the serial is 10 random characters. */
  serialSuffix: string;
  /** Board name the device reports as its software-update ID. */
  board: string;
  /** New-style UDIDs (`00008101-…`) came with the A12 chip and later; older iPads have 40 hex digits. */
  newUdid: boolean;
  maxMajor: number;
  weight: number;
}

export const MAC_MODELS: MacModel[] = [
  {
    name: 'MacBook Air (M1, 2020)',
    identifier: 'MacBookAir10,1',
    year: 2020,
    appleSilicon: true,
    processor: 'Apple M1',
    cores: 8,
    ramMb: 8192,
    diskMb: 251000,
    laptop: true,
    serialSuffix: 'Q6L4',
    maxMajor: 26,
    weight: 6,
  },
  {
    name: 'MacBook Air (13-inch, M2, 2022)',
    identifier: 'Mac14,2',
    year: 2022,
    appleSilicon: true,
    processor: 'Apple M2',
    cores: 8,
    ramMb: 8192,
    diskMb: 251000,
    laptop: true,
    serialSuffix: '',
    maxMajor: 26,
    weight: 5,
  },
  {
    name: 'MacBook Air (13-inch, M3, 2024)',
    identifier: 'Mac15,12',
    year: 2024,
    appleSilicon: true,
    processor: 'Apple M3',
    cores: 8,
    ramMb: 16384,
    diskMb: 251000,
    laptop: true,
    serialSuffix: '',
    maxMajor: 26,
    weight: 3,
  },
  {
    name: 'MacBook Pro (14-inch, M4, 2024)',
    identifier: 'Mac16,1',
    year: 2024,
    appleSilicon: true,
    processor: 'Apple M4',
    cores: 10,
    ramMb: 16384,
    diskMb: 512000,
    laptop: true,
    serialSuffix: '',
    maxMajor: 26,
    weight: 1,
  },
  {
    name: 'MacBook Air (Retina, 13-inch, 2020)',
    identifier: 'MacBookAir9,1',
    year: 2020,
    appleSilicon: false,
    processor: 'Quad-Core Intel Core i5',
    cores: 4,
    ramMb: 8192,
    diskMb: 251000,
    laptop: true,
    serialSuffix: 'MNHP',
    maxMajor: 15,
    weight: 2,
  },
  {
    name: 'MacBook Pro (13-inch, 2019, Two Thunderbolt 3 ports)',
    identifier: 'MacBookPro15,4',
    year: 2019,
    appleSilicon: false,
    processor: 'Quad-Core Intel Core i5',
    cores: 4,
    ramMb: 8192,
    diskMb: 121000,
    laptop: true,
    serialSuffix: 'LVDL',
    maxMajor: 15,
    weight: 1,
  },
  {
    name: 'iMac (24-inch, M1, 2021)',
    identifier: 'iMac21,1',
    year: 2021,
    appleSilicon: true,
    processor: 'Apple M1',
    cores: 8,
    ramMb: 8192,
    diskMb: 251000,
    laptop: false,
    serialSuffix: '',
    maxMajor: 26,
    weight: 2,
  },
  {
    name: 'Mac mini (2023)',
    identifier: 'Mac14,3',
    year: 2023,
    appleSilicon: true,
    processor: 'Apple M2',
    cores: 8,
    ramMb: 8192,
    diskMb: 251000,
    laptop: false,
    serialSuffix: '',
    maxMajor: 26,
    weight: 1,
  },
];

export const IPAD_MODELS: IpadModel[] = [
  {
    name: 'iPad (7th generation)',
    identifier: 'iPad7,11',
    modelNumber: 'MW742LL/A',
    year: 2019,
    capacityMb: 30517,
    serialSuffix: 'MDFY',
    board: 'J171AP',
    newUdid: false,
    maxMajor: 18,
    weight: 2,
  },
  {
    name: 'iPad (8th generation)',
    identifier: 'iPad11,6',
    modelNumber: 'MYL92LL/A',
    year: 2020,
    capacityMb: 30517,
    serialSuffix: 'Q1GC',
    board: 'J171aAP',
    newUdid: true,
    maxMajor: 26,
    weight: 4,
  },
  {
    name: 'iPad (9th generation)',
    identifier: 'iPad12,1',
    modelNumber: 'MK2K3LL/A',
    year: 2021,
    capacityMb: 61035,
    serialSuffix: '',
    board: 'J181AP',
    newUdid: true,
    maxMajor: 26,
    weight: 8,
  },
  {
    name: 'iPad (10th generation)',
    identifier: 'iPad13,18',
    modelNumber: 'MPQ03LL/A',
    year: 2022,
    capacityMb: 61035,
    serialSuffix: '',
    board: 'J271AP',
    newUdid: true,
    maxMajor: 26,
    weight: 5,
  },
  {
    name: 'iPad (A16)',
    identifier: 'iPad15,7',
    modelNumber: 'MD3Y4LL/A',
    year: 2025,
    capacityMb: 122070,
    serialSuffix: '',
    board: 'J481AP',
    newUdid: true,
    maxMajor: 26,
    weight: 2,
  },
  {
    name: 'iPad Air (5th generation)',
    identifier: 'iPad13,16',
    modelNumber: 'MM9C3LL/A',
    year: 2022,
    capacityMb: 61035,
    serialSuffix: '',
    board: 'J407AP',
    newUdid: true,
    maxMajor: 26,
    weight: 1,
  },
];

/** Releases per major version, newest first; a device runs one its model supports. */
export const MACOS_RELEASES: Record<number, OsRelease[]> = {
  26: [
    { version: '26.1', build: '25B78', weight: 6 },
    { version: '26.0.1', build: '25A362', weight: 2 },
  ],
  15: [
    { version: '15.7.2', build: '24G325', weight: 4 },
    { version: '15.6.1', build: '24G90', weight: 1 },
  ],
  14: [{ version: '14.8.2', build: '23J126', weight: 1 }],
};

export const IPADOS_RELEASES: Record<number, OsRelease[]> = {
  26: [
    { version: '26.1', build: '23B85', weight: 6 },
    { version: '26.0.1', build: '23A355', weight: 2 },
  ],
  18: [
    { version: '18.7.2', build: '22H124', weight: 3 },
    { version: '18.6.2', build: '22G100', weight: 1 },
  ],
  17: [{ version: '17.7.10', build: '21H450', weight: 1 }],
};

export interface Building {
  id: string;
  name: string;
  /** Prefix of device names and asset tags. */
  code: string;
  /** Whether students use devices there (else staff only). */
  students: boolean;
}

export const BUILDINGS: Building[] = [
  { id: '1', name: 'Lincoln Elementary School', code: 'LES', students: true },
  { id: '2', name: 'Roosevelt Elementary School', code: 'RES', students: true },
  { id: '3', name: 'Washington Middle School', code: 'WMS', students: true },
  { id: '4', name: 'Jefferson High School', code: 'JHS', students: true },
  { id: '5', name: 'District Office', code: 'DO', students: false },
];

export const DEPARTMENTS = [
  { id: '1', name: 'Kindergarten' },
  { id: '2', name: 'Grade 3' },
  { id: '3', name: 'Grade 7' },
  { id: '4', name: 'Science' },
  { id: '5', name: 'Mathematics' },
  { id: '6', name: 'Technology' },
  { id: '7', name: 'Library' },
];

export const STAFF_POSITIONS = [
  'Teacher',
  'Teacher',
  'Teacher',
  'Principal',
  'Counselor',
  'Librarian',
  'Technician',
];

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Mateo',
  'Sophia',
  'Elijah',
  'Isabella',
  'Lucas',
  'Mia',
  'Amir',
  'Harper',
  'Kai',
  'Zoe',
  'Diego',
];

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Garcia',
  'Nguyen',
  'Brown',
  'Martinez',
  'Davis',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Patel',
  'Kim',
  'Robinson',
  'Clark',
  'Young',
];

/** Serial values MDMs hold when a board was replaced or the value never came in. */
export const JUNK_SERIALS = [
  'Not Available',
  'Unknown',
  '0',
  'SystemSerialNumb',
  'To be filled by O.E.M.',
  'N/A',
  'None',
];
