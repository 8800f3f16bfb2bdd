import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeviceStatus } from '../../../src/common/inventory.ts';
import type { MdmReport, ReportFigure } from '../../../src/common/reports.ts';
import { schoolYearEnd } from '../../../src/common/school-year.ts';
import type { Database } from '../../../src/server/db/connect.ts';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn, type TestDistrict } from '../../setup/factories.ts';

const testApp = withTestApp();
const DAY_MS = 24 * 3600 * 1000;
const SYNCED: DeviceStatus[] = ['in_service', 'spare', 'lost'];

function daysAgo(days: number): string {
  return new Date(Date.now() - days * DAY_MS).toISOString();
}

async function post<T = { id: string }>(session: Session, url: string, payload: object): Promise<T> {
  const response = await session.inject({ method: 'POST', url, payload });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

interface RecordFixture {
  match?: 'matched' | 'not_found';
  aue?: string | null;
  lastCheckIn?: string | null;
  annotatedUser?: string | null;
  recentUsers?: string[];
  duplicates?: string[];
  fetchedAt?: string;
}

interface DeviceFixture {
  serial: string;
  status?: DeviceStatus;
  school?: string;
  holder?: string;
  record?: RecordFixture;
}

async function insertRecord(database: Database, districtId: string, deviceId: string, record: RecordFixture) {
  await database.db
    .insertInto('mdm_device_records')
    .values({
      district_id: districtId,
      device_id: deviceId,
      provider: 'google',
      provider_device_id: `g-${randomUUID()}`,
      fields: JSON.stringify({
        mdmStatus: 'ACTIVE',
        lastCheckInAt: record.lastCheckIn ?? null,
        autoUpdateExpiration: record.aue ?? null,
        recentUsers: record.recentUsers ?? [],
      }),
      extras: JSON.stringify({
        annotatedUser: record.annotatedUser ?? null,
        ...(record.duplicates ? { duplicateDeviceIds: record.duplicates } : {}),
      }),
      match_state: record.match ?? 'matched',
      fetched_at: record.fetchedAt ?? daysAgo(1),
    })
    .execute();
}

/** Creates devices through the API (checking out, then setting the status), and their records as fixtures. */
async function addDevices(
  database: Database,
  district: TestDistrict,
  session: Session,
  devices: DeviceFixture[],
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const device of devices) {
    const created = await post(session, '/api/v1/devices', {
      serialNumber: device.serial,
      status: device.status === 'retired' ? 'in_service' : (device.status ?? 'in_service'),
      schoolId: device.school ?? null,
    });
    if (device.holder) {
      await post(session, `/api/v1/devices/${created.id}/checkout`, { personId: device.holder });
    }
    if (device.status === 'retired') {
      const patched = await session.inject({
        method: 'PATCH',
        url: `/api/v1/devices/${created.id}`,
        payload: { status: 'retired' },
      });
      expect(patched.statusCode).toBe(200);
    }
    if (device.record) await insertRecord(database, district.id, created.id, device.record);
    ids[device.serial] = created.id;
  }
  return ids;
}

