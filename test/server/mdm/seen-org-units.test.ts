import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn, type TestDistrict } from '../../setup/factories.ts';

const testApp = withTestApp();

async function deviceWithUnit(
  session: Session,
  district: TestDistrict,
  serial: string,
  orgUnit: string | null,
) {
  const device = (
    await session.inject({ method: 'POST', url: '/api/v1/devices', payload: { serialNumber: serial } })
  ).json<{ id: string }>();
  await testApp()
    .database.db.insertInto('mdm_device_records')
    .values({
      district_id: district.id,
      device_id: device.id,
      provider: 'google',
      provider_device_id: `g-${serial}`,
      fields: JSON.stringify(orgUnit ? { orgUnit } : {}),
      extras: '{}',
      match_state: 'matched',
      fetched_at: new Date(),
    })
    .execute();
}

describe('org units Satchel has seen', () => {
  it('lists the district’s own, once each, A to Z, to administrators only', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    await deviceWithUnit(admin, district, 'OU-1', '/Students/Middle School');
    await deviceWithUnit(admin, district, 'OU-2', '/Staff');
    await deviceWithUnit(admin, district, 'OU-3', '/Students/Middle School');
    await deviceWithUnit(admin, district, 'OU-4', null);
    const other = await createDistrict(database);
    await deviceWithUnit(await signIn(app, other.admin), other, 'OU-9', '/Elsewhere');

    const seen = await admin.inject({ method: 'GET', url: '/api/v1/mdm/providers/google/org-units' });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toEqual({ orgUnits: ['/Staff', '/Students/Middle School'] });
    const none = await admin.inject({ method: 'GET', url: '/api/v1/mdm/providers/intune/org-units' });
    expect(none.json()).toEqual({ orgUnits: [] });

    const technician = await signIn(app, await addUser(database, district, 'technician'));
    const refused = await technician.inject({ method: 'GET', url: '/api/v1/mdm/providers/google/org-units' });
    expect(refused.statusCode).toBe(403);
  });
});
