import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default on 2 cores is one worker (cores - 1). Most files wait on DynamoDB Local, a
    // local cloud or a timer, not on the CPU: two at a time take about half the time.
    maxWorkers: Number(process.env.MALL_TEST_WORKERS ?? 2),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // Starts the embedded local cloud once per run, unless MALL_API_URL points elsewhere.
          globalSetup: ['test/e2e/global-setup.ts'],
          setupFiles: ['test/e2e/e2e-setup.ts'],
          // One local cloud is shared, and the order sweeper and flash sale are global: files run
          // one after another so that one file's clock jumps cannot close another's orders.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
