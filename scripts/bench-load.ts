// One process of bench:server's load generator (scripts/bench-server.ts forks several, all on one core).
//
// The load stands for thousands of phones, each with a CPU and a garbage collector of its own. In a single
// process one collection would stall every simulated player at once and count as server latency; split over
// a few processes, a pause holds up only that process's share (the others run in its place on the core).
//
// It plays whole games in its share of the duel rooms: both seats are real socket.io-client sockets, plus
// spectators. Every round is the same game (one mission, one seed, no network faults), so the cards are
// worked out once with the shared engine, as a script — [card A, card B, …, wait for TIME-WAIT to end] — and
// every room follows it: the simulated players do not each run the engine on this one core, whose time and
// garbage collector pauses would otherwise count as server latency. A room whose round leaves the script (a
// retransmission timer fired: at full speed the server can answer later than the game's clock) rebuilds its
// game from the script's steps so far and follows it with the engine until the round ends. The only traffic is what a client
// sends: cards, and a rematch when a round ends. Each room plays on its own clock, as real players do.
//
// Messages from the coordinator: { type: 'setup', url, rooms, spectators, relay } → 'ready' (relay: the server
// is the bare relay of bench-relay.ts, which has no clocks: the script's waits for a timer are skipped);
// { type: 'run', pace, recordAt, endAt } (times from Date.now()) → 'result' with the raw samples.

import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { fireTimer, hintFor, newGame, playCard } from '../shared/game/index.ts';
import type { Card, GameState, Seat } from '../shared/game/types.ts';
import type { RoomUpdate } from '../shared/protocol/events.ts';
import type { TimerKind } from '../shared/tcp/types.ts';

export type Pace = 'human' | 'fast';

export type CoordinatorMessage =
  /** secondUrl: seat B and the spectators connect there (bench:cluster: another node of the same service) */
  | { type: 'setup'; url: string; secondUrl?: string; rooms: number; spectators: number; relay: boolean }
  | { type: 'run'; pace: Pace; recordAt: number; endAt: number };

export interface LoadResult {
  type: 'result';
  roundTrip: number[];
  update: number[];
  cards: number;
  timerMoves: number;
  rounds: number;
  errors: [string, number][];
  cpuSeconds: number;
  loopP99: number;
  gcMs: number;
  gcMax: number;
}

/** a room plays a card every 500 ms: with two players, one card per second per player */
export const HUMAN_ROOM_INTERVAL_MS = 500;
const MISSION = { mission: 'open-send-close', seed: 0, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } } as const;

/** One step of a round: a seat plays a card, or everyone waits for one of the server's clocks to fire. */
type ScriptStep = { kind: 'card'; seat: Seat; card: Card } | { kind: 'timer' };

/** The round every room plays, worked out once with the engine, as a player following the hints would play it. */
export function roundScript(): ScriptStep[] {
  const script: ScriptStep[] = [];
  let game = newGame(MISSION);
  while (game.status !== 'finished') {
    const seat = (['A', 'B'] as const).find((s) => hintFor(game, s) !== null);
    if (seat) {
      const card = hintFor(game, seat)!;
      const result = playCard(game, seat, card);
      if (!result.ok) throw new Error(`the script's own card was refused: ${result.refusal.code}`);
      game = result.game;
      script.push({ kind: 'card', seat, card });
      continue;
    }
    const timer = game.timers[0];
    if (!timer) throw new Error('the round is stuck: no card to play and no timer running');
    const result = fireTimer(game, timer.end, timer.kind);
    if (!result.ok) throw new Error(`the script's timer was refused: ${result.refusal.code}`);
    game = result.game;
    script.push({ kind: 'timer' });
  }
  return script;
}
const SCRIPT = roundScript();
/** set by the coordinator: against the bare relay, which runs no clocks, a round is its cards only */
let againstRelay = false;

