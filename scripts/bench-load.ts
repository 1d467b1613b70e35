// One process of bench:server's load generator (scripts/bench-server.ts forks several, all on one core).
//
// The load stands for thousands of phones, each with a CPU and a garbage collector of its own. In a single
// process one collection would stall every simulated player at once and count as server latency; split over
// a few processes, a pause holds up only that process's share (the others run in its place on the core).
//
// It plays whole games in its share of the duel rooms: both seats are real socket.io-client sockets, plus
// spectators. Each room follows a shadow copy of its game with the shared engine (as a real client does), so
// the only traffic is what a client sends: cards, and a rematch when a round ends. Each room plays on its
// own clock, as real players do.
//
// Messages from the coordinator: { type: 'setup', url, rooms, spectators } → 'ready';
// { type: 'run', pace, recordAt, endAt } (times from Date.now()) → 'result' with the raw samples.

import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { fireTimer, hintFor, newGame, playCard } from '../shared/game/index.ts';
import type { Card, GameState, Seat } from '../shared/game/types.ts';
import type { RoomUpdate } from '../shared/protocol/events.ts';

export type Pace = 'human' | 'fast';

export type CoordinatorMessage =
  | { type: 'setup'; url: string; rooms: number; spectators: number }
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

interface BenchRoom {
  code: string;
  /** socket of each seat (they swap at a rematch) */
  seats: Record<Seat, Socket>;
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
async function step(room: BenchRoom, now: number, pace: Pace): Promise<boolean> {
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

/** A room's own clock: the next card when its time comes (a shared tick would send the cards in bursts). */
async function playRoom(room: BenchRoom, pace: Pace, end: number): Promise<void> {
  while (Date.now() < end) {
    const wait = room.nextAt - Date.now();
    if (wait > 0) await sleep(wait);
    if (Date.now() >= end) return;
    if (!(await step(room, Date.now(), pace))) await sleep(pace === 'human' ? 20 : 1);
  }
}

async function createRooms(url: string, roomCount: number, spectatorCount: number): Promise<BenchRoom[]> {
  const rooms = await inBatches(roomCount, 100, async () => {
    const [a, b] = await Promise.all([connect(url), connect(url)]);
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
  await inBatches(spectatorCount, 100, async (i) => {
    const s = await connect(url);
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
      void createRooms(message.url, message.rooms, message.spectators).then(
        (made) => {
          rooms = made;
          process.send!({ type: 'ready' });
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
