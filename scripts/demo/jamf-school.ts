import { generateFleet } from '../../fakes/jamf-school/fleet.ts';
import { startFakeJamfSchool } from '../../fakes/jamf-school/index.ts';
import type { DemoFake, DemoInventory } from './types.ts';

/** Jamf School manages the iPads of a few schools (half of them). */
export async function startJamfSchool(_publicUrl: string, inventory: DemoInventory): Promise<DemoFake> {
  const ipads = inventory.ipads.filter((_, index) => index % 2 === 0);
  const devices = generateFleet({
    size: ipads.length + 40,
    serials: ipads,
    junk: 10,
    trashed: 5,
    seed: 2026,
  });
  const fake = await startFakeJamfSchool({
    port: Number(process.env.FAKE_JAMF_SCHOOL_PORT ?? 4040),
    latencyMs: 40,
    devices,
  });
  return {
    environment: {},
    instructions: [
      `Jamf School: Activate with address ${fake.url} › Network ID ${fake.networkId}, API key ${fake.apiKey}`,
      `  (the fake Jamf School manages ${devices.length} devices)`,
    ],
    close: () => fake.close(),
  };
}
