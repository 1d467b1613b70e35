// One class or workshop session: its host, projectors and players, its rounds, and its results. Every change
// runs on the session's serial queue and is committed to the store (its record: players, token hashes,
// rounds, pairs, results) before anyone is told. Each pair of a round plays in an ordinary room made by the
// Lobby (seat tokens, bots, the room's own queue and clocks); the session follows its pairs through the
// snapshots the rooms publish (never by reading a room's record) and turns them into the throttled projector
// feed. The session never sees a socket: it talks to a ClassHub.
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
import { Alarms, type Clock } from '../room/clocks.ts';
import { isStoreWriteError, type PairSnapshot, type RoomObserver } from '../room/room.ts';
import { newSeatToken } from '../roomCode.ts';
import { deriveSecret, hashSecret, matchesHash } from '../secrets.ts';
import { SerialQueue } from '../serialQueue.ts';
import { decodeSession, encodeSession, type PairRecord, type PlayerRecord, type SessionRecord } from '../store/records.ts';
import { sessionKey, type StateStore } from '../store/stateStore.ts';
import { buildFeed, Throttle } from './feed.ts';
import { pairPlayers, type Pair } from './pairing.ts';
import { leaderboard, scoreOf, toCsv, type ResultRow } from './results.ts';

/** How a session reaches its sockets; server/class/handlers.ts implements it with socket.io. */
export interface ClassHub {
  toFeed(code: string, feed: SessionFeed): void;
  toSocket(socketId: string, event: 'class:you', payload: PlayerView): void;
  toSocket(socketId: string, event: 'class:evicted', payload: SessionEvicted): void;
  joinFeed(socketId: string, code: string): void;
  leaveFeed(socketId: string, code: string): void;
  /**
   * The socket takes a part in the session. The socket keeps its parts (as socket.io rooms, wherever it is
   * connected): its disconnect finds its sessions by them, and a node that takes the session over finds its
   * host, projectors and players by them.
   */
  enter(socketId: string, code: string, part: SessionPart): void;
  /** the socket no longer has these parts; `whole`: it has no part at all in the session any more */
  exit(socketId: string, code: string, parts: SessionPart[], whole: boolean): void;
}

/** What a socket is in a session: its host, a projector, or a player (by the player's id). */
export type SessionPart = 'host' | 'viewer' | `player:${string}`;

/** A socket connected to the session somewhere (a node that took it over looked): its parts, and the player token it holds, if any. */
export interface FoundMember {
  socketId: string;
  parts: SessionPart[];
  token?: string;
}

export interface SessionDeps {
  hub: ClassHub;
  lobby: Lobby;
  store: StateStore;
  logger: Logger;
  clock: Clock;
  /** at most one feed per this many ms */
  feedIntervalMs: number;
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


/** What a session is given when it is made: the record (stored at once) and the host key (given to the host only). */
export interface NewSession {
  session: Session;
  hostKey: string;
}

export class Session {
  readonly queue = new SerialQueue();
  private record: SessionRecord;
  /** the record as last committed, to go back to when a change cannot be committed */
  private committed: string;
  private hostSocket: string | null = null;
  private readonly viewers = new Set<string>();
  /** which socket each connected player is on */
  private readonly sockets = new Map<string, string>();
  /**
   * each connected player's own token (it is their seat token in a round). Never stored: the record keeps its
   * hash. A node that takes the session over gets it from the player's socket, which keeps it (FoundMember).
   */
  private readonly tokens = new Map<string, string>();
  /** the newest picture of each pair's room, as the room published it */
  private readonly snapshots = new Map<string, PairSnapshot>();
  private readonly alarms: Alarms;
  private readonly throttle: Throttle;
  private closed = false;

  /** The rooms report here (through the registry): every change pokes the feed, a finished room may end the round. */
  readonly observer: RoomObserver = {
    changed: (snapshot) => this.pairChanged(snapshot),
    refused: (_code, _seat, refusal: Refusal) => {
      this.examples.set(refusal.code, { explanation: refusal.explanation, rule: refusal.rule });
      this.throttle.poke();
    },
  };
  private examples: Map<RefusalCode, { explanation: LocalizedText; rule: string }>;

