import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPH_DEFAULT_SCOPE } from '../../fakes/intune/index.ts';

const CLI = join(import.meta.dirname, '../../fakes/intune/cli.ts');

/** Runs the CLI and collects what it prints until `until` appears. */
function run(args: string[], until: RegExp): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`CLI printed only:\n${output}`)), 20_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      if (until.test(output)) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ child, output });
    });
  });
}

describe('fake Intune: command line', () => {
  let directory: string;
  let child: ChildProcess;
  let settings: Record<string, string>;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'fake-intune-cli-'));
    const serials = join(directory, 'serials.csv');
    writeFileSync(serials, 'PFCLI001,Room 101\n5CD5555ZZZ,Library\n');
    const started = await run(
      [
        '--port',
        '0',
        '--size',
        '30',
        '--serials',
        serials,
        '--junk',
        '2',
        '--duplicates',
        '1',
        '--client-secret',
        'cli-secret',
      ],
      /MICROSOFT_CLIENT_SECRET=.*\n/,
    );
    child = started.child;
    settings = Object.fromEntries(
      [...started.output.matchAll(/^(MICROSOFT_[A-Z_]+)=(.*)$/gm)].map((match) => [match[1]!, match[2]!]),
    );
  });
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(directory, { recursive: true, force: true });
  });

  it('prints the settings that point Satchel at the fake, and serves the generated fleet there', async () => {
    expect(Object.keys(settings).sort()).toEqual([
      'MICROSOFT_CLIENT_ID',
      'MICROSOFT_CLIENT_SECRET',
      'MICROSOFT_GRAPH_URL',
      'MICROSOFT_LOGIN_URL',
    ]);
    expect(settings.MICROSOFT_CLIENT_SECRET).toBe('cli-secret');
    const token = await fetch(`${settings.MICROSOFT_LOGIN_URL}/district.example.org/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: settings.MICROSOFT_CLIENT_ID!,
        client_secret: settings.MICROSOFT_CLIENT_SECRET!,
        scope: GRAPH_DEFAULT_SCOPE,
      }),
    });
    expect(token.status).toBe(200);
    const { access_token } = (await token.json()) as { access_token: string };
    const page = await fetch(
      `${settings.MICROSOFT_GRAPH_URL}/v1.0/deviceManagement/managedDevices?$select=serialNumber`,
      {
        headers: { Authorization: `Bearer ${access_token}` },
      },
    );
    const serials = ((await page.json()) as { value: { serialNumber: string }[] }).value.map(
      (d) => d.serialNumber,
    );
    expect(serials).toHaveLength(30 + 2 + 1);
    expect(serials.filter((s) => s === 'PFCLI001')).toHaveLength(2);
    expect(serials).toContain('5CD5555ZZZ');
  });

  it('prints its usage for --help and refuses bad options', async () => {
    const help = await run(['--help'], /--filter-support/);
    expect(help.output).toMatch(/^usage: node fakes\/intune\/cli\.ts/);
    const bad = await run(['--size', 'lots'], /--size must be a non-negative integer/);
    await new Promise((resolve) =>
      bad.child.exitCode === null ? bad.child.once('exit', resolve) : resolve(null),
    );
    expect(bad.child.exitCode).toBe(2);
  });
});
