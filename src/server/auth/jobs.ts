import { defineJob } from '../jobs/queue.ts';
import { deleteStaleSetupTokens } from './queries.ts';
import { purgeExpiredSessions } from './sessions.ts';

/** Hourly clean-up of sessions past their idle or absolute limit and of spent setup links. */
export const purgeExpiredCredentials = defineJob({
  name: 'auth.purge-expired',
  policy: 'singleton',
  options: { retryLimit: 2, expireInSeconds: 300 },
  cron: '17 * * * *',
  async handle({ database, log }) {
    const sessions = await purgeExpiredSessions(database.db);
    const setupTokens = await deleteStaleSetupTokens(database.db);
    log.info({ sessions, setupTokens }, 'purged expired credentials');
  },
});