  private constructor(
    record: SessionRecord,
    private readonly deps: SessionDeps,
  ) {
    this.record = record;
    this.committed = encodeSession(record);
    this.examples = new Map(record.examples);
    this.alarms = new Alarms(deps.clock);
    this.throttle = new Throttle(deps.feedIntervalMs, () => {
      if (!this.closed) this.deps.hub.toFeed(this.code, this.feed());
    });
  }

  /** A new session, committed before anyone hears of it; null if it could not be stored. */
  static async create(code: string, mode: SessionMode, deps: SessionDeps): Promise<NewSession | null> {
    const hostKey = newSeatToken(32);
    const now = deps.clock.now();
    const record: SessionRecord = {
      code,
      mode,
      createdAt: now,
      touchedAt: now,
      hostKeyHash: hashSecret(hostKey),
      viewKeyHash: hashSecret(viewKeyOf(hostKey, code)),
      players: [],
      departed: [],
      nextPlayer: 1,
      phase: 'lobby',
      locked: false,
      round: 0,
      settings: null,
      pairs: [],
      examples: [],
      rows: [],
      board: null,
      podium: null,
      csvTokens: [],
    };
    try {
      await deps.store.put(sessionKey(code), encodeSession(record));
    } catch (error) {
      if (isStoreWriteError(error)) return null;
      throw error;
    }
    return { session: new Session(record, deps), hostKey };
  }

  /**
   * A session loaded from the store: nobody is connected yet; its pairs' rooms are loaded (their clocks
   * resume) and followed again, and a round's time limit fires at its due time, or at once if it passed.
   */
  static async resume(text: string, key: string, deps: SessionDeps): Promise<Session> {
    const record = decodeSession(text, key);
    const session = new Session(record, deps);
    if (record.phase === 'playing' && record.settings) session.armRoundEnd(record.settings.endsAt);
    for (const pair of record.pairs) {
      const room = await deps.lobby.get(pair.room);
      // as if the room reported now: in a cluster a pair's room may have been taken over (and finished) by
      // this node before its session was, and a room's last report may never have reached a session that died
      if (room) session.pairChanged(room.snapshot());
    }
    return session;
  }

  get code(): string {
    return this.record.code;
  }

