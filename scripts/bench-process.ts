// What the server benchmarks share: the server in a child process pinned to core 0 (the load generator
// takes core 1), and its CPU time and memory read from /proc.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { gcFlagsFor, youngMbFrom } from '../server/gcFlags.ts';
import { buildServer } from './build-server.ts';

const SERVE_BUNDLE = 'dist/bench/serve.mjs';

/**
 * Start the server process (scripts/bench-serve.ts, built with esbuild and run with plain Node as npm start
 * runs the server) with limits opened for one address playing thousands of seats. `relay`: the bare relay.
 */
export async function startServerProcess(
  options: { profile?: boolean; timerScale?: number; relay?: boolean; store?: 'file' | 'memory' } = {},
): Promise<{ child: ChildProcess; port: number }> {
  await buildServer('scripts/bench-serve.ts', SERVE_BUNDLE);
  const hasTaskset = spawnSync('taskset', ['--version']).status === 0;
  const profile = options.profile ? ['--cpu-prof', '--cpu-prof-dir=/tmp/handshake-bench-profile'] : [];
  // the server gets the GC flags npm start would give it on a machine with as many cores as it has here
  const gcFlags = gcFlagsFor(hasTaskset ? 1 : availableParallelism(), youngMbFrom(process.env));
  // BENCH_NODE_FLAGS: more flags for the server's Node, e.g. --trace-gc-nvp (what it prints goes to stderr)
  const extra = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [...profile, '--enable-source-maps', ...gcFlags, ...extra, SERVE_BUNDLE, ...(options.relay ? ['--serve-relay'] : [])];
  const env = {
    ...process.env,
    LOG_LEVEL: 'warn',
    // the load generator is one address opening thousands of seats, and may play at full speed
    EVENT_BURST: '1000',
    EVENT_RATE: '1000',
    JOIN_BURST: '100000',
    JOIN_RATE: '100000',
    CONNECT_BURST: '100000',
    CONNECT_RATE: '100000',
    // by default TIME-WAIT lasts 100 ms instead of 5 s, so rounds keep coming and the card rate stays what the pace says
    TIMER_SCALE: String(options.timerScale ?? 0.02),
    // the embedded store in a fresh folder of its own (the default, as npm start keeps state), or memory
    STORE: options.store ?? 'file',
    DATA_DIR: benchDataDir(),
  };
  const child = hasTaskset
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] })
    : spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  if (hasTaskset) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  return await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (extra.length > 0) process.stderr.write(chunk);
      if (buffer.includes('PORT=')) return; // found: what comes after is only passed on
      buffer += chunk.toString();
      const match = /PORT=(\d+)/.exec(buffer);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

/** CPU seconds a process has used (under taskset it is the same process: taskset execs node). */
export function cpuSeconds(pid: number): number {
  const { user, kernel } = cpuTimes(pid);
  return user + kernel;
}

/**
 * The same, split: in user space (JavaScript, GC, encoding) and in the kernel (socket reads and writes; on
 * 127.0.0.1 a write also carries the packet to the receiving socket, so the kernel part grows with writes).
 */
export function cpuTimes(pid: number): { user: number; kernel: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, kernel: Number(fields[12]) / 100 }; // utime, stime: clock ticks of 1/100 s
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** A fresh data folder for one server of the benchmark, removed when the benchmark ends. */
function benchDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-bench-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The next message of a kind from a load generator process (scripts/bench-load.ts), or its failure. */
export function nextMessage<T>(generator: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const listen = (message: { type: string; message?: string }) => {
      if (message.type === 'failed') reject(new Error(`load generator: ${message.message}`));
      else if (message.type !== type) return;
      else resolve(message as T);
      generator.off('message', listen);
    };
    generator.on('message', listen);
  });
}
