/**
 * Google OAuth 2.0 as the fake implements it: authorization-code flow with PKCE (S256/plain), refresh,
 * revocation (a revoked token takes its whole grant with it), the service-account JWT bearer grant
 * (RS256 signature checked against the registered public key, domain-wide delegation scopes/subjects),
 * and tokeninfo. Error bodies are Google's `{error, error_description}`.
 */
import {
  createHash,
  createPublicKey,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { escapeHtml, type OAuthErrorResult, oauthError } from './errors.ts';
import type { FakeOAuthClient, FakeServiceAccount } from './types.ts';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const CHROMEOS_SCOPE = 'https://www.googleapis.com/auth/admin.directory.device.chromeos';
export const CHROMEOS_READONLY_SCOPE =
  'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const SA_TOKEN_AUDIENCES = [
  GOOGLE_TOKEN_URL,
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];

export interface AuthRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state?: string;
  accessType: 'online' | 'offline';
  prompt: string[];
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  loginHint?: string;
  includeGrantedScopes: boolean;
}

export type AuthValidation =
  | { kind: 'ok'; request: AuthRequest }
  | { kind: 'page'; status: number; error: string; description: string }
  | { kind: 'redirect'; url: string };

export interface AccessTokenInfo {
  token: string;
  clientId: string;
  /** User email (or the service account's own email when it impersonates nobody). */
  subject: string;
  scopes: Set<string>;
  expiresAt: number;
  issuedAt: number;
  grantId?: number;
  serviceAccount?: string;
  revoked: boolean;
  accessType: 'online' | 'offline';
}

interface RefreshTokenInfo {
  token: string;
  grantId: number;
  clientId: string;
  subject: string;
  scopes: string[];
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
}

interface CodeInfo {
  clientId: string;
  redirectUri: string;
  subject: string;
  scopes: string[];
  challenge?: string;
  method?: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
  issueRefreshToken: boolean;
  accessType: 'online' | 'offline';
}

interface Grant {
  id: number;
  clientId: string;
  subject: string;
  scopes: Set<string>;
  revoked: boolean;
  refreshTokens: string[];
}

interface ServiceAccountEntry extends FakeServiceAccount {
  key: KeyObject;
}

export interface OAuthSettings {
  accessTokenLifetimeSeconds: number;
  refreshTokenLifetimeSeconds?: number;
  maxRefreshTokensPerUser: number;
  codeLifetimeSeconds: number;
  grantedScopes: string[] | null;
}

export interface TokenResult {
  status: number;
  json: Record<string, unknown>;
  /** For the request log. */
  error?: string;
  subject?: string;
  clientId?: string;
}

function random(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function base64urlSha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function fail(result: OAuthErrorResult): TokenResult {
  const json: Record<string, unknown> = { error: result.error };
  if (result.description !== undefined) json.error_description = result.description;
  return { status: result.status, json, error: result.error };
}

/** Encodes like Google's redirects: spaces as `+`, `:` and `/` left as they are. */
function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+').replace(/%3A/gi, ':').replace(/%2F/gi, '/');
}

