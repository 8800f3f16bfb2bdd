/**
 * `npm run fake -- google-oidc|microsoft-oidc [options]`: a fake OpenID provider for signing in to Satchel with
 * Google or Microsoft, on loopback; prints the environment that points Satchel at it.
 */
import { parseArgs } from 'node:util';
import type { FakeOidcAccount } from './provider.ts';
import { type FakeOidcKind, startFakeOidc } from './server.ts';

const OPTIONS = {
  port: { type: 'string', default: '0' },
  'public-url': { type: 'string', default: 'http://localhost:3000' },
  'client-id': { type: 'string', default: 'satchel-sign-in' },
  'client-secret': { type: 'string', default: 'fake-sign-in-secret' },
  account: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

const usage = (kind: FakeOidcKind) => `usage: npm run fake -- ${kind}-oidc [options]

  --port N                 port (default: a free one)
  --public-url URL         Satchel's PUBLIC_URL, for the redirect URI (default http://localhost:3000)
  --client-id ID --client-secret S
  --account EMAIL,NAME,${kind === 'google' ? 'HD' : 'TENANT_ID'}   an account that can sign in (repeatable)

The account signed in is the one the sign-in's login_hint names: no password page.`;

export function cliFor(kind: FakeOidcKind) {
  return {
    async runCli(argv: string[]): Promise<void> {
      const { values } = parseArgs({ args: argv, options: OPTIONS });
      if (values.help) {
        console.log(usage(kind));
        return;
      }
      const accounts: FakeOidcAccount[] = (values.account ?? []).map((spec) => {
        const [email = '', name = email, claim] = spec.split(',');
        return { email, name, ...(kind === 'google' ? { hd: claim } : { tid: claim }) };
      });
      const fake = await startFakeOidc({
        kind,
        port: Number(values.port),
        accounts,
        clients: [
          {
            clientId: values['client-id'],
            clientSecret: values['client-secret'],
            redirectUris: [`${values['public-url']}/api/v1/sign-in/${kind}/callback`],
          },
        ],
      });
      const prefix = kind === 'google' ? 'GOOGLE' : 'MICROSOFT';
      console.log(`Fake ${kind} sign-in on ${fake.url}. Point Satchel at it with:
  ${prefix}_OIDC_CLIENT_ID=${values['client-id']}
  ${prefix}_OIDC_CLIENT_SECRET=${values['client-secret']}
  ${kind === 'google' ? `GOOGLE_OIDC_ISSUER=${fake.url}` : `MICROSOFT_OIDC_AUTHORITY=${fake.url}`}`);
    },
  };
}
