import { type Kysely, sql } from 'kysely';
import type { DB } from '../src/server/db/schema.ts';

/**
 * The inventory benchmark's MDM part: every device gets a matched record (a user, an asset ID, a MAC address and
 * the provider's device id, stored with its search text as the sync writer leaves it), then the device search
 * box is timed on each of those fields.
 */
export async function seedMdmRecords(db: Kysely<DB>, districtId: string): Promise<number> {
  const { rows } = await sql<{ written: number }>`
    with numbered as (
      select id, row_number() over (order by serial_key) as n from devices where district_id = ${districtId}::uuid
    ), values_of as (
      select id, n, 'bench-' || n as provider_id, 'student' || n || '@bench.example.org' as user_email,
        'CB-' || lpad(n::text, 6, '0') as asset_id, lpad(to_hex(n), 12, '0') as mac
      from numbered
    ), written as (
      insert into mdm_device_records (district_id, device_id, provider, provider_device_id, fields, extras,
        content_hash, match_state, fetched_at, search_text)
      select ${districtId}::uuid, id, 'google', provider_id,
        jsonb_build_object('primaryUser', user_email, 'recentUsers', jsonb_build_array(user_email),
          'macAddresses', jsonb_build_array(mac), 'lastCheckInAt', '2026-11-01T08:00:00.000Z'),
        jsonb_build_object('annotatedAssetId', asset_id), 'bench', 'matched', now(),
        concat_ws(E'\n', provider_id, user_email, lower(asset_id), mac)
      from values_of
      returning 1
    )
    select count(*)::int as written from written`.execute(db);
  await sql`analyze mdm_device_records`.execute(db);
  return rows[0]?.written ?? 0;
}

/** Median latency of the device search on each MDM field, as printable lines. */
export async function measureMdmSearch(
  timeRequest: (url: string) => Promise<number>,
  devices: number,
  samples: number,
): Promise<string[]> {
  const searches: [string, (n: number) => string][] = [
    ['search by MDM user (q=student1234@…)', (n) => `student${n}@bench`],
    ['search by MDM asset ID (q=CB-001234)', (n) => `CB-${String(n).padStart(6, '0')}`],
    ['search by MAC address (q=00:00:00:00:12:34)', (n) => macWithColons(n)],
    ['search by provider device id (q=bench-1234)', (n) => `bench-${n}`],
  ];
  const lines: string[] = [];
  for (const [label, typed] of searches) {
    const times: number[] = [];
    for (let sample = 0; sample < samples; sample++) {
      const n = 1 + ((sample * 7919) % devices);
      times.push(await timeRequest(`/api/v1/devices?q=${encodeURIComponent(typed(n))}&pageSize=50`));
    }
    const sorted = times.sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const p95 = sorted[Math.floor(sorted.length * 0.95)] ?? 0;
    lines.push(`  ${label.padEnd(51)}median ${median.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms`);
  }
  return lines;
}

function macWithColons(n: number): string {
  return n.toString(16).padStart(12, '0').match(/../g)!.join(':').toUpperCase();
}
