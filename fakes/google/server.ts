/**
 * The fake's HTTP server: routes Google's paths (so clients only change the origin), applies fault
 * injection (latency, quota, scheduled failures, malformed bodies) and records every request, inner
 * batch calls included.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { PAGE_HEADERS } from '../shared/html.ts';
import { headerMap, listenOnLoopback, readBody } from '../shared/loopback.ts';
import {
  BatchFormatError,
  boundaryOf,
  formatBatchResponse,
  type InnerResponse,
  MAX_BATCH_PARTS,
  parsePart,
  splitParts,
} from './batch.ts';
import { countDevices, FleetStore, getDevice, listDevices, MAX_RESULTS } from './directory.ts';
import { type ApiResult, apiError, errors, htmlNotFound } from './errors.ts';
import { generateFleet } from './fleet.ts';
import {
  type AccessTokenInfo,
  type AuthRequest,
  CHROMEOS_READONLY_SCOPE,
  CHROMEOS_SCOPE,
  consentPage,
  errorPage,
  OAuthServer,
  page,
  type TokenResult,
} from './oauth.ts';
import { namedValues } from './query.ts';
import type {
  ConsentMode,
  FailTarget,
  FakeChromeDevice,
  FakeCustomerOptions,
  FakeGoogleOptions,
  FakeOAuthClient,
  FakeServiceAccount,
  MalformedKind,
  QuotaReason,
  RequestKind,
  RequestLogEntry,
} from './types.ts';

export const DEFAULT_CLIENT: FakeOAuthClient = {
  clientId: '123456789012-fakesatchel.apps.googleusercontent.com',
  clientSecret: 'GOCSPX-fake-client-secret',
  redirectUris: [
    'http://localhost:3000/api/v1/mdm/providers/google/oauth/callback',
    'http://127.0.0.1:3000/api/v1/mdm/providers/google/oauth/callback',
  ],
};
export const DEFAULT_DOMAIN = 'district.example.org';

const DIRECTORY_SCOPES = [CHROMEOS_SCOPE, CHROMEOS_READONLY_SCOPE];
const API_PREFIX = '/admin/directory/v1/';
const LIST_PATH = /^\/admin\/directory\/v1\/customer\/([^/]+)\/devices\/chromeos$/;
const COUNT_PATH = /^\/admin\/directory\/v1\/customer\/([^/]+)\/devices\/chromeos:countChromeOsDevices$/;
const GET_PATH = /^\/admin\/directory\/v1\/customer\/([^/]+)\/devices\/chromeos\/([^/:]+)$/;
const BATCH_PATHS = new Set(['/batch', '/batch/admin/directory_v1', '/batch/admin/directory/v1']);
const TOKEN_PATHS = new Set(['/token', '/o/oauth2/token', '/oauth2/v4/token']);
const REVOKE_PATHS = new Set(['/revoke', '/o/oauth2/revoke']);
const AUTH_PATHS = new Set(['/o/oauth2/v2/auth', '/o/oauth2/auth']);
const CONSENT_PATH = '/o/oauth2/v2/auth/consent';
const TOKENINFO_PATHS = new Set(['/tokeninfo', '/oauth2/v3/tokeninfo']);
const MAX_BODY = 32 * 1024 * 1024;
const DEFAULT_REASONS: Record<number, string> = {
  400: 'badRequest',
  401: 'authError',
  403: 'forbidden',
  404: 'notFound',
  429: 'rateLimitExceeded',
};

/** An answer ready for the wire. */
interface EncodedAnswer {
  status: number;
  headers: Record<string, string>;
  buffer: Buffer;
}

export interface CustomerView {
  customerId: string;
  domain: string;
  deviceCount: number;
}

export interface ApproveOptions {
  /** Account that consents; default login_hint, then the fake's default email. */
  email?: string;
  /** Untick scopes: only these of the requested ones are granted. */
  grantScopes?: string[];
  /** Press "Deny" instead. */
  deny?: boolean;
}

export interface FailNextOptions {
  /** Which requests fail: top-level API/batch calls (default), inner batch calls, the token endpoint, or any. */
  target?: FailTarget;
  /** A 429's `Retry-After` in seconds (default 1); null sends none. */
  retryAfter?: number | null;
}

export interface QuotaSettings {
  perMinute?: number | undefined;
  /**
   * Whose requests a minute's quota counts: each user's of each client (`user`, Google's per-user limit), or
   * every user's of a client together (`project`, one Cloud project's quota shared by all its customers).
   */
  scope?: 'user' | 'project';
  status?: 429 | 403;
  reason?: QuotaReason;
  retryAfter?: boolean;
}

export interface FakeGoogle {
  /** e.g. http://127.0.0.1:4010 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
  readonly tokenInfoUrl: string;
  /** `url` + '/', for `rootUrl` of the generated clients. */
  readonly apiRootUrl: string;
  readonly batchUrl: string;
  /** Live log (oldest first). */
  readonly requests: RequestLogEntry[];
  clearLog(): void;
  /** Sequence number to pass to `requestsSince`. */
  mark(): number;
  requestsSince(mark: number): RequestLogEntry[];

  customers(): CustomerView[];
  /** Resolves a domain or customer ID. */
  customer(key: string): CustomerView;
  devices(key: string): FakeChromeDevice[];
  setFleet(key: string, devices: FakeChromeDevice[]): void;
  /** Patch one device in place (indexes are rebuilt). */
  updateDevice(key: string, deviceId: string, patch: Partial<FakeChromeDevice>): FakeChromeDevice;
  addCustomer(customer: FakeCustomerOptions): CustomerView;
  addClient(client: FakeOAuthClient): void;
  addServiceAccount(account: FakeServiceAccount): void;
  readonly defaultClient: FakeOAuthClient;
  readonly defaultEmail: string;

