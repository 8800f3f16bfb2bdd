import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createDistrict, type Session, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

async function adminOfNewDistrict(): Promise<{ session: Session; districtId: string }> {
  const { app, database } = testApp();
  const district = await createDistrict(database);
  return { session: await signIn(app, district.admin), districtId: district.id };
}

async function post(session: Session, url: string, payload: object) {
  return session.inject({ method: 'POST', url, payload });
}

describe('devices', () => {
  it('creates a device with a normalized serial key and reads it back', async () => {
    const { session } = await adminOfNewDistrict();
    const created = await post(session, '/api/v1/devices', {
      serialNumber: ' 5cd 1234xyz ',
      assetTag: 'LHS-0001',
      model: 'Chromebook 3110',
      manufacturer: 'Dell',
      purchaseDate: '2025-07-01',
    });
    expect(created.statusCode).toBe(201);
    const device = created.json();
    expect(device).toMatchObject({
      serialNumber: '5cd 1234xyz',
      serialKey: '5CD1234XYZ',
      assetTag: 'LHS-0001',
      type: 'chromebook',
      status: 'in_service',
      purchaseDate: '2025-07-01',
      currentAssignment: null,
    });
    const read = await session.inject({ method: 'GET', url: `/api/v1/devices/${device.id}` });
    expect(read.json()).toEqual({ ...device, mdm: {} });
  });

  it('refuses a duplicate serial (in any spelling) or asset tag with 409 naming the device', async () => {
    const { session } = await adminOfNewDistrict();
    const first = (
      await post(session, '/api/v1/devices', { serialNumber: 'ABC123', assetTag: 'T-1' })
    ).json();
    const dupSerial = await post(session, '/api/v1/devices', { serialNumber: 'abc 123' });
    expect(dupSerial.statusCode).toBe(409);
    expect(dupSerial.json().error.details).toMatchObject({ field: 'serialNumber', deviceId: first.id });
    // The message names the device as people know it, by serial number, never by its internal id.
    expect(dupSerial.json().error.message).toBe(
      'A device with serial number ABC123 is already in the inventory',
    );
    expect(dupSerial.json().error.message).not.toContain(first.id);
    const dupTag = await post(session, '/api/v1/devices', { serialNumber: 'OTHER1', assetTag: 't-1' });
    expect(dupTag.statusCode).toBe(409);
    expect(dupTag.json().error.details).toMatchObject({ field: 'assetTag', deviceId: first.id });
    const other = (await post(session, '/api/v1/devices', { serialNumber: 'OTHER2' })).json();
    const patch = await session.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${other.id}`,
      payload: { serialNumber: 'abc123' },
    });
    expect(patch.statusCode).toBe(409);
  });

  it('lets another district reuse a serial, and hides each district’s devices from the other (404)', async () => {
    const a = await adminOfNewDistrict();
    const b = await adminOfNewDistrict();
    const mine = (await post(a.session, '/api/v1/devices', { serialNumber: 'SHARED1' })).json();
    expect((await post(b.session, '/api/v1/devices', { serialNumber: 'SHARED1' })).statusCode).toBe(201);
    for (const request of [
      { method: 'GET' as const, url: `/api/v1/devices/${mine.id}` },
      { method: 'PATCH' as const, url: `/api/v1/devices/${mine.id}`, payload: { notes: 'hijacked' } },
      { method: 'GET' as const, url: `/api/v1/devices/${mine.id}/history` },
      { method: 'POST' as const, url: `/api/v1/devices/${mine.id}/checkin`, payload: {} },
    ]) {
      const response = await b.session.inject(request);
      expect(response.statusCode).toBe(404);
    }
    const list = (await b.session.inject({ method: 'GET', url: '/api/v1/devices' })).json();
    expect(list.devices.map((d: { id: string }) => d.id)).not.toContain(mine.id);
    expect(
      (await a.session.inject({ method: 'GET', url: `/api/v1/devices/${mine.id}` })).json().notes,
    ).toBeNull();
  });

  it('rejects bad fields with the field and reason, and unknown fields', async () => {
    const { session } = await adminOfNewDistrict();
    const bad = await post(session, '/api/v1/devices', {
      serialNumber: '',
      status: 'vanished',
      purchaseDate: '2025-13-45',
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad
      .json()
      .error.details.map((d: { path: string }) => d.path)
      .sort();
    expect(paths).toEqual(['body.purchaseDate', 'body.serialNumber', 'body.status']);
    const extra = await post(session, '/api/v1/devices', {
      serialNumber: 'X1',
      districtId: '00000000-0000-4000-8000-000000000000',
    });
    expect(extra.statusCode).toBe(400);
    const wrongSchool = await post(session, '/api/v1/devices', {
      serialNumber: 'X2',
      schoolId: '00000000-0000-4000-8000-000000000000',
    });
    expect(wrongSchool.statusCode).toBe(400);
  });

  it('lists with filters, search, sorting and paging, returning the total', async () => {
    const { session } = await adminOfNewDistrict();
    const school = (await post(session, '/api/v1/schools', { name: 'Lincoln High', code: 'LHS' })).json();
    const person = (
      await post(session, '/api/v1/people', {
        kind: 'student',
        name: 'Jordan Rivera',
        email: 'jrivera@students.example.org',
        externalId: 'S100',
      })
    ).json();
    const serials = ['NXA1', 'NXA2', 'NXA3', 'R9K1', 'R9K2'];
    const ids: Record<string, string> = {};
    for (const [index, serial] of serials.entries()) {
      const device = (
        await post(session, '/api/v1/devices', {
          serialNumber: serial,
          model: index < 3 ? 'Chromebook 3110' : 'Latitude 5440',
          status: index === 4 ? 'spare' : 'in_service',
          schoolId: index % 2 === 0 ? school.id : null,
          assetTag: `TAG-${index}`,
        })
      ).json();
      ids[serial] = device.id;
    }
    await post(session, `/api/v1/devices/${ids.R9K1}/checkout`, { personId: person.id });

    const list = async (query: string) =>
      (await session.inject({ method: 'GET', url: `/api/v1/devices?${query}` })).json();
    const serialsOf = (body: { devices: { serialNumber: string }[] }) =>
      body.devices.map((d) => d.serialNumber);

    expect((await list('')).total).toBe(5);
    expect(serialsOf(await list('status=spare'))).toEqual(['R9K2']);
    expect(
      serialsOf(await list('status=spare&status=in_service&sort=serialNumber&order=desc&pageSize=2')),
    ).toEqual(['R9K2', 'R9K1']);
    const page2 = await list('pageSize=2&page=2');
    expect(page2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(serialsOf(page2)).toEqual(['NXA3', 'R9K1']);
    expect(serialsOf(await list(`school=${school.id}`))).toEqual(['NXA1', 'NXA3', 'R9K2']);
    expect(serialsOf(await list('model=chromebook%203110'))).toEqual(['NXA1', 'NXA2', 'NXA3']);
    expect(serialsOf(await list('assigned=true'))).toEqual(['R9K1']);
    expect((await list('assigned=false')).total).toBe(4);
    expect(serialsOf(await list('q=rivera'))).toEqual(['R9K1']);
    expect(serialsOf(await list('q=jrivera@students'))).toEqual(['R9K1']);
    expect(serialsOf(await list('q=tag-3'))).toEqual(['R9K1']);
    expect(serialsOf(await list('q=nx%20a2'))).toEqual(['NXA2']);
    expect(serialsOf(await list('q=latitude'))).toEqual(['R9K1', 'R9K2']);
    expect((await list('q=%25')).total).toBe(0);
    const bad = await session.inject({ method: 'GET', url: '/api/v1/devices?pageSize=501' });
    expect(bad.statusCode).toBe(400);
    expect((await session.inject({ method: 'GET', url: '/api/v1/devices?sort=password' })).statusCode).toBe(
      400,
    );
  });

  it('checks a device out and in, keeping one open assignment and the full history', async () => {
    const { session } = await adminOfNewDistrict();
    const device = (await post(session, '/api/v1/devices', { serialNumber: 'CHK1', status: 'spare' })).json();
    const alice = (
      await post(session, '/api/v1/people', { kind: 'student', name: 'Alice Ng', grade: '9' })
    ).json();
    const bob = (await post(session, '/api/v1/people', { kind: 'staff', name: 'Bob Ortiz' })).json();

    const out = await post(session, `/api/v1/devices/${device.id}/checkout`, { personId: alice.id });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toMatchObject({
      status: 'in_service',
      assignedTo: { id: alice.id },
      currentAssignment: { person: { name: 'Alice Ng' } },
    });
    const again = await post(session, `/api/v1/devices/${device.id}/checkout`, { personId: bob.id });
    expect(again.statusCode).toBe(409);

    const back = await post(session, `/api/v1/devices/${device.id}/checkin`, { note: 'Cracked bezel' });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ assignedTo: null, currentAssignment: null });
    expect((await post(session, `/api/v1/devices/${device.id}/checkin`, {})).statusCode).toBe(409);
    await post(session, `/api/v1/devices/${device.id}/checkout`, { personId: bob.id });

    const history = (
      await session.inject({ method: 'GET', url: `/api/v1/devices/${device.id}/history` })
    ).json();
    expect(history.assignments.map((a: { person: { name: string } }) => a.person.name)).toEqual([
      'Bob Ortiz',
      'Alice Ng',
    ]);
    expect(history.assignments[1]).toMatchObject({ checkInNote: 'Cracked bezel' });
    expect(history.events.map((e: { action: string }) => e.action)).toEqual([
      'device.checked_out',
      'device.checked_in',
      'device.checked_out',
      'device.created',
    ]);
    const alicesView = (await session.inject({ method: 'GET', url: `/api/v1/people/${alice.id}` })).json();
    expect(alicesView.assignments).toHaveLength(1);
    expect(alicesView.assignments[0]).toMatchObject({
      device: { serialNumber: 'CHK1' },
      checkInNote: 'Cracked bezel',
    });
  });

  it('asks for a check-in before marking an assigned device lost, or does both in one change', async () => {
    const { session } = await adminOfNewDistrict();
    const device = (await post(session, '/api/v1/devices', { serialNumber: 'LOST1' })).json();
    const person = (await post(session, '/api/v1/people', { kind: 'student', name: 'Sam Lee' })).json();
    await post(session, `/api/v1/devices/${device.id}/checkout`, { personId: person.id });
    const refused = await session.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${device.id}`,
      payload: { status: 'lost' },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details).toMatchObject({ field: 'checkIn' });
    const done = await session.inject({
      method: 'PATCH',
      url: `/api/v1/devices/${device.id}`,
      payload: { status: 'lost', checkIn: { note: 'Reported lost on the bus' } },
    });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'lost', assignedTo: null });
    const history = (
      await session.inject({ method: 'GET', url: `/api/v1/devices/${device.id}/history` })
    ).json();
    expect(history.assignments[0].checkInNote).toBe('Reported lost on the bus');
    const updated = history.events.find((e: { action: string }) => e.action === 'device.updated');
    expect(updated.details.changes).toEqual({ status: { from: 'in_service', to: 'lost' } });
    expect(
      (await post(session, `/api/v1/devices/${device.id}/checkout`, { personId: person.id })).statusCode,
    ).toBe(409);
  });

  it('changes status or school in bulk', async () => {
    const { session } = await adminOfNewDistrict();
    const school = (await post(session, '/api/v1/schools', { name: 'Oak Elementary' })).json();
    const a = (await post(session, '/api/v1/devices', { serialNumber: 'BULK1' })).json();
    const b = (await post(session, '/api/v1/devices', { serialNumber: 'BULK2' })).json();
    const person = (await post(session, '/api/v1/people', { kind: 'student', name: 'Kim Park' })).json();
    await post(session, `/api/v1/devices/${b.id}/checkout`, { personId: person.id });

    const school2 = await post(session, '/api/v1/devices/bulk-update', {
      deviceIds: [a.id, b.id],
      changes: { schoolId: school.id },
    });
    expect(school2.json()).toEqual({ updated: 2, checkedIn: 0 });
    const refused = await post(session, '/api/v1/devices/bulk-update', {
      deviceIds: [a.id, b.id],
      changes: { status: 'retired' },
    });
    expect(refused.statusCode).toBe(409);
    expect((await session.inject({ method: 'GET', url: `/api/v1/devices/${a.id}` })).json().status).toBe(
      'in_service',
    );
    const retired = await post(session, '/api/v1/devices/bulk-update', {
      deviceIds: [a.id, b.id],
      changes: { status: 'retired' },
      checkInAssigned: true,
    });
    expect(retired.json()).toEqual({ updated: 2, checkedIn: 1 });
    const other = await adminOfNewDistrict();
    const foreign = await post(other.session, '/api/v1/devices/bulk-update', {
      deviceIds: [a.id],
      changes: { status: 'spare' },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('enforces roles on the server: viewers read, technicians check out, only writers edit', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const device = (await post(admin, '/api/v1/devices', { serialNumber: 'ROLE1' })).json();
    const person = (await post(admin, '/api/v1/people', { kind: 'student', name: 'Pat Doe' })).json();
    const viewer = await signIn(app, await addUser(database, district, 'viewer'));
    const tech = await signIn(app, await addUser(database, district, 'technician'));
    expect((await viewer.inject({ method: 'GET', url: '/api/v1/devices' })).statusCode).toBe(200);
    expect((await post(viewer, '/api/v1/devices', { serialNumber: 'V1' })).statusCode).toBe(403);
    expect(
      (await post(viewer, `/api/v1/devices/${device.id}/checkout`, { personId: person.id })).statusCode,
    ).toBe(403);
    expect(
      (await post(tech, `/api/v1/devices/${device.id}/checkout`, { personId: person.id })).statusCode,
    ).toBe(200);
    expect((await post(tech, '/api/v1/devices', { serialNumber: 'T1' })).statusCode).toBe(201);
  });

  it('stores markup as plain text', async () => {
    const { session } = await adminOfNewDistrict();
    const created = (
      await post(session, '/api/v1/devices', { serialNumber: 'XSS1', model: '<img src=x onerror=alert(1)>' })
    ).json();
    expect(created.model).toBe('<img src=x onerror=alert(1)>');
  });
});
