// The real parts of a cluster for the tests: a redis-server on a free port of 127.0.0.1 with its append-only
// file synced on every write (as docs/deploy.md says to run it), and server nodes started as
// `REDIS_URL=… PORT=… npm start` starts them (serverProcess.ts). Everything started here is stopped by stopAll().
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startServerProcess, type ServerProcess } from './serverProcess.ts';

/** Is this program on the PATH? (the cluster tests skip, saying so, when redis-server or nginx is missing) */
export function installed(program: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;
}

export interface RedisProcess {
  url: string;
  port: number;
  dir: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const started: Array<{ stop(): Promise<unknown> }> = [];
const dirs: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

/** A redis-server on `port` (a free one if not given) keeping its data in `dir`: started again on the same ones, it has what it acknowledged. */
export async function startRedis(options: { port?: number; dir?: string } = {}): Promise<RedisProcess> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? tempDir('handshake-redis-');
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 10_000;
  while (!text.includes('Ready to accept connections')) {
    if (child.exitCode !== null) throw new Error(`redis-server exited:\n${text}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server was not ready within 10 s:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const redis: RedisProcess = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    child,
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  started.push(redis);
  return redis;
}

/** Short leases and forward time-outs, so a take-over happens within a test's patience. */
export const CLUSTER_ENV = { LEASE_MS: '2000', FORWARD_TIMEOUT_MS: '1500', GRACE_MS: '60000', TIMER_SCALE: '0.05' };

/** One node of the cluster on `redisUrl`, as npm start runs it. */
export async function startNode(redisUrl: string, nodeId: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const node = await startServerProcess({
    port: await freePort(),
    dataDir: tempDir('handshake-node-'),
    env: { REDIS_URL: redisUrl, NODE_ID: nodeId, ...CLUSTER_ENV, ...env },
  });
  started.push({ stop: () => node.kill('SIGKILL') });
  return node;
}

/** Stops every redis-server and node started here, and removes their folders. */
export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((p) => p.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function health(node: { url: string }): Promise<Record<string, unknown>> {
  const response = await fetch(`${node.url}/healthz`);
  return (await response.json()) as Record<string, unknown>;
}
