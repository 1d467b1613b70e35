// npm run bench:server [-- --rooms 1000 --spectators 200 --seconds 20 --pace human|fast|both]
//
// Starts the game server in a child process pinned to one core (taskset -c 0), and, in this process (pinned to
// the other core), a load generator on 127.0.0.1 that plays whole games in N concurrent duel rooms: both seats
// are real socket.io-client sockets, plus spectators. Each room runs a shadow copy of its game with the shared
// engine (as a real client does), so the only traffic is what a client sends: cards, and a rematch when a round
// ends. Each room plays on its own clock. Two phases, each on a fresh server: a human pace (one card per second
// per player, the game's clocks at a quarter of real time) and full speed (the next card as soon as the last is
// acknowledged). Prints the card round-trip (emit → ack) and update latency (emit → room:update at the other
// seat and the spectators) at p50/p95/p99, cards and timer moves per second, the server's CPU, memory and GC
// pauses. Stops by itself.

import type { ChildProcess } from 'node:child_process';
import { cpuTimes, rssMb, startServerProcess } from './bench-process.ts';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { fireTimer, hintFor, newGame, playCard } from '../shared/game/index.ts';
import type { Card, GameState, Seat } from '../shared/game/types.ts';
import type { RoomUpdate } from '../shared/protocol/events.ts';

