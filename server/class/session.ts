// One class or workshop session: its host, projectors and players, its rounds, and its results. Every change
// runs on the session's serial queue. Each pair of a round plays in an ordinary room made by the Lobby (seat
// tokens, bots, the room's own queue and timers); the session follows the rooms as their observer and turns
// what it sees into the throttled projector feed. The session never sees a socket: it talks to a ClassHub.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import { MISSIONS } from '../../shared/game/index.ts';
import type { LocalizedText, RefusalCode, Refusal, Seat } from '../../shared/game/types.ts';
import { classError } from '../../shared/i18n/errors.ts';
import { nicknameSkeleton } from '../../shared/text/nickname.ts';
import {
  MAX_SESSION_PLAYERS,
  MAX_SESSION_ROUNDS,
  CSV_TOKEN_TTL_MS,
  type CsvToken,
  ROUND_LIMIT_SECONDS,
  sessionLink,
  type ClassAck,
  type ClassError,
  type HostJoined,
  type LeaderboardEntry,
  type PlayerJoined,
  type PlayerView,
  type RoundSettings,
  type SessionEvicted,
  type SessionFeed,
  type SessionMode,
  type SessionPhase,
} from '../../shared/protocol/class.ts';
import type { z } from 'zod';
import type { startRoundSchema } from '../../shared/protocol/class.ts';
import type { Lobby } from '../lobby.ts';
import type { Room, RoomObserver } from '../room.ts';
import { newSeatToken } from '../roomCode.ts';
import { SerialQueue } from '../serialQueue.ts';
import { buildFeed, Throttle, type FeedPairSource } from './feed.ts';
import { pairPlayers, type Pair } from './pairing.ts';
import { leaderboard, scoreOf, toCsv, type ResultRow } from './results.ts';

/** How a session reaches its sockets; server/class/handlers.ts implements it with socket.io. */
export interface ClassHub {
  toFeed(code: string, feed: SessionFeed): void;
  toSocket(socketId: string, event: 'class:you', payload: PlayerView): void;
  toSocket(socketId: string, event: 'class:evicted', payload: SessionEvicted): void;
  joinFeed(socketId: string, code: string): void;
  leaveFeed(socketId: string, code: string): void;
  /** the socket is (or is no longer) part of the session, for its disconnect */
  track(socketId: string, code: string, on: boolean): void;
}

export interface SessionDeps {
  hub: ClassHub;
  lobby: Lobby;
  logger: Logger;
  now: () => number;
  /** at most one feed per this many ms */
  feedIntervalMs: number;
}

interface PlayerRecord {
  id: string;
  nickname: string;
  /** nicknameSkeleton(nickname): what the nickname is compared by */
  nameKey: string;
  token: string;
  socketId: string | null;
  lastRole: Seat | null;
  lastPartner: string | null;
  met: Set<string>;
  /** this round's pair, while it is played */
  assignment: PlayerView['assignment'];
}

interface PairRecord extends FeedPairSource {
  /** when the pair's room finished (by itself, before the round ended) */
  finishedAt: number | null;
}

type Answer<T> = ClassAck<T>;
const fail = (code: ClassError['code']): { ok: false; error: ClassError } => ({ ok: false, error: classError(code) });

/** Download tokens a session keeps outstanding at once (the oldest goes first). */
const MAX_CSV_TOKENS = 8;

/** Same time whatever the position of the first difference. */
export function secretsEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Nicknames are unique in a session regardless of case, width and look-alike letters: two names are the same
 * when their skeletons are (shared/text/nickname.ts: "Аnna" with a Cyrillic А is "Anna"), or when the collator
 * says so, as it did before the skeleton (it also equates hiragana and katakana, or digits of other scripts).
 */
const sameName = (a: { nickname: string; nameKey: string }, b: { nickname: string; nameKey: string }) =>
  a.nameKey === b.nameKey || a.nickname.localeCompare(b.nickname, undefined, { sensitivity: 'accent' }) === 0;

