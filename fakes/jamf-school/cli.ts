/**
 * Runs the fake Jamf School on loopback and prints the settings that point Satchel at it:
 * `node fakes/jamf-school/cli.ts --port 4030 --size 5000 [--serials inventory.csv] [--instance north …]`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_DOMAIN, type FleetOptions, generateFleet } from './fleet.ts';
import { DEFAULT_API_KEY, DEFAULT_NETWORK_ID } from './instance.ts';
import { type FakeJamfSchool, startFakeJamfSchool } from './server.ts';
import type { FakeJamfSchoolDevice, OlderProtocolMode, PagingMode } from './types.ts';

const USAGE = `usage: node fakes/jamf-school/cli.ts [options]

  --port N                 port (default 4040; 0 picks a free one)
  --host H                 127.0.0.1 (default) or localhost
  --fleet FILE             devices from a JSON file (an array, or {devices})
  --size N                 generate N devices instead (default 2000)
  --seed S                 generator seed (default 1)
  --serials FILE           serials that must exist (one per line, first CSV column), e.g. a district's inventory
  --junk N --trashed N     devices with junk serials; devices in the trash
  --domain D               domain of owners' emails (default ${DEFAULT_DOMAIN})
  --now ISO                "now" for generated check-ins (default: the current hour)
  --time-zone TZ           zone of the "YYYY-MM-DD HH:MM:SS" times (default UTC)
  --network-id ID          the default instance's Network ID (default ${DEFAULT_NETWORK_ID})
  --api-key KEY            its API key (default ${DEFAULT_API_KEY})
  --instance NAME          another instance at /instances/NAME with its own generated fleet (repeatable)
  --latency MS             least time an answer takes
  --quota N                API requests per minute per instance (429 + Retry-After past it)
  --paging MODE            none (default) | page-param
  --page-size N            default limit under page-param paging (default 100)
  --max-per-response N     answer at most N devices per listing (count stays the total)
  --older-protocol MODE    not-found (default) | serve: requests without X-Server-Protocol-Version: 3
  --serial-case-sensitive  serialnumber compares case-sensitively
  --log N                  requests kept in the log (default 200000)`;

const OPTIONS = {
  port: { type: 'string', default: '4040' },
  host: { type: 'string', default: '127.0.0.1' },
  fleet: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string', default: '1' },
  serials: { type: 'string' },
  junk: { type: 'string' },
  trashed: { type: 'string' },
  domain: { type: 'string', default: DEFAULT_DOMAIN },
  now: { type: 'string' },
  'time-zone': { type: 'string', default: 'UTC' },
  'network-id': { type: 'string' },
  'api-key': { type: 'string' },
  instance: { type: 'string', multiple: true },
  latency: { type: 'string' },
  quota: { type: 'string' },
  paging: { type: 'string', default: 'none' },
  'page-size': { type: 'string' },
  'max-per-response': { type: 'string' },
  'older-protocol': { type: 'string', default: 'not-found' },
  'serial-case-sensitive': { type: 'boolean' },
  log: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

class UsageError extends Error {}

function count(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`--${name} must be a non-negative integer, got ${value}`);
  return n;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new UsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function readSerials(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.split(',')[0]!.trim())
    .filter(Boolean);
}

function readFleet(file: string): FakeJamfSchoolDevice[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (Array.isArray(json)) return json as FakeJamfSchoolDevice[];
  const devices = (json as { devices?: unknown }).devices;
  if (!Array.isArray(devices)) throw new UsageError(`${file}: expected an array of devices or {devices}`);
  return devices as FakeJamfSchoolDevice[];
}

function fleetOptions(values: Values, seed: string): FleetOptions {
  return {
    size: count('size', values.size) ?? 2000,
    seed,
    domain: values.domain,
    now: values.now ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
    timeZone: values['time-zone'],
    junk: count('junk', values.junk) ?? 0,
    trashed: count('trashed', values.trashed) ?? 0,
    ...(values.serials ? { serials: readSerials(values.serials) } : {}),
  };
}

async function start(values: Values): Promise<FakeJamfSchool> {
  const latencyMs = count('latency', values.latency);
  const quotaPerMinute = count('quota', values.quota);
  const pageSize = count('page-size', values['page-size']);
  const maxDevicesPerResponse = count('max-per-response', values['max-per-response']);
  const maxLogEntries = count('log', values.log);
  const fake = await startFakeJamfSchool({
    port: count('port', values.port) ?? 4030,
    host: values.host === 'localhost' ? 'localhost' : '127.0.0.1',
    devices: values.fleet ? readFleet(values.fleet) : generateFleet(fleetOptions(values, values.seed)),
    timeZone: values['time-zone'],
    ...(values['network-id'] ? { networkId: values['network-id'] } : {}),
    ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
    paging: oneOf<PagingMode>('paging', values.paging, ['none', 'page-param']),
    olderProtocol: oneOf<OlderProtocolMode>('older-protocol', values['older-protocol'], [
      'not-found',
      'serve',
    ]),
    serialCaseSensitive: values['serial-case-sensitive'] ?? false,
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(quotaPerMinute !== undefined ? { quotaPerMinute } : {}),
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(maxDevicesPerResponse !== undefined ? { maxDevicesPerResponse } : {}),
    ...(maxLogEntries !== undefined ? { maxLogEntries } : {}),
  });
  for (const name of values.instance ?? []) {
    fake.addInstance(name, {
      apiKeys: [{ apiKey: fake.apiKey }],
      devices: generateFleet(fleetOptions(values, `${values.seed}:${name}`)),
      timeZone: values['time-zone'],
    });
  }
  return fake;
}

function summary(fake: FakeJamfSchool): string {
  const instances = fake
    .instances()
    .map((i) => `  ${i.name}: ${i.baseUrl} (Network ID ${i.networkId}), ${i.deviceCount} devices`);
  return `Fake Jamf School listening on ${fake.url}
  API      ${fake.apiUrl}  (send X-Server-Protocol-Version: 3)
  control  ${fake.url}/__fake/  (requests, options, fail-next, malformed-next, generate-fleet, …)
Instances (base URL; the API is at <base URL>/api, every instance accepts the API key below):
${instances.join('\n')}

JAMF_SCHOOL_BASE_URL=${fake.url}
JAMF_SCHOOL_NETWORK_ID=${fake.networkId}
JAMF_SCHOOL_API_KEY=${fake.apiKey}`;
}

export async function runCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: false });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  let fake: FakeJamfSchool;
  try {
    fake = await start(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.log(summary(fake));
  const stop = () => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.main) await runCli(process.argv.slice(2));
