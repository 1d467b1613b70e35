// The production entry: the server with the configuration from the environment, until SIGINT or SIGTERM.
// scripts/start.ts builds it into dist/server/main.mjs (scripts/build-server.ts) and runs it with plain Node.
import { loadConfig } from './config.ts';
import { startServer } from './index.ts';

const config = loadConfig();
const server = await startServer(config);
console.log(`Handshake is ready: ${server.url} (on your network: http://<this machine's address>:${server.port})`);

// Ctrl-C in a terminal reaches this process and the launcher (which passes it on): signals within a second
// of the first are one request to stop; a later one, while still stopping, stops at once.
let stoppingSince: number | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince > 1000) process.exit(1);
      return;
    }
    stoppingSince = Date.now();
    void server.close().then(() => process.exit(0));
  });
}
