import type { LightMyRequestResponse } from 'fastify';
import type { ImportJob } from '../../src/common/inventory.ts';
import type { Session } from './factories.ts';

/** Follows an import answered with 202 until it has finished; returns the finished import. */
export async function finishedImport(session: Session, accepted: LightMyRequestResponse): Promise<ImportJob> {
  if (accepted.statusCode !== 202)
    throw new Error(`expected 202, got ${accepted.statusCode} ${accepted.body}`);
  const { id } = accepted.json<ImportJob>();
  for (;;) {
    const job = (await session.inject({ method: 'GET', url: `/api/v1/imports/${id}` })).json<ImportJob>();
    if (job.state === 'succeeded' || job.state === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Posts a CSV file to the device import, as the web app and scripts do. */
export function importDevicesCsv(session: Session, csv: string | Buffer, query: string) {
  return session.inject({
    method: 'POST',
    url: `/api/v1/devices/import?${query}`,
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  });
}
