import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Executor = Kysely<DB> | Transaction<DB>;

export async function deleteProviderRecords(
  db: Executor,
  districtId: string,
  provider: string,
): Promise<number> {
  const result = await db
    .deleteFrom('mdm_device_records')
    .where('district_id', '=', districtId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
