import { defineJob } from '../jobs/queue.ts';
import { compactDeviceCounts } from './device-queries.ts';

/** Every ten minutes: folds the device totals' change rows, so reading a total stays a sum over a few rows. */
export const compactDeviceTotals = defineJob({
  name: 'inventory.compact-totals',
  policy: 'singleton',
  options: { retryLimit: 2, expireInSeconds: 300 },
  cron: '*/10 * * * *',
  async handle({ database, log }) {
    const folded = await compactDeviceCounts(database.db);
    if (folded > 0) log.info({ folded }, 'device totals compacted');
  },
});
