import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { type DeviceFilter, type DeviceMdmSummary, MDM_PROVIDER_KEYS } from '../../common/inventory.ts';
import type { ProviderKey } from '../../common/mdm.ts';
import {
  GRADUATION_MONTH_DAY,
  KINDERGARTEN_LABELS,
  PRE_KINDERGARTEN_LABELS,
  schoolYearEnd,
} from '../../common/school-year.ts';
import type { DB } from '../db/schema.ts';

/**
 * The device list's MDM filters, sorts and columns, as SQL over `devices as d`. The definitions are the
 * browser's (src/web/lib/mdmWarnings.ts, src/common/school-year.ts), read the same way here: whitespace is
 * JavaScript's, upper-casing is JavaScript's as far as grade labels go, and only records the provider still
 * returns (`matched`) count, except for `mdmMatch`.
 */

type Executor = Kysely<DB> | Transaction<DB>;

/** JavaScript's `\s` and `String.prototype.trim` whitespace, listed one by one. */
const JS_WHITESPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/**
 * `toUpperCase()` as far as grade labels can tell: ASCII letters, plus the two other characters JavaScript
 * upper-cases to a single ASCII letter (dotless ı → I, long ſ → S). Characters it expands to several letters
 * (ß → SS, ﬁ → FI…) never spell a label either way.
 */
const LOWER = 'abcdefghijklmnopqrstuvwxyzıſ';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZIS';

/** Every label `gradeNumber` reads, upper-cased without whitespace, with its number. */
const GRADE_LABELS: [string, number][] = [
  ...KINDERGARTEN_LABELS.map((label): [string, number] => [label, 0]),
  ...PRE_KINDERGARTEN_LABELS.map((label): [string, number] => [label, -1]),
  ...Array.from({ length: 12 }, (_, index): [string, number] => [String(index + 1), index + 1]),
  ...Array.from({ length: 9 }, (_, index): [string, number] => [`0${index + 1}`, index + 1]),
];

/**
 * SQL for `gradeNumber` (src/common/school-year.ts): PK = -1, K = 0, 1–12, null for anything else. One
 * translate removes JavaScript's whitespace and upper-cases; the label is then looked up among the finitely
 * many that have a number.
 */
export function gradeNumberSql(grade: Expression<string | null>): RawBuilder<number | null> {
  const label = sql`translate(${grade}, ${LOWER + JS_WHITESPACE}, ${UPPER})`;
  const cases = GRADE_LABELS.map(([text, number]) => sql`when ${sql.lit(text)} then ${sql.lit(number)}`);
  return sql<number | null>`(case ${label} ${sql.join(cases, sql` `)} end)`;
}

/** SQL for `expectedGraduation(grade, now)`: 'YYYY-06-30', or null for a grade that cannot be read. */
export function expectedGraduationSql(
  grade: Expression<string | null>,
  now: Date,
): RawBuilder<string | null> {
  const year = sql<number | null>`(${sql.lit(schoolYearEnd(now) + 12)} - ${gradeNumberSql(grade)})`;
  return sql<string | null>`(${year}::text || ${sql.lit(`-${GRADUATION_MONTH_DAY}`)})`;
}

/** A field of a record's jsonb as text (literal keys, so expression indexes can match). */
function field(column: string, key: string): RawBuilder<string | null> {
  return sql<string | null>`(${sql.ref(column)}->>${sql.lit(key)})`;
}

/** A field of a record's jsonb when it is a string, else null (as the browser's `typeof value === 'string'`). */
function jsonText(column: string, key: string): RawBuilder<string | null> {
  const ref = sql.ref(column);
  return sql<
    string | null
  >`(case when jsonb_typeof(${ref}->${sql.lit(key)}) = 'string' then ${field(column, key)} end)`;
}

/**
 * A date or time field when it reads as ISO (YYYY-MM-DD…), else null (unknown). Providers store UTC ISO strings,
 * which order as text: a time on a day sorts after that bare day, so `< day` is "before that day" and `>= day`
 * "on it or after". Migration 0006 indexes exactly this expression for the records the provider still returns,
 * which also gives the planner statistics on it.
 */
