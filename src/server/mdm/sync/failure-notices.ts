import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { RequestContext } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { notifyAdmins } from '../../mail/notifications.ts';
import { providerByKey } from '../registry.ts';
import { latestOutcomes } from './runs.ts';

/** Failures in a row that are worth a mail: one failure is often a blip the next run recovers from. */
export const FAILURES_WORTH_A_MAIL = 3;

/**
 * After a failed run: administrators who asked are mailed when the provider needs authorizing again, or
 * when its sync has now failed three times in a row (once per streak, not at every later failure).
 */
export async function noticeFailedRun(
  ctx: RequestContext,
  deps: { db: Kysely<DB>; config: Config },
  failure: { provider: string; reauthorize: boolean; message: string },
): Promise<void> {
  const name = providerByKey(failure.provider).name;
  const settingsUrl = `${deps.config.publicUrl}/settings/mdm`;
  if (failure.reauthorize) {
    await notifyAdmins(ctx, deps, 'reauthorization', {
      subject: `${name} needs to be authorized again`,
      lines: [
        `${name} refused Satchel's authorization, so its syncs are paused: ${failure.message}`,
        `Authorize it again in MDM Settings: ${settingsUrl}`,
      ],
    });
    return;
  }
  const outcomes = await latestOutcomes(deps.db, ctx.districtId, failure.provider, FAILURES_WORTH_A_MAIL + 1);
  const streak = outcomes.findIndex((state) => state !== 'failed');
  if ((streak === -1 ? outcomes.length : streak) !== FAILURES_WORTH_A_MAIL) return;
  await notifyAdmins(ctx, deps, 'sync_failures', {
    subject: `${name} sync failed ${FAILURES_WORTH_A_MAIL} times in a row`,
    lines: [
      `The last ${FAILURES_WORTH_A_MAIL} syncs with ${name} failed. The latest said: ${failure.message}`,
      `See the sync history in MDM Settings: ${settingsUrl}`,
    ],
  });
}
