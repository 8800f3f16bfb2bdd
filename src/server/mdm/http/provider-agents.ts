import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { ProviderError } from '../../errors.ts';
import { type AddressPolicy, literalAddress, refuseLiteral } from './address-policy.ts';
import { providerLookup } from './provider-lookup.ts';
import { schemeRefusal } from './provider-url.ts';

export interface ProviderAgents {
  http: HttpAgent;
  https: HttpsAgent;
}

/** Why a connection may not be opened before any lookup: its scheme, or a host written as a refused IP. */
function connectionRefusal(
  protocol: 'http:' | 'https:',
  host: string | null | undefined,
  policy: AddressPolicy,
): ProviderError | null {
  const scheme = schemeRefusal(protocol, policy);
  if (scheme) return new ProviderError('unavailable', scheme, { rule: 'scheme' });
  const literal = literalAddress(host ?? '');
  const refused = literal ? refuseLiteral(literal, policy) : null;
  return refused ? new ProviderError('unavailable', refused.message, refused.details) : null;
}

/**
 * Node connects to a host written as an IP address without calling `lookup`, so the agent checks such hosts
 * itself each time it opens a connection; names go through providerLookup as the agent's own `lookup`.
 */
function guard<Agent extends HttpAgent>(
  agent: Agent,
  protocol: 'http:' | 'https:',
  policy: AddressPolicy,
): Agent {
  const base: HttpAgent = agent;
  const open = base.createConnection.bind(agent);
  base.createConnection = (options, created) => {
    const refused = connectionRefusal(protocol, options.host, policy);
    if (!refused) return open(options, created);
    created?.(refused, undefined as never);
    return undefined;
  };
  return agent;
}

/**
 * The agents every request to a provider goes through (see provider-url.ts): each connection they open is
 * checked, by scheme, by the address written in the URL, or by every address its name resolves to then.
 * Connections are kept open between requests, as a run sends many to one provider.
 */
export function providerAgents(policy: AddressPolicy = {}): ProviderAgents {
  const lookup = providerLookup(policy);
  return {
    http: guard(new HttpAgent({ keepAlive: true, lookup }), 'http:', policy),
    https: guard(new HttpsAgent({ keepAlive: true, lookup }), 'https:', policy),
  };
}

const installationAgents = new Map<boolean, ProviderAgents>();

/**
 * The agents for district-entered provider URLs on this installation (`allowPrivate` is its
 * SATCHEL_ALLOW_PRIVATE_PROVIDER_URLS), made once per policy so connections are kept between requests.
 */
export function districtUrlAgents(allowPrivate: boolean): ProviderAgents {
  let agents = installationAgents.get(allowPrivate);
  if (!agents) {
    agents = providerAgents({ allowPrivate });
    installationAgents.set(allowPrivate, agents);
  }
  return agents;
}
