/**
 * The fake's HTTP server: serves each instance's API at `${baseUrl}/api` (the default instance at the root,
 * others under `/instances/<name>`), applies latency, scheduled failures and the optional rate limit, records
 * every request, and exposes the handle tests and the control routes drive.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApiCall, type ApiSettings, answerApi, routeOf } from './api.ts';
import { controlRoutes } from './control.ts';
import { type ApiResult, errors, htmlNotFound } from './errors.ts';
import { type FailNextOptions, FaultQueue } from './faults.ts';
import { DEFAULT_API_KEY, DEFAULT_INSTANCE, Instance, instancePath } from './instance.ts';
import { RequestLog } from './log.ts';
import { RateLimiter } from './quota.ts';
import { formatJamfTime } from './time.ts';
import type {
  ApiKeyRight,
  FakeApiKey,
  FakeInstanceOptions,
  FakeJamfSchoolDevice,
  FakeJamfSchoolOptions,
  FakeLogEntry,
  MalformedKind,
  OlderProtocolMode,
  PagingMode,
  RequestKind,
} from './types.ts';

export interface InstanceView {
  name: string;
  /** What a district enters as its Jamf School URL; the API is at `${baseUrl}/api`. */
  baseUrl: string;
  networkId: string;
  deviceCount: number;
  apiKeys: number;
  timeZone: string;
}

export interface FakeJamfSchool {
  /** Origin, e.g. http://127.0.0.1:4030 (no trailing slash); also the default instance's base URL. */
  readonly url: string;
  readonly port: number;
  /** The default instance's API root, `${url}/api`. */
  readonly apiUrl: string;
  /** The default instance's credentials. */
  readonly networkId: string;
  readonly apiKey: string;
  /** Live log (oldest first). */
  readonly requests: FakeLogEntry[];
  mark(): number;
  requestsSince(mark: number): FakeLogEntry[];
  clearLog(): void;

  instances(): InstanceView[];
  instance(name: string): InstanceView;
  addInstance(name: string, options?: FakeInstanceOptions): InstanceView;
  /** The instance's base URL (`${url}` for the default one, `${url}/instances/<name>` for others). */
  instanceUrl(name: string): string;
  addApiKey(instance: string, key: FakeApiKey): void;
  /** The key stops working at once (401). */
  revokeKey(instance: string, apiKey: string): boolean;
  /** The key keeps authenticating but gets 405 for what needs the right. */
  removeRight(instance: string, apiKey: string, right: ApiKeyRight): void;
  devices(instance: string): FakeJamfSchoolDevice[];
  setDevices(instance: string, devices: FakeJamfSchoolDevice[]): void;
  /** Patches one device in place; `modified` moves to the fake clock's now unless the patch sets it. */
  updateDevice(instance: string, udid: string, patch: Partial<FakeJamfSchoolDevice>): FakeJamfSchoolDevice;

