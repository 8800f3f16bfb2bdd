import type { FastifyBaseLogger } from 'fastify';
import type { Permission, Role } from '../common/permissions.ts';

/** Who is acting and for which district; the first argument of every service function. */
export interface RequestContext {
  districtId: string;
  userId: string | null;
  actorLabel: string;
  role: Role | null;
  permissions: ReadonlySet<Permission>;
  ip: string | null;
  log: FastifyBaseLogger;
}

/** Context for work done by the system itself (CLI, jobs) on behalf of a district. */
export function systemContext(
  districtId: string,
  log: FastifyBaseLogger,
  actorLabel = 'system',
): RequestContext {
  return { districtId, userId: null, actorLabel, role: null, permissions: new Set(), ip: null, log };
}
