import {
  DEFAULT_APP,
  DEFAULT_DOMAIN,
  DEFAULT_TENANT,
  generateFleet,
  startFakeIntune,
} from '../../fakes/intune/index.ts';
import type { FakeManagedDevice } from '../../fakes/intune/types.ts';
import { type DemoFake, type DemoInventory, deliberateConflict, mostOf } from './types.ts';

/** Intune's records say what the inventory says (model, primary user) but for a handful of deliberate conflicts. */
function agreeWithInventory(fleet: FakeManagedDevice[], inventory: DemoInventory): FakeManagedDevice[] {
  let known = 0;
  return fleet.map((device) => {
    const facts = inventory.facts[(device.serialNumber ?? '').trim().toUpperCase()];
    if (!facts) return device;
    known++;
    const agreed = { ...device };
    if (facts.model && !deliberateConflict(known, 40)) agreed.model = facts.model;
    if (facts.user && !deliberateConflict(known, 30, 5)) {
      agreed.userPrincipalName = facts.user;
      agreed.emailAddress = facts.user;
    }
    return agreed;
  });
}

/**
 * Intune manages most of the Windows laptops, and some iPads the district also has in Jamf: those show the
 * provider that saw them last. Satchel's hosted app is the fake's multi-tenant app, so Authorize with
 * Microsoft works through admin consent; the app registration's secret works as pasted credentials too.
 */
export async function startIntune(publicUrl: string, inventory: DemoInventory): Promise<DemoFake> {
  const known = [
    ...mostOf(inventory.windowsLaptops),
    ...inventory.ipads.filter((_, index) => index % 4 === 0),
  ];
  const fake = await startFakeIntune({
    port: Number(process.env.FAKE_INTUNE_PORT ?? 4020),
    latencyMs: 40,
    withoutDefaults: true,
    tenants: [DEFAULT_TENANT],
    apps: [
      {
        ...DEFAULT_APP,
        tenant: DEFAULT_TENANT.id,
        redirectUris: [`${publicUrl}/api/v1/mdm/providers/intune/oauth/callback`],
      },
    ],
    fleets: {
      [DEFAULT_TENANT.id]: agreeWithInventory(
        generateFleet({
          size: known.length + 150,
          serials: known,
          junk: 40,
          duplicatesOf: known.slice(0, 5),
          seed: 2026,
        }),
        inventory,
      ),
    },
  });
  return {
    environment: {
      MICROSOFT_LOGIN_URL: fake.loginUrl,
      MICROSOFT_GRAPH_URL: fake.graphUrl,
      MICROSOFT_CLIENT_ID: DEFAULT_APP.clientId,
      MICROSOFT_CLIENT_SECRET: DEFAULT_APP.secret,
    },
    instructions: [
      `Microsoft Intune: Activate with tenant ${DEFAULT_DOMAIN} › Authorize with Microsoft › Accept`,
      `  (or the app registration: client ID ${DEFAULT_APP.clientId}, secret ${DEFAULT_APP.secret};`,
      `  the fake Entra ID and Graph at ${fake.loginUrl} manage ${known.length + 150} devices)`,
    ],
    close: () => fake.close(),
  };
}
