import { readFile } from 'node:fs/promises';
import { adminPasswordFromEnvironment } from '../config.ts';

export const PASSWORD_ARGUMENT_REFUSED =
  '--admin-password is not accepted: a password on the command line is shown by `ps` to every user of the ' +
  'machine and kept in shell history. Use --admin-password-file <path>, the SATCHEL_ADMIN_PASSWORD ' +
  'environment variable, or leave both out to type it at a prompt.';

/**
 * Where `setup` takes the first administrator's password from, in order: a file (its first line), the
 * environment, or a prompt that does not echo what is typed. Never the command line.
 */
export async function readAdminPassword(options: { adminPasswordFile?: string }): Promise<string> {
  if (options.adminPasswordFile) {
    const text = await readFile(options.adminPasswordFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`Could not read --admin-password-file ${options.adminPasswordFile}: ${error.code}`);
    });
    return text.split(/\r?\n/)[0] ?? '';
  }
  const fromEnvironment = adminPasswordFromEnvironment();
  if (fromEnvironment) return fromEnvironment;
  if (!process.stdin.isTTY) {
    throw new Error(
      'No administrator password: use --admin-password-file <path> or SATCHEL_ADMIN_PASSWORD, or run setup in a terminal to type it',
    );
  }
  const password = await promptHidden('Administrator password (at least 12 characters): ');
  const again = await promptHidden('The same password again: ');
  if (password !== again) throw new Error('The two passwords differ; run setup again');
  return password;
}

/** Reads one line from the terminal without showing it. */
function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  process.stderr.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (outcome: () => void) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const character of chunk) {
        if (character === '\r' || character === '\n') return finish(() => resolve(typed));
        if (character === '\u0003') return finish(() => reject(new Error('Cancelled')));
        if (character === '\u007f' || character === '\b') typed = typed.slice(0, -1);
        else typed += character;
      }
    };
    input.on('data', onData);
  });
}
