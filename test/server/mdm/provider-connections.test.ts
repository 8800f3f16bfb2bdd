import { once } from 'node:events';
import { createServer, request as httpRequest, type RequestListener, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/server/errors.ts';
import { type ProviderAgents, providerAgents } from '../../../src/server/mdm/http/provider-agents.ts';
import { providerLookup } from '../../../src/server/mdm/http/provider-lookup.ts';
import { type AddressPolicy, checkProviderUrl } from '../../../src/server/mdm/http/provider-url.ts';
import { refuseRedirect } from '../../../src/server/mdm/http/redirects.ts';
import { tableResolver } from '../../setup/provider-names.ts';

/** A server on loopback that counts every connection made to it, answered or not. */
interface LoopbackServer {
  server: Server;
  port: number;
  connections: number;
}

async function loopbackServer(answer: RequestListener): Promise<LoopbackServer> {
  const server = createServer(answer);
  const counted: LoopbackServer = { server, port: 0, connections: 0 };
  server.on('connection', () => {
    counted.connections++;
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  counted.port = (server.address() as AddressInfo).port;
  return counted;
}

let site: LoopbackServer;
let internal: LoopbackServer;

beforeAll(async () => {
  internal = await loopbackServer((_request, response) => response.end('internal secrets'));
  site = await loopbackServer((request, response) => {
    if (request.url === '/moved') {
      response.writeHead(302, { location: `http://internal.example:${internal.port}/secrets` }).end();
    } else {
      response.end('hello from the provider');
    }
  });
});

afterAll(() => {
  for (const { server } of [site, internal]) {
    server.closeAllConnections();
    server.close();
  }
});

beforeEach(() => {
  site.connections = 0;
  internal.connections = 0;
});

const opened: ProviderAgents[] = [];
afterEach(() => {
  for (const agents of opened.splice(0)) {
    agents.http.destroy();
    agents.https.destroy();
  }
});

function agentsFor(policy: AddressPolicy): ProviderAgents {
  const agents = providerAgents(policy);
  opened.push(agents);
  return agents;
}

interface Answer {
  status: number;
  location: string | undefined;
  body: string;
}

function send(url: string, agents: ProviderAgents): Promise<Answer> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      target,
      { agent: secure ? agents.https : agents.http, signal: AbortSignal.timeout(5_000) },
      (response) => {
        response.setEncoding('utf8');
        let body = '';
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, location: response.headers.location, body }),
        );
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const names = () =>
  tableResolver({
    'internal.example': [['127.0.0.1']],
    // Public when the URL is saved, loopback when the connection is made.
    'rebind.example': [['1.1.1.1'], ['127.0.0.1']],
  });

describe('connecting to a provider', () => {
  it('refuses a name that resolves to loopback before opening any socket', async () => {
    const resolve = names();
    const refused = await send(`https://internal.example:${site.port}/`, agentsFor({ resolve })).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ProviderError);
    expect(refused).toMatchObject({
      reason: 'unavailable',
      message:
        'internal.example resolves to 127.0.0.1, a loopback address; Satchel only connects to public addresses',
    });
    expect(site.connections).toBe(0);
  });

  it('refuses it through the lookup alone, given as a plain request option', async () => {
    const lookup = providerLookup({ resolve: names() });
    const refused = await new Promise((resolve) => {
      const request = httpRequest({ host: 'internal.example', port: site.port, lookup }, resolve);
      request.on('error', resolve);
      request.end();
    });
    expect(refused).toBeInstanceOf(ProviderError);
    expect(site.connections).toBe(0);
  });

  it('refuses a host written as a loopback address, which Node connects to without a lookup', async () => {
    const agents = agentsFor({ resolve: names() });
    await expect(send(`https://127.0.0.1:${site.port}/`, agents)).rejects.toThrow(
      "The URL's host is 127.0.0.1, a loopback address",
    );
    await expect(send(`https://[::ffff:7f00:1]:${site.port}/`, agents)).rejects.toBeInstanceOf(ProviderError);
    await expect(send(`http://1.1.1.1:${site.port}/`, agents)).rejects.toThrow('The URL must use https');
    expect(site.connections).toBe(0);
  });

  it('with allowPrivate, connects to the address it looked up, once', async () => {
    const resolve = names();
    const agents = agentsFor({ allowPrivate: true, resolve });
    const answer = await send(`http://internal.example:${site.port}/`, agents);
    expect(answer).toMatchObject({ status: 200, body: 'hello from the provider' });
    expect(site.connections).toBe(1);
    expect(resolve.lookups).toEqual(['internal.example']);
    // The https agent connects too; the handshake then fails, for the server speaks plain HTTP.
    const handshake = await send(`https://internal.example:${site.port}/`, agents).catch(
      (error: unknown) => error,
    );
    expect(handshake).not.toBeInstanceOf(ProviderError);
    expect(site.connections).toBe(2);
  });

  it('cannot be sent to loopback by a name that pointed elsewhere when it was checked', async () => {
    const resolve = names();
    await expect(checkProviderUrl('https://rebind.example', { resolve })).resolves.toBeInstanceOf(URL);
    await expect(send(`https://rebind.example:${site.port}/`, agentsFor({ resolve }))).rejects.toThrow(
      'rebind.example resolves to 127.0.0.1, a loopback address',
    );
    // One lookup to save and one to connect: the address the connection checked is the one it would use.
    expect(resolve.lookups).toEqual(['rebind.example', 'rebind.example']);
    expect(site.connections).toBe(0);
  });

  it('does not follow a redirect to an internal address', async () => {
    const agents = agentsFor({ allowPrivate: true, resolve: names() });
    const answer = await send(`http://127.0.0.1:${site.port}/moved`, agents);
    expect(answer.status).toBe(302);
    expect(() => refuseRedirect(answer.status, answer.location)).toThrow(
      `The provider answered 302, a redirect to http://internal.example:${internal.port}/secrets; ` +
        'Satchel does not follow redirects, so check the provider URL',
    );
    expect(() => refuseRedirect(200, undefined)).not.toThrow();
    expect(internal.connections).toBe(0);
  });
});
