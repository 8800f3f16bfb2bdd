import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import { assetTagsDisagree, modelsDisagree, userDisagrees } from '../../../src/common/conflicts.ts';
import type { TestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { syncHarness } from '../../setup/google-sync.ts';

let env: { fake: FakeGoogle; testApp: TestApp };
withGoogleApp((ready) => {
  env = ready;
});
const harness = syncHarness(() => env);

interface Admin {
  session: Session;
  districtId: string;
}

async function post<T = { id: string }>(session: Session, url: string, payload: object): Promise<T> {
  const response = await session.inject({ method: 'POST', url, payload });
  if (response.statusCode >= 300) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json<T>();
}

/** A device, checked out to a person with this email when given, with a stored record (a fixture). */
async function deviceWithRecord(
  admin: Admin,
  serialNumber: string,
  inventory: { model?: string; assetTag?: string; holder?: string },
  record: { model?: string; assetId?: string; user?: string; matchState?: 'matched' | 'not_found' },
): Promise<string> {
  const { id } = await post(admin.session, '/api/v1/devices', {
    serialNumber,
    model: inventory.model,
    assetTag: inventory.assetTag,
  });
  if (inventory.holder)
    await post(admin.session, `/api/v1/devices/${id}/checkout`, { personId: inventory.holder });
  await env.testApp.database.db
    .insertInto('mdm_device_records')
    .values({
      district_id: admin.districtId,
      device_id: id,
      provider: 'google',
      provider_device_id: `google-${serialNumber}`,
      fields: JSON.stringify({ model: record.model ?? null, primaryUser: record.user ?? null }),
      extras: JSON.stringify({ annotatedAssetId: record.assetId ?? null }),
      match_state: record.matchState ?? 'matched',
      fetched_at: '2026-11-20T08:00:00.000Z',
    })
    .execute();
  return id;
}

async function list(admin: Admin, query: string) {
  const response = await admin.session.inject({
    method: 'GET',
    url: `/api/v1/devices?pageSize=500&${query}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function serials(admin: Admin, query: string): Promise<string[]> {
  return (await list(admin, query)).devices
    .map((device: { serialNumber: string }) => device.serialNumber)
    .sort();
}

describe('conflicts between the inventory and the MDM', () => {
  it('flags a model, asset tag or user that disagree after normalizing, in the list, its filter, the device page and Reports', async () => {
    const district = await createDistrict(env.testApp.database);
    const admin = { session: await signIn(env.testApp.app, district.admin), districtId: district.id };
    const ana = { email: 'ana.ruiz@district.example.org', externalId: 'S1001' };
    const holder = (
      await post(admin.session, '/api/v1/people', { kind: 'student', name: 'Ana Ruiz', ...ana })
    ).id;
    await deviceWithRecord(
      admin,
      'AGREE-1',
      { model: 'Dell Chromebook 3110', assetTag: 'cb-0042', holder },
      {
        model: 'Chromebook 3110',
        assetId: 'CB 0042',
        user: 'ANA.RUIZ@district.example.org',
      },
    );
    await deviceWithRecord(
      admin,
      'AGREE-2',
      { model: 'HP Fortis G11', holder },
      { model: 'hp  fortis-g11', user: 'ana.ruiz' },
    );
    await deviceWithRecord(
      admin,
      'AGREE-3',
      { model: 'Lenovo 300e', holder },
      { model: 'Lenovo 300e', user: 's1001' },
    );
    await deviceWithRecord(admin, 'MODEL-1', { model: 'Chromebook 3100' }, { model: 'HP Chromebook 14' });
    await deviceWithRecord(admin, 'TAG-1', { assetTag: 'CB-0042X' }, { assetId: 'CB-0043' });
    await deviceWithRecord(admin, 'USER-1', { holder }, { user: 'bo.chen@district.example.org' });
    await deviceWithRecord(admin, 'USER-2', { holder }, { user: 'bchen' });
    // Nothing to compare with: no holder, no MDM value, or a record the provider no longer returns.
    await deviceWithRecord(admin, 'QUIET-1', { model: 'Acer 511' }, { user: 'someone@district.example.org' });
    await deviceWithRecord(admin, 'QUIET-2', { model: 'Acer 511', assetTag: 'A1' }, {});
    await deviceWithRecord(
      admin,
      'GONE-1',
      { model: 'Acer 511' },
      { model: 'iPad', matchState: 'not_found' },
    );

    expect(await serials(admin, 'mdmConflict=model')).toEqual(['MODEL-1']);
    expect(await serials(admin, 'mdmConflict=assetTag')).toEqual(['TAG-1']);
    expect(await serials(admin, 'mdmConflict=user')).toEqual(['USER-1', 'USER-2']);
    expect(await serials(admin, 'mdmConflict=any')).toEqual(['MODEL-1', 'TAG-1', 'USER-1', 'USER-2']);
    // A person's page reads the devices checked out to them, with these flags.
    const held = await list(admin, `person=${holder}`);
    expect(held.devices.map((device: { serialNumber: string }) => device.serialNumber).sort()).toEqual([
      'AGREE-1',
      'AGREE-2',
      'AGREE-3',
      'USER-1',
      'USER-2',
    ]);

    // The list's per-row flags, the device page and the filter agree.
    const all = await list(admin, '');
    for (const device of all.devices) {
      const detail = (
        await admin.session.inject({ method: 'GET', url: `/api/v1/devices/${device.id}` })
      ).json();
      const kinds = detail.mdm.google.conflicts.map((conflict: { kind: string }) => conflict.kind);
      expect(device.mdm.conflicts, device.serialNumber).toEqual(kinds);
    }
    const detailOf = async (serial: string) => {
      const device = all.devices.find((each: { serialNumber: string }) => each.serialNumber === serial);
      return (await admin.session.inject({ method: 'GET', url: `/api/v1/devices/${device.id}` })).json();
    };
    expect((await detailOf('TAG-1')).mdm.google.conflicts).toEqual([
      { kind: 'assetTag', inventory: 'CB-0042X', mdm: 'CB-0043' },
    ]);
    expect((await detailOf('USER-2')).mdm.google.conflicts).toEqual([
      { kind: 'user', inventory: ana.email, mdm: 'bchen' },
    ]);

    const report = (await admin.session.inject({ method: 'GET', url: '/api/v1/reports/mdm' })).json();
    expect(report.conflicts.any.count).toBe(4);
    expect(report.conflicts.user).toEqual({ count: 2, devicesQuery: 'mdmProvider=google&mdmConflict=user' });

    const refused = await admin.session.inject({ method: 'GET', url: '/api/v1/devices?mdmConflict=colour' });
    expect(refused.statusCode).toBe(400);
  });

  it('compares values normalized: case, spaces and punctuation never count, one model name may contain the other', () => {
    expect(modelsDisagree('Dell Chromebook 3110', 'Chromebook 3110')).toBe(false);
    expect(modelsDisagree('MacBook Air (M1, 2020)', 'macbook air m1 2020')).toBe(false);
    expect(modelsDisagree('Chromebook 3100', 'Chromebook 3110')).toBe(true);
    expect(modelsDisagree(null, 'Chromebook 3110')).toBe(false);
    expect(assetTagsDisagree('cb-0042', 'CB 0042')).toBe(false);
    expect(assetTagsDisagree('cb-0042', 'CB 0043')).toBe(true);
    expect(userDisagrees('Ana@X.org', { email: 'ana@x.org', externalId: null })).toBe(false);
    expect(userDisagrees('ana', { email: 'ana@x.org', externalId: null })).toBe(false);
    expect(userDisagrees('bob@x.org', { email: null, externalId: 'bob' })).toBe(false);
    expect(userDisagrees('bob', { email: 'ana@x.org', externalId: 'S1' })).toBe(true);
    expect(userDisagrees('bob', null)).toBe(false);
  });
});

describe('data kept from a provider that stopped syncing', () => {
  it('is labelled in the list, the export and the device page, with its as-of time', async () => {
    const fixture = await harness.connectedDistrict({ devices: 12, overlap: 1, junk: 0 });
    await harness.sync(fixture);
    const admin = { session: fixture.session, districtId: fixture.districtId };
    // Retired and disposed devices are never synced, so they carry no MDM data to label.
    const synced = (devices: { mdm: { condition: string } | null }[]) =>
      devices.filter((device) => device.mdm !== null) as { mdm: { condition: string } }[];
    const before = await list(admin, '');
    expect(synced(before.devices).length).toBeGreaterThan(0);
    expect(synced(before.devices).every((device) => device.mdm.condition === 'current')).toBe(true);

    await admin.session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/deactivate' });
    const after = await list(admin, '');
    expect(synced(after.devices).length).toBe(synced(before.devices).length);
    for (const device of synced(after.devices)) expect(device.mdm.condition).toBe('inactive');
    const detail = (
      await admin.session.inject({ method: 'GET', url: `/api/v1/devices/${after.devices[0].id}` })
    ).json();
    expect(detail.mdm.google.condition).toBe('inactive');

    const csv = (await admin.session.inject({ method: 'GET', url: '/api/v1/devices/export.csv' })).body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = (csv[0] ?? '').split(',');
    const data = header.indexOf('Google: data');
    const asOf = header.indexOf('Google: as of');
    expect(data).toBeGreaterThan(0);
    const cells = (csv[1] ?? '').split(',');
    expect(cells[data]).toBe('kept: provider inactive');
    expect(cells[asOf]).toBe(after.devices[0].mdm.fetchedAt);
  });
});
