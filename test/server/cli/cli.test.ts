import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../../setup/database.ts';

const MAIN = path.resolve(import.meta.dirname, '../../../src/server/main.ts');
const directories: string[] = [];
const HEALTH_TOKEN = 'monitoring-token-for-the-cli-test';
const servers: ChildProcess[] = [];

afterAll(async () => {
  for (const server of servers) server.kill('SIGTERM');
  await Promise.all(servers.map((server) => new Promise((resolve) => server.once('exit', resolve))));
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

async function dataDir(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'satchel-cli-'));
  directories.push(directory);
  return directory;
}

/** A password file beside the data directory, as a script would write one for `setup`. */
async function passwordFile(directory: string, password: string): Promise<string> {
  const file = `${directory}-password-${randomUUID()}`;
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  directories.push(file);
  return file;
}

function satchel(
  directory: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return satchelWith({}, directory, ...args);
}

function satchelWith(
  environment: Record<string, string>,
  directory: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], {
      env: { PATH: process.env.PATH, SATCHEL_DATA_DIR: directory, LOG_LEVEL: 'warn', ...environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
  });
}

/** Starts `serve` in its own process and resolves with its URL once it listens. */
function serve(directory: string): Promise<{ url: string; process: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [MAIN, 'serve'], {
    env: {
      PATH: process.env.PATH,
      SATCHEL_DATA_DIR: directory,
      PORT: '0',
      LOG_LEVEL: 'info',
      SATCHEL_HEALTH_TOKEN: HEALTH_TOKEN,
    },
  });
  servers.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /"url":"(http:[^"]+)","msg":"Satchel is running"/.exec(output);
      if (match?.[1]) resolve({ url: match[1], process: child, output: () => output });
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

