import type { Insertable, Updateable } from 'kysely';
import {
  type Expression,
  type Kysely,
  type SelectQueryBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import { type DeviceFilter, type DeviceStatus, MDM_DEVICE_SORTS } from '../../common/inventory.ts';
import type { ProviderKey } from '../../common/mdm.ts';
import type { DB, DevicesTable } from '../db/schema.ts';
import {
  MDM_SORT_KEYS,
  MDM_SUMMARY_COLUMNS,
  type MdmSort,
  mdmFilterCondition,
  mdmProviderOf,
  mdmSortValue,
  recordOfDevice,
} from './device-mdm.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Escapes LIKE wildcards so a search for `50%_off` matches those characters literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

const deviceSearchText = sql<string>`(d.serial_key || ' ' || coalesce(d.asset_tag, '') || ' ' || coalesce(d.model, ''))`;
const personSearchText = sql<string>`(p2.name || ' ' || coalesce(p2.email, '') || ' ' || coalesce(p2.external_id, ''))`;

/**
 * The filtered device set as a query on `devices as d`; every list, count, export, bulk action and report
 * starts here. `now` is "today" for the filters that depend on it (expected graduation).
 */
export function filteredDevices(db: Executor, districtId: string, filter: DeviceFilter, now = new Date()) {
  return applyDeviceFilter(db.selectFrom('devices as d'), districtId, filter, now);
}

/** Adds the filter's conditions (district first) to a query on `devices as d`, keeping its selections. */
export function applyDeviceFilter<O>(
  scope: SelectQueryBuilder<DB & { d: DevicesTable }, 'd', O>,
  districtId: string,
  filter: DeviceFilter,
  now = new Date(),
): SelectQueryBuilder<DB & { d: DevicesTable }, 'd', O> {
  let query = scope.where('d.district_id', '=', districtId);
  if (filter.status?.length) query = query.where('d.status', 'in', filter.status);
  if (filter.school) query = query.where('d.school_id', '=', filter.school);
  if (filter.model) query = query.where(sql<SqlBool>`lower(d.model) = lower(${filter.model})`);
  if (filter.assigned === 'true') query = query.where('d.assigned_person_id', 'is not', null);
  if (filter.assigned === 'false') query = query.where('d.assigned_person_id', 'is', null);
  if (filter.q) {
    const patterns = [...new Set([likePattern(filter.q), likePattern(filter.q.replace(/\s+/g, ''))])];
    // Each arm can use an index (trigram on the device text, the assignee index), so Postgres ORs bitmaps.
    // Serial keys carry no spaces, so a serial typed with spaces is also tried without them.
    query = query.where((eb) =>
      eb.or([
        ...patterns.map((pattern) => sql<SqlBool>`${deviceSearchText} ilike ${pattern}`),
        eb(
          'd.assigned_person_id',
          '=',
          sql<string>`any(array(select p2.id from people p2 where p2.district_id = ${districtId} and ${personSearchText} ilike ${patterns[0]}))`,
        ),
      ]),
    );
  }
  const mdm = mdmFilterCondition(districtId, filter, now);
  if (mdm) query = query.where(mdm);
  return query;
}

export function withDeviceColumns<T extends ReturnType<typeof filteredDevices>>(query: T) {
  return query
    .leftJoin('schools as s', 's.id', 'd.school_id')
    .leftJoin('people as p', 'p.id', 'd.assigned_person_id')
    .selectAll('d')
    .select([
      's.name as school_name',
      'p.name as person_name',
      'p.email as person_email',
      'p.external_id as person_external_id',
      'p.kind as person_kind',
    ]);
}

export type DeviceWithNames = Awaited<ReturnType<typeof findDevice>> & object;

/**
 * The device columns plus the summary of one record (joined as `m`; at most one per device): the provider's, or
 * the device's most recent one.
 */
export function withDeviceListColumns<T extends ReturnType<typeof filteredDevices>>(
  query: T,
  provider: ProviderKey | null,
) {
  return withDeviceColumns(query)
    .leftJoin('mdm_device_records as m', (join) =>
      join
        .onRef('m.device_id', '=', 'd.id')
        .onRef('m.district_id', '=', 'd.district_id')
        .on(recordOfDevice('m', provider)),
    )
    .select([
      'm.provider as mdm_provider',
      'm.match_state as mdm_match_state',
      'm.fetched_at as mdm_fetched_at',
      MDM_SUMMARY_COLUMNS.mdm_status.as('mdm_status'),
      MDM_SUMMARY_COLUMNS.mdm_last_check_in_at.as('mdm_last_check_in_at'),
      MDM_SUMMARY_COLUMNS.mdm_os_version.as('mdm_os_version'),
      MDM_SUMMARY_COLUMNS.mdm_auto_update_expiration.as('mdm_auto_update_expiration'),
      MDM_SUMMARY_COLUMNS.mdm_org_unit.as('mdm_org_unit'),
      MDM_SUMMARY_COLUMNS.mdm_primary_user.as('mdm_primary_user'),
    ]);
}

export const DEVICE_SORT_COLUMNS = {
  serialNumber: sql`d.serial_key`,
  assetTag: sql`d.asset_tag`,
  model: sql`d.model`,
  status: sql`d.status`,
  school: sql`s.name`,
  updatedAt: sql`d.updated_at`,
  createdAt: sql`d.created_at`,
  ...MDM_SORT_KEYS,
} satisfies Record<string, Expression<unknown>>;

/**
 * Picks the page's ids first and joins names and the MDM summary for those rows only. The tie-break follows
 * the sort's direction and nulls take PostgreSQL's default place, so each inventory sort can walk its
 * (district, column, serial) index. MDM sorts put devices without a value last.
 */
export async function listDevices(
  db: Executor,
  districtId: string,
  filter: DeviceFilter,
  page: { sort: keyof typeof DEVICE_SORT_COLUMNS; order: 'asc' | 'desc'; limit: number; offset: number },
) {
  const now = new Date();
  const direction = page.order === 'asc' ? sql`asc` : sql`desc`;
  const { sort } = page;
  const mdmSort = isMdmSort(sort);
  const order = sql`${DEVICE_SORT_COLUMNS[sort]} ${direction}${mdmSort ? sql` nulls last` : sql``}`;
  const pageIds = mdmSort
    ? await mdmSortedPageIds(db, districtId, filter, { ...page, sort }, now)
    : filteredDevices(db, districtId, filter, now)
        .$if(sort === 'school', (query) => query.leftJoin('schools as s', 's.id', 'd.school_id'))
        .select('d.id')
        .orderBy(order)
        .orderBy(sql`d.serial_key ${direction}`)
        .limit(page.limit)
        .offset(page.offset);
  if (Array.isArray(pageIds) && pageIds.length === 0) return [];
  return withDeviceListColumns(
    filteredDevices(db, districtId, {}).where('d.id', 'in', pageIds),
    mdmProviderOf(filter),
  )
    .orderBy(order)
    .orderBy(sql`d.serial_key ${direction}`)
    .execute();
}

function isMdmSort(sort: string): sort is MdmSort {
  return (MDM_DEVICE_SORTS as readonly string[]).includes(sort);
}

/**
 * A page sorted on the provider's data, in two steps: devices with a value, read in the order of the
 * record index (0006) rather than by sorting the whole fleet; then, only when the page reaches past them,
 * the devices without one (no record, not found, no date), by serial.
 */
async function mdmSortedPageIds(
  db: Executor,
  districtId: string,
  filter: DeviceFilter,
  page: { sort: MdmSort; order: 'asc' | 'desc'; limit: number; offset: number },
  now: Date,
): Promise<string[]> {
  const provider = mdmProviderOf(filter);
  const direction = page.order === 'asc' ? sql`asc` : sql`desc`;
  const wanted = page.offset + page.limit;
  // Devices the provider does not return have no value: nothing to walk the index for.
  const noValues =
    filter.mdmMatch === 'none' || filter.mdmMatch === 'not_found' || filter.mdmMatch === 'unmatched';
  const valued = noValues
    ? []
    : await filteredDevices(db, districtId, filter, now)
        .innerJoin('mdm_device_records as m', (join) =>
          join
            .onRef('m.device_id', '=', 'd.id')
            .onRef('m.district_id', '=', 'd.district_id')
            .on(recordOfDevice('m', provider)),
        )
        .where(sql<SqlBool>`m.match_state = 'matched'`)
        .where(sql<SqlBool>`${mdmSortValue(page.sort)} is not null`)
        .select('d.id')
        .orderBy(sql`${mdmSortValue(page.sort)} ${direction}`)
        .orderBy(sql`d.serial_key ${direction}`)
        .limit(wanted)
        .execute();
  const onPage = valued.slice(page.offset).map((row) => row.id);
  if (valued.length >= wanted) return onPage;
  const rest = await filteredDevices(db, districtId, filter, now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('mdm_device_records as m')
            .select('m.device_id')
            .whereRef('m.device_id', '=', 'd.id')
            .whereRef('m.district_id', '=', 'd.district_id')
            .where(recordOfDevice('m', provider))
            .where(sql<SqlBool>`m.match_state = 'matched'`)
            .where(sql<SqlBool>`${mdmSortValue(page.sort)} is not null`),
        ),
      ),
    )
    .select('d.id')
    .orderBy(sql`d.serial_key ${direction}`)
    .limit(page.limit - onPage.length)
    .offset(Math.max(0, page.offset - valued.length))
    .execute();
  return [...onPage, ...rest.map((row) => row.id)];
}

