// npm run bench:server [-- --rooms 1000 --spectators 200 --seconds 20 --pace human|fast|both --generators 4 --relay --store file|memory --profile-server]
//
// Starts the game server (scripts/bench-serve.ts, built and run as npm start runs the server) in a child
// process pinned to one core (taskset -c 0), and, pinned to the other core,
// a load generator on 127.0.0.1 split over a few processes (scripts/bench-load.ts) that plays whole games in N
// concurrent duel rooms: both seats are real socket.io-client sockets, plus spectators. Each room plays the
// same round, worked out once with the shared engine (see bench-load.ts), so the only traffic is what a client
// sends: cards, and a rematch when a round ends. Each room plays on its own clock. Two phases, each on a fresh
// server: a human pace (one card per second per player, the game's clocks at a quarter of real time) and full
// speed (the next card as soon as the last is acknowledged). Prints the card round-trip (emit → ack) and update
// latency (emit → room:update at the other seat and the spectators) at p50/p95/p99, cards and timer moves per
// second, the server's CPU, memory and GC pauses. Stops by itself. --relay runs each phase first against a
// bare socket.io relay (scripts/bench-relay.ts) and prints the server's CPU per move and p99 as multiples of
// the relay's: this machine's speed varies by a third from hour to hour, the ratio much less. The server keeps
// its state in the embedded store (a journal in a fresh temporary folder, fdatasync per group commit), as npm
// start does; --store memory runs it without a disk, to compare. The store's commits are printed: how many,
// how many writes each held, and the time each took to write and sync.

import { fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { CoordinatorMessage, LoadResult, Pace } from './bench-load.ts';
import { cpuTimes, nextMessage, rssMb, startServerProcess } from './bench-process.ts';

// ------------------------------------------------------------------------------------------ this process
// This process and the load generator's processes it forks (which inherit its Node flags and its core) run on
// core 1. GC helper threads would only take turns with their main threads there and delay the answers they
// time, so they run single-threaded GC too: this process starts itself again with the flag, pinned to core 1.
if (!process.execArgv.includes('--single-threaded-gc') && !process.env.BENCH_GENERATOR) {
  const { spawn, spawnSync } = await import('node:child_process');
  const pin = spawnSync('taskset', ['--version']).status === 0 ? ['taskset', '-c', '1'] : [];
  const command = [...pin, process.execPath, '--single-threaded-gc', ...process.execArgv, ...process.argv.slice(1)];
  const generator = spawn(command[0], command.slice(1), { stdio: 'inherit', env: { ...process.env, BENCH_GENERATOR: '1' } });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => generator.kill(signal));
  const code = await new Promise<number>((resolve) => generator.on('exit', (c) => resolve(c ?? 1)));
  process.exit(code);
}

// ------------------------------------------------------------------------------------------ options
function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const ROOMS = Number(flag('rooms', '100'));
const SPECTATORS = Number(flag('spectators', String(Math.round(ROOMS / 5))));
const SECONDS = Number(flag('seconds', '20'));
const PACE = flag('pace', 'both') as Pace | 'both';
/** also run each phase against a bare socket.io relay (scripts/bench-relay.ts), as the yardstick */
const WITH_RELAY = process.argv.includes('--relay');
/** processes the load is split over (all on the generator's one core) */
const GENERATORS = Math.max(1, Number(flag('generators', '4')));
/** where the server keeps its state: the embedded store on disk (the default, as npm start) or memory */
const STORE = flag('store', 'file') === 'memory' ? 'memory' : 'file';
const WARMUP_MS = 2000;
const deadline = Date.now() + (SECONDS * (PACE === 'both' ? 2 : 1) * (WITH_RELAY ? 2 : 1) + 60 * (WITH_RELAY ? 2 : 1)) * 1000;
/**
 * The game's clocks (RTO 3 s, TIME-WAIT 5 s) scaled per phase. At a human pace a quarter of real time keeps
 * the retransmission timer (750 ms) longer than the 500 ms between a card and its answer, as it is when
 * people play, while TIME-WAIT (1.25 s) does not idle the rooms for long. At full speed 2 % (TIME-WAIT 100 ms)
 * keeps the rounds coming.
 */
