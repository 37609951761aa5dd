import { defineConfig } from 'vitest/config';

// One file at a time against one server: the machine is small and the specs share the database.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
