import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';

const gunzipAsync = promisify(gunzip);

/** Connections are kept open between a run's batches, as the HTTP client of the Google libraries does. */
const agents = {
  http: new HttpAgent({ keepAlive: true }),
  https: new HttpsAgent({ keepAlive: true }),
};

/**
 * The agents a request goes through. District-entered provider URLs use `providerAgents` (provider-agents.ts),
 * whose every connection is checked against private addresses; URLs from Satchel's own configuration the
 * plain ones.
 */
export interface RequestAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

export interface TextResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** What a body over the size limit throws, as the Google client's own limit does (`type: 'max-size'`). */
function oversized(): { type: 'max-size' } {
  return { type: 'max-size' };
}

/** zlib's least output chunk, and the largest this file asks for (a fifth of the usual 20 MB limit). */
const MIN_CHUNK = 64 * 1024;
const MAX_CHUNK = 4 * 1024 * 1024;

/**
 * How much output to inflate at a time. Node's default of 16 KB makes a 1.2 MB answer some 75 trips to the
 * thread pool and back (4.3 ms where one trip takes 1.0 ms, measured on a batch answer). A gzip member ends
 * with its inflated size (ISIZE, modulo 4 GiB), so the output fits one chunk. zlib checks that size once it
 * has inflated everything; until then a false one costs at most a buffer of the bound here.
 */
export function inflateChunkSize(gzipped: Buffer): number {
  const declared = gzipped.length >= 18 ? gzipped.readUInt32LE(gzipped.length - 4) : 0;
  return Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, declared + 1));
}

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/**
 * Sends a request (a GET, or a POST of `body`) and reads the whole answer as text. A gzipped answer is read as
 * it arrives (a few chunks) and inflated in one go on libuv's thread pool, rather than chunk by chunk through a
 * stream on this thread, which kept each large answer waiting on whatever else the process was doing. An
 * answer over `maxBytes`, sent or inflated, is refused as soon as that shows, and the rest of it is not read.
 */
export async function requestText(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  headers: Record<string, string>,
  body: string | null,
  options: { signal: AbortSignal; maxBytes: number; agents?: RequestAgents | undefined },
): Promise<TextResponse> {
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  const payload = body === null ? null : Buffer.from(body);
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      target,
      {
        method,
        agent: secure ? (options.agents ?? agents).https : (options.agents ?? agents).http,
        headers: {
          ...headers,
          'accept-encoding': 'gzip',
          ...(payload ? { 'content-length': String(payload.length) } : {}),
        },
        signal: options.signal,
      },
      resolve,
    );
    request.on('error', reject);
    if (payload) request.end(payload);
    else request.end();
  });
  const declared = Number(response.headers['content-length'] ?? 0);
  if (declared > options.maxBytes) {
    response.destroy();
    throw oversized();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > options.maxBytes) {
      response.destroy();
      throw oversized();
    }
    chunks.push(chunk as Buffer);
  }
  let raw = Buffer.concat(chunks);
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === 'gzip') {
    try {
      raw = await gunzipAsync(raw, { maxOutputLength: options.maxBytes, chunkSize: inflateChunkSize(raw) });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw oversized();
      throw new SyntaxError('The response is not valid gzip');
    }
  } else if (encoding && encoding !== 'identity') {
    throw new SyntaxError(`The response has an unexpected content encoding (${encoding})`);
  }
  return { status: response.statusCode ?? 0, headers: flatten(response.headers), text: raw.toString('utf8') };
}
