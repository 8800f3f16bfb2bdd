import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import {
  completeInteraction,
  createProvider,
  type FakeOidcAccount,
  type FakeOidcClient,
} from './provider.ts';
import { type IdTokenFault, newSigningKey, type SigningKey, spoilIdToken } from './tokens.ts';

export type FakeOidcKind = 'google' | 'microsoft';

export interface FakeOidc {
  kind: FakeOidcKind;
  /** Google: the issuer. Microsoft: the authority, under which each tenant is `{authority}/{tenant}/v2.0`. */
  url: string;
  addAccount(account: FakeOidcAccount): void;
  /** Who signs in when the request names nobody with `login_hint`. */
  signInAs(email: string | undefined): void;
  /** Spoils the next ID token the token endpoint hands out. */
  failNextToken(fault: IdTokenFault): void;
  close(): Promise<void>;
}

export interface FakeOidcOptions {
  kind: FakeOidcKind;
  port?: number;
  host?: string;
  clients: FakeOidcClient[];
  accounts?: FakeOidcAccount[];
}

/** Sub claims are stable per email, as a provider's are per account. */
function subOf(email: string): string {
  return Buffer.from(email.toLowerCase()).toString('hex').slice(0, 40);
}

/**
 * A fake Google (issuer at the root) or Microsoft Entra ID (one issuer per tenant, `/{tenant}/v2.0`) for
 * signing in with OpenID Connect, on loopback.
 */
export async function startFakeOidc(options: FakeOidcOptions): Promise<FakeOidc> {
  const host = options.host ?? '127.0.0.1';
  const accounts = new Map<string, FakeOidcAccount>();
  for (const account of options.accounts ?? []) accounts.set(subOf(account.email), account);
  const key: SigningKey = await newSigningKey(`${options.kind}-fake-key`);
  const providers = new Map<string, Provider>();
  let preset: string | undefined;
  let fault: IdTokenFault | undefined;
  let base = '';

  const providerFor = (mount: string): Provider => {
    let provider = providers.get(mount);
    if (!provider) {
      provider = createProvider({
        issuer: `${base}${mount}`,
        key,
        clients: options.clients,
        accounts,
        interactionPath: (uid) => `${mount}/interaction/${uid}`,
      });
      providers.set(mount, provider);
    }
    return provider;
  };

  const chooseAccount = (hint: string | undefined): string | undefined => {
    const wanted = hint ?? preset ?? [...accounts.values()][0]?.email;
    return wanted && accounts.has(subOf(wanted)) ? subOf(wanted) : undefined;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    // Microsoft: /{tenant}/v2.0/…; Google: everything at the root.
    const tenantMatch = options.kind === 'microsoft' ? /^\/([^/]+)\/v2\.0(?=\/|$)/.exec(path) : null;
    if (options.kind === 'microsoft' && !tenantMatch) {
      response.writeHead(404).end('Unknown tenant path');
      return;
    }
    const mount = tenantMatch?.[0] ?? '';
    const provider = providerFor(mount);
    const rest = path.slice(mount.length);
    if (request.method === 'GET' && rest.startsWith('/interaction/')) {
      await completeInteraction(provider, request, response, chooseAccount);
      return;
    }
    if (request.method === 'POST' && rest === '/token' && fault) {
      spoilTokenResponse(response, fault, key);
      fault = undefined;
    }
    const mutable = request as IncomingMessage & { originalUrl?: string };
    mutable.originalUrl = request.url;
    request.url = (request.url ?? '/').slice(mount.length) || '/';
    provider.callback()(request, response);
  }

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://${host}:${port}`;
  return {
    kind: options.kind,
    url: base,
    addAccount: (account) => accounts.set(subOf(account.email), account),
    signInAs: (email) => {
      preset = email;
    },
    failNextToken: (next) => {
      fault = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Rewrites the token response's ID token on its way out. */
function spoilTokenResponse(response: ServerResponse, fault: IdTokenFault, key: SigningKey): void {
  const end = response.end.bind(response) as (chunk?: unknown) => ServerResponse;
  response.end = ((chunk?: unknown) => {
    const body = typeof chunk === 'string' || Buffer.isBuffer(chunk) ? JSON.parse(String(chunk)) : undefined;
    if (!body?.id_token) return end(chunk);
    void spoilIdToken(body.id_token, fault, key).then((idToken) => {
      const text = JSON.stringify({ ...body, id_token: idToken });
      if (!response.headersSent) response.setHeader('content-length', Buffer.byteLength(text));
      end(text);
    });
    return response;
  }) as typeof response.end;
}
