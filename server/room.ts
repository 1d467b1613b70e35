// One room: its record (plain data, kept in the GameStore) and its live parts — the serial queue, the
// game's timers, the bots' pauses, the grace periods and the sockets that are members. Every change runs on
// the room's queue, so human cards, bot cards, timers and seat changes never interleave (the lila-ws /
// boardgame.io "one actor per game" shape). The room never sees a socket: it talks to a Hub.

import type { Logger } from 'pino';
import {
  answerQuiz,
  botCard,
  fireTimer,
  gameView,
  newGame,
  playCard,
  takeHint,
  TIMER_DELAYS_MS,
} from '../shared/game/index.ts';
import type { BotPolicy, Card, GameState, Happening, Refusal, Seat, TimelineEntry } from '../shared/game/types.ts';
import { protocolError } from '../shared/i18n/errors.ts';
import type {
  Ack,
  Evicted,
  JoinedRoom,
  ProtocolErrorCode,
  ResyncReply,
  Role,
  RoomUpdate,
  RoomUpdateMessage,
  RoomView,
  SeatPresence,
  YouAre,
} from '../shared/protocol/events.ts';
import { timelineChange } from '../shared/protocol/timelineDelta.ts';
import type { TcpState, TimerKind } from '../shared/tcp/types.ts';
import type { ServerConfig } from './config.ts';
import { newSeatToken } from './roomCode.ts';
import { SerialQueue } from './serialQueue.ts';
import { PreEncodedJson } from './wireParser.ts';
import type { GameStore, RoomOptions, RoomRecord, SeatRecord } from './store.ts';

export const SEATS: readonly Seat[] = ['A', 'B'];
const other = (seat: Seat): Seat => (seat === 'A' ? 'B' : 'A');
/** A game timer's key for its clock: a restarted timer has a newer `since`, so a clock of its own. */
const keyOf = (t: { end: Seat; kind: TimerKind; since: number }) => `${t.end}:${t.kind}:${t.since}`;

/** How a room reaches its members; server/socket.ts implements it with socket.io. */
export interface Hub {
  /**
   * to every socket in the room (seats and spectators): they all see the same view; but `except`, the
   * player whose card it was, who gets the same update inside the card's answer
   */
  toRoom(code: string, event: 'room:update', payload: PreEncodedJson<RoomUpdateMessage>, except?: string): void;
  toRoom(
    code: string,
    event: 'room:presence',
    payload: { code: string; seats: Record<Seat, SeatPresence>; spectators: number },
  ): void;
  toSocket(socketId: string, event: 'room:you', payload: YouAre): void;
  toSocket(socketId: string, event: 'room:evicted', payload: Evicted): void;
  join(socketId: string, code: string): void;
  leave(socketId: string, code: string): void;
}

export interface RoomDeps {
  hub: Hub;
  store: GameStore;
  config: ServerConfig;
  logger: Logger;
  now: () => number;
  /** a fresh 32-bit seed for a new game */
  seed: () => number;
}

/** Someone outside the room that follows it (a class session's projector feed); called on the room's queue. */
export interface RoomObserver {
  /** a room:update or room:presence went out */
  changed(room: Room): void;
  /** a human's card was refused (not a move: no update goes out) */
  refused(room: Room, seat: Seat, refusal: Refusal): void;
}

interface Member {
  role: Role;
  seat: Seat | null;
}

export interface JoinRequest {
  nickname?: string;
  seatToken?: string;
  spectate: boolean;
  seat?: Seat;
}

type Reply<T> = Ack<T>;
/** CardPlayed as the room answers it: the update inside is already encoded (it is the one the room was sent). */
export interface PlayedCard {
  version: number;
  update: PreEncodedJson<RoomUpdateMessage>;
}
const fail = (code: ProtocolErrorCode, extra?: { version?: number }): { ok: false; error: ReturnType<typeof protocolError> } => ({
  ok: false,
  error: protocolError(code, extra),
});

/** mulberry32: a tiny seeded random source whose whole state is one number (kept in the record). */
function nextRandom(state: number): [number, number] {
  const s = (state + 0x6d2b79f5) | 0;
  let t = s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, s];
}

