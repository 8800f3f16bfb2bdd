import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { KEPT_CONNECTIONS, migrateToLatest, openKeptConnections } from '../../../src/server/db/connect.ts';
import { migrations } from '../../../src/server/db/migrations/index.ts';
import { withTestApp } from '../../setup/app.ts';

const testApp = withTestApp();

describe('database', () => {
  it('has applied every migration, and re-running them changes nothing', async () => {
    const { database } = testApp();
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      database.db,
    );
    expect(applied.rows.map((row) => row.name)).toEqual(Object.keys(migrations).sort());
    expect(await migrateToLatest(database.db)).toEqual([]);
  });

  it('parses int8 as numbers and dates as text on either database', async () => {
    const { database } = testApp();
    const result = await sql<{ big: number; day: string; at: Date }>`
      select 9007199254740991::int8 as big, date '2026-08-15' as day, timestamptz '2026-08-15T10:00:00Z' as at`.execute(
      database.db,
    );
    expect(result.rows[0]).toEqual({
      big: 9007199254740991,
      day: '2026-08-15',
      at: new Date('2026-08-15T10:00:00Z'),
    });
  });

  it('refuses int8 values that would lose precision', async () => {
    const { database } = testApp();
    await expect(sql`select 9007199254740993::int8 as big`.execute(database.db)).rejects.toThrow(
      /safe integer/,
    );
  });

  it('opens the connections a worker keeps, which the pool does not close when idle', async () => {
    const { database } = testApp();
    await openKeptConnections(database);
    const { pool } = database;
    if (!pool) {
      // The embedded database has its one connection: nothing to open.
      expect(database.kind).toBe('pglite');
      return;
    }
    expect(pool.options.min).toBe(KEPT_CONNECTIONS);
    expect(pool.totalCount).toBeGreaterThanOrEqual(KEPT_CONNECTIONS);
    expect(pool.idleCount).toBeGreaterThanOrEqual(KEPT_CONNECTIONS);
  });
});
