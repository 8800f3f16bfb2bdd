import { chmod, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import { CliCommand, runCliCommand } from './commands.ts';

type Reply = { ok: true; output: string } | { ok: false; error: string };

export function controlSocketPath(dataDir: string): string {
  return path.join(dataDir, 'satchel.sock');
}

/**
 * A Unix socket in the data directory (owner-only) through which CLI commands reach the process that holds
 * the embedded database. Anyone who can open it can already read the database files.
 */
export async function listenForCli(
  dataDir: string,
  database: Database,
  log: FastifyBaseLogger,
): Promise<Server> {
  const socketPath = controlSocketPath(dataDir);
  await rm(socketPath, { force: true });
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let reply: Reply;
    try {
      const command = CliCommand.parse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      reply = {
        ok: true,
        output: await runCliCommand(database, command, log.child({ cli: command.command })),
      };
    } catch (error) {
      reply = { ok: false, error: describe(error) };
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(reply));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  await chmod(socketPath, 0o600);
  return server;
}

export function sendToServer(dataDir: string, command: CliCommand): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        socketPath: controlSocketPath(dataDir),
        method: 'POST',
        path: '/cli',
        headers: { 'content-type': 'application/json' },
      },
      async (res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of res) chunks.push(chunk as Buffer);
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Reply);
        } catch (error) {
          reject(error);
        }
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(command));
  });
}

export function describe(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error && typeof error === 'object' && 'issues' in error && Array.isArray(error.issues)) {
    return error.issues
      .map(
        (issue: { path: unknown[]; message: string }) =>
          `${issue.path.join('.') || 'input'}: ${issue.message}`,
      )
      .join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}
