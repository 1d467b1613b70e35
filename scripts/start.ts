// npm start: build the client if it is not built yet, then serve it and the game on PORT (default 3000).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/index.ts';

const config = loadConfig();
const clientDir = path.resolve(config.clientDir ?? 'dist/client');

if (!existsSync(path.join(clientDir, 'index.html'))) {
  console.log(`The client is not built yet (${clientDir}/index.html is missing): building it with Vite…`);
  const { build } = await import('vite');
  await build({ configFile: 'client/vite.config.ts' });
}

const server = await startServer({ ...config, clientDir });
console.log(`Handshake is ready: ${server.url} (on your network: http://<this machine's address>:${server.port})`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) process.exit(1);
    stopping = true;
    void server.close().then(() => process.exit(0));
  });
}
