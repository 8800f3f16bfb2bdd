import { z } from 'zod';
import { districtUrlAgents } from '../../http/provider-agents.ts';
import { refuseRedirect } from '../../http/redirects.ts';
import { requestText, type TextResponse } from '../../http/request.ts';
import type { ProviderDeps } from '../../provider.ts';
import { type DeviceList, parseDeviceList } from './answer.ts';

/** The API version Satchel speaks; without the header Jamf School may answer 404 as for an unknown path. */
export const PROTOCOL_VERSION = '3';
/**
 * Requests in flight per Jamf School instance. Jamf School publishes no limits; five is what Jamf asks of
 * clients of its other APIs.
 */
export const CONCURRENT_REQUESTS = 5;
/** A response larger than this is refused while it streams in, before it can exhaust memory. */
export const MAX_RESPONSE_BYTES = 20 * 2 ** 20;

/** What the stored, encrypted secret holds: the HTTP Basic user name and password. */
const StoredSecret = z.object({ networkId: z.string().min(1), apiKey: z.string().min(1) });
export type JamfSchoolSecret = z.infer<typeof StoredSecret>;

export function parseStoredSecret(secret: string): JamfSchoolSecret {
  return StoredSecret.parse(JSON.parse(secret));
}

/** An answer other than 2xx, kept whole for the retry loop to classify. */
export class JamfSchoolRefusal extends Error {
  readonly status: number;
  readonly retryAfter: string | undefined;

  constructor(answer: TextResponse) {
    super(`Jamf School answered ${answer.status}${reasonOf(answer.text)}`);
    this.status = answer.status;
    this.retryAfter = answer.headers['retry-after'];
  }
}

/**
 * The message of a Jamf School error body, as " (message)": `{"code":404,"message":"DeviceNotFound"}`, or
 * `{"error":{"code":405,"message":"…"}}` for a key without a right. Empty for a body of another shape.
 */
function reasonOf(body: string): string {
  let json: { message?: unknown; error?: { message?: unknown } } | null;
  try {
    json = JSON.parse(body);
  } catch {
    return '';
  }
  const message = json?.error?.message ?? json?.message;
  return typeof message === 'string' && message.trim() !== '' ? ` (${message.trim().slice(0, 200)})` : '';
}

/**
 * The device list's address under a base URL. The base URL's own path is kept (`new URL('api/devices', base/)`,
 * not `new URL('/api/devices', base)`): Satchel never asks anywhere but under the address the district saved.
 */
export function devicesUrl(baseUrl: string, params: Record<string, string>): string {
  const url = new URL('api/devices', `${baseUrl}/`);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function headersFor(secret: JamfSchoolSecret): Record<string, string> {
  const basic = Buffer.from(`${secret.networkId}:${secret.apiKey}`, 'utf8').toString('base64');
  return {
    authorization: `Basic ${basic}`,
    'x-server-protocol-version': PROTOCOL_VERSION,
    accept: 'application/json',
  };
}

/**
 * One `GET /api/devices` with the given filters and paging parameters. Every connection it opens is checked
 * against private addresses (the base URL is the district's), a redirect is refused rather than followed, and an
 * answer other than 2xx is thrown as a JamfSchoolRefusal.
 */
export async function getDeviceList(
  deps: ProviderDeps,
  request: { baseUrl: string; secret: JamfSchoolSecret; params: Record<string, string>; signal: AbortSignal },
): Promise<DeviceList> {
  const answer = await requestText(
    'GET',
    devicesUrl(request.baseUrl, request.params),
    headersFor(request.secret),
    null,
    {
      signal: request.signal,
      maxBytes: MAX_RESPONSE_BYTES,
      agents: districtUrlAgents(deps.config.allowPrivateProviderUrls),
    },
  );
  refuseRedirect(answer.status, answer.headers.location);
  if (answer.status < 200 || answer.status >= 300) throw new JamfSchoolRefusal(answer);
  return parseDeviceList(answer.text);
}
