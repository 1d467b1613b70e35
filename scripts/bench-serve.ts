// The server process of bench:server (scripts/bench-process.ts builds this file with esbuild and runs it with
// plain Node, as npm start runs the server): the game server — or, with --serve-relay, the bare relay of
// bench-relay.ts — on an ephemeral port of 127.0.0.1, timing its own answers to cards. The coordinator asks it
// for its event-loop delay, GC pauses and heap per phase ('reset', then 'stats'); BENCH_ALLOCATIONS,
// BENCH_SURVIVORS, BENCH_CPU_PROFILE and BENCH_SNAPSHOT record more (see the README).

import { performance } from 'node:perf_hooks';
import { startServer } from '../server/index.ts';
import { startRelay } from './bench-relay.ts';

// --serve-relay: the bare relay in the server's place (the yardstick: see bench-relay.ts)
const relay = process.argv.includes('--serve-relay');
const server = relay ? await startRelay() : await startServer({ port: 0, host: '127.0.0.1', clientDir: null });
/** the store's commits during the measured phase: how many, how many writes each held, the time syncing them */
const storeStats = () => (relay ? null : (server as Awaited<ReturnType<typeof startServer>>).store.stats());
let storeAtReset = storeStats();
// how long the server takes to answer a card, from the decoded event to its answer: the server's own part of
// the round-trip (queueing behind other events in the event loop before that is not in it)
let handling: number[] = [];
server.io.on('connection', (socket) => {
  socket.use((packet, next) => {
    const ack = packet[packet.length - 1];
    if (packet[0] === 'card:play' && typeof ack === 'function') {
      const t0 = performance.now();
      packet[packet.length - 1] = (...args: unknown[]) => {
        handling.push(performance.now() - t0);
        return (ack as (...a: unknown[]) => unknown)(...args);
      };
    }
    next();
  });
});
// the parent asks for the server's event-loop delay per phase: how long work waited in the server itself
const { monitorEventLoopDelay: monitor, PerformanceObserver } = await import('node:perf_hooks');
const delay = monitor({ resolution: 1 });
const { writeHeapSnapshot } = await import('node:v8');
const allocations = process.env.BENCH_ALLOCATIONS ? await allocationProfiler(process.env.BENCH_ALLOCATIONS) : null;
const cpuProfile = process.env.BENCH_CPU_PROFILE ? await cpuProfiler(process.env.BENCH_CPU_PROFILE) : null;
let gcMs = 0;
let gcMax = 0;
/** pauses by kind (minor: scavenge of the young generation; major: mark-compact of the whole heap) */
let gcKinds: Record<string, { count: number; ms: number; max: number }> = {};
const GC_KIND: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak', 16: 'minor' };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    gcMax = Math.max(gcMax, entry.duration);
    const kind = GC_KIND[(entry as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
    const k = (gcKinds[kind] ??= { count: 0, ms: 0, max: 0 });
    k.count += 1;
    k.ms += entry.duration;
    k.max = Math.max(k.max, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
process.on('message', (message: string) => {
  if (message === 'reset') {
    void allocations?.start();
    void cpuProfile?.start();
    delay.reset();
    delay.enable();
    gcMs = 0;
    gcMax = 0;
    gcKinds = {};
    handling = [];
    storeAtReset = storeStats();
  } else if (message === 'stats') {
    void allocations?.stop();
    void cpuProfile?.stop();
    // BENCH_SNAPSHOT=FILE: what the server holds at the end of the phase, for Chrome DevTools' Memory tab
    if (process.env.BENCH_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_SNAPSHOT);
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    const sorted = handling.sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
    const handlingMs = [at(50), at(99), sorted.at(-1) ?? Number.NaN];
    const now = storeStats();
    const store =
      now && storeAtReset
        ? {
            kind: now.kind,
            commits: (now.commits ?? 0) - (storeAtReset.commits ?? 0),
            entries: (now.entries ?? 0) - (storeAtReset.entries ?? 0),
            syncMs: (now.syncMs ?? 0) - (storeAtReset.syncMs ?? 0),
            maxBatch: now.maxBatch ?? 0,
            fileBytes: Number(now.fileBytes ?? 0),
            compactions: Number(now.compactions ?? 0) - Number(storeAtReset.compactions ?? 0),
            compactionHoldMaxMs: Number(now.compactionHoldMaxMs ?? 0),
            // the latest puts' waits (the ring holds far fewer than a phase makes: these are the phase's last ones)
            commitWaitMs: now.commitWaitMs as { p50: number; p99: number; max: number } | undefined,
            commitSyncMs: now.commitSyncMs as { p50: number; p99: number; max: number } | undefined,
          }
        : null;
    process.send!({ p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, gcMs, gcMax, gcKinds, heapMb, handlingMs, store });
  }
});
process.stdout.write(`PORT=${server.port}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
await new Promise(() => {});
/**
 * BENCH_ALLOCATIONS=FILE: where the server allocates during the measured phase, garbage included (Node's
 * --heap-prof keeps only what is still alive at the end), written as a .heapprofile for Chrome DevTools.
 */
async function allocationProfiler(file: string) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  const survivors = Boolean(process.env.BENCH_SURVIVORS);
  let stopped = false;
  return {
    async start() {
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: !survivors,
        includeObjectsCollectedByMinorGC: !survivors,
      });
      // BENCH_SURVIVORS=MS: sample MS milliseconds only and keep what is still alive then — what scavenges copy
      if (survivors) setTimeout(() => void this.stop(), Number(process.env.BENCH_SURVIVORS) || 1000);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

/**
 * BENCH_CPU_PROFILE=FILE: where the server spends its time during the measured phase only (--profile-server
 * profiles the whole process, setting up thousands of connections included), as a .cpuprofile.
 */
async function cpuProfiler(file: string) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  return {
    async start() {
      await session.post('Profiler.start');
    },
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}
