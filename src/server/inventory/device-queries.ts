import type { Insertable, Updateable } from 'kysely';
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { DeviceFilter, DeviceStatus } from '../../common/inventory.ts';
import type { DB, DevicesTable } from '../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

/** Escapes LIKE wildcards so a search for `50%_off` matches those characters literally. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

const deviceSearchText = sql<string>`(d.serial_key || ' ' || coalesce(d.asset_tag, '') || ' ' || coalesce(d.model, ''))`;
const personSearchText = sql<string>`(p2.name || ' ' || coalesce(p2.email, '') || ' ' || coalesce(p2.external_id, ''))`;

/** The filtered device set as a query on `devices as d`; every list, count, export and bulk action starts here. */
export function filteredDevices(db: Executor, districtId: string, filter: DeviceFilter) {
  let query = db.selectFrom('devices as d').where('d.district_id', '=', districtId);
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

export const DEVICE_SORT_COLUMNS = {
  serialNumber: sql`d.serial_key`,
  assetTag: sql`d.asset_tag`,
  model: sql`d.model`,
  status: sql`d.status`,
  school: sql`s.name`,
  updatedAt: sql`d.updated_at`,
  createdAt: sql`d.created_at`,
} satisfies Record<string, Expression<unknown>>;

/**
 * Picks the page's ids first and joins names for those rows only. The tie-break follows the sort's direction
 * and nulls take PostgreSQL's default place, so each sort can walk its (district, column, serial) index.
 */
export async function listDevices(
  db: Executor,
  districtId: string,
  filter: DeviceFilter,
  page: { sort: keyof typeof DEVICE_SORT_COLUMNS; order: 'asc' | 'desc'; limit: number; offset: number },
) {
  const column = DEVICE_SORT_COLUMNS[page.sort];
  const direction = page.order === 'asc' ? sql`asc` : sql`desc`;
  const pageIds = filteredDevices(db, districtId, filter)
    .$if(page.sort === 'school', (query) => query.leftJoin('schools as s', 's.id', 'd.school_id'))
    .select('d.id')
    .orderBy(sql`${column} ${direction}`)
    .orderBy(sql`d.serial_key ${direction}`)
    .limit(page.limit)
    .offset(page.offset);
  return withDeviceColumns(filteredDevices(db, districtId, {}).where('d.id', 'in', pageIds))
    .orderBy(sql`${column} ${direction}`)
    .orderBy(sql`d.serial_key ${direction}`)
    .execute();
}

export async function countDevices(db: Executor, districtId: string, filter: DeviceFilter): Promise<number> {
  const row = await filteredDevices(db, districtId, filter)
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

/** The devices an MDM sync may ask about: serial key and id, for the statuses the connection tracks. */
export function trackableDevices(db: Executor, districtId: string, statuses: readonly DeviceStatus[]) {
  return db
    .selectFrom('devices')
    .select(['id', 'serial_key'])
    .where('district_id', '=', districtId)
    .where('status', 'in', statuses)
    .orderBy('serial_key')
    .execute();
}
