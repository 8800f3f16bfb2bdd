import { purgeExpiredCredentials } from '../auth/jobs.ts';
import { compactDeviceTotals } from '../inventory/index.ts';
import { retryRevocation } from '../mdm/connections/jobs.ts';
import { forgetUsageHistory, purgeRemovedData } from '../mdm/records/usage-history.ts';
import { scheduleDueSyncs, syncJob } from '../mdm/sync/job.ts';
import type { JobDefinition } from './queue.ts';

/** Every background job Satchel runs; a feature adds its jobs here. */
export const jobDefinitions: readonly JobDefinition<object>[] = [
  purgeExpiredCredentials,
  compactDeviceTotals,
  retryRevocation,
  syncJob,
  scheduleDueSyncs,
  forgetUsageHistory,
  purgeRemovedData,
];
