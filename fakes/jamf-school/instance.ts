/**
 * A Jamf School instance: one school's (or district's) `https://<name>.jamfcloud.com`, with its own Network ID,
 * API keys and devices. The fake serves several from one origin, each under its own path.
 */
import { createHash } from 'node:crypto';
import { KeyRing } from './auth.ts';
import { DeviceStore } from './store.ts';
import type { FakeInstanceOptions } from './types.ts';

export const DEFAULT_INSTANCE = 'default';
export const DEFAULT_NETWORK_ID = '10000001';
export const DEFAULT_API_KEY = 'FAKEJAMFSCHOOLKEYDEVICESREAD0001';

/** A stable eight-digit Network ID for an instance name, so every instance's credentials differ. */
export function networkIdFor(name: string): string {
  const digest = createHash('sha256').update(name).digest();
  return String(20_000_000 + (digest.readUInt32BE(0) % 70_000_000));
}

export class Instance {
  readonly name: string;
  readonly networkId: string;
  readonly keys: KeyRing;
  readonly store: DeviceStore;
  readonly timeZone: string;

  constructor(name: string, options: FakeInstanceOptions = {}) {
    this.name = name;
    this.networkId =
      options.networkId ?? (name === DEFAULT_INSTANCE ? DEFAULT_NETWORK_ID : networkIdFor(name));
    this.keys = new KeyRing(this.networkId);
    for (const key of options.apiKeys ?? [{ apiKey: DEFAULT_API_KEY }]) this.keys.add(key);
    this.store = new DeviceStore(options.devices ?? []);
    this.timeZone = options.timeZone ?? 'UTC';
  }
}

/** Splits a request path into the instance it names and the rest (`/instances/<name>/api/…`, else the default). */
export function instancePath(path: string): { name: string; rest: string } {
  const match = /^\/instances\/([^/]+)(\/.*)?$/.exec(path);
  if (!match) return { name: DEFAULT_INSTANCE, rest: path };
  return { name: match[1]!, rest: match[2] ?? '/' };
}
