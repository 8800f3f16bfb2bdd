import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import type { FakeChromeDevice } from '../../fakes/google/index.ts';
import { control } from '../targets.ts';
import type { ProviderBench } from './adapter.ts';
import { collectFakeGarbage, fakeStats, startFakeProcess } from './fake-process.ts';
import { plannerMinimum } from './planner-minimum.ts';

const DOMAIN = 'bench.example.org';

/** One device a line inside a JSON document, as the fake's `--fleet` reads it: large fleets stream both ways. */
async function writeFleetFile(file: string, devices: FakeChromeDevice[]): Promise<void> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(`{"domain":${JSON.stringify(DOMAIN)},"size":${devices.length},"devices":[\n`);
  for (let index = 0; index < devices.length; index++)
    await write(`${JSON.stringify(devices[index])}${index < devices.length - 1 ? ',' : ''}\n`);
  await write(']}\n');
  out.end();
  await once(out, 'finish');
}

/** Google Admin: the fake Google's Directory API, authorized with OAuth on its consent screen. */
export const google: ProviderBench = {
  key: 'google',
  name: 'Google',
  async writeFleet(dir, plan) {
    // Loaded here only: the worker processes load this module too, and the fake's code is no part of a run.
    const { generateFleet } = await import('../../fakes/google/index.ts');
    const devices = generateFleet({
      size: plan.trackedSerialKeys.length + plan.strangers - plan.junk,
      serials: [...plan.trackedSerialKeys],
      junk: plan.junk,
      domain: DOMAIN,
      seed: plan.seed,
      now: plan.checkedInBefore,
    });
    const file = path.join(dir, 'google-fleet.json');
    await writeFleetFile(file, devices);
    return { file, size: devices.length, deviceIds: devices.map((device) => device.deviceId) };
  },
  startFake: (fleet, publicUrl) =>
    startFakeProcess(
      'google',
      [
        '--port',
        '0',
        '--fleet',
        fleet.file,
        '--redirect-uri',
        `${publicUrl}/api/v1/mdm/providers/google/oauth/callback`,
        // Nothing reads the request log here: a short one keeps the fake's own memory out of the figures.
        '--log',
        '5000',
      ],
      {
        lastLine: 'GOOGLE_CLIENT_SECRET',
        origin: (printed) => new URL(printed.GOOGLE_OAUTH_TOKEN_URL!).origin,
        environment: (printed) =>
          Object.fromEntries(Object.entries(printed).filter(([name]) => name.startsWith('GOOGLE_'))),
      },
    ),
  activationSettings: () => ({}),
  async authorize(api, fake) {
    const { authorizationUrl } = await api('POST', '/api/v1/mdm/providers/google/authorize');
    const { redirect } = await control(fake.origin, 'approve', {
      url: authorizationUrl,
      email: `admin@${DOMAIN}`,
    });
    const callback = new URL(String(redirect));
    await api('GET', `${callback.pathname}${callback.search}`);
  },
  async changeDevices(fakeOrigin, deviceIds, tag) {
    const lastSync = new Date().toISOString();
    await control(fakeOrigin, 'update-devices', {
      key: DOMAIN,
      updates: deviceIds.map((deviceId) => ({
        deviceId,
        patch: { lastSync, osVersion: `${tag}.${deviceId.length}.0` },
      })),
    });
  },
  minimumCalls: (strategy, sizes) => plannerMinimum('google', strategy, sizes),
  stats: fakeStats,
  collectGarbage: collectFakeGarbage,
};
