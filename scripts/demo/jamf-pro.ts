import { DEFAULT_CLIENT, generateFleet, startFakeJamfPro } from '../../fakes/jamf-pro/index.ts';
import { type DemoFake, type DemoInventory, mostOf } from './types.ts';

/** Jamf Pro manages most of the Macs and iPads (two fleets: a serial's inventory decides Mac or iPad). */
export async function startJamfPro(_publicUrl: string, inventory: DemoInventory): Promise<DemoFake> {
  const macs = mostOf(inventory.macs);
  const ipads = mostOf(inventory.ipads);
  const computers = generateFleet({
    size: macs.length + 30,
    serials: macs,
    ipadShare: 0,
    junk: 10,
    seed: 2026,
  });
  const mobile = generateFleet({
    size: ipads.length + 60,
    serials: ipads,
    ipadShare: 1,
    junk: 10,
    seed: 2027,
  });
  const fake = await startFakeJamfPro({
    port: Number(process.env.FAKE_JAMF_PRO_PORT ?? 4030),
    latencyMs: 40,
    computers: computers.computers,
    mobileDevices: mobile.mobileDevices,
  });
  return {
    environment: {},
    instructions: [
      `Jamf Pro: Activate with URL ${fake.url} › client ID ${DEFAULT_CLIENT.clientId}, secret ${DEFAULT_CLIENT.clientSecret}`,
      `  (the fake Jamf Pro manages ${computers.computers.length} Macs and ${mobile.mobileDevices.length} iPads)`,
    ],
    close: () => fake.close(),
  };
}
