import { type Kysely, sql } from 'kysely';
import type { DeviceFilter } from '../../../common/inventory.ts';
import type { DB } from '../../db/schema.ts';
import { gradeNumberSql } from '../device-mdm.ts';
import { countDevices, filteredDevices } from '../device-queries.ts';

/**
 * The MDM report's queries. Every device set is the device list's own filter (`filteredDevices`), so a
 * figure is by construction the `total` of `GET /devices` with the same filter; only the grouping is added here.
 */
export interface ReportScope {
  districtId: string;
  provider: string;
  now: Date;
}

export function countFiltered(db: Kysely<DB>, scope: ReportScope, filter: DeviceFilter): Promise<number> {
  return countDevices(db, scope.districtId, filter, scope.now);
}

/**
 * The filtered devices joined to their record from the provider (at most one per device). The record's foreign
 * key already ties it to the device's district; naming the district again would tempt a planner without
 * statistics (PGlite never analyzes) into scanning the district's records once per device.
 */
function withRecords(db: Kysely<DB>, scope: ReportScope, filter: DeviceFilter) {
  return filteredDevices(db, scope.districtId, filter, scope.now).innerJoin(
    'mdm_device_records as r',
    (join) => join.onRef('r.device_id', '=', 'd.id').on('r.provider', '=', scope.provider),
  );
}

/** The expiration as the device list's AUE filters read it: a JSON string starting with an ISO date, else null. */
const aue = sql<string | null>`(case
  when jsonb_typeof(r.fields->'autoUpdateExpiration') = 'string'
    and r.fields->>'autoUpdateExpiration' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}'
  then r.fields->>'autoUpdateExpiration' end)`;

/** Devices by the year their updates expire (null: no readable expiration). */
export async function aueYearCounts(
  db: Kysely<DB>,
  scope: ReportScope,
  filter: DeviceFilter,
): Promise<{ year: number | null; count: number }[]> {
  const year = sql<string | null>`substr(${aue}, 1, 4)`;
  const rows = await withRecords(db, scope, filter)
    .select([year.as('year'), sql<number>`count(*)`.as('count')])
    .groupBy(year)
    .execute();
  return rows.map((row) => ({ year: row.year === null ? null : Number(row.year), count: Number(row.count) }));
}

export interface CohortRow {
  schoolId: string | null;
  schoolName: string | null;
  grade: number | null;
  earliestAue: string;
  count: number;
}

/** Devices of the filter (checked out to students) by device school and the student's grade. */
export async function cohortCounts(
  db: Kysely<DB>,
  scope: ReportScope,
  filter: DeviceFilter,
): Promise<CohortRow[]> {
  // Grouped outside: the grade expression carries parameters, so it cannot be repeated in GROUP BY.
  const devices = withRecords(db, scope, filter)
    .innerJoin('people as p', 'p.id', 'd.assigned_person_id')
    .leftJoin('schools as s', 's.id', 'd.school_id')
    .select([
      'd.school_id',
      's.name as school_name',
      gradeNumberSql(sql.ref<string | null>('p.grade')).as('grade'),
      aue.as('aue'),
    ]);
  const rows = await db
    .selectFrom(devices.as('c'))
    .select([
      'c.school_id',
      'c.school_name',
      'c.grade',
      sql<string>`substr(min(c.aue), 1, 10)`.as('earliest_aue'),
      sql<number>`count(*)`.as('count'),
    ])
    .groupBy(['c.school_id', 'c.school_name', 'c.grade'])
    .execute();
  return rows.map((row) => ({
    schoolId: row.school_id,
    schoolName: row.school_name,
    grade: row.grade === null ? null : Number(row.grade),
    earliestAue: row.earliest_aue,
    count: Number(row.count),
  }));
}

export async function recordsFetchedAt(db: Kysely<DB>, districtId: string, provider: string) {
  const row = await db
    .selectFrom('mdm_device_records')
    .select((eb) => eb.fn.max('fetched_at').as('fetched_at'))
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row?.fetched_at ? new Date(row.fetched_at) : null;
}

/** The latest successful run, and the latest successful full listing (the only pass that sees the whole fleet). */
export async function lastSuccessfulRuns(db: Kysely<DB>, districtId: string, provider: string) {
  const latest = (strategy?: string) =>
    db
      .selectFrom('sync_runs')
      .select(['id', 'strategy', 'counters', 'finished_at'])
      .where('district_id', '=', districtId)
      .where('provider', '=', provider)
      .where('state', '=', 'succeeded')
      .where('finished_at', 'is not', null)
      .$if(strategy !== undefined, (query) => query.where('strategy', '=', strategy as string))
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  return { latest: await latest(), fullListing: await latest('full_listing') };
}

export async function connectionSettings(db: Kysely<DB>, districtId: string, provider: string) {
  const row = await db
    .selectFrom('mdm_connections')
    .select('settings')
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row?.settings ?? null;
}

/** The district's MDM connections: which provider, its settings and state. */
export function connectionsOf(db: Kysely<DB>, districtId: string) {
  return db
    .selectFrom('mdm_connections')
    .select(['provider', 'settings', 'state'])
    .where('district_id', '=', districtId)
    .execute();
}
