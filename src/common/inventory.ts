import { z } from 'zod';
import { CONFLICT_KINDS } from './conflicts.ts';
import { MDM_SOURCE_CONDITIONS } from './mdm-source.ts';
import { PROVIDER_KEYS } from './provider-keys.ts';
import { gradeNumber } from './school-year.ts';

export const DEVICE_STATUSES = [
  'in_service',
  'spare',
  'in_repair',
  'lost',
  'stolen',
  'retired',
  'disposed',
] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];
/** Statuses that end a device's time with a person: it is checked in when it moves to one of these. */
export const OUT_OF_USE_STATUSES: readonly DeviceStatus[] = ['lost', 'stolen', 'retired', 'disposed'];

export const DEVICE_TYPES = ['chromebook', 'laptop', 'tablet', 'desktop', 'hotspot', 'other'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const PERSON_KINDS = ['student', 'staff'] as const;

export const STATUS_LABELS: Record<DeviceStatus, string> = {
  in_service: 'In service',
  spare: 'Spare',
  in_repair: 'In repair',
  lost: 'Lost',
  stolen: 'Stolen',
  retired: 'Retired',
  disposed: 'Disposed',
};

/**
 * How a serial is matched everywhere (imports, MDM sync): NFKC-normalized (full-width letters become plain
 * ones), whitespace and invisible format characters (zero-width spaces and joiners, BOMs) removed, upper-cased,
 * so two serials that look the same are the same device.
 */
export function serialKey(serialNumber: string): string {
  return serialNumber
    .normalize('NFKC')
    .replace(/[\s\p{Cf}]+/gu, '')
    .toUpperCase();
}

const text = (max: number) => z.string().trim().max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? null : value))
    .nullable()
    .optional();
const isoDate = z.iso.date().nullable().optional();

/** The providers that can attach data to devices (this module cannot import mdm.ts, which imports it). */
export const MDM_PROVIDER_KEYS = PROVIDER_KEYS;
/**
 * `matched`: the provider knows the device; `not_found`: it did not return it on its last complete pass; `none`:
 * no record at all; `unmatched`: no provider (or not the one asked about) knows it (not found, or no record).
 */
export const MDM_MATCH_FILTERS = ['matched', 'not_found', 'none', 'unmatched'] as const;
export type MdmMatchFilter = (typeof MDM_MATCH_FILTERS)[number];

/** Conflicts between the inventory and the MDM the device list can filter on (src/common/conflicts.ts). */
export const MDM_CONFLICT_FILTERS = ['any', ...CONFLICT_KINDS] as const;
export type MdmConflictFilter = (typeof MDM_CONFLICT_FILTERS)[number];

const day = (name: string) => z.iso.date({ error: `${name} must be a date (YYYY-MM-DD)` });
const trueFlag = (name: string) => z.literal('true', { error: `${name} can only be true` });
/** Provider statuses are the provider's own words (ACTIVE, DISABLED, PRE_PROVISIONED…), so only their shape is checked. */
const MdmStatus = z
  .string()
  .trim()
  .regex(/^[A-Za-z][A-Za-z0-9_ -]{0,39}$/, 'mdmStatus must be a status word such as ACTIVE or DISABLED');
/** -1 (pre-K), 0 (K) or 1–12; also a grade label such as K, PK or 09. */
const Grade = z
  .string()
  .trim()
  .transform((value, context) => {
    const number = /^-?\d{1,2}$/.test(value) ? Number(value) : gradeNumber(value);
    if (number === null || number < -1 || number > 12) {
      context.issues.push({
        code: 'custom',
        input: value,
        message: 'grade must be -1 (pre-K), 0 (K) or 1 to 12',
      });
      return z.NEVER;
    }
    return number;
  });

