/**
 * Deterministic generator of realistic Jamf School fleets: mostly iPads (1:1 student devices and carts), a
 * few staff Macs and classroom Apple TVs. The same options and seed always give the same devices.
 */
import { Random, shuffle as shuffleWith } from '../google/fleet.ts';
import {
  ALL_IPADS,
  APP_SETS,
  APPLE_TVS,
  DEP_PROFILES,
  FIRST_NAMES,
  IPAD_GROUPS,
  JUNK_SERIALS,
  LAST_NAMES,
  MODELS,
  type Model,
  NOTES,
  STAFF_MACS,
} from './catalog.ts';
import { formatJamfTime } from './time.ts';
import type { EnrollType, FakeJamfSchoolDevice, FakeJamfSchoolOwner } from './types.ts';

export interface FleetOptions {
  /** Regular devices, including one per entry of `serials`. */
  size: number;
  seed?: number | string;
  /** Serials that must exist (e.g. overlapping a district's inventory), not in the trash. */
  serials?: string[];
  /** Extra devices with junk serials ("", "Unknown", "000000000000", …), added on top of `size`. */
  junk?: number;
  /** How many regular devices are in the trash (preferably not the `serials` ones). */
  trashed?: number;
  /** For each serial, an extra re-enrolled record: same serial, new UDID, older `lastCheckin`. */
  duplicatesOf?: string[];
  /** Put those older records in the trash (default false: both records are live, the hard case). */
  duplicatesInTrash?: boolean;
  /**
   * Store some `serials` in another case or with spaces ("dmpxk3q9kxyz", " DMPXK3Q9KXYZ "): true picks about
   * one in ten (at least one), a number picks that many.
   */
  caseVariants?: boolean | number;
  /** Domain of user emails. */
  domain?: string;
  /** School locations (IDs 1…n). Default 3. */
  locations?: number;
  /** "Now" for check-in times; default 2026-11-20T12:00:00Z so output is stable. */
  now?: number | string | Date;
  /** Zone the "YYYY-MM-DD HH:MM:SS" times are written in (default UTC). */
  timeZone?: string;
}

export interface FleetManifest {
  /** Requested serial → UDID of its (newest) device. */
  bySerial: Record<string, string>;
  junkUdids: string[];
  trashedUdids: string[];
  /** UDIDs of the older re-enrolled records. */
  duplicateUdids: string[];
  /** Requested serial → the variant actually stored. */
  variants: Record<string, string>;
}

export const DEFAULT_FLEET_NOW = '2026-11-20T12:00:00.000Z';
export const DEFAULT_DOMAIN = 'district.example.org';

const HEX = '0123456789abcdef';

function normalSerial(serial: string): string {
  return serial.trim().toUpperCase();
}
const DAY = 86_400_000;

export function generateFleet(options: FleetOptions): FakeJamfSchoolDevice[] {
  return generateFleetDetailed(options).devices;
}

export function generateFleetDetailed(options: FleetOptions): {
  devices: FakeJamfSchoolDevice[];
  manifest: FleetManifest;
} {
  const now = new Date(options.now ?? DEFAULT_FLEET_NOW).getTime();
  if (!Number.isFinite(now)) throw new Error('generateFleet: invalid `now`');
  const maker = new DeviceMaker(new Random(options.seed ?? 1), {
    now,
    domain: options.domain ?? DEFAULT_DOMAIN,
    locations: Math.max(1, options.locations ?? 3),
    timeZone: options.timeZone ?? 'UTC',
  });
  const requested = [...new Set(options.serials ?? [])];
  maker.reserve(requested);
  const manifest: FleetManifest = {
    bySerial: {},
    junkUdids: [],
    trashedUdids: [],
    duplicateUdids: [],
    variants: {},
  };
  const regular = makeRegular(maker, requested, Math.max(options.size, requested.length), options, manifest);
  putInTrash(maker, regular, new Set(requested.map(normalSerial)), options.trashed ?? 0, manifest);
  const extra = [
    ...makeDuplicates(maker, regular, options, manifest),
    ...makeJunk(maker, options.junk ?? 0, manifest),
  ];
  const devices = regular.concat(extra);
  maker.shuffle(devices);
  return { devices, manifest };
}

function makeRegular(
  maker: DeviceMaker,
  requested: string[],
  size: number,
  options: FleetOptions,
  manifest: FleetManifest,
): FakeJamfSchoolDevice[] {
  const variantCount =
    options.caseVariants === true
      ? Math.max(1, Math.floor(requested.length / 10))
      : typeof options.caseVariants === 'number'
        ? Math.min(options.caseVariants, requested.length)
        : 0;
  const devices: FakeJamfSchoolDevice[] = [];
  for (let i = 0; i < size; i++) {
    const wanted = requested[i];
    let stored = wanted;
    if (wanted !== undefined && i < variantCount) {
      stored = variantOf(wanted, i);
      manifest.variants[wanted] = stored;
    }
    const device = maker.device(maker.model(), stored);
    if (wanted !== undefined) manifest.bySerial[wanted] = device.UDID;
    devices.push(device);
  }
  return devices;
}