export class Session {
  readonly queue = new SerialQueue();
  readonly hostKey = newSeatToken(32);
  readonly viewKey = newSeatToken(32);
  private hostSocket: string | null = null;
  private readonly viewers = new Set<string>();
  private readonly players = new Map<string, PlayerRecord>();
  private nextPlayer = 1;
  private phase: SessionPhase = 'lobby';
  private locked = false;
  private round = 0;
  private settings: RoundSettings | null = null;
  private pairs: PairRecord[] = [];
  private examples = new Map<RefusalCode, { explanation: LocalizedText; rule: string }>();
  private rows: ResultRow[] = [];
  private board: LeaderboardEntry[] | null = null;
  private podium: LeaderboardEntry[] | null = null;
  private roundTimer: NodeJS.Timeout | null = null;
  private readonly throttle: Throttle;
  private closed = false;
  /** one-time results download tokens and when each stops working */
  private readonly csvTokens = new Map<string, number>();
  touchedAt: number;

  /** The rooms report here: every change pokes the feed, a finished room may end the round. */
  private readonly observer: RoomObserver = {
    changed: (room) => {
      this.throttle.poke();
      const pair = this.pairs.find((p) => p.room === room);
      if (pair && pair.finishedAt === null && room.record.phase === 'finished' && this.phase === 'playing') {
        pair.finishedAt = this.deps.now();
        if (this.pairs.every((p) => p.room.record.phase === 'finished')) {
          this.queue.run(() => this.endRound('all finished')).catch((error) => this.crash(error));
        }
      }
    },
    refused: (_room, _seat, refusal: Refusal) => {
      this.examples.set(refusal.code, { explanation: refusal.explanation, rule: refusal.rule });
      this.throttle.poke();
    },
  };