async function addConnection(database: Database, districtId: string, syncedStatuses: DeviceStatus[]) {
  const connection = await database.db
    .insertInto('mdm_connections')
    .values({
      district_id: districtId,
      provider: 'google',
      state: 'active',
      settings: JSON.stringify({ syncedStatuses, intervalMinutes: 360 }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return connection.id;
}

async function addRun(
  database: Database,
  districtId: string,
  connectionId: string,
  run: { strategy: string; state: 'succeeded' | 'failed'; finishedAt: string; unmatched: number },
) {
  await database.db
    .insertInto('sync_runs')
    .values({
      district_id: districtId,
      connection_id: connectionId,
      provider: 'google',
      trigger: 'schedule',
      strategy: run.strategy,
      state: run.state,
      counters: JSON.stringify({ considered: 10, matched: 9, unmatchedProviderDevices: run.unmatched }),
      queued_at: run.finishedAt,
      started_at: run.finishedAt,
      finished_at: run.finishedAt,
    })
    .execute();
}

interface Fleet {
  district: TestDistrict;
  session: Session;
  schools: { north: string; south: string };
  ids: Record<string, string>;
  syncYearEnd: number;
  runs: { fullListingAt: string; batchAt: string };
  newestFetch: string;
}

/**
 * A district whose every device is there to land in, or stay out of, exactly one figure. Synced statuses are
 * in service, spare and lost, so in-repair and retired devices are outside the tracked set.
 */
async function buildFleet(): Promise<Fleet> {
  const { app, database } = testApp();
  const district = await createDistrict(database);
  const session = await signIn(app, district.admin);
  const north = (await post(session, '/api/v1/schools', { name: 'North High' })).id;
  const south = (await post(session, '/api/v1/schools', { name: 'South Elementary' })).id;
  const person = async (name: string, kind: 'student' | 'staff', grade: string | null, schoolId?: string) =>
    (
      await post(session, '/api/v1/people', {
        kind,
        name,
        grade,
        schoolId: schoolId ?? null,
        email: name === 'No Email' ? null : `${name.toLowerCase().replace(/\s+/g, '.')}@students.example.org`,
      })
    ).id;
  const nineA = await person('Nina Nine', 'student', '9', north);
  const nineB = await person('Noah Nine', 'student', ' 9 ', north);
  const twelve = await person('Tara Twelve', 'student', '12', south);
  const kinder = await person('Kim Kinder', 'student', 'K', south);
  const adult = await person('Ada Adult', 'student', 'Adult');
  const noEmail = await person('No Email', 'student', '12');
  const teacher = await person('Terry Teacher', 'staff', null, north);
  const email = (name: string) => `${name.toLowerCase().replace(/\s+/g, '.')}@students.example.org`;

  const y = schoolYearEnd(new Date());
  const newestFetch = daysAgo(0.5);
  const ids = await addDevices(database, district, session, [
    {
      serial: 'R01',
      school: north,
      holder: nineA,
      record: {
        aue: `${y + 1}-06-01`,
        lastCheckIn: daysAgo(1),
        annotatedUser: email('Nina Nine'),
        recentUsers: [email('Nina Nine')],
        fetchedAt: newestFetch,
      },
    },
    {
      serial: 'R02',
      school: north,
      holder: nineB,
      record: {
        aue: `${y + 2}-08-01T00:00:00.000Z`,
        lastCheckIn: daysAgo(45),
        recentUsers: ['someone.else@students.example.org', email('Noah Nine')],
      },
    },
    {
      // Expires on graduation day itself: not before it.
      serial: 'R03',
      school: south,
      holder: twelve,
      record: { aue: `${y}-06-30`, lastCheckIn: null, annotatedUser: email('Tara Twelve').toUpperCase() },
    },
    {
      serial: 'R04',
      school: south,
      holder: kinder,
      record: { aue: `${y + 5}-01-15`, lastCheckIn: daysAgo(100), duplicates: ['old-1'] },
    },
    {
      serial: 'R05',
      status: 'spare',
      school: south,
      record: { aue: `${y + 5}-03-01`, lastCheckIn: daysAgo(200), duplicates: ['old-2', 'old-3'] },
    },
    {
      serial: 'R06',
      holder: adult,
      record: { aue: `${y - 1}-05-01`, lastCheckIn: daysAgo(2), annotatedUser: 'coach@example.org' },
    },
    {
      serial: 'R07',
      holder: noEmail,
      record: { aue: `${y - 1}-01-01`, lastCheckIn: daysAgo(2), annotatedUser: 'other@example.org' },
    },
    {
      serial: 'R08',
      school: north,
      holder: teacher,
      record: { aue: `${y + 1}-02-01`, lastCheckIn: daysAgo(2), annotatedUser: '', recentUsers: [] },
    },
    { serial: 'R09', record: { aue: null, lastCheckIn: daysAgo(61) } },
    {
      serial: 'R10',
      school: north,
      holder: await person('Nell Nine', 'student', '9', north),
      record: {
        match: 'not_found',
        aue: `${y + 1}-01-01`,
        lastCheckIn: daysAgo(300),
        annotatedUser: 'stranger@example.org',
        duplicates: ['old-4'],
      },
    },
    { serial: 'R11' },
    {
      serial: 'R12',
      status: 'retired',
      record: { aue: `${y + 1}-01-01`, lastCheckIn: daysAgo(300), duplicates: ['old-5'] },
    },
    { serial: 'R13', status: 'in_repair', record: { aue: `${y + 1}-01-01`, lastCheckIn: daysAgo(2) } },
    { serial: 'R14', status: 'retired' },
  ]);

  const connectionId = await addConnection(database, district.id, SYNCED);
  const fullListingAt = daysAgo(3);
  const batchAt = daysAgo(1);
  await addRun(database, district.id, connectionId, {
    strategy: 'full_listing',
    state: 'succeeded',
    finishedAt: fullListingAt,
    unmatched: 17,
  });
  await addRun(database, district.id, connectionId, {
    strategy: 'batch_lookup',
    state: 'succeeded',
    finishedAt: batchAt,
    unmatched: 0,
  });
  await addRun(database, district.id, connectionId, {
    strategy: 'full_listing',
    state: 'failed',
    finishedAt: daysAgo(0.1),
    unmatched: 99,
  });
  return {
    district,
    session,
    schools: { north, south },
    ids,
    syncYearEnd: y,
    runs: { fullListingAt, batchAt },
    newestFetch,
  };
}

async function readReport(session: Session, query = ''): Promise<MdmReport> {
  const response = await session.inject({ method: 'GET', url: `/api/v1/reports/mdm${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<MdmReport>();
}

function counts(report: MdmReport) {
  return {
    years: report.autoUpdateExpirationByYear.years.map(({ year, count }) => [year, count]),
    unknown: report.autoUpdateExpirationByYear.unknown,
    matchedTotal: report.autoUpdateExpirationByYear.total.count,
    cohorts: report.aueCohorts.groups.map((group) => ({
      school: group.school?.name ?? null,
      grade: group.grade,
      count: group.count,
      earliest: group.earliestAutoUpdateExpiration,
      graduation: group.expectedGraduation,
    })),
    cohortTotal: report.aueCohorts.total.count,
    notSeen: report.notSeen.map(({ days, count }) => [days, count]),
    userMismatches: report.userMismatches.count,
    duplicates: report.duplicates.count,
    coverage: {
      tracked: report.coverage.tracked.count,
      matched: report.coverage.matched.count,
      notFound: report.coverage.notFound.count,
      neverSynced: report.coverage.neverSynced.count,
    },
  };
}

/** Every figure that carries a device-list link, named for failure messages. */
function linkedFigures(report: MdmReport): [string, ReportFigure][] {
  const figures: [string, ReportFigure][] = [
    ['aue total', report.autoUpdateExpirationByYear.total],
    ...report.autoUpdateExpirationByYear.years.map((year): [string, ReportFigure] => [
      `aue ${year.year}`,
      year,
    ]),
    ['cohort total', report.aueCohorts.total],
    ...report.aueCohorts.groups.flatMap((group): [string, ReportFigure][] =>
      group.devicesQuery === null
        ? []
        : [
            [
              `cohort ${group.school?.name} ${group.grade}`,
              { count: group.count, devicesQuery: group.devicesQuery },
            ],
          ],
    ),
    ...report.notSeen.map((figure): [string, ReportFigure] => [`not seen ${figure.days}`, figure]),
    ['user mismatches', report.userMismatches],
    ['aue expired', report.autoUpdateExpirationByYear.expired],
    ...Object.entries(report.conflicts).map(([kind, figure]): [string, ReportFigure] => [
      `conflicts ${kind}`,
      figure,
    ]),
    ['duplicates', report.duplicates],
    ['tracked', report.coverage.tracked],
    ['matched', report.coverage.matched],
    ['not found', report.coverage.notFound],
    ['never synced', report.coverage.neverSynced],
    ['in no MDM', report.inNoMdm],
    ...report.coverageByProvider.flatMap((coverage): [string, ReportFigure][] =>
      (['tracked', 'matched', 'notFound', 'neverSynced'] as const).map((name) => [
        `${coverage.provider.key} ${name}`,
        coverage[name],
      ]),
    ),
  ];
  return figures;
}

describe('MDM report', () => {
  it('counts each report exactly on a crafted fleet', async () => {
    const fleet = await buildFleet();
    const y = fleet.syncYearEnd;
    const report = await readReport(fleet.session, '?provider=google');
    expect(report.provider).toEqual({ key: 'google', name: 'Google Admin (ChromeOS)' });
    expect(report.hasData).toBe(true);
    expect(report.today).toBe(new Date().toISOString().slice(0, 10));
    expect(report.asOf).toEqual({
      recordsFetchedAt: new Date(fleet.newestFetch).toISOString(),
      lastSuccessfulSyncAt: new Date(fleet.runs.batchAt).toISOString(),
    });
    expect(counts(report)).toEqual({
      // Tracked (in service, spare, lost) with a matched record: R01–R09; R09 has no expiration.
      years: [
        [y - 1, 2],
        [y, 1],
        [y + 1, 2],
        [y + 2, 1],
        [y + 3, 0],
        [y + 4, 0],
        [y + 5, 2],
      ],
      unknown: 1,
      matchedTotal: 9,
      cohorts: [
        {
          school: 'North High',
          grade: 9,
          count: 2,
          earliest: `${y + 1}-06-01`,
          graduation: `${y + 3}-06-30`,
        },
        {
          school: 'South Elementary',
          grade: 0,
          count: 1,
          earliest: `${y + 5}-01-15`,
          graduation: `${y + 12}-06-30`,
        },
        { school: null, grade: 12, count: 1, earliest: `${y - 1}-01-01`, graduation: `${y}-06-30` },
      ],
      cohortTotal: 4,
      notSeen: [
        [30, 4],
        [60, 3],
        [90, 2],
      ],
      userMismatches: 2,
      duplicates: 3,
      coverage: { tracked: 11, matched: 9, notFound: 1, neverSynced: 1 },
    });
    expect(report.coverage.syncedStatuses).toEqual(SYNCED);
    expect(report.coverage.outsideInventory).toEqual({
      count: 17,
      asOf: new Date(fleet.runs.fullListingAt).toISOString(),
      latestRunWasFullListing: false,
    });
  });

  it('builds the device-list links from the documented filter names', async () => {
    const fleet = await buildFleet();
    const y = fleet.syncYearEnd;
    const report = await readReport(fleet.session);
    const tracked = 'mdmProvider=google&status=in_service&status=spare&status=lost';
    const year = report.autoUpdateExpirationByYear.years.find((entry) => entry.year === y + 1);
    expect(year?.devicesQuery).toBe(`${tracked}&aueAfter=${y + 1}-01-01&aueBefore=${y + 2}-01-01`);
    const north = report.aueCohorts.groups.find((group) => group.school?.id === fleet.schools.north);
    expect(north?.devicesQuery).toBe(
      `mdmProvider=google&aueBeforeGraduation=true&school=${fleet.schools.north}&grade=9`,
    );
    expect(report.aueCohorts.groups.find((group) => group.school === null)?.devicesQuery).toBeNull();
    const since = new Date(Date.now() - 60 * DAY_MS).toISOString().slice(0, 10);
    expect(report.notSeen[1]).toMatchObject({
      days: 60,
      since,
      devicesQuery: `mdmProvider=google&status=in_service&notSeenSince=${since}`,
    });
    expect(report.userMismatches.devicesQuery).toBe('mdmProvider=google&userMismatch=true');
    expect(report.duplicates.devicesQuery).toBe('mdmProvider=google&mdmDuplicates=true');
    expect(report.coverage.notFound.devicesQuery).toBe(`${tracked}&mdmMatch=not_found`);
    expect(report.coverage.neverSynced.devicesQuery).toBe(`${tracked}&mdmMatch=none`);
  });

  it('gives every figure a link whose device list total equals the figure', async () => {
    const fleet = await buildFleet();
    const report = await readReport(fleet.session);
    const figures = linkedFigures(report);
    expect(figures.length).toBeGreaterThan(15);
    const mismatches: string[] = [];
    for (const [name, figure] of figures) {
      const response = await fleet.session.inject({
        method: 'GET',
        url: `/api/v1/devices?${figure.devicesQuery}&pageSize=1`,
      });
      expect(response.statusCode, `${name}: ${response.body}`).toBe(200);
      const total = response.json<{ total: number }>().total;
      if (total !== figure.count) mismatches.push(`${name}: report ${figure.count}, list ${total}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('says the outside-inventory count is unknown until a full listing succeeds', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    await addDevices(database, district, session, [
      { serial: 'B1', record: { aue: '2030-01-01', lastCheckIn: daysAgo(1) } },
    ]);
    const connectionId = await addConnection(database, district.id, ['in_service']);
    await addRun(database, district.id, connectionId, {
      strategy: 'batch_lookup',
      state: 'succeeded',
      finishedAt: daysAgo(1),
      unmatched: 0,
    });
    const before = await readReport(session);
    expect(before.coverage.outsideInventory).toBeNull();
    const fullAt = daysAgo(0.5);
    await addRun(database, district.id, connectionId, {
      strategy: 'full_listing',
      state: 'succeeded',
      finishedAt: fullAt,
      unmatched: 4,
    });
    const after = await readReport(session);
    expect(after.coverage.outsideInventory).toEqual({
      count: 4,
      asOf: new Date(fullAt).toISOString(),
      latestRunWasFullListing: true,
    });
    expect(after.coverage.tracked.devicesQuery).toBe('mdmProvider=google&status=in_service');
  });

  it('leaves the status filter out of tracked links when every status is synced', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    await addConnection(database, district.id, [
      'in_service',
      'spare',
      'in_repair',
      'lost',
      'stolen',
      'retired',
      'disposed',
    ]);
    const report = await readReport(await signIn(app, district.admin));
    expect(report.coverage.tracked.devicesQuery).toBe('mdmProvider=google');
    expect(report.coverage.neverSynced.devicesQuery).toBe('mdmProvider=google&mdmMatch=none');
  });

  it('shows a district without MDM data an empty report', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const session = await signIn(app, district.admin);
    await post(session, '/api/v1/devices', { serialNumber: 'EMPTY1' });
    const report = await readReport(session);
    expect(report.hasData).toBe(false);
    expect(report.asOf).toEqual({ recordsFetchedAt: null, lastSuccessfulSyncAt: null });
    expect(report.autoUpdateExpirationByYear).toMatchObject({ years: [], unknown: 0, total: { count: 0 } });
    expect(report.aueCohorts).toMatchObject({ groups: [], total: { count: 0 } });
    // No connection: the default synced statuses, and the one device has never been synced.
    expect(report.coverage).toMatchObject({
      syncedStatuses: ['in_service', 'spare', 'in_repair', 'lost', 'stolen'],
      tracked: { count: 1 },
      neverSynced: { count: 1 },
      outsideInventory: null,
    });
  });

  it('shows the empty state again once the synced data is removed, though runs remain', async () => {
    const fleet = await buildFleet();
    expect((await readReport(fleet.session)).hasData).toBe(true);
    const removed = await fleet.session.inject({
      method: 'DELETE',
      url: '/api/v1/mdm/providers/google/data',
    });
    expect(removed.statusCode, removed.body).toBe(200);
    const report = await readReport(fleet.session, '?provider=google');
    expect(report.hasData).toBe(false);
    expect(report.coverage.matched.count).toBe(0);
  });

  it('keeps each district to its own devices, records and runs', async () => {
    const fleet = await buildFleet();
    const { app, database } = testApp();
    const other = await createDistrict(database);
    const otherSession = await signIn(app, other.admin);
    const otherReport = await readReport(otherSession);
    expect(otherReport.hasData).toBe(false);
    expect(otherReport.coverage.tracked.count).toBe(0);
    expect(otherReport.duplicates.count).toBe(0);

    await addDevices(database, other, otherSession, [
      { serial: 'R01', record: { aue: '2031-01-01', lastCheckIn: daysAgo(400), duplicates: ['x'] } },
    ]);
    const mine = counts(await readReport(fleet.session));
    const theirs = await readReport(otherSession);
    expect(counts(theirs)).toMatchObject({
      years: [[2031, 1]],
      notSeen: [
        [30, 1],
        [60, 1],
        [90, 1],
      ],
      duplicates: 1,
      coverage: { tracked: 1, matched: 1, notFound: 0, neverSynced: 0 },
    });
    expect(theirs.coverage.outsideInventory).toBeNull();
    expect(mine.duplicates).toBe(3);
    expect(mine.coverage.tracked).toBe(11);
  });

  it('lets a viewer read it, and refuses an unauthenticated caller or an unknown provider', async () => {
    const fleet = await buildFleet();
    const { app, database } = testApp();
    const viewer = await signIn(app, await addUser(database, fleet.district, 'viewer'));
    const asViewer = await readReport(viewer);
    const asAdmin = await readReport(fleet.session);
    expect(counts(asViewer)).toEqual(counts(asAdmin));
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/reports/mdm' });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await fleet.session.inject({ method: 'GET', url: '/api/v1/reports/mdm?provider=jamf' });
    expect(unknown.statusCode).toBe(400);
    const route = testApp()
      .routes()
      .find((entry) => entry.url === '/api/v1/reports/mdm' && entry.method === 'GET');
    expect(route?.access).toBe('inventory.read');
  });
});
