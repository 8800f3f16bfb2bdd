import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providers } from '../../../src/server/mdm/registry.ts';
import { PROVIDER_UI } from '../../../src/web/providers/index.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/**
 * Code that serves every provider: the sync engine, connections and records, the shared HTTP helpers, the
 * inventory (device screens' server side), the web app's pages and shared components, and the shared schemas.
 * A provider lives in its own folders (src/server/mdm/providers/<key>, src/web/providers/<key>) and is added by
 * one line in each registry and its key in PROVIDER_KEYS.
 */
const GENERIC = [
  'src/server/mdm/sync',
  'src/server/mdm/connections',
  'src/server/mdm/records',
  'src/server/mdm/http',
  'src/server/mdm/provider.ts',
  'src/server/inventory',
  'src/web/pages',
  'src/web/components',
  'src/web/lib',
  'src/common/reports.ts',
  'src/common/inventory.ts',
  'src/common/mdm.ts',
];

async function filesUnder(relative: string): Promise<string[]> {
  const absolute = path.join(ROOT, relative);
  if (/\.tsx?$/.test(relative)) return [absolute];
  const entries = await readdir(absolute, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The code without its comments (where a provider may serve as an example): block comments and `// …` lines. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

/** Every way code could name a provider: its key (in any spelling), its names, its brand. */
function providerWords(): { provider: string; pattern: RegExp }[] {
  return providers.flatMap((provider) => {
    const ui = PROVIDER_UI[provider.key];
    const words = new Set([
      provider.key,
      provider.key.replaceAll('_', '-'),
      provider.name,
      provider.shortName,
      ui.brand,
      ui.label,
    ]);
    return [...words].map((word) => ({
      provider: provider.key,
      pattern: new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`),
    }));
  });
}

describe('providers are folders', () => {
  it('no code shared by every provider names one', async () => {
    const words = providerWords();
    const offenders: string[] = [];
    for (const place of GENERIC) {
      for (const file of await filesUnder(place)) {
        const code = withoutComments(await readFile(file, 'utf8'));
        for (const { provider, pattern } of words) {
          const match = pattern.exec(code);
          if (match) offenders.push(`${path.relative(ROOT, file)} names ${provider} (“${match[0]}”)`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it('each provider has its server folder, web folder, setup guide and registry lines', async () => {
    for (const provider of providers) {
      expect(PROVIDER_UI[provider.key], provider.key).toBeDefined();
      await expect(readFile(path.join(ROOT, provider.guide), 'utf8')).resolves.toMatch(/\S/);
    }
  });
});