/** Filter keys that do not narrow the list (which provider's columns show). */
const NON_NARROWING: ReadonlySet<string> = new Set(['mdmProvider']);

/** Whether the filter narrows the district's devices by status at most: its total is then kept, not counted. */
function byStatusAtMost(filter: DeviceFilter): boolean {
  return Object.entries(filter).every(
    ([key, value]) =>
      key === 'status' || NON_NARROWING.has(key) || value === undefined || value === '' || value === null,
  );
}

export async function countDevices(
  db: Executor,
  districtId: string,
  filter: DeviceFilter,
  now = new Date(),
): Promise<number> {
  if (byStatusAtMost(filter)) return keptDeviceTotal(db, districtId, filter.status);
  const row = await filteredDevices(db, districtId, filter, now)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function findDevice(db: Executor, districtId: string, deviceId: string) {
  return withDeviceColumns(filteredDevices(db, districtId, {}))
    .where('d.id', '=', deviceId)
    .executeTakeFirst();
}

export function lockDevice(db: Transaction<DB>, districtId: string, deviceId: string) {
  return db
    .selectFrom('devices')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', '=', deviceId)
    .forUpdate()
    .executeTakeFirst();
}

export function findDeviceBySerialKey(db: Executor, districtId: string, key: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'serial_number', 'asset_tag'])
    .where('district_id', '=', districtId)
    .where('serial_key', '=', key)
    .executeTakeFirst();
}

