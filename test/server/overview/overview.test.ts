import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import type { Overview } from '../../../src/common/overview.ts';
import type { ReportFigure } from '../../../src/common/reports.ts';
import type { TestApp } from '../../setup/app.ts';
import { addUser, type Session, signIn } from '../../setup/factories.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { syncHarness } from '../../setup/google-sync.ts';

let env: { fake: FakeGoogle; testApp: TestApp };
withGoogleApp((ready) => {
  env = ready;
});
const harness = syncHarness(() => env);

async function overviewOf(session: Session): Promise<Overview> {
  const response = await session.inject({ method: 'GET', url: '/api/v1/overview' });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** The device list's total for a figure's link. */
async function listTotal(session: Session, figure: ReportFigure): Promise<number> {
  const response = await session.inject({ method: 'GET', url: `/api/v1/devices?${figure.devicesQuery}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().total;
}

function everyFigure(overview: Overview): [string, ReportFigure][] {
  return [
    ['total', overview.total],
    ...overview.byStatus.map((figure): [string, ReportFigure] => [`status ${figure.status}`, figure]),
    ...overview.bySchool.map((figure): [string, ReportFigure] => [
      `school ${figure.school?.name ?? 'none'}`,
      figure,
    ]),
    ...overview.coverage.flatMap((coverage): [string, ReportFigure][] => [
      [`${coverage.provider.key} matched`, coverage.matched],
      [`${coverage.provider.key} not found`, coverage.notFound],
      [`${coverage.provider.key} never synced`, coverage.neverSynced],
    ]),
    ['not seen', overview.notSeen],
    ['expires this school year', overview.autoUpdate.expiresThisSchoolYear],
    ['expired', overview.autoUpdate.expired],
  ];
}

describe('GET /api/v1/overview', () => {
  it('shows every role the same figures, each the device list’s total for its link, and sync health read-only', async () => {
    const fixture = await harness.connectedDistrict({ devices: 60, overlap: 0.7, junk: 4 });
    const { run } = await harness.sync(fixture);
    expect(run.state).toBe('succeeded');

    const admin = await overviewOf(fixture.session);
    expect(admin.total.count).toBe(60);
    expect(admin.byStatus.reduce((sum, figure) => sum + figure.count, 0)).toBe(60);
    expect(admin.bySchool.reduce((sum, figure) => sum + figure.count, 0)).toBe(60);
    for (const [name, figure] of everyFigure(admin)) {
      expect(await listTotal(fixture.session, figure), name).toBe(figure.count);
    }
    const google = admin.coverage.find((coverage) => coverage.provider.key === 'google');
    expect(google?.matched.count).toBe(run.counters.matched);
    expect(google?.notFound.count).toBe(run.counters.notFound);
    expect(admin.syncHealth).toEqual([
      expect.objectContaining({
        provider: expect.objectContaining({ key: 'google' }),
        state: 'active',
        lastRun: expect.objectContaining({ state: 'succeeded' }),
        failing: false,
        syncing: false,
      }),
    ]);
    expect(admin.syncHealth[0]?.nextSyncAt).not.toBeNull();

    for (const role of ['technician', 'viewer'] as const) {
      const user = await addUser(env.testApp.database, fixture.district, role);
      const session = await signIn(env.testApp.app, user);
      expect(await overviewOf(session), role).toEqual(admin);
    }
  });

  it('counts only the district’s own devices, lists devices without a school, and says when a provider stops syncing', async () => {
    const fixture = await harness.connectedDistrict({ devices: 30, overlap: 1, junk: 0 });
    const other = await harness.connectedDistrict({ devices: 12, overlap: 1, junk: 0 });
    await harness.sync(fixture);
    const created = await fixture.session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber: 'NO-SCHOOL-1' },
    });
    expect(created.statusCode).toBe(201);

    const before = await overviewOf(fixture.session);
    expect(before.total.count).toBe(31);
    const withoutSchool = before.bySchool.find((figure) => figure.school === null);
    expect(withoutSchool?.devicesQuery).toBe('school=none');
    expect(await listTotal(fixture.session, withoutSchool!)).toBe(withoutSchool?.count);
    expect((await overviewOf(other.session)).total.count).toBe(12);

    await fixture.session.inject({ method: 'POST', url: '/api/v1/mdm/providers/google/deactivate' });
    const after = await overviewOf(fixture.session);
    expect(after.syncHealth).toEqual([
      expect.objectContaining({ state: 'inactive', nextSyncAt: null, failing: false }),
    ]);
    expect(after.coverage.find((coverage) => coverage.provider.key === 'google')?.active).toBe(false);
  });

  it('refuses a request without a session', async () => {
    const response = await env.testApp.app.inject({ method: 'GET', url: '/api/v1/overview' });
    expect(response.statusCode).toBe(401);
  });
});
