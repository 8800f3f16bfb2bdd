/**
 * Makes one realistic device at a time for the fleet generator, from a shared random stream: its model,
 * serial and UDID, owner, enrolment, groups, storage, network and check-in times.
 */
import { type Random, shuffle as shuffleWith } from '../shared/random.ts';
import {
  ALL_IPADS,
  APP_SETS,
  APPLE_TVS,
  DEP_PROFILES,
  FIRST_NAMES,
  IPAD_GROUPS,
  LAST_NAMES,
  MODELS,
  type Model,
  NOTES,
  STAFF_MACS,
} from './catalog.ts';
import { formatJamfTime } from './time.ts';
import type { EnrollType, FakeJamfSchoolDevice, FakeJamfSchoolOwner } from './types.ts';

const HEX = '0123456789abcdef';
const DAY = 86_400_000;

/** The form two spellings of one serial share: trimmed, upper case. */
export function normalSerial(serial: string): string {
  return serial.trim().toUpperCase();
}

export interface MakerSettings {
  now: number;
  domain: string;
  locations: number;
  timeZone: string;
}

export class DeviceMaker {
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
