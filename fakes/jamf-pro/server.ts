/**
 * The fake's HTTP server. It serves several Jamf Pro instances at once: the default one at the root and
 * each other one under `/instances/<name>`, so a client configured with a base URL that has a path reaches
 * `<base>/api/...`. Per instance it counts requests in flight, refuses over-long URLs as a load balancer
 * does, and records every request in one log.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control.ts';
import { type ApiResult, errors, htmlNotFound, JSON_TYPE, uriTooLong } from './errors.ts';
import { FaultPlan } from './faults.ts';
import { DEFAULT_INSTANCE, type FakeJamfPro } from './handle.ts';
import { definedSettings, JamfInstance } from './instance.ts';
import { RequestLog } from './log.ts';
import { mergePatch } from './merge.ts';
import { answer, describeRequest, kindOf } from './routes.ts';
import type { FakeInstanceOptions, FakeJamfProOptions } from './types.ts';

const INSTANCE_PREFIX = /^\/instances\/([^/]+)(?=\/|$)/;
const INSTANCE_NAME = /^[A-Za-z0-9._-]+$/;
/** Node refuses request heads over 16 KB by itself; the fake's own `maxUrlLength` must be what decides. */
const MAX_HEADER_SIZE = 4 * 1024 * 1024;
const MAX_BODY = 1024 * 1024;

