/**
 * The fake's Entra directory: tenants (found by ID or any verified domain), app registrations (client
 * secrets, certificates, the application permissions they ask for) and, per tenant, the apps it has
 * consented to with the permissions granted there (its service principals).
 */
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { DeviceStore } from './device-store.ts';
import type { FakeAppInput, FakeTenantInput } from './types.ts';

export interface ServicePrincipal {
  /** New on every consent: tokens issued before a revocation stay dead after a later consent. */
  objectId: string;
  clientId: string;
  permissions: Set<string>;
}

export interface Tenant {
  id: string;
  name: string;
  domains: string[];
  licensed: boolean;
  store: DeviceStore;
  servicePrincipals: Map<string, ServicePrincipal>;
}

export interface RegisteredCertificate {
  certificate: X509Certificate;
  /** Upper-case hex, as Entra prints thumbprints in its errors. */
  sha1Hex: string;
  /** Base64url of the SHA-1 and SHA-256 digests of the DER: the `x5t` and `x5t#S256` header values. */
  x5t: string;
  x5tS256: string;
  validFrom: number;
  validTo: number;
}

export interface AppRegistration {
  clientId: string;
  displayName: string;
  homeTenantId: string;
  secrets: { value: string; expiresAt: number | undefined }[];
  certificates: RegisteredCertificate[];
  permissions: string[];
  multiTenant: boolean;
  redirectUris: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** A stable GUID for a domain, so a tenant made from a domain alone keeps its ID from run to run. */
export function tenantIdFor(domain: string): string {
  const hex = createHash('sha256').update(`tenant:${domain.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function timeOf(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new Error(`fake intune: invalid date ${value}`);
  return ms;
}

export function registerCertificate(pem: string): RegisteredCertificate {
  const certificate = new X509Certificate(pem);
  const digest = (algorithm: string) => createHash(algorithm).update(certificate.raw).digest();
  const sha1 = digest('sha1');
  return {
    certificate,
    sha1Hex: sha1.toString('hex').toUpperCase(),
    x5t: sha1.toString('base64url'),
    x5tS256: digest('sha256').toString('base64url'),
    validFrom: Date.parse(certificate.validFrom),
    validTo: Date.parse(certificate.validTo),
  };
}

export class Directory {
  readonly tenants = new Map<string, Tenant>();
  private readonly byDomain = new Map<string, Tenant>();
  private readonly apps = new Map<string, AppRegistration>();

  addTenant(input: FakeTenantInput): Tenant {
    const domains = input.domains.map((domain) => domain.toLowerCase());
    const id = (input.id ?? tenantIdFor(domains[0] ?? randomUUID())).toLowerCase();
    if (!isGuid(id)) throw new Error(`fake intune: tenant id must be a GUID, got ${id}`);
    const existing = this.tenants.get(id);
    if (existing) {
      for (const domain of domains) this.addDomain(existing, domain);
      if (input.licensed !== undefined) existing.licensed = input.licensed;
      return existing;
    }
    const tenant: Tenant = {
      id,
      name: input.name ?? domains[0] ?? id,
      domains: [],
      licensed: input.licensed ?? true,
      store: new DeviceStore(),
      servicePrincipals: new Map(),
    };
    this.tenants.set(id, tenant);
    for (const domain of domains) this.addDomain(tenant, domain);
    return tenant;
  }

  /** A tenant by its ID or one of its domains, whatever the case. */
  find(key: string): Tenant | undefined {
    const lower = key.toLowerCase();
    return this.tenants.get(lower) ?? this.byDomain.get(lower);
  }

  /** Like `find`, but a missing tenant is a programming error of the caller. */
  tenant(key: string): Tenant {
    const tenant = this.find(key);
    if (!tenant) throw new Error(`fake intune: no tenant ${key}`);
    return tenant;
  }

  app(clientId: string): AppRegistration | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  /** Registers an app in its home tenant, which consents to its permissions at once. */
  addApp(homeTenantKey: string, input: FakeAppInput): AppRegistration {
    const home = this.tenant(homeTenantKey);
    const secrets = [
      ...(input.secret !== undefined ? [{ value: input.secret, expiresAt: input.secretExpiresAt }] : []),
      ...(input.secrets ?? []),
    ].map((secret) => ({ value: secret.value, expiresAt: timeOf(secret.expiresAt) }));
    const pems = [...(input.certificatePem ? [input.certificatePem] : []), ...(input.certificatePems ?? [])];
    const app: AppRegistration = {
      clientId: input.clientId.toLowerCase(),
      displayName: input.displayName ?? 'Satchel',
      homeTenantId: home.id,
      secrets,
      certificates: pems.map(registerCertificate),
      permissions: [...input.permissions],
      multiTenant: input.multiTenant ?? true,
      redirectUris: [...(input.redirectUris ?? [])],
    };
    this.apps.set(app.clientId, app);
    this.consent(home, app);
    return app;
  }

  /** Admin consent: the tenant gets a service principal holding every permission the app asks for. */
  consent(tenant: Tenant, app: AppRegistration): ServicePrincipal {
    const principal: ServicePrincipal = {
      objectId: randomUUID(),
      clientId: app.clientId,
      permissions: new Set(app.permissions),
    };
    tenant.servicePrincipals.set(app.clientId, principal);
    return principal;
  }

  servicePrincipal(tenant: Tenant, clientId: string): ServicePrincipal | undefined {
    return tenant.servicePrincipals.get(clientId.toLowerCase());
  }

  /** Removes the app from the tenant (its service principal): tokens and token requests are refused. */
  revoke(tenant: Tenant, clientId: string): boolean {
    return tenant.servicePrincipals.delete(clientId.toLowerCase());
  }

  private addDomain(tenant: Tenant, domain: string): void {
    if (!tenant.domains.includes(domain)) tenant.domains.push(domain);
    this.byDomain.set(domain, tenant);
  }
}
