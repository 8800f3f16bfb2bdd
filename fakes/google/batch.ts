/**
 * Google HTTP batch (`POST /batch`): a `multipart/mixed` body whose parts are `Content-Type:
 * application/http` (optionally with `Content-ID`) holding one inner HTTP request each. The answer is
 * `multipart/mixed` with one `application/http` part per request, in order, carrying the inner status
 * line, headers and body; a part's `Content-ID` is the request's with `response-` put in front
 * (`<abc+1>` → `<response-abc+1>`).
 */

export const MAX_BATCH_PARTS = 1000;

export interface InnerRequest {
  contentId?: string;
  method: string;
  /** Path plus query, origin removed if the request line held an absolute URL. */
  target: string;
  headers: Map<string, string>;
  body: string;
}

export interface InnerResponse {
  contentId?: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export class BatchFormatError extends Error {}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed\b/i.test(contentType.trim())) return undefined;
  const m = /boundary=(?:"([^"]+)"|([^;,\s]+))/i.exec(contentType);
  return m?.[1] ?? m?.[2];
}

function splitHead(text: string): { head: string; rest: string } {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { head: text.slice(0, crlf), rest: text.slice(crlf + 4) };
  if (lf >= 0) return { head: text.slice(0, lf), rest: text.slice(lf + 2) };
  return { head: text, rest: '' };
}

function parseHeaders(lines: string[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** Splits the body into parts. Throws BatchFormatError when the body is not a batch at all. */
export function splitParts(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const chunks = body.split(delimiter);
  const parts: string[] = [];
  // chunks[0] is the preamble; a chunk starting with "--" follows the close delimiter.
  for (let i = 1; i < chunks.length; i++) {
    const chunk = chunks[i]!;
    if (chunk.startsWith('--')) break;
    parts.push(chunk.replace(/^[ \t]*\r?\n/, '').replace(/\r?\n$/, ''));
  }
  return parts;
}

export function parsePart(part: string): InnerRequest {
  const { head, rest } = splitHead(part);
  const partHeaders = parseHeaders(head.split(/\r?\n/));
  const contentType = partHeaders.get('content-type') ?? '';
  if (!/^application\/http\b/i.test(contentType)) {
    throw new BatchFormatError(`Invalid content type for batch part: ${contentType || '(none)'}`);
  }
  const inner = rest.replace(/^(\r?\n)+/, '');
  const { head: innerHead, rest: innerBody } = splitHead(inner);
  const lines = innerHead.split(/\r?\n/);
  const requestLine = lines.shift() ?? '';
  const m = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?\s*$/.exec(requestLine.trim());
  if (!m) throw new BatchFormatError(`Invalid request line in batch part: ${requestLine}`);
  let target = m[2]!;
  if (/^https?:\/\//i.test(target)) {
    const url = new URL(target);
    target = url.pathname + url.search;
  }
  const request: InnerRequest = {
    method: m[1]!,
    target,
    headers: parseHeaders(lines),
    body: innerBody.replace(/\r?\n$/, ''),
  };
  const contentId = partHeaders.get('content-id');
  if (contentId !== undefined) request.contentId = contentId;
  return request;
}

export function responseContentId(contentId: string): string {
  const inner = contentId.startsWith('<') && contentId.endsWith('>') ? contentId.slice(1, -1) : contentId;
  return `<response-${inner}>`;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Unknown';
}

export function formatBatchResponse(responses: InnerResponse[], boundary: string): string {
  let out = '';
  for (const response of responses) {
    out += `--${boundary}\r\nContent-Type: application/http\r\n`;
    if (response.contentId !== undefined) out += `Content-ID: ${responseContentId(response.contentId)}\r\n`;
    out += `\r\nHTTP/1.1 ${response.status} ${reasonPhrase(response.status)}\r\n`;
    for (const [name, value] of Object.entries(response.headers)) out += `${name}: ${value}\r\n`;
    out += `Content-Length: ${Buffer.byteLength(response.body)}\r\n\r\n${response.body}\r\n`;
  }
  return `${out}--${boundary}--\r\n`;
}
