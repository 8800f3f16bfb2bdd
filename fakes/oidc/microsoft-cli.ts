import { cliFor } from './cli.ts';

export const { runCli } = cliFor('microsoft');