/** Another spelling of a serial: lower case, padded with spaces, or both with a tab. */
function variantOf(serial: string, i: number): string {
  const kind = i % 3;
  const variant =
    kind === 0 ? serial.toLowerCase() : kind === 1 ? ` ${serial} ` : `${serial.toLowerCase()}\t`;
  return variant === serial ? ` ${serial}` : variant;
}

function putInTrash(
  maker: DeviceMaker,
  devices: FakeJamfSchoolDevice[],
  requested: Set<string>,
  count: number,
  manifest: FleetManifest,
): void {
  // Devices that were not asked for go first, so that requested serials stay live.
  const order = devices.map((_, i) => i);
  maker.shuffle(order);
  const isRequested = (i: number) => Number(requested.has(normalSerial(devices[i]!.serialNumber)));
  order.sort((a, b) => isRequested(a) - isRequested(b));
  for (const index of order.slice(0, count)) {
    const device = devices[index]!;
    device.inTrash = true;
    device.isManaged = false;
    manifest.trashedUdids.push(device.UDID);
  }
}

function makeDuplicates(
  maker: DeviceMaker,
  regular: FakeJamfSchoolDevice[],
  options: FleetOptions,
  manifest: FleetManifest,
): FakeJamfSchoolDevice[] {
  const extra: FakeJamfSchoolDevice[] = [];
  for (const serial of options.duplicatesOf ?? []) {
    let original = regular.find((d) => normalSerial(d.serialNumber) === normalSerial(serial));
    if (!original) {
      original = maker.device(maker.model(), serial);
      manifest.bySerial[serial] = original.UDID;
      extra.push(original);
    }
    const model = MODELS.find((m) => m.identifier === original.model.identifier) ?? MODELS[0]!;
    const duplicate = maker.reenrolledTwin(original, model);
    if (options.duplicatesInTrash) duplicate.inTrash = true;
    manifest.duplicateUdids.push(duplicate.UDID);
    extra.push(duplicate);
  }
  return extra;
}

function makeJunk(maker: DeviceMaker, count: number, manifest: FleetManifest): FakeJamfSchoolDevice[] {
  const junk: FakeJamfSchoolDevice[] = [];
  for (let j = 0; j < count; j++) {
    const device = maker.device(MODELS[0]!, JUNK_SERIALS[j % JUNK_SERIALS.length]!);
    manifest.junkUdids.push(device.UDID);
    junk.push(device);
  }
  return junk;
}

interface MakerSettings {
  now: number;
  domain: string;
  locations: number;
  timeZone: string;
}

/** Makes one device at a time from a shared random stream. */
class DeviceMaker {
  private readonly r: Random;
  private readonly settings: MakerSettings;
  private readonly used = new Set<string>();
  private nextUserId = 1000;
  private nextAsset = 1000;

  constructor(r: Random, settings: MakerSettings) {
    this.r = r;
    this.settings = settings;
  }

  /** Keeps generated serials clear of the requested ones. */
  reserve(serials: string[]): void {
    for (const s of serials) this.used.add(normalSerial(s));
  }

  model(): Model {
    return this.r.weighted(MODELS);
  }

  shuffle<T>(items: T[]): void {
    shuffleWith(items, this.r);
  }

  device(model: Model, serial?: string): FakeJamfSchoolDevice {
    const r = this.r;
    const locationId = 1 + r.int(this.settings.locations);
    const enrollType = this.enrollType(model);
    const pending = enrollType.endsWith('Pending');
    const lastCheckin = this.settings.now - this.checkinAge();
    const owner = this.owner(model, locationId);
    const capacity = r.pick(model.capacities);
    const assetNumber = this.nextAsset++;
    const device: FakeJamfSchoolDevice = {
      UDID: this.udid(model),
      locationId,
      serialNumber: serial ?? this.serial(model),
      assetTag: r.chance(0.85) ? `${model.class.toUpperCase()}-${String(assetNumber).padStart(6, '0')}` : '',
      inTrash: false,
      class: model.class,
      model: { name: model.name, identifier: model.identifier, type: model.type },
      os: { prefix: model.osPrefix, version: r.weighted(model.releases).version },
      name: this.deviceName(model, owner, assetNumber),
      owner,
      isManaged: !pending,
      isSupervised: enrollType === 'dep' || enrollType === 'ac2',
      enrollType,
      depProfile: enrollType.startsWith('dep') ? DEP_PROFILES[model.class] : '',
      ...this.groups(model),
      batteryLevel: model.battery ? Math.round((0.05 + r.next() * 0.95) * 1000) / 1000 : 0,
      totalCapacity: capacity,
      availableCapacity: Math.round(capacity * (0.1 + r.next() * 0.7) * 100) / 100,
      iCloudBackupEnabled: false,
      iCloudBackupLatest: '',
      iTunesStoreLoggedIn: model.class === 'mac' && r.chance(0.3),
      region: { string: '', coordinates: '' },
      notes: r.chance(0.08) ? r.pick(NOTES) : '',
      lastCheckin: this.time(lastCheckin),
      modified: this.time(lastCheckin + r.int(3_600_000)),
      networkInformation: this.network(model),
    };
    if (model.class === 'mac') device.isBootstrapStored = enrollType === 'dep';
    if (model.class !== 'appletv')
      device.apps = owner.id && model.class === 'mac' ? APP_SETS.staff : APP_SETS.student;
    return device;
  }

