import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import { decryptSecret } from '../../../src/server/secrets/envelope.ts';
import type { TestApp } from '../../setup/app.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { type Fixture, syncHarness } from '../../setup/google-sync.ts';

let fake: FakeGoogle;
let testApp: TestApp;
withGoogleApp((env) => {
  ({ fake, testApp } = env);
});

const { connectedDistrict, queue, spawnRunWorker, sync } = syncHarness(() => ({ fake, testApp }));

async function storedCache(fixture: Fixture) {
  const row = await testApp.database.db
    .selectFrom('mdm_connections')
    .select(['id', 'access_cache'])
    .where('id', '=', fixture.connectionId)
    .executeTakeFirstOrThrow();
  return row.access_cache;
}

function readCache(fixture: Fixture, stored: string): { accessToken: string; expiresAt: number } {
  return JSON.parse(
    decryptSecret(testApp.deps.keyring, stored, {
      table: 'mdm_connections',
      rowId: fixture.connectionId,
      districtId: fixture.districtId,
      field: 'access_cache',
    }),
  );
}

describe('access tokens shared between worker processes', () => {
  it('keeps the access token Google gave with the authorization: the first run asks for no other', async () => {
    const fixture = await connectedDistrict({ devices: 40, overlap: 0.5, junk: 2 });
    // Kept encrypted from the moment of authorization, with Google's expiry.
    const stored = await storedCache(fixture);
    expect(stored).toBeTruthy();
    const cache = readCache(fixture, stored!);
    expect(stored).not.toContain(cache.accessToken);
    expect(cache.expiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    const first = await sync(fixture);
    expect(first.run.state).toBe('succeeded');
    expect(first.requests.filter((entry) => entry.kind === 'token')).toEqual([]);
    // The batch went out with that very token.
    const sent = first.requests.filter((entry) => entry.kind === 'batch');
    expect(sent.length).toBeGreaterThan(0);
    for (const entry of sent)
      expect(entry.headers.authorization).toBe(`Bearer ${cache.accessToken.slice(0, 14)}…`);
  });

  it('keeps the access token encrypted, reuses it in another process, and forgets it on deactivation', async (context) => {
    // Embedded PGlite belongs to one process; a second worker process needs PostgreSQL.
    if (!testApp.database.url) context.skip();
    const fixture = await connectedDistrict({ devices: 300, overlap: 0.5, junk: 5 });
    const first = await sync(fixture);
    expect(first.run.state).toBe('succeeded');
    const stored = await storedCache(fixture);
    expect(stored).toBeTruthy();
    const cache = readCache(fixture, stored!);
    expect(cache.expiresAt).toBeGreaterThan(Date.now() + 10 * 60_000);
    // Stored encrypted: the token itself is nowhere in the column.
    expect(stored).not.toContain(cache.accessToken);
    // The token the first run's requests carried.
    const used = first.requests.find((entry) => entry.kind === 'api' || entry.kind === 'batch');
    expect(used?.subject).toBe(`admin@${fixture.domain}`);

    // A worker process of its own has no token in memory: it takes the stored one instead of asking Google.
    const run = await queue(fixture);
    const mark = fake.mark();
    const worker = spawnRunWorker(fixture, run.id);
    const [code] = await once(worker, 'exit');
    expect(code).toBe(0);
    const requests = fake.requestsSince(mark);
    expect(requests.filter((entry) => entry.kind === 'token')).toEqual([]);
    expect(requests.filter((entry) => entry.kind === 'batch').length).toBeGreaterThan(0);
    const finished = (
      await fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}` })
    ).json();
    expect(finished.state).toBe('succeeded');

    const deactivated = await fixture.session.inject({
      method: 'POST',
      url: '/api/v1/mdm/providers/google/deactivate',
    });
    expect(deactivated.statusCode).toBe(200);
    expect(await storedCache(fixture)).toBeNull();
  });
});
