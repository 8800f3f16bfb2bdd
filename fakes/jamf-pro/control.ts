/**
 * Control routes under `/__fake/` (JSON in, JSON out) mirroring the handle's methods, so a benchmark or demo
 * running Satchel in another process can drive the fake. `instance` in a body defaults to the default one.
 */
import type { ApiResult } from './errors.ts';
import { type FleetOptions, generateFleet } from './fleet.ts';
import { DEFAULT_INSTANCE, type FakeJamfInstance, type FakeJamfPro } from './handle.ts';
import type {
  FailNextOptions,
  FakeApiClient,
  FakeComputer,
  FakeInstanceOptions,
  FakeInstanceSettings,
  FakeMobileDevice,
  MalformedKind,
  MalformedNextOptions,
} from './types.ts';

type Body = Record<string, unknown>;

export function handleControl(
  fake: FakeJamfPro,
  method: string,
  path: string,
  query: URLSearchParams,
  text: string,
): ApiResult {
  const body = readBody(text);
  const instance = typeof body.instance === 'string' ? body.instance : DEFAULT_INSTANCE;
  const ok = (json: unknown = { ok: true }): ApiResult => ({ status: 200, headers: {}, json });
  switch (`${method} ${path.replace(/\/$/, '')}`) {
    case 'GET /__fake':
    case 'GET /__fake/instances':
      return ok({ instances: fake.instances().map((each) => summary(fake, each)) });
    case 'GET /__fake/requests': {
      const since = Number(query.get('since') ?? 0);
      const only = query.get('instance');
      const entries = fake.requestsSince(since);
      return ok({ requests: only ? entries.filter((entry) => entry.instance === only) : entries });
    }
    case 'POST /__fake/clear-log':
      fake.clearLog();
      return ok();
    case 'POST /__fake/fail-next':
      fake.failNext(number(body.n, 1), number(body.status, 503), body as FailNextOptions);
      return ok();
    case 'POST /__fake/malformed-next':
      fake.malformedNext(
        number(body.n, 1),
        (body.kind as MalformedKind) ?? 'truncated',
        body as MalformedNextOptions,
      );
      return ok();
    case 'POST /__fake/latency':
      fake.latencyMs = number(body.ms, 0);
      return ok();
    case 'POST /__fake/reset-faults':
      fake.resetFaults();
      return ok();
    case 'POST /__fake/add-instance':
      return ok(summary(fake, fake.addInstance(String(body.name), body as FakeInstanceOptions)));
    case 'POST /__fake/configure':
      fake.instance(instance).configure(body as FakeInstanceSettings);
      return ok(summary(fake, fake.instance(instance)));
    case 'POST /__fake/reset-concurrency':
      fake.resetConcurrency();
      return ok();
    case 'POST /__fake/add-client':
      fake.addClient(instance, body as unknown as FakeApiClient);
      return ok();
    case 'POST /__fake/revoke-client':
      return ok({
        revoked: fake.revokeClient(instance, String(body.clientId), { keepTokens: body.keepTokens === true }),
      });
    case 'POST /__fake/remove-privilege':
      fake.removePrivilege(instance, String(body.clientId), String(body.privilege));
      return ok();
    case 'POST /__fake/expire-tokens':
      fake.expireTokens(typeof body.instance === 'string' ? body.instance : undefined);
      return ok();
    case 'GET /__fake/stats':
      return ok(fake.stats());
    case 'POST /__fake/collect-garbage': {
      // A benchmark settles the fake between runs when it runs with --expose-gc.
      const collect = (globalThis as { gc?: () => void }).gc;
      collect?.();
      return ok({ collected: collect !== undefined });
    }
    case 'POST /__fake/advance-time':
      fake.advanceTime(number(body.ms, 0));
      return ok({ now: new Date(fake.now()).toISOString() });
    case 'POST /__fake/set-fleet':
      if (Array.isArray(body.computers)) fake.setComputers(instance, body.computers as FakeComputer[]);
      if (Array.isArray(body.mobileDevices))
        fake.setMobileDevices(instance, body.mobileDevices as FakeMobileDevice[]);
      return ok(summary(fake, fake.instance(instance)));
    case 'POST /__fake/generate-fleet': {
      // Made here from the serials the fleet should hold: large set-ups would be slow to send device by device.
      const fleet = generateFleet(body as unknown as FleetOptions);
      fake.setComputers(instance, fleet.computers);
      fake.setMobileDevices(instance, fleet.mobileDevices);
      return ok({ ...summary(fake, fake.instance(instance)), manifest: fleet.manifest });
    }
    case 'POST /__fake/update-devices': {
      const computers = (body.computers ?? []) as { id: string; patch: object }[];
      const mobileDevices = (body.mobileDevices ?? []) as { mobileDeviceId: string; patch: object }[];
      for (const { id, patch } of computers) fake.updateComputer(instance, id, patch);
      for (const { mobileDeviceId, patch } of mobileDevices)
        fake.updateMobileDevice(instance, mobileDeviceId, patch);
      return ok({ updated: computers.length + mobileDevices.length });
    }
    default:
      return { status: 404, headers: {}, json: { error: `no control route ${method} ${path}` } };
  }
}

function readBody(text: string): Body {
  const body: unknown = text.trim() ? JSON.parse(text) : {};
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new Error('the body must be a JSON object');
  return body as Body;
}

function summary(fake: FakeJamfPro, instance: FakeJamfInstance) {
  return {
    name: instance.name,
    url: instance.url,
    settings: instance.settings,
    inFlight: instance.inFlight,
    maxConcurrent: instance.maxConcurrent,
    computers: fake.computers(instance.name).length,
    mobileDevices: fake.mobileDevices(instance.name).length,
    clients: fake.clients(instance.name).map((client) => client.clientId),
  };
}

function number(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
