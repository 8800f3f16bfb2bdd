import { randomUUID } from 'node:crypto';
import type { ProviderKey } from '../../../common/mdm.ts';
import type { JobQueue } from '../../jobs/boss.ts';
import { defineJob } from '../../jobs/queue.ts';
import { decryptSecret, encryptSecret, type SecretPlace } from '../../secrets/envelope.ts';
import type { Keyring } from '../../secrets/keyring.ts';
import { providerByKey } from '../registry.ts';

interface RevokePayload {
  id: string;
  districtId: string;
  provider: ProviderKey;
  /** The authorization to revoke, envelope-encrypted: job payloads are stored in the database in the clear. */
  secret: string;
}

const place = (payload: Pick<RevokePayload, 'id' | 'districtId'>): SecretPlace => ({
  table: 'jobs',
  rowId: payload.id,
  districtId: payload.districtId,
  field: 'revoke',
});

/** OA-5: a revocation that failed at disconnect is retried hourly for a day; the local copy is already gone. */
export const retryRevocation = defineJob<RevokePayload>({
  name: 'mdm.revoke',
  policy: 'standard',
  options: { retryLimit: 24, retryDelay: 3600, retryBackoff: false, expireInSeconds: 120 },
  async handle({ config, log, keyring }, job) {
    const provider = providerByKey(job.data.provider);
    if (!provider.browserAuth) return;
    await provider.browserAuth.revoke(
      { config, log },
      decryptSecret(keyring, job.data.secret, place(job.data)),
    );
    log.info(
      { provider: job.data.provider, districtId: job.data.districtId },
      'revoked a disconnected authorization',
    );
  },
});

export async function queueRevocation(
  jobs: JobQueue,
  keyring: Keyring,
  target: { districtId: string; provider: ProviderKey; secret: string },
): Promise<void> {
  const id = randomUUID();
  const secret = encryptSecret(keyring, target.secret, place({ id, districtId: target.districtId }));
  await jobs.send(retryRevocation.name, {
    id,
    districtId: target.districtId,
    provider: target.provider,
    secret,
  });
}
