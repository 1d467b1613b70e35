// npm start: build the client if it is not built yet, then serve it and the game on PORT (default 3000).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../server/config.ts';
import { gcFlagsFor } from '../server/gcFlags.ts';
import { startServer } from '../server/index.ts';

// V8 takes its GC flags only at start-up (server/gcFlags.ts says which and why): when this process lacks
// them, it starts itself again with them and passes signals and the exit code through.
const missingFlags = gcFlagsFor(availableParallelism()).filter((flag) => !process.execArgv.includes(flag));
if (missingFlags.length > 0) {
  const child = spawn(process.execPath, [...missingFlags, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await serve();
}

async function serve(): Promise<void> {
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
}