  constructor(
    readonly code: string,
    readonly mode: SessionMode,
    private readonly deps: SessionDeps,
  ) {
    this.touchedAt = deps.now();
    this.throttle = new Throttle(deps.feedIntervalMs, () => {
      if (!this.closed) this.deps.hub.toFeed(this.code, this.feed());
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  isHost(socketId: string): boolean {
    return this.hostSocket === socketId;
  }

  /** Nobody connected (host, projector or player) and nothing happened for idleMs. */
  isIdle(now: number, idleMs: number): boolean {
    if (this.phase === 'playing') return false;
    const anyone = this.hostSocket !== null || this.viewers.size > 0 || [...this.players.values()].some((p) => p.socketId);
    return !anyone && now - this.touchedAt > idleMs;
  }

  // ---------------------------------------------------------------- host and projectors

  /** The host takes control (at creation, or after a reload with the key): the newest connection wins. */
  host(socketId: string, hostKey: string): Promise<Answer<HostJoined>> {
    return this.queue.run(() => {
      if (!secretsEqual(hostKey, this.hostKey)) return fail('BAD_HOST_KEY');
      if (this.hostSocket && this.hostSocket !== socketId) this.evict(this.hostSocket, 'taken-over');
      this.hostSocket = socketId;
      this.deps.hub.joinFeed(socketId, this.code);
      this.deps.hub.track(socketId, this.code, true);
      this.touch();
      this.deps.logger.info({ session: this.code }, 'session host connected');
      return {
        ok: true as const,
        code: this.code,
        link: sessionLink(this.code),
        hostKey: this.hostKey,
        viewKey: this.viewKey,
        feed: this.feed(),
      };
    });
  }

  watch(socketId: string, viewKey: string): Promise<Answer<{ feed: SessionFeed }>> {
    return this.queue.run(() => {
      if (!secretsEqual(viewKey, this.viewKey)) return fail('BAD_HOST_KEY');
      this.viewers.add(socketId);
      this.deps.hub.joinFeed(socketId, this.code);
      this.deps.hub.track(socketId, this.code, true);
      return { ok: true as const, feed: this.feed() };
    });
  }

  // ---------------------------------------------------------------- players

  join(socketId: string, request: { nickname: string } | { playerToken: string }): Promise<Answer<PlayerJoined>> {
    return this.queue.run(() => {
      if ('playerToken' in request) {
        const player = [...this.players.values()].find((p) => secretsEqual(p.token, request.playerToken));
        if (!player) return fail('BAD_PLAYER_TOKEN');
        if (player.socketId && player.socketId !== socketId) this.evict(player.socketId, 'taken-over');
        this.connectPlayer(player, socketId);
        return { ok: true as const, playerToken: player.token, you: this.viewOf(player) };
      }
      const current = this.playerOn(socketId);
      if (current) return { ok: true as const, playerToken: current.token, you: this.viewOf(current) };
      if (this.phase === 'ended') return fail('SESSION_ENDED');
      if (this.locked) return fail('SESSION_LOCKED');
      if (this.players.size >= MAX_SESSION_PLAYERS) return fail('SESSION_FULL');
      if (this.nameTaken(request.nickname)) return fail('NICKNAME_TAKEN');
      const player: PlayerRecord = {
        id: `p${this.nextPlayer++}`,
        nickname: request.nickname,
        nameKey: nicknameSkeleton(request.nickname),
        token: newSeatToken(),
        socketId: null,
        lastRole: null,
        lastPartner: null,
        met: new Set(),
        assignment: null,
      };
      this.players.set(player.id, player);
      this.connectPlayer(player, socketId);
      this.deps.logger.info({ session: this.code, nickname: player.nickname }, 'player joined');
      return { ok: true as const, playerToken: player.token, you: this.viewOf(player) };
    });
  }

  leave(socketId: string): Promise<Answer<object>> {
    return this.queue.run(async () => {
      const player = this.playerOn(socketId);
      if (!player) return fail('NOT_IN_SESSION');
      await this.drop(player);
      return { ok: true as const };
    });
  }

  rename(socketId: string, playerId: string, nickname: string): Promise<Answer<object>> {
    return this.asHost(socketId, () => {
      const player = this.players.get(playerId);
      if (!player) return fail('UNKNOWN_PLAYER');
      if (this.nameTaken(nickname, player.id)) return fail('NICKNAME_TAKEN');
      player.nickname = nickname;
      player.nameKey = nicknameSkeleton(nickname);
      this.tellPlayer(player);
      this.throttle.poke();
      return { ok: true as const };
    });
  }

  remove(socketId: string, playerId: string): Promise<Answer<object>> {
    return this.asHost(socketId, async () => {
      const player = this.players.get(playerId);
      if (!player) return fail('UNKNOWN_PLAYER');
      await this.drop(player);
      return { ok: true as const };
    });
  }

  lock(socketId: string, locked: boolean): Promise<Answer<object>> {
    return this.asHost(socketId, () => {
      this.locked = locked;
      this.throttle.poke();
      return { ok: true as const };
    });
  }

  /** A socket went away: a player is away (their token brings them back), a host or projector is gone. */
  disconnect(socketId: string): Promise<void> {
    return this.queue.run(() => {
      if (this.hostSocket === socketId) this.hostSocket = null;
      this.viewers.delete(socketId);
      const player = this.playerOn(socketId);
      if (player) player.socketId = null;
      this.touch();
      this.throttle.poke();
    });
  }

  // ---------------------------------------------------------------- rounds

  start(socketId: string, request: z.output<typeof startRoundSchema>): Promise<Answer<{ settings: RoundSettings }>> {
    return this.asHost(socketId, async () => {
      if (this.phase === 'playing') return fail('ROUND_RUNNING');
      if (this.phase === 'ended') return fail('SESSION_ENDED');
      if (this.round >= MAX_SESSION_ROUNDS) return fail('TOO_MANY_ROUNDS');
      const present = [...this.players.values()].filter((p) => p.socketId !== null);
      if (present.length === 0) return fail('NOT_ENOUGH_PLAYERS');
      await this.closeRooms();
      const now = this.deps.now();
      const timeLimit = request.timeLimit ?? ROUND_LIMIT_SECONDS[this.mode];
      this.round += 1;
      this.settings = {
        round: this.round,
        mission: request.mission,
        difficulty: request.difficulty,
        skin: request.skin,
        faults: { ...request.faults },
        timeLimit,
        startedAt: now,
        endsAt: now + timeLimit * 1000,
      };
      this.examples = new Map();
      this.board = null;
      const pairs = pairPlayers(present, this.mode, () => randomInt(0, 2 ** 32) / 2 ** 32);
      this.pairs = [];
      for (const pair of pairs) {
        const made = await this.openRoom(pair);
        if (made) this.pairs.push(made);
      }
      this.phase = 'playing';
      this.roundTimer = setTimeout(() => {
        this.queue.run(() => this.endRound('time')).catch((error) => this.crash(error));
      }, timeLimit * 1000);
      this.roundTimer.unref();
      for (const player of this.players.values()) this.tellPlayer(player);
      this.throttle.poke();
      this.deps.logger.info({ session: this.code, round: this.round, pairs: this.pairs.length }, 'round started');
      return { ok: true as const, settings: this.settings };
    });
  }

  stop(socketId: string): Promise<Answer<object>> {
    return this.asHost(socketId, async () => {
      if (this.phase !== 'playing') return fail('NO_ROUND');
      await this.endRound('stopped');
      return { ok: true as const };
    });
  }

  /** The session is over: a round still played ends, and the podium goes up. */
  end(socketId: string): Promise<Answer<{ podium: LeaderboardEntry[] }>> {
    return this.asHost(socketId, async () => {
      if (this.phase === 'playing') await this.endRound('session ended');
      this.phase = 'ended';
      this.board = this.leaderboard();
      this.podium = this.board.filter((entry) => entry.rank <= 3).slice(0, 3);
      for (const player of this.players.values()) this.tellPlayer(player);
      this.throttle.flush();
      return { ok: true as const, podium: this.podium };
    });
  }

  /** A one-time, short-lived token for the results download (the host key then never goes into a URL). */
  csvToken(socketId: string): Promise<Answer<CsvToken>> {
    return this.asHost(socketId, () => {
      const now = this.deps.now();
      for (const [token, expiresAt] of this.csvTokens) if (expiresAt <= now) this.csvTokens.delete(token);
      // a host asks for one per click: a few outstanding at most
      while (this.csvTokens.size >= MAX_CSV_TOKENS) this.csvTokens.delete(this.csvTokens.keys().next().value!);
      const token = newSeatToken(32);
      const expiresAt = now + CSV_TOKEN_TTL_MS;
      this.csvTokens.set(token, expiresAt);
      return { ok: true as const, token, expiresAt };
    });
  }

  /** Spend a download token: true once for a token this session gave out that has not expired. */
  takeCsvToken(candidate: string): boolean {
    const now = this.deps.now();
    let found: string | null = null;
    for (const token of this.csvTokens.keys()) if (secretsEqual(token, candidate)) found = token;
    if (found === null) return false;
    const expiresAt = this.csvTokens.get(found)!;
    this.csvTokens.delete(found);
    return expiresAt > now;
  }

  /** The results so far, one row per player per round, as CSV. */
  csv(): string {
    return toCsv(this.rows);
  }

  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.throttle.stop();
      if (this.roundTimer) clearTimeout(this.roundTimer);
      for (const socketId of [this.hostSocket, ...this.viewers, ...[...this.players.values()].map((p) => p.socketId)]) {
        if (socketId) this.evict(socketId, 'expired');
      }
      await this.closeRooms();
    });
  }

