import {
  MDM_CONFLICT_FILTERS,
  MDM_MATCH_FILTERS,
  MDM_PROVIDER_KEYS,
  type MdmConflictFilter,
  type MdmMatchFilter,
} from '../../common/inventory.ts';
import type { ProviderKey } from '../../common/mdm.ts';

/** The device list's MDM filters, as `GET /devices` and the /devices address take them. */
export interface DeviceMdmFilter {
  mdmProvider?: ProviderKey | undefined;
  aueBefore?: string | undefined;
  aueAfter?: string | undefined;
  notSeenSince?: string | undefined;
  mdmStatus?: string[] | undefined;
  mdmMatch?: MdmMatchFilter | undefined;
  mdmConflict?: MdmConflictFilter | undefined;
  userMismatch?: 'true' | undefined;
  mdmDuplicates?: 'true' | undefined;
  grade?: number | undefined;
  aueBeforeGraduation?: 'true' | undefined;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** The server's rule for a provider status word (ACTIVE, PRE_PROVISIONED…). */
const STATUS_WORD = /^[A-Za-z][A-Za-z0-9_ -]{0,39}$/;

/** A real calendar day as YYYY-MM-DD, or undefined (a hand-edited link with 2026-02-30 is ignored). */
export function asDay(value: string | null | undefined): string | undefined {
  const match = value ? DAY.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? value!
    : undefined;
}

export function asGrade(value: string | null | undefined): number | undefined {
  if (!value || !/^-?\d{1,2}$/.test(value)) return undefined;
  const grade = Number(value);
  return grade >= -1 && grade <= 12 ? grade : undefined;
}

const flag = (value: string | null): 'true' | undefined => (value === 'true' ? 'true' : undefined);

/** Reads the MDM filters from the address, leaving out anything the server would refuse. */
export function readMdmFilter(params: URLSearchParams): DeviceMdmFilter {
  const statuses = [...new Set(params.getAll('mdmStatus').map((status) => status.trim()))].filter((status) =>
    STATUS_WORD.test(status),
  );
  return {
    mdmProvider: MDM_PROVIDER_KEYS.find((key) => key === params.get('mdmProvider')),
    aueBefore: asDay(params.get('aueBefore')),
    aueAfter: asDay(params.get('aueAfter')),
    notSeenSince: asDay(params.get('notSeenSince')),
    mdmStatus: statuses.length > 0 ? statuses.slice(0, 20) : undefined,
    mdmMatch: MDM_MATCH_FILTERS.find((value) => value === params.get('mdmMatch')),
    mdmConflict: MDM_CONFLICT_FILTERS.find((value) => value === params.get('mdmConflict')),
    userMismatch: flag(params.get('userMismatch')),
    mdmDuplicates: flag(params.get('mdmDuplicates')),
    grade: asGrade(params.get('grade')),
    aueBeforeGraduation: flag(params.get('aueBeforeGraduation')),
  };
}

/** Writes the MDM filters that are set, in the parameter names the server takes. */
export function writeMdmFilter(filter: DeviceMdmFilter, params: URLSearchParams): void {
  for (const [name, value] of mdmFilterEntries(filter)) params.append(name, value);
}

/** The filters as name/value pairs (mdmStatus repeats); only those set. */
export function mdmFilterEntries(filter: DeviceMdmFilter): [string, string][] {
  const entries: [string, string][] = [];
  if (filter.mdmProvider) entries.push(['mdmProvider', filter.mdmProvider]);
  for (const name of ['aueBefore', 'aueAfter', 'notSeenSince', 'mdmMatch', 'mdmConflict'] as const) {
    const value = filter[name];
    if (value) entries.push([name, value]);
  }
  for (const status of filter.mdmStatus ?? []) entries.push(['mdmStatus', status]);
  for (const name of ['userMismatch', 'mdmDuplicates', 'aueBeforeGraduation'] as const) {
    if (filter[name] === 'true') entries.push([name, 'true']);
  }
  if (filter.grade !== undefined) entries.push(['grade', String(filter.grade)]);
  return entries;
}

/** Whether any MDM or grade filter narrows the list (the provider choice alone does not). */
export function hasMdmFilters(filter: DeviceMdmFilter): boolean {
  return mdmFilterEntries({ ...filter, mdmProvider: undefined }).length > 0;
}

/** Every MDM filter unset, to clear them all at once. */
export const NO_MDM_FILTERS: { [Key in keyof Required<DeviceMdmFilter>]: undefined } = {
  mdmProvider: undefined,
  aueBefore: undefined,
  aueAfter: undefined,
  notSeenSince: undefined,
  mdmStatus: undefined,
  mdmMatch: undefined,
  mdmConflict: undefined,
  userMismatch: undefined,
  mdmDuplicates: undefined,
  grade: undefined,
  aueBeforeGraduation: undefined,
};

/**
 * Whose data the MDM columns and filters read: the provider asked for, the district's only provider with data,
 * or (null) each device's most recent record, whichever provider it is from.
 */
export function providerOf(filter: DeviceMdmFilter, withData: readonly ProviderKey[]): ProviderKey | null {
  return filter.mdmProvider ?? (withData.length === 1 ? (withData[0] as ProviderKey) : null);
}

/** "ACTIVE" → "Active", "PRE_PROVISIONED" → "Pre provisioned", "notRegistered" → "Not registered". */
export function mdmStatusLabel(status: string): string {
  const value = status.trim().replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return value.charAt(0).toUpperCase() + value.slice(1).toLowerCase().replaceAll('_', ' ');
}

export const GRADE_OPTIONS: { value: string; label: string }[] = [
  { value: '-1', label: 'Pre-K' },
  { value: '0', label: 'Kindergarten' },
  ...Array.from({ length: 12 }, (_, index) => ({ value: String(index + 1), label: `Grade ${index + 1}` })),
];

/** `label` is a provider's short name, or null for every provider the district has. */
export function matchOptions(label: string | null): { value: MdmMatchFilter | 'any'; label: string }[] {
  if (label === null)
    return [
      { value: 'any', label: 'Any' },
      { value: 'matched', label: 'Found in an MDM' },
      { value: 'unmatched', label: 'In no MDM' },
      { value: 'none', label: 'No MDM data yet' },
    ];
  return [
    { value: 'any', label: 'Any' },
    { value: 'matched', label: `Found in ${label}` },
    { value: 'not_found', label: `Not found in ${label}` },
    { value: 'unmatched', label: `Not in ${label} (not found or no data)` },
    { value: 'none', label: `No ${label} data yet` },
  ];
}
