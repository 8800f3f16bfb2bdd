import type { FastifyInstance } from 'fastify';
import { type FakeOidc, startFakeOidc } from '../../fakes/oidc/index.ts';

export const OIDC_CLIENT = { clientId: 'satchel-sign-in', clientSecret: 'fake-sign-in-secret' };

/** Fake Google and Microsoft sign-in providers that accept Satchel's callback at `publicUrl`. */
export async function startSignInFakes(
  publicUrl: string,
): Promise<{ google: FakeOidc; microsoft: FakeOidc }> {
  const client = (provider: string) => ({
    ...OIDC_CLIENT,
    redirectUris: [`${publicUrl}/api/v1/sign-in/${provider}/callback`],
  });
  const google = await startFakeOidc({ kind: 'google', clients: [client('google')] });
  const microsoft = await startFakeOidc({ kind: 'microsoft', clients: [client('microsoft')] });
  return { google, microsoft };
}

export function signInEnvironment(fakes: { google: FakeOidc; microsoft: FakeOidc }): Record<string, string> {
  return {
    GOOGLE_OIDC_CLIENT_ID: OIDC_CLIENT.clientId,
    GOOGLE_OIDC_CLIENT_SECRET: OIDC_CLIENT.clientSecret,
    GOOGLE_OIDC_ISSUER: fakes.google.url,
    MICROSOFT_OIDC_CLIENT_ID: OIDC_CLIENT.clientId,
    MICROSOFT_OIDC_CLIENT_SECRET: OIDC_CLIENT.clientSecret,
    MICROSOFT_OIDC_AUTHORITY: fakes.microsoft.url,
  };
}

/**
 * Walks a browser's single sign-on through the app (by inject) and the fake provider (over HTTP, keeping its
 * cookies), and returns where Satchel sent the browser at the end, with the session cookie if one was set.
 */
export async function signInWithProvider(
  app: FastifyInstance,
  publicUrl: string,
  provider: 'google' | 'microsoft',
  email: string,
): Promise<{ location: string; sessionCookie: string | undefined }> {
  const start = await app.inject({
    method: 'GET',
    url: `/api/v1/sign-in/${provider}/start?email=${encodeURIComponent(email)}`,
  });
  let location = String(start.headers.location ?? '');
  const flow = start.cookies.find((cookie) => cookie.name === 'satchel_sign_in_flow');
  const jar = new Map<string, string>();
  while (!location.startsWith(publicUrl)) {
    const response = await fetch(location, {
      redirect: 'manual',
      headers: { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) jar.set(name.trim(), value.join('='));
    }
    const next = response.headers.get('location');
    if (!next)
      throw new Error(`the provider stopped at ${location}: ${response.status} ${await response.text()}`);
    location = new URL(next, location).href;
  }
  const back = new URL(location);
  if (!back.pathname.startsWith('/api/v1/sign-in/')) return { location, sessionCookie: undefined };
  const callback = await app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: flow ? { cookie: `${flow.name}=${flow.value}` } : {},
  });
  const session = callback.cookies.find((cookie) => cookie.name.endsWith('satchel_session'));
  return {
    location: String(callback.headers.location ?? ''),
    sessionCookie: session ? `${session.name}=${session.value}` : undefined,
  };
}