  // ---------------------------------------------------------------- inside

  private async openRoom(pair: Pair): Promise<PairRecord | null> {
    const s = this.settings!;
    const seats = { A: 'bot', B: 'bot' } as Record<Seat, { nickname: string; token: string } | 'bot'>;
    const tokens: Partial<Record<Seat, string>> = {};
    for (const seat of ['A', 'B'] as const) {
      const id = pair[seat];
      if (id === null) continue;
      tokens[seat] = newSeatToken();
      seats[seat] = { nickname: this.players.get(id)!.nickname, token: tokens[seat]! };
    }
    const room = await this.deps.lobby.createPair(
      {
        mode: pair.A === null || pair.B === null ? 'bot' : 'duel',
        botLevel: 'correct',
        mission: s.mission,
        difficulty: s.difficulty,
        faults: { ...s.faults },
        skin: s.skin,
        language: 'en',
        onAbandon: 'bot',
      },
      seats,
    );
    if (!room) return null;
    room.observer = this.observer;
    for (const seat of ['A', 'B'] as const) {
      const id = pair[seat];
      if (id === null) continue;
      const player = this.players.get(id)!;
      const partnerId = pair[seat === 'A' ? 'B' : 'A'];
      player.assignment = {
        round: this.round,
        room: room.code,
        seat,
        seatToken: tokens[seat]!,
        partner: partnerId === null ? null : this.players.get(partnerId)!.nickname,
      };
      player.lastRole = seat;
      player.lastPartner = partnerId;
      if (partnerId) player.met.add(partnerId);
    }
    return { room, players: { ...pair }, finishedAt: null };
  }

