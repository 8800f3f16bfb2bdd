/**
 * Jamf School's device endpoints for one instance: `GET /api/devices` (list, or lookup by `serialnumber`) and
 * `GET /api/devices/{UDID}`. Checks run in this order: credentials (401), protocol version (404 by default),
 * path (404), the key's rights (405), then the answer.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { basicCredentials } from './auth.ts';
import { type ApiResult, errors } from './errors.ts';
import { type FaultQueue, malformedResult } from './faults.ts';
import type { Instance } from './instance.ts';
import { type PageSettings, pageOf, parseDeviceQuery, selectDevices } from './query.ts';
import type { FakeLogEntry, OlderProtocolMode } from './types.ts';
import { detailView, listJson, listView } from './views.ts';

export const PROTOCOL_VERSION = '3';

export interface ApiSettings {
  serialCaseSensitive: boolean;
  olderProtocol: OlderProtocolMode;
  page: PageSettings;
}

export interface ApiCall {
  method: string;
  /** The path below `/api`, e.g. `/devices/00008101-…`. */
  apiPath: string;
  params: URLSearchParams;
  headers: IncomingHttpHeaders;
  entry: FakeLogEntry;
}

type Route = { kind: 'list' } | { kind: 'get'; udid: string } | { kind: 'unknown' };

const GET_PATH = /^\/devices\/([0-9A-Fa-f-]+)\/?$/;

/** What the request asks for, written to its log entry before anything can fail. */
export function routeOf(call: ApiCall): Route {
  const { entry, apiPath, params } = call;
  if (apiPath === '/devices' || apiPath === '/devices/') {
    entry.serials = params.getAll('serialnumber').filter((s) => s !== '');
    entry.listing = entry.serials.length === 0;
    entry.operation = entry.listing ? 'devices.list' : 'devices.lookup';
    return { kind: 'list' };
  }
  const get = GET_PATH.exec(apiPath);
  if (get) {
    entry.operation = 'devices.get';
    entry.udid = get[1]!;
    return { kind: 'get', udid: get[1]! };
  }
  return { kind: 'unknown' };
}

export function answerApi(
  instance: Instance,
  call: ApiCall,
  route: Route,
  settings: ApiSettings,
  faults: FaultQueue,
): ApiResult {
  const refused = refusal(instance, call, route, settings);
  if (refused) return refused;
  const result = route.kind === 'list' ? list(instance, call, settings, false) : get(instance, call, route);
  if (result.status !== 200) return result;
  const kind = faults.takeMalformed();
  if (!kind) return result;
  call.entry.injected = 'malformed';
  if (kind === 'repeat-page') return route.kind === 'list' ? list(instance, call, settings, true) : result;
  return malformedResult(result, kind);
}

function refusal(
  instance: Instance,
  call: ApiCall,
  route: Route,
  settings: ApiSettings,
): ApiResult | undefined {
  const credentials = basicCredentials(call.headers.authorization);
  if (credentials) call.entry.networkId = credentials.user;
  const rights = instance.keys.rightsOf(credentials);
  if (!rights) return errors.unauthorized();
  const protocol = call.headers['x-server-protocol-version'];
  const version = Array.isArray(protocol) ? protocol[protocol.length - 1] : protocol;
  if (version !== undefined) call.entry.protocolVersion = version;
  if (version?.trim() !== PROTOCOL_VERSION && settings.olderProtocol === 'not-found') {
    return errors.notFound('protocol');
  }
  if (route.kind === 'unknown') return errors.notFound();
  // The fake's keys can only read: any other method is one the key has no right to.
  if (call.method !== 'GET' || rights.devices !== 'read') return errors.permissionDenied(call.method);
  return undefined;
}

function list(instance: Instance, call: ApiCall, settings: ApiSettings, previousPage: boolean): ApiResult {
  const store = instance.store;
  const query = parseDeviceQuery(call.params);
  const selection = selectDevices(store, query, settings.serialCaseSensitive);
  const page = pageOf(selection, call.params, settings.page, previousPage);
  const items = page.map((device) =>
    query.includeApps ? JSON.stringify(listView(device, true)) : store.json(device, listJson),
  );
  return {
    status: 200,
    headers: {},
    text: `{"code":200,"count":${selection.length},"devices":[${items.join(',')}]}`,
    resultCount: page.length,
  };
}

function get(instance: Instance, call: ApiCall, route: Route): ApiResult {
  const device = route.kind === 'get' ? instance.store.get(route.udid) : undefined;
  if (!device) return errors.deviceNotFound();
  return {
    status: 200,
    headers: {},
    json: { code: 200, device: detailView(device, call.params.has('includeApps'), instance.timeZone) },
    resultCount: 1,
  };
}
