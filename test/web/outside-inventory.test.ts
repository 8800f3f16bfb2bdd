import { describe, expect, it } from 'vitest';
import { outsideInventoryOf } from '../../src/web/lib/mdm.ts';

const counters = { unmatchedProviderDevices: 0, matched: 10 };

describe('the sync history’s “outside the inventory” figure', () => {
  it('is the count of a complete listing, and unknown (null) for runs that never count it', () => {
    expect(
      outsideInventoryOf({
        strategy: 'full_listing',
        state: 'succeeded',
        counters: { ...counters, unmatchedProviderDevices: 17 },
      }),
    ).toBe(17);
    expect(outsideInventoryOf({ strategy: 'full_listing', state: 'succeeded', counters })).toBe(0);
    // Lookups ask only about tracked devices: their 0 is "not counted", not "none".
    expect(outsideInventoryOf({ strategy: 'batch_lookup', state: 'succeeded', counters })).toBeNull();
    expect(outsideInventoryOf({ strategy: 'incremental', state: 'succeeded', counters })).toBeNull();
    expect(outsideInventoryOf({ strategy: 'full_listing', state: 'failed', counters })).toBeNull();
    expect(outsideInventoryOf({ strategy: null, state: 'queued', counters })).toBeNull();
  });
});
