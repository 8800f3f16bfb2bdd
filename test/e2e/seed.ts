import type { Database } from '../../src/server/db/connect.ts';
import { GoogleSettings } from '../../src/server/mdm/providers/google/settings.ts';

/** Google's connection as a district leaves it after deactivating: its settings and history stay. */
export async function inactiveGoogleConnection(database: Database, districtId: string): Promise<string> {
  const connection = await database.db
    .insertInto('mdm_connections')
    .values({
      district_id: districtId,
      provider: 'google',
      state: 'inactive',
      settings: JSON.stringify(GoogleSettings.parse({})),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return connection.id;
}