  /** Programmatic consent: returns the URL the browser would be redirected to. */
  approve(authorizationUrl: string, options?: ApproveOptions): string;
  /** Every refresh token issued so far, oldest first (for canary checks). */
  issuedRefreshTokens(): string[];
  deny(authorizationUrl: string): string;
  consent: ConsentMode;
  /** Grant only these of the requested scopes (null: grant what is asked). */
  grantedScopes: string[] | null;

  failNext(n: number, status?: number, reason?: string, options?: FailNextOptions): void;
  malformedNext(
    n: number,
    kind?: MalformedKind,
    options?: { target?: 'api' | 'batch-item'; after?: number },
  ): void;
  /** The least time an answer takes from its request's arrival (network and Google's servers together). */
  latencyMs: number;
  /** Most devices a list page holds, whatever `maxResults` asks for. */
  pageSizeCap: number;
  /**
   * Answers the next `answered` requests of the given kinds (API calls and batches by default), then holds
   * every later one unanswered until the returned function is called: a test can stop a client between two
   * requests without relying on timing.
   */
  holdAnswers(answered?: number, kinds?: readonly ('api' | 'batch')[]): () => void;
  quotaPerMinute: number | undefined;
  setQuota(settings: QuotaSettings): void;
  /** Clears pending failures/malformed bodies, latency and quota use. */
  resetFaults(): void;
  revoke(token: string): boolean;
  /** Revoke every grant (optionally of one user or client): refresh then answers invalid_grant. */
  revokeAll(filter?: { subject?: string; clientId?: string }): number;
  expireAccessTokens(): void;
  /** Moves the fake clock (token/code/page-token expiry, quota window). */
  advanceTime(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

interface Customer {
  customerId: string;
  domain: string;
  nonAdmins: Set<string>;
  store: FleetStore;
}

interface PendingFailure {
  remaining: number;
  status: number;
  reason: string | undefined;
  target: FailTarget;
  retryAfter: number | null;
}

interface PendingMalformed {
  remaining: number;
  kind: MalformedKind;
  target: 'api' | 'batch-item';
  /** Calls of the target still to answer normally before the fault starts. */
  after: number;
}

interface ApiCall {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: Map<string, string>;
  entry: RequestLogEntry;
  inner: boolean;
}

function customerIdFor(domain: string): string {
  const digest = createHash('sha256').update(domain.toLowerCase()).digest();
  let id = 'C0';
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < 7; i++) id += alphabet[digest[i]! % alphabet.length];
  return id;
}

function redactAuthorization(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const [scheme, credential = ''] = value.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return `Bearer ${credential.slice(0, 14)}…`;
  return `${scheme} …`;
}

const SECRET_PARAMS = new Set([
  'token',
  'access_token',
  'client_secret',
  'refresh_token',
  'code',
  'code_verifier',
]);

/** Query parameters for the log; token-like values are cut to a recognisable prefix. */
function paramsObject(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, raw] of params) {
    const value = SECRET_PARAMS.has(key) ? `${raw.slice(0, 10)}…` : raw;
    out[key] = key in out ? `${out[key]},${value}` : value;
  }
  return out;
}

function serialize(json: unknown, pretty: boolean): string {
  return pretty ? `${JSON.stringify(json, null, 2)}\n` : JSON.stringify(json);
}

