import { defineConfig } from 'vitest/config';

const conditions = ['@metaspo/source', 'module', 'node', 'import', 'default'];

/**
 * The one vitest config every package uses. The `@metaspo/source` export condition makes
 * workspace packages resolve to their TypeScript sources, so tests never need a prior build.
 * Plain JavaScript because vitest loads its config from node_modules without transpiling it.
 */
export const sharedVitestConfig = defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
