import type { FakeJamfSchool, FakeJamfSchoolDevice } from '../../fakes/jamf-school/index.ts';

export interface CallOptions {
  /** Instance base URL (default: the default instance, `fake.url`). */
  baseUrl?: string;
  networkId?: string;
  apiKey?: string;
  /** `null` sends no Authorization header. */
  authorization?: string | null;
  /** `null` leaves the protocol header out. */
  protocol?: string | null;
  method?: string;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
}

export interface DeviceList {
  code: number;
  count: number;
  devices: FakeJamfSchoolDevice[];
}

/**
 * A request the way a Jamf School client makes it: `api/<path>` resolved against the instance's base URL (which
 * may have a path of its own), HTTP Basic with Network ID and API key, and the protocol-version header.
 */
export async function jamf(fake: FakeJamfSchool, path: string, options: CallOptions = {}): Promise<Answer> {
  const base = `${options.baseUrl ?? fake.url}/`;
  const headers: Record<string, string> = {};
  const credentials = `${options.networkId ?? fake.networkId}:${options.apiKey ?? fake.apiKey}`;
  const authorization =
    options.authorization === undefined
      ? `Basic ${Buffer.from(credentials).toString('base64')}`
      : options.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  if (options.protocol !== null) headers['X-Server-Protocol-Version'] = options.protocol ?? '3';
  const response = await fetch(new URL(`api/${path}`, base), { method: options.method ?? 'GET', headers });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** `GET /api/devices…` that must succeed. */
export async function listDevices(
  fake: FakeJamfSchool,
  query = '',
  options: CallOptions = {},
): Promise<DeviceList> {
  const answer = await jamf(fake, `devices${query ? `?${query}` : ''}`, options);
  if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${answer.text}`);
  return answer.json as DeviceList;
}

/** POST to a control route. */
export async function control(fake: FakeJamfSchool, action: string, body: unknown = {}): Promise<unknown> {
  const response = await fetch(`${fake.url}/__fake/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 200) throw new Error(`${action}: ${response.status} ${await response.text()}`);
  return response.json();
}
