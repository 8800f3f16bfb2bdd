/**
 * What a test or benchmark holds: the fake's URLs, its request log, fault injection, and the directory and
 * fleet controls. The same operations are reachable over HTTP through `/__fake/…` (control.ts).
 */
import type { Server } from 'node:http';
import { DEFAULT_APP, DEFAULT_TENANT } from './defaults.ts';
import type { Directory, Tenant } from './directory.ts';
import type { FailNextOptions, MalformedNextOptions } from './faults.ts';
import type { IntuneState } from './state.ts';
import { TEST_PRIVATE_KEY_PEM } from './test-certificates.ts';
import type {
  BatchOrder,
  FakeAppInput,
  FakeLogEntry,
  FakeManagedDevice,
  FakeManagedDeviceInput,
  FakeTenantInput,
  FilterSupport,
  MalformedKind,
  ThrottleSettings,
} from './types.ts';

export interface TenantView {
  id: string;
  name: string;
  domains: string[];
  licensed: boolean;
  deviceCount: number;
  /** Apps consented in the tenant, with the permissions granted there. */
  apps: { clientId: string; permissions: string[] }[];
}

export interface ConsentUrlOptions {
  tenant?: string;
  clientId?: string;
  redirectUri?: string;
  state?: string;
}

export interface FakeIntune {
  /** Origin, e.g. http://127.0.0.1:4020 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** Stands in for https://login.microsoftonline.com (`MICROSOFT_LOGIN_URL`). */
  readonly loginUrl: string;
  /** Stands in for https://graph.microsoft.com (`MICROSOFT_GRAPH_URL`). */
  readonly graphUrl: string;
  tokenUrl(tenant?: string): string;
  /** An admin consent URL for the default app (or the one named). */
  consentUrl(options?: ConsentUrlOptions): string;
  readonly defaultTenant: { id: string; domains: string[] };
  readonly defaultApp: {
    clientId: string;
    secret: string;
    certificatePem: string;
    privateKeyPem: string;
    redirectUris: string[];
  };

  /** Live log, oldest first. */
  readonly requests: FakeLogEntry[];
  mark(): number;
  requestsSince(mark: number): FakeLogEntry[];
  clearLog(): void;

  /** The least time an answer takes. */
  latencyMs: number;
  failNext(n: number, status?: number, options?: FailNextOptions): void;
  malformedNext(n: number, kind: MalformedKind, options?: MalformedNextOptions): void;
  /** Clears scheduled faults and throttling use; latency and filter support go back to their start values. */
  resetFaults(): void;

  tenants(): TenantView[];
  tenant(key: string): TenantView;
  addTenant(input: FakeTenantInput): TenantView;
  /** Registers an app in its home tenant, which consents to its permissions. */
  addApp(tenant: string, input: FakeAppInput): void;
  /** Takes the app out of the tenant: token requests and existing tokens are refused. */
  revokeApp(tenant: string, clientId: string): boolean;
  /** The permission stops counting at once, for existing tokens too. */
  removePermission(tenant: string, clientId: string, permission: string): boolean;
  grantPermission(tenant: string, clientId: string, permission: string): void;
  setLicensed(tenant: string, licensed: boolean): void;
  setFleet(tenant: string, devices: readonly FakeManagedDeviceInput[]): void;
  devices(tenant: string): readonly FakeManagedDevice[];
  updateDevice(tenant: string, id: string, patch: FakeManagedDeviceInput): FakeManagedDevice;

  /** Presses Accept on the consent page of `consentUrl`: returns where the browser is sent. */
  approve(consentUrl: string, options?: { tenant?: string }): string;
  /** Presses Cancel. */
  deny(consentUrl: string): string;