export function knownIso(
  column: string,
  key: 'lastCheckInAt' | 'autoUpdateExpiration',
): RawBuilder<string | null> {
  const value = field(column, key);
  return sql<
    string | null
  >`(case when ${value} ~ ${sql.lit('^[0-9]{4}-[0-9]{2}-[0-9]{2}')} then ${value} end)`;
}

/** The browser's `text()`: a string trimmed of JavaScript's whitespace, null when empty. */
function presentText(value: RawBuilder<string | null>): RawBuilder<string | null> {
  return sql<string | null>`nullif(btrim(${value}, ${JS_WHITESPACE}), '')`;
}

/** True when both are present and differ ignoring case; false when either is missing. */
function differentEmail(a: RawBuilder<string | null>, b: RawBuilder<string | null>): RawBuilder<SqlBool> {
  return sql<SqlBool>`coalesce(lower(${a}) <> lower(${b}), false)`;
}

/** Which record the filter reads: one provider's, or (null) each device's most recent one. */
export function mdmProviderOf(filter: Pick<DeviceFilter, 'mdmProvider'>): ProviderKey | null {
  return filter.mdmProvider ?? null;
}

/**
 * A record's rank among its device's records, highest first: one the provider still returns, then the latest
 * check-in, then the latest fetch; the provider's key breaks a tie so the order is total.
 */
function rankOf(alias: string): RawBuilder<unknown> {
  return sql`(case when ${sql.ref(`${alias}.match_state`)} = 'matched' then 1 else 0 end, coalesce(${knownIso(`${alias}.fields`, 'lastCheckInAt')}, ''), ${sql.ref(`${alias}.fetched_at`)}, ${sql.ref(`${alias}.provider`)})`;
}

/** The record `alias` is its device's most recent: none of the device's other records ranks above it. */
function isMostRecentRecord(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`not exists (
    select 1 from mdm_device_records o
    where o.device_id = ${sql.ref(`${alias}.device_id`)} and o.provider <> ${sql.ref(`${alias}.provider`)}
      and ${rankOf('o')} > ${rankOf(alias)})`;
}

/**
 * Which record of the device `d` the record joined as `alias` must be: the provider's, or the device's most
 * recent one (a device in Jamf Pro and Intune shows whichever saw it last, labelled with that provider).
 */
export function recordOfDevice(alias: string, provider: ProviderKey | null): RawBuilder<SqlBool> {
  if (provider) return sql<SqlBool>`${sql.ref(`${alias}.provider`)} = ${provider}`;
  return sql<SqlBool>`${sql.ref(`${alias}.provider`)} = (
    select o.provider from mdm_device_records o where o.device_id = d.id
    order by ${rankOf('o')} desc limit 1)`;
}

