/**
 * Deterministic generator of a district's Jamf Pro fleet: Macs (computers) and iPads (mobile devices).
 * The same options and seed always give the same records. Besides regular devices it can add the
 * awkward ones a client meets in the field: serials stored in another case or with spaces, re-enrolled
 * duplicates, junk serials, iPads in lost mode.
 */
import { Random } from '../shared/random.ts';
import { IPAD_MODELS, JUNK_SERIALS, MAC_MODELS } from './fleet-catalog.ts';
import {
  ipadSerial,
  iso,
  lostMode,
  macSerial,
  makeComputer,
  makeMobileDevice,
  type RecordContext,
} from './fleet-records.ts';
import type { FakeComputer, FakeMobileDevice } from './types.ts';

export const DEFAULT_FLEET_NOW = '2026-11-20T12:00:00.000Z';
const DAY = 86_400_000;

export interface FleetOptions {
  /** Regular devices, Macs and iPads together, including one per entry of `serials`. */
  size: number;
  seed?: number | string;
  /** Share of regular devices that are iPads (default 0.6: districts hand iPads to the younger grades). */
  ipadShare?: number;
  /** Serials that must exist (e.g. a district's inventory); each is a Mac or an iPad in the same proportion. */
  serials?: string[];
  /** Extra devices with junk serials ("Not Available", "0", …), added on top of `size`. */
  junk?: number;
  /** For each serial, an extra re-enrolled record: same serial, a new (higher) ID, an older check-in. */
  duplicatesOf?: string[];
  /**
   * Store some `serials` with a case/whitespace variant ("c02xk1jgjg5h", " C02XK1JGJG5H "): true picks about
   * one in ten (at least one), a number picks that many.
   */
  caseVariants?: boolean | number;
  /** iPads in lost mode (default: one in fifty). */
  lostMode?: number;
  /** Domain of user emails (default district.example.org). */
  domain?: string;
  /** "Now" for check-in and enrolment times; default 2026-11-20T12:00:00Z so output is stable. */
  now?: number | string | Date;
}

export interface DeviceRef {
  kind: 'computer' | 'mobileDevice';
  id: string;
}

export interface FleetManifest {
  /** Requested serial → its (newest) record. */
  bySerial: Record<string, DeviceRef>;
  /** Requested serial → the variant actually stored. */
  variants: Record<string, string>;
  /** The older re-enrolled records. */
  duplicates: DeviceRef[];
  junk: DeviceRef[];
  /** mobileDeviceIds of the iPads in lost mode. */
  lostMode: string[];
}

export interface Fleet {
  computers: FakeComputer[];
  mobileDevices: FakeMobileDevice[];
  manifest: FleetManifest;
}

export function generateFleet(options: FleetOptions): Fleet {
  const r = new Random(options.seed ?? 1);
  const now = new Date(options.now ?? DEFAULT_FLEET_NOW).getTime();
  if (!Number.isFinite(now)) throw new Error('generateFleet: invalid `now`');
  const ctx: RecordContext = { r, now, domain: options.domain ?? 'district.example.org' };
  const fleet: Fleet = {
    computers: [],
    mobileDevices: [],
    manifest: { bySerial: {}, variants: {}, duplicates: [], junk: [], lostMode: [] },
  };
  const requested = [...new Set(options.serials ?? [])];
  const used = new Set(requested.map((s) => s.trim().toUpperCase()));
  const variantCount =
    options.caseVariants === true
      ? Math.max(1, Math.floor(requested.length / 10))
      : Math.min(Number(options.caseVariants || 0), requested.length);
  const ipadShare = options.ipadShare ?? 0.6;

  for (let i = 0; i < Math.max(options.size, requested.length); i++) {
    const wanted = requested[i];
    const stored = wanted !== undefined && i < variantCount ? variantOf(wanted, i) : wanted;
    if (wanted !== undefined && stored !== wanted) fleet.manifest.variants[wanted] = stored!;
    const ref = r.chance(ipadShare) ? addIpad(ctx, fleet, stored, used) : addMac(ctx, fleet, stored, used);
    if (wanted !== undefined) fleet.manifest.bySerial[wanted] = ref;
  }
  markLostMode(ctx, fleet, options.lostMode ?? Math.floor(fleet.mobileDevices.length / 50));
  for (const serial of options.duplicatesOf ?? []) addDuplicate(ctx, fleet, serial, used);
  for (let j = 0; j < (options.junk ?? 0); j++) {
    const serial = JUNK_SERIALS[j % JUNK_SERIALS.length]!;
    fleet.manifest.junk.push(
      j % 2 === 0 ? addMac(ctx, fleet, serial, used) : addIpad(ctx, fleet, serial, used),
    );
  }
  return fleet;
}

