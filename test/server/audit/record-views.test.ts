import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

async function eventsOf(districtId: string, action: string) {
  return testApp()
    .database.db.selectFrom('audit_events')
    .select(['actor_user_id', 'subject_id', 'details'])
    .where('district_id', '=', districtId)
    .where('action', '=', action)
    .execute();
}

describe('who looked at which record', () => {
  it('audits every view of a person’s page, by whom', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const viewer = await addUser(database, district, 'viewer');
    const viewerSession = await signIn(app, viewer);
    const created = await admin.inject({
      method: 'POST',
      url: '/api/v1/people',
      payload: { kind: 'student', name: 'Stu Dent', email: 'stu.dent@students.example.org' },
    });
    const personId = created.json().id;
    for (let look = 0; look < 2; look++) {
      const page = await viewerSession.inject({ method: 'GET', url: `/api/v1/people/${personId}` });
      expect(page.statusCode).toBe(200);
    }
    expect(await eventsOf(district.id, 'person.viewed')).toEqual([
      { actor_user_id: viewer.id, subject_id: personId, details: {} },
      { actor_user_id: viewer.id, subject_id: personId, details: {} },
    ]);
  });

  it('audits every export with the filter it used', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const viewer = await addUser(database, district, 'viewer');
    const session = await signIn(app, viewer);
    const exported = await session.inject({ method: 'GET', url: '/api/v1/devices/export.csv?status=lost' });
    expect(exported.statusCode).toBe(200);
    expect(await eventsOf(district.id, 'devices.exported')).toEqual([
      {
        actor_user_id: viewer.id,
        subject_id: null,
        details: { filter: expect.objectContaining({ status: ['lost'] }) },
      },
    ]);
  });
});
