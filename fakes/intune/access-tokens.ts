/**
 * App-only access tokens for Graph. They are JWTs shaped like Entra's v1.0 Graph tokens (`aud`, `tid`,
 * `appid`, `roles`, …) so a client may read its roles, but only the fake can check them: it looks each one up
 * in what it issued. A token lives while it is unexpired and its app still holds its place in the tenant;
 * the permissions that count are the ones the tenant grants now.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Directory, ServicePrincipal, Tenant } from './directory.ts';

export const GRAPH_RESOURCE = 'https://graph.microsoft.com';

interface IssuedToken {
  tenantId: string;
  clientId: string;
  servicePrincipalId: string;
  expiresAt: number;
}

export type TokenCheck =
  | { ok: true; tenant: Tenant; clientId: string; principal: ServicePrincipal }
  | { ok: false; reason: 'empty' | 'malformed' | 'unknown' | 'expired' | 'revoked' };

export class AccessTokens {
  private readonly issued = new Map<string, IssuedToken>();
  private readonly signingKey = randomBytes(32);
  private readonly directory: Directory;
  private readonly now: () => number;
  readonly lifetimeSeconds: number;

  constructor(directory: Directory, now: () => number, lifetimeSeconds: number) {
    this.directory = directory;
    this.now = now;
    this.lifetimeSeconds = lifetimeSeconds;
  }

  issue(tenant: Tenant, principal: ServicePrincipal, viaCertificate: boolean): string {
    this.forgetExpired();
    const issuedAt = Math.floor(this.now() / 1000);
    const expiresAt = issuedAt + this.lifetimeSeconds;
    const claims = {
      aud: GRAPH_RESOURCE,
      iss: `https://sts.windows.net/${tenant.id}/`,
      iat: issuedAt,
      nbf: issuedAt,
      exp: expiresAt,
      app_displayname: this.directory.app(principal.clientId)?.displayName,
      appid: principal.clientId,
      appidacr: viaCertificate ? '2' : '1',
      idp: `https://sts.windows.net/${tenant.id}/`,
      idtyp: 'app',
      oid: principal.objectId,
      ...(principal.permissions.size ? { roles: [...principal.permissions] } : {}),
      sub: principal.objectId,
      tid: tenant.id,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    const token = this.sign(claims);
    this.issued.set(token, {
      tenantId: tenant.id,
      clientId: principal.clientId,
      servicePrincipalId: principal.objectId,
      expiresAt: expiresAt * 1000,
    });
    return token;
  }

  check(token: string | undefined): TokenCheck {
    if (!token) return { ok: false, reason: 'empty' };
    if (token.split('.').length !== 3) return { ok: false, reason: 'malformed' };
    const issued = this.issued.get(token);
    if (!issued) return { ok: false, reason: 'unknown' };
    if (issued.expiresAt <= this.now()) return { ok: false, reason: 'expired' };
    const tenant = this.directory.find(issued.tenantId);
    const principal = tenant && this.directory.servicePrincipal(tenant, issued.clientId);
    if (!tenant || !principal || principal.objectId !== issued.servicePrincipalId)
      return { ok: false, reason: 'revoked' };
    return { ok: true, tenant, clientId: issued.clientId, principal };
  }

  expireAll(): void {
    const past = this.now() - 1;
    for (const token of this.issued.values()) token.expiresAt = past;
  }

  private sign(claims: Record<string, unknown>): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ typ: 'JWT', alg: 'HS256', kid: 'fake-intune' })}.${encode({ ...claims, jti: randomUUID() })}`;
    return `${unsigned}.${createHmac('sha256', this.signingKey).update(unsigned).digest('base64url')}`;
  }

  /** Tokens long dead are dropped so the table stays small in long runs. */
  private forgetExpired(): void {
    if (this.issued.size < 10_000) return;
    const cutoff = this.now() - 24 * 3_600_000;
    for (const [token, issued] of this.issued) if (issued.expiresAt < cutoff) this.issued.delete(token);
  }
}