const emptySeat = (): SeatRecord => ({ kind: 'empty', nickname: null, token: null, connected: false, graceEndsAt: null });
const botSeat = (token: string | null = null): SeatRecord => ({
  kind: 'bot',
  nickname: null,
  token,
  connected: true,
  graceEndsAt: null,
});

/**
 * No real game comes near these: a client that loops send/ACK or asks for hints forever would otherwise grow
 * the game's timeline (sent in full on every join and resync) and its log without bound. At either, the round ends.
 */
export const MAX_TIMELINE = 400;
export const MAX_GAME_INPUTS = 2000;

/** The longest a bot retries after its own card was refused (an erring bot in normal mode) before playing right. */
const BOT_MAX_REFUSALS = 3;

export class Room {
  readonly queue = new SerialQueue();
  private readonly members = new Map<string, Member>();
  private readonly gameTimers = new Map<string, NodeJS.Timeout>();
  /** when each running game timer will fire (ms since epoch), by the same key as gameTimers */
  private readonly timerDue = new Map<string, number>();
  private readonly botTimers = new Map<Seat, NodeJS.Timeout>();
  private readonly botRefusals: Record<Seat, number> = { A: 0, B: 0 };
  /** grace periods by seat token (tokens follow their holder when a rematch swaps the seats) */
  private readonly graceTimers = new Map<string, NodeJS.Timeout>();
  private closed = false;
  /** set by a class session that follows this room */
  observer: RoomObserver | null = null;
  /**
   * The timeline as of the last update sent (the game's own array, which no move changes: the base the next
   * update's change is made against).
   * Every member holds it: from that update, or from the whole room it got on joining at that version.
   */
  private sentTimeline: TimelineEntry[];

  constructor(
    public record: RoomRecord,
    private readonly deps: RoomDeps,
  ) {
    this.sentTimeline = record.game.timeline;
  }

  static newRecord(code: string, options: RoomOptions, deps: Pick<RoomDeps, 'now' | 'seed'>): RoomRecord {
    const now = deps.now();
    return {
      code,
      createdAt: now,
      touchedAt: now,
      options,
      phase: 'waiting',
      round: 1,
      version: 0,
      seats: { A: emptySeat(), B: emptySeat() },
      game: Room.freshGame(options, deps.seed()),
      botRng: deps.seed(),
      abandonedBy: null,
    };
  }

  private static freshGame(options: RoomOptions, seed: number): GameState {
    return newGame({ mission: options.mission, seed, difficulty: options.difficulty, faults: { ...options.faults } });
  }

  get code(): string {
    return this.record.code;
  }

