import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../src/common/permissions.ts';
import { systemContext } from '../../src/server/context.ts';
import type { Database } from '../../src/server/db/connect.ts';
import { createDistrictWithAdmin } from '../../src/server/districts/service.ts';
import { createUser } from '../../src/server/users/service.ts';
import { silentLog } from './app.ts';

export const PASSWORD = 'a long enough passphrase';

export interface TestUser {
  id: string;
  email: string;
  role: Role;
  districtId: string;
}

export interface TestDistrict {
  id: string;
  admin: TestUser;
}

/** Every test builds its own district, so tests never share data. */
export async function createDistrict(
  database: Database,
  name = `District ${randomUUID().slice(0, 8)}`,
): Promise<TestDistrict> {
  const email = `admin-${randomUUID()}@example.org`;
  const { districtId, admin } = await createDistrictWithAdmin(
    database.db,
    { districtName: name, adminName: 'Ada Admin', adminEmail: email, adminPassword: PASSWORD },
    { label: 'test', ip: null, log: silentLog },
  );
  return { id: districtId, admin: { id: admin.id, email, role: 'district_admin', districtId } };
}

export async function addUser(database: Database, district: TestDistrict, role: Role): Promise<TestUser> {
  const email = `${role}-${randomUUID()}@example.org`;
  const ctx = { ...systemContext(district.id, silentLog), userId: district.admin.id };
  const user = await createUser(ctx, database.db, { email, name: `${role} user`, role, password: PASSWORD });
  return { id: user.id, email, role, districtId: district.id };
}

/** A signed-in browser: the session cookie plus the CSRF token, sent the way the web app sends them. */
export interface Session {
  cookie: string;
  csrfToken: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

let addressCounter = 0;
/** Each simulated browser signs in from its own address, so the per-address sign-in limit stays out of the way. */
function nextAddress(): string {
  addressCounter++;
  return `198.18.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

export async function signIn(
  app: FastifyInstance,
  user: { email: string },
  password = PASSWORD,
): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email: user.email, password },
    remoteAddress: nextAddress(),
  });
  if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name.endsWith('satchel_session'));
  if (!cookie) throw new Error('no session cookie');
  const csrfToken = response.json<{ csrfToken: string }>().csrfToken;
  const cookieHeader = `${cookie.name}=${cookie.value}`;
  return {
    cookie: cookieHeader,
    csrfToken,
    inject: (options) =>
      app.inject({
        ...options,
        headers: { cookie: cookieHeader, 'x-csrf-token': csrfToken, ...(options.headers ?? {}) },
      }),
  };
}

export async function createApiToken(session: Session, name = 'script'): Promise<string> {
  const response = await session.inject({ method: 'POST', url: '/api/v1/tokens', payload: { name } });
  if (response.statusCode !== 201) throw new Error(`token creation failed: ${response.body}`);
  return response.json<{ secret: string }>().secret;
}