export async function startFakeJamfPro(options: FakeJamfProOptions = {}): Promise<FakeJamfPro> {
  let clockOffset = 0;
  const now = () => Date.now() + clockOffset;
  let latencyMs = options.latencyMs ?? 0;
  const log = new RequestLog(options.maxLogEntries ?? 200_000);
  const faults = new FaultPlan();
  /** Inventory requests answered and the time spent working their answers out (latency not included). */
  const stats = { apiRequests: 0, serviceMs: 0 };
  const instances = new Map<string, JamfInstance>();
  let base = '';

  const addInstance = (name: string, instanceOptions: FakeInstanceOptions): JamfInstance => {
    if (!INSTANCE_NAME.test(name))
      throw new Error(`fake jamf: instance names use A-Z, a-z, 0-9, ".", "_", "-": ${name}`);
    if (instances.has(name)) throw new Error(`fake jamf: instance ${name} exists`);
    const url = name === DEFAULT_INSTANCE ? base : `${base}/instances/${name}`;
    const instance = new JamfInstance(name, url, instanceOptions, now);
    instances.set(name, instance);
    return instance;
  };
  const find = (name = DEFAULT_INSTANCE): JamfInstance => {
    const instance = instances.get(name);
    if (!instance) throw new Error(`fake jamf: no instance ${name}`);
    return instance;
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const target = req.url ?? '/';
    const url = new URL(target, 'http://fake.invalid');
    const method = req.method ?? 'GET';
    if (url.pathname === '/__fake' || url.pathname.startsWith('/__fake/')) {
      const body = await readBody(req).catch(() => '');
      let result: ApiResult;
      try {
        result = handleControl(fake, method, url.pathname, url.searchParams, body);
      } catch (error) {
        result = {
          status: 400,
          headers: {},
          json: { error: error instanceof Error ? error.message : String(error) },
        };
      }
      send(res, result);
      return;
    }
    const prefix = INSTANCE_PREFIX.exec(url.pathname);
    const instance = instances.get(prefix ? decodeURIComponent(prefix[1]!) : DEFAULT_INSTANCE);
    if (!instance) {
      send(res, htmlNotFound());
      return;
    }
    const relativeTarget = prefix ? target.slice(prefix[0].length) || '/' : target;
    const path = prefix ? url.pathname.slice(prefix[0].length) || '/' : url.pathname;
    const admitted = instance.enter();
    res.once('close', () => instance.leave());
    const entry = log.add({
      at: now(),
      method,
      path,
      params: url.searchParams,
      kind: kindOf(path),
      instance: instance.name,
    });
    Object.assign(entry, describeRequest(path, url.searchParams));
    let result: ApiResult;
    try {
      const body = await readBody(req);
      if (Buffer.byteLength(relativeTarget) > instance.settings.maxUrlLength) result = uriTooLong();
      else if (!admitted) result = errors.concurrencyLimit(instance.settings.concurrencyLimit);
      else {
        const headers = headerMap(req);
        const answering = performance.now();
        result = answer(instance, { method, path, params: url.searchParams, headers, body, entry }, faults);
        if (entry.kind === 'api') {
          stats.apiRequests++;
          stats.serviceMs += performance.now() - answering;
        }
      }
    } catch (error) {
      result = errors.injected(500, null);
      result.error = `crashed: ${error instanceof Error ? error.message : String(error)}`;
    }
    const wait = latencyMs - (performance.now() - started);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    entry.status = result.status;
    entry.durationMs = performance.now() - started;
    if (result.error && !entry.error) entry.error = result.error;
    if (result.resultCount !== undefined) entry.resultCount = result.resultCount;
    send(res, result);
  };

  const server = createServer({ maxHeaderSize: MAX_HEADER_SIZE }, (req, res) => {
    route(req, res).catch((error) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = `http://${host}:${address.port}`;

  addInstance(DEFAULT_INSTANCE, options);
  for (const [name, instanceOptions] of Object.entries(options.instances ?? {})) {
    addInstance(name, { ...definedSettings(options), ...instanceOptions });
  }

  const fake: FakeJamfPro = {
    url: base,
    port: address.port,
    requests: log.entries,
    stats: () => ({ ...stats }),
    mark: () => log.mark(),
    requestsSince: (mark) => log.since(mark),
    clearLog: () => log.clear(),
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = Math.max(0, ms);
    },
    failNext: (n, status, failOptions) => faults.failNext(n, status, failOptions),
    malformedNext: (n, kind, malformedOptions) => faults.malformedNext(n, kind, malformedOptions),
    resetFaults: () => {
      faults.reset();
      latencyMs = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),

    get defaultClient() {
      return find().clients.list()[0]!;
    },
    addInstance: (name, instanceOptions = {}) => addInstance(name, instanceOptions),
    instance: (name) => find(name),
    instances: () => [...instances.values()],
    instanceUrl: (name) => find(name).url,

    addClient: (instance, client) => find(instance).clients.add(client),
    clients: (instance) => find(instance).clients.list(),
    revokeClient: (instance, clientId, revokeOptions) =>
      find(instance).clients.revoke(clientId, revokeOptions?.keepTokens),
    removePrivilege: (instance, clientId, privilege) =>
      find(instance).clients.removePrivilege(clientId, privilege),
    addPrivilege: (instance, clientId, privilege) => find(instance).clients.addPrivilege(clientId, privilege),
    expireTokens: (instance) => {
      for (const each of instance === undefined ? instances.values() : [find(instance)])
        each.clients.expireTokens();
    },

    computers: (instance) => find(instance).computers.records,
    mobileDevices: (instance) => find(instance).mobileDevices.records,
    setComputers: (instance, computers) => find(instance).computers.replace(computers),
    setMobileDevices: (instance, devices) => find(instance).mobileDevices.replace(devices),
    updateComputer: (instance, id, patch) => {
      const store = find(instance).computers;
      const current = store.get(id);
      if (!current) throw new Error(`fake jamf: no computer ${id} in ${instance}`);
      const updated = mergePatch(current, { ...patch, id });
      store.put(updated, patch.hardware?.serialNumber !== undefined);
      return updated;
    },
    updateMobileDevice: (instance, mobileDeviceId, patch) => {
      const store = find(instance).mobileDevices;
      const current = store.get(mobileDeviceId);
      if (!current) throw new Error(`fake jamf: no mobile device ${mobileDeviceId} in ${instance}`);
      const updated = mergePatch(current, { ...patch, mobileDeviceId });
      store.put(updated, patch.hardware?.serialNumber !== undefined);
      return updated;
    },

    get maxConcurrent() {
      return find().maxConcurrent;
    },
    resetConcurrency: () => {
      for (const instance of instances.values()) instance.resetConcurrency();
    },
    get concurrencyLimit() {
      return find().settings.concurrencyLimit;
    },
    set concurrencyLimit(limit: number) {
      find().configure({ concurrencyLimit: limit });
    },
    get maxUrlLength() {
      return find().settings.maxUrlLength;
    },
    set maxUrlLength(length: number) {
      find().configure({ maxUrlLength: length });
    },
    get rsqlCaseSensitive() {
      return find().settings.rsqlCaseSensitive;
    },
    set rsqlCaseSensitive(sensitive: boolean) {
      find().configure({ rsqlCaseSensitive: sensitive });
    },
    get tokenPaths() {
      return find().settings.tokenPaths;
    },
    set tokenPaths(paths) {
      find().configure({ tokenPaths: paths });
    },

    advanceTime: (ms) => {
      clockOffset += ms;
    },
    now,
  };
  return fake;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function headerMap(req: IncomingMessage): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) map.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
  }
  return map;
}

function send(res: ServerResponse, result: ApiResult): void {
  const body = result.text ?? (result.json === undefined ? '' : JSON.stringify(result.json));
  const buffer = Buffer.from(body);
  res.writeHead(result.status, {
    'Content-Type': JSON_TYPE,
    ...result.headers,
    'Content-Length': String(buffer.length),
  });
  res.end(buffer);
}
