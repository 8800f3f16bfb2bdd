/**
 * Everything one running fake knows — directory, issued tokens, throttling, scheduled faults, the request log,
 * pending consents, settings and its clock — shared by the HTTP routes, the control API and the handle.
 */
import { AccessTokens } from './access-tokens.ts';
import { AdminConsent } from './admin-consent.ts';
import { UsedAssertions } from './client-assertion.ts';
import { DEFAULT_APP, DEFAULT_TENANT } from './defaults.ts';
import { Directory, isGuid, type Tenant } from './directory.ts';
import { Faults } from './faults.ts';
import type { ListingSettings } from './managed-devices.ts';
import { RequestLog } from './request-log.ts';
import { Throttle } from './throttle.ts';
import type { BatchOrder, FakeIntuneOptions } from './types.ts';

export const MICROSOFT_LOGIN_ORIGIN = 'https://login.microsoftonline.com';

export interface Settings extends ListingSettings {
  batchOrder: BatchOrder;
  latencyMs: number;
  gzip: boolean;
}

export class IntuneState {
  readonly directory = new Directory();
  readonly used = new UsedAssertions();
  readonly faults = new Faults();
  readonly throttle: Throttle;
  readonly tokens: AccessTokens;
  readonly log: RequestLog;
  readonly consent: AdminConsent;
  readonly settings: Settings;
  readonly initialSettings: Settings;
  readonly graphPath: string;
  readonly unknownTenantError: 'invalid_request' | 'invalid_tenant';
  /** Set once the server listens, e.g. `http://127.0.0.1:4020`. */
  origin = '';
  private clockOffset = 0;

  constructor(options: FakeIntuneOptions) {
    const now = () => this.now();
    this.throttle = new Throttle(options.throttle);
    this.tokens = new AccessTokens(this.directory, now, options.accessTokenLifetimeSeconds ?? 3599);
    this.log = new RequestLog(options.maxLogEntries ?? 200_000, now);
    this.consent = new AdminConsent(this.directory, now);
    this.graphPath = (options.graphPath ?? '/graph').replace(/\/$/, '');
    this.unknownTenantError = options.unknownTenantError ?? 'invalid_request';
    this.settings = {
      pageSize: options.pageSize ?? 1000,
      maxTop: options.maxTop ?? 1000,
      filterSupport: options.filterSupport ?? 'honoured',
      serialFilterCaseSensitive: options.serialFilterCaseSensitive ?? false,
      batchOrder: options.batchOrder ?? 'shuffled',
      latencyMs: options.latencyMs ?? 0,
      gzip: options.gzip ?? true,
    };
    this.initialSettings = { ...this.settings };
    this.populate(options);
  }

  now(): number {
    return Date.now() + this.clockOffset;
  }

  advanceTime(ms: number): void {
    this.clockOffset += ms;
  }

  get graphRoot(): string {
    return `${this.origin}${this.graphPath}`;
  }

  /** Login origins a client assertion may name in `aud`: the fake's own and Microsoft's. */
  loginOrigins(): string[] {
    return [this.origin, MICROSOFT_LOGIN_ORIGIN];
  }

  private populate(options: FakeIntuneOptions): void {
    if (!options.withoutDefaults) {
      this.directory.addTenant(DEFAULT_TENANT);
      this.directory.addApp(DEFAULT_TENANT.id, DEFAULT_APP);
    }
    for (const tenant of options.tenants ?? []) this.directory.addTenant(tenant);
    for (const { tenant, ...app } of options.apps ?? []) this.directory.addApp(tenant, app);
    for (const [key, devices] of Object.entries(options.fleets ?? {}))
      this.tenantOrNew(key).store.replace(devices);
  }

  /** The tenant a key names, made on the spot from a domain or GUID the fake does not know yet. */
  tenantOrNew(key: string): Tenant {
    return (
      this.directory.find(key) ??
      this.directory.addTenant(isGuid(key) ? { id: key, domains: [] } : { domains: [key] })
    );
  }
}
