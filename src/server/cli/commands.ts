import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import { Email, NewPassword } from '../../common/auth.ts';
import { createToken } from '../auth/api-tokens.ts';
import type { Config } from '../config.ts';
import { systemContext } from '../context.ts';
import { type Database, migrateToLatest } from '../db/connect.ts';
import { countDistrictRows, type DistrictRowCounts, deleteDistrict } from '../districts/deletion.ts';
import { findDistrictByName } from '../districts/queries.ts';
import { createDistrictWithAdmin } from '../districts/service.ts';
import { Invalid, NotFound } from '../errors.ts';
import { generateDemoData } from '../inventory/demo-data.ts';
import { rotateSecretKey } from '../secrets/rotate.ts';
import { findUsersByEmail } from '../users/queries.ts';

/**
 * The CLI's database commands. They run in the CLI process, or inside a running server that holds the
 * embedded database (reached through its control socket), with the same arguments and output either way.
 */
export const CliCommand = z.discriminatedUnion('command', [
  z.object({ command: z.literal('migrate') }),
  z.object({
    command: z.literal('setup'),
    district: z.string().trim().min(1, '--district is required'),
    adminName: z.string().trim().min(1).optional(),
    adminEmail: Email,
    adminPassword: NewPassword,
  }),
  z.object({
    command: z.literal('demo-data'),
    district: z.string().trim().min(1, '--district is required'),
    devices: z.number().int().min(0).max(1_000_000),
    people: z.number().int().min(0).max(1_000_000),
    seed: z.number().int().optional(),
  }),
  z.object({ command: z.literal('rotate-key'), newKey: z.string().optional() }),
  z.object({
    command: z.literal('district-delete'),
    district: z.string().trim().min(1, '--district is required'),
    yes: z.boolean().optional(),
  }),
  z.object({
    command: z.literal('token-create'),
    email: Email,
    district: z.string().trim().min(1).optional(),
    name: z.string().trim().min(1, '--name is required').max(100),
    expiresInDays: z.number().int().min(1).max(3650).optional(),
  }),
]);
export type CliCommand = z.infer<typeof CliCommand>;

export async function runCliCommand(
  database: Database,
  command: CliCommand,
  log: FastifyBaseLogger,
  config?: Config,
): Promise<string> {
  switch (command.command) {
    case 'migrate': {
      const applied = await migrateToLatest(database.db);
      return applied.length ? `Applied migrations: ${applied.join(', ')}` : 'The database is up to date.';
    }
    case 'setup': {
      const { districtId, admin } = await createDistrictWithAdmin(
        database.db,
        {
          districtName: command.district,
          adminName: command.adminName ?? command.adminEmail,
          adminEmail: command.adminEmail,
          adminPassword: command.adminPassword,
        },
        { label: 'cli', ip: null, log },
      );
      return `Created district "${command.district}" (${districtId}) with administrator ${admin.email}.`;
    }
    case 'demo-data': {
      const lines: string[] = [];
      let district = await findDistrictByName(database.db, command.district);
      if (!district) {
        const slug =
          command.district
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '') || 'district';
        const password = randomBytes(12).toString('base64url');
        const { districtId, admin } = await createDistrictWithAdmin(
          database.db,
          {
            districtName: command.district,
            adminName: 'Demo Administrator',
            adminEmail: `admin@${slug}.example.org`,
            adminPassword: password,
          },
          { label: 'cli', ip: null, log },
        );
        district = { id: districtId, name: command.district };
        lines.push(
          `Created district "${command.district}"; sign in as ${admin.email} with password ${password}`,
        );
      }
      const summary = await generateDemoData(database.db, district.id, command);
      lines.push(
        `Added ${summary.devices} devices (${summary.assigned} checked out) and ${summary.people} people across ${summary.schools} schools to "${district.name}".`,
      );
      return lines.join('\n');
    }
    case 'rotate-key': {
      // A running server keeps its keys in memory; rotating under it would leave it writing with the old key.
      if (!config)
        throw new Invalid('Stop Satchel before rotating the secret key, then run rotate-key again');
      return rotateSecretKey(database.db, config, { newKey: command.newKey });
    }
    case 'district-delete':
      return districtDeletion(database, command);
    case 'token-create': {
      const accounts = await findUsersByEmail(database.db, command.email);
      const matching = command.district
        ? accounts.filter((account) => account.district_name === command.district)
        : accounts;
      if (matching.length > 1) {
        const names = matching.map((account) => `"${account.district_name}"`).join(', ');
        throw new Invalid(`${command.email} has accounts in ${names}: name one with --district`);
      }
      const user = matching[0];
      if (!user) throw new NotFound(`User ${command.email}`);
      if (user.disabled_at) throw new Invalid(`User ${command.email} is disabled`);
      const ctx = { ...systemContext(user.district_id, log, 'cli'), userId: user.id };
      const created = await createToken(ctx, database.db, {
        name: command.name,
        expiresInDays: command.expiresInDays ?? null,
      });
      return created.secret;
    }
  }
}

function describeCounts(counts: DistrictRowCounts): string {
  return Object.entries(counts)
    .map(([table, count]) => `${table} ${count}`)
    .join(', ');
}

/** At the end of a contract: without --yes it only shows what would go. */
async function districtDeletion(
  database: Database,
  command: { district: string; yes?: boolean | undefined },
): Promise<string> {
  const district = await findDistrictByName(database.db, command.district);
  if (!district) throw new NotFound(`District "${command.district}"`);
  const held = await countDistrictRows(database.db, district.id);
  if (!command.yes) {
    throw new Invalid(
      `This would delete district "${district.name}" (${district.id}) and everything it holds: ${describeCounts(held)}. Run again with --yes to delete it.`,
    );
  }
  const remaining = await deleteDistrict(database.db, district.id);
  const left = Object.values(remaining).reduce((sum, count) => sum + count, 0);
  return [
    `Deleted district "${district.name}" (${district.id}): ${describeCounts(held)}.`,
    `Rows remaining for it: ${left} (${describeCounts(remaining)}).`,
  ].join('\n');
}
