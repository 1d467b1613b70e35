// Helpers for the server tests: a real server on an ephemeral port of 127.0.0.1, real socket.io-client
// sockets, and a driver that plays a whole game by asking the server for the right card (hint:ask).
import { io, type Socket } from 'socket.io-client';
import { roomKey } from '../../server/store/stateStore.ts';
import { startServer, type RunningServer, type StartOptions } from '../../server/index.ts';
import type { Card, Seat, TimelineEntry } from '../../shared/game/types.ts';
import { applyTimelineChange } from '../../shared/protocol/timelineDelta.ts';
import type {
  ClientToServerEvents,
  Evicted,
  RoomUpdate,
  RoomUpdateMessage,
  RoomView,
  SeatPresence,
  ServerToClientEvents,
  YouAre,
} from '../../shared/protocol/events.ts';

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Presence = { code: string; seats: Record<Seat, SeatPresence>; spectators: number };

/** Short clocks and generous limits, so tests are quick; a test that checks a limit sets its own. */
export function testServer(options: StartOptions = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    clientDir: null,
    storeKind: 'memory',
    logLevel: 'silent',
    graceMs: 400,
    botDelayMs: [2, 10],
    timerScale: 0.005,
    eventLimit: { capacity: 10_000, refillPerSecond: 10_000 },
    joinLimit: { capacity: 10_000, refillPerSecond: 10_000 },
    connectLimit: { capacity: 10_000, refillPerSecond: 10_000 },
    ...options,
  });
}

/** Is a room with this code in the server's store? */
export async function stored(server: RunningServer, code: string): Promise<boolean> {
  return (await server.store.get(roomKey(code))) !== undefined;
}

/**
 * A connected socket that records what the server pushes to it. Like the real client, it rebuilds each
 * update's whole timeline from the change the update carries (`updates` hold the rebuilt rooms, `messages`
 * what came over the wire), starting from the room of its last join, resync or rematch reply.
 */
export interface Player {
  socket: Client;
  updates: RoomUpdate[];
  messages: RoomUpdateMessage[];
  /** the timeline of the newest room applied, and its version (the base of the next change) */
  held: { version: number; timeline: TimelineEntry[] } | null;
  /** updates whose change did not fit the held timeline (none, in a test that did not miss one) */
  gaps: number;
  presences: Presence[];
  you: YouAre[];
  evicted: Evicted[];
  /** the newest room version this socket has seen */
  version: number;
}

export async function connect(url: string): Promise<Player> {
  const socket: Client = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  const player: Player = { socket, updates: [], messages: [], held: null, gaps: 0, presences: [], you: [], evicted: [], version: 0 };
  socket.on('room:update', (message) => receiveUpdate(player, message));
  socket.on('room:presence', (presence) => player.presences.push(presence));
  socket.on('room:you', (you) => player.you.push(you));
  socket.on('room:evicted', (evicted) => player.evicted.push(evicted));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return player;
}

/**
 * A room update, from a 'room:update' event or inside the answer to the player's own card, applied as the
 * real client applies it.
 */
function receiveUpdate(player: Player, message: RoomUpdateMessage): void {
  player.messages.push(message);
  player.version = Math.max(player.version, message.room.version);
  const held = player.held;
  const change = { from: message.timelineFrom, tail: message.room.game.timeline };
  const { timelineFrom: _from, ...update } = message;
  if (held && message.room.version <= held.version) {
    // overtaken: a reply carrying a newer room came first (the real client ignores it)
    player.updates.push(update);
    return;
  }
  // the update of a join can come before the join's reply: a change from 0 needs no base
  const fits = held ? message.room.version === held.version + 1 : change.from === 0;
  const timeline = fits ? applyTimelineChange(held?.timeline ?? [], change) : null;
  if (!timeline) player.gaps += 1;
  const room = { ...update.room, game: { ...update.room.game, timeline: timeline ?? change.tail } };
  player.updates.push({ ...update, room });
  player.held = { version: room.version, timeline: room.game.timeline };
}

