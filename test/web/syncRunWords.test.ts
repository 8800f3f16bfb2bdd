import { describe, expect, it } from 'vitest';
import type { SyncRun } from '../../src/common/mdm.ts';
import { runSummary } from '../../src/web/lib/syncRunWords.ts';

function run(changes: Partial<SyncRun>, counters: Record<string, number> = {}): SyncRun {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    provider: 'google',
    trigger: 'schedule',
    strategy: 'batch_lookup',
    state: 'succeeded',
    estimate: { apiCalls: 1, complete: true },
    counters: { considered: 120, matched: 100, changed: 3, unchanged: 97, notFound: 20, ...counters },
    error: null,
    queuedAt: '2026-11-19T10:00:00.000Z',
    startedAt: '2026-11-19T10:00:00.000Z',
    finishedAt: '2026-11-19T10:00:05.000Z',
    ...changes,
  } as SyncRun;
}

describe('sync run summary', () => {
  it('says what a complete run found, in words', () => {
    expect(runSummary(run({}), 'Google')).toBe(
      'Checked 120 devices: 100 found in Google (3 changed, 97 unchanged), 20 not in Google.',
    );
  });

  it('mentions the provider’s devices outside the inventory only when there are some', () => {
    expect(
      runSummary(run({ strategy: 'full_listing' }, { unmatchedProviderDevices: 7, notFound: 0 }), 'Jamf'),
    ).toBe(
      'Checked 120 devices: 100 found in Jamf (3 changed, 97 unchanged). Jamf also has 7 devices that match nothing Satchel syncs.',
    );
    // Lookups ask only about tracked devices: whatever their counter says, they never saw the others.
    expect(runSummary(run({}, { unmatchedProviderDevices: 7, notFound: 0 }), 'Jamf')).toBe(
      'Checked 120 devices: 100 found in Jamf (3 changed, 97 unchanged).',
    );
  });

  it('says a changes-only run asked only for changes, and does not call the rest missing', () => {
    const text = runSummary(
      run(
        { estimate: { complete: false, changedSince: '2026-11-18T10:00:00.000Z' } },
        { matched: 4, changed: 4, unchanged: 0 },
      ),
      'Google',
    );
    expect(text).toMatch(
      /^Asked Google only for devices changed since .+: 4 devices had changes in Google \(4 changed\)\.$/,
    );
    expect(text).not.toContain('not in Google');
  });

  it('gives the error of a failed run and whether anything changed before it', () => {
    expect(
      runSummary(
        run({ state: 'failed', error: 'Google answered with a malformed page' }, { changed: 0 }),
        'Google',
      ),
    ).toBe('Stopped with an error: Google answered with a malformed page. Nothing was changed.');
  });

  it('says when nothing changed', () => {
    expect(runSummary(run({}, { changed: 0, unchanged: 100, notFound: 0 }), 'Intune')).toBe(
      'Checked 120 devices: 100 found in Intune (nothing changed).',
    );
  });
});
