import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { addUser, createApiToken, createDistrict, type Session, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

const VIEW = {
  list: 'devices',
  name: 'Chromebooks at Lincoln',
  filters: 'status=in_service&model=Dell+Chromebook+3110',
  columns: ['assetTag', 'model', 'mdmLastCheckIn'],
};

function create(session: Session, body: Record<string, unknown>) {
  return session.inject({ method: 'POST', url: '/api/v1/saved-views', payload: body });
}

function list(session: Session) {
  return session.inject({ method: 'GET', url: '/api/v1/saved-views?list=devices' });
}

describe('saved views', () => {
  it('saves, lists, renames, updates and deletes a person’s own view', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const viewer = await signIn(app, await addUser(database, district, 'viewer'));

    const created = await create(viewer, { ...VIEW, filters: `?${VIEW.filters}` });
    expect(created.statusCode).toBe(201);
    const view = created.json();
    expect(view).toMatchObject({ name: VIEW.name, filters: VIEW.filters, columns: VIEW.columns });

    expect((await list(viewer)).json().views.map((saved: { id: string }) => saved.id)).toEqual([view.id]);

    const renamed = await viewer.inject({
      method: 'PATCH',
      url: `/api/v1/saved-views/${view.id}`,
      payload: { name: 'Lincoln Chromebooks', columns: ['model'] },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: 'Lincoln Chromebooks',
      filters: VIEW.filters,
      columns: ['model'],
    });

    const deleted = await viewer.inject({ method: 'DELETE', url: `/api/v1/saved-views/${view.id}` });
    expect(deleted.statusCode).toBe(204);
    expect((await list(viewer)).json().views).toEqual([]);
  });

  it('keeps each person’s views to themselves, even inside one district', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const technician = await signIn(app, await addUser(database, district, 'technician'));
    const other = await createDistrict(database);
    const outsider = await signIn(app, other.admin);

    const view = (await create(admin, VIEW)).json();
    expect((await list(technician)).json().views).toEqual([]);
    expect((await list(outsider)).json().views).toEqual([]);
    for (const session of [technician, outsider]) {
      const rename = await session.inject({
        method: 'PATCH',
        url: `/api/v1/saved-views/${view.id}`,
        payload: { name: 'Mine now' },
      });
      expect(rename.statusCode).toBe(404);
      const remove = await session.inject({ method: 'DELETE', url: `/api/v1/saved-views/${view.id}` });
      expect(remove.statusCode).toBe(404);
    }
    expect((await list(admin)).json().views).toMatchObject([{ name: VIEW.name }]);
  });

  it('refuses a second view with the same name, in any letter case, and says which field', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const first = (await create(admin, VIEW)).json();
    const again = await create(admin, { ...VIEW, name: VIEW.name.toUpperCase() });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('already have a view named');
    const second = (await create(admin, { ...VIEW, name: 'Spares' })).json();
    const clash = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/saved-views/${second.id}`,
      payload: { name: ` ${VIEW.name.toLowerCase()} ` },
    });
    expect(clash.statusCode).toBe(409);
    // Renaming a view to its own name (another case) is not a clash.
    const same = await admin.inject({
      method: 'PATCH',
      url: `/api/v1/saved-views/${first.id}`,
      payload: { name: VIEW.name.toLowerCase() },
    });
    expect(same.statusCode).toBe(200);
  });

  it('answers bad input with the product error shape and stores nothing', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    for (const body of [
      { ...VIEW, name: '  ' },
      { ...VIEW, list: 'people' },
      { ...VIEW, filters: 'q=a b' },
      { ...VIEW, columns: ['<script>'] },
      { ...VIEW, filters: 'x'.repeat(2001) },
      { ...VIEW, extra: true },
    ]) {
      const response = await create(admin, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json().error.code).toBeTruthy();
    }
    expect((await list(admin)).json().views).toEqual([]);
  });

  it('refuses someone signed out; an API token reads the views of the person it acts for', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const signedOut = await app.inject({ method: 'GET', url: '/api/v1/saved-views?list=devices' });
    expect(signedOut.statusCode).toBe(401);
    const admin = await signIn(app, district.admin);
    await create(admin, VIEW);
    const token = await createApiToken(admin);
    const byToken = await app.inject({
      method: 'GET',
      url: '/api/v1/saved-views?list=devices',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.statusCode).toBe(200);
    expect(byToken.json().views).toMatchObject([{ name: VIEW.name }]);
  });
});
