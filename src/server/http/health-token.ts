import { safeEqual } from '../auth/crypto.ts';
import type { Config } from '../config.ts';

/** True when an Authorization header carries the installation's health token (SATCHEL_HEALTH_TOKEN). */
export function presentsHealthToken(authorization: string | undefined, config: Config): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return (
    config.healthToken !== undefined && presented !== undefined && safeEqual(presented, config.healthToken)
  );
}
