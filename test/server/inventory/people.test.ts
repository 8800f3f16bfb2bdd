import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

async function newAdmin(): Promise<Session> {
  const { app, database } = testApp();
  return signIn(app, (await createDistrict(database)).admin);
}

function importPeople(session: Session, csv: string, query = 'dryRun=false') {
  return session.inject({
    method: 'POST',
    url: `/api/v1/people/import?${query}`,
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  });
}

describe('schools', () => {
  it('creates, lists with device counts, renames, and refuses duplicates by name or code', async () => {
    const session = await newAdmin();
    const created = await session.inject({
      method: 'POST',
      url: '/api/v1/schools',
      payload: { name: 'Lincoln High', code: 'LHS' },
    });
    expect(created.statusCode).toBe(201);
    const school = created.json();
    await session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber: 'S1', schoolId: school.id },
    });
    expect(
      (await session.inject({ method: 'POST', url: '/api/v1/schools', payload: { name: 'lincoln high' } }))
        .statusCode,
    ).toBe(409);
    expect(
      (
        await session.inject({
          method: 'POST',
          url: '/api/v1/schools',
          payload: { name: 'Other', code: 'lhs' },
        })
      ).statusCode,
    ).toBe(409);
    const renamed = await session.inject({
      method: 'PATCH',
      url: `/api/v1/schools/${school.id}`,
      payload: { name: 'Lincoln High School' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Lincoln High School', code: 'LHS', deviceCount: 1 });
    const list = (await session.inject({ method: 'GET', url: '/api/v1/schools' })).json();
    expect(list.schools).toHaveLength(1);
    const other = await newAdmin();
    expect(
      (
        await other.inject({
          method: 'PATCH',
          url: `/api/v1/schools/${school.id}`,
          payload: { name: 'Mine' },
        })
      ).statusCode,
    ).toBe(404);
    expect((await other.inject({ method: 'GET', url: '/api/v1/schools' })).json().schools).toEqual([]);
  });
});

