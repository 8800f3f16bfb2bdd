import { Invalid, ProviderError } from '../../../errors.ts';
import { withRetries } from '../../http/retry.ts';
import type { Authorization, ProviderDeps, ProviderSettings } from '../../provider.ts';
import type { DeviceList } from './answer.ts';
import { getDeviceList, JamfSchoolRefusal, type JamfSchoolSecret } from './client.ts';
import { classifyJamfSchoolFailure } from './failures.ts';
import { JamfSchoolCredentials, JamfSchoolSettings } from './settings.ts';

/**
 * The serial the connection test looks up: no device has it (Apple serials are letters and digits only), so
 * the test needs the devices right, like any lookup, yet reads no device's data.
 */
export const CONNECTION_TEST_SERIAL = 'SATCHEL-CONNECTION-TEST';

/** What each refusal of the test means, in the words of Jamf School's console. */
function refusedCredentials(refusal: JamfSchoolRefusal): Invalid | null {
  switch (refusal.status) {
    case 401:
      return new Invalid(
        'Jamf School refused the Network ID and API key (401): check the Network ID under Devices › Enroll Device(s) and the API key under Organization › Settings › API',
      );
    case 405:
      return new Invalid(
        'The API key lacks a right Satchel needs (405): it needs read access to devices. In Jamf School, edit the key under Organization › Settings › API and allow reading devices, or create a key that can',
      );
    case 404:
      return new Invalid(
        'Jamf School answered 404 for its device list: check the Jamf School address (the one you sign in at, such as https://district.jamfcloud.com)',
      );
    default:
      return null;
  }
}

/** Jamf School answered a lookup of a serial no device has with devices: it does not filter by serial. */
function checkFiltered(list: DeviceList): void {
  if (list.devices.length === 0) return;
  throw new ProviderError(
    'unavailable',
    `Jamf School answered a lookup of a serial number no device has with ${list.count} devices: it did not filter by serial number, so Satchel cannot look devices up one by one`,
  );
}

/**
 * One cheap call that needs the devices right: a lookup of CONNECTION_TEST_SERIAL. A wrong Network ID or key,
 * a key without the right and a wrong address are each refused with what to fix; a person waiting on the test
 * gets an answer after one retry of a busy or unavailable server, not after a sync's eight.
 */
export async function testConnection(
  deps: ProviderDeps,
  settings: ProviderSettings,
  secret: JamfSchoolSecret,
): Promise<void> {
  const { baseUrl } = JamfSchoolSettings.parse(settings);
  const signal = AbortSignal.timeout(60_000);
  const attempt = async (): Promise<JamfSchoolRefusal | DeviceList> => {
    try {
      return await getDeviceList(deps, {
        baseUrl,
        secret,
        params: { serialnumber: CONNECTION_TEST_SERIAL },
        signal,
      });
    } catch (error) {
      // A refusal that says what to fix is the answer, not a failure to retry.
      if (error instanceof JamfSchoolRefusal && refusedCredentials(error)) return error;
      throw error;
    }
  };
  let answer: JamfSchoolRefusal | DeviceList;
  try {
    ({ value: answer } = await withRetries(attempt, classifyJamfSchoolFailure, {
      signal,
      log: deps.log,
      maxRetries: 1,
    }));
  } catch (error) {
    if (error instanceof ProviderError)
      throw new ProviderError(error.reason, `The connection test failed: ${error.message}`, error.details);
    throw error;
  }
  if (answer instanceof JamfSchoolRefusal) throw refusedCredentials(answer) as Invalid;
  checkFiltered(answer);
}

/** Checks the pasted Network ID and API key at Jamf School and returns what to store. */
export async function acceptCredentials(
  deps: ProviderDeps,
  credentials: Record<string, unknown>,
  settings: ProviderSettings,
): Promise<Authorization> {
  const secret: JamfSchoolSecret = JamfSchoolCredentials.parse(credentials);
  await testConnection(deps, settings, secret);
  return {
    secret: JSON.stringify(secret),
    account: `Network ID ${secret.networkId}`,
    grantedScopes: ['devices:read'],
  };
}