const TIMER_SCALE: Record<Pace, number> = { human: 0.25, fast: 0.02 };

// ------------------------------------------------------------------------------------------ helpers
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (x: number) => (Number.isNaN(x) ? '   –  ' : `${x.toFixed(2).padStart(6)}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ServerStats {
  p50: number;
  p99: number;
  max: number;
  gcMs: number;
  gcMax: number;
  gcKinds: Record<string, { count: number; ms: number; max: number }>;
  heapMb: number;
  /** card:play, decoded event to answer: p50, p99, max */
  handlingMs: number[];
  /** the store's commits in the phase (null for the relay) */
  store: { kind: string; commits: number; entries: number; syncMs: number; maxBatch: number; fileBytes: number; compactions: number; compactionHoldMaxMs: number; commitWaitMs?: { p50: number; p99: number; max: number }; commitSyncMs?: { p50: number; p99: number; max: number } } | null;
}

function serverStats(server: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve) => {
    server.once('message', (stats) => resolve(stats as ServerStats));
    server.send('stats');
  });
}

function stopProcess(process: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (process.exitCode !== null || process.signalCode !== null) return resolve();
    process.once('exit', () => resolve());
    process.kill('SIGTERM');
    setTimeout(() => process.kill('SIGKILL'), 2000).unref();
  });
}


/** `total` split into `parts` whole shares, the first ones one larger. */
const share = (total: number, parts: number, i: number) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);

// ------------------------------------------------------------------------------------------ one phase
async function runPhase(pace: Pace, relay: boolean) {
  const started = await startServerProcess({ profile: process.argv.includes('--profile-server'), timerScale: TIMER_SCALE[pace], relay, store: STORE });
  const server = started.child;
  running.add(server);
  const serverPid = server.pid!;
  const rssIdle = rssMb(serverPid);
  const url = `http://127.0.0.1:${started.port}`;
  const t = performance.now();
  const generators = Array.from({ length: GENERATORS }, () => {
    // same Node flags (tsx, single-threaded GC) and the same core as this process
    const generator = fork(fileURLToPath(new URL('./bench-load.ts', import.meta.url)), [], { execArgv: process.execArgv });
    running.add(generator);
    return generator;
  });
  await Promise.all(
    generators.map((generator, i) => {
      const ready = nextMessage(generator, 'ready');
      generator.send({ type: 'setup', url, rooms: share(ROOMS, GENERATORS, i), spectators: share(SPECTATORS, GENERATORS, i), relay } satisfies CoordinatorMessage);
      return ready;
    }),
  );
  console.log(
    `bench ${pace}${relay ? ' (bare relay)' : ''}: ${ROOMS} rooms (${ROOMS * 2} players) + ${SPECTATORS} spectators connected from ${GENERATORS} processes in ${((performance.now() - t) / 1000).toFixed(1)} s; server RSS idle ${rssIdle.toFixed(0)} MB → ${rssMb(serverPid).toFixed(0)} MB`,
  );

  const recordAt = Date.now() + 500 + WARMUP_MS;
  const endAt = recordAt + SECONDS * 1000;
  const results = generators.map((generator) => nextMessage<LoadResult>(generator, 'result'));
  for (const generator of generators) generator.send({ type: 'run', pace, recordAt, endAt } satisfies CoordinatorMessage);
  await sleep(recordAt - Date.now());
  const cpu0 = cpuTimes(serverPid);
  const t0 = performance.now();
  server.send('reset');
  await sleep(endAt - Date.now());
  const cpuNow = cpuTimes(serverPid);
  const elapsed = (performance.now() - t0) / 1000;
  const serverDelay = await serverStats(server);
  const rss = rssMb(serverPid);
  const loads = await Promise.all(results);
  for (const generator of generators) {
    generator.disconnect();
    await stopProcess(generator);
    running.delete(generator);
  }
  await stopProcess(server);
  running.delete(server);

  const kernel = cpuNow.kernel - cpu0.kernel;
  const cpu = cpuNow.user - cpu0.user + kernel;
  const cards = loads.reduce((n, l) => n + l.cards, 0);
  const rt = loads.flatMap((l) => l.roundTrip).sort((a, b) => a - b);
  const up = loads.flatMap((l) => l.update).sort((a, b) => a - b);
  const errors = new Map<string, number>();
  for (const l of loads) for (const [code, n] of l.errors) errors.set(code, (errors.get(code) ?? 0) + n);
  return {
    pace,
    relay,
    cardsPerSecond: cards / elapsed,
    timersPerSecond: loads.reduce((n, l) => n + l.timerMoves, 0) / elapsed,
    rounds: loads.reduce((n, l) => n + l.rounds, 0),
    rt: [50, 95, 99].map((p) => percentile(rt, p)),
    up: [50, 95, 99].map((p) => percentile(up, p)),
    cpuPercent: (cpu / elapsed) * 100,
    kernelPercent: (kernel / elapsed) * 100,
    cpuPerCardUs: cards > 0 ? (cpu / cards) * 1e6 : Number.NaN,
    rss,
    errors: [...errors.entries()],
    serverDelay,
    generatorCpuPercent: (loads.reduce((n, l) => n + l.cpuSeconds, 0) / elapsed) * 100,
    generatorLoopP99: Math.max(...loads.map((l) => l.loopP99)),
    generatorGc: { ms: loads.reduce((n, l) => n + l.gcMs, 0), max: Math.max(...loads.map((l) => l.gcMax)) },
  };
}

