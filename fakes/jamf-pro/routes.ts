/**
 * What one instance answers on Jamf's paths: the two token endpoints and the two inventory listings.
 * Scheduled faults come before authentication (a failing server fails whoever asks); malformed bodies
 * replace successful answers only.
 */
import { computersResource } from './computers.ts';
import { type ApiResult, errors, htmlNotFound } from './errors.ts';
import { type FaultPlan, malform } from './faults.ts';
import type { JamfInstance } from './instance.ts';
import { describeFilter, listInventory } from './inventory.ts';
import { mobileDevicesResource } from './mobile-devices.ts';
import type { InventoryResource } from './resource.ts';
import type { DeviceStore } from './store.ts';
import { type FakeLogEntry, type RequestKind, TOKEN_PATHS, type TokenPath } from './types.ts';

export interface InstanceRequest {
  method: string;
  /** Path below the instance's base URL. */
  path: string;
  params: URLSearchParams;
  headers: Map<string, string>;
  body: string;
  entry: FakeLogEntry;
}

interface Listing<T> {
  resource: InventoryResource<T>;
  store: (instance: JamfInstance) => DeviceStore<T>;
}

const LISTINGS = new Map<string, Listing<unknown>>([
  ['/api/v1/computers-inventory', { resource: computersResource, store: (i) => i.computers }],
  ['/api/v2/computers-inventory', { resource: computersResource, store: (i) => i.computers }],
  ['/api/v2/mobile-devices/detail', { resource: mobileDevicesResource, store: (i) => i.mobileDevices }],
] as [string, Listing<unknown>][]);

export function kindOf(path: string): RequestKind {
  if ((TOKEN_PATHS as readonly string[]).includes(path)) return 'token';
  return path.startsWith('/api/') ? 'api' : 'other';
}

/** What the request log says a request asks for, known before it is answered (or refused). */
export function describeRequest(
  path: string,
  params: URLSearchParams,
): Pick<FakeLogEntry, 'operation' | 'listing' | 'serials'> {
  if (kindOf(path) === 'token') return { operation: 'token', listing: false, serials: [] };
  const listing = LISTINGS.get(path);
  if (!listing) return { operation: 'unknown', listing: false, serials: [] };
  return { operation: listing.resource.operation, ...describeFilter(listing.resource, params.get('filter')) };
}

export function answer(instance: JamfInstance, request: InstanceRequest, faults: FaultPlan): ApiResult {
  const { path, entry } = request;
  if (entry.kind === 'token') return answerToken(instance, request, faults, path as TokenPath);
  const listing = LISTINGS.get(path);
  if (listing) return answerListing(instance, request, faults, listing);
  return path.startsWith('/api/') ? errors.notFound() : htmlNotFound();
}

function answerToken(
  instance: JamfInstance,
  request: InstanceRequest,
  faults: FaultPlan,
  path: TokenPath,
): ApiResult {
  if (!instance.answersTokenPath(path)) return errors.notFound();
  if (request.method !== 'POST') return errors.methodNotAllowed();
  const failure = faults.takeFailure('token', instance.name);
  if (failure) {
    request.entry.injected = 'fail';
    return failure;
  }
  const isForm = /application\/x-www-form-urlencoded/i.test(request.headers.get('content-type') ?? '');
  const issued = instance.clients.issue(new URLSearchParams(isForm ? request.body : ''));
  if (issued.clientId) request.entry.clientId = issued.clientId;
  if (issued.status !== 200) return issued;
  const kind = faults.takeMalformed('token', instance.name);
  if (!kind || kind === 'repeat-page') return issued;
  request.entry.injected = 'malformed';
  return malform(issued, kind);
}

function answerListing<T>(
  instance: JamfInstance,
  request: InstanceRequest,
  faults: FaultPlan,
  { resource, store }: Listing<T>,
): ApiResult {
  const { entry, params } = request;
  if (request.method !== 'GET') return errors.methodNotAllowed();
  const failure = faults.takeFailure('api', instance.name);
  if (failure) {
    entry.injected = 'fail';
    return failure;
  }
  const auth = instance.clients.authorize(request.headers.get('authorization'), resource.privilege);
  if (auth.clientId) entry.clientId = auth.clientId;
  if (!auth.ok) return auth.result;
  const list = (pageParams: URLSearchParams) =>
    listInventory(resource, store(instance), pageParams, {
      maxPageSize: instance.settings.maxPageSize,
      rsqlCaseSensitive: instance.settings.rsqlCaseSensitive,
    });
  const result = list(params);
  if (result.status !== 200) return result;
  const kind = faults.takeMalformed('api', instance.name);
  if (!kind) return result;
  entry.injected = 'malformed';
  if (kind !== 'repeat-page') return malform(result, kind);
  // The page before again, as if the server lost its place: a client that trusts page numbers alone
  // sees the same devices twice.
  const previous = new URLSearchParams(params);
  previous.set('page', String(Math.max(0, Number(params.get('page') ?? 0) - 1)));
  return list(previous);
}
