/**
 * Jamf School authenticates every API request with HTTP Basic: the Network ID as user name and an API key as
 * password. Each key carries access rights; a key without the right for a request gets 405, not 403.
 */
import type { ApiKeyRight, ApiKeyRights, FakeApiKey } from './types.ts';

export const ALL_RIGHTS: ApiKeyRights = { devices: 'read' };

export interface Credentials {
  user: string;
  password: string;
}

/** The user name and password of an `Authorization: Basic …` header, if it holds them. */
export function basicCredentials(header: string | undefined): Credentials | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

interface StoredKey {
  networkId: string;
  apiKey: string;
  rights: ApiKeyRights;
}

/** An instance's API keys. */
export class KeyRing {
  private readonly keys = new Map<string, StoredKey>();
  private readonly defaultNetworkId: string;

  constructor(defaultNetworkId: string) {
    this.defaultNetworkId = defaultNetworkId;
  }

  add(key: FakeApiKey): void {
    this.keys.set(key.apiKey, {
      networkId: key.networkId ?? this.defaultNetworkId,
      apiKey: key.apiKey,
      rights: { ...ALL_RIGHTS, ...key.rights },
    });
  }

  /** Deletes the key; requests made with it get 401 from then on. */
  revoke(apiKey: string): boolean {
    return this.keys.delete(apiKey);
  }

  removeRight(apiKey: string, right: ApiKeyRight): void {
    const key = this.keys.get(apiKey);
    if (!key) throw new Error(`no API key ${apiKey}`);
    key.rights[right] = 'none';
  }

  /** The rights of the key these credentials name, or undefined when they name none. */
  rightsOf(credentials: Credentials | undefined): ApiKeyRights | undefined {
    if (!credentials) return undefined;
    const key = this.keys.get(credentials.password);
    return key && key.networkId === credentials.user ? key.rights : undefined;
  }

  get size(): number {
    return this.keys.size;
  }
}