/** Conditions on the provider's record `mr` (and the holder `mp`), or none when no filter asks about it. */
function recordConditions(
  filter: DeviceFilter,
  now: Date,
): { conditions: RawBuilder<SqlBool>[]; holder: boolean } {
  const conditions: RawBuilder<SqlBool>[] = [];
  const aue = knownIso('mr.fields', 'autoUpdateExpiration');
  const matchedOnly =
    filter.aueBefore ||
    filter.aueAfter ||
    filter.notSeenSince ||
    filter.mdmStatus?.length ||
    filter.userMismatch ||
    filter.mdmDuplicates ||
    filter.aueBeforeGraduation;
  if (filter.mdmMatch === 'matched' || filter.mdmMatch === 'not_found') {
    conditions.push(sql<SqlBool>`mr.match_state = ${filter.mdmMatch}`);
  }
  if (matchedOnly) conditions.push(sql<SqlBool>`mr.match_state = 'matched'`);
  if (filter.aueBefore) conditions.push(sql<SqlBool>`${aue} < ${filter.aueBefore}`);
  if (filter.aueAfter) conditions.push(sql<SqlBool>`${aue} >= ${filter.aueAfter}`);
  if (filter.notSeenSince) {
    const lastCheckIn = knownIso('mr.fields', 'lastCheckInAt');
    conditions.push(sql<SqlBool>`(${lastCheckIn} is null or ${lastCheckIn} < ${filter.notSeenSince})`);
  }
  if (filter.mdmStatus?.length) {
    const wanted = filter.mdmStatus.map((status) => status.toUpperCase());
    const status = presentText(jsonText('mr.fields', 'mdmStatus'));
    conditions.push(sql<SqlBool>`upper(${status}) in (${sql.join(wanted)})`);
  }
  if (filter.mdmDuplicates) {
    const ids = sql`mr.extras->'duplicateDeviceIds'`;
    conditions.push(sql<SqlBool>`(case when jsonb_typeof(${ids}) = 'array'
      then exists (select 1 from jsonb_array_elements(${ids}) as duplicate(id) where jsonb_typeof(duplicate.id) = 'string')
      else false end)`);
  }
  if (filter.userMismatch) {
    // Null comparisons read as false, so a missing holder email, annotated or recent user never counts.
    const holder = presentText(sql<string | null>`mp.email`);
    const annotated = presentText(jsonText('mr.extras', 'annotatedUser'));
    const recent = presentText(
      sql<
        string | null
      >`(case when jsonb_typeof(mr.fields->'recentUsers'->0) = 'string' then mr.fields->'recentUsers'->>0 end)`,
    );
    conditions.push(
      sql<SqlBool>`(${differentEmail(annotated, holder)} or ${differentEmail(recent, holder)})`,
    );
  }
  if (filter.aueBeforeGraduation) {
    const graduation = expectedGraduationSql(sql.ref<string | null>('mp.grade'), now);
    conditions.push(sql<SqlBool>`(mp.kind = 'student' and ${aue} < ${graduation})`);
  }
  return { conditions, holder: Boolean(filter.userMismatch || filter.aueBeforeGraduation) };
}

/**
 * Every MDM and grade condition of the filter as one boolean over `devices as d`, or null when it has none.
 * Records and people are read in subqueries, so the device set never multiplies and callers keep a plain
 * query on `devices as d`. `now` fixes "today" for the expected graduation.
 */
export function mdmFilterCondition(
  districtId: string,
  filter: DeviceFilter,
  now: Date,
): RawBuilder<SqlBool> | null {
  const provider = mdmProviderOf(filter);
  const parts: RawBuilder<SqlBool>[] = [];
  if (filter.grade !== undefined) {
    // The holder of the device's open assignment: check-out and check-in keep assigned_person_id in step.
    parts.push(sql<SqlBool>`d.assigned_person_id in (
      select gp.id from people gp where gp.district_id = ${districtId} and ${gradeNumberSql(sql.ref<string | null>('gp.grade'))} = ${filter.grade}
    )`);
  }
  const ofProvider = (alias: string) =>
    provider ? sql<SqlBool>`and ${sql.ref(`${alias}.provider`)} = ${provider}` : sql<SqlBool>``;
  if (filter.mdmMatch === 'none') {
    parts.push(sql<SqlBool>`not exists (
      select 1 from mdm_device_records mn
      where mn.device_id = d.id and mn.district_id = ${districtId} ${ofProvider('mn')}
    )`);
  }
  if (filter.mdmMatch === 'unmatched') {
    parts.push(sql<SqlBool>`not exists (
      select 1 from mdm_device_records mn
      where mn.device_id = d.id and mn.district_id = ${districtId} and mn.match_state = 'matched' ${ofProvider('mn')}
    )`);
  }
  const { conditions, holder: needsHolder } = recordConditions(filter, now);
  if (conditions.length > 0) {
    // An uncorrelated IN lets PostgreSQL hash the matching records (or read an index) once for the whole set.
    const holder = needsHolder
      ? sql`join devices hd on hd.id = mr.device_id and hd.district_id = ${districtId}
          join people mp on mp.id = hd.assigned_person_id and mp.district_id = ${districtId}`
      : sql``;
    const which = provider ? sql<SqlBool>`mr.provider = ${provider}` : isMostRecentRecord('mr');
    parts.push(sql<SqlBool>`d.id in (
      select mr.device_id from mdm_device_records mr ${holder}
      where mr.district_id = ${districtId} and ${which}
        and ${sql.join(conditions, sql` and `)}
    )`);
  }
  return parts.length > 0 ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : null;
}

