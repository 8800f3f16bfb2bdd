import { type ClassifiedFailure, retryAfterMs } from '../../http/retry.ts';
import { JamfSchoolRefusal, MAX_RESPONSE_BYTES } from './client.ts';

/** Failures of the connection itself that another attempt may not meet. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/** What a refusal means in the words of Jamf School's console. */
function classifyRefusal(refusal: JamfSchoolRefusal): ClassifiedFailure {
  const { status } = refusal;
  const retryAfter = retryAfterMs(refusal.retryAfter);
  if (status === 429)
    return { kind: 'rate_limited', message: 'Jamf School rate limit (429)', retryAfterMs: retryAfter };
  if (status === 401)
    return {
      kind: 'auth_revoked',
      message:
        'Jamf School no longer accepts the Network ID and API key (401): the key was deleted or the Network ID changed; enter them again',
    };
  // Jamf School answers 405, not 403, to a key without the right a request needs.
  if (status === 405)
    return {
      kind: 'auth_revoked',
      message:
        'The Jamf School API key no longer has read access to devices (405): give it that right in Organization › Settings › API, or enter a key that has it',
    };
  if (status >= 500)
    return { kind: 'transient', message: `Jamf School is unavailable (${status})`, retryAfterMs: retryAfter };
  if (status === 404)
    return {
      kind: 'fatal',
      message: `${refusal.message} for its device list: check the Jamf School address (such as https://district.jamfcloud.com)`,
    };
  return { kind: 'fatal', message: refusal.message };
}

/** Sorts a failed request to Jamf School into what the retry loop does with it. */
export function classifyJamfSchoolFailure(error: unknown): ClassifiedFailure {
  if (error instanceof JamfSchoolRefusal) return classifyRefusal(error);
  const shape = error as { code?: unknown; type?: unknown; message?: unknown };
  if (shape.type === 'max-size')
    return {
      kind: 'malformed',
      message: `Jamf School sent a response larger than ${MAX_RESPONSE_BYTES / 2 ** 20} MB; it was refused`,
    };
  if (error instanceof SyntaxError)
    return { kind: 'malformed', message: `Jamf School sent a broken response (${error.message})` };
  if (typeof shape.code === 'string' && TRANSIENT_CODES.has(shape.code))
    return { kind: 'transient', message: `Jamf School could not be reached (${shape.code})` };
  if (shape.code === 'ENOTFOUND')
    return { kind: 'fatal', message: 'The Jamf School address could not be looked up; check it' };
  return { kind: 'fatal', message: `The request to Jamf School failed (${String(shape.message ?? error)})` };
}
