/**
 * API clients and their access tokens for one instance (Jamf Pro ≥ 10.49 "API Roles and Clients").
 * A client trades its ID and secret for a bearer token (`grant_type=client_credentials`, form-encoded);
 * there are no refresh tokens. A token's privileges are those of the client's roles at the time of each
 * request, so removing a privilege takes effect at once, as Jamf looks the roles up on every call.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { type ApiResult, errors, oauthError } from './errors.ts';
import type { FakeApiClient } from './types.ts';

interface ClientState {
  client: FakeApiClient;
  privileges: Set<string>;
  /** Disabled: the secret no longer gives tokens, but those already given may still work. */
  disabled: boolean;
  /** The `api-role:<id>` scope the client's role is known by. */
  scope: string;
}

interface TokenState {
  clientId: string;
  expiresAt: number;
}

export type Authorization =
  | { ok: true; clientId: string }
  | { ok: false; result: ApiResult; clientId?: string };

export class ApiClients {
  private readonly clients = new Map<string, ClientState>();
  private readonly tokens = new Map<string, TokenState>();
  private readonly signingKey = randomBytes(32);
  private nextRoleId = 1;
  private readonly now: () => number;
  private readonly issuer: string;
  defaultLifetimeSeconds: number;

  constructor(now: () => number, issuer: string, defaultLifetimeSeconds: number) {
    this.now = now;
    this.issuer = issuer;
    this.defaultLifetimeSeconds = defaultLifetimeSeconds;
  }

  add(client: FakeApiClient): void {
    const existing = this.clients.get(client.clientId);
    this.clients.set(client.clientId, {
      client: { ...client },
      privileges: new Set(client.privileges),
      disabled: false,
      scope: existing?.scope ?? `api-role:${this.nextRoleId++}`,
    });
  }

  list(): FakeApiClient[] {
    return [...this.clients.values()]
      .filter((state) => !state.disabled)
      .map((state) => ({ ...state.client, privileges: [...state.privileges] }));
  }

  /**
   * Deletes a client: its secret stops working and so do the tokens it was given. With `keepTokens` the client
   * is only disabled and its tokens run to their expiry, as Jamf documents for disabled or deleted clients.
   */
  revoke(clientId: string, keepTokens = false): boolean {
    const state = this.clients.get(clientId);
    if (!state) return false;
    if (keepTokens) {
      state.disabled = true;
      return true;
    }
    for (const [token, each] of this.tokens) if (each.clientId === clientId) this.tokens.delete(token);
    return this.clients.delete(clientId);
  }

  removePrivilege(clientId: string, privilege: string): void {
    const state = this.clients.get(clientId);
    if (!state) throw new Error(`fake jamf: no API client ${clientId}`);
    state.privileges.delete(privilege);
  }

  addPrivilege(clientId: string, privilege: string): void {
    const state = this.clients.get(clientId);
    if (!state) throw new Error(`fake jamf: no API client ${clientId}`);
    state.privileges.add(privilege);
  }

  expireTokens(): void {
    const now = this.now();
    for (const state of this.tokens.values()) state.expiresAt = Math.min(state.expiresAt, now);
  }

  /** `POST /api/oauth/token` (or `/api/v1/oauth/token`) with its form body. */
  issue(form: URLSearchParams): ApiResult & { clientId?: string } {
    const grantType = form.get('grant_type');
    if (!grantType) return oauthError(400, 'invalid_request', 'Missing grant_type');
    if (grantType !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');
    const clientId = form.get('client_id') ?? '';
    const state = this.clients.get(clientId);
    if (!state || state.disabled || state.client.clientSecret !== form.get('client_secret')) {
      return { ...oauthError(401, 'invalid_client'), ...(clientId ? { clientId } : {}) };
    }
    const asked = form.get('scope')?.split(/\s+/).filter(Boolean) ?? [];
    if (asked.some((scope) => scope !== state.scope))
      return { ...oauthError(400, 'invalid_scope'), clientId };
    const lifetime = state.client.tokenLifetimeSeconds ?? this.defaultLifetimeSeconds;
    const issuedAt = this.now();
    const token = this.sign(clientId, state.scope, issuedAt, lifetime);
    this.tokens.set(token, { clientId, expiresAt: issuedAt + lifetime * 1000 });
    return {
      status: 200,
      headers: { 'Cache-Control': 'no-store', Pragma: 'no-cache' },
      // Jamf's documented example answers 599 for a token that lives ten minutes: the second being spent.
      json: { access_token: token, scope: state.scope, token_type: 'Bearer', expires_in: lifetime - 1 },
      clientId,
    };
  }

  /** Checks the `Authorization: Bearer` header of an API call and the client's privilege. */
  authorize(header: string | undefined, privilege: string): Authorization {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    const state = token ? this.tokens.get(token) : undefined;
    if (!state || state.expiresAt <= this.now()) return { ok: false, result: errors.invalidToken() };
    const client = this.clients.get(state.clientId);
    if (!client) return { ok: false, result: errors.invalidToken(), clientId: state.clientId };
    if (!client.privileges.has(privilege)) {
      return { ok: false, result: errors.missingPrivilege(privilege), clientId: state.clientId };
    }
    return { ok: true, clientId: state.clientId };
  }

  /** A JWT with the claims Jamf's client-credentials tokens carry, so clients that peek at it see the same. */
  private sign(clientId: string, scope: string, issuedAtMs: number, lifetimeSeconds: number): string {
    const iat = Math.floor(issuedAtMs / 1000);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const header = encode({ alg: 'HS256' });
    const claims = encode({
      sub: clientId,
      aud: clientId,
      nbf: iat,
      'token-uuid': randomUUID(),
      'subject-type': 'REGISTERED_CLIENT_ID',
      'authentication-type': 'CLIENT_CREDENTIALS',
      scope: [scope],
      iss: this.issuer,
      exp: iat + lifetimeSeconds,
      iat,
    });
    const signature = createHmac('sha256', this.signingKey).update(`${header}.${claims}`).digest('base64url');
    return `${header}.${claims}.${signature}`;
  }
}
