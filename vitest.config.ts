import { defineConfig } from 'vitest/config';

// Five projects so a developer can run the fast layers alone:
// engine (pure shared/ code), client (no browser), server (real sockets on 127.0.0.1), capture (pcapng, tshark),
// e2e (real Chromium).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'engine', include: ['test/engine/**/*.test.ts'], environment: 'node' } },
      // the client's own checks that need no browser (its module graph, its pure helpers)
      { test: { name: 'client', include: ['test/client/**/*.test.ts'], environment: 'node' } },
      { test: { name: 'server', include: ['test/server/**/*.test.ts'], environment: 'node', testTimeout: 20000 } },
      // captures: the pcapng export and the judge, checked with the real tshark and a real server
      { test: { name: 'capture', include: ['test/capture/**/*.test.ts'], environment: 'node', testTimeout: 30000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120000,
          hookTimeout: 180000,
          fileParallelism: false,
        },
      },
    ],
  },
});
