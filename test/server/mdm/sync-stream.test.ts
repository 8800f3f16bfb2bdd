import { describe, expect, it } from 'vitest';
import type { FakeGoogle } from '../../../fakes/google/index.ts';
import type { TestApp } from '../../setup/app.ts';
import { withGoogleApp } from '../../setup/google.ts';
import { syncHarness } from '../../setup/google-sync.ts';

let fake: FakeGoogle;
let testApp: TestApp;

withGoogleApp((env) => {
  ({ fake, testApp } = env);
});

const { connectedDistrict, queue } = syncHarness(() => ({ fake, testApp }));

describe('the sync progress stream', () => {
  it('ends when the session that opened it signs out, although the run is still queued', async () => {
    const fixture = await connectedDistrict({ devices: 5, overlap: 1, junk: 0 });
    const run = await queue(fixture);
    const stream = fixture.session.inject({ method: 'GET', url: `/api/v1/mdm/runs/${run.id}/events` });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signOut = await fixture.session.inject({ method: 'DELETE', url: '/api/v1/session' });
    expect(signOut.statusCode).toBe(204);
    const ended = await Promise.race([
      stream,
      new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 5000)),
    ]);
    expect(ended).not.toBe('still open');
    if (ended === 'still open') return;
    expect(ended.headers['cache-control']).toBe('no-store');
    const events = ended.body.split('\n\n').filter(Boolean);
    expect(events[0]).toMatch(/^event: progress\n/);
    expect(events.at(-1)).toBe('event: signed_out\ndata: {}');
  });
});
