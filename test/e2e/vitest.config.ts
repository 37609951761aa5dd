import { defineConfig } from 'vitest/config';

// One file at a time: the machine is small. Each file takes a served desk of its own (desk-pool.ts).
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    globalSetup: ['test/e2e/desk-pool.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for its condition as long as Playwright's own waits (30 s), not 1 s: a loaded
    // machine can answer late, and a poll returns as soon as the condition holds.
    expect: { poll: { timeout: 30_000 } },
    fileParallelism: false,
    pool: 'forks',
  },
});