  get mode(): SessionMode {
    return this.record.mode;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  isHost(socketId: string): boolean {
    return this.hostSocket === socketId;
  }

  /** Does this key open the session as its host (the CSV route's X-Host-Key)? */
  hostKeyMatches(key: string): boolean {
    return matchesHash(key, this.record.hostKeyHash);
  }

  /** Nobody connected (host, projector or player) and nothing happened for idleMs. */
  isIdle(now: number, idleMs: number): boolean {
    if (this.record.phase === 'playing') return false;
    const anyone = this.hostSocket !== null || this.viewers.size > 0 || this.sockets.size > 0;
    return !anyone && now - this.record.touchedAt > idleMs;
  }

  // ---------------------------------------------------------------- host and projectors

  /** The host takes control (at creation, or after a reload with the key): the newest connection wins. */
  host(socketId: string, hostKey: string): Promise<Answer<HostJoined>> {
    return this.queue.run(() => {
      if (!this.hostKeyMatches(hostKey)) return fail('BAD_HOST_KEY');
      if (this.hostSocket && this.hostSocket !== socketId) this.evict(this.hostSocket, 'taken-over');
      this.hostSocket = socketId;
      this.deps.hub.joinFeed(socketId, this.code);
      this.deps.hub.enter(socketId, this.code, 'host');
      this.touch();
      this.deps.logger.info({ session: this.code }, 'session host connected');
      return {
        ok: true as const,
        code: this.code,
        link: sessionLink(this.code),
        hostKey,
        viewKey: viewKeyOf(hostKey, this.code),
        feed: this.feed(),
      };
    });
  }

  watch(socketId: string, viewKey: string): Promise<Answer<{ feed: SessionFeed }>> {
    return this.queue.run(() => {
      if (!matchesHash(viewKey, this.record.viewKeyHash)) return fail('BAD_HOST_KEY');
      this.viewers.add(socketId);
      this.deps.hub.joinFeed(socketId, this.code);
      this.deps.hub.enter(socketId, this.code, 'viewer');
      return { ok: true as const, feed: this.feed() };
    });
  }

  /**
   * This node took the session over (its node died or stopped): the people connected to it on any node are
   * its people again, found by the parts their sockets keep. A player counts only with the token their socket
   * holds, checked against the record's hash (the round's seat token is that token). Runs on the queue, first
   * thing after loading: no request is judged before the session knows who is there. Those found are told
   * where the session is now (a round may have ended meanwhile).
   */
  adopt(find: () => Promise<FoundMember[]>): Promise<void> {
    return this.queue.run(async () => {
      const found = await find();
      if (this.closed) return;
      const told: PlayerRecord[] = [];
      for (const member of found) {
        for (const part of member.parts) {
          if (part === 'host') this.hostSocket ??= member.socketId;
          else if (part === 'viewer') this.viewers.add(member.socketId);
          else {
            const player = this.playerById(part.slice('player:'.length));
            if (!player || this.sockets.has(player.id) || !member.token || !matchesHash(member.token, player.tokenHash)) continue;
            this.sockets.set(player.id, member.socketId);
            this.tokens.set(player.id, member.token);
            told.push(player);
          }
        }
      }
      for (const player of told) this.tellPlayer(player);
      this.throttle.poke();
      this.deps.logger.info(
        { session: this.code, host: this.hostSocket !== null, viewers: this.viewers.size, players: told.length },
        'session members found after take-over',
      );
    });
  }

  // ---------------------------------------------------------------- players

  join(socketId: string, request: { nickname: string } | { playerToken: string }): Promise<Answer<PlayerJoined>> {
    return this.change(async () => {
      if ('playerToken' in request) {
        const player = this.record.players.find((p) => matchesHash(request.playerToken, p.tokenHash));
        if (!player) return fail('BAD_PLAYER_TOKEN');
        const previous = this.sockets.get(player.id);
        if (previous && previous !== socketId) this.evict(previous, 'taken-over');
        this.tokens.set(player.id, request.playerToken);
        this.connectPlayer(player, socketId);
        return { ok: true as const, playerToken: request.playerToken, you: this.viewOf(player) };
      }
      const current = this.playerOn(socketId);
      if (current) return { ok: true as const, playerToken: this.tokens.get(current.id)!, you: this.viewOf(current) };
      const r = this.record;
      if (r.phase === 'ended') return fail('SESSION_ENDED');
      if (r.locked) return fail('SESSION_LOCKED');
      if (r.players.length >= MAX_SESSION_PLAYERS) return fail('SESSION_FULL');
      if (this.nameTaken(request.nickname)) return fail('NICKNAME_TAKEN');
      const nameKey = nicknameSkeleton(request.nickname);
      // the rule for a student who left and comes back under the same name: they are the same player again,
      // with their points, so the leaderboard and the CSV count the same rows under one id
      const returning = r.departed.findIndex((d) => sameName(d, { nickname: request.nickname, nameKey }));
      const id = returning >= 0 ? r.departed.splice(returning, 1)[0].id : `p${r.nextPlayer++}`;
      const token = newSeatToken();
      const player: PlayerRecord = {
        id,
        nickname: request.nickname,
        nameKey,
        tokenHash: hashSecret(token),
        lastRole: null,
        lastPartner: null,
        met: [],
        assignment: null,
      };
      r.players.push(player);
      this.touch();
      await this.commit();
      this.tokens.set(player.id, token);
      this.connectPlayer(player, socketId);
      this.deps.logger.info({ session: this.code, nickname: player.nickname, returning: returning >= 0 }, 'player joined');
      return { ok: true as const, playerToken: token, you: this.viewOf(player) };
    });
  }

  leave(socketId: string): Promise<Answer<object>> {
    return this.change(async () => {
      const player = this.playerOn(socketId);
      if (!player) return fail('NOT_IN_SESSION');
      await this.drop(player);
      return { ok: true as const };
    });
  }

  rename(socketId: string, playerId: string, nickname: string): Promise<Answer<object>> {
    return this.asHost(socketId, async () => {
      const player = this.playerById(playerId);
      if (!player) return fail('UNKNOWN_PLAYER');
      if (this.nameTaken(nickname, player.id)) return fail('NICKNAME_TAKEN');
      player.nickname = nickname;
      player.nameKey = nicknameSkeleton(nickname);
      await this.commit();
      this.tellPlayer(player);
      this.throttle.poke();
      return { ok: true as const };
    });
  }

  remove(socketId: string, playerId: string): Promise<Answer<object>> {
    return this.asHost(socketId, async () => {
      const player = this.playerById(playerId);
      if (!player) return fail('UNKNOWN_PLAYER');
      await this.drop(player);
      return { ok: true as const };
    });
  }

  lock(socketId: string, locked: boolean): Promise<Answer<object>> {
    return this.asHost(socketId, async () => {
      this.record.locked = locked;
      await this.commit();
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
      if (player) this.sockets.delete(player.id);
      this.touch();
      this.throttle.poke();
    });
  }

  // ---------------------------------------------------------------- rounds

  start(socketId: string, request: z.output<typeof startRoundSchema>): Promise<Answer<{ settings: RoundSettings }>> {
    return this.asHost(socketId, async () => {
      const r = this.record;
      if (r.phase === 'playing') return fail('ROUND_RUNNING');
      if (r.phase === 'ended') return fail('SESSION_ENDED');
      if (r.round >= MAX_SESSION_ROUNDS) return fail('TOO_MANY_ROUNDS');
      const present = r.players.filter((p) => this.sockets.has(p.id) && this.tokens.has(p.id));
      if (present.length === 0) return fail('NOT_ENOUGH_PLAYERS');
      await this.closeRooms();
      const now = this.deps.clock.now();
      const timeLimit = request.timeLimit ?? ROUND_LIMIT_SECONDS[r.mode];
      r.round += 1;
      r.settings = {
        round: r.round,
        mission: request.mission,
        difficulty: request.difficulty,
        skin: request.skin,
        faults: { ...request.faults },
        timeLimit,
        startedAt: now,
        endsAt: now + timeLimit * 1000,
      };
      this.examples = new Map();
      r.board = null;
      const pairs = pairPlayers(
        present.map((p) => ({ ...p, met: new Set(p.met) })),
        r.mode,
        () => randomInt(0, 2 ** 32) / 2 ** 32,
      );
      r.pairs = [];
      for (const pair of pairs) {
        const made = await this.openRoom(pair);
        if (made) r.pairs.push(made);
      }
      r.phase = 'playing';
      await this.commit();
      this.armRoundEnd(r.settings.endsAt);
      for (const player of r.players) this.tellPlayer(player);
      this.throttle.poke();
      this.deps.logger.info({ session: this.code, round: r.round, pairs: r.pairs.length }, 'round started');
      return { ok: true as const, settings: r.settings };
    });
  }

  stop(socketId: string): Promise<Answer<object>> {
    return this.asHost(socketId, async () => {
      if (this.record.phase !== 'playing') return fail('NO_ROUND');
      await this.endRound('stopped');
      return { ok: true as const };
    });
  }

  /** The session is over: a round still played ends, and the podium goes up. */
  end(socketId: string): Promise<Answer<{ podium: LeaderboardEntry[] }>> {
    return this.asHost(socketId, async () => {
      const r = this.record;
      if (r.phase === 'playing') await this.endRound('session ended');
      r.phase = 'ended';
      r.board = this.leaderboard();
      r.podium = r.board.filter((entry) => entry.rank <= 3).slice(0, 3);
      await this.commit();
      for (const player of r.players) this.tellPlayer(player);
      this.throttle.flush();
      return { ok: true as const, podium: r.podium };
    });
  }

  /** A one-time, short-lived token for the results download (the host key then never goes into a URL). */
  csvToken(socketId: string): Promise<Answer<CsvToken>> {
    return this.asHost(socketId, async () => {
      const now = this.deps.clock.now();
      const r = this.record;
      r.csvTokens = r.csvTokens.filter(([, expiresAt]) => expiresAt > now);
      // a host asks for one per click: a few outstanding at most
      while (r.csvTokens.length >= MAX_CSV_TOKENS) r.csvTokens.shift();
      const token = newSeatToken(32);
      const expiresAt = now + CSV_TOKEN_TTL_MS;
      r.csvTokens.push([hashSecret(token), expiresAt]);
      await this.commit();
      return { ok: true as const, token, expiresAt };
    });
  }

  /** Spend a download token: true once for a token this session gave out that has not expired. */
  takeCsvToken(candidate: string): Promise<boolean> {
    return this.change(async () => {
      const now = this.deps.clock.now();
      const r = this.record;
      const index = r.csvTokens.findIndex(([hash]) => matchesHash(candidate, hash));
      if (index < 0) return false;
      const [, expiresAt] = r.csvTokens.splice(index, 1)[0];
      await this.commit();
      return expiresAt > now;
    }, () => false);
  }

  /**
   * The results CSV for whoever shows the host key (X-Host-Key) or a download token (spent here, committed
   * before the answer); null for anyone else. Asked of the session wherever it runs, so any node serves it.
   */
  async download(hostKey: string, token: string): Promise<{ csv: string } | null> {
    if (hostKey !== '' && this.hostKeyMatches(hostKey)) return { csv: this.csv() };
    if (token !== '' && (await this.takeCsvToken(token))) return { csv: this.csv() };
    return null;
  }

  /** The results so far, one row per player per round, as CSV. */
  csv(): string {
    return toCsv(this.record.rows);
  }

  /** The session is over for good (expired): everyone is told, its rooms and its record are deleted. */
  close(): Promise<void> {
    return this.queue.run(async () => {
      if (this.closed) return;
      this.closed = true;
      this.throttle.stop();
      this.alarms.clearAll();
      for (const socketId of [this.hostSocket, ...this.viewers, ...this.sockets.values()]) {
        if (socketId) this.evict(socketId, 'expired');
      }
      await this.closeRooms();
      try {
        await this.deps.store.delete(sessionKey(this.code));
      } catch (error) {
        this.deps.logger.error({ session: this.code, err: error }, 'session record not deleted');
      }
    });
  }

  /** This process lets go of the session (it shuts down): the record stays as last committed. */
  unload(): Promise<void> {
    return this.queue.run(() => {
      this.closed = true;
      this.throttle.stop();
      this.alarms.clearAll();
    });
  }

  // ---------------------------------------------------------------- inside

  private async openRoom(pair: Pair): Promise<PairRecord | null> {
    const s = this.record.settings!;
    const seats = { A: 'bot', B: 'bot' } as Record<Seat, { nickname: string; tokenHash: string } | 'bot'>;
    for (const seat of ['A', 'B'] as const) {
      const id = pair[seat];
      if (id === null) continue;
      const player = this.playerById(id)!;
      // the player's own token is their seat token: the room keeps its hash, as the session does
      seats[seat] = { nickname: player.nickname, tokenHash: player.tokenHash };
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
      this.code,
    );
    if (!room) return null;
    this.snapshots.set(room.code, room.snapshot());
    for (const seat of ['A', 'B'] as const) {
      const id = pair[seat];
      if (id === null) continue;
      const player = this.playerById(id)!;
      const partnerId = pair[seat === 'A' ? 'B' : 'A'];
      player.assignment = {
        round: this.record.round,
        room: room.code,
        seat,
        partner: partnerId === null ? null : this.playerById(partnerId)!.nickname,
      };
      player.lastRole = seat;
      player.lastPartner = partnerId;
      if (partnerId && !player.met.includes(partnerId)) player.met.push(partnerId);
    }
    return { room: room.code, players: { ...pair }, finishedAt: null };
  }

  /** A pair's room changed: the feed follows, and a pair that finished first may end the round. */
  private pairChanged(snapshot: PairSnapshot): void {
    if (this.closed) return;
    this.snapshots.set(snapshot.code, snapshot);
    this.throttle.poke();
    const pair = this.record.pairs.find((p) => p.room === snapshot.code);
    if (!pair || pair.finishedAt !== null || snapshot.phase !== 'finished' || this.record.phase !== 'playing') return;
    pair.finishedAt = this.deps.clock.now();
    const allFinished = this.record.pairs.every((p) => this.snapshots.get(p.room)?.phase === 'finished');
    this.queue
      .run(async () => {
        if (this.closed) return;
        if (allFinished) await this.endRound('all finished');
        else await this.commit();
      })
      .catch((error) => this.crash(error));
  }

  private armRoundEnd(endsAt: number): void {
    this.alarms.set('round', endsAt, () => {
      this.change(() => this.endRound('time'), () => undefined).catch((error) => this.crash(error));
    });
  }

  /** The round ends (all pairs finished, the time ran out, the host stopped it): rooms stop, results count. */
  private async endRound(reason: string): Promise<void> {
    const r = this.record;
    if (r.phase !== 'playing' || this.closed) return;
    this.alarms.clear('round');
    const s = r.settings!;
    const endedAt = this.deps.clock.now();
    for (const pair of r.pairs) await (await this.deps.lobby.get(pair.room))?.stop();
    const mission = MISSIONS[s.mission];
    for (const pair of r.pairs) {
      const snapshot = this.snapshots.get(pair.room);
      if (!snapshot) continue;
      const finished = snapshot.status === 'finished' && mission.goals.every((goal) => snapshot.goals.includes(goal));
      const seconds = Math.round(((pair.finishedAt ?? endedAt) - s.startedAt) / 100) / 10;
      for (const seat of ['A', 'B'] as const) {
        const id = pair.players[seat];
        const player = id === null ? undefined : this.playerById(id);
        if (!player) continue;
        const partnerId = pair.players[seat === 'A' ? 'B' : 'A'];
        const score = snapshot.score[seat];
        r.rows.push({
          round: s.round,
          playerId: player.id,
          nickname: player.nickname,
          role: seat === 'A' ? 'client' : 'server',
          partner: partnerId === null ? 'bot' : (this.playerById(partnerId)?.nickname ?? ''),
          mission: s.mission,
          difficulty: s.difficulty,
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
    r.phase = 'results';
    r.board = this.leaderboard();
    for (const player of r.players) player.assignment = null;
    await this.commit();
    for (const player of r.players) this.tellPlayer(player);
    this.throttle.flush();
    this.deps.logger.info({ session: this.code, round: s.round, reason }, 'round over');
  }

  private leaderboard(): LeaderboardEntry[] {
    const names = new Map(this.record.players.map((p) => [p.id, p.nickname]));
    return leaderboard(this.record.rows, names, this.record.round);
  }

  private feed(): SessionFeed {
    const r = this.record;
    const totals = new Map<string, number>();
    for (const row of r.rows) totals.set(row.playerId, (totals.get(row.playerId) ?? 0) + row.score);
    return buildFeed({
      code: this.code,
      mode: r.mode,
      phase: r.phase,
      locked: r.locked,
      round: r.round,
      settings: r.settings,
      players: r.players.map((p) => ({
        id: p.id,
        nickname: p.nickname,
        connected: this.sockets.has(p.id),
        total: totals.get(p.id) ?? 0,
      })),
      pairs: r.pairs.flatMap((p) => {
        const snapshot = this.snapshots.get(p.room);
        return snapshot ? [{ snapshot, players: p.players }] : [];
      }),
      examples: this.examples,
      leaderboard: r.phase === 'results' || r.phase === 'ended' ? r.board : null,
      podium: r.phase === 'ended' ? r.podium : null,
    });
  }

  private viewOf(player: PlayerRecord): PlayerView {
    const r = this.record;
    const inRound = r.phase === 'playing' && player.assignment?.round === r.round;
    const mine = r.rows.filter((row) => row.playerId === player.id);
    const last = mine.find((row) => row.round === r.round);
    const entry = r.board?.find((e) => e.playerId === player.id);
    const token = this.tokens.get(player.id);
    return {
      code: this.code,
      mode: r.mode,
      playerId: player.id,
      nickname: player.nickname,
      phase: r.phase,
      round: r.round,
      assignment: inRound && player.assignment && token ? { ...player.assignment, seatToken: token } : null,
      waiting: r.phase === 'playing' && !inRound,
      lastRound:
        r.phase !== 'playing' && last && entry
          ? { round: last.round, score: last.score, total: entry.total, rank: entry.rank, finished: last.finished }
          : null,
    };
  }

  private tellPlayer(player: PlayerRecord): void {
    const socketId = this.sockets.get(player.id);
    if (socketId) this.deps.hub.toSocket(socketId, 'class:you', this.viewOf(player));
  }

  private connectPlayer(player: PlayerRecord, socketId: string): void {
    const previous = this.playerOn(socketId);
    if (previous && previous !== player) {
      this.sockets.delete(previous.id);
      this.deps.hub.exit(socketId, this.code, [`player:${previous.id}`], false);
    }
    this.sockets.set(player.id, socketId);
    this.deps.hub.enter(socketId, this.code, `player:${player.id}`);
    this.touch();
    this.throttle.poke();
  }

  /** A player leaves or is removed: their token stops working, and their seat in a round goes to a bot. */
  private async drop(player: PlayerRecord): Promise<void> {
    const r = this.record;
    r.players = r.players.filter((p) => p.id !== player.id);
    r.departed.push({ id: player.id, nickname: player.nickname, nameKey: player.nameKey });
    const assignment = player.assignment;
    this.touch();
    await this.commit();
    const socketId = this.sockets.get(player.id);
    if (socketId) this.evict(socketId, 'removed');
    this.sockets.delete(player.id);
    this.tokens.delete(player.id);
    if (r.phase === 'playing' && assignment) {
      const room = await this.deps.lobby.get(assignment.room);
      await room?.revoke(player.tokenHash);
    }
    this.throttle.poke();
    this.deps.logger.info({ session: this.code, nickname: player.nickname }, 'player removed');
  }

  private nameTaken(nickname: string, except?: string): boolean {
    const wanted = { nickname, nameKey: nicknameSkeleton(nickname) };
    for (const p of this.record.players) if (p.id !== except && sameName(p, wanted)) return true;
    return false;
  }

  private playerById(id: string): PlayerRecord | undefined {
    return this.record.players.find((p) => p.id === id);
  }

  private playerOn(socketId: string): PlayerRecord | undefined {
    for (const [id, socket] of this.sockets) if (socket === socketId) return this.playerById(id);
    return undefined;
  }

  private evict(socketId: string, reason: SessionEvicted['reason']): void {
    this.deps.hub.toSocket(socketId, 'class:evicted', { code: this.code, reason });
    this.deps.hub.leaveFeed(socketId, this.code);
    const player = this.playerOn(socketId);
    const parts: SessionPart[] = [];
    if (this.hostSocket === socketId) parts.push('host');
    if (this.viewers.has(socketId)) parts.push('viewer');
    if (player) parts.push(`player:${player.id}`);
    this.deps.hub.exit(socketId, this.code, parts, true);
    if (this.hostSocket === socketId) this.hostSocket = null;
    this.viewers.delete(socketId);
    if (player) this.sockets.delete(player.id);
  }

  private asHost<T>(socketId: string, task: () => Promise<Answer<T>>): Promise<Answer<T>> {
    return this.change(async () => {
      if (this.closed) return fail('UNKNOWN_SESSION');
      if (this.hostSocket !== socketId) return fail('NOT_HOST');
      this.touch();
      return task();
    });
  }

  /**
   * Runs a change on the queue. If the store cannot commit it, the session goes back to its last committed
   * record (nobody was told of the change: answers and pushes go out after the commit) and the request gets
   * NOT_SAVED.
   */
  private change<T>(task: () => Promise<T>, failed: () => T = () => fail('NOT_SAVED') as T): Promise<T> {
    return this.queue.run(async () => {
      try {
        return await task();
      } catch (error) {
        if (!isStoreWriteError(error)) throw error;
        this.deps.logger.error({ session: this.code, err: error }, 'change not committed: the session is as it was');
        this.record = decodeSession(this.committed, sessionKey(this.code));
        return failed();
      }
    });
  }

  private async commit(): Promise<void> {
    const text = encodeSession({ ...this.record, examples: [...this.examples] });
    await this.deps.store.put(sessionKey(this.code), text);
    this.committed = text;
  }

  private async closeRooms(): Promise<void> {
    await Promise.all(this.record.pairs.map((p) => this.deps.lobby.remove(p.room)));
    for (const p of this.record.pairs) this.snapshots.delete(p.room);
  }

  private touch(): void {
    this.record.touchedAt = this.deps.clock.now();
  }

  private crash(error: unknown): void {
    this.deps.logger.error({ session: this.code, err: error }, 'session task failed');
  }
}

/** The projector's key: it follows from the host key, so only the host (or whoever they give the link) has it. */
function viewKeyOf(hostKey: string, code: string): string {
  return deriveSecret(hostKey, `view:${code}`);
}
