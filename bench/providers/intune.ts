import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { control } from '../targets.ts';
import type { ProviderBench } from './adapter.ts';
import { startFakeProcess } from './fake-process.ts';
import { plannerMinimum } from './planner-minimum.ts';

const DOMAIN = 'bench.example.org';
/** Graph's `$batch` holds 20 lookups. */
const LOOKUPS_PER_BATCH = 20;
/**
 * `BENCH_GRAPH_REQUESTS_PER_20S` lifts Graph's throttling (2,000 requests per 20 s per app and tenant) at the
 * fake and Satchel's budget under it together, to see Satchel's own pace on lookups; unset, both are as
 * Microsoft and a deployment have them.
 */
const BUDGET = process.env.BENCH_GRAPH_REQUESTS_PER_20S;

/** What the fake generates its fleet from (its `--serials`, `--size`, `--junk`, `--seed` and `--now`). */
interface GeneratedFleet {
  serials: string;
  size: number;
  junk: number;
  seed: number;
  now: string;
}

/** Microsoft Intune: the fake Entra ID and Graph, authorized through admin consent to the hosted app. */
export const intune: ProviderBench = {
  key: 'intune',
  name: 'Intune',
  // The fake generates its fleet around the tracked serials with the generator the tests use; what it is
  // asked to generate is kept next to them for `startFake`.
  async writeFleet(dir, plan) {
    const serials = path.join(dir, 'intune-serials.txt');
    await writeFile(serials, `${plan.trackedSerialKeys.join('\n')}\n`);
    const fleet: GeneratedFleet = {
      serials,
      size: plan.trackedSerialKeys.length + plan.strangers - plan.junk,
      junk: plan.junk,
      seed: plan.seed,
      now: plan.checkedInBefore.toISOString(),
    };
    const file = path.join(dir, 'intune-fleet.json');
    await writeFile(file, JSON.stringify(fleet));
    return {
      file,
      size: plan.trackedSerialKeys.length + plan.strangers,
      // Intune lists no changes alone, so the benchmark changes no device and needs no IDs.
      deviceIds: [],
    };
  },
  async startFake(written, publicUrl) {
    const fleet = JSON.parse(await readFile(written.file, 'utf8')) as GeneratedFleet;
    return startFakeProcess(
      'intune',
      [
        ...['--port', '0', '--domain', DOMAIN, '--serials', fleet.serials],
        ...['--size', String(fleet.size), '--junk', String(fleet.junk)],
        ...['--seed', String(fleet.seed), '--now', fleet.now],
        ...['--redirect-uri', `${publicUrl}/api/v1/mdm/providers/intune/oauth/callback`],
        ...(BUDGET ? ['--throttle', BUDGET] : []),
        // Nothing reads the request log here: a short one keeps the fake's own memory out of the figures.
        ...['--log', '5000'],
      ],
      {
        lastLine: 'MICROSOFT_CLIENT_SECRET',
        origin: (printed) => new URL(printed.MICROSOFT_LOGIN_URL!).origin,
        environment: (printed) => ({
          ...Object.fromEntries(Object.entries(printed).filter(([name]) => name.startsWith('MICROSOFT_'))),
          ...(BUDGET ? { MICROSOFT_GRAPH_REQUESTS_PER_20S: BUDGET } : {}),
        }),
      },
    );
  },
  activationSettings: () => ({ tenantId: DOMAIN }),
  async authorize(api, fake) {
    const { authorizationUrl } = await api('POST', '/api/v1/mdm/providers/intune/authorize');
    const { redirect } = await control(fake.origin, 'approve', { url: authorizationUrl });
    const callback = new URL(String(redirect));
    await api('GET', `${callback.pathname}${callback.search}`);
  },
  minimumCalls: (strategy, sizes) => plannerMinimum('intune', strategy, sizes),
  roundTrips: (strategy, sizes) =>
    strategy === 'batch_lookup'
      ? Math.ceil(sizes.tracked / LOOKUPS_PER_BATCH)
      : plannerMinimum('intune', strategy, sizes),
};
