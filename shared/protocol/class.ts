// The class and workshop protocol: a host runs a session (join code, link, QR), players join with a nickname,
// rounds pair them in ordinary rooms (shared/protocol/events.ts), and a projector feed shows the class.
// Both ends import this file; the server parses every incoming payload with these schemas first.
// docs/protocol.md ("Classes and workshops") describes the same contract in prose.

import { z } from 'zod';
import type { LocalizedText, MissionId, RefusalCode, Seat } from '../game/types.ts';
import type { TcpState } from '../tcp/types.ts';
import { nicknameSchema, roomCodeSchema, skinSchema, type ProtocolErrorCode } from './events.ts';

/** Session codes use the room codes' alphabet and length (no look-alikes); the link is /c/CODE. */
export const sessionCodeSchema = roomCodeSchema;
export const sessionLink = (code: string): string => `/c/${code}`;

const secret = z.string().min(10).max(64);
const playerId = z.string().min(1).max(16);

export const SESSION_MODES = ['class', 'workshop'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];

/** Most players a session takes (100 pairs). */
export const MAX_SESSION_PLAYERS = 200;
/** Most rounds a session plays: each adds a results row per player, and the leaderboard sums them all. */
export const MAX_SESSION_ROUNDS = 50;
/** A one-time results download token (class:csvToken) is good for this long. */
export const CSV_TOKEN_TTL_MS = 60_000;
/** Round time limits, in seconds; a workshop's default is short ("speed handshake"). */
export const ROUND_LIMIT_SECONDS = { min: 20, max: 3600, class: 300, workshop: 90 } as const;

export const createSessionSchema = z.object({
  mode: z.enum(SESSION_MODES).default('class'),
});
export type CreateSessionRequest = z.input<typeof createSessionSchema>;

/** The host comes back (a reload) with its private key. */
export const hostSessionSchema = z.object({ code: sessionCodeSchema, hostKey: secret });
export type HostSessionRequest = z.input<typeof hostSessionSchema>;

/** A read-only projector: the feed, nothing else. */
export const watchSessionSchema = z.object({ code: sessionCodeSchema, viewKey: secret });
export type WatchSessionRequest = z.input<typeof watchSessionSchema>;

export const joinSessionSchema = z.union([
  z.object({ code: sessionCodeSchema, playerToken: secret }),
  z.object({ code: sessionCodeSchema, nickname: nicknameSchema }),
]);
export type JoinSessionRequest = z.input<typeof joinSessionSchema>;

export const sessionOnlySchema = z.object({ code: sessionCodeSchema });
export type SessionOnlyRequest = z.input<typeof sessionOnlySchema>;

export const renamePlayerSchema = z.object({ code: sessionCodeSchema, playerId, nickname: nicknameSchema });
export type RenamePlayerRequest = z.input<typeof renamePlayerSchema>;

export const removePlayerSchema = z.object({ code: sessionCodeSchema, playerId });
export type RemovePlayerRequest = z.input<typeof removePlayerSchema>;

export const lockSessionSchema = z.object({ code: sessionCodeSchema, locked: z.boolean() });
export type LockSessionRequest = z.input<typeof lockSessionSchema>;

const fault = z.number().min(0).max(0.5);
export const startRoundSchema = z.object({
  code: sessionCodeSchema,
  mission: z.enum(['open-send-close', 'open', 'close', 'refused'] satisfies [MissionId, ...MissionId[]]).default('open-send-close'),
  difficulty: z.enum(['easy', 'normal', 'hard']).default('normal'),
  skin: skinSchema.default('network'),
  faults: z.object({ loss: fault, duplicate: fault, reorder: fault }).default({ loss: 0, duplicate: 0, reorder: 0 }),
  /** seconds; default 300 in a class, 90 in a workshop */
  timeLimit: z.number().int().min(ROUND_LIMIT_SECONDS.min).max(ROUND_LIMIT_SECONDS.max).optional(),
});
export type StartRoundRequest = z.input<typeof startRoundSchema>;

/** Error codes of sessions, on top of the protocol's BAD_PAYLOAD, RATE_LIMITED and INTERNAL. */
export const CLASS_ERROR_CODES = [
  'UNKNOWN_SESSION',
  'BAD_HOST_KEY',
  'BAD_PLAYER_TOKEN',
  'NICKNAME_TAKEN',
  'SESSION_LOCKED',
  'SESSION_FULL',
  'SESSION_ENDED',
  'NOT_HOST',
  'NOT_IN_SESSION',
  'UNKNOWN_PLAYER',
  'ROUND_RUNNING',
  'NO_ROUND',
  'NOT_ENOUGH_PLAYERS',
  /** class:start after MAX_SESSION_ROUNDS rounds: the session can only end now */
  'TOO_MANY_ROUNDS',
  /** class:create while the server already runs as many sessions as it takes (config maxSessions) */
  'SERVER_FULL',
] as const;
export type ClassErrorCode = (typeof CLASS_ERROR_CODES)[number];

export interface ClassError {
  code: ClassErrorCode | Extract<ProtocolErrorCode, 'BAD_PAYLOAD' | 'RATE_LIMITED' | 'INTERNAL' | 'NOT_SAVED' | 'NOT_ANSWERED'>;
  message: LocalizedText;
}
export type ClassAck<T> = ({ ok: true } & T) | { ok: false; error: ClassError };

export type SessionPhase = 'lobby' | 'playing' | 'results' | 'ended';