export function appendParams(base: string, params: [string, string | undefined][]): string {
  const url = new URL(base);
  const query = params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeParam(v)}`)
    .join('&');
  const existing = url.search ? url.search.slice(1) : '';
  const hash = url.hash;
  url.hash = '';
  url.search = '';
  const joined = [existing, query].filter(Boolean).join('&');
  return `${url.toString()}${joined ? `?${joined}` : ''}${hash}`;
}

export class OAuthServer {
  readonly clients = new Map<string, FakeOAuthClient>();
  readonly serviceAccounts = new Map<string, ServiceAccountEntry>();
  readonly settings: OAuthSettings;
  /** Extra accepted JWT audiences (the fake's own token URLs). */
  readonly audiences = new Set(SA_TOKEN_AUDIENCES);
  private readonly now: () => number;
  private readonly knownUser: (email: string) => boolean;
  private codes = new Map<string, CodeInfo>();
  private grants = new Map<number, Grant>();
  private activeGrant = new Map<string, number>();
  private refreshTokens = new Map<string, RefreshTokenInfo>();
  private accessTokens = new Map<string, AccessTokenInfo>();
  private nextGrantId = 1;

  constructor(options: {
    clients: FakeOAuthClient[];
    serviceAccounts: FakeServiceAccount[];
    settings: OAuthSettings;
    now: () => number;
    knownUser: (email: string) => boolean;
  }) {
    for (const client of options.clients) this.clients.set(client.clientId, client);
    for (const sa of options.serviceAccounts) this.addServiceAccount(sa);
    this.settings = options.settings;
    this.now = options.now;
    this.knownUser = options.knownUser;
  }

  addServiceAccount(sa: FakeServiceAccount): void {
    this.serviceAccounts.set(sa.clientEmail, { ...sa, key: createPublicKey(sa.publicKeyPem) });
  }

  // ── Authorization endpoint ────────────────────────────────────────────────────────────────

  validateAuthRequest(params: URLSearchParams): AuthValidation {
    const page = (status: number, error: string, description: string): AuthValidation => ({
      kind: 'page',
      status,
      error,
      description,
    });
    const clientId = params.get('client_id');
    if (!clientId) return page(400, 'invalid_request', 'Missing required parameter: client_id');
    const client = this.clients.get(clientId);
    if (!client) return page(401, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = params.get('redirect_uri');
    if (!redirectUri) return page(400, 'invalid_request', 'Missing required parameter: redirect_uri');
    if (!client.redirectUris.includes(redirectUri)) {
      return page(
        400,
        'redirect_uri_mismatch',
        `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. ` +
          `The redirect URI in the request, ${redirectUri}, does not match the ones authorized for the OAuth client.`,
      );
    }
    const responseType = params.get('response_type');
    if (!responseType) return page(400, 'invalid_request', 'Missing required parameter: response_type');
    if (responseType !== 'code')
      return page(400, 'unsupported_response_type', `Invalid response_type: ${responseType}`);
    const scope = params.get('scope');
    if (!scope?.trim()) return page(400, 'invalid_request', 'Missing required parameter: scope');
    const accessType = params.get('access_type') ?? 'online';
    if (accessType !== 'online' && accessType !== 'offline') {
      return page(400, 'invalid_request', `Invalid access_type: ${accessType}`);
    }
    const prompt = (params.get('prompt') ?? '').split(/\s+/).filter(Boolean);
    if (
      prompt.some((p) => !['none', 'consent', 'select_account'].includes(p)) ||
      (prompt.includes('none') && prompt.length > 1)
    ) {
      return page(400, 'invalid_request', `Invalid prompt: ${params.get('prompt')}`);
    }
    const challenge = params.get('code_challenge') ?? undefined;
    const rawMethod = params.get('code_challenge_method') ?? undefined;
    if (rawMethod && !challenge) return page(400, 'invalid_request', 'Missing code_challenge.');
    let method: 'S256' | 'plain' | undefined;
    if (challenge) {
      method = (rawMethod ?? 'plain') as 'S256' | 'plain';
      if (method !== 'S256' && method !== 'plain') {
        return page(400, 'invalid_request', `Invalid code_challenge_method: ${rawMethod}`);
      }
      if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge))
        return page(400, 'invalid_request', 'Invalid code_challenge.');
    }
    const request: AuthRequest = {
      clientId,
      redirectUri,
      scopes: [...new Set(scope.trim().split(/\s+/))],
      accessType,
      prompt,
      includeGrantedScopes: params.get('include_granted_scopes') === 'true',
    };
    const state = params.get('state');
    if (state !== null) request.state = state;
    if (challenge) {
      request.codeChallenge = challenge;
      request.codeChallengeMethod = method!;
    }
    const hint = params.get('login_hint');
    if (hint) request.loginHint = hint;
    if (prompt.includes('none')) {
      const email = request.loginHint;
      if (!email || !this.knownUser(email))
        return { kind: 'redirect', url: this.errorRedirect(request, 'login_required') };
      const grantId = this.activeGrant.get(`${clientId}|${email.toLowerCase()}`);
      const grant = grantId === undefined ? undefined : this.grants.get(grantId);
      if (!grant || grant.revoked || !request.scopes.every((s) => grant.scopes.has(s))) {
        return { kind: 'redirect', url: this.errorRedirect(request, 'consent_required') };
      }
    }
    return { kind: 'ok', request };
  }

  errorRedirect(request: AuthRequest, error: string): string {
    return appendParams(request.redirectUri, [
      ['error', error],
      ['state', request.state],
    ]);
  }

  /** The user's decision; returns the URL Google would redirect the browser to. */
  decide(
    request: AuthRequest,
    decision: { allow: boolean; email: string; grantScopes?: string[] | undefined },
  ): string {
    if (!decision.allow) return this.errorRedirect(request, 'access_denied');
    const email = decision.email.trim().toLowerCase();
    let scopes = request.scopes;
    if (this.settings.grantedScopes) scopes = scopes.filter((s) => this.settings.grantedScopes!.includes(s));
    if (decision.grantScopes) scopes = scopes.filter((s) => decision.grantScopes!.includes(s));
    if (scopes.length === 0) return this.errorRedirect(request, 'access_denied');
    const key = `${request.clientId}|${email}`;
    const grantId = this.activeGrant.get(key);
    const grant = grantId === undefined ? undefined : this.grants.get(grantId);
    const live = grant && !grant.revoked ? grant : undefined;
    if (request.includeGrantedScopes && live) scopes = [...new Set([...live.scopes, ...scopes])];
    const hasRefreshToken = live?.refreshTokens.some((t) => this.liveRefreshToken(t)) ?? false;
    const code = `4/0A${random(54)}`;
    this.codes.set(code, {
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      subject: email,
      scopes,
      ...(request.codeChallenge
        ? { challenge: request.codeChallenge, method: request.codeChallengeMethod! }
        : {}),
      expiresAt: this.now() + this.settings.codeLifetimeSeconds * 1000,
      used: false,
      issueRefreshToken:
        request.accessType === 'offline' && (!hasRefreshToken || request.prompt.includes('consent')),
      accessType: request.accessType,
    });
    const domain = email.split('@')[1];
    return appendParams(request.redirectUri, [
      ['state', request.state],
      ['code', code],
      ['scope', scopes.join(' ')],
      ['authuser', '0'],
      ['hd', domain],
      ['prompt', request.prompt.includes('none') ? 'none' : 'consent'],
    ]);
  }

  // ── Token endpoint ───────────────────────────────────────────────────────────────────────

  token(form: URLSearchParams, authorization: string | undefined): TokenResult {
    const grantType = form.get('grant_type');
    if (!grantType) return fail(oauthError(400, 'unsupported_grant_type', 'Invalid grant_type: '));
    if (grantType === JWT_BEARER) return this.jwtBearer(form);
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return fail(oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`));
    }
    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    if (authorization?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (!clientId)
      return fail(oauthError(400, 'invalid_request', 'Could not determine client ID from request.'));
    const client = this.clients.get(clientId);
    if (!client)
      return { ...fail(oauthError(401, 'invalid_client', 'The OAuth client was not found.')), clientId };
    if (client.clientSecret !== undefined) {
      if (clientSecret === undefined)
        return { ...fail(oauthError(400, 'invalid_request', 'client_secret is missing.')), clientId };
      if (!safeEqual(clientSecret, client.clientSecret)) {
        return { ...fail(oauthError(401, 'invalid_client', 'Unauthorized')), clientId };
      }
    }
    const result =
      grantType === 'authorization_code' ? this.authorizationCode(form, client) : this.refresh(form, client);
    return { ...result, clientId };
  }

  private authorizationCode(form: URLSearchParams, client: FakeOAuthClient): TokenResult {
    const code = form.get('code');
    if (!code) return fail(oauthError(400, 'invalid_request', 'Missing required parameter: code'));
    const info = this.codes.get(code);
    if (!info) {
      return fail(
        oauthError(400, 'invalid_grant', /^4\/[\w-]+$/.test(code) ? 'Bad Request' : 'Malformed auth code.'),
      );
    }
    if (info.used) return fail(oauthError(400, 'invalid_grant', 'Code was already redeemed.'));
    if (this.now() > info.expiresAt) return fail(oauthError(400, 'invalid_grant', 'Bad Request'));
    if (info.clientId !== client.clientId) return fail(oauthError(400, 'invalid_grant', 'Bad Request'));
    const redirectUri = form.get('redirect_uri');
    if (!redirectUri) return fail(oauthError(400, 'invalid_request', 'Missing parameter: redirect_uri'));
    if (redirectUri !== info.redirectUri)
      return fail(oauthError(400, 'redirect_uri_mismatch', 'Bad Request'));
    const verifier = form.get('code_verifier');
    if (info.challenge) {
      if (!verifier) return fail(oauthError(400, 'invalid_grant', 'Missing code verifier.'));
      const computed = info.method === 'S256' ? base64urlSha256(verifier) : verifier;
      if (!safeEqual(computed, info.challenge))
        return fail(oauthError(400, 'invalid_grant', 'Invalid code verifier.'));
    } else if (verifier) {
      return fail(oauthError(400, 'invalid_request', 'code_verifier or verifier is not needed.'));
    }
    info.used = true;
    const grant = this.grantFor(client.clientId, info.subject, info.scopes);
    const access = this.issueAccessToken({
      clientId: client.clientId,
      subject: info.subject,
      scopes: info.scopes,
      grantId: grant.id,
      accessType: info.accessType,
    });
    const json: Record<string, unknown> = {
      access_token: access.token,
      expires_in: this.settings.accessTokenLifetimeSeconds - 1,
      scope: info.scopes.join(' '),
      token_type: 'Bearer',
    };
    if (info.scopes.includes('openid'))
      json.id_token = this.idToken(client.clientId, info.subject, info.scopes);
    if (info.issueRefreshToken) {
      json.refresh_token = this.issueRefreshToken(grant, info.scopes);
      if (this.settings.refreshTokenLifetimeSeconds !== undefined) {
        json.refresh_token_expires_in = this.settings.refreshTokenLifetimeSeconds;
      }
    }
    return { status: 200, json, subject: info.subject };
  }

  /**
   * An OpenID Connect ID token for `openid` requests. Clients that receive it straight from the token endpoint
   * over TLS may skip signature checks (OIDC Core 3.1.3.7), so it is signed with a key nobody verifies.
   */
  private idToken(clientId: string, subject: string, scopes: string[]): string {
    const issuedAt = Math.floor(this.now() / 1000);
    const claims: Record<string, unknown> = {
      iss: 'https://accounts.google.com',
      aud: clientId,
      sub: `1${createHash('sha256').update(subject).digest('hex').replace(/\D/g, '').slice(0, 20)}`,
      iat: issuedAt,
      exp: issuedAt + 3600,
    };
    if (scopes.includes('email')) Object.assign(claims, { email: subject, email_verified: true });
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'fake' })}.${encode(claims)}`;
    return `${unsigned}.${createHash('sha256').update(unsigned).digest('base64url')}`;
  }

  /** Every refresh token handed out, oldest first: tests plant them as canaries. */
  issuedRefreshTokens(): string[] {
    return [...this.refreshTokens.keys()];
  }

  private refresh(form: URLSearchParams, client: FakeOAuthClient): TokenResult {
    const token = form.get('refresh_token');
    if (!token) return fail(oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token'));
    const info = this.refreshTokens.get(token);
    if (!info || !this.liveRefreshToken(token)) {
      return {
        ...fail(oauthError(400, 'invalid_grant', 'Token has been expired or revoked.')),
        ...(info ? { subject: info.subject } : {}),
      };
    }
    if (info.clientId !== client.clientId)
      return fail(oauthError(401, 'unauthorized_client', 'Unauthorized'));
    let scopes = info.scopes;
    const asked = form.get('scope');
    if (asked?.trim()) {
      const wanted = asked.trim().split(/\s+/);
      if (!wanted.every((s) => info.scopes.includes(s))) {
        return fail(oauthError(400, 'invalid_scope', 'Some requested scopes were invalid.'));
      }
      scopes = wanted;
    }
    const grant = this.grants.get(info.grantId)!;
    const access = this.issueAccessToken({
      clientId: client.clientId,
      subject: info.subject,
      scopes,
      grantId: grant.id,
      accessType: 'offline',
    });
    return {
      status: 200,
      json: {
        access_token: access.token,
        expires_in: this.settings.accessTokenLifetimeSeconds - 1,
        scope: scopes.join(' '),
        token_type: 'Bearer',
      },
      subject: info.subject,
    };
  }

  private jwtBearer(form: URLSearchParams): TokenResult {
    const assertion = form.get('assertion');
    if (!assertion) return fail(oauthError(400, 'invalid_request', 'Missing required parameter: assertion'));
    const parts = assertion.split('.');
    const invalid = (description: string) => fail(oauthError(400, 'invalid_grant', description));
    if (parts.length !== 3)
      return invalid('Invalid JWT: Token must be a short-lived token and in a reasonable timeframe');
    let header: Record<string, unknown>;
    let claims: Record<string, unknown>;
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return invalid('Invalid JWT Signature.');
    }
    const iss = typeof claims.iss === 'string' ? claims.iss : '';
    const sa = this.serviceAccounts.get(iss);
    if (!sa) return { ...invalid('Invalid grant: account not found'), subject: iss };
    if (header.alg !== 'RS256') return { ...invalid('Invalid JWT Signature.'), subject: iss };
    const signed = verify(
      'RSA-SHA256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      sa.key,
      Buffer.from(parts[2]!, 'base64url'),
    );
    if (!signed) return { ...invalid('Invalid JWT Signature.'), subject: iss };
    if (typeof claims.aud !== 'string' || !this.audiences.has(claims.aud)) {
      return {
        ...invalid(`Invalid JWT: Failed audience check. The right audience is ${GOOGLE_TOKEN_URL}`),
        subject: iss,
      };
    }
    const nowSeconds = Math.floor(this.now() / 1000);
    const iat = Number(claims.iat);
    const exp = Number(claims.exp);
    if (
      !Number.isFinite(iat) ||
      !Number.isFinite(exp) ||
      exp - iat > 3600 ||
      exp < nowSeconds ||
      iat > nowSeconds + 300
    ) {
      return {
        ...invalid(
          'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
        ),
        subject: iss,
      };
    }
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(/\s+/).filter(Boolean) : [];
    if (scopes.length === 0) {
      return {
        ...fail(oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.')),
        subject: iss,
      };
    }
    const sub = typeof claims.sub === 'string' && claims.sub ? claims.sub.toLowerCase() : undefined;
    const unauthorized = () =>
      fail(
        oauthError(
          401,
          'unauthorized_client',
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        ),
      );
    if (sub) {
      if (sa.allowedScopes && !scopes.every((s) => sa.allowedScopes!.includes(s)))
        return { ...unauthorized(), subject: sub };
      if (sa.allowedSubjects && !sa.allowedSubjects.map((s) => s.toLowerCase()).includes(sub)) {
        return { ...unauthorized(), subject: sub };
      }
      if (!this.knownUser(sub)) return { ...invalid('Invalid email or User ID'), subject: sub };
    }
    const access = this.issueAccessToken({
      clientId: sa.clientId ?? sa.clientEmail,
      subject: sub ?? sa.clientEmail,
      scopes,
      serviceAccount: sa.clientEmail,
      accessType: 'online',
    });
    return {
      status: 200,
      json: {
        access_token: access.token,
        expires_in: this.settings.accessTokenLifetimeSeconds - 1,
        token_type: 'Bearer',
      },
      subject: sub ?? sa.clientEmail,
      clientId: sa.clientId ?? sa.clientEmail,
    };
  }

  private grantFor(clientId: string, subject: string, scopes: string[]): Grant {
    const key = `${clientId}|${subject}`;
    const existingId = this.activeGrant.get(key);
    const existing = existingId === undefined ? undefined : this.grants.get(existingId);
    if (existing && !existing.revoked) {
      for (const s of scopes) existing.scopes.add(s);
      return existing;
    }
    const grant: Grant = {
      id: this.nextGrantId++,
      clientId,
      subject,
      scopes: new Set(scopes),
      revoked: false,
      refreshTokens: [],
    };
    this.grants.set(grant.id, grant);
    this.activeGrant.set(key, grant.id);
    return grant;
  }

  private issueAccessToken(input: {
    clientId: string;
    subject: string;
    scopes: string[];
    grantId?: number;
    serviceAccount?: string;
    accessType: 'online' | 'offline';
  }): AccessTokenInfo {
    const now = this.now();
    const info: AccessTokenInfo = {
      token: `ya29.a0${random(96)}`,
      clientId: input.clientId,
      subject: input.subject,
      scopes: new Set(input.scopes),
      issuedAt: now,
      expiresAt: now + this.settings.accessTokenLifetimeSeconds * 1000,
      revoked: false,
      accessType: input.accessType,
    };
    if (input.grantId !== undefined) info.grantId = input.grantId;
    if (input.serviceAccount !== undefined) info.serviceAccount = input.serviceAccount;
    this.accessTokens.set(info.token, info);
    return info;
  }

  private issueRefreshToken(grant: Grant, scopes: string[]): string {
    const now = this.now();
    const token = `1//0${random(72)}`;
    const lifetime = this.settings.refreshTokenLifetimeSeconds;
    this.refreshTokens.set(token, {
      token,
      grantId: grant.id,
      clientId: grant.clientId,
      subject: grant.subject,
      scopes,
      createdAt: now,
      expiresAt: lifetime === undefined ? Number.POSITIVE_INFINITY : now + lifetime * 1000,
      revoked: false,
    });
    grant.refreshTokens.push(token);
    const live = grant.refreshTokens.filter((t) => this.liveRefreshToken(t));
    if (live.length > this.settings.maxRefreshTokensPerUser) {
      const oldest = this.refreshTokens.get(live[0]!);
      if (oldest) oldest.revoked = true;
    }
    return token;
  }

  private liveRefreshToken(token: string): boolean {
    const info = this.refreshTokens.get(token);
    if (!info || info.revoked || this.now() > info.expiresAt) return false;
    return !this.grants.get(info.grantId)?.revoked;
  }

  /** A usable access token, or why not. */
  lookupAccessToken(
    token: string,
  ): { ok: true; info: AccessTokenInfo } | { ok: false; reason: 'unknown' | 'expired' | 'revoked' } {
    const info = this.accessTokens.get(token);
    if (!info) return { ok: false, reason: 'unknown' };
    if (info.revoked || (info.grantId !== undefined && this.grants.get(info.grantId)?.revoked)) {
      return { ok: false, reason: 'revoked' };
    }
    if (this.now() >= info.expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, info };
  }

  // ── Revocation ───────────────────────────────────────────────────────────────────────────

  /** Revokes an access or refresh token and, with it, the whole grant. */
  revoke(token: string): boolean {
    const refresh = this.refreshTokens.get(token);
    if (refresh) {
      if (!this.liveRefreshToken(token)) return false;
      this.revokeGrant(refresh.grantId);
      return true;
    }
    const lookup = this.lookupAccessToken(token);
    if (!lookup.ok) return false;
    if (lookup.info.grantId !== undefined) this.revokeGrant(lookup.info.grantId);
    else lookup.info.revoked = true;
    return true;
  }

  private revokeGrant(grantId: number): void {
    const grant = this.grants.get(grantId);
    if (!grant) return;
    grant.revoked = true;
    const key = `${grant.clientId}|${grant.subject}`;
    if (this.activeGrant.get(key) === grantId) this.activeGrant.delete(key);
  }

  /** Simulates users removing the app's access: every grant (optionally of one user/client) is revoked. */
  revokeAll(filter: { subject?: string; clientId?: string } = {}): number {
    let count = 0;
    for (const grant of this.grants.values()) {
      if (grant.revoked) continue;
      if (filter.subject && grant.subject !== filter.subject.toLowerCase()) continue;
      if (filter.clientId && grant.clientId !== filter.clientId) continue;
      this.revokeGrant(grant.id);
      count++;
    }
    for (const info of this.accessTokens.values()) {
      if (info.grantId !== undefined || info.revoked) continue;
      if (filter.subject && info.subject !== filter.subject.toLowerCase()) continue;
      if (filter.clientId && info.clientId !== filter.clientId) continue;
      info.revoked = true;
      count++;
    }
    return count;
  }

  /** Makes every current access token expired (refresh tokens keep working). */
  expireAccessTokens(): void {
    const now = this.now();
    for (const info of this.accessTokens.values()) info.expiresAt = Math.min(info.expiresAt, now);
  }

  tokenInfo(token: string): TokenResult {
    const lookup = this.lookupAccessToken(token);
    if (!lookup.ok) return fail(oauthError(400, 'invalid_token', 'Invalid Value'));
    const { info } = lookup;
    const expiresIn = Math.max(0, Math.floor((info.expiresAt - this.now()) / 1000));
    return {
      status: 200,
      json: {
        azp: info.clientId,
        aud: info.clientId,
        sub: createHash('sha256')
          .update(info.subject)
          .digest('hex')
          .replace(/[a-f]/g, '')
          .slice(0, 21)
          .padEnd(21, '7'),
        scope: [...info.scopes].join(' '),
        exp: String(Math.floor(info.expiresAt / 1000)),
        expires_in: String(expiresIn),
        email: info.subject,
        email_verified: 'true',
        access_type: info.accessType,
      },
      subject: info.subject,
      clientId: info.clientId,
    };
  }
}