function formParams(body: string, contentType: string | undefined): URLSearchParams {
  if (contentType && /application\/json/i.test(contentType) && body.trim().startsWith('{')) {
    try {
      const json = JSON.parse(body) as Record<string, unknown>;
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(json)) if (v !== undefined && v !== null) params.set(k, String(v));
      return params;
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(body);
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  let latencyMs = options.latencyMs ?? 0;
  let hold: { answered: number; kinds: readonly RequestKind[]; released: Promise<void> } | undefined;
  const quota: Required<Omit<QuotaSettings, 'perMinute'>> & { perMinute: number | undefined } = {
    perMinute: options.quotaPerMinute,
    status: options.quotaStatus ?? 429,
    reason: options.quotaReason ?? 'rateLimitExceeded',
    retryAfter: options.quotaRetryAfter ?? true,
    scope: 'user',
  };
  const quotaUse = new Map<string, number[]>();
  let failures: PendingFailure[] = [];
  let malformed: PendingMalformed[] = [];
  let consent: ConsentMode = options.consent ?? 'prompt';
  const gzip = options.gzip ?? true;
  const maxLog = options.maxLogEntries ?? 200_000;
  const pageTokenLifetimeMs = (options.pageTokenLifetimeSeconds ?? 3600) * 1000;
  /**
   * API requests answered (a batch is one, a refused one too), the time spent answering them (time waited for
   * the latency excluded), and how many the quota refused.
   */
  const stats = { apiRequests: 0, serviceMs: 0, rateLimited: 0 };
  let pageSizeCap = options.pageSizeCap ?? MAX_RESULTS;
  const log: RequestLogEntry[] = [];
  let seq = 0;

  // ── customers and fleets ──
  const customers = new Map<string, Customer>();
  const byDomain = new Map<string, Customer>();
  const addCustomer = (input: FakeCustomerOptions): Customer => {
    const domain = input.domain.toLowerCase();
    const existing = byDomain.get(domain);
    if (existing) {
      for (const u of input.nonAdmins ?? []) existing.nonAdmins.add(u.toLowerCase());
      return existing;
    }
    const customer: Customer = {
      customerId: input.customerId ?? customerIdFor(domain),
      domain,
      nonAdmins: new Set((input.nonAdmins ?? []).map((u) => u.toLowerCase())),
      store: new FleetStore([]),
    };
    customers.set(customer.customerId, customer);
    byDomain.set(domain, customer);
    return customer;
  };
  for (const c of options.customers ?? []) addCustomer(c);
  const resolveCustomer = (key: string): Customer => {
    const found = customers.get(key) ?? byDomain.get(key.toLowerCase());
    if (found) return found;
    if (key.includes('.')) return addCustomer({ domain: key });
    return addCustomer({ customerId: key, domain: `${key.toLowerCase()}.example.org` });
  };
  for (const [key, devices] of Object.entries(options.fleets ?? {})) {
    const store = resolveCustomer(key).store;
    store.replace(devices);
    store.prepare();
  }
  if (customers.size === 0) addCustomer({ domain: DEFAULT_DOMAIN });
  const firstCustomer = customers.values().next().value as Customer;
  const defaultEmail = options.defaultEmail ?? `admin@${firstCustomer.domain}`;
  const customerOfUser = (email: string): Customer | undefined => {
    const domain = email.split('@')[1]?.toLowerCase();
    return domain ? byDomain.get(domain) : undefined;
  };

  const clients = options.clients?.length ? options.clients : [DEFAULT_CLIENT];
  const oauth = new OAuthServer({
    clients,
    serviceAccounts: options.serviceAccounts ?? [],
    settings: {
      accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
      refreshTokenLifetimeSeconds: options.refreshTokenLifetimeSeconds,
      maxRefreshTokensPerUser: options.maxRefreshTokensPerUser ?? 100,
      codeLifetimeSeconds: options.codeLifetimeSeconds ?? 600,
      grantedScopes: options.grantedScopes ?? null,
    },
    now,
    knownUser: (email) => customerOfUser(email) !== undefined,
  });
  const pending = new Map<string, { request: AuthRequest; expiresAt: number }>();

  // ── log ──
  const newEntry = (input: {
    method: string;
    path: string;
    params: URLSearchParams;
    headers: Map<string, string>;
    kind: RequestKind;
    inner?: boolean;
    batchSeq?: number;
    contentId?: string;
  }): RequestLogEntry => {
    const at = now();
    const h = input.headers;
    const headers: RequestLogEntry['headers'] = {};
    const auth = redactAuthorization(h.get('authorization'));
    if (auth) headers.authorization = auth;
    if (h.has('content-type')) headers.contentType = h.get('content-type')!;
    if (h.has('user-agent')) headers.userAgent = h.get('user-agent')!;
    if (h.has('x-goog-api-client')) headers.xGoogApiClient = h.get('x-goog-api-client')!;
    if (h.has('accept-encoding')) headers.acceptEncoding = h.get('accept-encoding')!;
    const entry: RequestLogEntry = {
      seq: ++seq,
      time: new Date(at).toISOString(),
      at,
      method: input.method,
      path: input.path,
      query: paramsObject(input.params),
      kind: input.kind,
      inner: input.inner ?? false,
      headers,
      status: 0,
      durationMs: 0,
      serials: [],
      assetIds: [],
      quotaUnits: 0,
    };
    if (input.batchSeq !== undefined) entry.batchSeq = input.batchSeq;
    if (input.contentId !== undefined) entry.contentId = input.contentId;
    log.push(entry);
    // Trimmed a tenth at a time: dropping one entry per request moved the whole log on every request.
    if (log.length > maxLog + Math.ceil(maxLog / 10)) log.splice(0, log.length - maxLog);
    return entry;
  };

  // ── faults ──
  const takeFailure = (target: Exclude<FailTarget, 'any'>): PendingFailure | undefined => {
    const f = failures.find((x) => x.remaining > 0 && (x.target === target || x.target === 'any'));
    if (!f) return undefined;
    f.remaining--;
    failures = failures.filter((x) => x.remaining > 0);
    return f;
  };
  const takeMalformed = (target: 'api' | 'batch-item'): MalformedKind | undefined => {
    const m = malformed.find((x) => x.remaining > 0 && x.target === target);
    if (!m) return undefined;
    if (m.after > 0) {
      m.after--;
      return undefined;
    }
    m.remaining--;
    malformed = malformed.filter((x) => x.remaining > 0);
    return m.kind;
  };
  const failureResult = (f: PendingFailure): ApiResult => {
    if (f.status >= 500) {
      const result = errors.backendError(f.status);
      if (f.reason && f.reason !== 'backendError') {
        return apiError(f.status, f.reason, (result.json as { error: { message: string } }).error.message);
      }
      return result;
    }
    const reason = f.reason ?? DEFAULT_REASONS[f.status] ?? 'backendError';
    const headers: Record<string, string> =
      f.status === 429 && f.retryAfter !== null ? { 'Retry-After': String(f.retryAfter) } : {};
    return apiError(
      f.status,
      reason,
      reason === 'rateLimitExceeded' ? 'Rate Limit Exceeded' : `Injected ${reason}`,
      {
        headers,
      },
    );
  };
  const quotaKey = (clientId: string, subject: string) =>
    quota.scope === 'project' ? clientId : `${clientId}|${subject}`;
  /** Returns a quota error when over the limit; otherwise charges one unit. */
  const chargeQuota = (key: string, entry: RequestLogEntry): ApiResult | undefined => {
    if (!quota.perMinute || quota.perMinute <= 0) {
      entry.quotaUnits = 1;
      return undefined;
    }
    const t = now();
    const window = (quotaUse.get(key) ?? []).filter((x) => x > t - 60_000);
    if (window.length >= quota.perMinute) {
      quotaUse.set(key, window);
      const retryAfter = Math.max(1, Math.ceil((window[0]! + 60_000 - t) / 1000));
      const message =
        quota.reason === 'userRateLimitExceeded' || quota.reason === 'quotaExceeded'
          ? `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'admin.googleapis.com' for consumer 'project_number:123456789012'.`
          : 'Rate Limit Exceeded';
      const result = apiError(quota.status, quota.reason, message);
      if (quota.retryAfter) result.headers['Retry-After'] = String(retryAfter);
      entry.injected = 'quota';
      stats.rateLimited++;
      return result;
    }
    window.push(t);
    quotaUse.set(key, window);
    entry.quotaUnits = 1;
    return undefined;
  };

  const malformedResult = (result: ApiResult, kind: MalformedKind, pretty: boolean): ApiResult => {
    if (kind === 'html') {
      return {
        status: 200,
        headers: { 'Content-Type': 'text/html; charset=UTF-8' },
        text: '<!DOCTYPE html><html><head><title>Service</title></head><body><p>Please wait…</p></body></html>\n',
        resultCount: 0,
      };
    }
    const text = result.text ?? serialize(result.json, pretty);
    if (kind === 'oversized')
      return { ...result, json: undefined, text: `${' '.repeat(21 * 2 ** 20)}${text}` };
    if (kind === 'truncated') {
      return { ...result, json: undefined, text: text.slice(0, Math.max(1, Math.floor(text.length / 2))) };
    }
    const json = result.json as Record<string, unknown> | undefined;
    let wrong: unknown;
    if (json && 'chromeosdevices' in json) {
      wrong = { kind: json.kind, chromeosdevices: { items: json.chromeosdevices }, nextPageToken: 12345 };
    } else if (json && 'count' in json) wrong = { count: { value: Number(json.count) } };
    else if (json && 'deviceId' in json) wrong = [json];
    else if (json && 'kind' in json) wrong = { kind: json.kind, chromeosdevices: 'unavailable' };
    else wrong = { unexpected: true, data: json ?? text.slice(0, 100) };
    return { ...result, json: wrong, text: undefined };
  };

  // ── API ──
  const authenticate = (
    call: ApiCall,
  ): { ok: true; token: AccessTokenInfo } | { ok: false; result: ApiResult } => {
    const header = call.headers.get('authorization');
    let token: string | undefined;
    if (header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) return { ok: false, result: errors.invalidCredentials() };
      token = m[1];
    } else token = call.params.get('access_token') ?? undefined;
    if (!token) return { ok: false, result: errors.loginRequired() };
    const lookup = oauth.lookupAccessToken(token);
    if (!lookup.ok) return { ok: false, result: errors.invalidCredentials() };
    call.entry.subject = lookup.info.subject;
    call.entry.clientId = lookup.info.clientId;
    return { ok: true, token: lookup.info };
  };

  const handleApi = (call: ApiCall, chargeable: boolean): ApiResult => {
    const { path, params, entry } = call;
    const list = LIST_PATH.exec(path);
    const count = list ? null : COUNT_PATH.exec(path);
    const get = list || count ? null : GET_PATH.exec(path);
    const match = list ?? count ?? get;
    if (!match) {
      entry.operation = 'directory.unknown';
      return path.startsWith(API_PREFIX) ? apiError(404, 'notFound', 'Not Found') : { ...htmlNotFound(path) };
    }
    entry.operation = list
      ? 'directory.chromeosdevices.list'
      : count
        ? 'directory.customer.devices.chromeos.countChromeOsDevices'
        : 'directory.chromeosdevices.get';
    const named = namedValues(params.get(count ? 'filter' : 'query') ?? undefined);
    entry.serials = named.serials;
    entry.assetIds = named.assetIds;
    if (get) entry.deviceId = decodeURIComponent(get[2]!);
    if (call.method !== 'GET') {
      return apiError(405, 'methodNotAllowed', `The fake only serves GET for ${entry.operation}`);
    }
    const failure = takeFailure(call.inner ? 'batch-item' : 'api');
    if (failure) {
      entry.injected = 'fail';
      return failureResult(failure);
    }
    const auth = authenticate(call);
    if (!auth.ok) return auth.result;
    const token = auth.token;
    if (!DIRECTORY_SCOPES.some((s) => token.scopes.has(s)))
      return errors.insufficientScopes(DIRECTORY_SCOPES);
    const customer = customerOfUser(token.subject);
    if (!customer || token.subject === token.serviceAccount || customer.nonAdmins.has(token.subject)) {
      return errors.forbidden();
    }
    const customerParam = decodeURIComponent(match[1]!);
    if (customerParam !== 'my_customer' && customerParam !== customer.customerId) return errors.forbidden();
    entry.customerId = customer.customerId;
    if (chargeable) {
      const over = chargeQuota(quotaKey(token.clientId, token.subject), entry);
      if (over) return over;
    }
    if (list) {
      return listDevices({
        store: customer.store,
        customerId: customer.customerId,
        now: now(),
        pageTokenLifetimeMs,
        pageSizeCap,
        params,
      });
    }
    if (count) return countDevices(customer.store, params);
    return getDevice(customer.store, decodeURIComponent(get![2]!), params);
  };

  const finishApi = (result: ApiResult, call: ApiCall): ApiResult => {
    if (result.status === 200) {
      const kind = takeMalformed(call.inner ? 'batch-item' : 'api');
      if (kind) {
        call.entry.injected = 'malformed';
        if (kind === 'repeat-token') {
          // A pagination loop: the next page is said to start where this one did.
          const json = result.json as Record<string, unknown> | undefined;
          const token = call.params.get('pageToken');
          return json && token
            ? { ...result, text: undefined, json: { ...json, nextPageToken: token } }
            : result;
        }
        return malformedResult(result, kind, call.params.get('prettyPrint') !== 'false');
      }
    }
    return result;
  };

  // ── batch ──
  const handleBatch = (headers: Map<string, string>, body: string, entry: RequestLogEntry): ApiResult => {
    entry.operation = 'batch';
    const failure = takeFailure('api');
    if (failure) {
      entry.injected = 'fail';
      return failureResult(failure);
    }
    const boundary = boundaryOf(headers.get('content-type'));
    if (!boundary) return errors.badRequest('Invalid multipart request with 0 mime parts.');
    const rawParts = splitParts(body, boundary);
    entry.body = { parts: rawParts.length };
    if (rawParts.length === 0) return errors.badRequest('Invalid multipart request with 0 mime parts.');
    if (rawParts.length > MAX_BATCH_PARTS) {
      return errors.badRequest(`A batch request cannot contain more than ${MAX_BATCH_PARTS} requests.`);
    }
    const parts: (ReturnType<typeof parsePart> | BatchFormatError)[] = rawParts.map((raw) => {
      try {
        return parsePart(raw);
      } catch (error) {
        if (error instanceof BatchFormatError) return error;
        throw error;
      }
    });
    // A ChromeOS batch counts as one quota unit, charged to the caller of the outer (or first inner) token.
    const outerAuth = headers.get('authorization');
    const candidates = [
      outerAuth,
      ...parts.map((p) => (p instanceof BatchFormatError ? undefined : p.headers.get('authorization'))),
    ];
    for (const candidate of candidates) {
      const m = candidate ? /^Bearer\s+(\S+)\s*$/i.exec(candidate) : null;
      const lookup = m ? oauth.lookupAccessToken(m[1]!) : undefined;
      if (lookup?.ok) {
        entry.subject = lookup.info.subject;
        entry.clientId = lookup.info.clientId;
        const over = chargeQuota(quotaKey(lookup.info.clientId, lookup.info.subject), entry);
        if (over) return over;
        break;
      }
    }
    const responses: InnerResponse[] = [];
    for (const part of parts) {
      if (part instanceof BatchFormatError) {
        const bad = errors.badRequest(part.message);
        responses.push({ status: 400, headers: jsonHeaders(), body: serialize(bad.json, true) });
        continue;
      }
      // The target is a path and query already (parsePart took any origin off).
      const queryAt = part.target.indexOf('?');
      const rawPath = queryAt < 0 ? part.target : part.target.slice(0, queryAt);
      const pathname = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
      const searchParams = new URLSearchParams(queryAt < 0 ? '' : part.target.slice(queryAt + 1));
      let innerHeaders = part.headers;
      if (!innerHeaders.has('authorization') && outerAuth) {
        innerHeaders = new Map(innerHeaders);
        innerHeaders.set('authorization', outerAuth);
      }
      const innerPath = decodeURIComponent(pathname);
      const innerEntry = newEntry({
        method: part.method,
        path: innerPath,
        params: searchParams,
        headers: innerHeaders,
        kind: 'api',
        inner: true,
        batchSeq: entry.seq,
        ...(part.contentId !== undefined ? { contentId: part.contentId } : {}),
      });
      const started = performance.now();
      const call: ApiCall = {
        method: part.method,
        path: innerPath,
        params: searchParams,
        headers: innerHeaders,
        entry: innerEntry,
        inner: true,
      };
      const result = finishApi(handleApi(call, false), call);
      const pretty = searchParams.get('prettyPrint') !== 'false';
      innerEntry.status = result.status;
      innerEntry.durationMs = performance.now() - started;
      if (result.error) innerEntry.error = result.error;
      if (result.resultCount !== undefined) innerEntry.resultCount = result.resultCount;
      const text = result.text ?? serialize(result.json, pretty);
      const innerResponse: InnerResponse = {
        status: result.status,
        headers: {
          ...jsonHeaders(
            result.text !== undefined && result.headers['Content-Type']
              ? result.headers['Content-Type']
              : undefined,
          ),
          ...withoutContentType(result.headers),
        },
        body: text,
      };
      if (part.contentId !== undefined) innerResponse.contentId = part.contentId;
      responses.push(innerResponse);
    }
    const responseBoundary = `batch_${randomBytes(9).toString('base64url')}`;
    return {
      status: 200,
      headers: { 'Content-Type': `multipart/mixed; boundary=${responseBoundary}` },
      text: formatBatchResponse(responses, responseBoundary),
      resultCount: responses.length,
    };
  };

  // ── OAuth endpoints ──
  const html = (status: number, body: string, extra: Record<string, string> = {}): ApiResult => ({
    status,
    headers: { ...PAGE_HEADERS, ...extra },
    text: body,
  });
  const redirect = (location: string): ApiResult => ({
    status: 302,
    headers: { Location: location, 'Content-Type': 'text/html; charset=UTF-8' },
    text: `<HTML><HEAD><TITLE>Moved Temporarily</TITLE></HEAD><BODY>Redirecting…</BODY></HTML>\n`,
  });
  const tokenResponse = (r: TokenResult, entry: RequestLogEntry): ApiResult => {
    if (r.error) entry.error = r.error;
    if (r.subject) entry.subject = r.subject;
    if (r.clientId) entry.clientId = r.clientId;
    return {
      status: r.status,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-cache, no-store, max-age=0, must-revalidate',
        Pragma: 'no-cache',
      },
      json: r.json,
    };
  };

  const handleAuthorize = (params: URLSearchParams, entry: RequestLogEntry): ApiResult => {
    entry.operation = 'oauth.authorize';
    const clientId = params.get('client_id');
    if (clientId) entry.clientId = clientId;
    const validation = oauth.validateAuthRequest(params);
    if (validation.kind === 'page') {
      entry.error = validation.error;
      return html(validation.status, errorPage(validation.status, validation.error, validation.description));
    }
    if (validation.kind === 'redirect') return redirect(validation.url);
    const request = validation.request;
    const email = request.loginHint ?? defaultEmail;
    if (request.prompt.includes('none') || consent === 'auto-approve') {
      entry.subject = email.toLowerCase();
      return redirect(oauth.decide(request, { allow: true, email }));
    }
    if (consent === 'auto-deny') return redirect(oauth.decide(request, { allow: false, email }));
    const rid = randomBytes(16).toString('base64url');
    pending.set(rid, { request, expiresAt: now() + 30 * 60_000 });
    return html(200, consentPage({ request, rid, email, action: CONSENT_PATH }));
  };

  const handleConsent = (form: URLSearchParams, entry: RequestLogEntry): ApiResult => {
    entry.operation = 'oauth.consent';
    const rid = form.get('rid') ?? '';
    const item = pending.get(rid);
    if (!item || item.expiresAt < now()) {
      entry.error = 'invalid_request';
      return html(
        400,
        errorPage(400, 'invalid_request', 'This sign-in request has expired. Start again from the app.'),
      );
    }
    pending.delete(rid);
    const allow = form.get('action') === 'allow';
    const email = (form.get('email') ?? '').trim() || defaultEmail;
    entry.subject = email.toLowerCase();
    entry.clientId = item.request.clientId;
    return redirect(oauth.decide(item.request, { allow, email, grantScopes: form.getAll('scope') }));
  };

  const tokenBodySummary = (form: URLSearchParams): Record<string, unknown> => {
    const summary: Record<string, unknown> = { grant_type: form.get('grant_type') };
    for (const key of ['client_id', 'redirect_uri', 'scope']) if (form.has(key)) summary[key] = form.get(key);
    for (const key of ['code', 'code_verifier', 'client_secret', 'refresh_token'])
      if (form.has(key)) summary[`has_${key}`] = true;
    const assertion = form.get('assertion');
    if (assertion) {
      try {
        const claims = JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8'));
        summary.assertion = { iss: claims.iss, sub: claims.sub, scope: claims.scope, aud: claims.aud };
      } catch {
        summary.assertion = 'unreadable';
      }
    }
    return summary;
  };

  // ── control API (/__fake/…) for out-of-process use ──
  const handleControl = async (method: string, path: string, body: string): Promise<ApiResult> => {
    const input = body.trim() ? (JSON.parse(body) as Record<string, unknown>) : {};
    const ok = (json: unknown = { ok: true }): ApiResult => ({ status: 200, headers: {}, json });
    const n = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
    switch (`${method} ${path}`) {
      case 'GET /__fake/':
      case 'GET /__fake':
        return html(
          200,
          page(
            'Fake Google',
            `<h1>Fake Google</h1><ul>${[...customers.values()]
              .map((c) => `<li>${c.domain} (${c.customerId}): ${c.store.devices.length} devices</li>`)
              .join('')}</ul><p>Default account: ${defaultEmail}</p>`,
          ),
        );
      case 'GET /__fake/requests':
        return ok({ requests: log });
      case 'GET /__fake/stats':
        return ok({ ...stats });
      case 'GET /__fake/customers':
        return ok({ customers: fake.customers() });
      case 'POST /__fake/clear-log':
        fake.clearLog();
        return ok();
      case 'POST /__fake/fail-next':
        fake.failNext(
          n(input.n, 1),
          n(input.status, 503),
          typeof input.reason === 'string' ? input.reason : undefined,
          typeof input.target === 'string' ? { target: input.target as FailTarget } : {},
        );
        return ok();
      case 'POST /__fake/malformed-next':
        fake.malformedNext(n(input.n, 1), (input.kind as MalformedKind) ?? 'truncated', {
          ...(input.target === 'batch-item' ? { target: 'batch-item' as const } : {}),
          ...(typeof input.after === 'number' ? { after: input.after } : {}),
        });
        return ok();
      case 'POST /__fake/latency':
        fake.latencyMs = n(input.ms, 0);
        return ok();
      case 'POST /__fake/generate-fleet': {
        // A customer's fleet made here from the serials it should hold, for large set-ups that would be slow
        // to send device by device.
        const serials = Array.isArray(input.serials) ? input.serials.map(String) : [];
        const key = String(input.key);
        const store = resolveCustomer(key).store;
        store.replace(
          generateFleet({
            size: serials.length + n(input.strangers, 0),
            serials,
            junk: n(input.junk, 0),
            domain: resolveCustomer(key).domain,
            seed: n(input.seed, 1),
          }),
        );
        store.prepare();
        return ok({ devices: store.devices.length });
      }
      case 'POST /__fake/update-devices': {
        const updates = Array.isArray(input.updates) ? input.updates : [];
        const c = findCustomer(String(input.key));
        const changed = new Set<string>();
        const ids: string[] = [];
        for (const update of updates as { deviceId: string; patch: Partial<FakeChromeDevice> }[]) {
          const device = c.store.get(update.deviceId);
          if (!device) return ok({ error: `no device ${update.deviceId}` });
          Object.assign(device, update.patch);
          ids.push(update.deviceId);
          for (const field of Object.keys(update.patch)) changed.add(field);
        }
        c.store.invalidate(changed, ids);
        return ok({ updated: updates.length });
      }
      case 'POST /__fake/collect-garbage': {
        // A benchmark settles the fake between runs, so that its own heap work does not fall inside the
        // next run's time: a full collection when the process was started with --expose-gc.
        const collect = (globalThis as { gc?: () => void }).gc;
        collect?.();
        return ok({ collected: collect !== undefined });
      }
      case 'POST /__fake/page-size-cap':
        fake.pageSizeCap = n(input.size, MAX_RESULTS);
        return ok();
      case 'POST /__fake/quota':
        fake.setQuota(input as QuotaSettings);
        return ok();
      case 'POST /__fake/revoke-all':
        return ok({ revoked: fake.revokeAll(input as { subject?: string; clientId?: string }) });
      case 'POST /__fake/expire-tokens':
        fake.expireAccessTokens();
        return ok();
      case 'POST /__fake/advance-time':
        fake.advanceTime(n(input.ms, 0));
        return ok({ now: new Date(now()).toISOString() });
      case 'POST /__fake/granted-scopes':
        fake.grantedScopes = Array.isArray(input.scopes) ? (input.scopes as string[]) : null;
        return ok();
      case 'POST /__fake/consent':
        fake.consent = (input.mode as ConsentMode) ?? 'prompt';
        return ok();
      case 'POST /__fake/approve':
        return ok({ redirect: fake.approve(String(input.url), input as ApproveOptions) });
      case 'POST /__fake/reset-faults':
        fake.resetFaults();
        return ok();
      default:
        return { status: 404, headers: {}, json: { error: `no control endpoint ${method} ${path}` } };
    }
  };

  // ── dispatcher ──
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    const headers = headerMap(req);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    if (path === '/__fake' || path.startsWith('/__fake/')) {
      const body = await readBody(req, MAX_BODY);
      let result: ApiResult;
      try {
        result = await handleControl(method, path, body);
      } catch (error) {
        result = { status: 400, headers: {}, json: { error: String(error) } };
      }
      send(res, encode(result, headers, true));
      return;
    }
    const kind: RequestKind = AUTH_PATHS.has(path)
      ? 'auth'
      : path === CONSENT_PATH
        ? 'consent'
        : TOKEN_PATHS.has(path)
          ? 'token'
          : REVOKE_PATHS.has(path)
            ? 'revoke'
            : TOKENINFO_PATHS.has(path)
              ? 'tokeninfo'
              : BATCH_PATHS.has(path)
                ? 'batch'
                : path.startsWith(API_PREFIX)
                  ? 'api'
                  : 'other';
    const entry = newEntry({ method, path, params: url.searchParams, headers, kind });
    let body = '';
    try {
      body = await readBody(req, MAX_BODY);
    } catch {
      const tooLarge = errors.badRequest('Request body too large');
      finish(res, entry, started, tooLarge, encode(tooLarge, headers, true));
      return;
    }
    if (hold?.kinds.includes(kind)) {
      if (hold.answered > 0) hold.answered--;
      else await hold.released;
    }
    const pretty = url.searchParams.get('prettyPrint') !== 'false';
    const answering = performance.now();
    let result: ApiResult;
    try {
      result = await dispatch(kind, method, path, url.searchParams, headers, body, entry);
    } catch (error) {
      result = apiError(
        500,
        'backendError',
        `Fake Google crashed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // The answer is serialised and compressed before the wait: that is part of Google's answering time.
    const encoded = encode(result, headers, pretty);
    const serviceMs = performance.now() - answering;
    // Latency is the least time an answer takes from its request's arrival, the answering itself included:
    // what a client sees of the network and of Google's servers together.
    const wait = latencyMs - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    finish(res, entry, started, result, encoded, serviceMs);
  };

  const dispatch = async (
    kind: RequestKind,
    method: string,
    path: string,
    params: URLSearchParams,
    headers: Map<string, string>,
    body: string,
    entry: RequestLogEntry,
  ): Promise<ApiResult> => {
    switch (kind) {
      case 'auth':
        if (method !== 'GET' && method !== 'POST') return htmlNotFound(path);
        return handleAuthorize(
          method === 'POST' ? formParams(body, headers.get('content-type')) : params,
          entry,
        );
      case 'consent':
        if (method !== 'POST') return htmlNotFound(path);
        return handleConsent(formParams(body, headers.get('content-type')), entry);
      case 'token': {
        if (method !== 'POST') return htmlNotFound(path);
        const form = formParams(body, headers.get('content-type'));
        entry.body = tokenBodySummary(form);
        entry.operation = `token.${form.get('grant_type') ?? 'none'}`;
        const failure = takeFailure('token');
        if (failure) {
          entry.injected = 'fail';
          return tokenResponse(
            {
              status: failure.status,
              json: { error: failure.reason ?? 'internal_failure', error_description: 'Backend Error' },
              error: failure.reason ?? 'internal_failure',
            },
            entry,
          );
        }
        return tokenResponse(oauth.token(form, headers.get('authorization')), entry);
      }
      case 'revoke': {
        if (method !== 'POST' && method !== 'GET') return htmlNotFound(path);
        entry.operation = 'oauth.revoke';
        const revokeFailure = takeFailure('revoke');
        if (revokeFailure) {
          entry.injected = 'fail';
          return tokenResponse(
            {
              status: revokeFailure.status,
              json: { error: revokeFailure.reason ?? 'internal_failure', error_description: 'Backend Error' },
              error: revokeFailure.reason ?? 'internal_failure',
            },
            entry,
          );
        }
        const form = formParams(body, headers.get('content-type'));
        const token = params.get('token') ?? form.get('token');
        if (!token)
          return tokenResponse(
            {
              status: 400,
              json: { error: 'invalid_request', error_description: 'Missing required parameter: token' },
              error: 'invalid_request',
            },
            entry,
          );
        const revoked = oauth.revoke(token);
        return tokenResponse(
          revoked
            ? { status: 200, json: {} }
            : {
                status: 400,
                json: { error: 'invalid_token', error_description: 'Token expired or revoked' },
                error: 'invalid_token',
              },
          entry,
        );
      }
      case 'tokeninfo': {
        entry.operation = 'oauth.tokeninfo';
        const form = formParams(body, headers.get('content-type'));
        const bearer = /^Bearer\s+(\S+)/i.exec(headers.get('authorization') ?? '')?.[1];
        const token = params.get('access_token') ?? form.get('access_token') ?? bearer ?? '';
        return tokenResponse(oauth.tokenInfo(token), entry);
      }
      case 'batch':
        if (method !== 'POST') return htmlNotFound(path);
        return handleBatch(headers, body, entry);
      case 'api': {
        const call: ApiCall = { method, path, params, headers, entry, inner: false };
        return finishApi(handleApi(call, true), call);
      }
      default:
        return htmlNotFound(path);
    }
  };

  const finish = (
    res: ServerResponse,
    entry: RequestLogEntry,
    started: number,
    result: ApiResult,
    encoded: EncodedAnswer,
    serviceMs = 0,
  ): void => {
    entry.status = result.status;
    entry.durationMs = performance.now() - started;
    if (result.error && !entry.error) entry.error = result.error;
    if (result.resultCount !== undefined && entry.resultCount === undefined)
      entry.resultCount = result.resultCount;
    send(res, encoded);
    if (entry.kind === 'api' || entry.kind === 'batch') {
      stats.apiRequests++;
      stats.serviceMs += serviceMs;
    }
  };

  /** The answer as it goes on the wire: serialised, and gzipped when the client accepts it. */
  const encode = (result: ApiResult, requestHeaders: Map<string, string>, pretty: boolean): EncodedAnswer => {
    const body = result.text ?? (result.json === undefined ? '' : serialize(result.json, pretty));
    const headers: Record<string, string> = { ...jsonHeaders(), Server: 'ESF', ...result.headers };
    let buffer: Buffer = Buffer.from(body);
    if (gzip && buffer.length > 256 && /\bgzip\b/i.test(requestHeaders.get('accept-encoding') ?? '')) {
      // The fastest level: loopback bandwidth is free, the fake's time is not.
      buffer = gzipSync(buffer, { level: 1 });
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = String(buffer.length);
    return { status: result.status, headers, buffer };
  };

  const send = (res: ServerResponse, answer: EncodedAnswer): void => {
    res.writeHead(answer.status, answer.headers);
    res.end(answer.buffer);
  };

  const { server, origin: base, port } = await listenOnLoopback(route, options);
  oauth.audiences.add(`${base}/token`);
  oauth.audiences.add(`${base}/o/oauth2/token`);

  const view = (c: Customer): CustomerView => ({
    customerId: c.customerId,
    domain: c.domain,
    deviceCount: c.store.devices.length,
  });
  const findCustomer = (key: string): Customer => {
    const c = customers.get(key) ?? byDomain.get(key.toLowerCase());
    if (!c) throw new Error(`fake google: no customer ${key}`);
    return c;
  };
  const parseAuthUrl = (authorizationUrl: string) => new URL(authorizationUrl).searchParams;

  const fake: FakeGoogle = {
    url: base,
    port,
    authUrl: `${base}/o/oauth2/v2/auth`,
    tokenUrl: `${base}/token`,
    revokeUrl: `${base}/revoke`,
    tokenInfoUrl: `${base}/tokeninfo`,
    apiRootUrl: `${base}/`,
    batchUrl: `${base}/batch/admin/directory_v1`,
    requests: log,
    clearLog: () => {
      log.length = 0;
    },
    mark: () => seq,
    requestsSince: (mark) => log.filter((e) => e.seq > mark),
    customers: () => [...customers.values()].map(view),
    customer: (key) => view(findCustomer(key)),
    devices: (key) => findCustomer(key).store.devices,
    setFleet: (key, devices) => resolveCustomer(key).store.replace(devices),
    updateDevice: (key, deviceId, patch) => {
      const c = findCustomer(key);
      const device = c.store.get(deviceId);
      if (!device) throw new Error(`fake google: no device ${deviceId} in ${key}`);
      Object.assign(device, patch);
      c.store.invalidate(Object.keys(patch), [deviceId]);
      return device;
    },
    addCustomer: (input) => view(addCustomer(input)),
    addClient: (client) => {
      oauth.clients.set(client.clientId, client);
    },
    addServiceAccount: (account) => oauth.addServiceAccount(account),
    defaultClient: clients[0]!,
    defaultEmail,
    approve: (authorizationUrl, approveOptions = {}) => {
      const validation = oauth.validateAuthRequest(parseAuthUrl(authorizationUrl));
      if (validation.kind === 'page') {
        throw new Error(`Error ${validation.status}: ${validation.error} — ${validation.description}`);
      }
      if (validation.kind === 'redirect') return validation.url;
      return oauth.decide(validation.request, {
        allow: !approveOptions.deny,
        email: approveOptions.email ?? validation.request.loginHint ?? defaultEmail,
        grantScopes: approveOptions.grantScopes,
      });
    },
    deny: (authorizationUrl) => fake.approve(authorizationUrl, { deny: true }),
    issuedRefreshTokens: () => oauth.issuedRefreshTokens(),
    get consent() {
      return consent;
    },
    set consent(mode: ConsentMode) {
      consent = mode;
    },
    get grantedScopes() {
      return oauth.settings.grantedScopes;
    },
    set grantedScopes(scopes: string[] | null) {
      oauth.settings.grantedScopes = scopes;
    },
    failNext: (n, status = 503, reason, failOptions = {}) => {
      if (n > 0)
        failures.push({
          remaining: n,
          status,
          reason,
          target: failOptions.target ?? 'api',
          retryAfter: failOptions.retryAfter === undefined ? 1 : failOptions.retryAfter,
        });
    },
    malformedNext: (n, kind = 'truncated', malformedOptions = {}) => {
      if (n > 0)
        malformed.push({
          remaining: n,
          kind,
          target: malformedOptions.target ?? 'api',
          after: malformedOptions.after ?? 0,
        });
    },
    holdAnswers(answered = 0, kinds = ['api', 'batch'] as const) {
      const { promise: released, resolve: release } = Promise.withResolvers<void>();
      const current = { answered, kinds, released };
      hold = current;
      return () => {
        if (hold === current) hold = undefined;
        release();
      };
    },
    get latencyMs() {
      return latencyMs;
    },
    get pageSizeCap() {
      return pageSizeCap;
    },
    set pageSizeCap(size: number) {
      pageSizeCap = Math.max(1, size);
    },
    set latencyMs(ms: number) {
      latencyMs = Math.max(0, ms);
    },
    get quotaPerMinute() {
      return quota.perMinute;
    },
    set quotaPerMinute(limit: number | undefined) {
      quota.perMinute = limit;
      quotaUse.clear();
    },
    setQuota: (settings) => {
      if ('perMinute' in settings) quota.perMinute = settings.perMinute;
      if (settings.status) quota.status = settings.status;
      if (settings.reason) quota.reason = settings.reason;
      if (settings.retryAfter !== undefined) quota.retryAfter = settings.retryAfter;
      if (settings.scope) quota.scope = settings.scope;
      quotaUse.clear();
    },
    resetFaults: () => {
      failures = [];
      malformed = [];
      latencyMs = 0;
      pageSizeCap = options.pageSizeCap ?? MAX_RESULTS;
      quotaUse.clear();
    },
    revoke: (token) => oauth.revoke(token),
    revokeAll: (filter) => oauth.revokeAll(filter),
    expireAccessTokens: () => oauth.expireAccessTokens(),
    advanceTime: (ms) => {
      clockOffset += ms;
    },
    now,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
  return fake;
}

function jsonHeaders(contentType?: string): Record<string, string> {
  return {
    'Content-Type': contentType ?? 'application/json; charset=UTF-8',
    Vary: 'Origin, X-Origin, Referer',
  };
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'content-type') out[k] = v;
  return out;
}
