import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // integration and e2e tests own real ports; run files one at a time
    fileParallelism: false,
    reporters: ['default'],
  },
});
