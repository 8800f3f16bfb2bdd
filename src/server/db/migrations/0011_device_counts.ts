import { type Kysely, sql } from 'kysely';

/**
 * Device totals by district and status, kept by the database as the devices change: the device list's total
 * (unfiltered, or by status) is then a sum over a few rows instead of a count over the whole inventory, which
 * for a 30,000-device district cost more than the page itself.
 *
 * Each statement that inserts, deletes or re-statuses devices appends its net change as rows (never updating a
 * shared counter row, so a long import never holds up another writer); `compactDeviceCounts` folds them
 * together from time to time. Readers see exactly the totals of their own snapshot.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table device_count_deltas (
      district_id uuid not null references districts(id) on delete cascade,
      status text not null,
      devices bigint not null
    )`.execute(db);
  await sql`create index device_count_deltas_district_idx on device_count_deltas (district_id, status) include (devices)`.execute(
    db,
  );
  await sql`
    insert into device_count_deltas (district_id, status, devices)
    select district_id, status, count(*) from devices group by district_id, status`.execute(db);
  // A district being deleted takes its devices with it: their deletion records nothing for it.
  await sql`
    create function device_count_deltas_record() returns trigger language plpgsql as $$
    begin
      if tg_op = 'INSERT' then
        insert into device_count_deltas (district_id, status, devices)
        select district_id, status, count(*) from new_rows group by district_id, status;
      elsif tg_op = 'DELETE' then
        insert into device_count_deltas (district_id, status, devices)
        select o.district_id, o.status, -count(*) from old_rows o
        where exists (select 1 from districts where districts.id = o.district_id)
        group by o.district_id, o.status;
      else
        insert into device_count_deltas (district_id, status, devices)
        select c.district_id, c.status, sum(c.change)
        from old_rows o join new_rows n on n.id = o.id,
          lateral (values (o.district_id, o.status, -1), (n.district_id, n.status, 1)) as c(district_id, status, change)
        where (o.district_id, o.status) is distinct from (n.district_id, n.status)
        group by c.district_id, c.status
        having sum(c.change) <> 0;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger devices_count_insert after insert on devices referencing new table as new_rows
    for each statement execute function device_count_deltas_record()`.execute(db);
  await sql`
    create trigger devices_count_delete after delete on devices referencing old table as old_rows
    for each statement execute function device_count_deltas_record()`.execute(db);
  await sql`
    create trigger devices_count_update after update on devices referencing old table as old_rows new table as new_rows
    for each statement execute function device_count_deltas_record()`.execute(db);
}
