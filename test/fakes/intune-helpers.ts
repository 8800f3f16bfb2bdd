import { type FakeIntune, GRAPH_DEFAULT_SCOPE } from '../../fakes/intune/index.ts';

export interface JsonAnswer<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  json: T;
}

async function answer<T>(response: Response): Promise<JsonAnswer<T>> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: (text ? JSON.parse(text) : {}) as T };
}

/** POSTs a token request form to `/{tenant}/oauth2/v2.0/token`. */
export async function postToken(
  fake: FakeIntune,
  tenant: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const response = await fetch(`${fake.loginUrl}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form),
  });
  return answer(response);
}

export function secretForm(fake: FakeIntune, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: fake.defaultApp.clientId,
    client_secret: fake.defaultApp.secret,
    scope: GRAPH_DEFAULT_SCOPE,
    ...overrides,
  };
}

/** A Graph access token for the default app (or the one given) in a tenant. */
export async function accessToken(
  fake: FakeIntune,
  tenant = fake.defaultTenant.id,
  credentials: { clientId?: string; secret?: string } = {},
): Promise<string> {
  const token = await postToken(
    fake,
    tenant,
    secretForm(fake, {
      ...(credentials.clientId ? { client_id: credentials.clientId } : {}),
      ...(credentials.secret ? { client_secret: credentials.secret } : {}),
    }),
  );
  if (token.status !== 200) throw new Error(`token request failed: ${JSON.stringify(token.json)}`);
  return token.json.access_token as string;
}

/** GET (or any method) on Graph, path from the version on: `/v1.0/deviceManagement/managedDevices?…`. */
export async function graph<T = Record<string, unknown>>(
  fake: FakeIntune,
  token: string | undefined,
  path: string,
  init: RequestInit = {},
): Promise<JsonAnswer<T>> {
  const url = path.startsWith('http') ? path : `${fake.graphUrl}${path}`;
  const headers = new Headers(init.headers);
  if (token !== undefined) headers.set('Authorization', `Bearer ${token}`);
  return answer<T>(await fetch(url, { ...init, headers }));
}

export interface DevicePage {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: Record<string, unknown>[];
}

export interface ODataError {
  error: { code: string; message: string; innerError: Record<string, string> };
}

/** Follows `@odata.nextLink` verbatim until it is absent, as clients must. */
export async function listAll(
  fake: FakeIntune,
  token: string,
  path: string,
): Promise<{ pages: DevicePage[] }> {
  const pages: DevicePage[] = [];
  let next: string | undefined = path;
  while (next) {
    const page: JsonAnswer<DevicePage> = await graph<DevicePage>(fake, token, next);
    if (page.status !== 200) throw new Error(`page failed: ${JSON.stringify(page.json)}`);
    pages.push(page.json);
    next = page.json['@odata.nextLink'];
  }
  return { pages };
}

/** The claims of a JWT (no signature check). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function managedDevicesPath(query: Record<string, string> = {}): string {
  const params = Object.entries(query)
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`)
    .join('&');
  return `/v1.0/deviceManagement/managedDevices${params ? `?${params}` : ''}`;
}