/** Emit with an acknowledgement and a timeout; resolves with the server's reply. */
export async function call<T = any>(player: Player | Client, event: string, payload: unknown, timeoutMs = 3000): Promise<T> {
  const socket = ('socket' in player ? player.socket : player) as unknown as Socket;
  const reply = await socket.timeout(timeoutMs).emitWithAck(event, payload);
  // an accepted card's answer carries the move's update: for the player who played it, the only copy
  const update = (reply as { ok?: boolean; update?: RoomUpdateMessage } | undefined)?.update;
  if ('socket' in player && (reply as { ok?: boolean })?.ok && update) receiveUpdate(player, update);
  // a reply that carries the whole room is the base of the next update's timeline change
  const room = (reply as { ok?: boolean; room?: RoomView } | undefined)?.room;
  if ('socket' in player && (reply as { ok?: boolean })?.ok && room?.game?.timeline) {
    if (!player.held || room.version >= player.held.version) player.held = { version: room.version, timeline: room.game.timeline };
  }
  return reply as T;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Wait until `check` holds. A check that throws (reading a message that has not arrived yet) counts as
 * "not yet"; on time-out the last such error is named so a real bug is not hidden.
 */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (check()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > end) {
      const why = lastError instanceof Error ? ` (last check threw: ${lastError.message})` : '';
      throw new Error(`timed out waiting for: ${what}${why}`);
    }
    await sleep(5);
  }
}

/** Create a room and join its second seat; returns both players seated. */
export async function duel(url: string, options: Record<string, unknown> = {}) {
  const a = await connect(url);
  const b = await connect(url);
  const created = await call(a, 'room:create', { mode: 'duel', nickname: 'Ada', ...options });
  if (!created.ok) throw new Error(`create failed: ${JSON.stringify(created.error)}`);
  const code: string = created.room.code;
  const joined = await call(b, 'room:join', { code, nickname: 'Bo' });
  if (!joined.ok) throw new Error(`join failed: ${JSON.stringify(joined.error)}`);
  const seats: Record<Seat, Player> = created.seat === 'A' ? { A: a, B: b } : { A: b, B: a };
  const tokens: Record<Seat, string> =
    created.seat === 'A' ? { A: created.seatToken, B: joined.seatToken } : { A: joined.seatToken, B: created.seatToken };
  await until(() => a.version >= 1 && b.version >= 1, 'both see the game start');
  return { code, seats, tokens, created, joined };
}

/**
 * Play the game to its end: each seat asks the server for the right card and plays it. Timers (TIME-WAIT)
 * fire by themselves on the server. Returns the number of cards played.
 */
export async function playToEnd(code: string, seats: Partial<Record<Seat, Player>>, timeoutMs = 10_000): Promise<number> {
  const end = Date.now() + timeoutMs;
  let cards = 0;
  const observer = Object.values(seats)[0]!;
  while (Date.now() < end) {
    const last = observer.updates[observer.updates.length - 1];
    if (last?.room.phase === 'finished') return cards;
    let played = false;
    for (const [seat, player] of Object.entries(seats) as [Seat, Player][]) {
      const hint = await call<{ ok: boolean; hint: Card | null; error?: { code: string } }>(player, 'hint:ask', { code });
      if (!hint.ok) {
        if (hint.error?.code === 'GAME_OVER') return cards;
        if (hint.error?.code === 'RATE_LIMITED') {
          await sleep(200);
          continue;
        }
        throw new Error(`hint refused for ${seat}: ${JSON.stringify(hint)}`);
      }
      if (!hint.hint) continue;
      const reply = await call(player, 'card:play', { code, version: player.version, card: hint.hint });
      if (!reply.ok) {
        // a timer or the other seat moved in between: look again
        if (reply.error.code === 'STALE_VERSION' || reply.error.code === 'REFUSED') continue;
        if (reply.error.code === 'RATE_LIMITED') {
          await sleep(200);
          continue;
        }
        if (reply.error.code === 'GAME_OVER') return cards;
        throw new Error(`card refused for ${seat}: ${JSON.stringify(reply.error)}`);
      }
      cards += 1;
      played = true;
    }
    if (!played) await sleep(10);
  }
  throw new Error(`the game did not end within ${timeoutMs} ms`);
}

/** Versions of the updates a socket saw, in order of arrival. */
export const versions = (player: Player): number[] => player.updates.map((u) => u.room.version);

export function closeAll(...players: Player[]): void {
  for (const p of players) p.socket.disconnect();
}
