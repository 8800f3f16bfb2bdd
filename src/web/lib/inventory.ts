import {
  DEVICE_STATUSES,
  DEVICE_TYPES,
  type DeviceStatus,
  type DeviceType,
  OUT_OF_USE_STATUSES,
  PERSON_KINDS,
  STATUS_LABELS,
} from '../../common/inventory.ts';

export { STATUS_LABELS };

export const STATUS_COLORS: Record<DeviceStatus, string> = {
  in_service: 'green',
  spare: 'cyan',
  in_repair: 'yellow',
  lost: 'orange',
  stolen: 'red',
  retired: 'gray',
  disposed: 'dark',
};

export const STATUS_OPTIONS = DEVICE_STATUSES.map((status) => ({
  value: status,
  label: STATUS_LABELS[status],
}));

export const TYPE_LABELS: Record<DeviceType, string> = {
  chromebook: 'Chromebook',
  laptop: 'Laptop',
  tablet: 'Tablet',
  desktop: 'Desktop',
  hotspot: 'Hotspot',
  other: 'Other',
};

export const TYPE_OPTIONS = DEVICE_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] }));

export type PersonKind = (typeof PERSON_KINDS)[number];

export const KIND_LABELS: Record<PersonKind, string> = { student: 'Student', staff: 'Staff' };

export const KIND_OPTIONS = PERSON_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] }));

export function asStatus(value: unknown): DeviceStatus | undefined {
  return DEVICE_STATUSES.find((status) => status === value);
}

export function asDeviceType(value: unknown): DeviceType | undefined {
  return DEVICE_TYPES.find((type) => type === value);
}

export function asKind(value: unknown): PersonKind | undefined {
  return PERSON_KINDS.find((kind) => kind === value);
}

/** Lost, stolen, retired and disposed devices cannot stay checked out. */
export function isOutOfUse(status: DeviceStatus | null | undefined): boolean {
  return Boolean(status) && OUT_OF_USE_STATUSES.includes(status as DeviceStatus);
}

export function statusLabel(value: unknown): string {
  const status = asStatus(value);
  return status ? STATUS_LABELS[status] : String(value ?? '—');
}

/** How a person is told apart from others with the same name. */
export function personSecondary(person: { email: string | null; externalId: string | null }): string | null {
  return person.email ?? person.externalId ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string | null | undefined): value is string {
  return Boolean(value) && UUID.test(value as string);
}

/** Mantine selects need a non-empty value for "none". */
export const NO_SCHOOL = 'none';