/** "C02XK1JGJG5H" stored as "c02xk1jgjg5h", " C02XK1JGJG5H " or "c02xk1jgjg5h\t", in turn. */
function variantOf(serial: string, i: number): string {
  const variant = [serial.toLowerCase(), ` ${serial} `, `${serial.toLowerCase()}\t`][i % 3]!;
  return variant === serial ? ` ${serial}` : variant;
}

function addMac(ctx: RecordContext, fleet: Fleet, serial: string | undefined, used: Set<string>): DeviceRef {
  const model = ctx.r.weighted(MAC_MODELS);
  const id = String(fleet.computers.length + 1);
  fleet.computers.push(makeComputer(ctx, id, serial ?? fresh(used, () => macSerial(ctx.r, model)), model));
  return { kind: 'computer', id };
}

function addIpad(ctx: RecordContext, fleet: Fleet, serial: string | undefined, used: Set<string>): DeviceRef {
  const model = ctx.r.weighted(IPAD_MODELS);
  const id = String(fleet.mobileDevices.length + 1);
  fleet.mobileDevices.push(
    makeMobileDevice(ctx, id, serial ?? fresh(used, () => ipadSerial(ctx.r, model)), model),
  );
  return { kind: 'mobileDevice', id };
}

function fresh(used: Set<string>, make: () => string): string {
  let serial: string;
  do serial = make();
  while (used.has(serial));
  used.add(serial);
  return serial;
}

/** Lost mode falls on iPads spread over the fleet, requested ones included: a missing iPad is an inventory one. */
function markLostMode(ctx: RecordContext, fleet: Fleet, count: number): void {
  const devices = fleet.mobileDevices;
  const step = devices.length / Math.max(1, count);
  for (let k = 0; k < Math.min(count, devices.length); k++) {
    const index = Math.min(devices.length - 1, Math.floor(k * step + ctx.r.next() * step));
    if (devices[index]!.security?.lostModeEnabled) continue;
    devices[index] = lostMode(ctx, devices[index]!);
    fleet.manifest.lostMode.push(devices[index]!.mobileDeviceId);
  }
}

/**
 * The record a device left behind before it was enrolled again: same serial and model, a new ID, a check-in
 * months older than the current record's. A serial not in the fleet yet gets a Mac first.
 */
function addDuplicate(ctx: RecordContext, fleet: Fleet, serial: string, used: Set<string>): void {
  const { r } = ctx;
  let ref = fleet.manifest.bySerial[serial];
  if (!ref) {
    ref = addMac(ctx, fleet, serial, used);
    fleet.manifest.bySerial[serial] = ref;
  }
  const ageMs = (30 + r.int(300)) * DAY;
  if (ref.kind === 'computer') {
    const original = fleet.computers[Number(ref.id) - 1]!;
    const model = MAC_MODELS.find((m) => m.name === original.hardware?.model) ?? MAC_MODELS[0]!;
    const id = String(fleet.computers.length + 1);
    const duplicate = makeComputer(ctx, id, original.hardware?.serialNumber ?? serial, model);
    const checkIn = Date.parse(original.general?.lastContactTime ?? iso(ctx.now)) - ageMs;
    duplicate.general = {
      ...duplicate.general,
      name: original.general?.name ?? null,
      assetTag: original.general?.assetTag ?? null,
      lastContactTime: iso(checkIn),
      reportDate: iso(checkIn),
      lastEnrolledDate: iso(checkIn - (10 + r.int(200)) * DAY),
    };
    fleet.computers.push(duplicate);
    fleet.manifest.duplicates.push({ kind: 'computer', id });
    return;
  }
  const original = fleet.mobileDevices[Number(ref.id) - 1]!;
  const model = IPAD_MODELS.find((m) => m.name === original.hardware?.model) ?? IPAD_MODELS[0]!;
  const id = String(fleet.mobileDevices.length + 1);
  const duplicate = makeMobileDevice(ctx, id, original.hardware?.serialNumber ?? serial, model);
  const checkIn = Date.parse(original.general?.lastInventoryUpdateDate ?? iso(ctx.now)) - ageMs;
  duplicate.general = {
    ...duplicate.general,
    displayName: original.general?.displayName ?? null,
    assetTag: original.general?.assetTag ?? null,
    lastInventoryUpdateDate: iso(checkIn),
    lastEnrolledDate: iso(checkIn - (10 + r.int(200)) * DAY),
  };
  fleet.mobileDevices.push(duplicate);
  fleet.manifest.duplicates.push({ kind: 'mobileDevice', id });
}