// Schools
export const School = z.object({
  id: z.uuid(),
  name: z.string(),
  code: z.string().nullable(),
  deviceCount: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type School = z.infer<typeof School>;
export const SchoolList = z.object({ schools: z.array(School) });
export const CreateSchoolRequest = z.strictObject({ name: text(200).min(1), code: optionalText(50) });
export const UpdateSchoolRequest = z.strictObject({
  name: text(200).min(1).optional(),
  code: optionalText(50),
});

// People
export const PersonSummary = z.object({
  id: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  externalId: z.string().nullable(),
  kind: z.enum(PERSON_KINDS),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

export const Person = PersonSummary.extend({
  grade: z.string().nullable(),
  school: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  active: z.boolean(),
  deviceCount: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Person = z.infer<typeof Person>;

export const PersonQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  kind: z.enum(PERSON_KINDS).optional(),
  school: z.uuid().optional(),
  active: z.enum(['true', 'false']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export const PersonList = z.object({
  people: z.array(Person),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type PersonList = z.infer<typeof PersonList>;

export const CreatePersonRequest = z.strictObject({
  kind: z.enum(PERSON_KINDS),
  name: text(200).min(1),
  email: z
    .email()
    .max(254)
    .transform((value) => value.toLowerCase())
    .nullable()
    .optional(),
  externalId: optionalText(100),
  grade: optionalText(20),
  schoolId: z.uuid().nullable().optional(),
  active: z.boolean().optional(),
});
export const UpdatePersonRequest = CreatePersonRequest.partial();

export const PersonDetail = Person.extend({
  assignments: z.array(
    z.object({
      id: z.uuid(),
      device: z.object({
        id: z.uuid(),
        serialNumber: z.string(),
        assetTag: z.string().nullable(),
        model: z.string().nullable(),
        status: z.enum(DEVICE_STATUSES),
      }),
      checkedOutAt: z.iso.datetime(),
      checkedOutBy: z.string(),
      checkedInAt: z.iso.datetime().nullable(),
      checkedInBy: z.string().nullable(),
      checkInNote: z.string().nullable(),
    }),
  ),
});
export type PersonDetail = z.infer<typeof PersonDetail>;

// Devices
export const Assignment = z.object({
  id: z.uuid(),
  person: PersonSummary,
  checkedOutAt: z.iso.datetime(),
  checkedOutBy: z.string(),
  checkedInAt: z.iso.datetime().nullable(),
  checkedInBy: z.string().nullable(),
  checkInNote: z.string().nullable(),
});
export type Assignment = z.infer<typeof Assignment>;

export const Device = z.object({
  id: z.uuid(),
  serialNumber: z.string(),
  serialKey: z.string(),
  assetTag: z.string().nullable(),
  model: z.string().nullable(),
  manufacturer: z.string().nullable(),
  type: z.enum(DEVICE_TYPES),
  status: z.enum(DEVICE_STATUSES),
  school: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assignedTo: PersonSummary.nullable(),
  purchaseDate: z.iso.date().nullable(),
  warrantyEnd: z.iso.date().nullable(),
  notes: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Device = z.infer<typeof Device>;

export const DeviceDetail = Device.extend({
  currentAssignment: Assignment.nullable(),
  /** Provider data attached to the device, by provider key (absent when no provider has any). */
  mdm: z.record(z.string(), z.unknown()).optional(),
});
export type DeviceDetail = z.infer<typeof DeviceDetail>;

export const DEVICE_SORTS = [
  'serialNumber',
  'assetTag',
  'model',
  'status',
  'school',
  'updatedAt',
  'createdAt',
  'lastCheckInAt',
  'autoUpdateExpiration',
] as const;
/** Sorts on the MDM provider's data (the `mdmProvider` record); devices without a value sort last. */
export const MDM_DEVICE_SORTS: readonly (typeof DEVICE_SORTS)[number][] = [
  'lastCheckInAt',
  'autoUpdateExpiration',
];

/** The device filter's value for devices without a school. */
export const NO_SCHOOL = 'none';

/** Filters shared by the device list, the CSV export and bulk actions. */
export const DeviceFilter = z.strictObject({
  status: z
    .union([z.enum(DEVICE_STATUSES), z.array(z.enum(DEVICE_STATUSES))])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional(),
  /** A school's id, or `none` for devices without a school. */
  school: z
    .union([z.uuid(), z.literal(NO_SCHOOL)], { error: 'school must be a school id or none' })
    .optional(),
  model: z.string().trim().max(200).optional(),
  assigned: z.enum(['true', 'false']).optional(),
  /** Devices checked out to this person now. */
  person: z.uuid().optional(),
  q: z.string().trim().max(200).optional(),
  /**
   * Which provider's record the MDM filters, sorts and columns read. Absent: for each device, the record of the
   * provider that saw it check in most recently (matched records first), labelled with that provider.
   */
  mdmProvider: z
    .enum(MDM_PROVIDER_KEYS, { error: `mdmProvider must be one of ${MDM_PROVIDER_KEYS.join(', ')}` })
    .optional(),
  /** Auto-update expiration before this day (matched records with a known expiration only). */
  aueBefore: day('aueBefore').optional(),
  /** Auto-update expiration on or after this day (matched records with a known expiration only). */
  aueAfter: day('aueAfter').optional(),
  /** Matched records whose last check-in is before this day, or unknown. */
  notSeenSince: day('notSeenSince').optional(),
  /** The provider's own status (Google: ACTIVE, DISABLED, …), any of these, compared case-insensitively. */
  mdmStatus: z
    .union([MdmStatus, z.array(MdmStatus).max(20)])
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .optional(),
  /** See MDM_MATCH_FILTERS; without `mdmProvider`, `none` and `unmatched` are about every provider. */
  mdmMatch: z
    .enum(MDM_MATCH_FILTERS, { error: `mdmMatch must be one of ${MDM_MATCH_FILTERS.join(', ')}` })
    .optional(),
  /** The provider's annotated or most recent user is not the person the device is checked out to. */
  userMismatch: trueFlag('userMismatch').optional(),
  /** The provider's record disagrees with the inventory on the model, the asset tag or the user (or on any). */
  mdmConflict: z
    .enum(MDM_CONFLICT_FILTERS, { error: `mdmConflict must be one of ${MDM_CONFLICT_FILTERS.join(', ')}` })
    .optional(),
  /** The provider has other records with this device's serial number (it was enrolled again). */
  mdmDuplicates: trueFlag('mdmDuplicates').optional(),
  /** The assigned person's grade: -1 pre-K, 0 K, 1–12 (labels such as K or 09 are read the same way). */
  grade: Grade.optional(),
  /** Checked out to a student whose expected graduation is after the device's auto-update expiration. */
  aueBeforeGraduation: trueFlag('aueBeforeGraduation').optional(),
});
export type DeviceFilter = z.infer<typeof DeviceFilter>;

export const DeviceQuery = DeviceFilter.extend({
  sort: z.enum(DEVICE_SORTS).default('serialNumber'),
  order: z.enum(['asc', 'desc']).default('asc'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type DeviceQuery = z.input<typeof DeviceQuery>;

/** What the list and the export show of one provider's record: its state, a few fields and its "as of" time. */
export const DeviceMdmSummary = z.object({
  provider: z.enum(MDM_PROVIDER_KEYS),
  matchState: z.enum(['matched', 'not_found']),
  mdmStatus: z.string().nullable(),
  lastCheckInAt: z.string().nullable(),
  osVersion: z.string().nullable(),
  autoUpdateExpiration: z.string().nullable(),
  orgUnit: z.string().nullable(),
  /** The provider's user of the device (its annotated or primary user, else the most recent). */
  primaryUser: z.string().nullable(),
  /** Where this record disagrees with the inventory (matched records only). */
  conflicts: z.array(z.enum(CONFLICT_KINDS)),
  /** Whether the provider still syncs; anything else is data kept from its last sync (as of `fetchedAt`). */
  condition: z.enum(MDM_SOURCE_CONDITIONS),
  fetchedAt: z.iso.datetime(),
});
export type DeviceMdmSummary = z.infer<typeof DeviceMdmSummary>;

export const DeviceListItem = Device.extend({
  /** The `mdmProvider` record, or the device's most recent one; null when there is none. */
  mdm: DeviceMdmSummary.nullable(),
});
export type DeviceListItem = z.infer<typeof DeviceListItem>;

export const DeviceList = z.object({
  devices: z.array(DeviceListItem),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Providers with data (any record) in the district: whether MDM columns and filters have anything to show. */
  mdmProviders: z.array(z.enum(MDM_PROVIDER_KEYS)),
  /** How current each of those providers' data is: anything but `current` is kept from its last sync. */
  mdmConditions: z.partialRecord(z.enum(MDM_PROVIDER_KEYS), z.enum(MDM_SOURCE_CONDITIONS)),
});
export type DeviceList = z.infer<typeof DeviceList>;

/** A serial made only of invisible characters would have an empty key: nothing to match it by. */
const serialNumberText = text(100)
  // An empty serial is one problem, not also "no visible characters".
  .min(1, { message: 'Serial number is required', abort: true })
  .refine((value) => serialKey(value) !== '', 'Serial number has no visible characters');

export const CreateDeviceRequest = z.strictObject({
  serialNumber: serialNumberText,
  assetTag: optionalText(100),
  model: optionalText(200),
  manufacturer: optionalText(200),
  type: z.enum(DEVICE_TYPES).default('chromebook'),
  status: z.enum(DEVICE_STATUSES).default('in_service'),
  schoolId: z.uuid().nullable().optional(),
  purchaseDate: isoDate,
  warrantyEnd: isoDate,
  notes: optionalText(5000),
});
export type CreateDeviceRequest = z.input<typeof CreateDeviceRequest>;

export const UpdateDeviceRequest = z.strictObject({
  serialNumber: serialNumberText.optional(),
  assetTag: optionalText(100),
  model: optionalText(200),
  manufacturer: optionalText(200),
  type: z.enum(DEVICE_TYPES).optional(),
  status: z.enum(DEVICE_STATUSES).optional(),
  schoolId: z.uuid().nullable().optional(),
  purchaseDate: isoDate,
  warrantyEnd: isoDate,
  notes: optionalText(5000),
  /** Required when moving an assigned device to lost/stolen/retired/disposed: checks it in in the same change. */
  checkIn: z.strictObject({ note: optionalText(2000) }).optional(),
});
export type UpdateDeviceRequest = z.input<typeof UpdateDeviceRequest>;

export const BulkUpdateRequest = z.strictObject({
  deviceIds: z.array(z.uuid()).min(1).max(500),
  changes: z.strictObject({
    status: z.enum(DEVICE_STATUSES).optional(),
    schoolId: z.uuid().nullable().optional(),
  }),
  checkInAssigned: z.boolean().default(false),
});
export const BulkUpdateResult = z.object({ updated: z.number().int(), checkedIn: z.number().int() });

export const CheckoutRequest = z.strictObject({ personId: z.uuid() });
export const CheckinRequest = z.strictObject({ note: optionalText(2000) });

export const HistoryEntry = z.object({
  id: z.string(),
  at: z.iso.datetime(),
  kind: z.enum(['assignment', 'audit']),
  action: z.string(),
  actor: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const DeviceHistory = z.object({ assignments: z.array(Assignment), events: z.array(HistoryEntry) });
export type DeviceHistory = z.infer<typeof DeviceHistory>;

// CSV import
export const ImportQuery = z.strictObject({
  dryRun: z.enum(['true', 'false']).default('true'),
  skipInvalid: z.enum(['true', 'false']).default('false'),
  /** `true`: always answer 202 with an import to follow, whatever the file's size (the web app does). */
  background: z.enum(['true', 'false']).default('false'),
});
export const ImportProblem = z.object({
  line: z.number().int(),
  column: z.string().nullable(),
  reason: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;
export const ImportResult = z.object({
  dryRun: z.boolean(),
  committed: z.boolean(),
  rows: z.number().int(),
  create: z.number().int(),
  update: z.number().int(),
  unchanged: z.number().int(),
  invalid: z.number().int(),
  unknownColumns: z.array(z.string()),
  /** The first 1,000 problems; `problemCount` and `problemsByReason` count all of them. */
  problems: z.array(ImportProblem),
  problemCount: z.number().int(),
  problemsByReason: z.array(
    z.object({ column: z.string().nullable(), reason: z.string(), count: z.number().int() }),
  ),
});
export type ImportResult = z.infer<typeof ImportResult>;

export const IMPORT_TARGETS = ['devices', 'people'] as const;
export const IMPORT_STATES = ['queued', 'running', 'succeeded', 'failed'] as const;

/** An import (or its check) running in the background: `GET /api/v1/imports/{id}` until it is finished. */
export const ImportJob = z.object({
  id: z.uuid(),
  target: z.enum(IMPORT_TARGETS),
  dryRun: z.boolean(),
  skipInvalid: z.boolean(),
  state: z.enum(IMPORT_STATES),
  /** Bytes of the file read so far, of its size: the progress bar's fraction. */
  readBytes: z.number().int(),
  totalBytes: z.number().int(),
  rows: z.number().int(),
  /** Set once it has succeeded. */
  result: ImportResult.nullable(),
  /** Set when it failed: the file could not be read (not UTF-8, broken quoting…) or the server stopped. */
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;
export const ImportJobList = z.object({ imports: z.array(ImportJob) });
export type ImportJobList = z.infer<typeof ImportJobList>;
