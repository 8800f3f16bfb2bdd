import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeIntune,
  generateFleetDetailed,
  MAX_BATCH_REQUESTS,
  startFakeIntune,
} from '../../fakes/intune/index.ts';
import { accessToken, type DevicePage, graph, type ODataError } from './intune-helpers.ts';

const SERIALS = ['PF0BATCH1', '5CD9876ABC', 'J4K8M2P', 'C02BATCH0001'];
const { devices: FLEET, manifest } = generateFleetDetailed({ size: 300, seed: 'batch', serials: SERIALS });

interface BatchResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: DevicePage & ODataError & Record<string, unknown>;
}

const serialLookup = (id: string, serial: string) => ({
  id,
  method: 'GET',
  url: `/deviceManagement/managedDevices?$filter=serialNumber eq '${serial}'&$select=id,serialNumber`,
});

describe('fake Intune: JSON $batch', () => {
  let fake: FakeIntune;
  let token: string;

  beforeAll(async () => {
    fake = await startFakeIntune({ fleets: { 'district.example.org': FLEET } });
    token = await accessToken(fake);
  });
  afterEach(() => {
    fake.resetFaults();
    fake.setThrottle({ perAppLimit: 2000, perTenantLimit: 4000, retryAfter: true });
    fake.batchOrder = 'shuffled';
  });
  afterAll(async () => {
    await fake.close();
  });

  const batch = (requests: unknown[], bearer = token) =>
    graph<{ responses: BatchResponse[] }>(fake, bearer, '/v1.0/$batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requests }),
    });
  const byId = (responses: BatchResponse[]) => new Map(responses.map((r) => [r.id, r]));

  it('answers each inner request under its id, and logs every one as an inner request', async () => {
    const mark = fake.mark();
    const answer = await batch([
      serialLookup('a', 'PF0BATCH1'),
      serialLookup('b', 'j4k8m2p'),
      { id: 'c', method: 'GET', url: 'deviceManagement/managedDevices/00000000-0000-4000-8000-000000000000' },
    ]);
    expect(answer.status).toBe(200);
    const responses = byId(answer.json.responses);
    expect([...responses.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(responses.get('a')).toMatchObject({
      status: 200,
      headers: { 'Content-Type': expect.stringMatching(/^application\/json;odata\.metadata=minimal/) },
      body: { value: [{ id: manifest.bySerial.PF0BATCH1, serialNumber: 'PF0BATCH1' }] },
    });
    expect(responses.get('b')!.body.value).toEqual([
      { id: manifest.bySerial.J4K8M2P, serialNumber: 'J4K8M2P' },
    ]);
    expect(responses.get('c')).toMatchObject({ status: 404, body: { error: { code: 'ResourceNotFound' } } });

    const [outer, ...inner] = fake.requestsSince(mark);
    expect(outer).toMatchObject({
      kind: 'batch',
      operation: 'batch',
      path: '/v1.0/$batch',
      status: 200,
      inner: false,
    });
    expect(
      inner.map((e) => [e.batchRequestId, e.operation, e.status, e.inner, e.batchSeq, e.listing, e.serials]),
    ).toEqual([
      ['a', 'managedDevices.list', 200, true, outer!.seq, false, ['PF0BATCH1']],
      ['b', 'managedDevices.list', 200, true, outer!.seq, false, ['j4k8m2p']],
      ['c', 'managedDevices.get', 404, true, outer!.seq, false, []],
    ]);
  });

  it('may answer in another order than asked, so clients must match by id', async () => {
    fake.batchOrder = 'reversed';
    const answer = await batch(SERIALS.map((serial, i) => serialLookup(String(i), serial)));
    expect(answer.json.responses.map((r) => r.id)).toEqual(['3', '2', '1', '0']);
    for (const response of answer.json.responses)
      expect(response.body.value[0]!.serialNumber).toBe(SERIALS[Number(response.id)]);
  });

  it(`takes at most ${MAX_BATCH_REQUESTS} requests`, async () => {
    const full = await batch(Array.from({ length: 20 }, (_, i) => serialLookup(String(i), 'PF0BATCH1')));
    expect(full.json.responses).toHaveLength(20);
    const over = await graph<ODataError>(fake, token, '/v1.0/$batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        requests: Array.from({ length: 21 }, (_, i) => serialLookup(String(i), 'PF0BATCH1')),
      }),
    });
    expect(over.status).toBe(400);
    expect(over.json.error.code).toBe('BadRequest');
  });

  it.each([
    ['not JSON', 'requests: ['],
    ['no requests', JSON.stringify({ requests: [] })],
    ['a request without url', JSON.stringify({ requests: [{ id: '1', method: 'GET' }] })],
    ['duplicate ids', JSON.stringify({ requests: [serialLookup('x', 'A'), serialLookup('X', 'B')] })],
    [
      'an unknown dependency',
      JSON.stringify({ requests: [{ ...serialLookup('1', 'A'), dependsOn: ['9'] }] }),
    ],
  ])('refuses a batch with %s', async (_name, body) => {
    const refused = await graph<ODataError>(fake, token, '/v1.0/$batch', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error.code).toBe('BadRequest');
  });

  it('needs a valid token for the whole batch', async () => {
    const refused = await batch([serialLookup('1', 'PF0BATCH1')], '');
    expect(refused.status).toBe(401);
    expect((refused.json as unknown as ODataError).error.code).toBe('InvalidAuthenticationToken');
  });

  it('fails a request whose dependency failed with 424', async () => {
    fake.batchOrder = 'request';
    const answer = await batch([
      { id: '1', method: 'GET', url: '/deviceManagement/managedDevices/missing' },
      { ...serialLookup('2', 'PF0BATCH1'), dependsOn: ['1'] },
    ]);
    expect(answer.json.responses.map((r) => [r.id, r.status])).toEqual([
      ['1', 404],
      ['2', 424],
    ]);
  });

  it('counts each inner request against throttling, refusing some alone with Retry-After in their headers', async () => {
    fake.setThrottle({ perAppLimit: 3 });
    const mark = fake.mark();
    const answer = await batch(
      SERIALS.concat('PF0BATCH1').map((serial, i) => serialLookup(String(i), serial)),
    );
    expect(answer.status).toBe(200);
    const statuses = answer.json.responses.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    for (const throttled of answer.json.responses.filter((r) => r.status === 429)) {
      expect(throttled.headers['Retry-After']).toMatch(/^\d+$/);
      expect(throttled.body.error.code).toBe('TooManyRequests');
    }
    expect(fake.requestsSince(mark).filter((e) => e.inner && e.injected === 'quota')).toHaveLength(2);
  });

  it('leaves Retry-After out of throttled inner responses when set so', async () => {
    fake.setThrottle({ perAppLimit: 1, retryAfter: false });
    const answer = await batch([serialLookup('1', 'PF0BATCH1'), serialLookup('2', 'PF0BATCH1')]);
    const throttled = answer.json.responses.find((r) => r.status === 429)!;
    expect(throttled.headers).not.toHaveProperty('Retry-After');
  });

  it('injects failures and broken bodies into single inner requests', async () => {
    fake.batchOrder = 'request';
    fake.failNext(1, 429, { target: 'batch-item', retryAfter: 9 });
    fake.malformedNext(1, 'wrong-shape', { target: 'batch-item' });
    const answer = await batch([
      serialLookup('1', 'PF0BATCH1'),
      serialLookup('2', 'PF0BATCH1'),
      serialLookup('3', 'PF0BATCH1'),
    ]);
    const [first, second, third] = answer.json.responses;
    expect(first).toMatchObject({ status: 429, headers: { 'Retry-After': '9' } });
    expect(second!.status).toBe(200);
    expect(Array.isArray(second!.body.value)).toBe(false);
    expect(third!.body.value).toHaveLength(1);
  });

  it('refuses an absolute inner URL', async () => {
    const answer = await batch([
      { id: '1', method: 'GET', url: `${fake.graphUrl}/v1.0/deviceManagement/managedDevices` },
    ]);
    expect(answer.json.responses[0]).toMatchObject({ status: 400, body: { error: { code: 'BadRequest' } } });
  });
});