describe('people', () => {
  it('creates, finds, updates and refuses duplicate external ids or emails', async () => {
    const session = await newAdmin();
    const created = await session.inject({
      method: 'POST',
      url: '/api/v1/people',
      payload: {
        kind: 'student',
        name: 'Maya Chen',
        email: 'Maya.Chen@Students.example.org',
        externalId: '2031001',
        grade: '10',
      },
    });
    expect(created.statusCode).toBe(201);
    const maya = created.json();
    expect(maya).toMatchObject({ email: 'maya.chen@students.example.org', active: true, deviceCount: 0 });
    const dupId = await session.inject({
      method: 'POST',
      url: '/api/v1/people',
      payload: { kind: 'student', name: 'X', externalId: '2031001' },
    });
    expect(dupId.statusCode).toBe(409);
    const dupEmail = await session.inject({
      method: 'POST',
      url: '/api/v1/people',
      payload: { kind: 'staff', name: 'Y', email: 'maya.chen@students.example.org' },
    });
    expect(dupEmail.statusCode).toBe(409);
    const updated = await session.inject({
      method: 'PATCH',
      url: `/api/v1/people/${maya.id}`,
      payload: { grade: '11', active: false },
    });
    expect(updated.json()).toMatchObject({ grade: '11', active: false });
    const found = (await session.inject({ method: 'GET', url: '/api/v1/people?q=chen' })).json();
    expect(found.people.map((p: { id: string }) => p.id)).toEqual([maya.id]);
    expect((await session.inject({ method: 'GET', url: '/api/v1/people?active=true' })).json().total).toBe(0);
    const device = (
      await session.inject({ method: 'POST', url: '/api/v1/devices', payload: { serialNumber: 'P1' } })
    ).json();
    const refused = await session.inject({
      method: 'POST',
      url: `/api/v1/devices/${device.id}/checkout`,
      payload: { personId: maya.id },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/inactive/);
    const other = await newAdmin();
    expect((await other.inject({ method: 'GET', url: `/api/v1/people/${maya.id}` })).statusCode).toBe(404);
    const checkoutForeign = await other.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber: 'P2' },
    });
    const foreignDevice = checkoutForeign.json();
    expect(
      (
        await other.inject({
          method: 'POST',
          url: `/api/v1/devices/${foreignDevice.id}/checkout`,
          payload: { personId: maya.id },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('is read-only for viewers', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const viewer = await signIn(app, await addUser(database, district, 'viewer'));
    expect((await viewer.inject({ method: 'GET', url: '/api/v1/people' })).statusCode).toBe(200);
    expect(
      (await viewer.inject({ method: 'POST', url: '/api/v1/people', payload: { kind: 'staff', name: 'Z' } }))
        .statusCode,
    ).toBe(403);
    expect((await importPeople(viewer, 'name,email\nA,a@example.org')).statusCode).toBe(403);
  });
});

describe('people CSV import', () => {
  const ROSTER = [
    'External_ID,Email,Name,Kind,Grade,School,Active',
    '3001,ava@students.example.org,Ava Brooks,student,9,LHS,yes',
    '3002,,Liam Chen,Student,10,,',
    ',teacher@example.org,Pat Teacher,staff,,,true',
  ].join('\n');

  it('previews, imports, and re-imports without changes; matches by external id, then email', async () => {
    const session = await newAdmin();
    await session.inject({
      method: 'POST',
      url: '/api/v1/schools',
      payload: { name: 'Lincoln High', code: 'LHS' },
    });
    expect((await importPeople(session, ROSTER, 'dryRun=true')).json()).toMatchObject({
      create: 3,
      committed: false,
    });
    expect((await session.inject({ method: 'GET', url: '/api/v1/people' })).json().total).toBe(0);
    expect((await importPeople(session, ROSTER)).json()).toMatchObject({
      create: 3,
      committed: true,
      invalid: 0,
    });
    expect((await importPeople(session, ROSTER)).json()).toMatchObject({
      create: 0,
      update: 0,
      unchanged: 3,
    });
    const change =
      'external_id,email,name,grade,active\n3002,liam@students.example.org,Liam Chen,11,no\n,TEACHER@example.org,Pat Teacher-Lee,,';
    expect((await importPeople(session, change)).json()).toMatchObject({ update: 2, committed: true });
    const liam = (await session.inject({ method: 'GET', url: '/api/v1/people?q=liam' })).json().people[0];
    expect(liam).toMatchObject({ email: 'liam@students.example.org', grade: '11', active: false });
    const ava = (await session.inject({ method: 'GET', url: '/api/v1/people?q=ava' })).json().people[0];
    expect(ava.school).toMatchObject({ name: 'Lincoln High' });
  });

  it('reports invalid rows and writes nothing unless told to skip them', async () => {
    const session = await newAdmin();
    const csv = [
      'external_id,email,name,kind,active',
      '1,one@example.org,One,student,',
      '2,not-an-email,Two,student,',
      '3,,,student,',
      ',,Nobody,staff,',
      '5,,Five,teacher,',
      '6,,Six,,maybe',
      '1,,One Again,,',
      '8,one@example.org,Eight,,',
    ].join('\n');
    const result = (await importPeople(session, csv)).json();
    expect(result).toMatchObject({ committed: false, invalid: 7, rows: 8 });
    expect(result.problems.map((p: { line: number; column: string }) => `${p.line}:${p.column}`)).toEqual([
      '3:email',
      '4:name',
      '5:external_id',
      '6:kind',
      '7:active',
      '8:external_id',
      '9:email',
    ]);
    expect((await session.inject({ method: 'GET', url: '/api/v1/people' })).json().total).toBe(0);
    expect((await importPeople(session, csv, 'dryRun=false&skipInvalid=true')).json()).toMatchObject({
      committed: true,
      create: 1,
    });
  });
});
