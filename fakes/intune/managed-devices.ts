/**
 * The Intune reads: list `managedDevices` (`$select`, `$filter`, `$top`, `$skiptoken`), get one by id, and
 * the `managedDeviceOverview` counts. A listing scans the tenant's devices from where the page token points
 * and stops when the page is full, so a page costs what it holds (a serial filter starts from the serial
 * index instead). When the scan stops before the end a `@odata.nextLink` follows, even if no later device
 * matches: the last page may then be empty, as Graph's sometimes are.
 */
import type { Tenant } from './directory.ts';
import { type GraphRequestInfo, type GraphResult, graphErrors, ODATA_CONTENT_TYPE } from './graph-errors.ts';
import { type FilterClause, matchesClauses, parseFilter } from './odata-filter.ts';
import { overviewOf } from './overview.ts';
import { decodeSkipToken, encodeSkipToken, type PageQuery } from './paging.ts';
import { contextSuffix, parseSelect, project } from './select.ts';
import type { FakeManagedDevice, FilterSupport } from './types.ts';

export interface ListingSettings {
  pageSize: number;
  maxTop: number;
  filterSupport: FilterSupport;
  serialFilterCaseSensitive: boolean;
}

export interface DeviceRequest {
  tenant: Tenant;
  info: GraphRequestInfo;
  /** Graph's root as clients see it, e.g. `http://127.0.0.1:4020/graph`. */
  graphRoot: string;
  params: URLSearchParams;
}

const LIST_PATH = '/deviceManagement/managedDevices';

function ok(json: unknown, resultCount: number): GraphResult {
  return {
    status: 200,
    headers: { 'Content-Type': ODATA_CONTENT_TYPE, 'OData-Version': '4.0' },
    json,
    resultCount,
  };
}

/**
 * What a listing will do, worked out before any check runs, so the request log can say what was asked even of
 * a request that is then refused.
 */
export interface ListingPlan {
  /** Serials named by `serialNumber eq` clauses, honoured or not. */
  serials: string[];
  /** True unless an honoured serial filter names the devices. */
  listing: boolean;
  filterHonoured: boolean;
  /** Graph's 400 message for a bad `$select`, `$filter` or `$top`. */
  error?: string;
  properties?: (keyof FakeManagedDevice)[];
  /** The clauses applied (none when the filter is absent or ignored). */
  clauses: FilterClause[];
  pageSize: number;
}

export function planListing(params: URLSearchParams, settings: ListingSettings): ListingPlan {
  const filter = parseFilter(params.get('$filter'));
  const honoured = filter.kind === 'honoured' && settings.filterSupport === 'honoured';
  const clauses = honoured ? filter.clauses : [];
  const plan: ListingPlan = {
    serials: filter.serials,
    listing: !clauses.some((clause) => clause.property === 'serialNumber'),
    filterHonoured: honoured,
    clauses,
    pageSize: 0,
  };
  const selection = parseSelect(params.get('$select'));
  const pageSize = pageSizeOf(params.get('$top'), settings);
  if ('error' in selection) plan.error = selection.error;
  else if (filter.kind === 'invalid') plan.error = filter.message;
  else if (typeof pageSize === 'string') plan.error = pageSize;
  else {
    if (selection.properties) plan.properties = selection.properties;
    plan.pageSize = pageSize;
  }
  return plan;
}

export function listDevices(
  request: DeviceRequest,
  plan: ListingPlan,
  settings: ListingSettings,
): GraphResult {
  const { params, info, tenant } = request;
  if (plan.error !== undefined) return graphErrors.badQuery(info, plan.error);
  const query: PageQuery = {
    tenantId: tenant.id,
    filter: params.get('$filter') ?? '',
    select: params.get('$select') ?? '',
    top: Number(params.get('$top') ?? -1),
  };
  const skipToken = params.get('$skiptoken');
  const start = skipToken === null ? 0 : decodeSkipToken(skipToken, query);
  if (start === undefined) return graphErrors.badQuery(info, 'The $skiptoken is not valid.');

  const serialClause = plan.clauses.find((clause) => clause.property === 'serialNumber');
  const candidates = serialClause
    ? tenant.store.withSerial(serialClause.value, settings.serialFilterCaseSensitive)
    : tenant.store.devices;
  const { page, next } = scan(candidates, start, plan.pageSize, plan.clauses, settings);
  return ok(
    {
      '@odata.context': `${request.graphRoot}/v1.0/$metadata#deviceManagement/managedDevices${contextSuffix(plan.properties)}`,
      ...(next === undefined ? {} : { '@odata.nextLink': nextLink(request, encodeSkipToken(next, query)) }),
      value: page.map((device) => project(device, plan.properties)),
    },
    page.length,
  );
}

/** `$top` within [0, maxTop] (larger values are clamped), or the OData error message. */
function pageSizeOf(top: string | null, settings: ListingSettings): number | string {
  if (top === null) return Math.min(settings.pageSize, settings.maxTop);
  if (!/^\d+$/.test(top.trim()))
    return `Invalid value '${top}' for $top query option found. The $top query option requires a non-negative integer value.`;
  return Math.min(Number(top), settings.maxTop);
}

function scan(
  candidates: readonly FakeManagedDevice[],
  start: number,
  pageSize: number,
  clauses: readonly FilterClause[],
  settings: ListingSettings,
): { page: FakeManagedDevice[]; next: number | undefined } {
  const page: FakeManagedDevice[] = [];
  const options = { serialCaseSensitive: settings.serialFilterCaseSensitive };
  let position = start;
  while (page.length < pageSize && position < candidates.length) {
    const device = candidates[position++]!;
    if (matchesClauses(device, clauses, options)) page.push(device);
  }
  return { page, next: position < candidates.length && pageSize > 0 ? position : undefined };
}

/** The same query with the new token, as an absolute URL; query option names keep their `$`. */
function nextLink(request: DeviceRequest, skipToken: string): string {
  const parts: string[] = [];
  for (const name of ['$filter', '$select', '$top']) {
    const value = request.params.get(name);
    if (value !== null) parts.push(`${name}=${encodeURIComponent(value)}`);
  }
  parts.push(`$skiptoken=${skipToken}`);
  return `${request.graphRoot}/v1.0${LIST_PATH}?${parts.join('&')}`;
}

export function getDevice(request: DeviceRequest, id: string): GraphResult {
  const selection = parseSelect(request.params.get('$select'));
  if ('error' in selection) return graphErrors.badQuery(request.info, selection.error);
  const device = request.tenant.store.get(id);
  if (!device) return graphErrors.deviceNotFound(request.info, `${LIST_PATH}('${id}')`);
  return ok(
    {
      '@odata.context': `${request.graphRoot}/v1.0/$metadata#deviceManagement/managedDevices${contextSuffix(selection.properties)}/$entity`,
      ...project(device, selection.properties),
    },
    1,
  );
}

export function getOverview(request: DeviceRequest): GraphResult {
  const overview = overviewOf(request.tenant.store, request.tenant.id);
  return ok(
    {
      '@odata.context': `${request.graphRoot}/v1.0/$metadata#deviceManagement/managedDeviceOverview/$entity`,
      ...overview,
    },
    overview.enrolledDeviceCount,
  );
}
