// npm start: build the client if it is not built yet and the server (always: it takes a moment), then run the
// server with plain Node and the GC flags it wants (server/gcFlags.ts). It serves the client and the game on
// PORT (default 3000). Signals are passed to the server, and its exit code is this one's.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { gcFlagsFor, youngMbFrom } from '../server/gcFlags.ts';
import { buildServer } from './build-server.ts';

const SERVER_BUNDLE = 'dist/server/main.mjs';

const config = loadConfig();
const clientDir = path.resolve(config.clientDir ?? 'dist/client');
if (!existsSync(path.join(clientDir, 'index.html'))) {
  console.log(`The client is not built yet (${clientDir}/index.html is missing): building it with Vite…`);
  const { build } = await import('vite');
  await build({ configFile: 'client/vite.config.ts' });
}
await buildServer('server/main.ts', SERVER_BUNDLE);

const flags = ['--enable-source-maps', ...gcFlagsFor(availableParallelism(), youngMbFrom(process.env))];
const server = spawn(process.execPath, [...flags, SERVER_BUNDLE], { stdio: 'inherit', env: { ...process.env, CLIENT_DIR: clientDir } });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