  /** The older record of a re-enrolled device: same serial and owner, new UDID, last seen months before. */
  reenrolledTwin(original: FakeJamfSchoolDevice, model: Model): FakeJamfSchoolDevice {
    const twin = this.device(model, original.serialNumber);
    const older = Date.parse(`${original.lastCheckin.replace(' ', 'T')}Z`) - (30 + this.r.int(300)) * DAY;
    twin.lastCheckin = this.time(older);
    twin.modified = twin.lastCheckin;
    twin.assetTag = original.assetTag;
    twin.owner = original.owner;
    twin.locationId = original.locationId;
    return twin;
  }

  private time(ms: number): string {
    return formatJamfTime(ms, this.settings.timeZone);
  }

  private serial(model: Model): string {
    let serial: string;
    do serial = model.serial(this.r);
    while (this.used.has(serial));
    this.used.add(serial);
    return serial;
  }

  private udid(model: Model): string {
    const r = this.r;
    if (!model.chip) return r.chars(HEX, 40);
    return `0000${model.chip}-00${r.chars('0123456789ABCDEF', 14)}`;
  }

  private enrollType(model: Model): EnrollType {
    const roll = this.r.next();
    if (model.class === 'mac') return roll < 0.85 ? 'dep' : 'manual';
    if (roll < 0.8) return 'dep';
    if (roll < 0.95) return 'ac2';
    if (roll < 0.97) return 'depPending';
    if (roll < 0.98) return 'ac2Pending';
    return 'manual';
  }

  /** Most devices checked in this week, some weeks ago, a few long ago. */
  private checkinAge(): number {
    const r = this.r;
    const roll = r.next();
    if (roll < 0.72) return r.int(7 * DAY);
    if (roll < 0.92) return 7 * DAY + r.int(83 * DAY);
    return 90 * DAY + r.int(640 * DAY);
  }

  /** 1:1 student iPads, cart iPads without an owner, staff Macs, classroom Apple TVs. */
  private owner(model: Model, locationId: number): FakeJamfSchoolOwner {
    const r = this.r;
    const role =
      model.class === 'mac'
        ? 'staff'
        : model.class === 'appletv'
          ? 'none'
          : r.next() < 0.7
            ? 'student'
            : r.chance(0.8)
              ? 'none'
              : 'staff';
    if (role === 'none') return { id: 0, locationId, name: '', vpp: [] };
    const firstName = r.pick(FIRST_NAMES);
    const lastName = r.pick(LAST_NAMES);
    const username =
      role === 'student'
        ? `s${100000 + r.int(900000)}`
        : `${firstName[0]!.toLowerCase()}${lastName.toLowerCase()}${r.int(100)}`;
    return {
      id: this.nextUserId++,
      locationId,
      name: `${firstName} ${lastName}`,
      username,
      email: `${username}@${this.settings.domain}`,
      firstName,
      lastName,
      notes: '',
      modified: this.time(this.settings.now - (30 + r.int(400)) * DAY),
      vpp: [],
    };
  }

  private deviceName(model: Model, owner: FakeJamfSchoolOwner, assetNumber: number): string {
    if (model.class === 'appletv') return `Room ${100 + (assetNumber % 300)} Apple TV`;
    if (owner.id) return `${owner.firstName} ${owner.lastName?.[0]}. ${model.type}`;
    return `Cart ${'ABCDEF'[assetNumber % 6]} - ${String(1 + (assetNumber % 30)).padStart(2, '0')}`;
  }

  private groups(model: Model): { groups: string[]; groupIds: number[] } {
    const list =
      model.class === 'mac'
        ? [STAFF_MACS]
        : model.class === 'appletv'
          ? [APPLE_TVS]
          : [ALL_IPADS, this.r.pick(IPAD_GROUPS)];
    return { groups: list.map((g) => g.name), groupIds: list.map((g) => g.id) };
  }

  private network(model: Model): FakeJamfSchoolDevice['networkInformation'] {
    const r = this.r;
    const octets = Array.from({ length: 6 }, () => r.chars(HEX, 2));
    const wifi = octets.join(':');
    const last = ((Number.parseInt(octets[5]!, 16) + 1) % 256).toString(16).padStart(2, '0');
    const network: FakeJamfSchoolDevice['networkInformation'] = {
      IPAddress: `10.${r.int(64)}.${r.int(256)}.${1 + r.int(254)}`,
      isNetworkTethered: '0',
      BluetoothMAC: [...octets.slice(0, 5), last].join(':'),
      WiFiMAC: wifi,
      VoiceRoamingEnabled: '0',
      DataRoamingEnabled: '0',
      PersonalHotspotEnabled: '0',
    };
    if (model.ethernet) network.EthernetMACs = Array.from({ length: 6 }, () => r.chars(HEX, 2)).join(':');
    return network;
  }
}
