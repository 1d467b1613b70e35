// The production entry: the server with the configuration from the environment, until SIGINT or SIGTERM.
// scripts/start.ts builds it into dist/server/main.mjs (scripts/build-server.ts) and runs it with plain Node.
import { loadConfig } from './config.ts';
import { startServer } from './index.ts';
import { RecordFormatError } from './store/records.ts';
import { StoreOpenError } from './store/stateStore.ts';

/** Exit code of a start refused because of the data file: restarting would fail the same way until a person acts. */
const EXIT_DATA_FILE = 78;

const config = loadConfig();
if (process.env.STORE && !['file', 'memory'].includes(process.env.STORE)) {
  console.error(`STORE=${process.env.STORE} is not a store this server knows: use STORE=file (the default, a file under DATA_DIR) or STORE=memory (nothing kept).`);
  process.exit(EXIT_DATA_FILE);
}

let server: Awaited<ReturnType<typeof startServer>>;
try {
  server = await startServer(config);
} catch (error) {
  if (error instanceof StoreOpenError || error instanceof RecordFormatError) {
    // never a silent start on empty state: say which file, why, and what to do, then stop
    console.error(`Handshake did not start. ${error.message}`);
    process.exit(EXIT_DATA_FILE);
  }
  throw error;
}
const where = server.nodeId
  ? `node ${server.nodeId} of the cluster on ${config.redisUrl} (state kept in Redis)`
  : config.storeKind === 'file' ? `state kept in ${server.store.stats().file}` : 'state kept in memory only (STORE=memory)';
console.log(`Handshake is ready: ${server.url} (on your network: http://<this machine's address>:${server.port}); ${where}`);

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
