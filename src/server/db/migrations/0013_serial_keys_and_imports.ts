import { type Kysely, sql } from 'kysely';

/**
 * Two changes for inputs of any size and shape:
 * - `imports`: a CSV import (or its check) that runs in the background, with its progress and result, so a
 *   browser can leave and come back and a large file never holds a request open.
 * - Serial keys become NFKC-normalized with invisible format characters removed, so `ABC\u200b123` and
 * `ABC123` are one device. Existing devices are re-keyed here. Where a new key is already another device's,
 * the two are never merged: the device keeps its old key and the district's audit log records the pair,
 * for an administrator to decide which is the real one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table imports (
      id uuid primary key default gen_random_uuid(),
      district_id uuid not null references districts(id) on delete cascade,
      user_id uuid references users(id) on delete set null,
      target text not null check (target in ('devices', 'people')),
      dry_run boolean not null,
      skip_invalid boolean not null,
      state text not null check (state in ('queued', 'running', 'succeeded', 'failed')),
      total_bytes bigint not null,
      read_bytes bigint not null default 0,
      rows integer not null default 0,
      result jsonb,
      error jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index imports_district_idx on imports (district_id, created_at desc)`.execute(db);
  await rekeySerials(db);
}

async function rekeySerials(db: Kysely<unknown>): Promise<void> {
  // Only serials with a character outside ASCII can get a different key: ASCII has nothing to normalize.
  const { rows } = await sql<{ id: string; district_id: string; serial_number: string; serial_key: string }>`
    select id, district_id, serial_number, serial_key from devices
    where octet_length(serial_number) <> char_length(serial_number)
    order by created_at, id`.execute(db);
  for (const device of rows) {
    const key = normalizedSerialKey(device.serial_number);
    if (key === device.serial_key || key === '') continue;
    const { rows: holders } = await sql<{ id: string; serial_number: string }>`
      select id, serial_number from devices
      where district_id = ${device.district_id} and serial_key = ${key} and id <> ${device.id}`.execute(db);
    const holder = holders[0];
    if (!holder) {
      await sql`update devices set serial_key = ${key} where id = ${device.id}`.execute(db);
      continue;
    }
    const details = {
      serialNumber: device.serial_number,
      serialKey: key,
      otherDeviceId: holder.id,
      otherSerialNumber: holder.serial_number,
    };
    await sql`
      insert into audit_events (district_id, actor_label, action, subject_type, subject_id, details)
      values (${device.district_id}, 'Satchel upgrade', 'device.serial_key_collision', 'device', ${device.id},
              ${JSON.stringify(details)}::jsonb)`.execute(db);
  }
}

/** The rule as of this migration (a copy, so that a later change to the rule does not rewrite history). */
function normalizedSerialKey(serialNumber: string): string {
  return serialNumber
    .normalize('NFKC')
    .replace(/[\s\p{Cf}]+/gu, '')
    .toUpperCase();
}
