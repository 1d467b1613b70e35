// One room: its record (plain data, committed to the store before anyone hears of a change) and its live
// parts — the serial queue, the alarms of its clocks (game timers, grace periods, bots' pauses) and the
// sockets that are members. Every change runs on the room's queue, so human cards, bot cards, timers and
// seat changes never interleave (the lila-ws / boardgame.io "one actor per game" shape). The room never sees
// a socket: it talks to a Hub. Seat decisions are in seating.ts, clocks in clocks.ts, bots in bots.ts.

import type { Logger } from 'pino';
import {
  answerQuiz,
  botCard,
  fireTimer,
  gameView,
  newGame,
  playCard,
  takeHint,
  timerDurationMs,
} from '../../shared/game/index.ts';
import type { Card, GameState, Happening, Refusal, Seat, SeatScore, TimelineEntry } from '../../shared/game/types.ts';
import { protocolError } from '../../shared/i18n/errors.ts';
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
} from '../../shared/protocol/events.ts';
import { timelineChange } from '../../shared/protocol/timelineDelta.ts';
import type { TcpState, TimerKind } from '../../shared/tcp/types.ts';
import type { ServerConfig } from '../config.ts';
import { newSeatToken } from '../roomCode.ts';
import { hashSecret } from '../secrets.ts';
import { SerialQueue } from '../serialQueue.ts';
import { encodeRoom, type RoomOptions, type RoomRecord, type SeatRecord } from '../store/records.ts';
import { roomKey, type StateStore } from '../store/stateStore.ts';
import { PreEncodedJson } from '../wireParser.ts';
import { botPause, botPolicy, botRandom } from './bots.ts';
import { Alarms, type Clock } from './clocks.ts';
import { bothTaken, botSeat, emptySeat, otherSeat, presenceOf, seatForNewcomer, seatOfToken, SEATS, vacate } from './seating.ts';

export { SEATS } from './seating.ts';
/** A game timer's key: a restarted timer has a newer `since`, so a clock of its own. */
const timerKey = (t: { end: Seat; kind: TimerKind; since: number }) => `${t.end}:${t.kind}:${t.since}`;

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
  /** `member`: what the socket is in the room (a cluster keeps it with the socket, to find it again after a take-over) */
  join(socketId: string, code: string, member?: Member): void;
  leave(socketId: string, code: string): void;
}

export interface RoomDeps {
  hub: Hub;
  store: StateStore;
  config: ServerConfig;
  logger: Logger;
  /** the one clock of rooms: due times, idle times, countdowns */
  clock: Clock;
  /** a fresh 32-bit seed for a new game */
  seed: () => number;
}

/** What a room tells the class session that follows it: the pair as the projector and the results need it. */
export interface PairSnapshot {
  code: string;
  phase: RoomRecord['phase'];
  seats: Record<Seat, { nickname: string | null; kind: SeatRecord['kind']; connected: boolean; state: TcpState }>;
  score: Record<Seat, SeatScore>;
  goals: string[];
  mission: string;
  status: GameState['status'];
  outcome: GameState['outcome'];
}

/** Someone outside the room that follows it (a class session); called on the room's queue, after the commit. */
export interface RoomObserver {
  /** a room:update or room:presence went out */
  changed(snapshot: PairSnapshot): void;
  /** a human's card was refused (not a move: no update goes out) */
  refused(code: string, seat: Seat, refusal: Refusal): void;
}

export interface Member {
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
type Failure = { ok: false; error: ReturnType<typeof protocolError> };
const fail = (code: ProtocolErrorCode, extra?: { version?: number }): Failure => ({
  ok: false,
  error: protocolError(code, extra),
});

/** The store refused a write (a full or failing disk): the change it carried did not happen. */
export function isStoreWriteError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'STORE_WRITE_FAILED';
}

/**
 * No real game comes near these: a client that loops send/ACK or asks for hints forever would otherwise grow
 * the game's timeline (sent in full on every join and resync) and its log without bound. At either, the round ends.
 */
export const MAX_TIMELINE = 400;
export const MAX_GAME_INPUTS = 2000;

/** A copy of the parts of a record a change mutates in place (the game itself is never mutated: moves make new ones). */
function copyRecord(r: RoomRecord): RoomRecord {
  return {
    ...r,
    seats: { A: { ...r.seats.A }, B: { ...r.seats.B } },
    botRefusals: { ...r.botRefusals },
    clocks: { timers: { ...r.clocks.timers }, bots: { ...r.clocks.bots } },
  };
}

