import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, signIn } from '../../setup/factories.ts';

const testApp = withTestApp();

describe('audit log pages', () => {
  it('skips no event when many share one millisecond', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    // Two instants inside one millisecond, so a boundary falls inside it and between microseconds.
    const instants = ['2026-01-05T10:00:00.123100Z', '2026-01-05T10:00:00.123900Z'];
    await database.db
      .insertInto('audit_events')
      .values(
        Array.from({ length: 300 }, (_, index) => ({
          district_id: district.id,
          actor_user_id: null,
          actor_label: 'test',
          action: 'test.burst',
          subject_type: 'test',
          subject_id: String(index),
          details: '{}',
          ip: null,
          created_at: instants[index % 2],
        })),
      )
      .execute();

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response = await admin.inject({
        method: 'GET',
        url: `/api/v1/audit-events?subjectType=test&limit=37${query}`,
      });
      expect(response.statusCode).toBe(200);
      const page = response.json<{ events: { subjectId: string }[]; nextCursor: string | null }>();
      seen.push(...page.events.map((event) => event.subjectId));
      cursor = page.nextCursor;
    } while (cursor);

    expect(seen).toHaveLength(300);
    expect(new Set(seen).size).toBe(300);
  });

  it('answers a cursor it did not give out with a 400 naming the field', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const admin = await signIn(app, district.admin);
    const response = await admin.inject({ method: 'GET', url: '/api/v1/audit-events?cursor=garbage' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([expect.objectContaining({ path: 'cursor' })]);
  });
});