  get memberCount(): number {
    return this.members.size;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Used once at creation for a bot room: the seat the creator does not take is the bot's. */
  seatBot(seat: Seat): void {
    this.record.seats[seat] = botSeat();
  }

  /**
   * Used once at creation for a class pair: the seat is a human's, not connected yet, held under `token` for
   * the grace period like a seat whose holder dropped (a no-show gets a bot, as options.onAbandon says).
   */
  reserve(seat: Seat, nickname: string, token: string): void {
    this.record.seats[seat] = { kind: 'human', nickname, token, connected: false, graceEndsAt: null };
    this.startGrace(seat);
  }

  /** Start the round of a room whose seats were all set at creation (a class pair). */
  begin(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.record.phase = 'playing';
      await this.seatChanged();
    });
  }

  /** End the round now (the host stopped it, or its time ran out); the game stays as it is. */
  stop(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed || this.record.phase !== 'playing') return;
      this.record.phase = 'finished';
      this.stopClocks();
      await this.updated([], null);
    });
  }

  /** Take a seat from whoever holds `token` (a player removed from a class): a bot or the end, as if they left. */
  revoke(token: string): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      const seat = SEATS.find((s) => this.record.seats[s].token === token);
      if (!seat) return;
      const holder = this.holderOf(seat);
      if (holder) {
        this.members.delete(holder);
        this.deps.hub.toSocket(holder, 'room:evicted', { code: this.code, reason: 'taken-over' });
        this.deps.hub.leave(holder, this.code);
      }
      await this.vacate(seat, false);
    });
  }

  // ---------------------------------------------------------------- what members ask (each on the queue)

  join(socketId: string, request: JoinRequest): Promise<Reply<JoinedRoom>> {
    return this.queue.run(() => this.doJoin(socketId, request));
  }

  leave(socketId: string): Promise<Reply<object>> {
    return this.queue.run(() => this.doLeave(socketId));
  }

  disconnect(socketId: string): Promise<void> {
    return this.queue.run(() => this.doDisconnect(socketId));
  }

  resync(socketId: string): Promise<Reply<ResyncReply>> {
    return this.queue.run(() => {
      const member = this.members.get(socketId);
      if (!member) return fail('NOT_SEATED');
      return { ok: true as const, room: this.view(), role: member.role, seat: member.seat };
    });
  }

  /** `answered`: the player asked for an answer, and gets the move's update in it (else as an event, like the others). */
  play(socketId: string, version: number, card: Card, answered = true): Promise<Reply<PlayedCard>> {
    return this.queue.run(() => this.doPlay(socketId, version, card, answered));
  }

  hint(socketId: string): Promise<Reply<{ hint: Card | null }>> {
    return this.queue.run(() => this.doHint(socketId));
  }

  quiz(socketId: string, version: number, state: TcpState): Promise<Reply<{ correct: boolean; state: string }>> {
    return this.queue.run(() => this.doQuiz(socketId, version, state));
  }

  rematch(socketId: string): Promise<Reply<{ room: RoomView }>> {
    return this.queue.run(() => this.doRematch(socketId));
  }

  /** Removes every member and stops every clock; the lobby then forgets the room. */
  close(reason: Evicted['reason']): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      for (const socketId of this.members.keys()) {
        this.deps.hub.toSocket(socketId, 'room:evicted', { code: this.code, reason });
        this.deps.hub.leave(socketId, this.code);
      }
      this.members.clear();
      this.stopClocks();
      for (const handle of this.graceTimers.values()) clearTimeout(handle);
      this.graceTimers.clear();
      await this.deps.store.delete(this.code);
      this.deps.logger.info({ room: this.code, reason }, 'room closed');
    });
  }

  /** Idle: nobody connected and nothing happened for config.idleMs (or nothing at all for 12× that). */
  isIdle(now: number): boolean {
    const quiet = now - this.record.touchedAt;
    return (this.members.size === 0 && quiet > this.deps.config.idleMs) || quiet > 12 * this.deps.config.idleMs;
  }

  // ---------------------------------------------------------------- views

  /** The room as members see it; `timeline`: only these entries of the game's timeline (an update's change). */
  view(timeline?: TimelineEntry[]): RoomView {
    const r = this.record;
    return {
      code: r.code,
      version: r.version,
      phase: r.phase,
      mode: r.options.mode,
      skin: r.options.skin,
      round: r.round,
      seats: this.presenceSeats(),
      spectators: this.spectatorCount(),
      game: gameView(r.game, timeline),
      abandonedBy: r.abandonedBy,
      timerDeadlines: this.timerDeadlines(),
    };
  }

  /** How long each running timer has left, so the board can count down (relative: clocks differ). */
  private timerDeadlines(): RoomView['timerDeadlines'] {
    const now = Date.now();
    return this.record.game.timers.map((timer) => {
      const due = this.timerDue.get(keyOf(timer));
      const full = TIMER_DELAYS_MS[timer.kind] * this.deps.config.timerScale;
      return { end: timer.end, kind: timer.kind, msLeft: Math.max(0, Math.round((due ?? now + full) - now)), msTotal: Math.round(full) };
    });
  }

  private presenceSeats(): Record<Seat, SeatPresence> {
    return { A: presenceOf(this.record.seats.A), B: presenceOf(this.record.seats.B) };
  }

  private spectatorCount(): number {
    let n = 0;
    for (const m of this.members.values()) if (m.role === 'spectator') n += 1;
    return n;
  }

  private joined(member: Member, token: string | null): JoinedRoom {
    return { role: member.role, seat: member.seat, seatToken: token, room: this.view() };
  }

  // ---------------------------------------------------------------- joining and leaving

  private async doJoin(socketId: string, request: JoinRequest): Promise<Reply<JoinedRoom>> {
    if (this.closed) return fail('ROOM_LOCKED');
    const seats = this.record.seats;
    const current = this.members.get(socketId);

    // a seat token: the same seat back (a reload, a network switch), whoever holds it now
    if (request.seatToken !== undefined) {
      const seat = SEATS.find((s) => seats[s].token !== null && tokensEqual(seats[s].token!, request.seatToken!));
      if (!seat) return fail('BAD_SEAT_TOKEN');
      if (current) {
        this.removeMember(socketId, false);
        // a token for the other seat: the seat this socket held is now away, not connected
        if (current.role === 'player' && current.seat && current.seat !== seat) this.seatAway(current.seat);
      }
      const holder = this.holderOf(seat);
      if (holder && holder !== socketId) {
        // the newest connection wins: the old one is most likely a page that has been reloaded
        this.members.delete(holder);
        this.deps.hub.toSocket(holder, 'room:evicted', { code: this.code, reason: 'taken-over' });
        this.deps.hub.leave(holder, this.code);
      }
      this.addMember(socketId, { role: 'player', seat });
      const record = seats[seat];
      this.clearGrace(record.token!);
      const wasBot = record.kind === 'bot';
      seats[seat] = {
        kind: 'human',
        nickname: request.nickname ?? record.nickname,
        token: record.token,
        connected: true,
        graceEndsAt: null,
      };
      if (wasBot) {
        this.cancelBot(seat);
        await this.seatChanged();
      } else {
        this.touch();
        await this.deps.store.save(this.record);
        this.presence();
      }
      this.deps.logger.info({ room: this.code, seat, nickname: seats[seat].nickname }, 'seat reclaimed');
      return { ok: true, ...this.joined({ role: 'player', seat }, seats[seat].token) };
    }

    // already a player here: joining again is harmless and answers the same
    if (current?.role === 'player' && !request.spectate) {
      return { ok: true, ...this.joined(current, seats[current.seat!].token) };
    }
    // a class pair's seats go with the round's tokens: nobody else takes one, not even a bot's
    if (!request.spectate && this.record.byTokenOnly) return fail('ROOM_FULL');
    if (current) this.removeMember(socketId, false);

    if (request.spectate) {
      // a player who switches to watching is away from their seat: the grace period runs, as on a disconnect
      const left = current?.role === 'player' && current.seat ? current.seat : null;
      if (left) this.seatAway(left);
      this.addMember(socketId, { role: 'spectator', seat: null });
      this.touch();
      if (left) await this.deps.store.save(this.record);
      this.presence();
      return { ok: true, ...this.joined({ role: 'spectator', seat: null }, null) };
    }

    let seat: Seat | undefined;
    if (request.seat) {
      if (seats[request.seat].kind === 'empty' || seats[request.seat].kind === 'bot') seat = request.seat;
    } else {
      seat = SEATS.find((s) => seats[s].kind === 'empty');
    }
    if (!seat) return fail('ROOM_FULL');

    const token = newSeatToken();
    this.cancelBot(seat);
    seats[seat] = { kind: 'human', nickname: request.nickname ?? null, token, connected: true, graceEndsAt: null };
    this.addMember(socketId, { role: 'player', seat });
    if (this.record.phase === 'waiting' && SEATS.every((s) => seats[s].kind !== 'empty')) this.record.phase = 'playing';
    await this.seatChanged();
    this.deps.logger.info({ room: this.code, seat, nickname: request.nickname ?? null }, 'seat taken');
    return { ok: true, ...this.joined({ role: 'player', seat }, token) };
  }

  private async doLeave(socketId: string): Promise<Reply<object>> {
    const member = this.members.get(socketId);
    if (!member) return fail('NOT_SEATED');
    this.removeMember(socketId, true);
    if (member.role === 'spectator') {
      this.touch();
      this.presence();
      return { ok: true };
    }
    await this.vacate(member.seat!, false);
    return { ok: true };
  }

  private async doDisconnect(socketId: string): Promise<void> {
    const member = this.members.get(socketId);
    if (!member) return;
    this.members.delete(socketId);
    this.touch();
    if (member.role === 'player') {
      const record = this.record.seats[member.seat!];
      if (record.kind === 'human' && record.token) {
        this.startGrace(member.seat!);
        this.deps.logger.info({ room: this.code, seat: member.seat }, 'seat away');
      }
      await this.deps.store.save(this.record);
    }
    this.presence();
  }

  /** No socket holds this seat any more: a human's seat is away (grace period), never shown as connected. */
  private seatAway(seat: Seat): void {
    const record = this.record.seats[seat];
    if (record.kind !== 'human') return;
    if (record.token) this.startGrace(seat);
    else record.connected = false;
  }

  /** The seat's human is away: hold the seat under its token for the grace period. */
  private startGrace(seat: Seat): void {
    const record = this.record.seats[seat];
    const token = record.token!;
    const graceMs = this.deps.config.graceMs;
    record.connected = false;
    record.graceEndsAt = this.deps.now() + graceMs;
    this.clearGrace(token);
    const handle = setTimeout(() => {
      this.queue.run(() => this.graceOver(token)).catch((error) => this.crash(error));
    }, graceMs);
    handle.unref();
    this.graceTimers.set(token, handle);
  }

  private async graceOver(token: string): Promise<void> {
    this.graceTimers.delete(token);
    if (this.closed) return;
    const seat = SEATS.find((s) => this.record.seats[s].token === token);
    if (!seat) return;
    const record = this.record.seats[seat];
    if (record.kind !== 'human' || record.connected) return;
    this.deps.logger.info({ room: this.code, seat }, 'grace period over');
    await this.vacate(seat, true);
  }

  /**
   * A human gives up a seat (leave, or the grace period ran out). While a round is played the seat goes to a
   * bot or the round ends, as options.onAbandon says; otherwise the seat is simply empty again.
   */
  private async vacate(seat: Seat, keepToken: boolean): Promise<void> {
    const r = this.record;
    const previous = r.seats[seat];
    if (previous.token) this.clearGrace(previous.token);
    if (r.phase === 'playing') {
      const someoneLeft = SEATS.some((s) => s !== seat && r.seats[s].kind === 'human' && r.seats[s].connected);
      if (r.options.onAbandon === 'bot' && someoneLeft) {
        r.seats[seat] = botSeat(keepToken ? previous.token : null);
      } else {
        r.seats[seat] = keepToken ? { ...previous, graceEndsAt: null } : emptySeat();
        r.phase = 'finished';
        r.abandonedBy = seat;
        this.stopClocks();
      }
    } else {
      r.seats[seat] = emptySeat();
    }
    await this.seatChanged();
  }

  // ---------------------------------------------------------------- moves

  private seatOf(socketId: string): Seat | ProtocolErrorCode {
    const member = this.members.get(socketId);
    if (!member || member.role !== 'player' || !member.seat) return 'NOT_SEATED';
    if (this.record.phase === 'waiting') return 'NOT_STARTED';
    if (this.record.phase === 'finished') return 'GAME_OVER';
    return member.seat;
  }

  /** The game has run far longer than any real one (see MAX_TIMELINE): nothing more is taken. */
  private exhausted(): boolean {
    const game = this.record.game;
    return game.timeline.length >= MAX_TIMELINE || game.log.length >= MAX_GAME_INPUTS;
  }

  /** End an exhausted round now, as the host's stop would, and refuse the request that found it so. */
  private async endExhausted(): Promise<{ ok: false; error: ReturnType<typeof protocolError> }> {
    this.record.phase = 'finished';
    this.stopClocks();
    this.deps.logger.warn({ room: this.code, moves: this.record.game.timeline.length, inputs: this.record.game.log.length }, 'game too long: round ended');
    await this.updated([], null);
    return fail('GAME_OVER');
  }

  /** A request names the version it was made against; any other than the room's current one is stale. */
  private stale(version: number): boolean {
    return version !== this.record.version;
  }

  private async doPlay(socketId: string, version: number, card: Card, answered: boolean): Promise<Reply<PlayedCard>> {
    const seat = this.seatOf(socketId);
    if (seat !== 'A' && seat !== 'B') return fail(seat);
    if (this.exhausted()) return this.endExhausted();
    if (this.stale(version)) return fail('STALE_VERSION', { version: this.record.version });
    const result = playCard(this.record.game, seat, card);
    if (!result.ok) {
      // the game counts the mistake in the sender's score: stored, but not a move (no version, no broadcast)
      this.record.game = result.game;
      this.touch();
      await this.deps.store.save(this.record);
      this.deps.logger.debug({ room: this.code, seat, code: result.refusal.code }, 'card refused');
      this.observer?.refused(this, seat, result.refusal);
      return { ok: false, error: protocolError('REFUSED', { refusal: result.refusal }) };
    }
    this.record.game = result.game;
    const update = await this.moved(result.happenings, seat, answered ? socketId : undefined);
    return { ok: true, version: this.record.version, update };
  }

  private async doHint(socketId: string): Promise<Reply<{ hint: Card | null }>> {
    const seat = this.seatOf(socketId);
    if (seat !== 'A' && seat !== 'B') return fail(seat);
    if (this.exhausted()) return this.endExhausted();
    // the hint is counted in the asker's score: stored, but not a move (no version, no broadcast)
    const { hint, game } = takeHint(this.record.game, seat);
    if (game !== this.record.game) {
      this.record.game = game;
      this.touch();
      await this.deps.store.save(this.record);
    }
    return { ok: true, hint };
  }

  private async doQuiz(
    socketId: string,
    version: number,
    state: TcpState,
  ): Promise<Reply<{ correct: boolean; state: string }>> {
    const seat = this.seatOf(socketId);
    if (seat !== 'A' && seat !== 'B') return fail(seat);
    if (this.exhausted()) return this.endExhausted();
    if (this.stale(version)) return fail('STALE_VERSION', { version: this.record.version });
    // like a hint, the answer only changes the asker's score: stored, not broadcast
    const answer = answerQuiz(this.record.game, seat, state);
    this.record.game = answer.game;
    this.touch();
    await this.deps.store.save(this.record);
    return { ok: true, correct: answer.correct, state: this.record.game.world.tcb[seat].state };
  }

  private async doRematch(socketId: string): Promise<Reply<{ room: RoomView }>> {
    const member = this.members.get(socketId);
    if (!member || member.role !== 'player') return fail('NOT_SEATED');
    const r = this.record;
    if (r.phase === 'playing') return fail('NOT_FINISHED');
    if (r.phase === 'waiting' && r.round === 1) return fail('NOT_STARTED');
    // a class round's room ends with the round: the next one is the host's to start
    if (r.byTokenOnly) return fail('GAME_OVER');
    this.stopClocks();
    // roles swap: whoever was the client is now the server
    r.seats = { A: r.seats.B, B: r.seats.A };
    for (const [id, m] of this.members) {
      if (m.role !== 'player' || !m.seat) continue;
      m.seat = other(m.seat);
      this.deps.hub.toSocket(id, 'room:you', { code: this.code, role: 'player', seat: m.seat });
    }
    r.round += 1;
    r.game = Room.freshGame(r.options, this.deps.seed());
    r.abandonedBy = null;
    r.phase = SEATS.every((s) => r.seats[s].kind !== 'empty') ? 'playing' : 'waiting';
    // a seat whose human is away (a round abandoned with onAbandon 'end' keeps their token) gets its grace
    // period now: the new round does not wait for them without a clock, and the others see the countdown
    for (const seat of SEATS) {
      const record = r.seats[seat];
      if (record.kind !== 'human' || record.connected || this.holderOf(seat)) continue;
      if (!record.token) r.seats[seat] = emptySeat();
      else if (!this.graceTimers.has(record.token) || record.graceEndsAt === null) this.startGrace(seat);
    }
    if (r.phase === 'playing' && SEATS.some((s) => r.seats[s].kind === 'empty')) r.phase = 'waiting';
    this.botRefusals.A = 0;
    this.botRefusals.B = 0;
    await this.seatChanged();
    this.deps.logger.info({ room: this.code, round: r.round }, 'rematch');
    return { ok: true, room: this.view() };
  }

  // ---------------------------------------------------------------- timers and bots

  private async fire(end: Seat, kind: TimerKind, since: number, key: string): Promise<void> {
    this.gameTimers.delete(key);
    this.timerDue.delete(key);
    if (this.closed || this.record.phase !== 'playing') return;
    // only the very timer this clock was started for: a restarted timer has a newer `since` and its own clock
    if (!this.record.game.timers.some((t) => t.end === end && t.kind === kind && t.since === since)) return;
    const result = fireTimer(this.record.game, end, kind);
    if (!result.ok) {
      this.deps.logger.warn({ room: this.code, end, kind, code: result.refusal.code }, 'timer refused');
      return;
    }
    this.record.game = result.game;
    await this.moved(result.happenings, 'timer');
  }

  /** Start a clock for every timer the game lists that has none yet; stop the clocks of timers that went away. */
  private syncTimers(): void {
    // most moves leave the running timers as they were: then there is nothing to start or stop
    const timers = this.record.game.timers;
    if (timers.length === this.gameTimers.size && timers.every((t) => this.gameTimers.has(keyOf(t)))) return;
    const wanted = new Set(this.record.game.timers.map(keyOf));
    for (const [key, handle] of this.gameTimers) {
      if (!wanted.has(key)) {
        clearTimeout(handle);
        this.gameTimers.delete(key);
        this.timerDue.delete(key);
      }
    }
    for (const timer of this.record.game.timers) {
      const key = keyOf(timer);
      if (this.gameTimers.has(key)) continue;
      const delay = Math.max(0, TIMER_DELAYS_MS[timer.kind] * this.deps.config.timerScale);
      const handle = setTimeout(() => {
        this.queue.run(() => this.fire(timer.end, timer.kind, timer.since, key)).catch((error) => this.crash(error));
      }, delay);
      handle.unref();
      this.gameTimers.set(key, handle);
      this.timerDue.set(key, Date.now() + delay);
    }
  }

  private policy(seat: Seat): BotPolicy {
    if (this.record.options.botLevel === 'erring' && this.botRefusals[seat] < BOT_MAX_REFUSALS) {
      return { kind: 'erring', errorRate: 0.3 };
    }
    return { kind: 'correct' };
  }

  /** A random source over the record's bot state; `advance` false = a look that leaves the state as it was. */
  private random(advance: boolean): () => number {
    let state = this.record.botRng;
    return () => {
      const [value, next] = nextRandom(state);
      state = next;
      if (advance) this.record.botRng = next;
      return value;
    };
  }

  /** Give every bot seat that has something to do a human-like pause, then its card through the queue. */
  private scheduleBots(): void {
    if (this.closed || this.record.phase !== 'playing') return;
    for (const seat of SEATS) {
      if (this.record.seats[seat].kind !== 'bot' || this.botTimers.has(seat)) continue;
      if (botCard(this.record.game, seat, this.policy(seat), this.random(false)) === null) continue;
      const [min, max] = this.deps.config.botDelayMs;
      const delay = min + Math.random() * (max - min);
      const handle = setTimeout(() => {
        this.queue.run(() => this.botMove(seat)).catch((error) => this.crash(error));
      }, delay);
      handle.unref();
      this.botTimers.set(seat, handle);
    }
  }

  private async botMove(seat: Seat): Promise<void> {
    this.botTimers.delete(seat);
    if (this.closed || this.record.phase !== 'playing' || this.record.seats[seat].kind !== 'bot') return;
    const policy = this.policy(seat);
    const card = botCard(this.record.game, seat, policy, this.random(true));
    if (!card) return;
    // an erring bot's wrong segment is delivered, so the human's end has to catch it
    const result = playCard(this.record.game, seat, card, { deliverWrongCard: policy.kind === 'erring' });
    if (!result.ok) {
      // a wrong call (closing too early) is refused: the bot thinks again, and plays right after a few tries
      this.record.game = result.game;
      this.botRefusals[seat] += 1;
      this.deps.logger.debug({ room: this.code, seat, code: result.refusal.code }, 'bot card refused');
      this.scheduleBots();
      return;
    }
    this.botRefusals[seat] = 0;
    this.record.game = result.game;
    await this.moved(result.happenings, seat);
  }

  private cancelBot(seat: Seat): void {
    const handle = this.botTimers.get(seat);
    if (handle) clearTimeout(handle);
    this.botTimers.delete(seat);
  }

  private clearGrace(token: string): void {
    const handle = this.graceTimers.get(token);
    if (handle) clearTimeout(handle);
    this.graceTimers.delete(token);
  }

  private stopClocks(): void {
    for (const handle of this.gameTimers.values()) clearTimeout(handle);
    this.gameTimers.clear();
    this.timerDue.clear();
    for (const seat of SEATS) this.cancelBot(seat);
  }

  // ---------------------------------------------------------------- after a change

  /**
   * A game move was accepted: the round may end, timers and bots follow the new game. `mover`: the socket
   * whose card it was, which gets the update in the card's answer instead (returned, already encoded).
   */
  private async moved(happenings: Happening[], by: RoomUpdate['by'], mover?: string): Promise<PreEncodedJson<RoomUpdateMessage>> {
    if (this.record.game.status === 'finished' || this.exhausted()) {
      this.record.phase = 'finished';
      this.stopClocks();
    }
    // Clocks first, so the update everyone receives says how long each timer has left.
    if (this.record.phase === 'playing') this.syncTimers();
    const update = await this.updated(happenings, by, mover);
    if (this.record.phase === 'playing') this.scheduleBots();
    return update;
  }

  /** Seats changed hands, or a round started: a new base version, and bots may have a first move. */
  private async seatChanged(): Promise<void> {
    if (this.record.phase === 'playing') this.syncTimers();
    await this.updated([], null);
    if (this.record.phase === 'playing') this.scheduleBots();
  }

  /** Bump the version, store the record, send everyone (but `except`) the update; returns it, encoded. */
  private async updated(happenings: Happening[], by: RoomUpdate['by'], except?: string): Promise<PreEncodedJson<RoomUpdateMessage>> {
    const r = this.record;
    r.version += 1;
    this.touch();
    await this.deps.store.save(r);
    const change = timelineChange(this.sentTimeline, r.game.timeline);
    // the game never changes a timeline array it has returned (a move works on a copy): keeping it is enough
    this.sentTimeline = r.game.timeline;
    const message: RoomUpdateMessage = {
      room: this.view(change.tail),
      timelineFrom: change.from,
      happenings,
      by,
    };
    const update = new PreEncodedJson<RoomUpdateMessage>(JSON.stringify(message));
    this.deps.hub.toRoom(r.code, 'room:update', update, except);
    this.observer?.changed(this);
    return update;
  }

  private presence(): void {
    this.deps.hub.toRoom(this.code, 'room:presence', {
      code: this.code,
      seats: this.presenceSeats(),
      spectators: this.spectatorCount(),
    });
    this.observer?.changed(this);
  }

  private touch(): void {
    this.record.touchedAt = this.deps.now();
  }

  private addMember(socketId: string, member: Member): void {
    this.members.set(socketId, member);
    this.deps.hub.join(socketId, this.code);
  }

  private removeMember(socketId: string, leaveChannel: boolean): void {
    this.members.delete(socketId);
    if (leaveChannel) this.deps.hub.leave(socketId, this.code);
  }

  private holderOf(seat: Seat): string | undefined {
    for (const [id, m] of this.members) if (m.role === 'player' && m.seat === seat) return id;
    return undefined;
  }

  private crash(error: unknown): void {
    this.deps.logger.error({ room: this.code, err: error }, 'room task failed');
  }
}

/** A seat as the members see it (a bot is always connected). */
function presenceOf(s: SeatRecord): SeatPresence {
  return { nickname: s.nickname, kind: s.kind, connected: s.kind === 'bot' ? true : s.kind === 'human' && s.connected, graceEndsAt: s.graceEndsAt };
}

/** Compares two tokens in time that does not depend on where they differ. */
function tokensEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