export class Room {
  readonly queue = new SerialQueue();
  private members = new Map<string, Member>();
  private readonly alarms: Alarms;
  private closed = false;
  /** set by the class session that follows this room */
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
    this.alarms = new Alarms(deps.clock);
  }

  static newRecord(code: string, options: RoomOptions, deps: Pick<RoomDeps, 'clock' | 'seed'>): RoomRecord {
    const now = deps.clock.now();
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
      botRefusals: { A: 0, B: 0 },
      abandonedBy: null,
      clocks: { timers: {}, bots: {} },
    };
  }

  /**
   * A room loaded from the store (after a restart, or on another node): nobody is connected to it yet. A
   * human who was connected when the server stopped gets a fresh grace period to come back; every clock
   * resumes at its due time, or fires at once if that has passed.
   */
  static resume(record: RoomRecord, deps: RoomDeps): Room {
    const room = new Room(record, deps);
    const now = deps.clock.now();
    for (const seat of SEATS) {
      const s = record.seats[seat];
      if (s.kind === 'human' && s.connected) {
        s.connected = false;
        s.graceEndsAt = s.tokenHash ? now + deps.config.graceMs : null;
      }
    }
    room.rearm();
    return room;
  }

  private static freshGame(options: RoomOptions, seed: number): GameState {
    return newGame({ mission: options.mission, seed, difficulty: options.difficulty, faults: { ...options.faults }, // rfc is the default: a game without a profile is one (as every game made before profiles)
      ...(options.profile && options.profile !== 'rfc' ? { profile: options.profile } : {}),
    });
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
   * Used once at creation for a class pair: the seat is a human's, not connected yet, held under the hash of
   * their token for the grace period like a seat whose holder dropped (a no-show gets a bot).
   */
  reserve(seat: Seat, nickname: string, tokenHash: string): void {
    this.record.seats[seat] = { kind: 'human', nickname, tokenHash, connected: false, graceEndsAt: null };
    this.startGrace(seat);
  }

  /** Store a room just made (before anyone is told of it). */
  async commitNew(): Promise<void> {
    await this.persist();
  }

  /** Start the round of a room whose seats were all set at creation (a class pair). */
  begin(): Promise<void> {
    return this.change(
      async () => {
        if (this.closed) return;
        this.record.phase = 'playing';
        await this.seatChanged();
      },
      () => undefined,
    );
  }

  /** End the round now (the host stopped it, or its time ran out); the game stays as it is. */
  stop(): Promise<void> {
    return this.change(
      async () => {
        if (this.closed || this.record.phase !== 'playing') return;
        this.record.phase = 'finished';
        this.stopClocks();
        await this.updated([], null);
      },
      () => undefined,
    );
  }

  /** Take a seat from whoever holds the token (a player removed from a class): a bot or the end, as if they left. */
  revoke(tokenHash: string): Promise<void> {
    return this.change(
      async () => {
        if (this.closed) return;
        const seat = seatOfToken(this.record.seats, tokenHash);
        if (!seat) return;
        const holder = this.holderOf(seat);
        if (holder) {
          this.members.delete(holder);
          this.deps.hub.toSocket(holder, 'room:evicted', { code: this.code, reason: 'taken-over' });
          this.deps.hub.leave(holder, this.code);
        }
        await this.vacate(seat, false);
      },
      () => undefined,
    );
  }

  /** The pair as the class session sees it (also what the room publishes to its observer after each change). */
  snapshot(): PairSnapshot {
    const r = this.record;
    const game = r.game;
    const seat = (s: Seat) => ({
      nickname: r.seats[s].nickname,
      kind: r.seats[s].kind,
      connected: r.seats[s].kind === 'bot' || r.seats[s].connected,
      state: game.world.tcb[s].state,
    });
    return {
      code: r.code,
      phase: r.phase,
      seats: { A: seat('A'), B: seat('B') },
      score: game.score,
      goals: game.goals,
      mission: game.options.mission,
      status: game.status,
      outcome: game.outcome,
    };
  }

  // ---------------------------------------------------------------- what members ask (each on the queue)

  join(socketId: string, request: JoinRequest): Promise<Reply<JoinedRoom>> {
    return this.change(() => this.doJoin(socketId, request), () => fail('NOT_SAVED'));
  }

  leave(socketId: string): Promise<Reply<object>> {
    return this.change(() => this.doLeave(socketId), () => fail('NOT_SAVED'));
  }

  disconnect(socketId: string): Promise<void> {
    return this.change(() => this.doDisconnect(socketId), () => undefined);
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
    return this.change(() => this.doPlay(socketId, version, card, answered), () => fail('NOT_SAVED'));
  }

  hint(socketId: string): Promise<Reply<{ hint: Card | null }>> {
    return this.change(() => this.doHint(socketId), () => fail('NOT_SAVED'));
  }

  quiz(socketId: string, version: number, state: TcpState): Promise<Reply<{ correct: boolean; state: string }>> {
    return this.change(() => this.doQuiz(socketId, version, state), () => fail('NOT_SAVED'));
  }

  rematch(socketId: string): Promise<Reply<{ room: RoomView }>> {
    return this.change(() => this.doRematch(socketId), () => fail('NOT_SAVED'));
  }

  /** Removes every member, stops every clock and deletes the record: the room is over (expired, or its class round ended). */
  close(reason: Evicted['reason']): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      for (const socketId of this.members.keys()) {
        this.deps.hub.toSocket(socketId, 'room:evicted', { code: this.code, reason });
        this.deps.hub.leave(socketId, this.code);
      }
      this.members.clear();
      this.alarms.clearAll();
      try {
        await this.deps.store.delete(roomKey(this.code));
      } catch (error) {
        // the record stays: the room comes back on the next start and expires again then
        this.deps.logger.error({ room: this.code, err: error }, 'room record not deleted');
      }
      this.deps.logger.info({ room: this.code, reason }, 'room closed');
    });
  }

  /**
   * This process lets go of the room (it shuts down): its clocks stop here, its record stays in the store as
   * the last committed change left it, and whoever loads it next carries on.
   */
  unload(): Promise<void> {
    return this.queue.run(() => {
      this.closed = true;
      this.alarms.clearAll();
      this.members.clear();
    });
  }

  /**
   * After a take-over in a cluster: the sockets that were members on the node that ran the room before (found
   * by the cluster on every node) are members here again, and a seat whose holder is still connected is not
   * left in its grace period. `find` looks for them; it runs on the queue, first thing after loading, so no
   * request is judged (NOT_SEATED) before the room knows its members.
   */
  adopt(find: () => Promise<Array<{ socketId: string } & Member>>): Promise<void> {
    return this.change(
      async () => {
        const found = await find();
        if (this.closed || found.length === 0) return;
        let seated = false;
        for (const m of found) {
          if (this.members.has(m.socketId)) continue;
          if (m.role === 'spectator') {
            this.members.set(m.socketId, { role: 'spectator', seat: null });
            continue;
          }
          if (!m.seat) continue;
          const record = this.record.seats[m.seat];
          // the seat went to someone else since (or its grace ran out): this socket is not its holder
          if (record.kind !== 'human' || !record.tokenHash || this.holderOf(m.seat)) continue;
          this.members.set(m.socketId, { role: 'player', seat: m.seat });
          this.clearGrace(record.tokenHash);
          record.connected = true;
          record.graceEndsAt = null;
          seated = true;
        }
        if (seated) await this.persist();
        this.presence();
      },
      () => undefined,
    );
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
    const now = this.deps.clock.now();
    return this.record.game.timers.map((timer) => {
      const due = this.record.clocks.timers[timerKey(timer)];
      const full = timerDurationMs(timer) * this.deps.config.timerScale;
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

    // a seat token: the same seat back (a reload, a network switch, a restart), whoever holds it now
    if (request.seatToken !== undefined) {
      const seat = seatOfToken(seats, hashSecret(request.seatToken));
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
      this.clearGrace(record.tokenHash!);
      const wasBot = record.kind === 'bot';
      seats[seat] = {
        kind: 'human',
        nickname: request.nickname ?? record.nickname,
        tokenHash: record.tokenHash,
        connected: true,
        graceEndsAt: null,
      };
      if (wasBot) {
        this.cancelBot(seat);
        await this.seatChanged();
      } else {
        this.touch();
        await this.persist();
        this.presence();
      }
      this.deps.logger.info({ room: this.code, seat, nickname: seats[seat].nickname }, 'seat reclaimed');
      return { ok: true, ...this.joined({ role: 'player', seat }, request.seatToken) };
    }

    // already a player here: joining again is harmless and answers the same (the token is the client's to keep)
    if (current?.role === 'player' && !request.spectate) {
      return { ok: true, ...this.joined(current, null) };
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
      if (left) await this.persist();
      this.presence();
      return { ok: true, ...this.joined({ role: 'spectator', seat: null }, null) };
    }

    const seat = seatForNewcomer(seats, request.seat);
    if (!seat) return fail('ROOM_FULL');

    const token = newSeatToken();
    this.cancelBot(seat);
    seats[seat] = { kind: 'human', nickname: request.nickname ?? null, tokenHash: hashSecret(token), connected: true, graceEndsAt: null };
    this.addMember(socketId, { role: 'player', seat });
    if (this.record.phase === 'waiting' && bothTaken(seats)) this.record.phase = 'playing';
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
      if (record.kind === 'human' && record.tokenHash) {
        this.startGrace(member.seat!);
        this.deps.logger.info({ room: this.code, seat: member.seat }, 'seat away');
      }
      await this.persist();
    }
    this.presence();
  }

  /** No socket holds this seat any more: a human's seat is away (grace period), never shown as connected. */
  private seatAway(seat: Seat): void {
    const record = this.record.seats[seat];
    if (record.kind !== 'human') return;
    if (record.tokenHash) this.startGrace(seat);
    else record.connected = false;
  }

  /** The seat's human is away: hold the seat under its token for the grace period. */
  private startGrace(seat: Seat): void {
    const record = this.record.seats[seat];
    record.connected = false;
    record.graceEndsAt = this.deps.clock.now() + this.deps.config.graceMs;
    this.armGrace(record.tokenHash!, record.graceEndsAt);
  }

  private armGrace(tokenHash: string, dueAt: number): void {
    this.alarms.set(`grace:${tokenHash}`, dueAt, () => this.onAlarm(() => this.graceOver(tokenHash)));
  }

  private async graceOver(tokenHash: string): Promise<void> {
    if (this.closed) return;
    const seat = seatOfToken(this.record.seats, tokenHash);
    if (!seat) return;
    const record = this.record.seats[seat];
    if (record.kind !== 'human' || record.connected) return;
    this.deps.logger.info({ room: this.code, seat }, 'grace period over');
    await this.vacate(seat, true);
  }

  /** A human gives up a seat: see seating.ts vacate(). */
  private async vacate(seat: Seat, keepToken: boolean): Promise<void> {
    const r = this.record;
    const previous = r.seats[seat];
    if (previous.tokenHash) this.clearGrace(previous.tokenHash);
    const outcome = vacate(r, seat, keepToken);
    r.seats[seat] = outcome.seat;
    if (outcome.endsRound) {
      r.phase = 'finished';
      r.abandonedBy = seat;
      this.stopClocks();
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
  private async endExhausted(): Promise<Failure> {
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
      // the game counts the mistake in the sender's score: committed, but not a move (no version, no broadcast)
      this.record.game = result.game;
      this.touch();
      await this.persist();
      this.deps.logger.debug({ room: this.code, seat, code: result.refusal.code }, 'card refused');
      this.observer?.refused(this.code, seat, result.refusal);
      this.observer?.changed(this.snapshot());
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
    // the hint is counted in the asker's score: committed, but not a move (no version, no broadcast)
    const { hint, game } = takeHint(this.record.game, seat);
    if (game !== this.record.game) {
      this.record.game = game;
      this.touch();
      await this.persist();
      this.observer?.changed(this.snapshot());
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
    // like a hint, the answer only changes the asker's score: committed, not broadcast
    const answer = answerQuiz(this.record.game, seat, state);
    this.record.game = answer.game;
    this.touch();
    await this.persist();
    this.observer?.changed(this.snapshot());
    // the state the answer was judged against: the one the player's own move left, if the bot moved it on since
    return { ok: true, correct: answer.correct, state: answer.state };
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
    r.round += 1;
    r.game = Room.freshGame(r.options, this.deps.seed());
    r.abandonedBy = null;
    r.phase = bothTaken(r.seats) ? 'playing' : 'waiting';
    // a seat whose human is away (a round abandoned with onAbandon 'end' keeps their token) gets its grace
    // period now: the new round does not wait for them without a clock, and the others see the countdown
    for (const seat of SEATS) {
      const record = r.seats[seat];
      const holder = [...this.members].find(([, m]) => m.role === 'player' && m.seat === otherSeat(seat));
      if (record.kind !== 'human' || record.connected || holder) continue;
      if (!record.tokenHash) r.seats[seat] = emptySeat();
      else if (!this.alarms.has(`grace:${record.tokenHash}`) || record.graceEndsAt === null) this.startGrace(seat);
    }
    if (r.phase === 'playing' && SEATS.some((s) => r.seats[s].kind === 'empty')) r.phase = 'waiting';
    r.botRefusals = { A: 0, B: 0 };
    await this.seatChanged();
    // members hear of their new seats only once the new round is committed
    for (const [id, m] of this.members) {
      if (m.role !== 'player' || !m.seat) continue;
      m.seat = otherSeat(m.seat);
      this.deps.hub.join(id, this.code, m);
      this.deps.hub.toSocket(id, 'room:you', { code: this.code, role: 'player', seat: m.seat });
    }
    this.deps.logger.info({ room: this.code, round: r.round }, 'rematch');
    return { ok: true, room: this.view() };
  }

  // ---------------------------------------------------------------- timers and bots

  private async fire(end: Seat, kind: TimerKind, since: number): Promise<void> {
    delete this.record.clocks.timers[timerKey({ end, kind, since })];
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

  /** Give every timer the game lists a due time and an alarm; forget those of timers that went away. */
  private syncTimers(): void {
    const timers = this.record.game.timers;
    const due = this.record.clocks.timers;
    // most moves leave the running timers as they were: then there is nothing to start or stop
    if (timers.length === Object.keys(due).length && timers.every((t) => timerKey(t) in due)) return;
    const wanted = new Set(timers.map(timerKey));
    for (const key of Object.keys(due)) {
      if (wanted.has(key)) continue;
      delete due[key];
      this.alarms.clear(`timer:${key}`);
    }
    const now = this.deps.clock.now();
    for (const timer of timers) {
      const key = timerKey(timer);
      if (key in due) continue;
      due[key] = now + Math.max(0, timerDurationMs(timer) * this.deps.config.timerScale);
      this.armTimer(timer, due[key]);
    }
  }

  private armTimer(timer: { end: Seat; kind: TimerKind; since: number }, dueAt: number): void {
    this.alarms.set(`timer:${timerKey(timer)}`, dueAt, () => this.onAlarm(() => this.fire(timer.end, timer.kind, timer.since)));
  }

  /** Give every bot seat that has something to do a human-like pause, then its card through the queue. */
  private scheduleBots(): void {
    if (this.closed || this.record.phase !== 'playing') return;
    for (const seat of SEATS) {
      if (this.record.seats[seat].kind !== 'bot' || this.record.clocks.bots[seat] !== undefined) continue;
      const policy = botPolicy(this.record.options.botLevel, this.record.botRefusals[seat]);
      if (botCard(this.record.game, seat, policy, botRandom(this.record, false)) === null) continue;
      const dueAt = this.deps.clock.now() + botPause(this.deps.config.botDelayMs);
      this.record.clocks.bots[seat] = dueAt;
      this.armBot(seat, dueAt);
    }
  }

  private armBot(seat: Seat, dueAt: number): void {
    this.alarms.set(`bot:${seat}`, dueAt, () => this.onAlarm(() => this.botMove(seat)));
  }

  private async botMove(seat: Seat): Promise<void> {
    delete this.record.clocks.bots[seat];
    if (this.closed || this.record.phase !== 'playing' || this.record.seats[seat].kind !== 'bot') return;
    const policy = botPolicy(this.record.options.botLevel, this.record.botRefusals[seat]);
    const card = botCard(this.record.game, seat, policy, botRandom(this.record, true));
    if (!card) return;
    // an erring bot's wrong segment is delivered, so the human's end has to catch it
    const result = playCard(this.record.game, seat, card, { deliverWrongCard: policy.kind === 'erring' });
    if (!result.ok) {
      // a wrong call (closing too early) is refused: the bot thinks again, and plays right after a few tries
      this.record.game = result.game;
      this.record.botRefusals[seat] += 1;
      this.deps.logger.debug({ room: this.code, seat, code: result.refusal.code }, 'bot card refused');
      this.scheduleBots();
      // its mistake counts in the bot's score, and the next pause is a clock to resume: both are committed
      this.touch();
      await this.persist();
      return;
    }
    this.record.botRefusals[seat] = 0;
    this.record.game = result.game;
    await this.moved(result.happenings, seat);
  }

  private cancelBot(seat: Seat): void {
    delete this.record.clocks.bots[seat];
    this.alarms.clear(`bot:${seat}`);
  }

  private clearGrace(tokenHash: string): void {
    this.alarms.clear(`grace:${tokenHash}`);
  }

  private stopClocks(): void {
    this.record.clocks = { timers: {}, bots: {} };
    this.alarms.clearWhere('timer:');
    this.alarms.clearWhere('bot:');
  }

  /** Arms an alarm for every due time the record holds: after loading it, or after a change that was not committed. */
  private rearm(): void {
    this.alarms.clearAll();
    const r = this.record;
    for (const seat of SEATS) {
      const s = r.seats[seat];
      if (s.kind === 'human' && !s.connected && s.tokenHash && s.graceEndsAt !== null) this.armGrace(s.tokenHash, s.graceEndsAt);
    }
    if (r.phase !== 'playing') return;
    for (const timer of r.game.timers) {
      const dueAt = r.clocks.timers[timerKey(timer)];
      if (dueAt !== undefined) this.armTimer(timer, dueAt);
    }
    // a timer the record has no due time for (it should not happen) starts now, as a new one would
    this.syncTimers();
    for (const seat of SEATS) {
      const dueAt = r.clocks.bots[seat];
      if (dueAt !== undefined && r.seats[seat].kind === 'bot') this.armBot(seat, dueAt);
      else delete r.clocks.bots[seat];
    }
    this.scheduleBots();
  }

  /** An alarm went off: its work goes through the queue like any request, and a failure is logged, not thrown. */
  private onAlarm(task: () => Promise<void>): void {
    this.change(task, () => undefined).catch((error) => this.crash(error));
  }

  // ---------------------------------------------------------------- after a change

  /**
   * Runs a change on the queue. If the store cannot commit it, the room goes back to what it was before the
   * change (nobody was told of it: updates go out only after the commit) and the request gets `failed()`.
   */
  private change<T>(task: () => Promise<T>, failed: () => T): Promise<T> {
    return this.queue.run(async () => {
      const before = copyRecord(this.record);
      const members = new Map(this.members);
      try {
        return await task();
      } catch (error) {
        if (!isStoreWriteError(error)) throw error;
        this.deps.logger.error({ room: this.code, err: error }, 'change not committed: the room is as it was');
        for (const id of this.members.keys()) if (!members.has(id)) this.deps.hub.leave(id, this.code);
        this.record = before;
        this.members = members;
        if (!this.closed) this.rearm();
        return failed();
      }
    });
  }

  /**
   * A game move was accepted: the round may end, timers and bots follow the new game. `mover`: the socket
   * whose card it was, which gets the update in the card's answer instead (returned, already encoded).
   */
  private async moved(happenings: Happening[], by: RoomUpdate['by'], mover?: string): Promise<PreEncodedJson<RoomUpdateMessage>> {
    if (this.record.game.status === 'finished' || this.exhausted()) {
      this.record.phase = 'finished';
      this.stopClocks();
    }
    // Clocks first, so the update everyone receives says how long each timer has left, and the record
    // committed with the move holds their due times.
    if (this.record.phase === 'playing') {
      this.syncTimers();
      this.scheduleBots();
    }
    return this.updated(happenings, by, mover);
  }

  /** Seats changed hands, or a round started: a new base version, and bots may have a first move. */
  private async seatChanged(): Promise<void> {
    if (this.record.phase === 'playing') {
      this.syncTimers();
      this.scheduleBots();
    }
    await this.updated([], null);
  }

  /** Bump the version, commit the record, then send everyone (but `except`) the update; returns it, encoded. */
  private async updated(happenings: Happening[], by: RoomUpdate['by'], except?: string): Promise<PreEncodedJson<RoomUpdateMessage>> {
    const r = this.record;
    r.version += 1;
    this.touch();
    await this.persist();
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
    this.observer?.changed(this.snapshot());
    return update;
  }

  /** Commit the record; a store that cannot throws (see change()). */
  private persist(): Promise<void> {
    return this.deps.store.put(roomKey(this.code), encodeRoom(this.record));
  }

  private presence(): void {
    this.deps.hub.toRoom(this.code, 'room:presence', {
      code: this.code,
      seats: this.presenceSeats(),
      spectators: this.spectatorCount(),
    });
    this.observer?.changed(this.snapshot());
  }

  private touch(): void {
    this.record.touchedAt = this.deps.clock.now();
  }

  private addMember(socketId: string, member: Member): void {
    this.members.set(socketId, member);
    this.deps.hub.join(socketId, this.code, member);
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
