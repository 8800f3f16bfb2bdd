import { Command, InvalidArgumentError, Option } from 'commander';
import { PASSWORD_ARGUMENT_REFUSED, readAdminPassword } from './cli/admin-password.ts';
import { type CliCommand, CliCommand as CliCommandSchema, runCliCommand } from './cli/commands.ts';
import { describe, sendToServer } from './cli/control-socket.ts';
import { ConfigError, loadConfig, PROCESS_ROLES } from './config.ts';
import { migrateToLatest } from './db/connect.ts';
import { createLogger, DataDirBusy, openDatabase, startServer } from './runtime.ts';

// The data directory holds the database and the secret key: whatever Satchel creates is its owner's alone.
process.umask(0o077);

const program = new Command('satchel')
  .description('Satchel: device inventory for K-12 1:1 programs')
  .showHelpAfterError();

program
  .command('serve', { isDefault: true })
  .description('run the API, web UI and background jobs')
  .addOption(
    new Option(
      '--role <role>',
      'all (API, UI and jobs), web (API and UI; jobs are only queued) or worker (jobs only); default SATCHEL_ROLE or all',
    ).choices(PROCESS_ROLES),
  )
  .option('--health-port <port>', 'a worker answers health checks on this port (default SATCHEL_HEALTH_PORT)')
  .action(serve);

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(() => databaseCommand({ command: 'migrate' }));

program
  .command('setup')
  .description('create a district and its first administrator')
  .requiredOption('--district <name>', 'district name')
  .requiredOption('--admin-email <email>', "administrator's email (their sign-in name)")
  .option(
    '--admin-password-file <path>',
    "a file whose first line is the administrator's password (else SATCHEL_ADMIN_PASSWORD, else a prompt)",
  )
  .addOption(new Option('--admin-password <password>').hideHelp())
  .option('--admin-name <name>', "administrator's display name (defaults to the email)")
  .action(
    async (options: {
      district: string;
      adminEmail: string;
      adminPassword?: string;
      adminPasswordFile?: string;
      adminName?: string;
    }) => {
      const { adminPassword, adminPasswordFile, ...rest } = options;
      if (adminPassword !== undefined) throw new Error(PASSWORD_ARGUMENT_REFUSED);
      const password = await readAdminPassword({ ...(adminPasswordFile ? { adminPasswordFile } : {}) });
      await databaseCommand({ command: 'setup', ...rest, adminPassword: password });
    },
  );

program
  .command('rotate-key')
  .description('re-encrypt every stored secret under a new secret key')
  .option('--new-key <base64>', 'the new key (required when SATCHEL_SECRET_KEY is set; generated otherwise)')
  .action((options: { newKey?: string }) => databaseCommand({ command: 'rotate-key', ...options }));

program
  .command('demo-data')
  .description('fill a district (created if missing) with realistic schools, people and devices')
  .requiredOption('--district <name>', 'district name')
  .option('--devices <count>', 'devices to add', positiveOrZero, 2000)
  .option('--people <count>', 'people to add', positiveOrZero, 1500)
  .option('--seed <number>', 'random seed, for the same data every time', positiveOrZero)
  .action((options: { district: string; devices: number; people: number; seed?: number }) =>
    databaseCommand({ command: 'demo-data', ...options }),
  );

program
  .command('district')
  .description('manage districts')
  .command('delete')
  .description('delete a district and everything it holds (its users, inventory, MDM data and secrets, jobs)')
  .requiredOption('--district <name>', 'district name')
  .option('--yes', 'really delete; without it, only show what would be deleted')
  .action((options: { district: string; yes?: boolean }) =>
    databaseCommand({ command: 'district-delete', ...options }),
  );

program
  .command('token')
  .description('manage personal API tokens')
  .command('create')
  .description('print a new API token for a user')
  .requiredOption('--email <email>', "the token's user")
  .requiredOption('--name <label>', 'what the token is for')
  .option('--district <name>', "the user's district, when the email has accounts in several")
  .option('--expires-in-days <days>', 'expire after this many days', positiveInteger)
  .action((options: { email: string; district?: string; name: string; expiresInDays?: number }) =>
    databaseCommand({ command: 'token-create', ...options }),
  );

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError('must be a positive whole number');
  return parsed;
}

function positiveOrZero(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number');
  return parsed;
}

async function serve(options: { role?: string; healthPort?: string }): Promise<void> {
  const config = loadConfig({
    ...process.env,
    ...(options.role !== undefined ? { SATCHEL_ROLE: options.role } : {}),
    ...(options.healthPort !== undefined ? { SATCHEL_HEALTH_PORT: options.healthPort } : {}),
  });
  const log = createLogger(config);
  const server = await startServer(config, log);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => process.exit(1), 30_000);
    deadline.unref();
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Runs against the database directly, or through the running server that holds the embedded one. */
async function databaseCommand(input: Record<string, unknown>): Promise<void> {
  const command: CliCommand = CliCommandSchema.parse(input);
  const config = loadConfig();
  const log = createLogger({ ...config, logLevel: 'warn' });
  let opened: Awaited<ReturnType<typeof openDatabase>>;
  try {
    opened = await openDatabase(config);
  } catch (error) {
    if (!(error instanceof DataDirBusy)) throw error;
    const reply = await sendToServer(config.dataDir, command).catch(() => {
      throw new Error(`${error.message} It did not answer on its control socket; stop it and try again.`);
    });
    if (!reply.ok) throw new Error(reply.error);
    console.log(reply.output);
    return;
  }
  try {
    if (command.command !== 'migrate') await migrateToLatest(opened.database.db);
    console.log(await runCliCommand(opened.database, command, log, config));
  } finally {
    await opened.database.close();
    await opened.lock?.release();
  }
}

program.parseAsync(process.argv).catch((error: unknown) => {
  const message = error instanceof ConfigError ? error.message : describe(error);
  console.error(`satchel: ${message}`);
  process.exitCode = 1;
});
