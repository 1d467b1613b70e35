// The records rooms and class sessions keep in the store: plain data, their format version, and how they
// become the JSON the store holds and back. A game is stored as its options and its log of inputs (the engine
// replays it exactly: replayGame), which is a few bytes per move instead of the whole board.
import { replayGame } from '../../shared/game/index.ts';
import type {
  Difficulty,
  GameInput,
  GameOptions,
  GameState,
  LocalizedText,
  MissionId,
  NetworkFaults,
  RefusalCode,
  Seat,
} from '../../shared/game/types.ts';
import type { LeaderboardEntry, PlayerView, RoundSettings, SessionMode, SessionPhase } from '../../shared/protocol/class.ts';
import type { TcpProfile } from '../../shared/tcp/types.ts';
import type { ResultRow } from '../class/results.ts';

/**
 * The records' format. A newer server reads every older format (upgrade() below); a record of a newer
 * format than this server knows stops the server at start with a message, never a silent loss.
 */
export const RECORD_FORMAT = 1;

export interface SeatRecord {
  kind: 'empty' | 'human' | 'bot';
  nickname: string | null;
  /** the SHA-256 of the seat's token (server/secrets.ts); null for an empty seat or a bot's own */
  tokenHash: string | null;
  connected: boolean;
  /** while a human is away: when its grace period ends (ms since epoch) */
  graceEndsAt: number | null;
}

export interface RoomOptions {
  mode: 'duel' | 'bot';
  botLevel: 'correct' | 'erring';
  mission: MissionId;
  difficulty: Difficulty;
  faults: NetworkFaults;
  /** unset in rooms made before profiles (and class pairs): rfc */
  profile?: TcpProfile;
  skin: 'network' | 'airport';
  language: 'en' | 'zh-CN';
  onAbandon: 'bot' | 'end';
}

/** When each of a room's clocks is due (ms since epoch), so a reloaded room resumes them. */
export interface RoomClocks {
  /** game timers, by `${end}:${kind}:${since}` */
  timers: Record<string, number>;
  /** a bot's next card */
  bots: Partial<Record<Seat, number>>;
}

export interface RoomRecord {
  code: string;
  createdAt: number;
  /** last change of any kind (for idle expiry) */
  touchedAt: number;
  options: RoomOptions;
  phase: 'waiting' | 'playing' | 'finished';
  round: number;
  /** grows by one with every room:update (a game move, a seat changing hands, a new round) */
  version: number;
  seats: Record<Seat, SeatRecord>;
  game: GameState;
  /** state of the bots' random source, so a stored room replays the same bot */
  botRng: number;
  /** refusals of each bot's own cards in a row (an erring bot plays right after a few) */
  botRefusals: Record<Seat, number>;
  abandonedBy: Seat | null;
  /**
   * A class pair's room: its seats were given out with the round (a seat token each, or a bot) and are taken
   * with that token only; it is not played on after the round (no rematch). Unset for ordinary rooms.
   */
  byTokenOnly?: boolean;
  /** the class session this pair's room belongs to (it reports to that session) */
  session?: string;
  clocks: RoomClocks;
}

interface StoredRoom extends Omit<RoomRecord, 'game'> {
  format: number;
  game: { options: GameOptions; log: GameInput[]; moves: number };
}

export function encodeRoom(record: RoomRecord): string {
  // A room is committed after every move, so this runs as often as cards are played. The game's log only
  // grows, its entries never change, and the options never change: their JSON is kept and reused, and only
  // the small rest of the record is encoded anew (it was a sixth of the room's CPU per move, encoded whole).
  const { game, options, ...rest } = record;
  const head = JSON.stringify({ format: RECORD_FORMAT, ...rest });
  const log = game.log.map(encodedOnce).join(',');
  return `${head.slice(0, -1)},"options":${encodedOnce(options)},"game":{"options":${encodedOnce(game.options)},"log":[${log}],"moves":${game.moves}}}`;
}

/** JSON of objects that are never changed once made (log entries, options), kept while they live. */
const encodedJson = new WeakMap<object, string>();
function encodedOnce(value: object): string {
  let json = encodedJson.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    encodedJson.set(value, json);
  }
  return json;
}

export function decodeRoom(text: string, where: string): RoomRecord {
  const stored = upgrade(parse(text, where), where) as StoredRoom;
  const { format: _format, game, ...rest } = stored;
  const replayed = replayGame(game.options, game.log);
  if (replayed.moves !== game.moves) {
    // the engine changed how a logged input plays since this record was written: play on from what it says now
    console.warn(`${where}: the game replays to ${replayed.moves} moves, not ${game.moves} (the rules engine changed since it was stored)`);
  }
  return { ...rest, game: replayed };
}

// ---------------------------------------------------------------- class sessions

export interface PlayerRecord {
  id: string;
  nickname: string;
  /** nicknameSkeleton(nickname): what the nickname is compared by */
  nameKey: string;
  tokenHash: string;
  lastRole: Seat | null;
  lastPartner: string | null;
  met: string[];
  /** this round's pair, while it is played (the seat token is the player's own token: never stored) */
  assignment: Omit<NonNullable<PlayerView['assignment']>, 'seatToken'> | null;
}

export interface PairRecord {
  room: string;
  players: Record<Seat, string | null>;
  /** when the pair's room finished (by itself, before the round ended) */
  finishedAt: number | null;
}

export interface SessionRecord {
  code: string;
  mode: SessionMode;
  createdAt: number;
  touchedAt: number;
  hostKeyHash: string;
  /** the projector's key follows from the host key (server/secrets.ts deriveSecret): only its hash is kept */
  viewKeyHash: string;
  players: PlayerRecord[];
  /** players who left or were removed: one who joins again under the same name is the same player (their points follow) */
  departed: { id: string; nickname: string; nameKey: string }[];
  nextPlayer: number;
  phase: SessionPhase;
  locked: boolean;
  round: number;
  settings: RoundSettings | null;
  pairs: PairRecord[];
  /** one refusal of each code seen this round, for the projector's explanation */
  examples: [RefusalCode, { explanation: LocalizedText; rule: string }][];
  rows: ResultRow[];
  board: LeaderboardEntry[] | null;
  podium: LeaderboardEntry[] | null;
  /** one-time results download tokens: their hashes and when each stops working */
  csvTokens: [string, number][];
}

export function encodeSession(record: SessionRecord): string {
  return JSON.stringify({ format: RECORD_FORMAT, ...record });
}

export function decodeSession(text: string, where: string): SessionRecord {
  const { format: _format, ...record } = upgrade(parse(text, where), where) as SessionRecord & { format: number };
  return record;
}

// ---------------------------------------------------------------- formats

/** A record the server cannot use: the server stops and says which and why. */
export class RecordFormatError extends Error {
  constructor(
    readonly where: string,
    reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'RecordFormatError';
  }
}

function parse(text: string, where: string): { format?: unknown } {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object') return value as { format?: unknown };
  } catch {
    /* below */
  }
  throw new RecordFormatError(where, 'the record is not valid JSON');
}

/** Brings a record of an older format up to RECORD_FORMAT (format 1 is the first: nothing to do yet). */
function upgrade(record: { format?: unknown }, where: string): object {
  const format = record.format;
  if (typeof format !== 'number' || !Number.isInteger(format) || format < 1) {
    throw new RecordFormatError(where, `the record has no format version this server knows (${String(format)})`);
  }
  if (format > RECORD_FORMAT) {
    throw new RecordFormatError(
      where,
      `the record was written by a newer Handshake (record format ${format}; this server reads up to ${RECORD_FORMAT}). Run the newer version.`,
    );
  }
  return record;
}