  /** The round ends (all pairs finished, the time ran out, the host stopped it): rooms stop, results count. */
  private async endRound(reason: string): Promise<void> {
    if (this.phase !== 'playing' || this.closed) return;
    if (this.roundTimer) clearTimeout(this.roundTimer);
    this.roundTimer = null;
    const s = this.settings!;
    const endedAt = this.deps.now();
    await Promise.all(this.pairs.map((p) => p.room.stop()));
    const mission = MISSIONS[s.mission];
    for (const pair of this.pairs) {
      const game = pair.room.record.game;
      const finished = game.status === 'finished' && mission.goals.every((goal) => game.goals.includes(goal));
      const seconds = Math.round(((pair.finishedAt ?? endedAt) - s.startedAt) / 100) / 10;
      for (const seat of ['A', 'B'] as const) {
        const id = pair.players[seat];
        const player = id === null ? undefined : this.players.get(id);
        if (!player) continue;
        const partnerId = pair.players[seat === 'A' ? 'B' : 'A'];
        const score = game.score[seat];
        this.rows.push({
          round: s.round,
          playerId: player.id,
          nickname: player.nickname,
          role: seat === 'A' ? 'client' : 'server',
          partner: partnerId === null ? 'bot' : (this.players.get(partnerId)?.nickname ?? ''),
          mission: s.mission,
          finished,
          seconds,
          correct: score.correct,
          mistakes: score.mistakes,
          hints: score.hints,
          mistakesByCode: { ...score.mistakesByCode },
          score: scoreOf(score, finished, seconds, s.timeLimit),
        });
      }
    }
    this.phase = 'results';
    this.board = this.leaderboard();
    for (const player of this.players.values()) {
      player.assignment = null;
      this.tellPlayer(player);
    }
    this.throttle.flush();
    this.deps.logger.info({ session: this.code, round: s.round, reason }, 'round over');
  }

  private leaderboard(): LeaderboardEntry[] {
    const names = new Map([...this.players.values()].map((p) => [p.id, p.nickname]));
    return leaderboard(this.rows, names, this.round);
  }

  private feed(): SessionFeed {
    const totals = new Map<string, number>();
    for (const row of this.rows) totals.set(row.playerId, (totals.get(row.playerId) ?? 0) + row.score);
    return buildFeed({
      code: this.code,
      mode: this.mode,
      phase: this.phase,
      locked: this.locked,
      round: this.round,
      settings: this.settings,
      players: [...this.players.values()].map((p) => ({
        id: p.id,
        nickname: p.nickname,
        connected: p.socketId !== null,
        total: totals.get(p.id) ?? 0,
      })),
      pairs: this.pairs,
      examples: this.examples,
      leaderboard: this.phase === 'results' || this.phase === 'ended' ? this.board : null,
      podium: this.phase === 'ended' ? this.podium : null,
    });
  }

