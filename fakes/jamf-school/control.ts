/**
 * Control routes under `/__fake/…` (JSON in, JSON out) mirroring the handle's methods, so a benchmark or demo
 * running Satchel in another process can drive the fake.
 */
import type { ApiResult } from './errors.ts';
import type { FailNextOptions } from './faults.ts';
import { generateFleet } from './fleet.ts';
import { DEFAULT_INSTANCE } from './instance.ts';
import type { FakeJamfSchool } from './server.ts';
import type {
  ApiKeyRight,
  FakeApiKey,
  FakeInstanceOptions,
  FakeJamfSchoolDevice,
  MalformedKind,
  OlderProtocolMode,
  PagingMode,
} from './types.ts';

type Input = Record<string, unknown>;

const number = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
const strings = (value: unknown) => (Array.isArray(value) ? value.map(String) : undefined);

function ok(json: unknown = { ok: true }): ApiResult {
  return { status: 200, headers: {}, json };
}

/** The options settable at run time; a key that is present (even as null) is applied. */
function setOptions(fake: FakeJamfSchool, input: Input): void {
  if ('serialCaseSensitive' in input) fake.serialCaseSensitive = Boolean(input.serialCaseSensitive);
  if ('maxDevicesPerResponse' in input) {
    fake.maxDevicesPerResponse =
      typeof input.maxDevicesPerResponse === 'number' ? input.maxDevicesPerResponse : undefined;
  }
  if ('paging' in input) fake.paging = input.paging as PagingMode;
  if ('pageSize' in input) fake.pageSize = number(input.pageSize, 100);
  if ('olderProtocol' in input) fake.olderProtocol = input.olderProtocol as OlderProtocolMode;
  if ('quotaPerMinute' in input) {
    fake.quotaPerMinute = typeof input.quotaPerMinute === 'number' ? input.quotaPerMinute : undefined;
  }
}

function generate(fake: FakeJamfSchool, instance: string, input: Input): number {
  const serials = strings(input.serials) ?? [];
  const devices = generateFleet({
    size: number(input.size, serials.length),
    seed: typeof input.seed === 'string' || typeof input.seed === 'number' ? input.seed : 1,
    serials,
    junk: number(input.junk, 0),
    trashed: number(input.trashed, 0),
    duplicatesOf: strings(input.duplicatesOf) ?? [],
    ...(typeof input.caseVariants === 'number' || typeof input.caseVariants === 'boolean'
      ? { caseVariants: input.caseVariants }
      : {}),
    ...(typeof input.domain === 'string' ? { domain: input.domain } : {}),
    ...(typeof input.now === 'string' ? { now: input.now } : {}),
    timeZone: fake.instance(instance).timeZone,
  });
  fake.setDevices(instance, devices);
  return devices.length;
}

function post(fake: FakeJamfSchool, action: string, input: Input): ApiResult {
  const instance = typeof input.instance === 'string' ? input.instance : DEFAULT_INSTANCE;
  switch (action) {
    case 'clear-log':
      fake.clearLog();
      return ok();
    case 'fail-next':
      fake.failNext(number(input.n, 1), number(input.status, 503), input as FailNextOptions);
      return ok();
    case 'malformed-next':
      fake.malformedNext(number(input.n, 1), (input.kind as MalformedKind) ?? 'truncated', {
        after: number(input.after, 0),
      });
      return ok();
    case 'latency':
      fake.latencyMs = number(input.ms, 0);
      return ok();
    case 'reset-faults':
      fake.resetFaults();
      return ok();
    case 'options':
      setOptions(fake, input);
      return ok();
    case 'add-instance':
      return ok(fake.addInstance(String(input.name), input as FakeInstanceOptions));
    case 'add-api-key':
      fake.addApiKey(instance, input as unknown as FakeApiKey);
      return ok();
    case 'revoke-key':
      return ok({ revoked: fake.revokeKey(instance, String(input.apiKey)) });
    case 'remove-right':
      fake.removeRight(instance, String(input.apiKey), (input.right as ApiKeyRight) ?? 'devices');
      return ok();
    case 'set-devices':
      fake.setDevices(instance, (input.devices as FakeJamfSchoolDevice[]) ?? []);
      return ok({ devices: fake.devices(instance).length });
    case 'generate-fleet':
      return ok({ devices: generate(fake, instance, input) });
    case 'update-devices': {
      const updates = (input.updates as { udid: string; patch: Partial<FakeJamfSchoolDevice> }[]) ?? [];
      for (const update of updates) fake.updateDevice(instance, update.udid, update.patch);
      return ok({ updated: updates.length });
    }
    case 'advance-time':
      fake.advanceTime(number(input.ms, 0));
      return ok({ now: new Date(fake.now()).toISOString() });
    case 'collect-garbage': {
      // A benchmark settles the fake between runs when it runs with --expose-gc.
      const collect = (globalThis as { gc?: () => void }).gc;
      collect?.();
      return ok({ collected: collect !== undefined });
    }
    default:
      return { status: 404, headers: {}, json: { error: `no control endpoint POST /__fake/${action}` } };
  }
}

function get(fake: FakeJamfSchool, action: string): ApiResult {
  switch (action) {
    case '':
    case 'instances':
      return ok({ instances: fake.instances() });
    case 'requests':
      return ok({ requests: fake.requests });
    case 'stats':
      return ok(fake.stats());
    case 'options':
      return ok({
        latencyMs: fake.latencyMs,
        quotaPerMinute: fake.quotaPerMinute ?? null,
        serialCaseSensitive: fake.serialCaseSensitive,
        maxDevicesPerResponse: fake.maxDevicesPerResponse ?? null,
        paging: fake.paging,
        pageSize: fake.pageSize,
        olderProtocol: fake.olderProtocol,
      });
    default:
      return { status: 404, headers: {}, json: { error: `no control endpoint GET /__fake/${action}` } };
  }
}

export function controlRoutes(fake: FakeJamfSchool) {
  return async (method: string, path: string, body: string): Promise<ApiResult> => {
    const action = path.replace(/^\/__fake\/?/, '');
    try {
      if (method === 'GET') return get(fake, action);
      if (method !== 'POST') return { status: 405, headers: {}, json: { error: 'use GET or POST' } };
      return post(fake, action, body.trim() ? (JSON.parse(body) as Input) : {});
    } catch (error) {
      return {
        status: 400,
        headers: {},
        json: { error: error instanceof Error ? error.message : String(error) },
      };
    }
  };
}