// ------------------------------------------------------------------------------------------ child: the server
if (process.argv.includes('--serve')) {
  const { startServer } = await import('../server/index.ts');
  const server = await startServer({ port: 0, host: '127.0.0.1', clientDir: null });
  // the parent asks for the server's event-loop delay per phase: how long work waited in the server itself
  const { monitorEventLoopDelay: monitor, PerformanceObserver } = await import('node:perf_hooks');
  const delay = monitor({ resolution: 1 });
  const { writeHeapSnapshot } = await import('node:v8');
  const allocations = process.env.BENCH_ALLOCATIONS ? await allocationProfiler(process.env.BENCH_ALLOCATIONS) : null;
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
      delay.reset();
      delay.enable();
      gcMs = 0;
      gcMax = 0;
      gcKinds = {};
    } else if (message === 'stats') {
      void allocations?.stop();
      // BENCH_SNAPSHOT=FILE: what the server holds at the end of the phase, for Chrome DevTools' Memory tab
      if (process.env.BENCH_SNAPSHOT) writeHeapSnapshot(process.env.BENCH_SNAPSHOT);
      const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
      process.send!({ p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6, gcMs, gcMax, gcKinds, heapMb });
    }
  });
  process.stdout.write(`PORT=${server.port}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  await new Promise(() => {});
}

/**
 * BENCH_ALLOCATIONS=FILE: where the server allocates during the measured phase, garbage included (Node's
 * --heap-prof keeps only what is still alive at the end), written as a .heapprofile for Chrome DevTools.
 */
async function allocationProfiler(file: string) {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  return {
    async start() {
      await session.post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    },
    async stop() {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
    },
  };
}

// ------------------------------------------------------------------------------------------ the load generator's own process
// The load generator stands for thousands of phones, each with a CPU of its own; here it is one process on one
// core. Its GC helper threads would take turns with its main thread there and delay the acknowledgements it
// times, so it runs single-threaded GC too (started again with the flag, pinned to core 1).
if (!process.argv.includes('--serve') && !process.execArgv.includes('--single-threaded-gc') && !process.env.BENCH_GENERATOR) {
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
const PACE = flag('pace', 'both') as 'human' | 'fast' | 'both';
const WARMUP_MS = 2000;
/** a room plays a card every 500 ms: with two players, one card per second per player */
const HUMAN_ROOM_INTERVAL_MS = 500;
const deadline = Date.now() + (SECONDS * (PACE === 'both' ? 2 : 1) + 40) * 1000;

type Client = Socket;

// ------------------------------------------------------------------------------------------ the server process

// ------------------------------------------------------------------------------------------ the load
interface BenchRoom {
  code: string;
  /** socket of each seat (they swap at a rematch) */
  seats: Record<Seat, Client>;
  shadow: GameState;
  version: number;
  /** transitions by version, applied in order: a card acknowledged or a timer seen */
  pending: Map<number, { kind: 'card'; seat: Seat; card: Card } | { kind: 'timer'; end: Seat; timer: 'rto' | '2msl' | 'user_timeout' } | { kind: 'reset' }>;
  inFlight: { t0: number; seat: Seat; expected: number } | null;
  nextAt: number;
  busy: boolean;
}

const stats = {
  roundTrip: [] as number[],
  update: [] as number[],
  cards: 0,
  /** moves made by the server's clocks (a retransmission, TIME-WAIT ending), seen at one seat per room */
  timerMoves: 0,
  rounds: 0,
  errors: new Map<string, number>(),
  recording: false,
};
const countError = (code: string) => stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);

function connect(url: string): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < count; i += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => make(i + j)))));
  }
  return out;
}

const MISSION = { mission: 'open-send-close', seed: 0, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } } as const;

function onUpdate(room: BenchRoom, update: RoomUpdate, fromSeatSocket: Seat | null) {
  const v = update.room.version;
  const flight = room.inFlight;
  // the update of the card in flight, as the other seat (or a spectator) sees it
  if (flight && v === flight.expected && update.by === flight.seat && fromSeatSocket !== flight.seat && stats.recording) {
    stats.update.push(performance.now() - flight.t0);
  }
  if (fromSeatSocket !== 'A') return; // one socket is enough to follow timers
  if (update.by === 'timer') {
    if (stats.recording) stats.timerMoves += 1;
    const timer = update.happenings.find((h) => h.type === 'timer');
    if (timer && timer.type === 'timer') room.pending.set(v, { kind: 'timer', end: timer.end, timer: timer.timer });
    advance(room);
  }
}

/** Apply known transitions in version order to the shadow game. */
function advance(room: BenchRoom) {
  for (let next = room.pending.get(room.version + 1); next; next = room.pending.get(room.version + 1)) {
    room.pending.delete(room.version + 1);
    room.version += 1;
    if (next.kind === 'card') {
      const result = playCard(room.shadow, next.seat, next.card);
      if (result.ok) room.shadow = result.game;
      else countError(`shadow:${result.refusal.code}`);
    } else if (next.kind === 'timer') {
      const result = fireTimer(room.shadow, next.end, next.timer);
      if (result.ok) room.shadow = result.game;
    } else {
      room.shadow = newGame(MISSION);
    }
  }
}

/** Play the room's next card (or ask for a rematch); false when there is nothing to play yet (a timer will fire). */
async function step(room: BenchRoom, now: number, pace: 'human' | 'fast'): Promise<boolean> {
  if (room.pending.size > 0) return false; // waiting for a timer update to fill a gap
  room.busy = true;
  let played = true;
  try {
    if (room.shadow.status === 'finished') {
      const reply = await room.seats.A.timeout(10_000).emitWithAck('room:rematch', { code: room.code });
      if (!reply.ok) {
        countError(`rematch:${reply.error.code}`);
        return true;
      }
      room.seats = { A: room.seats.B, B: room.seats.A };
      room.pending.set(reply.room.version, { kind: 'reset' });
      advance(room);
      if (stats.recording) stats.rounds += 1;
      return true;
    }
    let seat: Seat = 'A';
    let card = hintFor(room.shadow, 'A');
    if (!card) {
      seat = 'B';
      card = hintFor(room.shadow, 'B');
    }
    if (!card) {
      played = false; // quiet: a timer will fire
      return false;
    }
    const t0 = performance.now();
    room.inFlight = { t0, seat, expected: room.version + 1 };
    const reply = await room.seats[seat].timeout(10_000).emitWithAck('card:play', { code: room.code, version: room.version, card });
    const t1 = performance.now();
    room.inFlight = null;
    if (!reply.ok) {
      countError(reply.error.code === 'REFUSED' ? `refused:${reply.error.refusal.code}` : reply.error.code);
      return true;
    }
    if (stats.recording) {
      stats.roundTrip.push(t1 - t0);
      stats.cards += 1;
    }
    room.pending.set(reply.version, { kind: 'card', seat, card });
    advance(room);
  } catch (error) {
    countError(`exception:${(error as Error).message}`);
  } finally {
    room.busy = false;
    if (played) room.nextAt = pace === 'human' ? Math.max(now + HUMAN_ROOM_INTERVAL_MS, room.nextAt + HUMAN_ROOM_INTERVAL_MS) : 0;
  }
  return true;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Each room plays on its own clock, as real players do (a sweep over all rooms on a shared tick would send
 * the cards in bursts, and measure the burst rather than the server).
 */
async function playRoom(room: BenchRoom, pace: 'human' | 'fast', end: number): Promise<void> {
  while (Date.now() < end && Date.now() < deadline) {
    const wait = room.nextAt - Date.now();
    if (wait > 0) await sleep(wait);
    if (Date.now() >= end) return;
    if (!(await step(room, Date.now(), pace))) await sleep(pace === 'human' ? 20 : 1);
  }
}

async function createRooms(url: string): Promise<{ rooms: BenchRoom[]; sockets: Client[] }> {
  const sockets: Client[] = [];
  const rooms = await inBatches(ROOMS, 100, async () => {
    const [a, b] = await Promise.all([connect(url), connect(url)]);
    sockets.push(a, b);
    const created = await a.timeout(10_000).emitWithAck('room:create', { mode: 'duel', nickname: 'Bench A' });
    const room: BenchRoom = {
      code: created.room.code,
      seats: { A: a, B: b },
      shadow: newGame(MISSION),
      version: 0,
      pending: new Map(),
      inFlight: null,
      nextAt: 0,
      busy: false,
    };
    a.on('room:update', (u: RoomUpdate) => onUpdate(room, u, room.seats.A === a ? 'A' : 'B'));
    b.on('room:update', (u: RoomUpdate) => onUpdate(room, u, room.seats.A === b ? 'A' : 'B'));
    const joined = await b.timeout(10_000).emitWithAck('room:join', { code: room.code, nickname: 'Bench B' });
    room.version = joined.room.version;
    return room;
  });
  await inBatches(SPECTATORS, 100, async (i) => {
    const s = await connect(url);
    sockets.push(s);
    const room = rooms[i % rooms.length];
    s.on('room:update', (u: RoomUpdate) => onUpdate(room, u, null));
    await s.timeout(10_000).emitWithAck('room:join', { code: room.code, spectate: true });
  });
  return { rooms, sockets };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
const ms = (x: number) => (Number.isNaN(x) ? '   –  ' : `${x.toFixed(2).padStart(6)}`);

interface ServerStats {
  p50: number;
  p99: number;
  max: number;
  gcMs: number;
  gcMax: number;
  gcKinds: Record<string, { count: number; ms: number; max: number }>;
  heapMb: number;
}

function serverLoopDelay(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve) => {
    child.once('message', (stats) => resolve(stats as ServerStats));
    child.send('stats');
  });
}

async function runPhase(rooms: BenchRoom[], pace: 'human' | 'fast', pid: number, child: ChildProcess) {
  stats.roundTrip = [];
  stats.update = [];
  stats.cards = 0;
  stats.timerMoves = 0;
  stats.rounds = 0;
  stats.errors.clear();
  stats.recording = false;
  const start = Date.now();
  // spread the rooms over one interval so they do not all play at the same instant
  for (const room of rooms) room.nextAt = pace === 'human' ? start + Math.random() * HUMAN_ROOM_INTERVAL_MS : 0;
  let cpu0 = { user: 0, kernel: 0 };
  let t0 = 0;
  let ownCpu0 = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const ownGc = { ms: 0, max: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    if (!stats.recording) return;
    for (const entry of list.getEntries()) {
      ownGc.ms += entry.duration;
      ownGc.max = Math.max(ownGc.max, entry.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const end = start + WARMUP_MS + SECONDS * 1000;
  const playing = Promise.all(rooms.map((room) => playRoom(room, pace, end)));
  await sleep(WARMUP_MS);
  stats.recording = true;
  cpu0 = cpuTimes(pid);
  t0 = performance.now();
  ownCpu0 = process.cpuUsage();
  loopDelay.enable();
  child.send('reset');
  await playing;
  stats.recording = false;
  loopDelay.disable();
  gcObserver.disconnect();
  const own = process.cpuUsage(ownCpu0);
  const elapsed = (performance.now() - t0) / 1000;
  const cpuNow = cpuTimes(pid);
  const kernel = cpuNow.kernel - cpu0.kernel;
  const cpu = cpuNow.user - cpu0.user + kernel;
  const serverDelay = await serverLoopDelay(child);
  // let the cards in flight land before the next phase
  while (rooms.some((r) => r.busy)) await new Promise((resolve) => setTimeout(resolve, 10));
  const rt = [...stats.roundTrip].sort((a, b) => a - b);
  const up = [...stats.update].sort((a, b) => a - b);
  return {
    pace,
    cardsPerSecond: stats.cards / elapsed,
    timersPerSecond: stats.timerMoves / elapsed,
    rounds: stats.rounds,
    rt: [50, 95, 99].map((p) => percentile(rt, p)),
    up: [50, 95, 99].map((p) => percentile(up, p)),
    cpuPercent: (cpu / elapsed) * 100,
    kernelPercent: (kernel / elapsed) * 100,
    cpuPerCardUs: stats.cards > 0 ? (cpu / stats.cards) * 1e6 : Number.NaN,
    rss: rssMb(pid),
    errors: [...stats.errors.entries()],
    serverDelay,
    generatorCpuPercent: ((own.user + own.system) / 1e6 / elapsed) * 100,
    generatorLoopP99: loopDelay.percentile(99) / 1e6,
    generatorGc: ownGc,
  };
}

// ------------------------------------------------------------------------------------------ main
/**
 * The game's clocks (RTO 3 s, TIME-WAIT 5 s) scaled per phase. At a human pace a quarter of real time keeps
 * the retransmission timer (750 ms) longer than the 500 ms between a card and its answer, as it is when
 * people play, while TIME-WAIT (1.25 s) does not idle the rooms for long. At full speed 2 % (TIME-WAIT 100 ms)
 * keeps the rounds coming.
 */
const TIMER_SCALE: Record<'human' | 'fast', number> = { human: 0.25, fast: 0.02 };
let child: ChildProcess | null = null;
const watchdog = setTimeout(() => {
  console.error('bench: time is up, stopping');
  child?.kill('SIGKILL');
  process.exit(2);
}, deadline - Date.now());
watchdog.unref();
const phases = PACE === 'both' ? (['human', 'fast'] as const) : ([PACE] as const);
const results = [];
try {
  // one server per phase, each with its own clock scale and a fresh heap
  for (const pace of phases) {
    const started = await startServerProcess({ profile: process.argv.includes('--profile-server'), timerScale: TIMER_SCALE[pace] });
    child = started.child;
    const serverPid = child.pid!;
    const rssIdle = rssMb(serverPid);
    const t = performance.now();
    const { rooms, sockets } = await createRooms(`http://127.0.0.1:${started.port}`);
    console.log(
      `bench ${pace}: ${ROOMS} rooms (${ROOMS * 2} players) + ${SPECTATORS} spectators connected in ${((performance.now() - t) / 1000).toFixed(1)} s; server RSS idle ${rssIdle.toFixed(0)} MB → ${rssMb(serverPid).toFixed(0)} MB`,
    );
    results.push(await runPhase(rooms, pace, serverPid, child));
    for (const socket of sockets) socket.disconnect();
    await stopServer(child);
    child = null;
  }
  console.log('');
  console.log(`pace   cards/s timers/s rounds   round-trip ms p50/p95/p99     update ms p50/p95/p99   server CPU   µs/card   RSS MB`);
  for (const r of results) {
    console.log(
      `${r.pace.padEnd(6)} ${r.cardsPerSecond.toFixed(0).padStart(7)} ${r.timersPerSecond.toFixed(0).padStart(8)} ${String(r.rounds).padStart(6)}   ${r.rt.map(ms).join(' ')}    ${r.up.map(ms).join(' ')}   ${r.cpuPercent.toFixed(1).padStart(6)} %  ${r.cpuPerCardUs.toFixed(0).padStart(7)}   ${r.rss.toFixed(0).padStart(6)}`,
    );
    console.log(`       server CPU in the kernel (socket reads and writes): ${r.kernelPercent.toFixed(1)} % of the ${r.cpuPercent.toFixed(1)} %`);
    console.log(`       server event-loop delay p50 ${r.serverDelay.p50.toFixed(1)} ms, p99 ${r.serverDelay.p99.toFixed(1)} ms, max ${r.serverDelay.max.toFixed(0)} ms; heap ${r.serverDelay.heapMb.toFixed(0)} MB`);
    const kinds = Object.entries(r.serverDelay.gcKinds).map(([kind, k]) => `${kind} ${k.count}× ${k.ms.toFixed(0)} ms (longest ${k.max.toFixed(1)})`);
    console.log(`       GC ${r.serverDelay.gcMs.toFixed(0)} ms in all: ${kinds.join(', ')}`);
    console.log(`       load generator: ${r.generatorCpuPercent.toFixed(0)} % of its core, event-loop delay p99 ${r.generatorLoopP99.toFixed(1)} ms, GC ${r.generatorGc.ms.toFixed(0)} ms (longest ${r.generatorGc.max.toFixed(1)})`);
    if (r.errors.length > 0) console.log(`       errors: ${r.errors.map(([k, n]) => `${k}×${n}`).join(', ')}`);
  }
  console.log('(µs/card: server CPU time over the cards played; timer moves — retransmissions, TIME-WAIT ending — are in it too)');
} finally {
  if (child) await stopServer(child);
}
process.exit(0);

function stopServer(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
    setTimeout(() => server.kill('SIGKILL'), 2000).unref();
  });
}