  filterSupport: FilterSupport;
  serialFilterCaseSensitive: boolean;
  batchOrder: BatchOrder;
  readonly throttle: Readonly<Required<ThrottleSettings>>;
  setThrottle(settings: ThrottleSettings): void;
  expireTokens(): void;
  /** Moves the fake clock: token and assertion expiry, throttling windows. */
  advanceTime(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

function view(tenant: Tenant): TenantView {
  return {
    id: tenant.id,
    name: tenant.name,
    domains: [...tenant.domains],
    licensed: tenant.licensed,
    deviceCount: tenant.store.devices.length,
    apps: [...tenant.servicePrincipals.values()].map((principal) => ({
      clientId: principal.clientId,
      permissions: [...principal.permissions],
    })),
  };
}

function principalOf(directory: Directory, tenantKey: string, clientId: string) {
  const principal = directory.servicePrincipal(directory.tenant(tenantKey), clientId);
  if (!principal) throw new Error(`fake intune: app ${clientId} is not consented in ${tenantKey}`);
  return principal;
}

export function createHandle(state: IntuneState, server: Server, port: number): FakeIntune {
  const { directory } = state;
  const consent = (consentUrl: string, accept: boolean, tenantKey?: string): string => {
    const url = new URL(consentUrl);
    const pathTenant = decodeURIComponent(url.pathname.split('/')[1] ?? '');
    const validation = state.consent.validate(pathTenant, url.searchParams);
    if (validation.kind === 'page') throw new Error(`AADSTS${validation.code}: ${validation.message}`);
    const fallback = validation.request.tenant
      ? undefined
      : (tenantKey ?? directory.tenants.keys().next().value);
    const decision = state.consent.decide(validation.request, accept, tenantKey ?? fallback);
    if (decision.kind === 'page') throw new Error(`AADSTS${decision.code}: ${decision.message}`);
    return decision.url;
  };
  const firstTenant = directory.tenants.values().next().value;

  return {
    url: state.origin,
    port,
    loginUrl: state.origin,
    graphUrl: state.graphRoot,
    tokenUrl: (tenant = firstTenant?.id ?? DEFAULT_TENANT.id) =>
      `${state.origin}/${tenant}/oauth2/v2.0/token`,
    consentUrl: (options = {}) => {
      const url = new URL(`${state.origin}/${options.tenant ?? 'organizations'}/adminconsent`);
      url.searchParams.set('client_id', options.clientId ?? DEFAULT_APP.clientId);
      url.searchParams.set('redirect_uri', options.redirectUri ?? DEFAULT_APP.redirectUris[0]!);
      if (options.state !== undefined) url.searchParams.set('state', options.state);
      return url.toString();
    },
    defaultTenant: { id: DEFAULT_TENANT.id, domains: [...DEFAULT_TENANT.domains] },
    defaultApp: {
      clientId: DEFAULT_APP.clientId,
      secret: DEFAULT_APP.secret,
      certificatePem: DEFAULT_APP.certificatePem,
      privateKeyPem: TEST_PRIVATE_KEY_PEM,
      redirectUris: [...DEFAULT_APP.redirectUris],
    },

    requests: state.log.entries,
    mark: () => state.log.mark(),
    requestsSince: (mark) => state.log.since(mark),
    clearLog: () => state.log.clear(),

    get latencyMs() {
      return state.settings.latencyMs;
    },
    set latencyMs(ms: number) {
      state.settings.latencyMs = Math.max(0, ms);
    },
    failNext: (n, status, options) => state.faults.failNext(n, status, options),
    malformedNext: (n, kind, options) => state.faults.malformedNext(n, kind, options),
    resetFaults: () => {
      state.faults.reset();
      state.throttle.reset();
      state.settings.latencyMs = state.initialSettings.latencyMs;
      state.settings.filterSupport = state.initialSettings.filterSupport;
    },

    tenants: () => [...directory.tenants.values()].map(view),
    tenant: (key) => view(directory.tenant(key)),
    addTenant: (input) => view(directory.addTenant(input)),
    addApp: (tenant, input) => {
      directory.addApp(tenant, input);
    },
    revokeApp: (tenant, clientId) => directory.revoke(directory.tenant(tenant), clientId),
    removePermission: (tenant, clientId, permission) =>
      principalOf(directory, tenant, clientId).permissions.delete(permission),
    grantPermission: (tenant, clientId, permission) => {
      principalOf(directory, tenant, clientId).permissions.add(permission);
    },
    setLicensed: (tenant, licensed) => {
      directory.tenant(tenant).licensed = licensed;
    },
    setFleet: (tenant, devices) => state.tenantOrNew(tenant).store.replace(devices),
    devices: (tenant) => directory.tenant(tenant).store.devices,
    updateDevice: (tenant, id, patch) => directory.tenant(tenant).store.update(id, patch),

    approve: (consentUrl, options = {}) => consent(consentUrl, true, options.tenant),
    deny: (consentUrl) => consent(consentUrl, false),

    get filterSupport() {
      return state.settings.filterSupport;
    },
    set filterSupport(mode: FilterSupport) {
      state.settings.filterSupport = mode;
    },
    get serialFilterCaseSensitive() {
      return state.settings.serialFilterCaseSensitive;
    },
    set serialFilterCaseSensitive(sensitive: boolean) {
      state.settings.serialFilterCaseSensitive = sensitive;
    },
    get batchOrder() {
      return state.settings.batchOrder;
    },
    set batchOrder(order: BatchOrder) {
      state.settings.batchOrder = order;
    },
    get throttle() {
      return state.throttle.settings;
    },
    setThrottle: (settings) => state.throttle.configure(settings),
    expireTokens: () => state.tokens.expireAll(),
    advanceTime: (ms) => state.advanceTime(ms),
    now: () => state.now(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