export interface RoundSettings {
  round: number;
  mission: MissionId;
  difficulty: 'easy' | 'normal' | 'hard';
  skin: 'network' | 'airport';
  faults: { loss: number; duplicate: number; reorder: number };
  /** seconds */
  timeLimit: number;
  startedAt: number;
  /** ms since epoch */
  endsAt: number;
}

export interface FeedPlayer {
  id: string;
  nickname: string;
  connected: boolean;
  /** lobby: waiting for a round; playing: in this round's pair; waiting: joined late, plays next round */
  status: 'lobby' | 'playing' | 'waiting';
  total: number;
}

export interface FeedSeat {
  /** null for a bot */
  playerId: string | null;
  nickname: string | null;
  kind: 'human' | 'bot';
  connected: boolean;
  state: TcpState;
  mistakes: number;
}

/** One pair of a round, as a tile on the projector. */
export interface FeedPair {
  room: string;
  seats: Record<Seat, FeedSeat>;
  goals: string[];
  goalsTotal: number;
  finished: boolean;
  outcome: null | 'completed' | 'reset' | 'aborted' | 'stopped';
}

export interface FeedMistake {
  code: RefusalCode;
  count: number;
  /** the referee's explanation of one such card this round, in both languages */
  explanation: LocalizedText | null;
  rule: string | null;
}

export interface LeaderboardEntry {
  rank: number;
  playerId: string;
  nickname: string;
  /** this round's score (0 if the player sat it out) */
  round: number;
  total: number;
}

/** The projector feed: the whole picture, at most a few times a second. */
export interface SessionFeed {
  code: string;
  mode: SessionMode;
  phase: SessionPhase;
  locked: boolean;
  /** rounds started so far */
  round: number;
  settings: RoundSettings | null;
  players: FeedPlayer[];
  /** the current or last round's pairs */
  pairs: FeedPair[];
  /** the round's most common mistakes, most frequent first (at most 5) */
  mistakes: FeedMistake[];
  /** after each round (phase results and ended) */
  leaderboard: LeaderboardEntry[] | null;
  /** the top three by total, once the session has ended */
  podium: LeaderboardEntry[] | null;
}

export interface HostJoined {
  code: string;
  /** the join link's path: /c/CODE (prefix the page's origin); the QR code is at /c/CODE/qr.svg */
  link: string;
  /** private: the browser keeps it; class:host with it restores host control after a reload */
  hostKey: string;
  /** for a read-only projector page: class:watch with it */
  viewKey: string;
  feed: SessionFeed;
}

export interface Assignment {
  round: number;
  /** the ordinary room this player's pair plays in: room:join { code: room, seatToken } */
  room: string;
  seat: Seat;
  seatToken: string;
  /** the partner's nickname; null = a bot */
  partner: string | null;
}

/** What a player sees of the session (sent in the join reply and as class:you on every change). */
export interface PlayerView {
  code: string;
  mode: SessionMode;
  playerId: string;
  nickname: string;
  phase: SessionPhase;
  round: number;
  /** this round's pair, while the player plays in it */
  assignment: Assignment | null;
  /** joined while a round is played: plays in the next one */
  waiting: boolean;
  /** after a round: the player's score and rank in it */
  lastRound: { round: number; score: number; total: number; rank: number; finished: boolean } | null;
}

export interface PlayerJoined {
  /** private: keep it to come back after a reload (class:join { code, playerToken }) */
  playerToken: string;
  you: PlayerView;
}

export interface SessionEvicted {
  code: string;
  /** removed by the host; taken-over by another connection with the same key/token; expired */
  reason: 'removed' | 'taken-over' | 'expired';
}

/** class:csvToken: a one-time link for GET /c/CODE/results.csv?token=, so the host key stays out of URLs. */
export interface CsvToken {
  token: string;
  /** ms since epoch; the token also stops working once used */
  expiresAt: number;
}

export interface ClassClientToServerEvents {
  'class:create': (request: CreateSessionRequest, ack: (reply: ClassAck<HostJoined>) => void) => void;
  'class:host': (request: HostSessionRequest, ack: (reply: ClassAck<HostJoined>) => void) => void;
  'class:watch': (request: WatchSessionRequest, ack: (reply: ClassAck<{ feed: SessionFeed }>) => void) => void;
  'class:join': (request: JoinSessionRequest, ack: (reply: ClassAck<PlayerJoined>) => void) => void;
  'class:leave': (request: SessionOnlyRequest, ack: (reply: ClassAck<object>) => void) => void;
  'class:rename': (request: RenamePlayerRequest, ack: (reply: ClassAck<object>) => void) => void;
  'class:remove': (request: RemovePlayerRequest, ack: (reply: ClassAck<object>) => void) => void;
  'class:lock': (request: LockSessionRequest, ack: (reply: ClassAck<object>) => void) => void;
  'class:start': (request: StartRoundRequest, ack: (reply: ClassAck<{ settings: RoundSettings }>) => void) => void;
  'class:stop': (request: SessionOnlyRequest, ack: (reply: ClassAck<object>) => void) => void;
  'class:end': (request: SessionOnlyRequest, ack: (reply: ClassAck<{ podium: LeaderboardEntry[] }>) => void) => void;
  'class:csvToken': (request: SessionOnlyRequest, ack: (reply: ClassAck<CsvToken>) => void) => void;
}

export interface ClassServerToClientEvents {
  /** to the host and projectors: the whole picture, throttled (at most 4 a second) */
  'class:feed': (feed: SessionFeed) => void;
  /** to one player: their view changed (a round started or ended, renamed, the session ended) */
  'class:you': (you: PlayerView) => void;
  /** to one socket: it is no longer part of the session */
  'class:evicted': (evicted: SessionEvicted) => void;
}
