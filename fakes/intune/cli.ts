/**
 * `node fakes/intune/cli.ts [options]`: runs the fake Entra ID + Graph Intune on loopback with a generated
 * fleet and prints the settings that point Satchel at it. Stops on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_APP, DEFAULT_DOMAIN, DEFAULT_TENANT } from './defaults.ts';
import { generateFleet } from './fleet.ts';
import type { FakeIntune } from './handle.ts';
import { startFakeIntune } from './server.ts';
import type { FilterSupport } from './types.ts';

export const USAGE = `usage: node fakes/intune/cli.ts [options]

  --port N               port (default 4020; 0 picks a free one)
  --host H               127.0.0.1 (default) or localhost
  --size N               devices to generate (default 5000)
  --seed S               generator seed (default 1)
  --serials FILE         serials that must exist (one per line, first CSV column), e.g. a district's inventory
  --junk N               extra devices with junk serials
  --duplicates N         re-enrolled duplicates of the first N --serials
  --now ISO              "now" for generated dates (default: the current hour)
  --domain D             the tenant's domain (default ${DEFAULT_DOMAIN})
  --client-id ID --client-secret S --redirect-uri URI (repeatable)
  --latency MS           least time an answer takes
  --throttle N           requests per 20 s per app (default 2000)
  --no-retry-after       answer 429s without Retry-After
  --filter-support MODE  honoured (default) | ignored
  --unlicensed           the tenant has no Intune licence
  --log N                requests kept in the log (default 200000)`;

const OPTIONS = {
  port: { type: 'string', default: '4020' },
  host: { type: 'string', default: '127.0.0.1' },
  size: { type: 'string', default: '5000' },
  seed: { type: 'string', default: '1' },
  serials: { type: 'string' },
  junk: { type: 'string', default: '0' },
  duplicates: { type: 'string', default: '0' },
  now: { type: 'string' },
  domain: { type: 'string', default: DEFAULT_DOMAIN },
  'client-id': { type: 'string', default: DEFAULT_APP.clientId },
  'client-secret': { type: 'string', default: DEFAULT_APP.secret },
  'redirect-uri': { type: 'string', multiple: true },
  latency: { type: 'string', default: '0' },
  throttle: { type: 'string', default: '2000' },
  'no-retry-after': { type: 'boolean', default: false },
  'filter-support': { type: 'string', default: 'honoured' },
  unlicensed: { type: 'boolean', default: false },
  log: { type: 'string', default: '200000' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function count(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

function readSerials(file: string | undefined): string[] {
  if (!file) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.split(',')[0]!.trim())
    .filter(Boolean);
}

async function start(values: Values): Promise<FakeIntune> {
  const filterSupport = values['filter-support'] as FilterSupport;
  if (filterSupport !== 'honoured' && filterSupport !== 'ignored')
    throw new Error('--filter-support must be honoured or ignored');
  const domain = values.domain.toLowerCase();
  const serials = readSerials(values.serials);
  const devices = generateFleet({
    size: count('size', values.size),
    seed: values.seed,
    serials,
    junk: count('junk', values.junk),
    duplicatesOf: serials.slice(0, count('duplicates', values.duplicates)),
    domain,
    now: values.now ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
  });
  const tenant = {
    ...(domain === DEFAULT_DOMAIN ? { id: DEFAULT_TENANT.id, name: DEFAULT_TENANT.name } : {}),
    domains: [domain],
    licensed: !values.unlicensed,
  };
  return startFakeIntune({
    port: count('port', values.port),
    host: values.host === 'localhost' ? 'localhost' : '127.0.0.1',
    withoutDefaults: true,
    tenants: [tenant],
    apps: [
      {
        ...DEFAULT_APP,
        tenant: domain,
        clientId: values['client-id'],
        secret: values['client-secret'],
        redirectUris: values['redirect-uri']?.length ? values['redirect-uri'] : DEFAULT_APP.redirectUris,
      },
    ],
    fleets: { [domain]: devices },
    latencyMs: count('latency', values.latency),
    throttle: { perAppLimit: count('throttle', values.throttle), retryAfter: !values['no-retry-after'] },
    filterSupport,
    maxLogEntries: count('log', values.log),
  });
}

function describe(fake: FakeIntune, values: Values): string {
  const [tenant] = fake.tenants();
  return `Fake Intune listening on ${fake.url}
  token      ${fake.tokenUrl(tenant!.id)}
  consent    ${fake.consentUrl({ clientId: values['client-id'], ...(values['redirect-uri']?.[0] ? { redirectUri: values['redirect-uri'][0] } : {}) })}
  Graph      ${fake.graphUrl}/v1.0/deviceManagement/managedDevices
  control    ${fake.url}/__fake/  (requests, fail-next, throttle, revoke-app, …)
Tenant ${tenant!.id} (${tenant!.domains.join(', ')}): ${tenant!.deviceCount} devices${tenant!.licensed ? '' : ', no Intune licence'}

MICROSOFT_LOGIN_URL=${fake.loginUrl}
MICROSOFT_GRAPH_URL=${fake.graphUrl}
MICROSOFT_CLIENT_ID=${values['client-id']}
MICROSOFT_CLIENT_SECRET=${values['client-secret']}`;
}

export async function runCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const fake = await start(values);
  console.log(describe(fake, values));
  const stop = () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    process.exit(2);
  });
}