  /** The least time an answer takes from its request's arrival. */
  latencyMs: number;
  failNext(n: number, status?: number, options?: FailNextOptions): void;
  malformedNext(n: number, kind: MalformedKind, options?: { after?: number }): void;
  /** Clears scheduled faults, latency and rate-limit use. */
  resetFaults(): void;
  quotaPerMinute: number | undefined;
  serialCaseSensitive: boolean;
  maxDevicesPerResponse: number | undefined;
  paging: PagingMode;
  pageSize: number;
  olderProtocol: OlderProtocolMode;
  /** API requests answered, the time spent answering them (latency waits excluded), and 429s given. */
  stats(): { apiRequests: number; serviceMs: number; rateLimited: number };
  /** Moves the fake clock (rate-limit window, `modified` stamps). */
  advanceTime(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

const INSTANCE_NAME = /^[A-Za-z0-9._-]+$/;

export async function startFakeJamfSchool(options: FakeJamfSchoolOptions = {}): Promise<FakeJamfSchool> {
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  let latencyMs = options.latencyMs ?? 0;
  const settings: ApiSettings = {
    serialCaseSensitive: options.serialCaseSensitive ?? false,
    olderProtocol: options.olderProtocol ?? 'not-found',
    page: {
      paging: options.paging ?? 'none',
      pageSize: options.pageSize ?? 100,
      maxDevicesPerResponse: options.maxDevicesPerResponse,
    },
  };
  const faults = new FaultQueue();
  const limiter = new RateLimiter(options.quotaPerMinute);
  const log = new RequestLog(options.maxLogEntries);
  const stats = { apiRequests: 0, serviceMs: 0, rateLimited: 0 };

  const instances = new Map<string, Instance>();
  const addInstance = (name: string, instanceOptions: FakeInstanceOptions = {}): Instance => {
    if (!INSTANCE_NAME.test(name))
      throw new Error(`fake jamf school: bad instance name ${JSON.stringify(name)}`);
    if (instances.has(name)) throw new Error(`fake jamf school: instance ${name} exists`);
    const instance = new Instance(name, instanceOptions);
    instances.set(name, instance);
    return instance;
  };
  addInstance(DEFAULT_INSTANCE, {
    ...(options.networkId ? { networkId: options.networkId } : {}),
    apiKeys: [
      { apiKey: options.apiKey ?? DEFAULT_API_KEY, ...(options.rights ? { rights: options.rights } : {}) },
    ],
    devices: options.devices ?? [],
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
  });
  for (const [name, instanceOptions] of Object.entries(options.instances ?? {}))
    addInstance(name, instanceOptions);
  const find = (name: string): Instance => {
    const instance = instances.get(name);
    if (!instance) throw new Error(`fake jamf school: no instance ${name}`);
    return instance;
  };

  // Set once the handle exists: the control routes drive the fake through it.
  let control = async (_method: string, _path: string, _body: string): Promise<ApiResult> =>
    errors.notFound();

  // ── API requests ──
  const answer = (instance: Instance, call: ApiCall): ApiResult => {
    const route = routeOf(call);
    const failure = faults.takeFailure();
    if (failure) {
      call.entry.injected = 'fail';
      return failure;
    }
    const retryAfter = limiter.charge(instance.name, now());
    if (retryAfter !== undefined) {
      call.entry.injected = 'quota';
      stats.rateLimited++;
      return errors.tooManyRequests(retryAfter);
    }
    return answerApi(instance, call, route, settings, faults);
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake.invalid');
    const method = req.method ?? 'GET';
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      path = url.pathname;
    }
    const body = await readBody(req);
    if (path === '/__fake' || path.startsWith('/__fake/')) {
      send(res, await control(method, path, body));
      return;
    }
    const { name, rest } = instancePath(path);
    const instance = instances.get(name);
    const isApi = instance !== undefined && (rest === '/api' || rest.startsWith('/api/'));
    const kind: RequestKind = isApi ? 'api' : 'other';
    const entry = log.start({ at: now(), method, path, params: url.searchParams, kind });
    entry.instance = name;
    const answering = performance.now();
    const result = isApi
      ? answer(instance, {
          method,
          apiPath: rest.slice(4),
          params: url.searchParams,
          headers: req.headers,
          entry,
        })
      : htmlNotFound();
    if (isApi) {
      stats.apiRequests++;
      stats.serviceMs += performance.now() - answering;
    }
    const wait = latencyMs - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    entry.status = result.status;
    entry.durationMs = performance.now() - started;
    if (result.error && !entry.error) entry.error = result.error;
    if (result.resultCount !== undefined) entry.resultCount = result.resultCount;
    send(res, result);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((error) => {
      if (!res.headersSent) send(res, errors.internal(error));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const base = `http://${host}:${address.port}`;

  const instanceUrl = (name: string) =>
    name === DEFAULT_INSTANCE ? base : `${base}/instances/${encodeURIComponent(find(name).name)}`;
  const view = (instance: Instance): InstanceView => ({
    name: instance.name,
    baseUrl: instanceUrl(instance.name),
    networkId: instance.networkId,
    deviceCount: instance.store.devices.length,
    apiKeys: instance.keys.size,
    timeZone: instance.timeZone,
  });
  const defaultInstance = find(DEFAULT_INSTANCE);

  const fake: FakeJamfSchool = {
    url: base,
    port: address.port,
    apiUrl: `${base}/api`,
    networkId: defaultInstance.networkId,
    apiKey: options.apiKey ?? DEFAULT_API_KEY,
    requests: log.entries,
    mark: () => log.mark(),
    requestsSince: (mark) => log.since(mark),
    clearLog: () => log.clear(),
    instances: () => [...instances.values()].map(view),
    instance: (name) => view(find(name)),
    addInstance: (name, instanceOptions) => view(addInstance(name, instanceOptions)),
    instanceUrl,
    addApiKey: (name, key) => find(name).keys.add(key),
    revokeKey: (name, apiKey) => find(name).keys.revoke(apiKey),
    removeRight: (name, apiKey, right) => find(name).keys.removeRight(apiKey, right),
    devices: (name) => find(name).store.devices,
    setDevices: (name, devices) => find(name).store.replace(devices),
    updateDevice: (name, udid, patch) => {
      const instance = find(name);
      return instance.store.update(udid, { modified: formatJamfTime(now(), instance.timeZone), ...patch });
    },
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = Math.max(0, ms);
    },
    failNext: (n, status = 503, failOptions = {}) => faults.failNext(n, status, failOptions),
    malformedNext: (n, kind, malformedOptions = {}) => faults.malformedNext(n, kind, malformedOptions),
    resetFaults: () => {
      faults.reset();
      latencyMs = 0;
      limiter.reset();
    },
    get quotaPerMinute() {
      return limiter.perMinute;
    },
    set quotaPerMinute(limit: number | undefined) {
      limiter.perMinute = limit;
      limiter.reset();
    },
    get serialCaseSensitive() {
      return settings.serialCaseSensitive;
    },
    set serialCaseSensitive(value: boolean) {
      settings.serialCaseSensitive = value;
    },
    get maxDevicesPerResponse() {
      return settings.page.maxDevicesPerResponse;
    },
    set maxDevicesPerResponse(value: number | undefined) {
      settings.page.maxDevicesPerResponse = value;
    },
    get paging() {
      return settings.page.paging;
    },
    set paging(mode: PagingMode) {
      settings.page.paging = mode;
    },
    get pageSize() {
      return settings.page.pageSize;
    },
    set pageSize(size: number) {
      settings.page.pageSize = Math.max(1, size);
    },
    get olderProtocol() {
      return settings.olderProtocol;
    },
    set olderProtocol(mode: OlderProtocolMode) {
      settings.olderProtocol = mode;
    },
    stats: () => ({ ...stats }),
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
  control = controlRoutes(fake);
  return fake;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, result: ApiResult): void {
  const body = result.text ?? (result.json === undefined ? '' : JSON.stringify(result.json));
  const buffer = Buffer.from(body);
  res.writeHead(result.status, {
    'Content-Type': 'application/json',
    ...result.headers,
    'Content-Length': String(buffer.length),
  });
  res.end(buffer);
}
