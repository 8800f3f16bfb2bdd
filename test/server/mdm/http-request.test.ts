import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inflateChunkSize, requestText } from '../../../src/server/mdm/http/request.ts';

/** A gzip member whose trailer claims `size` bytes inflated, whatever it really holds (zlib checks it). */
function withClaimedSize(gzipped: Buffer, size: number): Buffer {
  const copy = Buffer.from(gzipped);
  copy.writeUInt32LE(size >>> 0, copy.length - 4);
  return copy;
}

// About 1.5 MB of text, like a 1,000-lookup batch answer.
const TEXT = Array.from({ length: 12_000 }, (_, index) => `line ${index} ${'x'.repeat(index % 200)}`).join(
  '\n',
);
// Larger than the largest chunk: it inflates in several.
const LARGE = TEXT.repeat(6);
const bodies = new Map<string, Buffer>([
  ['/honest', gzipSync(TEXT, { level: 1 })],
  ['/large', gzipSync(LARGE, { level: 1 })],
  ['/small', gzipSync('{}')],
  ['/tampered', withClaimedSize(gzipSync(TEXT, { level: 1 }), 10)],
  ['/broken', Buffer.from('not gzip at all')],
]);

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    const body = bodies.get(request.url ?? '');
    response.writeHead(body ? 200 : 404, { 'content-encoding': 'gzip', 'content-type': 'text/plain' });
    response.end(body ?? '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  server.close();
});

const post = (path: string, maxBytes = 20 * 2 ** 20) =>
  requestText('POST', `${origin}${path}`, {}, 'request', { signal: AbortSignal.timeout(5_000), maxBytes });

describe('reading a gzipped answer whole', () => {
  it('inflates it in one chunk sized from its trailer, within bounds', () => {
    const honest = bodies.get('/honest') as Buffer;
    expect(inflateChunkSize(honest)).toBe(Buffer.byteLength(TEXT) + 1);
    // Small or large answers, and claims, are held to the bounds; too short to hold a trailer, the least chunk.
    expect(inflateChunkSize(bodies.get('/small') as Buffer)).toBe(64 * 1024);
    expect(inflateChunkSize(bodies.get('/large') as Buffer)).toBe(4 * 1024 * 1024);
    expect(inflateChunkSize(withClaimedSize(honest, 3_000_000_000))).toBe(4 * 1024 * 1024);
    expect(inflateChunkSize(Buffer.from('short'))).toBe(64 * 1024);
  });

  it('gets the text back, in one chunk or several', async () => {
    for (const [path, text] of [
      ['/honest', TEXT],
      ['/large', LARGE],
      ['/small', '{}'],
    ] as const) {
      const response = await post(path);
      expect(response.status).toBe(200);
      expect(response.text).toBe(text);
    }
  });

  it('refuses an answer that inflates past the limit, and one that is not gzip or lies about its size', async () => {
    await expect(post('/honest', 1_000_000)).rejects.toEqual({ type: 'max-size' });
    await expect(post('/large', 5_000_000)).rejects.toEqual({ type: 'max-size' });
    await expect(post('/tampered')).rejects.toThrow('The response is not valid gzip');
    await expect(post('/broken')).rejects.toThrow('The response is not valid gzip');
  });
});
