import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT } from '../../../fakes/jamf-pro/index.ts';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';

/**
 * The Jamf Pro URL is the district's to enter, so it is an attack surface: with private provider URLs not allowed
 * (the default), only https to public addresses is saved, and a URL that later leads somewhere private is refused
 * when Satchel connects.
 */
const app = withTestApp();

async function admin(): Promise<{ session: Session; districtId: string }> {
  const district = await createDistrict(app().database);
  return { session: await signIn(app().app, district.admin), districtId: district.id };
}

function activate(session: Session, baseUrl: string) {
  return session.inject({
    method: 'POST',
    url: '/api/v1/mdm/providers/jamf_pro/activate',
    payload: { settings: { baseUrl } },
  });
}

describe('the Jamf Pro URL', () => {
  it.each([
    [
      'https://127.0.0.1',
      'address',
      /127\.0\.0\.1, a loopback address; Satchel only connects to public addresses/,
    ],
    ['https://localhost:8443/jamf', 'address', /localhost resolves to .*a loopback address/],
    ['https://10.20.0.5', 'address', /a private address/],
    ['https://[::ffff:169.254.169.254]', 'address', /a cloud metadata address/],
    ['http://district.jamfcloud.com', 'scheme', /must use https/],
    ['https://user:pw@district.jamfcloud.com', 'credentials', /must not contain a user name or password/],
    ['https://district.jamfcloud.com#x', 'fragment', /must not contain a #fragment/],
    ['https://district.jamfcloud.com/?x=1', 'query', /must not contain a \?query/],
    ['district.jamfcloud.com', 'url', /not valid; enter it whole/],
  ])('refuses %s with 400, naming the rule (%s)', async (baseUrl, rule, message) => {
    const { session } = await admin();
    const answer = await activate(session, baseUrl);
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error).toMatchObject({ message: expect.stringMatching(message), details: { rule } });
    const tile = (await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/jamf_pro' })).json();
    expect(tile).toMatchObject({ state: 'inactive', privateUrlsAllowed: false });
  });

  it('stores a public URL without its trailing slash, and refuses to change it to a private one', async () => {
    const { session } = await admin();
    const saved = await activate(session, 'https://1.1.1.1/jamf/');
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().settings.baseUrl).toBe('https://1.1.1.1/jamf');
    const changed = await session.inject({
      method: 'PATCH',
      url: '/api/v1/mdm/providers/jamf_pro/settings',
      payload: { settings: { baseUrl: 'https://192.168.1.10' } },
    });
    expect(changed.statusCode).toBe(400);
    expect(changed.json().error.details.rule).toBe('address');
    const tile = (await session.inject({ method: 'GET', url: '/api/v1/mdm/providers/jamf_pro' })).json();
    expect(tile.settings.baseUrl).toBe('https://1.1.1.1/jamf');
  });

  it('refuses, when it connects, a stored URL that leads to a private address', async () => {
    const { session, districtId } = await admin();
    expect((await activate(session, 'https://1.1.1.1')).statusCode).toBe(200);
    // As if the name now pointed at the inside of the network: the rule holds on every connection.
    await app()
      .database.db.updateTable('mdm_connections')
      .set({ settings: JSON.stringify({ baseUrl: 'https://127.0.0.1:9', authMethod: 'client_credentials' }) })
      .where('district_id', '=', districtId)
      .execute();
    const answer = await session.inject({
      method: 'POST',
      url: '/api/v1/mdm/providers/jamf_pro/credentials',
      payload: { clientId: DEFAULT_CLIENT.clientId, clientSecret: DEFAULT_CLIENT.clientSecret },
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error).toMatchObject({
      message: expect.stringMatching(
        /127\.0\.0\.1, a loopback address; Satchel only connects to public addresses/,
      ),
      details: { rule: 'address' },
    });
  });
});
