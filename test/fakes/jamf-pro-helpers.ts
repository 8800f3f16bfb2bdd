import { expect } from 'vitest';
import { DEFAULT_CLIENT, type FakeApiClient } from '../../fakes/jamf-pro/index.ts';

export const COMPUTERS = '/api/v2/computers-inventory';
export const MOBILE_DEVICES = '/api/v2/mobile-devices/detail';

/** POSTs the client-credentials form to a token path of the instance at `baseUrl`. */
export function requestToken(
  baseUrl: string,
  client: Pick<FakeApiClient, 'clientId' | 'clientSecret'> = DEFAULT_CLIENT,
  path = '/api/oauth/token',
  extra: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
      ...extra,
    }),
  });
}

export async function accessToken(
  baseUrl: string,
  client: Pick<FakeApiClient, 'clientId' | 'clientSecret'> = DEFAULT_CLIENT,
): Promise<string> {
  const response = await requestToken(baseUrl, client);
  if (response.status !== 200) throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface Page<T = Record<string, unknown>> {
  totalCount: number;
  results: T[];
}

/** GET `path?params` on the instance at `baseUrl`; array values repeat the parameter. */
export async function get<T = Page>(
  baseUrl: string,
  path: string,
  token: string,
  params: Record<string, string | number | string[]> = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    for (const each of Array.isArray(value) ? value : [value]) query.append(key, String(each));
  }
  const response = await fetch(`${baseUrl}${path}${query.size ? `?${query}` : ''}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
  });
  const text = await response.text();
  const json = /json/.test(response.headers.get('content-type') ?? '');
  return {
    status: response.status,
    body: (json ? JSON.parse(text) : text) as T,
    headers: response.headers,
  };
}

/** Jamf's error body for a status and code. */
export function jamfError(status: number, code: string) {
  return {
    httpStatus: status,
    errors: [
      {
        code,
        description: expect.any(String),
        id: '0',
        field: expect.toSatisfy((f) => f === null || typeof f === 'string'),
      },
    ],
  };
}