// ── HTML pages ───────────────────────────────────────────────────────────────────────────────

const STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#202124}
h1{font-size:1.4rem;font-weight:500}.fake{color:#b06000;font-size:.85rem}
fieldset{border:1px solid #dadce0;border-radius:8px;margin:1rem 0}label{display:block;margin:.5rem 0}
input[type=email]{width:100%;padding:.4rem;font-size:1rem}code{word-break:break-all}
.actions{display:flex;gap:1rem;justify-content:flex-end}button{padding:.5rem 1.5rem;font-size:1rem}`;

export function page(title: string, body: string): string {
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>\n<body>\n<p class="fake">Fake Google (test double) — not accounts.google.com</p>\n${body}\n</body></html>\n`;
}

export function consentPage(input: {
  request: AuthRequest;
  rid: string;
  email: string;
  action: string;
}): string {
  const { request } = input;
  const scopes = request.scopes
    .map(
      (s) =>
        `<label><input type="checkbox" name="scope" value="${escapeHtml(s)}" checked> <code>${escapeHtml(s)}</code></label>`,
    )
    .join('\n');
  return page(
    'Sign in - Google Accounts',
    `<h1>${escapeHtml(request.clientId)} wants to access your Google Account</h1>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="rid" value="${escapeHtml(input.rid)}">
<label for="email">Google account</label>
<input type="email" id="email" name="email" value="${escapeHtml(input.email)}" required>
<fieldset><legend>This will allow the app to:</legend>
${scopes}
</fieldset>
<p>Access type: <strong>${request.accessType}</strong>${request.codeChallenge ? ` · PKCE ${request.codeChallengeMethod}` : ''}</p>
<p>After this you will be sent to <code>${escapeHtml(request.redirectUri)}</code></p>
<div class="actions">
<button type="submit" name="action" value="deny" formnovalidate>Deny</button>
<button type="submit" name="action" value="allow">Allow</button>
</div>
</form>`,
  );
}

export function errorPage(status: number, error: string, description: string): string {
  return page(
    `Error ${status}: ${error}`,
    `<h1>Access blocked: authorization error</h1>\n<p><strong>Error ${status}: ${escapeHtml(error)}</strong></p>\n<p>${escapeHtml(description)}</p>`,
  );
}

export { base64urlSha256 };