export function findDeviceByAssetTag(db: Executor, districtId: string, assetTag: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'serial_number', 'asset_tag'])
    .where('district_id', '=', districtId)
    .where(sql<SqlBool>`lower(asset_tag) = lower(${assetTag})`)
    .executeTakeFirst();
}

export function insertDevice(db: Executor, device: Insertable<DevicesTable>) {
  return db.insertInto('devices').values(device).returning('id').executeTakeFirstOrThrow();
}

export async function updateDevice(
  db: Executor,
  districtId: string,
  deviceId: string,
  changes: Updateable<DevicesTable>,
): Promise<void> {
  await db
    .updateTable('devices')
    .set({ ...changes, updated_at: new Date() })
    .where('district_id', '=', districtId)
    .where('id', '=', deviceId)
    .execute();
}

export function lockDevicesByIds(db: Transaction<DB>, districtId: string, deviceIds: readonly string[]) {
  return db
    .selectFrom('devices')
    .selectAll()
    .where('district_id', '=', districtId)
    .where('id', 'in', deviceIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** How many devices of the district have one of these statuses: the totals the database keeps (no count). */
export function countTrackableDevices(
  db: Executor,
  districtId: string,
  statuses: readonly DeviceStatus[],
): Promise<number> {
  return keptDeviceTotal(db, districtId, statuses);
}

/** Of these serial keys, the district's devices with one of these statuses (one array parameter, any length). */
export function trackableDevicesBySerialKeys(
  db: Executor,
  districtId: string,
  statuses: readonly DeviceStatus[],
  serialKeys: readonly string[],
) {
  return db
    .selectFrom('devices')
    .select(['id', 'serial_key'])
    .where('district_id', '=', districtId)
    .where('status', 'in', statuses)
    .where('serial_key', '=', sql<string>`any(${serialKeys}::text[])`)
    .execute();
}

/** Devices read per statement when a sync loads the tracked ones. */
const TRACKED_CHUNK = 20_000;

/**
 * The devices an MDM sync may ask about, for the statuses the connection tracks: their ids and serial keys, in
 * serial key order. Each statement reads the next 20,000 by serial key (the district's serial key index, no
 * sort) and returns them as two JSON arrays in one row, built in one pass over the same rows so they line up (an
 * aggregate over a sorted subquery, with nothing else at its level, takes the rows in that order: PostgreSQL
 * manual, "Aggregate Expressions"). A row per device cost the embedded database's driver about three times as
 * long (84,000 devices: 230–280 ms against 95–125 ms); one statement for all of them held 20–30 MB more of the
 * embedded database's memory for good.
 */
export async function trackableDevices(
  db: Executor,
  districtId: string,
  statuses: readonly DeviceStatus[],
  chunk = TRACKED_CHUNK,
): Promise<{ ids: string[]; serialKeys: string[] }> {
  const ids: string[] = [];
  const serialKeys: string[] = [];
  // Serial keys are never empty (devices_serial_key_normalized).
  let after = '';
  for (;;) {
    const { rows } = await sql<{ ids: string | null; serial_keys: string | null }>`
      select json_agg(t.id)::text as ids, json_agg(t.serial_key)::text as serial_keys
      from (
        select id, serial_key from devices
        where district_id = ${districtId}::uuid and serial_key > ${after} and status = any(${statuses}::text[])
        order by serial_key
        limit ${chunk}
      ) as t`.execute(db);
    const row = rows[0];
    if (!row?.ids || !row.serial_keys) break;
    const chunkIds = JSON.parse(row.ids) as string[];
    const chunkKeys = JSON.parse(row.serial_keys) as string[];
    for (let index = 0; index < chunkIds.length; index++) {
      ids.push(chunkIds[index] as string);
      serialKeys.push(chunkKeys[index] as string);
    }
    if (chunkIds.length < chunk) break;
    after = chunkKeys[chunkKeys.length - 1] as string;
  }
  return { ids, serialKeys };
}

/**
 * The district's device total (of these statuses, when given) as the database keeps it (migration 0011): the
 * sum of a few change rows rather than a count over the inventory. An empty status list means every status.
 */
export async function keptDeviceTotal(
  db: Executor,
  districtId: string,
  statuses?: readonly string[],
): Promise<number> {
  const row = await db
    .selectFrom('device_count_deltas')
    .select(sql<string | null>`sum(devices)`.as('total'))
    .where('district_id', '=', districtId)
    .$if(statuses !== undefined && statuses.length > 0, (query) => query.where('status', 'in', statuses!))
    .executeTakeFirst();
  return Number(row?.total ?? 0);
}

/**
 * Folds each district's change rows, once it has gathered more than `threshold`, into one row per status.
 * Concurrent writers only ever add rows, and rows they have not committed yet are left for the next pass, so
 * the totals never move.
 */
export async function compactDeviceCounts(db: Executor, threshold = 20): Promise<number> {
  const { rows } = await sql<{ folded: number }>`
    with busy as (
      select district_id from device_count_deltas group by district_id having count(*) > ${threshold}
    ), gone as (
      delete from device_count_deltas c using busy where c.district_id = busy.district_id
      returning c.district_id, c.status, c.devices
    ), kept as (
      insert into device_count_deltas (district_id, status, devices)
      select district_id, status, sum(devices) from gone group by district_id, status having sum(devices) <> 0
      returning 1
    )
    select (select count(*) from gone)::int as folded`.execute(db);
  return rows[0]?.folded ?? 0;
}