  private viewOf(player: PlayerRecord): PlayerView {
    const inRound = this.phase === 'playing' && player.assignment?.round === this.round;
    const mine = this.rows.filter((r) => r.playerId === player.id);
    const last = mine.find((r) => r.round === this.round);
    const entry = this.board?.find((e) => e.playerId === player.id);
    return {
      code: this.code,
      mode: this.mode,
      playerId: player.id,
      nickname: player.nickname,
      phase: this.phase,
      round: this.round,
      assignment: inRound ? player.assignment : null,
      waiting: this.phase === 'playing' && !inRound,
      lastRound:
        this.phase !== 'playing' && last && entry
          ? { round: last.round, score: last.score, total: entry.total, rank: entry.rank, finished: last.finished }
          : null,
    };
  }

  private tellPlayer(player: PlayerRecord): void {
    if (player.socketId) this.deps.hub.toSocket(player.socketId, 'class:you', this.viewOf(player));
  }

  private connectPlayer(player: PlayerRecord, socketId: string): void {
    const previous = this.playerOn(socketId);
    if (previous && previous !== player) previous.socketId = null;
    player.socketId = socketId;
    this.deps.hub.track(socketId, this.code, true);
    this.touch();
    this.throttle.poke();
  }

  /** A player leaves or is removed: their token stops working, and their seat in a round goes to a bot. */
  private async drop(player: PlayerRecord): Promise<void> {
    this.players.delete(player.id);
    if (player.socketId) this.evict(player.socketId, 'removed');
    const assignment = player.assignment;
    if (this.phase === 'playing' && assignment) {
      const pair = this.pairs.find((p) => p.room.code === assignment.room);
      if (pair) await pair.room.revoke(assignment.seatToken);
    }
    this.touch();
    this.throttle.poke();
    this.deps.logger.info({ session: this.code, nickname: player.nickname }, 'player removed');
  }

  private nameTaken(nickname: string, except?: string): boolean {
    const wanted = { nickname, nameKey: nicknameSkeleton(nickname) };
    for (const p of this.players.values()) if (p.id !== except && sameName(p, wanted)) return true;
    return false;
  }

  private playerOn(socketId: string): PlayerRecord | undefined {
    for (const p of this.players.values()) if (p.socketId === socketId) return p;
    return undefined;
  }

  private evict(socketId: string, reason: SessionEvicted['reason']): void {
    this.deps.hub.toSocket(socketId, 'class:evicted', { code: this.code, reason });
    this.deps.hub.leaveFeed(socketId, this.code);
    this.deps.hub.track(socketId, this.code, false);
    if (this.hostSocket === socketId) this.hostSocket = null;
    this.viewers.delete(socketId);
    const player = this.playerOn(socketId);
    if (player) player.socketId = null;
  }

  private asHost<T>(socketId: string, task: () => Answer<T> | Promise<Answer<T>>): Promise<Answer<T>> {
    return this.queue.run(() => {
      if (this.closed) return fail('UNKNOWN_SESSION');
      if (this.hostSocket !== socketId) return fail('NOT_HOST');
      this.touch();
      return task();
    });
  }

  private async closeRooms(): Promise<void> {
    const pairs = this.pairs;
    for (const pair of pairs) pair.room.observer = null;
    await Promise.all(pairs.map((p) => this.deps.lobby.remove(p.room.code)));
  }

  private touch(): void {
    this.touchedAt = this.deps.now();
  }

  private crash(error: unknown): void {
    this.deps.logger.error({ session: this.code, err: error }, 'session task failed');
  }
}
