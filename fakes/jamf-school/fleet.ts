/**
 * Deterministic generator of realistic Jamf School fleets: mostly iPads (1:1 student devices and carts), a
 * few staff Macs and classroom Apple TVs. The same options and seed always give the same devices.
 */
import { Random } from '../shared/random.ts';
import { JUNK_SERIALS, MODELS } from './catalog.ts';
import { DeviceMaker, normalSerial } from './device-maker.ts';
import type { FakeJamfSchoolDevice } from './types.ts';

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