interface BenchRoom {
  code: string;
  /** the two players' seat tokens (bench:cluster brings them back on another node after a SIGKILL) */
  tokens: string[];
  /** socket of each seat (they swap at a rematch) */
  seats: Record<Seat, Socket>;
  /** the next step of the script; past its end, the round is over */
  next: number;
  /** off the script: the room's game, followed with the engine, and moves seen ahead of their turn by version */
  shadow: GameState | null;
  pending: Map<number, { kind: 'card'; seat: Seat; card: Card } | { kind: 'timer'; end: Seat; timer: TimerKind }>;
  version: number;
  /**
   * the last card played, until the other seat has its update: on one server the update goes out before the
   * answer, but across nodes of a cluster (bench:cluster) it may come after the answer
   */
  awaited: { t0: number; seat: Seat; expected: number } | null;
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
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function connect(url: string): Promise<Socket> {
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

function onUpdate(room: BenchRoom, update: RoomUpdate, fromSeatSocket: Seat | null) {
  const v = update.room.version;
  const flight = room.awaited;
  // the update of the card last played, as the other seat (or a spectator) sees it
  if (flight && v === flight.expected && update.by === flight.seat && fromSeatSocket !== flight.seat && stats.recording) {
    stats.update.push(performance.now() - flight.t0);
  }
  if (fromSeatSocket !== 'A' || update.by !== 'timer') return; // one socket is enough to follow timers
  if (stats.recording) stats.timerMoves += 1;
  if (!room.shadow && SCRIPT[room.next]?.kind === 'timer' && v === room.version + 1) {
    room.next += 1;
    room.version = v;
    return;
  }
  const timer = update.happenings.find((h) => h.type === 'timer');
  if (!timer || timer.type !== 'timer') return;
  if (!room.shadow) room.shadow = replayScript(room.next);
  room.pending.set(v, { kind: 'timer', end: timer.end, timer: timer.timer });
  advance(room);
}

/** The game after the script's first `steps` steps (a room leaving the script takes it from there). */
function replayScript(steps: number): GameState {
  let game = newGame(MISSION);
  for (const step of SCRIPT.slice(0, steps)) {
    const result = step.kind === 'card' ? playCard(game, step.seat, step.card) : fireTimer(game, game.timers[0].end, game.timers[0].kind);
    if (result.ok) game = result.game;
  }
  return game;
}

/** Off the script: apply the moves seen to the room's game in version order (an ack and a timer can cross). */
function advance(room: BenchRoom) {
  for (let next = room.pending.get(room.version + 1); next && room.shadow; next = room.pending.get(room.version + 1)) {
    room.pending.delete(room.version + 1);
    room.version += 1;
    const result = next.kind === 'card' ? playCard(room.shadow, next.seat, next.card) : fireTimer(room.shadow, next.end, next.timer);
    if (result.ok) room.shadow = result.game;
    else countError(`shadow:${result.refusal.code}`);
  }
}

/** What the room plays next: the script's step, or off the script the hint of the seat that has a card. */
function nextStep(room: BenchRoom): ScriptStep | undefined {
  const game = room.shadow;
  if (!game) return SCRIPT[room.next];
  if (room.pending.size > 0) return { kind: 'timer' }; // waiting for a move to fill a gap
  if (game.status === 'finished') return undefined;
  for (const seat of ['A', 'B'] as const) {
    const card = hintFor(game, seat);
    if (card) return { kind: 'card', seat, card };
  }
  return { kind: 'timer' };
}

/** Play the room's next card (or ask for a rematch); false when there is nothing to play yet (a timer will fire). */
async function step(room: BenchRoom, now: number, pace: Pace): Promise<boolean> {
  if (againstRelay) while (SCRIPT[room.next]?.kind === 'timer') room.next += 1;
  const next = nextStep(room);
  if (next?.kind === 'timer') return false; // quiet: the server's clock will fire
  room.busy = true;
  try {
    if (!next) {
      const reply = await room.seats.A.timeout(10_000).emitWithAck('room:rematch', { code: room.code });
      if (!reply.ok) {
        countError(`rematch:${reply.error.code}`);
        return true;
      }
      room.seats = { A: room.seats.B, B: room.seats.A };
      room.version = reply.room.version;
      room.next = 0;
      room.shadow = null;
      room.pending.clear();
      if (stats.recording) stats.rounds += 1;
      return true;
    }
    const t0 = performance.now();
    room.awaited = { t0, seat: next.seat, expected: room.version + 1 };
    const reply = await room.seats[next.seat].timeout(10_000).emitWithAck('card:play', { code: room.code, version: room.version, card: next.card });
    const t1 = performance.now();
    if (!reply.ok) {
      countError(reply.error.code === 'REFUSED' ? `refused:${reply.error.refusal.code}` : reply.error.code);
      return true;
    }
    if (stats.recording) {
      stats.roundTrip.push(t1 - t0);
      stats.cards += 1;
    }
    if (room.shadow) {
      room.pending.set(reply.version, { kind: 'card', seat: next.seat, card: next.card });
      advance(room);
    } else {
      room.version = reply.version;
      room.next += 1;
    }
  } catch (error) {
    countError(`exception:${(error as Error).message}`);
  } finally {
    room.busy = false;
    room.nextAt = pace === 'human' ? Math.max(now + HUMAN_ROOM_INTERVAL_MS, room.nextAt + HUMAN_ROOM_INTERVAL_MS) : 0;
  }
  return true;
}

/** A room's own clock: the next card when its time comes (a shared tick would send the cards in bursts). */
async function playRoom(room: BenchRoom, pace: Pace, end: number): Promise<void> {
  while (Date.now() < end) {
    const wait = room.nextAt - Date.now();
    if (wait > 0) await sleep(wait);
    if (Date.now() >= end) return;
    if (!(await step(room, Date.now(), pace))) await sleep(pace === 'human' ? 20 : 1);
  }
}

async function createRooms(url: string, roomCount: number, spectatorCount: number, secondUrl = url): Promise<BenchRoom[]> {
  const rooms = await inBatches(roomCount, 100, async () => {
    const [a, b] = await Promise.all([connect(url), connect(secondUrl)]);
    const created = await a.timeout(10_000).emitWithAck('room:create', { mode: 'duel', nickname: 'Bench A' });
    const room: BenchRoom = {
      code: created.room.code,
      tokens: [created.seatToken],
      seats: { A: a, B: b },
      next: 0,
      shadow: null,
      pending: new Map(),
      version: 0,
      awaited: null,
      nextAt: 0,
      busy: false,
    };
    a.on('room:update', (u: RoomUpdate) => onUpdate(room, u, room.seats.A === a ? 'A' : 'B'));
    b.on('room:update', (u: RoomUpdate) => onUpdate(room, u, room.seats.A === b ? 'A' : 'B'));
    const joined = await b.timeout(10_000).emitWithAck('room:join', { code: room.code, nickname: 'Bench B' });
    room.version = joined.room.version;
    room.tokens.push(joined.seatToken);
    return room;
  });
  await inBatches(spectatorCount, 100, async (i) => {
    const s = await connect(secondUrl);
    const room = rooms[i % rooms.length];
    s.on('room:update', (u: RoomUpdate) => onUpdate(room, u, null));
    await s.timeout(10_000).emitWithAck('room:join', { code: room.code, spectate: true });
  });
  return rooms;
}

async function run(rooms: BenchRoom[], pace: Pace, recordAt: number, endAt: number): Promise<LoadResult> {
  // spread the rooms over one interval so they do not all play at the same instant
  const start = Date.now();
  for (const room of rooms) room.nextAt = pace === 'human' ? start + Math.random() * HUMAN_ROOM_INTERVAL_MS : 0;
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  const gc = { ms: 0, max: 0 };
  const gcObserver = new PerformanceObserver((list) => {
    if (!stats.recording) return;
    for (const entry of list.getEntries()) {
      gc.ms += entry.duration;
      gc.max = Math.max(gc.max, entry.duration);
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const playing = Promise.all(rooms.map((room) => playRoom(room, pace, endAt)));
  await sleep(Math.max(0, recordAt - Date.now()));
  stats.recording = true;
  const cpu0 = process.cpuUsage();
  loopDelay.enable();
  await playing;
  stats.recording = false;
  loopDelay.disable();
  gcObserver.disconnect();
  const cpu = process.cpuUsage(cpu0);
  return {
    type: 'result',
    roundTrip: stats.roundTrip,
    update: stats.update,
    cards: stats.cards,
    timerMoves: stats.timerMoves,
    rounds: stats.rounds,
    errors: [...stats.errors.entries()],
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    loopP99: loopDelay.percentile(99) / 1e6,
    gcMs: gc.ms,
    gcMax: gc.max,
  };
}

// ------------------------------------------------------------------------------------------ as a forked process
if (process.send) {
  let rooms: BenchRoom[] = [];
  process.on('message', (message: CoordinatorMessage) => {
    if (message.type === 'setup') {
      againstRelay = message.relay;
      void createRooms(message.url, message.rooms, message.spectators, message.secondUrl).then(
        (made) => {
          rooms = made;
          process.send!({ type: 'ready', rooms: made.map((room) => ({ code: room.code, tokens: room.tokens })) });
        },
        (error: Error) => process.send!({ type: 'failed', message: error.message }),
      );
    } else if (message.type === 'run') {
      void run(rooms, message.pace, message.recordAt, message.endAt).then((result) => process.send!(result));
    }
  });
  // the coordinator going away ends this process too
  process.on('disconnect', () => process.exit(0));
}
