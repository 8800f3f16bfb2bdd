import { withRetries } from '../../http/retry.ts';
import type { ProviderDeps } from '../../provider.ts';
import { classifyJamfFailure, JamfRefusal, sendToJamf } from './answers.ts';
import type { ApiClient } from './api-client.ts';
import type { InventoryEndpoint } from './kinds.ts';
import { tokenFor } from './tokens.ts';

/** The inventory requests a page sent (each attempt, and each resend after a refused token) and its retries. */
export interface RequestTally {
  requests: number;
  retries: number;
}

export function newTally(): RequestTally {
  return { requests: 0, retries: 0 };
}

/**
 * One inventory request, through the retry loop in a turn of the limiter. A token the client already held
 * that Jamf Pro refuses (401) is replaced once, in the same turn; a refusal of a token issued for the request
 * means the client is refused. Returns the answer's text, read later.
 */
export async function getInventory(
  deps: ProviderDeps,
  client: ApiClient,
  request: { url: string; endpoint: InventoryEndpoint; signal: AbortSignal; maxRetries?: number },
  tally: RequestTally,
): Promise<string> {
  const { url, endpoint, signal } = request;
  const send = async (accessToken: string) => {
    tally.requests++;
    return sendToJamf(
      deps,
      { method: 'GET', url, headers: { authorization: `Bearer ${accessToken}` } },
      signal,
    );
  };
  const attempt = async (): Promise<string> => {
    const { token, fresh } = await tokenFor(deps, client, signal);
    let answer = await send(token.accessToken);
    if (answer.status === 401 && !fresh) {
      const renewed = await tokenFor(deps, client, signal, token.accessToken);
      tally.retries++;
      answer = await send(renewed.token.accessToken);
    }
    if (answer.status < 200 || answer.status >= 300) throw new JamfRefusal(answer, endpoint);
    return answer.text;
  };
  const { value, retries } = await withRetries(attempt, classifyJamfFailure, {
    signal,
    limiter: deps.limiter,
    log: deps.log,
    ...(request.maxRetries === undefined ? {} : { maxRetries: request.maxRetries }),
  });
  tally.retries += retries;
  return value;
}
