import type { TrackedDevice } from '../../inventory/index.ts';
import type { ProviderDevice } from '../provider.ts';
import type { MatchedDevice } from './writer.ts';

/** The tracked devices of a run, held as two lists that line up (no object per device) and an index by serial. */
export interface TrackedIndex {
  /** Inventory ids, in serial key order. */
  ids: string[];
  /** Serial keys, in the same order: the only serials a targeted strategy may name. */
  serialKeys: string[];
  bySerial: Map<string, string>;
}

export function indexTracked(tracked: { ids: string[]; serialKeys: string[] }): TrackedIndex {
  const bySerial = new Map<string, string>();
  for (let index = 0; index < tracked.ids.length; index++)
    bySerial.set(tracked.serialKeys[index] as string, tracked.ids[index] as string);
  return { ...tracked, bySerial };
}

export function idsBySerial(devices: readonly TrackedDevice[]): Map<string, string> {
  return new Map(devices.map((device) => [device.serialKey, device.id]));
}

/**
 * The provider devices whose serial key is exactly a tracked one, with their inventory ids. Everything else a
 * provider returns (untracked devices, near misses from a lenient search) is dropped here and only counted.
 */
export function matchWith(
  bySerial: ReadonlyMap<string, string>,
  devices: readonly ProviderDevice[],
): MatchedDevice[] {
  return devices.flatMap((device) => {
    const deviceId = bySerial.get(device.serialKey);
    return deviceId ? [{ deviceId, device }] : [];
  });
}
