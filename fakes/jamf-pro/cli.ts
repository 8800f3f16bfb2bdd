/**
 * `node fakes/jamf-pro/cli.ts [options]`: runs the fake Jamf Pro on loopback with a generated fleet and
 * prints the connection settings that point Satchel at it.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateFleet } from './fleet.ts';
import { DEFAULT_INSTANCE } from './handle.ts';
import { DEFAULT_CLIENT } from './instance.ts';
import { startFakeJamfPro } from './server.ts';
import { type FakeApiClient, type FakeInstanceOptions, TOKEN_PATHS, type TokenPath } from './types.ts';

const USAGE = `usage: node fakes/jamf-pro/cli.ts [options]

  --port N                 port (default 4030; 0 picks a free one)
  --host H                 127.0.0.1 (default) or localhost
  --size N                 devices per instance, Macs and iPads (default 2000)
  --seed S                 generator seed (default 1)
  --serials FILE           serials that must exist (one per line, first CSV column), e.g. a district's inventory
  --ipad-share F           share of iPads (default 0.6)
  --junk N                 extra devices with junk serials
  --now ISO                "now" for generated dates (default: the current time)
  --instances A,B          more instances, served under /instances/<name>, each with its own fleet
  --latency MS             least time an answer takes
  --client-id ID --client-secret S
  --privileges LIST        comma-separated (default "Read Computers,Read Mobile Devices")
  --token-lifetime S       access-token lifetime in seconds (default 1800)
  --token-paths WHICH      both (default) | oauth (/api/oauth/token only) | v1 (/api/v1/oauth/token only)
  --concurrency-limit N    requests in flight beyond N answer 503 (default: no limit)
  --max-url-length N       longer request targets answer 414 (default 8192)
  --max-page-size N        largest page-size accepted (default 2000)
  --rsql-case-sensitive    RSQL string comparisons heed case
  --log N                  requests kept in the log (default 200000)`;

const TOKEN_PATH_CHOICES: Record<string, TokenPath[]> = {
  both: [...TOKEN_PATHS],
  oauth: ['/api/oauth/token'],
  v1: ['/api/v1/oauth/token'],
};

export async function runCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '4030' },
      host: { type: 'string', default: '127.0.0.1' },
      size: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      serials: { type: 'string' },
      'ipad-share': { type: 'string' },
      junk: { type: 'string' },
      now: { type: 'string' },
      instances: { type: 'string' },
      latency: { type: 'string' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      privileges: { type: 'string' },
      'token-lifetime': { type: 'string' },
      'token-paths': { type: 'string', default: 'both' },
      'concurrency-limit': { type: 'string' },
      'max-url-length': { type: 'string' },
      'max-page-size': { type: 'string' },
      'rsql-case-sensitive': { type: 'boolean' },
      log: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const tokenPaths = TOKEN_PATH_CHOICES[values['token-paths']!];
  if (!tokenPaths) throw new Error('--token-paths must be both, oauth or v1');
  const client: FakeApiClient = {
    clientId: values['client-id'] ?? DEFAULT_CLIENT.clientId,
    clientSecret: values['client-secret'] ?? DEFAULT_CLIENT.clientSecret,
    privileges: values.privileges?.split(',').map((p) => p.trim()) ?? DEFAULT_CLIENT.privileges,
  };
  const serials = values.serials ? readSerials(values.serials) : undefined;
  const fleetOf = (name: string): FakeInstanceOptions => {
    const fleet = generateFleet({
      size: count('size', values.size),
      seed: name === DEFAULT_INSTANCE ? values.seed! : `${values.seed}:${name}`,
      now: values.now ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
      ...(serials ? { serials } : {}),
      ...(values['ipad-share'] ? { ipadShare: Number(values['ipad-share']) } : {}),
      ...(values.junk ? { junk: count('junk', values.junk) } : {}),
    });
    return { computers: fleet.computers, mobileDevices: fleet.mobileDevices, clients: [client] };
  };
  const extra =
    values.instances
      ?.split(',')
      .map((name) => name.trim())
      .filter(Boolean) ?? [];
  const fake = await startFakeJamfPro({
    port: count('port', values.port),
    host: values.host === 'localhost' ? 'localhost' : '127.0.0.1',
    ...fleetOf(DEFAULT_INSTANCE),
    instances: Object.fromEntries(extra.map((name) => [name, fleetOf(name)])),
    tokenPaths,
    ...(values['rsql-case-sensitive'] ? { rsqlCaseSensitive: true } : {}),
    ...optionalCount('latencyMs', 'latency', values.latency),
    ...optionalCount('tokenLifetimeSeconds', 'token-lifetime', values['token-lifetime']),
    ...optionalCount('concurrencyLimit', 'concurrency-limit', values['concurrency-limit']),
    ...optionalCount('maxUrlLength', 'max-url-length', values['max-url-length']),
    ...optionalCount('maxPageSize', 'max-page-size', values['max-page-size']),
    ...optionalCount('maxLogEntries', 'log', values.log),
  });
  const lines = fake
    .instances()
    .map(
      (instance) =>
        `  instance ${instance.name}: ${instance.url} (${fake.computers(instance.name).length} Macs, ${fake.mobileDevices(instance.name).length} iPads)`,
    );
  console.log(`Fake Jamf Pro listening on ${fake.url}
${lines.join('\n')}
  control  ${fake.url}/__fake/ (requests, instances, fail-next, malformed-next, configure, …)
Token paths: ${tokenPaths.join(', ')}; privileges: ${client.privileges.join(', ')}

JAMF_PRO_BASE_URL=${fake.url}
JAMF_PRO_CLIENT_ID=${client.clientId}
JAMF_PRO_CLIENT_SECRET=${client.clientSecret}`);
  const stop = () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Serials from a file: one per line, the first column of a CSV, a header line skipped. */
function readSerials(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.split(',')[0]!.trim())
    .filter((serial, index) => serial && !(index === 0 && /^serial/i.test(serial)));
}

function count(name: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0) {
    throw new Error(`--${name} must be a non-negative integer, got ${value}`);
  }
  return n;
}

function optionalCount<K extends string>(
  key: K,
  name: string,
  value: string | undefined,
): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: count(name, value) } as Record<K, number>);
}

if (import.meta.main) {
  runCli(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(2);
  });
}
