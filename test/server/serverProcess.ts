// A real server process for the tests that kill it: the production entry (server/main.ts) built by esbuild as
// npm start builds it, run with plain Node and the GC flags npm start gives it, configured by its environment.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { gcFlagsFor } from '../../server/gcFlags.ts';
import { buildServer } from '../../scripts/build-server.ts';

let bundle: Promise<string> | null = null;

/** Builds server/main.ts once per test file (its own output file: test files run in parallel). */
export function serverBundle(): Promise<string> {
  bundle ??= (async () => {
    const dir = path.resolve('dist/test-server');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `main-${process.pid}-${Math.random().toString(36).slice(2, 8)}.mjs`);
    await buildServer('server/main.ts', file);
    return file;
  })();
  return bundle;
}

/** A port nothing listens on now (the server is started on it, and started again on it after a kill). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** everything it printed, stdout and stderr */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ProcessOptions {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
  /** a command line the node command is appended to (a shell with ulimit, unshare…) */
  wrap?: string[];
  /** wait for "Handshake is ready" (default), or only start it (a start that must fail) */
  waitReady?: boolean;
}

/** Short clocks for tests; the grace period is long, so a restart finds the seats still held. */
const TEST_ENV = {
  HOST: '127.0.0.1',
  CLIENT_DIR: '/nonexistent',
  LOG_LEVEL: 'info',
  BOT_DELAY_MIN_MS: '20',
  BOT_DELAY_MAX_MS: '40',
  EVENT_BURST: '100000',
  EVENT_RATE: '100000',
  JOIN_BURST: '100000',
  JOIN_RATE: '100000',
  CONNECT_BURST: '100000',
  CONNECT_RATE: '100000',
};

export async function startServerProcess(options: ProcessOptions): Promise<ServerProcess> {
  const file = await serverBundle();
  const node = [process.execPath, ...gcFlagsFor(availableParallelism(), 32), file];
  const command = options.wrap ? [...options.wrap, ...node] : node;
  const child = spawn(command[0], command.slice(1), {
    env: { ...process.env, VITEST: '', NODE_ENV: 'production', ...TEST_ENV, PORT: String(options.port), DATA_DIR: options.dataDir, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const server: ServerProcess = {
    url: `http://127.0.0.1:${options.port}`,
    port: options.port,
    child,
    output: () => text,
    exited,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady === false) return server;
  const deadline = Date.now() + 20_000;
  while (!text.includes('Handshake is ready')) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited before it was ready:\n${text}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within 20 s:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return server;
}
