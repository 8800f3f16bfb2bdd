import { defineJob } from '../jobs/queue.ts';
import { deleteStaleAccountLinks } from './account-link-queries.ts';
import { deleteStaleSetupTokens } from './queries.ts';
import { purgeExpiredSessions } from './sessions.ts';

/** Hourly clean-up of sessions past their idle or absolute limit and of spent setup, invitation and reset links. */
export const purgeExpiredCredentials = defineJob({
  name: 'auth.purge-expired',
  policy: 'singleton',
  options: { retryLimit: 2, expireInSeconds: 300 },
  cron: '17 * * * *',
  async handle({ database, log }) {
    const sessions = await purgeExpiredSessions(database.db);
    const setupTokens = await deleteStaleSetupTokens(database.db);
    const accountLinks = await deleteStaleAccountLinks(database.db);
    log.info({ sessions, setupTokens, accountLinks }, 'purged expired credentials');
  },
});
