import { defineConfig } from 'vitest/config';

/**
 * The suite runs on embedded PGlite always, and a second time on a real PostgreSQL server when
 * TEST_DATABASE_URL is set. Each test file gets its own database cloned from a migrated template.
 */
const postgresUrl = process.env.TEST_DATABASE_URL;

const shared = {
  include: ['test/**/*.test.ts'],
  exclude: ['test/e2e/**'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'pglite', globalSetup: ['test/setup/global-pglite.ts'] } },
      ...(postgresUrl
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                // The fakes and web helpers use no database; they run once, in the PGlite project.
                exclude: [...shared.exclude, 'test/fakes/**', 'test/web/**'],
                globalSetup: ['test/setup/global-postgres.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