// ------------------------------------------------------------------------------------------ main
const running = new Set<ChildProcess>();
const watchdog = setTimeout(() => {
  console.error('bench: time is up, stopping');
  for (const child of running) child.kill('SIGKILL');
  process.exit(2);
}, deadline - Date.now());
watchdog.unref();
const phases: Pace[] = PACE === 'both' ? ['human', 'fast'] : [PACE];
const results = [];
try {
  // one server per phase, each with its own clock scale and a fresh heap; --relay: the bare relay first
  // the machine's load average around each phase: on a shared machine, another job's load shows in every figure
  const withLoad = async (phase: Promise<Awaited<ReturnType<typeof runPhase>>>) => {
    const before = loadavg()[0];
    return { ...(await phase), load: [before, loadavg()[0]] as const };
  };
  for (const pace of phases) {
    if (WITH_RELAY) results.push(await withLoad(runPhase(pace, true)));
    results.push(await withLoad(runPhase(pace, false)));
  }
  console.log('');
  console.log(`pace   cards/s timers/s rounds   round-trip ms p50/p95/p99     update ms p50/p95/p99   server CPU   µs/card   RSS MB`);
  for (const r of results) {
    const relayOfPhase = results.find((other) => other.relay && other.pace === r.pace);
    if (r.relay) console.log('relay: the bare socket.io relay in the server\'s place (the yardstick)');
    console.log(
      `${r.pace.padEnd(6)} ${r.cardsPerSecond.toFixed(0).padStart(7)} ${r.timersPerSecond.toFixed(0).padStart(8)} ${String(r.rounds).padStart(6)}   ${r.rt.map(ms).join(' ')}    ${r.up.map(ms).join(' ')}   ${r.cpuPercent.toFixed(1).padStart(6)} %  ${r.cpuPerCardUs.toFixed(0).padStart(7)}   ${r.rss.toFixed(0).padStart(6)}`,
    );
    console.log(`       server CPU in the kernel (socket reads and writes): ${r.kernelPercent.toFixed(1)} % of the ${r.cpuPercent.toFixed(1)} %; machine load average ${r.load[0].toFixed(1)} before, ${r.load[1].toFixed(1)} after`);
    const [h50, h99, hMax] = r.serverDelay.handlingMs;
    console.log(`       server's own time per card (event decoded → answer sent): p50 ${h50.toFixed(2)} ms, p99 ${h99.toFixed(2)} ms, max ${hMax.toFixed(0)} ms`);
    console.log(`       server event-loop delay p50 ${r.serverDelay.p50.toFixed(1)} ms, p99 ${r.serverDelay.p99.toFixed(1)} ms, max ${r.serverDelay.max.toFixed(0)} ms; heap ${r.serverDelay.heapMb.toFixed(0)} MB`);
    const kinds = Object.entries(r.serverDelay.gcKinds).map(([kind, k]) => `${kind} ${k.count}× ${k.ms.toFixed(0)} ms (longest ${k.max.toFixed(1)})`);
    console.log(`       GC ${r.serverDelay.gcMs.toFixed(0)} ms in all: ${kinds.join(', ')}`);
    console.log(
      `       load generator (${GENERATORS} processes, one core): ${r.generatorCpuPercent.toFixed(0)} % of it, event-loop delay p99 ${r.generatorLoopP99.toFixed(1)} ms, GC ${r.generatorGc.ms.toFixed(0)} ms (longest ${r.generatorGc.max.toFixed(1)})`,
    );
    const st = r.serverDelay.store;
    if (st) {
      const perCommit = st.commits > 0 ? st.entries / st.commits : 0;
      console.log(
        st.kind === 'file'
          ? `       store: journal, ${st.commits} commits (${(st.commits / SECONDS).toFixed(0)}/s) of ${perCommit.toFixed(1)} writes on average (largest ${st.maxBatch}), write + fdatasync ${(st.commits > 0 ? st.syncMs / st.commits : 0).toFixed(2)} ms per commit; file ${(st.fileBytes / 2 ** 20).toFixed(1)} MB, compacted ${st.compactions}× (commits held at most ${st.compactionHoldMaxMs.toFixed(1)} ms while a copy was put in place)${st.commitWaitMs ? `\n       a write's wait until durable (the last 20,000 writes): p50 ${st.commitWaitMs.p50.toFixed(2)} ms, p99 ${st.commitWaitMs.p99.toFixed(2)} ms, max ${st.commitWaitMs.max.toFixed(0)} ms` : ''}${st.commitSyncMs ? `; a commit's write + fdatasync: p50 ${st.commitSyncMs.p50.toFixed(2)} ms, p99 ${st.commitSyncMs.p99.toFixed(2)} ms, max ${st.commitSyncMs.max.toFixed(0)} ms` : ''}`
          : `       store: memory (${st.entries} writes, nothing on disk)`,
      );
    }
    if (r.errors.length > 0) console.log(`       errors: ${r.errors.map(([k, n]) => `${k}×${n}`).join(', ')}`);
    if (!r.relay && relayOfPhase) {
      // a move: a card or a timer's (the relay has no clocks: its moves are its cards)
      const perMove = (x: typeof r) => (x.cpuPercent / 100 / (x.cardsPerSecond + x.timersPerSecond)) * 1e6;
      console.log(
        `       against the bare relay: ${perMove(r).toFixed(0)} µs per move (card or timer) = ${(perMove(r) / perMove(relayOfPhase)).toFixed(2)}× its ${perMove(relayOfPhase).toFixed(0)} µs; round-trip p99 ${(r.rt[2] / relayOfPhase.rt[2]).toFixed(2)}× its p99`,
      );
    }
  }
  console.log('(µs/card: server CPU time over the cards played; timer moves — retransmissions, TIME-WAIT ending — are in it too)');
} finally {
  for (const child of running) child.kill('SIGKILL');
}
process.exit(0);
