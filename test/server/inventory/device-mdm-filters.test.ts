import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGoogle, generateFleet } from '../../../fakes/google/index.ts';
import { DEFAULT_SYNCED_STATUSES, type DeviceMdmRecord } from '../../../src/common/mdm.ts';
import { expectedGraduation } from '../../../src/common/school-year.ts';
import { systemContext } from '../../../src/server/context.ts';
import { generateDemoData } from '../../../src/server/inventory/demo-data.ts';
import { listTrackableDevices } from '../../../src/server/inventory/index.ts';
import { runSync } from '../../../src/server/mdm/sync/engine.ts';
import { queueRun } from '../../../src/server/mdm/sync/runs.ts';
import { mdmWarnings } from '../../../src/web/lib/mdmWarnings.ts';
import { createTestApp, silentLog, type TestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';
import { activateAndAuthorizeGoogle, startGoogleForTests } from '../../setup/google.ts';

/** Google as the device screen's warnings know it (src/web/providers/google). */
const GOOGLE = { brand: 'Google', unusableStatuses: ['DISABLED', 'DEPROVISIONED'] };

let fake: FakeGoogle;
let testApp: TestApp;

beforeAll(async () => {
  const google = await startGoogleForTests();
  fake = google.fake;
  testApp = await createTestApp(google.environment);
});

afterAll(async () => {
  await testApp?.app.close();
  await testApp?.database.close();
  await fake?.close();
});

const FETCHED_AT = '2026-11-20T08:00:00.000Z';

interface Admin {
  session: Session;
  districtId: string;
}

async function newDistrict(): Promise<Admin> {
  const district = await createDistrict(testApp.database);
  return { session: await signIn(testApp.app, district.admin), districtId: district.id };
}

async function post<T = { id: string }>(session: Session, url: string, payload: object): Promise<T> {
  const response = await session.inject({ method: 'POST', url, payload });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

async function addDevice(admin: Admin, serialNumber: string, fields: object = {}): Promise<string> {
  return (await post(admin.session, '/api/v1/devices', { serialNumber, ...fields })).id;
}

async function addPerson(
  admin: Admin,
  person: { name: string; email?: string | null; grade?: string | null; kind?: 'student' | 'staff' },
): Promise<string> {
  return (await post(admin.session, '/api/v1/people', { kind: 'student', ...person })).id;
}

async function checkOut(admin: Admin, deviceId: string, personId: string): Promise<void> {
  await post(admin.session, `/api/v1/devices/${deviceId}/checkout`, { personId });
}

/** A stored provider record with exact values: a fixture, as the sync writer would leave it. */
async function addRecord(
  admin: Admin,
  deviceId: string,
  record: {
    matchState?: 'matched' | 'not_found';
    fields?: Record<string, unknown>;
    extras?: Record<string, unknown>;
    fetchedAt?: string;
  } = {},
): Promise<void> {
  await testApp.database.db
    .insertInto('mdm_device_records')
    .values({
      district_id: admin.districtId,
      device_id: deviceId,
      provider: 'google',
      provider_device_id: `google-${deviceId.slice(0, 8)}`,
      fields: JSON.stringify(record.fields ?? {}),
      extras: JSON.stringify(record.extras ?? {}),
      match_state: record.matchState ?? 'matched',
      fetched_at: record.fetchedAt ?? FETCHED_AT,
    })
    .execute();
}

async function list(admin: Admin, query: string) {
  const response = await admin.session.inject({
    method: 'GET',
    url: `/api/v1/devices?pageSize=500&${query}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** The serial numbers the list shows for this query, sorted (unless the query sorts). */
async function serials(admin: Admin, query: string, keepOrder = false): Promise<string[]> {
  const body = await list(admin, query);
  expect(body.total).toBe(body.devices.length);
  const found = body.devices.map((device: { serialNumber: string }) => device.serialNumber);
  return keepOrder ? found : found.sort();
}

async function exportCsv(admin: Admin, query = ''): Promise<string[]> {
  const response = await admin.session.inject({ method: 'GET', url: `/api/v1/devices/export.csv?${query}` });
  expect(response.statusCode).toBe(200);
  return response.body
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
}

describe('device list MDM filters', () => {
  it('filters by auto-update expiration, before and on-or-after a day, matched records with a known date only', async () => {
    const admin = await newDistrict();
    const aues: Record<string, string | null | number> = {
      'AUE-2026': '2026-06-01T00:00:00.000Z',
      'AUE-EDGE': '2027-01-01T00:00:00.000Z',
      'AUE-2028': '2028-06-01T00:00:00.000Z',
      'AUE-NONE': null,
      'AUE-JUNK': 'soon',
      'AUE-NUMBER': 1_800_000_000_000,
    };
    for (const [serial, aue] of Object.entries(aues)) {
      await addRecord(admin, await addDevice(admin, serial), { fields: { autoUpdateExpiration: aue } });
    }
    await addRecord(admin, await addDevice(admin, 'AUE-GONE'), {
      matchState: 'not_found',
      fields: { autoUpdateExpiration: '2026-01-01T00:00:00.000Z' },
    });
    await addDevice(admin, 'NO-RECORD');

    expect(await serials(admin, 'aueBefore=2027-01-01')).toEqual(['AUE-2026']);
    expect(await serials(admin, 'aueAfter=2027-01-01')).toEqual(['AUE-2028', 'AUE-EDGE']);
    expect(await serials(admin, 'aueAfter=2026-01-01&aueBefore=2028-01-01')).toEqual([
      'AUE-2026',
      'AUE-EDGE',
    ]);
    expect(await serials(admin, 'aueBefore=2100-01-01&mdmProvider=google')).toEqual([
      'AUE-2026',
      'AUE-2028',
      'AUE-EDGE',
    ]);
  });

  it('finds devices not checked in since a day: earlier or unknown check-in, matched records only', async () => {
    const admin = await newDistrict();
    const checkIns: Record<string, string | null> = {
      'SEEN-OLD': '2026-09-01T10:00:00.000Z',
      'SEEN-EDGE': '2026-10-28T00:00:01.000Z',
      'SEEN-RECENT': '2026-11-19T10:00:00.000Z',
      'SEEN-NEVER': null,
      'SEEN-JUNK': 'yesterday',
    };
    for (const [serial, lastCheckInAt] of Object.entries(checkIns)) {
      await addRecord(admin, await addDevice(admin, serial), { fields: { lastCheckInAt } });
    }
    await addRecord(admin, await addDevice(admin, 'SEEN-GONE'), {
      matchState: 'not_found',
      fields: { lastCheckInAt: '2026-01-01T00:00:00.000Z' },
    });
    await addRecord(admin, await addDevice(admin, 'SEEN-SPARE', { status: 'spare' }), {
      fields: { lastCheckInAt: '2026-01-01T00:00:00.000Z' },
    });
    await addDevice(admin, 'NO-RECORD');

    expect(await serials(admin, 'notSeenSince=2026-10-28')).toEqual([
      'SEEN-JUNK',
      'SEEN-NEVER',
      'SEEN-OLD',
      'SEEN-SPARE',
    ]);
    // The report's link: in-service devices only.
    expect(await serials(admin, 'notSeenSince=2026-10-28&status=in_service')).toEqual([
      'SEEN-JUNK',
      'SEEN-NEVER',
      'SEEN-OLD',
    ]);
  });

  it('filters by the provider status, one or several, whatever the case', async () => {
    const admin = await newDistrict();
    const statuses: Record<string, string | null> = {
      'ST-ACTIVE': 'ACTIVE',
      'ST-ACTIVE-LOWER': ' active ',
      'ST-DISABLED': 'DISABLED',
      'ST-DEPROV': 'DEPROVISIONED',
      'ST-NONE': null,
    };
    for (const [serial, mdmStatus] of Object.entries(statuses)) {
      await addRecord(admin, await addDevice(admin, serial), { fields: { mdmStatus } });
    }
    await addRecord(admin, await addDevice(admin, 'ST-GONE'), {
      matchState: 'not_found',
      fields: { mdmStatus: 'ACTIVE' },
    });

    expect(await serials(admin, 'mdmStatus=Active')).toEqual(['ST-ACTIVE', 'ST-ACTIVE-LOWER']);
    expect(await serials(admin, 'mdmStatus=disabled&mdmStatus=DEPROVISIONED')).toEqual([
      'ST-DEPROV',
      'ST-DISABLED',
    ]);
    expect(await serials(admin, 'mdmStatus=PRE_PROVISIONED')).toEqual([]);
  });

  it('filters by whether the provider knows the device: matched, not found, or no record at all', async () => {
    const admin = await newDistrict();
    await addRecord(admin, await addDevice(admin, 'M-MATCHED'));
    await addRecord(admin, await addDevice(admin, 'M-NOT-FOUND'), { matchState: 'not_found' });
    await addDevice(admin, 'M-NONE');

    expect(await serials(admin, 'mdmMatch=matched')).toEqual(['M-MATCHED']);
    expect(await serials(admin, 'mdmMatch=not_found')).toEqual(['M-NOT-FOUND']);
    expect(await serials(admin, 'mdmMatch=none')).toEqual(['M-NONE']);
    // Record conditions need a record, so they never meet "none".
    expect(await serials(admin, 'mdmMatch=none&mdmStatus=ACTIVE')).toEqual([]);
  });

  it('finds user mismatches as the device page warns of them: annotated or most recent user ≠ the holder', async () => {
    const admin = await newDistrict();
    const holder = await addPerson(admin, { name: 'Ana Diaz', email: 'ana.diaz@students.example.org' });
    const noEmail = await addPerson(admin, { name: 'Ben Ode', email: null });
    const cases: {
      serial: string;
      holder: string | null;
      fields?: Record<string, unknown>;
      extras?: Record<string, unknown>;
      matchState?: 'matched' | 'not_found';
      mismatch: boolean;
      oracle?: false;
    }[] = [
      {
        serial: 'U-ANNOTATED',
        holder,
        extras: { annotatedUser: 'eve@students.example.org' },
        mismatch: true,
      },
      {
        serial: 'U-RECENT',
        holder,
        fields: { recentUsers: ['eve@x.org', 'ana.diaz@students.example.org'] },
        mismatch: true,
      },
      {
        serial: 'U-SAME-CASE',
        holder,
        extras: { annotatedUser: ' Ana.Diaz@Students.Example.org ' },
        fields: { recentUsers: ['ANA.DIAZ@students.example.org'] },
        mismatch: false,
      },
      {
        serial: 'U-BLANK',
        holder,
        extras: { annotatedUser: '  ' },
        fields: { recentUsers: [] },
        mismatch: false,
      },
      { serial: 'U-NOT-STRING', holder, extras: { annotatedUser: 42 }, mismatch: false },
      // Not a shape the provider mapping writes, nor one the device page can show: checked here only.
      { serial: 'U-RECENT-JUNK', holder, fields: { recentUsers: [7] }, mismatch: false, oracle: false },
      { serial: 'U-NO-HOLDER', holder: null, extras: { annotatedUser: 'eve@x.org' }, mismatch: false },
      { serial: 'U-NO-EMAIL', holder: noEmail, extras: { annotatedUser: 'eve@x.org' }, mismatch: false },
      {
        serial: 'U-GONE',
        holder,
        matchState: 'not_found',
        extras: { annotatedUser: 'eve@x.org' },
        mismatch: false,
      },
    ];
    const expected: string[] = [];
    for (const entry of cases) {
      const id = await addDevice(admin, entry.serial);
      if (entry.holder) await checkOut(admin, id, entry.holder);
      await addRecord(admin, id, {
        fields: entry.fields,
        extras: entry.extras,
        matchState: entry.matchState,
      });
      if (entry.oracle !== false) {
        // The browser's own rule, on the same device and record, is the oracle.
        const detail = (await admin.session.inject({ method: 'GET', url: `/api/v1/devices/${id}` })).json();
        const warned = mdmWarnings(detail.mdm.google, detail, GOOGLE).some((w) => w.key === 'user-mismatch');
        expect(warned, entry.serial).toBe(entry.mismatch);
      }
      if (entry.mismatch) expected.push(entry.serial);
    }
    expect(await serials(admin, 'userMismatch=true')).toEqual(expected.sort());
  });

  it('finds duplicate enrolments: a non-empty list of other provider ids', async () => {
    const admin = await newDistrict();
    const duplicates: Record<string, unknown> = {
      'DUP-TWO': ['a1', 'b2'],
      'DUP-EMPTY': [],
      'DUP-STRING': 'a1',
      'DUP-NUMBERS': [1, 2],
    };
    for (const [serial, duplicateDeviceIds] of Object.entries(duplicates)) {
      await addRecord(admin, await addDevice(admin, serial), { extras: { duplicateDeviceIds } });
    }
    await addRecord(admin, await addDevice(admin, 'DUP-MISSING'));
    await addRecord(admin, await addDevice(admin, 'DUP-GONE'), {
      matchState: 'not_found',
      extras: { duplicateDeviceIds: ['a1'] },
    });
    expect(await serials(admin, 'mdmDuplicates=true')).toEqual(['DUP-TWO']);
  });

  it('filters by the holder’s grade, reading labels as gradeNumber does', async () => {
    const admin = await newDistrict();
    const grades: Record<string, string | null> = {
      'G-K': 'K',
      'G-KG': 'kg',
      'G-PK': 'Pre-K',
      'G-09': '09',
      'G-9': ' 9 ',
      'G-12': '12',
      'G-ADULT': 'Adult',
      'G-NONE': null,
    };
    for (const [serial, grade] of Object.entries(grades)) {
      const id = await addDevice(admin, serial);
      await checkOut(admin, id, await addPerson(admin, { name: `Student ${serial}`, grade }));
    }
    await addDevice(admin, 'G-UNASSIGNED');

    expect(await serials(admin, 'grade=0')).toEqual(['G-K', 'G-KG']);
    expect(await serials(admin, 'grade=K')).toEqual(['G-K', 'G-KG']);
    expect(await serials(admin, 'grade=-1')).toEqual(['G-PK']);
    expect(await serials(admin, 'grade=9')).toEqual(['G-09', 'G-9']);
    expect(await serials(admin, 'grade=09')).toEqual(['G-09', 'G-9']);
    expect(await serials(admin, 'grade=12')).toEqual(['G-12']);
    expect(await serials(admin, 'grade=3')).toEqual([]);
  });

  it('finds students whose device stops updating before they graduate', async () => {
    const admin = await newDistrict();
    const now = new Date();
    const graduation12 = expectedGraduation('12', now)!;
    const graduation9 = expectedGraduation('9', now)!;
    const dayBefore = (day: string) => new Date(Date.parse(day) - 24 * 3600 * 1000).toISOString();
    const cases: {
      serial: string;
      kind?: 'student' | 'staff';
      grade: string | null;
      aue: string | null;
      flagged: boolean;
    }[] = [
      { serial: 'GR-12-SAFE', grade: '12', aue: `${graduation12}T00:00:00.000Z`, flagged: false },
      { serial: 'GR-12-SHORT', grade: '12', aue: dayBefore(graduation12), flagged: true },
      { serial: 'GR-9-SHORT', grade: '09', aue: `${graduation12}T00:00:00.000Z`, flagged: true },
      { serial: 'GR-9-SAFE', grade: '9', aue: `${graduation9}T12:00:00.000Z`, flagged: false },
      { serial: 'GR-K-SHORT', grade: 'kg', aue: dayBefore(expectedGraduation('K', now)!), flagged: true },
      { serial: 'GR-STAFF', kind: 'staff', grade: '12', aue: '2000-01-01T00:00:00.000Z', flagged: false },
      { serial: 'GR-ADULT', grade: 'Adult', aue: '2000-01-01T00:00:00.000Z', flagged: false },
      { serial: 'GR-NO-AUE', grade: '12', aue: null, flagged: false },
    ];
    for (const entry of cases) {
      const id = await addDevice(admin, entry.serial);
      const person = await addPerson(admin, {
        name: entry.serial,
        grade: entry.grade,
        kind: entry.kind ?? 'student',
      });
      await checkOut(admin, id, person);
      await addRecord(admin, id, { fields: { autoUpdateExpiration: entry.aue } });
    }
    const gone = await addDevice(admin, 'GR-GONE');
    await checkOut(admin, gone, await addPerson(admin, { name: 'Gone', grade: '12' }));
    await addRecord(admin, gone, { matchState: 'not_found', fields: { autoUpdateExpiration: '2000-01-01' } });
    await addRecord(admin, await addDevice(admin, 'GR-UNASSIGNED'), {
      fields: { autoUpdateExpiration: '2000-01-01T00:00:00.000Z' },
    });

    const flagged = cases.filter((entry) => entry.flagged).map((entry) => entry.serial);
    expect(await serials(admin, 'aueBeforeGraduation=true')).toEqual(flagged.sort());
    expect(await serials(admin, 'aueBeforeGraduation=true&grade=12')).toEqual(['GR-12-SHORT']);
  });

  it('never lets another district’s records, people or devices into the results', async () => {
    const mine = await newDistrict();
    const theirs = await newDistrict();
    const myDevice = await addDevice(mine, 'SHARED-1');
    const theirDevice = await addDevice(theirs, 'SHARED-1');
    await addDevice(theirs, 'THEIRS-ONLY');
    const theirStudent = await addPerson(theirs, { name: 'T', email: 'same@example.org', grade: '12' });
    await checkOut(theirs, theirDevice, theirStudent);
    await addRecord(theirs, theirDevice, {
      fields: {
        mdmStatus: 'DISABLED',
        autoUpdateExpiration: '2000-01-01T00:00:00.000Z',
        lastCheckInAt: null,
      },
      extras: { annotatedUser: 'other@example.org', duplicateDeviceIds: ['x'] },
    });

    for (const query of [
      'mdmStatus=DISABLED',
      'aueBefore=2030-01-01',
      'notSeenSince=2030-01-01',
      'mdmMatch=matched',
      'mdmMatch=not_found',
      'userMismatch=true',
      'mdmDuplicates=true',
      'grade=12',
      'aueBeforeGraduation=true',
    ]) {
      expect(await serials(mine, query), query).toEqual([]);
    }
    expect(await serials(mine, 'mdmMatch=none')).toEqual(['SHARED-1']);
    const listed = await list(mine, '');
    expect(listed.mdmProviders).toEqual([]);
    expect(listed.devices[0]).toMatchObject({ id: myDevice, mdm: null });
    expect((await list(theirs, 'mdmMatch=matched')).total).toBe(1);
    expect(await exportCsv(mine)).toHaveLength(2);
    expect((await exportCsv(mine))[0]).not.toContain('Google');
  });

  it('refuses bad parameters with 400 and a message naming the parameter', async () => {
    const admin = await newDistrict();
    const cases: [string, RegExp][] = [
      ['aueBefore=2026-13-01', /aueBefore must be a date/],
      ['aueAfter=tomorrow', /aueAfter must be a date/],
      ['notSeenSince=2026-02-30', /notSeenSince must be a date/],
      ['mdmStatus=%27%3B%20drop', /mdmStatus must be a status word/],
      ['mdmStatus=', /mdmStatus must be a status word/],
      ['mdmMatch=maybe', /mdmMatch must be one of matched, not_found, none/],
      ['mdmProvider=mosyle', /mdmProvider must be one of google, /],
      ['userMismatch=false', /userMismatch can only be true/],
      ['mdmDuplicates=1', /mdmDuplicates can only be true/],
      ['aueBeforeGraduation=yes', /aueBeforeGraduation can only be true/],
      ['grade=13', /grade must be -1/],
      ['grade=Adult', /grade must be -1/],
      ['grade=-2', /grade must be -1/],
      ['sort=orgUnit', /sort/],
    ];
    for (const [query, message] of cases) {
      for (const url of [`/api/v1/devices?${query}`, `/api/v1/devices/export.csv?${query}`]) {
        if (url.includes('export') && query.startsWith('sort=')) continue;
        const response = await admin.session.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(400);
        expect(JSON.stringify(response.json().error), url).toMatch(message);
      }
    }
  });
});

describe('device list MDM columns and sorts', () => {
  it('gives each row the provider’s summary with its as-of time, null without a record', async () => {
    const admin = await newDistrict();
    const known = await addDevice(admin, 'COL-KNOWN');
    await addRecord(admin, known, {
      fields: {
        mdmStatus: 'ACTIVE',
        lastCheckInAt: '2026-11-19T10:00:00.000Z',
        osVersion: '131.0.6778.191',
        autoUpdateExpiration: '2029-06-01T00:00:00.000Z',
        orgUnit: '/Students/Lincoln',
        primaryUser: 'a@example.org',
        recentUsers: ['a@example.org'],
      },
    });
    const gone = await addDevice(admin, 'COL-GONE');
    await addRecord(admin, gone, { matchState: 'not_found', fetchedAt: '2026-10-01T00:00:00.000Z' });
    await addDevice(admin, 'COL-NONE');

    const body = await list(admin, '');
    expect(body.mdmProviders).toEqual(['google']);
    const bySerial = Object.fromEntries(
      body.devices.map((device: { serialNumber: string; mdm: unknown }) => [device.serialNumber, device.mdm]),
    );
    expect(bySerial).toEqual({
      'COL-KNOWN': {
        provider: 'google',
        matchState: 'matched',
        mdmStatus: 'ACTIVE',
        lastCheckInAt: '2026-11-19T10:00:00.000Z',
        osVersion: '131.0.6778.191',
        autoUpdateExpiration: '2029-06-01T00:00:00.000Z',
        orgUnit: '/Students/Lincoln',
        primaryUser: 'a@example.org',
        conflicts: [],
        condition: 'inactive',
        fetchedAt: FETCHED_AT,
      },
      'COL-GONE': {
        provider: 'google',
        matchState: 'not_found',
        mdmStatus: null,
        lastCheckInAt: null,
        osVersion: null,
        autoUpdateExpiration: null,
        orgUnit: null,
        primaryUser: null,
        conflicts: [],
        condition: 'inactive',
        fetchedAt: '2026-10-01T00:00:00.000Z',
      },
      'COL-NONE': null,
    });
  });

  it('sorts by last check-in and by auto-update expiration either way, unknowns last', async () => {
    const admin = await newDistrict();
    const rows: [string, string | null, string | null][] = [
      ['S-A', '2026-11-01T00:00:00.000Z', '2028-06-01T00:00:00.000Z'],
      ['S-B', '2026-09-01T00:00:00.000Z', '2030-06-01T00:00:00.000Z'],
      ['S-C', '2026-10-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z'],
      ['S-D', null, null],
    ];
    for (const [serial, lastCheckInAt, autoUpdateExpiration] of rows) {
      await addRecord(admin, await addDevice(admin, serial), {
        fields: { lastCheckInAt, autoUpdateExpiration },
      });
    }
    await addRecord(admin, await addDevice(admin, 'S-GONE'), {
      matchState: 'not_found',
      fields: { lastCheckInAt: '2026-12-01T00:00:00.000Z', autoUpdateExpiration: '2026-01-01T00:00:00.000Z' },
    });
    await addDevice(admin, 'S-NONE');

    expect(await serials(admin, 'sort=lastCheckInAt&order=asc', true)).toEqual([
      'S-B',
      'S-C',
      'S-A',
      'S-D',
      'S-GONE',
      'S-NONE',
    ]);
    expect(await serials(admin, 'sort=lastCheckInAt&order=desc', true)).toEqual([
      'S-A',
      'S-C',
      'S-B',
      'S-NONE',
      'S-GONE',
      'S-D',
    ]);
    expect(await serials(admin, 'sort=autoUpdateExpiration&order=asc', true)).toEqual([
      'S-C',
      'S-A',
      'S-B',
      'S-D',
      'S-GONE',
      'S-NONE',
    ]);
    // Sorted and paged: the page holds the rows the whole sorted set has there.
    const second = await admin.session.inject({
      method: 'GET',
      url: '/api/v1/devices?sort=autoUpdateExpiration&order=desc&pageSize=2&page=2&mdmMatch=matched',
    });
    expect(second.json().devices.map((device: { serialNumber: string }) => device.serialNumber)).toEqual([
      'S-C',
      'S-D',
    ]);
    expect(second.json().total).toBe(4);
    // Page by page, any page size, the pages add up to the whole sorted list.
    for (const sort of ['sort=lastCheckInAt&order=asc', 'sort=autoUpdateExpiration&order=desc']) {
      const whole = await serials(admin, sort, true);
      for (const pageSize of [1, 2, 4]) {
        const paged: string[] = [];
        for (let page = 1; page <= Math.ceil(whole.length / pageSize) + 1; page++) {
          const body = (
            await admin.session.inject({
              method: 'GET',
              url: `/api/v1/devices?${sort}&pageSize=${pageSize}&page=${page}`,
            })
          ).json();
          paged.push(...body.devices.map((device: { serialNumber: string }) => device.serialNumber));
        }
        expect(paged, `${sort} by ${pageSize}`).toEqual(whole);
      }
    }
  });
});

describe('device CSV export with MDM columns', () => {
  it('adds the provider’s columns after the inventory columns, honours MDM filters, and still imports', async () => {
    const admin = await newDistrict();
    const known = await addDevice(admin, 'EXP-KNOWN', { model: 'Chromebook 3110', assetTag: 'T-1' });
    await addRecord(admin, known, {
      fields: {
        mdmStatus: 'ACTIVE',
        lastCheckInAt: '2026-11-19T10:00:00.000Z',
        osVersion: '131.0',
        autoUpdateExpiration: '2029-06-01T00:00:00.000Z',
        orgUnit: '=cmd|/Students',
      },
    });
    const gone = await addDevice(admin, 'EXP-GONE', { status: 'spare' });
    await addRecord(admin, gone, {
      matchState: 'not_found',
      fields: { osVersion: '120.0', lastCheckInAt: '2026-01-01T00:00:00.000Z' },
    });
    await addDevice(admin, 'EXP-NONE', { status: 'in_repair' });

    const lines = await exportCsv(admin);
    expect(lines[0]).toBe(
      'serial_number,asset_tag,model,manufacturer,type,status,school,assigned_to,assigned_name,purchase_date,warranty_end,notes,updated_at,updated_at_iso,' +
        'Google: last check-in,Google: OS version,Google: auto-update expiration,Google: org unit,Google: status,Google: as of,' +
        'Google: user,Google: auto-update state,Google: conflicts,Google: data',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^EXP-GONE,,,,chromebook,spare,,,,,,,[^,]+,[^,]+,2026-01-01T00:00:00.000Z,120.0,,,Not in Google,2026-11-20T08:00:00.000Z,,,,kept: provider inactive$/,
    );
    expect(lines[2]).toMatch(
      /^EXP-KNOWN,T-1,Chromebook 3110,,chromebook,in_service,,,,,,,[^,]+,[^,]+,2026-11-19T10:00:00.000Z,131.0,2029-06-01T00:00:00.000Z,'=cmd\|\/Students,ACTIVE,2026-11-20T08:00:00.000Z,,,,kept: provider inactive$/,
    );
    expect(lines[3]).toMatch(/^EXP-NONE,,,,chromebook,in_repair,,,,,,,[^,]+,[^,]+,,,,,,,,,,$/);

    expect(await exportCsv(admin, 'mdmMatch=not_found')).toHaveLength(2);
    expect((await exportCsv(admin, 'mdmStatus=active'))[1]).toMatch(/^EXP-KNOWN,/);

    const reimport = await admin.session.inject({
      method: 'POST',
      url: '/api/v1/devices/import?dryRun=true',
      headers: { 'content-type': 'text/csv' },
      payload: lines.join('\r\n'),
    });
    expect(reimport.statusCode).toBe(200);
    expect(reimport.json()).toMatchObject({
      rows: 3,
      invalid: 0,
      unchanged: 3,
      unknownColumns: [
        'assigned_name',
        'updated_at',
        'updated_at_iso',
        'google:_last_check_in',
        'google:_os_version',
        'google:_auto_update_expiration',
        'google:_org_unit',
        'google:_status',
        'google:_as_of',
        'google:_user',
        'google:_auto_update_state',
        'google:_conflicts',
        'google:_data',
      ],
    });
  });
});

describe('MDM filters on synced data', () => {
  it('agree with the browser’s warnings and the sync’s counts after a real sync against (fake) Google', async () => {
    const district = await createDistrict(testApp.database);
    const db = testApp.database.db;
    await generateDemoData(db, district.id, { devices: 60, people: 50, seed: 7 });
    const tracked = await listTrackableDevices(
      systemContext(district.id, silentLog),
      db,
      DEFAULT_SYNCED_STATUSES,
    );
    const known = tracked.slice(8).map((device) => device.serialKey);
    const domain = `mdm-filters-${district.id.slice(0, 8)}.example.org`;
    fake.addCustomer({ domain });
    fake.setFleet(
      domain,
      generateFleet({
        size: known.length + 5,
        serials: known,
        junk: 5,
        duplicatesOf: known.slice(0, 3),
        domain,
        seed: 7,
      }),
    );
    const admin = { session: await signIn(testApp.app, district.admin), districtId: district.id };
    await activateAndAuthorizeGoogle(admin.session, fake, `admin@${domain}`);
    const connection = await db
      .selectFrom('mdm_connections')
      .select('id')
      .where('district_id', '=', district.id)
      .executeTakeFirstOrThrow();
    const { run } = await queueRun(db, {
      districtId: district.id,
      connectionId: connection.id,
      provider: 'google',
      trigger: 'manual',
    });
    await runSync(
      { db, keyring: testApp.deps.keyring, config: testApp.deps.config, log: silentLog },
      run.id,
      district.id,
      new AbortController().signal,
    );
    const finished = (
      await admin.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    expect(finished.state).toBe('succeeded');

    const all = await list(admin, '');
    expect(all.mdmProviders).toEqual(['google']);
    expect((await list(admin, 'mdmMatch=not_found')).total).toBe(finished.counters.notFound);
    expect((await list(admin, 'mdmMatch=matched')).total).toBe(known.length);

    const now = new Date();
    const expected = {
      'user-mismatch': [] as string[],
      duplicates: [] as string[],
      graduation: [] as string[],
    };
    for (const device of all.devices) {
      const detail = (
        await admin.session.inject({ method: 'GET', url: `/api/v1/devices/${device.id}` })
      ).json();
      const record: DeviceMdmRecord | undefined = detail.mdm.google;
      expect(device.mdm === null, device.serialNumber).toBe(record === undefined);
      if (!record) continue;
      expect(device.mdm).toEqual({
        provider: 'google',
        matchState: record.matchState,
        mdmStatus: record.fields.mdmStatus ?? null,
        lastCheckInAt: record.fields.lastCheckInAt ?? null,
        osVersion: record.fields.osVersion ?? null,
        autoUpdateExpiration: record.fields.autoUpdateExpiration ?? null,
        orgUnit: record.fields.orgUnit ?? null,
        primaryUser: record.fields.primaryUser ?? null,
        conflicts: record.conflicts.map((conflict) => conflict.kind),
        condition: record.condition,
        fetchedAt: record.fetchedAt,
      });
      const keys = mdmWarnings(record, detail, GOOGLE).map((warning) => warning.key);
      if (keys.includes('user-mismatch')) expected['user-mismatch'].push(device.serialNumber);
      if (keys.includes('duplicates')) expected.duplicates.push(device.serialNumber);
      const holder = detail.currentAssignment?.person;
      const aue = record.fields.autoUpdateExpiration;
      if (record.matchState === 'matched' && holder?.kind === 'student' && aue) {
        const person = (
          await admin.session.inject({ method: 'GET', url: `/api/v1/people/${holder.id}` })
        ).json();
        const graduation = expectedGraduation(person.grade, now);
        if (graduation && aue < graduation) expected.graduation.push(device.serialNumber);
      }
    }
    expect(expected['user-mismatch'].length).toBeGreaterThan(0);
    expect(expected.duplicates.length).toBe(3);
    expect(expected.graduation.length).toBeGreaterThan(0);
    expect(await serials(admin, 'userMismatch=true')).toEqual(expected['user-mismatch'].sort());
    expect(await serials(admin, 'mdmDuplicates=true')).toEqual(expected.duplicates.sort());
    expect(await serials(admin, 'aueBeforeGraduation=true')).toEqual(expected.graduation.sort());
  });
});
