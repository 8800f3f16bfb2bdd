/**
 * One Graph request, top-level or inside a `$batch`: find the Intune resource it names, then pass it through
 * what Graph and Intune check in turn — a scheduled fault, the bearer token, the app's permission in the
 * tenant, the tenant's Intune licence, throttling — before reading devices. Successful answers may then be
 * broken on purpose (`malformedNext`).
 */
import type { AccessTokens, TokenCheck } from './access-tokens.ts';
import { breakAnswer, type Faults } from './faults.ts';
import { type GraphRequestInfo, type GraphResult, graphErrors } from './graph-errors.ts';
import {
  type DeviceRequest,
  getDevice,
  getOverview,
  type ListingSettings,
  listDevices,
  planListing,
} from './managed-devices.ts';
import type { Throttle } from './throttle.ts';
import type { FakeLogEntry } from './types.ts';

export const DEVICE_READ_PERMISSIONS = [
  'DeviceManagementManagedDevices.Read.All',
  'DeviceManagementManagedDevices.ReadWrite.All',
] as const;

/** The overview also opens to the service-config and configuration permissions (its v1.0 API page). */
export const OVERVIEW_PERMISSIONS = [
  'DeviceManagementServiceConfig.Read.All',
  'DeviceManagementServiceConfig.ReadWrite.All',
  'DeviceManagementConfiguration.Read.All',
  'DeviceManagementConfiguration.ReadWrite.All',
  ...DEVICE_READ_PERMISSIONS,
] as const;

export interface GraphContext {
  tokens: AccessTokens;
  throttle: Throttle;
  faults: Faults;
  now: () => number;
  settings: () => ListingSettings;
  /** e.g. `http://127.0.0.1:4020/graph`. */
  graphRoot: () => string;
}

export interface GraphCall {
  method: string;
  /** From the version on: `/v1.0/deviceManagement/managedDevices`. */
  path: string;
  params: URLSearchParams;
  authorization: string | undefined;
  info: GraphRequestInfo;
  entry: FakeLogEntry;
  /** Inside a batch: the batch's token, already checked. */
  batchAuth?: TokenCheck;
}

type Resource =
  | { operation: 'managedDevices.list' }
  | { operation: 'managedDevices.get'; id: string }
  | { operation: 'managedDeviceOverview.get' }
  | { operation: 'unknown'; result: GraphResult };

export function answerGraph(call: GraphCall, context: GraphContext): GraphResult {
  const inner = call.batchAuth !== undefined;
  const resource = resourceOf(call);
  call.entry.operation = resource.operation;
  if (resource.operation === 'unknown') return resource.result;
  const plan =
    resource.operation === 'managedDevices.list' ? planListing(call.params, context.settings()) : undefined;
  if (plan) {
    call.entry.serials = plan.serials;
    call.entry.listing = plan.listing;
    call.entry.filterHonoured = plan.filterHonoured;
  }
  if (call.method !== 'GET') return graphErrors.methodNotAllowed(call.info);
  const failure = context.faults.takeFailure(inner ? 'batch-item' : 'api');
  if (failure) {
    call.entry.injected = 'fail';
    return graphErrors.status(call.info, failure.status, failure.retryAfter);
  }
  const auth = call.batchAuth ?? context.tokens.check(bearerToken(call.authorization));
  if (!auth.ok) return unauthenticated(call.info, auth.reason);
  call.entry.tenantId = auth.tenant.id;
  call.entry.clientId = auth.clientId;
  const required =
    resource.operation === 'managedDeviceOverview.get' ? OVERVIEW_PERMISSIONS : DEVICE_READ_PERMISSIONS;
  if (!required.some((permission) => auth.principal.permissions.has(permission)))
    return graphErrors.missingPermission(call.info, intunePath(call.path), DEVICE_READ_PERMISSIONS);
  if (!auth.tenant.licensed) return graphErrors.notLicensed(call.info);
  const turn = context.throttle.take(auth.tenant.id, auth.clientId, context.now());
  if (!turn.allowed) {
    call.entry.injected = 'quota';
    const { code, retryAfter } = context.throttle.settings;
    return graphErrors.throttled(call.info, code, retryAfter ? turn.retryAfterSeconds : null);
  }
  const request: DeviceRequest = {
    tenant: auth.tenant,
    info: call.info,
    graphRoot: context.graphRoot(),
    params: call.params,
  };
  const result = plan
    ? listDevices(request, plan, context.settings())
    : resource.operation === 'managedDevices.get'
      ? getDevice(request, resource.id)
      : getOverview(request);
  return breakIfScheduled(result, call, context, inner);
}

function resourceOf(call: GraphCall): Resource {
  const segments = call.path.split('/').filter(Boolean);
  const [version, area, collection, id, ...rest] = segments;
  if (version !== 'v1.0')
    return { operation: 'unknown', result: graphErrors.invalidVersion(call.info, version ?? '') };
  if (area !== 'deviceManagement')
    return { operation: 'unknown', result: graphErrors.unknownSegment(call.info, area ?? '') };
  const keyed = collection ? /^managedDevices\('([^']*)'\)$/.exec(collection) : null;
  if (keyed && id === undefined) return { operation: 'managedDevices.get', id: keyed[1]! };
  if (collection === 'managedDeviceOverview' && id === undefined)
    return { operation: 'managedDeviceOverview.get' };
  if (collection === 'managedDevices' && id === undefined) return { operation: 'managedDevices.list' };
  if (collection === 'managedDevices' && id !== undefined && rest.length === 0)
    return { operation: 'managedDevices.get', id };
  const unknown = collection === 'managedDevices' ? rest[0] : (collection ?? 'deviceManagement');
  return { operation: 'unknown', result: graphErrors.unknownSegment(call.info, unknown ?? '') };
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S*)\s*$/i.exec(authorization ?? '');
  return match?.[1] || undefined;
}

export function unauthenticated(
  info: GraphRequestInfo,
  reason: Exclude<TokenCheck, { ok: true }>['reason'],
): GraphResult {
  switch (reason) {
    case 'empty':
      return graphErrors.emptyToken(info);
    case 'malformed':
      return graphErrors.malformedToken(info);
    case 'expired':
      return graphErrors.expiredToken(info);
    default:
      return graphErrors.invalidToken(info);
  }
}

/** The path as Intune's own service names it in its errors (no version). */
function intunePath(path: string): string {
  return path.replace(/^\/v1\.0/, '');
}

function breakIfScheduled(
  result: GraphResult,
  call: GraphCall,
  context: GraphContext,
  inner: boolean,
): GraphResult {
  if (result.status !== 200) return result;
  const kind = context.faults.takeMalformed(inner ? 'batch-item' : 'api');
  if (!kind) return result;
  call.entry.injected = 'malformed';
  const query = call.params.toString();
  return breakAnswer(result, kind, `${context.graphRoot()}${call.path}${query ? `?${query}` : ''}`);
}