export type MdmSort = 'lastCheckInAt' | 'autoUpdateExpiration';

/** An MDM sort's value in the record joined as `m` (null: unknown), as its index (0006) has it. */
export function mdmSortValue(sort: MdmSort): RawBuilder<string | null> {
  return knownIso('m.fields', sort);
}

/** Sort keys on the record joined as `m`: the value while the provider still returns the device, else null. */
export const MDM_SORT_KEYS = {
  lastCheckInAt: sql`(case when m.match_state = 'matched' then ${mdmSortValue('lastCheckInAt')} end)`,
  autoUpdateExpiration: sql`(case when m.match_state = 'matched' then ${mdmSortValue('autoUpdateExpiration')} end)`,
} satisfies Record<MdmSort, Expression<unknown>>;

/** The summary's columns, read from the record joined as `m`. */
export const MDM_SUMMARY_COLUMNS = {
  mdm_status: jsonText('m.fields', 'mdmStatus'),
  mdm_last_check_in_at: jsonText('m.fields', 'lastCheckInAt'),
  mdm_os_version: jsonText('m.fields', 'osVersion'),
  mdm_auto_update_expiration: jsonText('m.fields', 'autoUpdateExpiration'),
  mdm_org_unit: jsonText('m.fields', 'orgUnit'),
  mdm_primary_user: jsonText('m.fields', 'primaryUser'),
};

export interface MdmSummaryRow {
  mdm_provider: string | null;
  mdm_match_state: 'matched' | 'not_found' | null;
  mdm_fetched_at: Date | null;
  mdm_status: string | null;
  mdm_last_check_in_at: string | null;
  mdm_os_version: string | null;
  mdm_auto_update_expiration: string | null;
  mdm_org_unit: string | null;
  mdm_primary_user: string | null;
}

export function toMdmSummary(row: MdmSummaryRow): DeviceMdmSummary | null {
  const provider = MDM_PROVIDER_KEYS.find((key) => key === row.mdm_provider);
  if (!provider || !row.mdm_match_state || !row.mdm_fetched_at) return null;
  return {
    provider,
    matchState: row.mdm_match_state,
    mdmStatus: row.mdm_status,
    lastCheckInAt: row.mdm_last_check_in_at,
    osVersion: row.mdm_os_version,
    autoUpdateExpiration: row.mdm_auto_update_expiration,
    orgUnit: row.mdm_org_unit,
    primaryUser: row.mdm_primary_user,
    fetchedAt: row.mdm_fetched_at.toISOString(),
  };
}

/**
 * The filter as the queries read it best: with no provider named and a single provider with data in the
 * district, that provider, whose records are then every device's most recent ones (read by their index rather
 * than by ranking each device's records). Also returns the providers with data.
 */
export async function resolveMdmProvider(
  db: Executor,
  districtId: string,
  filter: DeviceFilter,
): Promise<{ filter: DeviceFilter; providers: ProviderKey[] }> {
  const providers = await mdmProvidersWithData(db, districtId);
  const only = providers.length === 1 ? providers[0] : undefined;
  return { filter: filter.mdmProvider || !only ? filter : { ...filter, mdmProvider: only }, providers };
}

/** Providers with at least one record in the district: one index probe each. */
export async function mdmProvidersWithData(db: Executor, districtId: string): Promise<ProviderKey[]> {
  const found: ProviderKey[] = [];
  for (const provider of MDM_PROVIDER_KEYS) {
    const row = await db
      .selectFrom('mdm_device_records')
      .select('device_id')
      .where('district_id', '=', districtId)
      .where('provider', '=', provider)
      .limit(1)
      .executeTakeFirst();
    if (row) found.push(provider);
  }
  return found;
}
