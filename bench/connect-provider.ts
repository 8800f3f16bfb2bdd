import type { RequestScope } from '../src/common/mdm.ts';
import type { buildApp } from '../src/server/app.ts';
import type { AdminApi, ProviderBench, RunningFake } from './providers/adapter.ts';

type App = Awaited<ReturnType<typeof buildApp>>['app'];

/** Signs in as the district's administrator; the API as they see it. */
async function signIn(app: App, email: string, password: string): Promise<AdminApi> {
  const session = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password } });
  const cookie = session.cookies.find((entry) => entry.name.endsWith('satchel_session'));
  if (!cookie) throw new Error(`signing in: ${session.statusCode} ${session.body}`);
  const headers = { cookie: `${cookie.name}=${cookie.value}`, 'x-csrf-token': session.json().csrfToken };
  return async (method, path, payload) => {
    const response = await app.inject({ method, url: path, headers, ...(payload ? { payload } : {}) });
    if (response.statusCode >= 400)
      throw new Error(`${method} ${path}: ${response.statusCode} ${response.body}`);
    return response.statusCode >= 300 ? {} : response.json();
  };
}

/** Activates the provider under the request scope and authorizes it, as a district administrator would. */
export async function connectProvider(
  app: App,
  provider: ProviderBench,
  fake: RunningFake,
  admin: { email: string; password: string; requestScope: RequestScope },
): Promise<void> {
  const api = await signIn(app, admin.email, admin.password);
  const tile = `/api/v1/mdm/providers/${provider.key}`;
  await api('POST', `${tile}/activate`, {
    settings: { ...provider.activationSettings(fake), requestScope: admin.requestScope },
  });
  await provider.authorize(api, fake);
  const { state, statusReason } = await api('GET', tile);
  if (state !== 'active') throw new Error(`${provider.name} is ${state} after authorizing: ${statusReason}`);
}
