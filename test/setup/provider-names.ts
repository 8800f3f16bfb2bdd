import { isIP } from 'node:net';
import type { Resolve } from '../../src/server/mdm/http/provider-url.ts';

/**
 * A resolver over a table of names, so a test can point a name at any address without touching DNS. A name
 * with several answers gives the next one each time it is looked up (the last one repeats), which is how a
 * test plays DNS rebinding. Every lookup is counted.
 */
export function tableResolver(table: Record<string, string[][]>): Resolve & { lookups: string[] } {
  const lookups: string[] = [];
  const seen = new Map<string, number>();
  const resolve = async (hostname: string) => {
    lookups.push(hostname);
    const answers = table[hostname];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    const turn = seen.get(hostname) ?? 0;
    seen.set(hostname, turn + 1);
    const answer = answers[Math.min(turn, answers.length - 1)] ?? [];
    return answer.map((address) => ({ address, family: isIP(address) }));
  };
  return Object.assign(resolve, { lookups });
}
