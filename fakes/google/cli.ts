/**
 * `npm run fake -- google [options]`: runs the fake Google (OAuth + Directory API) on loopback and prints
 * the environment that points Satchel at it. `--write-fleet out.json` only writes a generated fleet.
 */
import { closeSync, createReadStream, createWriteStream, openSync, readFileSync, readSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  DEFAULT_CLIENT,
  DEFAULT_DOMAIN,
  type FakeChromeDevice,
  type FakeOAuthClient,
  generateFleet,
  startFakeGoogle,
} from './index.ts';

const USAGE = `usage: npm run fake -- google [options]

  --port N               port (default 4010; 0 picks a free one)
  --host H               127.0.0.1 (default) or localhost
  --fleet FILE           devices from a JSON file (written by --write-fleet, an array, or {domain, devices})
  --size N               generate N devices instead (default 5000)
  --seed S               generator seed (default 1)
  --domain D             Workspace domain (default ${DEFAULT_DOMAIN})
  --serials FILE         serials that must exist (one per line), e.g. a district's inventory
  --junk N --deprovisioned N --disabled N
  --now ISO              "now" for generated dates (default: the current time)
  --latency MS           delay added to every request
  --quota N              queries per minute per user (429 + Retry-After beyond)
  --log N                requests kept in the log (default 200000)
  --client-id ID --client-secret S --redirect-uri URI (repeatable)
  --consent MODE         prompt (default) | auto-approve | auto-deny
  --email ADDRESS        account proposed on the consent page (default admin@DOMAIN)

  --write-fleet FILE     write a generated fleet (--size, --seed, --domain, …) and exit`;

const OPTIONS = {
  port: { type: 'string', default: '4010' },
  host: { type: 'string', default: '127.0.0.1' },
  fleet: { type: 'string' },
  size: { type: 'string' },
  seed: { type: 'string', default: '1' },
  domain: { type: 'string', default: DEFAULT_DOMAIN },
  serials: { type: 'string' },
  junk: { type: 'string' },
  deprovisioned: { type: 'string' },
  disabled: { type: 'string' },
  now: { type: 'string' },
  latency: { type: 'string' },
  quota: { type: 'string' },
  log: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  consent: { type: 'string', default: 'prompt' },
  email: { type: 'string' },
  'write-fleet': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

let values: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

function int(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${value}`);
    process.exit(2);
  }
  return n;
}

function generate(): FakeChromeDevice[] {
  const serials = values.serials
    ? readFileSync(values.serials, 'utf8')
        .split(/\r?\n/)
        .map((line) => line.split(',')[0]!.trim())
        .filter(Boolean)
    : undefined;
  return generateFleet({
    size: int('size', values.size, 5000),
    seed: values.seed!,
    domain: values.domain!,
    now: values.now ?? new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000),
    junk: int('junk', values.junk, 0),
    deprovisioned: int('deprovisioned', values.deprovisioned, 0),
    disabled: int('disabled', values.disabled, 0),
    ...(serials ? { serials } : {}),
  });
}

/** One device per line inside a JSON document, so huge fleets can be streamed both ways. */
async function writeFleet(file: string, domain: string, devices: FakeChromeDevice[]): Promise<void> {
  const out = createWriteStream(file);
  let failed: Error | undefined;
  out.on('error', (error) => {
    failed = error;
  });
  const write = async (text: string) => {
    if (failed) throw failed;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  await write(`{"domain":${JSON.stringify(domain)},"size":${devices.length},"devices":[\n`);
  for (let i = 0; i < devices.length; i++)
    await write(`${JSON.stringify(devices[i])}${i < devices.length - 1 ? ',' : ''}\n`);
  await write(']}\n');
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function readFleet(file: string): Promise<{ domain?: string; devices: FakeChromeDevice[] }> {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(4096);
  const read = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const firstLine = head.subarray(0, read).toString('utf8').split('\n')[0] ?? '';
  if (/"devices":\[\s*$/.test(firstLine)) {
    const header = JSON.parse(`${firstLine.replace(/\[\s*$/, '[]')}}`) as { domain?: string };
    const devices: FakeChromeDevice[] = [];
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
    let first = true;
    for await (const line of lines) {
      if (first) {
        first = false;
        continue;
      }
      const text = line.trim().replace(/,$/, '');
      if (!text || text === ']}') continue;
      devices.push(JSON.parse(text) as FakeChromeDevice);
    }
    return { ...(header.domain ? { domain: header.domain } : {}), devices };
  }
  const json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (Array.isArray(json)) return { devices: json as FakeChromeDevice[] };
  const doc = json as { domain?: string; devices?: FakeChromeDevice[] };
  if (!Array.isArray(doc.devices))
    throw new Error(`${file}: expected an array of devices or {domain, devices}`);
  return { ...(doc.domain ? { domain: doc.domain } : {}), devices: doc.devices };
}

export async function runCli(argv: string[]): Promise<void> {
  ({ values } = parseArgs({ args: argv, options: OPTIONS }));
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values['write-fleet']) {
    const devices = generate();
    await writeFleet(values['write-fleet'], values.domain!, devices);
    console.log(`wrote ${devices.length} devices for ${values.domain} to ${values['write-fleet']}`);
    return;
  }
  const fleet = values.fleet ? await readFleet(values.fleet) : { devices: generate() };
  const domain = fleet.domain ?? values.domain!;
  const redirectUris = values['redirect-uri']?.length ? values['redirect-uri'] : DEFAULT_CLIENT.redirectUris;
  const client: FakeOAuthClient = {
    clientId: values['client-id'] ?? DEFAULT_CLIENT.clientId,
    clientSecret: values['client-secret'] ?? DEFAULT_CLIENT.clientSecret!,
    redirectUris,
  };
  const consent = values.consent as 'prompt' | 'auto-approve' | 'auto-deny';
  if (!['prompt', 'auto-approve', 'auto-deny'].includes(consent)) {
    console.error(`--consent must be prompt, auto-approve or auto-deny`);
    process.exit(2);
  }
  const fake = await startFakeGoogle({
    port: int('port', values.port, 4010),
    host: values.host === 'localhost' ? 'localhost' : '127.0.0.1',
    fleets: { [domain]: fleet.devices },
    clients: [client],
    consent,
    ...(values.email ? { defaultEmail: values.email } : {}),
    ...(values.latency ? { latencyMs: int('latency', values.latency, 0) } : {}),
    ...(values.quota ? { quotaPerMinute: int('quota', values.quota, 0) } : {}),
    ...(values.log ? { maxLogEntries: int('log', values.log, 200_000) } : {}),
  });
  const customer = fake.customer(domain);
  console.log(`Fake Google listening on ${fake.url}
  authorize  ${fake.authUrl}
  token      ${fake.tokenUrl}
  revoke     ${fake.revokeUrl}
  API root   ${fake.apiRootUrl}  (batch: ${fake.batchUrl})
  control    ${fake.url}/__fake/  (requests, fail-next, quota, revoke-all, …)
Fleet: ${customer.deviceCount} devices for ${customer.domain} (customer ${customer.customerId}); consent as ${fake.defaultEmail}
Redirect URIs: ${redirectUris.join(', ')}

GOOGLE_OAUTH_AUTH_URL=${fake.authUrl}
GOOGLE_OAUTH_TOKEN_URL=${fake.tokenUrl}
GOOGLE_OAUTH_REVOKE_URL=${fake.revokeUrl}
GOOGLE_API_ROOT_URL=${fake.apiRootUrl}
GOOGLE_CLIENT_ID=${client.clientId}
GOOGLE_CLIENT_SECRET=${client.clientSecret}`);
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
