import type { OAuth2Client } from 'google-auth-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGoogle, generateFleet, startFakeGoogle } from '../../fakes/google/index.ts';
import { authorize, directory, failure } from './google-helpers.ts';

const DOMAIN = 'district.example.org';
const LIST = '/admin/directory/v1/customer/my_customer/devices/chromeos';

interface Part {
  contentId?: string;
  request: string;
  headers?: Record<string, string>;
}

function batchBody(boundary: string, parts: Part[]): string {
  const encoded = parts.map((p) => {
    const partHeaders = `Content-Type: application/http\r\n${p.contentId ? `Content-ID: ${p.contentId}\r\n` : ''}`;
    const innerHeaders = Object.entries(p.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    return `--${boundary}\r\n${partHeaders}\r\n${p.request}\r\n${innerHeaders}\r\n`;
  });
  return `${encoded.join('')}--${boundary}--\r\n`;
}

/** An independent reader of Google's multipart/mixed batch response. */
function readBatch(contentType: string, body: string) {
  const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`no boundary in ${contentType}`);
  const parts = body.split(`--${boundary}`).slice(1);
  expect(parts.at(-1)?.startsWith('--')).toBe(true);
  return parts.slice(0, -1).map((raw) => {
    const [outerHead = '', ...rest] = raw.replace(/^\r\n/, '').split('\r\n\r\n');
    const http = rest.join('\r\n\r\n');
    const [innerHead = '', ...bodyParts] = http.split('\r\n\r\n');
    const [statusLine = '', ...headerLines] = innerHead.split('\r\n');
    const contentId = /Content-ID: (.*)/i.exec(outerHead)?.[1];
    const headers = Object.fromEntries(
      headerLines.map((l) => [l.split(':')[0]!.toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
    );
    const text = bodyParts.join('\r\n\r\n').replace(/\r\n$/, '');
    return {
      outerHead,
      contentId,
      statusLine,
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: JSON.parse(text) as Record<string, unknown>,
      length: Buffer.byteLength(text),
    };
  });
}

describe('fake Google: HTTP batch, quota and fault injection', () => {
  let fake: FakeGoogle;
  let client: OAuth2Client;
  let token: string;
  const devices = generateFleet({ size: 500, seed: 'batch', serials: ['5CD123ABCD', 'PF0ZZTOP'] });

  beforeAll(async () => {
    fake = await startFakeGoogle({ fleets: { [DOMAIN]: devices } });
    const authorized = await authorize(fake);
    client = authorized.client;
    token = authorized.tokens.access_token!;
  });
  afterEach(() => {
    fake.resetFaults();
    fake.quotaPerMinute = undefined;
    fake.setQuota({ status: 429, reason: 'rateLimitExceeded' });
  });
  afterAll(async () => {
    await fake.close();
  });

  const postBatch = (body: string, boundary: string, headers: Record<string, string> = {}) =>
    fetch(`${fake.url}/batch/admin/directory_v1`, {
      method: 'POST',
      headers: {
        'Content-Type': `multipart/mixed; boundary=${boundary}`,
        Authorization: `Bearer ${token}`,
        ...headers,
      },
      body,
    });

  it('answers a hand-written batch of three inner GETs with three parts in order', async () => {
    const mark = fake.mark();
    const boundary = 'batch_satchel_1';
    const body = batchBody(boundary, [
      {
        contentId: '<item1+1>',
        request: `GET ${LIST}?query=id%3A5CD123ABCD&fields=chromeosdevices(deviceId%2CserialNumber)`,
      },
      {
        contentId: '<item1+2>',
        request: `GET ${LIST}?query=id%3APF0ZZTOP&projection=BASIC HTTP/1.1`,
        headers: { Authorization: `Bearer ${token}` },
      },
      { contentId: '<item1+3>', request: `GET ${LIST}/no-such-device-id` },
    ]);
    const response = await postBatch(body, boundary);
    expect(response.status).toBe(200);
    const contentType = response.headers.get('content-type')!;
    expect(contentType).toMatch(/^multipart\/mixed; boundary=batch_/);
    const parts = readBatch(contentType, await response.text());
    expect(parts.map((p) => p.contentId)).toEqual([
      '<response-item1+1>',
      '<response-item1+2>',
      '<response-item1+3>',
    ]);
    expect(parts.every((p) => /^Content-Type: application\/http/i.test(p.outerHead))).toBe(true);
    expect(parts.map((p) => p.statusLine)).toEqual([
      'HTTP/1.1 200 OK',
      'HTTP/1.1 200 OK',
      'HTTP/1.1 404 Not Found',
    ]);
    expect(parts[0]!.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(Number(parts[0]!.headers['content-length'])).toBe(parts[0]!.length);
    expect(parts[0]!.body).toEqual({
      chromeosdevices: [
        {
          deviceId: devices.find((d) => d.serialNumber === '5CD123ABCD')!.deviceId,
          serialNumber: '5CD123ABCD',
        },
      ],
    });
    expect((parts[1]!.body.chromeosdevices as { serialNumber: string }[])[0]!.serialNumber).toBe('PF0ZZTOP');
    expect(parts[2]!.body).toMatchObject({ error: { code: 404, errors: [{ reason: 'notFound' }] } });

    const log = fake.requestsSince(mark);
    const outer = log.find((e) => e.kind === 'batch')!;
    expect(outer).toMatchObject({ status: 200, inner: false, quotaUnits: 1, body: { parts: 3 } });
    const inner = log.filter((e) => e.inner);
    expect(inner.map((e) => [e.contentId, e.status, e.batchSeq])).toEqual([
      ['<item1+1>', 200, outer.seq],
      ['<item1+2>', 200, outer.seq],
      ['<item1+3>', 404, outer.seq],
    ]);
    expect(inner.flatMap((e) => e.serials)).toEqual(['5CD123ABCD', 'PF0ZZTOP']);
    expect(inner[2]!.deviceId).toBe('no-such-device-id');
    expect(inner.every((e) => e.quotaUnits === 0 && e.subject === `admin@${DOMAIN}`)).toBe(true);
  });

  it('gives inner 401s when no part carries credentials', async () => {
    const boundary = 'b2';
    const response = await fetch(`${fake.url}/batch`, {
      method: 'POST',
      headers: { 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
      body: batchBody(boundary, [{ request: `GET ${LIST}?query=id%3A5CD123` }]),
    });
    expect(response.status).toBe(200);
    const [part] = readBatch(response.headers.get('content-type')!, await response.text());
    expect(part?.contentId).toBeUndefined();
    expect(part?.status).toBe(401);
    expect(part?.body).toMatchObject({ error: { errors: [{ reason: 'required' }] } });
  });

  it('rejects more than 1,000 parts with 400', async () => {
    const boundary = 'big';
    const parts = Array.from({ length: 1001 }, (_, i) => ({
      contentId: `<p+${i}>`,
      request: `GET ${LIST}?query=id%3AABC${i}`,
    }));
    const response = await postBatch(batchBody(boundary, parts), boundary);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 400, errors: [{ reason: 'badRequest' }] } });
    const ok = await postBatch(batchBody(boundary, parts.slice(0, 1000)), boundary);
    expect(ok.status).toBe(200);
  });

  it('counts a ChromeOS batch as one quota unit and answers 429 with Retry-After past the limit', async () => {
    fake.quotaPerMinute = 3;
    const boundary = 'q';
    const parts = Array.from({ length: 50 }, (_, i) => ({ request: `GET ${LIST}?query=id%3AQQQ${i}` }));
    expect((await postBatch(batchBody(boundary, parts), boundary)).status).toBe(200);
    const auth = { Authorization: `Bearer ${token}` };
    expect((await fetch(`${fake.url}${LIST}?maxResults=1`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${fake.url}${LIST}?maxResults=1`, { headers: auth })).status).toBe(200);
    const over = await fetch(`${fake.url}${LIST}?maxResults=1`, { headers: auth });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await over.json()).toMatchObject({
      error: { code: 429, errors: [{ reason: 'rateLimitExceeded' }], status: 'RESOURCE_EXHAUSTED' },
    });
    expect(fake.requests.at(-1)).toMatchObject({ status: 429, injected: 'quota', quotaUnits: 0 });
    // the window slides: a minute later there is room again
    fake.advanceTime(61_000);
    try {
      expect((await fetch(`${fake.url}${LIST}?maxResults=1`, { headers: auth })).status).toBe(200);
    } finally {
      fake.advanceTime(-61_000);
    }
  });

  it('can answer quota errors as 403 userRateLimitExceeded', async () => {
    fake.setQuota({ perMinute: 1, status: 403, reason: 'userRateLimitExceeded' });
    const api = directory(fake, client);
    await api.chromeosdevices.list({ customerId: 'my_customer', maxResults: 1 });
    const denied = await failure(
      api.chromeosdevices.list({ customerId: 'my_customer', maxResults: 1 }, { retry: false }),
    );
    expect(denied.status).toBe(403);
    expect(denied.data).toMatchObject({ error: { errors: [{ reason: 'userRateLimitExceeded' }] } });
  });

  it('injects 5xx backendError for the next calls; the official client retries through it', async () => {
    fake.failNext(1, 503);
    const raw = await fetch(`${fake.url}${LIST}?maxResults=1`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(raw.status).toBe(503);
    expect(await raw.json()).toMatchObject({
      error: { code: 503, errors: [{ reason: 'backendError' }], status: 'UNAVAILABLE' },
    });
    fake.failNext(1, 500);
    const mark = fake.mark();
    const res = await directory(fake, client).chromeosdevices.list({
      customerId: 'my_customer',
      maxResults: 2,
    });
    expect(res.data.chromeosdevices).toHaveLength(2);
    expect(fake.requestsSince(mark).map((r) => r.status)).toEqual([500, 200]);
  });

  it('fails single inner batch calls on request', async () => {
    fake.failNext(1, 503, undefined, { target: 'batch-item' });
    const boundary = 'f';
    const response = await postBatch(
      batchBody(boundary, [
        { request: `GET ${LIST}?query=id%3A5CD123` },
        { request: `GET ${LIST}?query=id%3APF0ZZ` },
      ]),
      boundary,
    );
    const parts = readBatch(response.headers.get('content-type')!, await response.text());
    expect(parts.map((p) => p.status)).toEqual([503, 200]);
  });

  it('serves malformed bodies for the next N calls', async () => {
    const auth = { Authorization: `Bearer ${token}` };
    fake.malformedNext(1, 'truncated');
    const truncated = await fetch(`${fake.url}${LIST}?maxResults=2`, { headers: auth });
    expect(truncated.status).toBe(200);
    const text = await truncated.text();
    expect(() => JSON.parse(text)).toThrow();
    fake.malformedNext(1, 'wrong-shape');
    const wrong = (await (
      await fetch(`${fake.url}${LIST}?maxResults=2`, { headers: auth })
    ).json()) as Record<string, unknown>;
    expect(Array.isArray(wrong.chromeosdevices)).toBe(false);
    const fine = (await (await fetch(`${fake.url}${LIST}?maxResults=2`, { headers: auth })).json()) as Record<
      string,
      unknown
    >;
    expect(Array.isArray(fine.chromeosdevices)).toBe(true);
    expect(fake.requests.slice(-3).map((r) => r.injected)).toEqual(['malformed', 'malformed', undefined]);
  });

  it('adds latency to every request', async () => {
    fake.latencyMs = 120;
    const started = performance.now();
    await fetch(`${fake.url}${LIST}?maxResults=1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('answers 401 Login Required without credentials and gzips when asked', async () => {
    const anonymous = await fetch(`${fake.url}${LIST}`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { errors: [{ reason: 'required', message: 'Login Required.' }] },
    });
    const { request } = await import('node:http');
    const encoding = await new Promise<string | undefined>((resolve, reject) => {
      request(
        `${fake.url}${LIST}?maxResults=50`,
        { headers: { Authorization: `Bearer ${token}`, 'Accept-Encoding': 'gzip' } },
        (res) => {
          res.resume();
          resolve(res.headers['content-encoding']);
        },
      )
        .on('error', reject)
        .end();
    });
    expect(encoding).toBe('gzip');
  });
});
