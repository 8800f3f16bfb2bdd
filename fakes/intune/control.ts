/**
 * `/__fake/…`: the handle's controls as JSON over HTTP, for benchmarks and demos that run Satchel in another
 * process. Bodies mirror the handle's method arguments.
 */
import { escapeHtml } from '../shared/html.ts';
import { generateFleet } from './fleet.ts';
import type { FakeIntune } from './handle.ts';
import { page } from './html.ts';
import type { Answer } from './http-io.ts';
import type {
  BatchOrder,
  FailTarget,
  FakeAppInput,
  FakeManagedDeviceInput,
  FakeTenantInput,
  FilterSupport,
  MalformedKind,
  ThrottleSettings,
} from './types.ts';

type Input = Record<string, unknown>;

const ok = (json: unknown = { ok: true }): Answer => ({
  status: 200,
  headers: { 'Content-Type': 'application/json' },
  json,
});
const num = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);
const str = (value: unknown) => String(value);

const ROUTES: Record<string, (fake: FakeIntune, input: Input) => Answer> = {
  'GET /__fake': (fake) => index(fake),
  'GET /__fake/requests': (fake) => ok({ requests: fake.requests }),
  'GET /__fake/tenants': (fake) => ok({ tenants: fake.tenants() }),
  'POST /__fake/clear-log': (fake) => {
    fake.clearLog();
    return ok();
  },
  'POST /__fake/fail-next': (fake, input) => {
    fake.failNext(num(input.n, 1), num(input.status, 503), {
      ...(input.retryAfter !== undefined ? { retryAfter: input.retryAfter as number | null } : {}),
      ...(typeof input.target === 'string' ? { target: input.target as FailTarget } : {}),
    });
    return ok();
  },
  'POST /__fake/malformed-next': (fake, input) => {
    fake.malformedNext(num(input.n, 1), (input.kind as MalformedKind) ?? 'truncated', {
      ...(input.target === 'batch-item' ? { target: 'batch-item' as const } : {}),
      ...(typeof input.after === 'number' ? { after: input.after } : {}),
    });
    return ok();
  },
  'POST /__fake/latency': (fake, input) => {
    fake.latencyMs = num(input.ms, 0);
    return ok();
  },
  'POST /__fake/reset-faults': (fake) => {
    fake.resetFaults();
    return ok();
  },
  'POST /__fake/set-fleet': (fake, input) => {
    fake.setFleet(str(input.tenant), (input.devices as FakeManagedDeviceInput[]) ?? []);
    return ok({ devices: fake.tenant(str(input.tenant)).deviceCount });
  },
  'POST /__fake/generate-fleet': (fake, input) => {
    // Made here from the serials the tenant should hold: large set-ups would be slow to send device by device.
    const tenant = fake.tenant(str(input.tenant));
    const serials = Array.isArray(input.serials) ? input.serials.map(String) : [];
    fake.setFleet(
      tenant.id,
      generateFleet({
        size: num(input.size, serials.length),
        serials,
        junk: num(input.junk, 0),
        duplicatesOf: Array.isArray(input.duplicatesOf) ? input.duplicatesOf.map(String) : [],
        seed: num(input.seed, 1),
        ...(tenant.domains[0] ? { domain: tenant.domains[0] } : {}),
      }),
    );
    return ok({ devices: fake.tenant(tenant.id).deviceCount });
  },
  'POST /__fake/update-devices': (fake, input) => {
    const updates = (input.updates as { id: string; patch: FakeManagedDeviceInput }[]) ?? [];
    for (const update of updates) fake.updateDevice(str(input.tenant), update.id, update.patch);
    return ok({ updated: updates.length });
  },
  'POST /__fake/throttle': (fake, input) => {
    fake.setThrottle(input as ThrottleSettings);
    return ok({ throttle: fake.throttle });
  },
  'POST /__fake/filter-support': (fake, input) => {
    fake.filterSupport = (input.mode as FilterSupport) ?? 'honoured';
    if (typeof input.serialCaseSensitive === 'boolean')
      fake.serialFilterCaseSensitive = input.serialCaseSensitive;
    return ok();
  },
  'POST /__fake/batch-order': (fake, input) => {
    fake.batchOrder = (input.order as BatchOrder) ?? 'shuffled';
    return ok();
  },
  'POST /__fake/licence': (fake, input) => {
    fake.setLicensed(str(input.tenant), input.licensed !== false);
    return ok();
  },
  'POST /__fake/add-tenant': (fake, input) =>
    ok({ tenant: fake.addTenant(input as unknown as FakeTenantInput) }),
  'POST /__fake/add-app': (fake, input) => {
    const { tenant, ...app } = input;
    fake.addApp(str(tenant), app as unknown as FakeAppInput);
    return ok();
  },
  'POST /__fake/revoke-app': (fake, input) =>
    ok({ revoked: fake.revokeApp(str(input.tenant), str(input.clientId)) }),
  'POST /__fake/remove-permission': (fake, input) =>
    ok({ removed: fake.removePermission(str(input.tenant), str(input.clientId), str(input.permission)) }),
  'POST /__fake/expire-tokens': (fake) => {
    fake.expireTokens();
    return ok();
  },
  'POST /__fake/advance-time': (fake, input) => {
    fake.advanceTime(num(input.ms, 0));
    return ok({ now: new Date(fake.now()).toISOString() });
  },
  'POST /__fake/approve': (fake, input) =>
    ok({
      redirect: fake.approve(
        str(input.url),
        typeof input.tenant === 'string' ? { tenant: input.tenant } : {},
      ),
    }),
  'POST /__fake/deny': (fake, input) => ok({ redirect: fake.deny(str(input.url)) }),
};

export function answerControl(fake: FakeIntune, method: string, path: string, body: string): Answer {
  const route = ROUTES[`${method} ${path.replace(/\/$/, '')}`];
  if (!route) return { status: 404, headers: {}, json: { error: `no control endpoint ${method} ${path}` } };
  try {
    return route(fake, body.trim() ? (JSON.parse(body) as Input) : {});
  } catch (error) {
    return {
      status: 400,
      headers: {},
      json: { error: error instanceof Error ? error.message : String(error) },
    };
  }
}

function index(fake: FakeIntune): Answer {
  const tenants = fake
    .tenants()
    .map(
      (t) =>
        `<li>${escapeHtml(t.name)} (${t.id}, ${t.domains.map(escapeHtml).join(', ')}): ${t.deviceCount} devices</li>`,
    )
    .join('');
  return {
    status: 200,
    headers: { 'Content-Type': 'text/html; charset=utf-8' },
    text: page(
      'Fake Intune',
      `<h1>Fake Intune</h1><ul>${tenants}</ul><p>Graph: ${escapeHtml(fake.graphUrl)}</p>`,
    ),
  };
}