// Each step starts a CLI process that opens the embedded database: several seconds apiece on a busy machine.
describe.runIf(testDatabaseKind() === 'pglite')(
  'satchel CLI on the embedded database',
  { timeout: 180_000 },
  () => {
    it('creates districts and administrators, one email in several districts, and prints API tokens', async () => {
      const directory = await dataDir();
      const setup = await satchel(
        directory,
        'setup',
        '--district',
        'Cedar Falls',
        '--admin-email',
        'it@cedar.k12.us',
        '--admin-password-file',
        await passwordFile(directory, 'cedar falls admin pass'),
      );
      expect(setup.stderr).toBe('');
      expect(setup.code).toBe(0);
      expect(setup.stdout).toMatch(
        /^Created district "Cedar Falls" \([0-9a-f-]{36}\) with administrator it@cedar.k12.us\.$/,
      );

      const duplicate = await satchel(
        directory,
        'setup',
        '--district',
        'Again',
        '--admin-email',
        'IT@cedar.k12.us',
        '--admin-password-file',
        await passwordFile(directory, 'another long password'),
      );
      // Emails are unique within a district: another district may have its own account for the same address.
      expect(duplicate.code).toBe(0);

      const weak = await satchel(
        directory,
        'setup',
        '--district',
        'Weak',
        '--admin-email',
        'weak@example.org',
        '--admin-password-file',
        await passwordFile(directory, 'short'),
      );
      expect(weak.code).toBe(1);
      expect(weak.stderr).toContain('adminPassword: Passwords need at least 12 characters');

      const token = await satchel(
        directory,
        'token',
        'create',
        '--email',
        'it@cedar.k12.us',
        '--name',
        'nightly export',
      );
      expect(token.code).toBe(1);
      expect(token.stderr).toBe(
        'satchel: it@cedar.k12.us has accounts in "Again", "Cedar Falls": name one with --district',
      );
      const chosen = await satchel(
        directory,
        'token',
        'create',
        '--email',
        'it@cedar.k12.us',
        '--district',
        'Cedar Falls',
        '--name',
        'nightly export',
      );
      expect(chosen.code).toBe(0);
      expect(chosen.stdout).toMatch(/^satchel_pat_[\w-]{43}$/);

      const unknown = await satchel(
        directory,
        'token',
        'create',
        '--email',
        'nobody@cedar.k12.us',
        '--name',
        'x',
      );
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toBe('satchel: User nobody@cedar.k12.us not found');

      const demo = await satchel(
        directory,
        'demo-data',
        '--district',
        'Cedar Falls',
        '--devices',
        '300',
        '--people',
        '200',
      );
      expect(demo.code).toBe(0);
      expect(demo.stdout).toMatch(
        /^Added 300 devices \(\d+ checked out\) and 200 people across 1 schools to "Cedar Falls"\.$/,
      );
      const fresh = await satchel(
        directory,
        'demo-data',
        '--district',
        'Demo Springs',
        '--devices',
        '10',
        '--people',
        '10',
      );
      expect(fresh.stdout).toMatch(
        /^Created district "Demo Springs"; sign in as admin@demo-springs\.example\.org with password \S+\n/,
      );

      const unconfirmed = await satchel(directory, 'district', 'delete', '--district', 'Demo Springs');
      expect(unconfirmed.code).toBe(1);
      expect(unconfirmed.stderr).toMatch(
        /This would delete district "Demo Springs" .*devices 10.*Run again with --yes/,
      );
      const deleted = await satchel(directory, 'district', 'delete', '--district', 'Demo Springs', '--yes');
      expect(deleted.code).toBe(0);
      expect(deleted.stdout).toMatch(/^Deleted district "Demo Springs" .*\nRows remaining for it: 0 \(/);

      const migrate = await satchel(directory, 'migrate');
      expect(migrate.stdout).toBe('The database is up to date.');
    });

    it('never takes the administrator password from the command line, and keeps its files to its owner', async () => {
      const directory = await dataDir();
      const refused = await satchel(
        directory,
        'setup',
        '--district',
        'Aspen',
        '--admin-email',
        'it@aspen.k12.us',
        '--admin-password',
        'aspen admin password',
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^satchel: --admin-password is not accepted: .* shown by `ps`/);
      const noPassword = await satchel(
        directory,
        'setup',
        '--district',
        'Aspen',
        '--admin-email',
        'it@aspen.k12.us',
      );
      expect(noPassword.code).toBe(1);
      expect(noPassword.stderr).toMatch(/No administrator password: use --admin-password-file/);

      const fromEnvironment = await satchelWith(
        { SATCHEL_ADMIN_PASSWORD: 'aspen admin password' },
        directory,
        'setup',
        '--district',
        'Aspen',
        '--admin-email',
        'it@aspen.k12.us',
      );
      expect(fromEnvironment.stderr).toBe('');
      expect(fromEnvironment.stdout).toContain('Created district "Aspen"');

      const shared: string[] = [];
      const walk = async (folder: string) => {
        for (const entry of await readdir(folder, { withFileTypes: true })) {
          const file = path.join(folder, entry.name);
          if (((await stat(file)).mode & 0o077) !== 0) shared.push(file);
          if (entry.isDirectory()) await walk(file);
        }
      };
      expect((await stat(directory)).mode & 0o777).toBe(0o700);
      await walk(directory);
      expect(shared).toEqual([]);
    });

    it('reaches a running server’s database instead of opening it twice', async () => {
      const directory = await dataDir();
      const server = await serve(directory);
      expect(server.output()).toMatch(/No district exists yet.*\/setup\?token=/);

      const setup = await satchel(
        directory,
        'setup',
        '--district',
        'Birch',
        '--admin-email',
        'it@birch.k12.us',
        '--admin-password-file',
        await passwordFile(directory, 'birch admin password'),
      );
      expect(setup.code).toBe(0);
      expect(setup.stdout).toContain('Created district "Birch"');

      const token = await satchel(
        directory,
        'token',
        'create',
        '--email',
        'it@birch.k12.us',
        '--name',
        'automation',
      );
      expect(token.code).toBe(0);
      const me = await fetch(`${server.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${token.stdout}` },
      });
      expect(me.status).toBe(200);
      expect((await me.json()).district.name).toBe('Birch');

      const second = await satchel(directory, 'serve');
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/Another Satchel process \(pid \d+\) is using the embedded database/);

      expect(await (await fetch(`${server.url}/api/v1/health`)).json()).toEqual({ status: 'ok' });
      const health = await fetch(`${server.url}/api/v1/health/details`, {
        headers: { authorization: `Bearer ${HEALTH_TOKEN}` },
      });
      expect(health.status).toBe(200);
      const report = await health.json();
      expect(report).toMatchObject({ status: 'ok', role: 'all', database: 'pglite' });
      expect(report.queues['mdm.sync']).toEqual({ queued: 0, active: 0 });
      expect(report.instances).toEqual([
        expect.objectContaining({ role: 'all', live: true, heartbeatAgeSeconds: expect.any(Number) }),
      ]);

      // Web and worker processes share one PostgreSQL; the embedded database cannot be split between them.
      for (const role of ['web', 'worker']) {
        const split = await satchel(directory, 'serve', '--role', role);
        expect(split.code).toBe(1);
        expect(split.stderr).toMatch(/embedded database belongs to one process.*set DATABASE_URL/);
      }
      const unknown = await satchel(directory, 'serve', '--role', 'everything');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/--role.*Allowed choices are all, web, worker/);
    });
  },
);
