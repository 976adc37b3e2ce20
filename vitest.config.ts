import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `axonbos-source`: workspace packages (@axonbos/sdk) are tested from their TypeScript, not a stale build.
  ssr: { resolve: { conditions: ['axonbos-source', ...defaultServerConditions] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
