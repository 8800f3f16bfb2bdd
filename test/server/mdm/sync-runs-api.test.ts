import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SyncRunList, SyncUsage } from '../../../src/common/mdm.ts';
import type { Database } from '../../../src/server/db/connect.ts';
import type { SyncRunRow } from '../../../src/server/db/schema.ts';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

const RUNS = '/api/v1/mdm/providers/google/runs';
const USAGE = '/api/v1/mdm/providers/google/usage';
const DAY_MS = 24 * 3600 * 1000;

async function addConnection(database: Database, districtId: string): Promise<string> {
  const connection = await database.db
    .insertInto('mdm_connections')
    .values({ district_id: districtId, provider: 'google', state: 'active', settings: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return connection.id;
}

interface RunFixture {
  queuedAt: string;
  startedAt?: string | null;
  counters?: Record<string, number>;
  state?: SyncRunRow['state'];
}

/** A finished run as the engine leaves it, written straight into `sync_runs` with the times and counters given. */
async function addRun(
  database: Database,
  connection: { districtId: string; id: string },
  run: RunFixture,
): Promise<string> {
  const row = await database.db
    .insertInto('sync_runs')
    .values({
      district_id: connection.districtId,
      connection_id: connection.id,
      provider: 'google',
      trigger: 'schedule',
      strategy: 'batch_lookup',
      estimate: JSON.stringify({ apiCalls: 1, complete: true, fullPass: true }),
      state: run.state ?? 'succeeded',
      counters: JSON.stringify(run.counters ?? { apiCalls: 1 }),
      queued_at: run.queuedAt,
      started_at: run.startedAt === undefined ? run.queuedAt : run.startedAt,
      finished_at: run.startedAt === null ? null : run.queuedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A district with Google connected, signed in as its administrator. */
async function connectedDistrict() {
  const { database, app } = testApp();
  const district = await createDistrict(database);
  const connection = { districtId: district.id, id: await addConnection(database, district.id) };
  return { district, connection, admin: await signIn(app, district.admin) };
}

function byDescending(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? 1 : -1;
}

async function runsPage(session: Session, query: string): Promise<SyncRunList> {
  const response = await session.inject({ method: 'GET', url: `${RUNS}${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<SyncRunList>();
}

describe('GET /mdm/providers/:key/runs', () => {
  it('pages through the runs newest first with a keyset cursor, ties broken by id, to a null cursor', async () => {
    const { connection, admin } = await connectedDistrict();
    const { database } = testApp();
    // Two runs a few microseconds apart straddle the first page boundary (a millisecond cursor would skip
    // one), and two queued at the very same instant straddle the second.
    const times = [
      '2026-01-10T12:00:00.000000Z',
      '2026-01-10T11:00:00.000000Z',
      '2026-01-10T10:00:00.000500Z',
      '2026-01-10T10:00:00.000200Z',
      '2026-01-10T09:00:00.000000Z',
      '2026-01-10T08:00:00.000000Z',
      '2026-01-10T08:00:00.000000Z',
    ];
    const inserted: { id: string; queuedAt: string }[] = [];
    for (const queuedAt of [...times].reverse()) {
      inserted.push({ id: await addRun(database, connection, { queuedAt }), queuedAt });
    }
    const expected = inserted
      // Same-format timestamps and lower-case uuids sort as plain strings the way PostgreSQL sorts them.
      .sort((a, b) => byDescending(a.queuedAt, b.queuedAt) || byDescending(a.id, b.id))
      .map((run) => run.id);

    const first = await runsPage(admin, '?limit=3');
    expect(first.runs.map((run) => run.id)).toEqual(expected.slice(0, 3));
    expect(first.nextBefore).toBe(expected[2]);
    const second = await runsPage(admin, `?limit=3&before=${first.nextBefore}`);
    expect(second.runs.map((run) => run.id)).toEqual(expected.slice(3, 6));
    expect(second.nextBefore).toBe(expected[5]);
    const third = await runsPage(admin, `?limit=3&before=${second.nextBefore}`);
    expect(third.runs.map((run) => run.id)).toEqual(expected.slice(6));
    expect(third.nextBefore).toBeNull();

    const exact = await runsPage(admin, '?limit=7');
    expect(exact.runs.map((run) => run.id)).toEqual(expected);
    expect(exact.nextBefore).toBeNull();
    const everything = await runsPage(admin, '');
    expect(everything.runs.map((run) => run.id)).toEqual(expected);
    expect(everything.nextBefore).toBeNull();
    expect(everything.runs[0]).toMatchObject({
      provider: 'google',
      trigger: 'schedule',
      strategy: 'batch_lookup',
      state: 'succeeded',
      counters: { apiCalls: 1 },
      queuedAt: '2026-01-10T12:00:00.000Z',
    });
    const last = await runsPage(admin, `?before=${expected[6]}`);
    expect(last).toEqual({ runs: [], nextBefore: null });
  });

  it('answers 400 for a cursor that is no run of this history, the same for another district’s run', async () => {
    const { admin } = await connectedDistrict();
    const other = await connectedDistrict();
    const foreignRun = await addRun(testApp().database, other.connection, {
      queuedAt: '2026-01-10T12:00:00Z',
    });

    const unknown = await admin.inject({ method: 'GET', url: `${RUNS}?before=${randomUUID()}` });
    const foreign = await admin.inject({ method: 'GET', url: `${RUNS}?before=${foreignRun}` });
    expect(unknown.statusCode).toBe(400);
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toEqual(unknown.json());
    expect(foreign.json()).toMatchObject({
      error: {
        code: 'invalid',
        message: expect.stringMatching(/before/),
        details: [{ path: 'querystring.before' }],
      },
    });
    expect(foreign.body).not.toContain(foreignRun);

    for (const query of ['?before=not-a-uuid', '?limit=0', '?limit=201', '?limit=ten', '?page=2']) {
      const response = await admin.inject({ method: 'GET', url: `${RUNS}${query}` });
      expect(response.statusCode, query).toBe(400);
    }
    // The other district sees its own run; this district sees none of it.
    expect((await runsPage(other.admin, '')).runs.map((run) => run.id)).toEqual([foreignRun]);
    expect(await runsPage(admin, '?limit=200')).toEqual({ runs: [], nextBefore: null });
  });
});

/** Waits out the last seconds of a UTC day, so the test and the server agree on which day is today. */
async function awayFromMidnight(): Promise<void> {
  const untilMidnight = DAY_MS - (Date.now() % DAY_MS);
  if (untilMidnight < 10_000) await new Promise((resolve) => setTimeout(resolve, untilMidnight + 100));
}

function utcDay(offsetDays: number, now = Date.now()): string {
  // One reading of the clock: two could fall either side of a millisecond and land on the day before.
  const today = now - (now % DAY_MS);
  return new Date(today + offsetDays * DAY_MS).toISOString().slice(0, 10);
}

async function usage(session: Session, query: string): Promise<SyncUsage> {
  const response = await session.inject({ method: 'GET', url: `${USAGE}${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<SyncUsage>();
}

describe('GET /mdm/providers/:key/usage', () => {
  it('sums API calls per UTC day by when each run started, with every day of the window', async () => {
    await awayFromMidnight();
    const { connection, admin } = await connectedDistrict();
    const other = await connectedDistrict();
    const { database } = testApp();
    const at = (offsetDays: number, time: string) => `${utcDay(offsetDays)}T${time}Z`;
    const runs: RunFixture[] = [
      { queuedAt: at(0, '00:00:01'), counters: { apiCalls: 5, retries: 2 } },
      { queuedAt: at(0, '00:00:02'), counters: { apiCalls: 7 } },
      { queuedAt: at(-3, '12:00:00'), counters: { apiCalls: 11 } },
      // Queued late one day, started early the next: it counts on the day it started.
      { queuedAt: at(-6, '23:59:59'), startedAt: at(-5, '00:00:01'), counters: { apiCalls: 13 } },
      // Never started (cancelled while queued): it counts on the day it was queued.
      { queuedAt: at(-2, '08:00:00'), startedAt: null, state: 'cancelled', counters: { apiCalls: 4 } },
      // Planning failed before any counter was written.
      { queuedAt: at(-1, '08:00:00'), state: 'failed', counters: {} },
      { queuedAt: at(-29, '00:00:00'), counters: { apiCalls: 17 } },
      // A day before a 30-day window.
      { queuedAt: at(-30, '23:59:59'), counters: { apiCalls: 1000 } },
    ];
    for (const run of runs) await addRun(database, connection, run);
    await addRun(database, other.connection, { queuedAt: at(0, '00:00:03'), counters: { apiCalls: 500 } });

    const month = await usage(admin, '');
    expect(month.days).toHaveLength(30);
    expect(month).toMatchObject({ provider: 'google', from: utcDay(-29), to: utcDay(0), total: 57 });
    const expected = new Map([
      [utcDay(0), 12],
      [utcDay(-3), 11],
      [utcDay(-5), 13],
      [utcDay(-2), 4],
      [utcDay(-29), 17],
    ]);
    expect(month.days).toEqual(
      Array.from({ length: 30 }, (_, index) => {
        const day = utcDay(index - 29);
        return { day, apiCalls: expected.get(day) ?? 0 };
      }),
    );

    const week = await usage(admin, '?days=7');
    expect(week.days.map((entry) => entry.apiCalls)).toEqual([0, 13, 0, 11, 4, 0, 12]);
    expect(week.total).toBe(40);
    expect((await usage(admin, '?days=1')).days).toEqual([{ day: utcDay(0), apiCalls: 12 }]);
    expect((await usage(admin, '?days=31')).total).toBe(1057);
    expect((await usage(other.admin, '?days=90')).total).toBe(500);

    for (const query of ['?days=0', '?days=91', '?days=1.5', '?since=2026-01-01']) {
      const response = await admin.inject({ method: 'GET', url: `${USAGE}${query}` });
      expect(response.statusCode, query).toBe(400);
    }
  });

  it('is zero on every day for a provider that never synced', async () => {
    const { admin } = await connectedDistrict();
    const week = await usage(admin, '?days=7');
    expect(week.total).toBe(0);
    expect(week.days.every((entry) => entry.apiCalls === 0)).toBe(true);
  });
});

describe('run history access', () => {
  it('is for administrators only: other roles get 403, anonymous requests 401', async () => {
    const { database, app } = testApp();
    const { district, connection } = await connectedDistrict();
    const run = await addRun(database, connection, { queuedAt: '2026-01-10T12:00:00Z' });
    const urls = [RUNS, `${RUNS}?limit=1&before=${run}`, USAGE, `${USAGE}?days=7`];
    for (const role of ['technician', 'viewer'] as const) {
      const session = await signIn(app, await addUser(database, district, role));
      for (const url of urls) {
        const response = await session.inject({ method: 'GET', url });
        expect(response.statusCode, `${role} ${url}`).toBe(403);
        expect(response.body).not.toContain(run);
      }
    }
    for (const url of urls) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
    }
  });
});
