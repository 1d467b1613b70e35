// The wire protocol between the browser and the game server: event names, payloads and their run-time
// schemas. Both ends import this file; the server parses every incoming payload with these schemas before
// anything else. docs/protocol.md describes the same contract in prose.

import { z } from 'zod';
import type { Card, GameState, Happening, LocalizedText, Refusal, Seat } from '../game/types.ts';
import { FLAGS, TCP_PROFILES, TCP_STATES, type TcpProfile, type TimerKind } from '../tcp/types.ts';
import { MISSIONS } from '../game/missions.ts';

/** Room codes: 6 characters from an alphabet without look-alikes (no 0/O, 1/I/l). */
export const ROOM_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const ROOM_CODE_LENGTH = 6;
export const roomCodeSchema = z
  .string()
  .transform((code) => code.trim().toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_LENGTH}}$`)));

/**
 * What a nickname may not carry to other players' screens and the results CSV: control and format characters
 * (zero-width spaces and joiners, bidi overrides and isolates, the BOM, soft hyphens), other invisible
 * characters (Hangul fillers, the braille blank, variation selectors), private-use and unassigned code points.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Letters, digits, spaces and visible symbols only; at most two combining marks on a letter; 1–24 characters. */
export function cleanNickname(name: string): string {
  return name
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(/(\p{M}{2})\p{M}+/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export const nicknameSchema = z
  .string()
  .max(256)
  .transform(cleanNickname)
  .pipe(z.string().min(1).max(24));

/**
 * A card's structure only: which fields, of which types. Whether the values make a card — a known flag, a
 * number that fits 32 bits, a length of 0 or more — is the referee's to judge (shared/game/limits.ts holds
 * those limits), so that a card that breaks them gets the referee's explanation (SEQ_OUT_OF_RANGE,
 * UNKNOWN_FLAG, NEGATIVE_LENGTH…) instead of BAD_PAYLOAD. The payload's size is bounded by MAX_PAYLOAD_BYTES.
 */
export const cardSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('call'),
    call: z.string(),
    data: z.string().optional(),
  }),
  z.object({
    kind: z.literal('segment'),
    flags: z.array(z.string()),
    seq: z.number(),
    ack: z.number().nullable(),
    len: z.number(),
  }),
]);

export const seatSchema = z.enum(['A', 'B']);
export const languageSchema = z.enum(['en', 'zh-CN']);
export const skinSchema = z.enum(['network', 'airport']);

export const createRoomSchema = z.object({
  mode: z.enum(['duel', 'bot']),
  /** for mode 'bot': the bot plays correctly or makes students' mistakes on purpose */
  botLevel: z.enum(['correct', 'erring']).default('correct'),
  mission: z.string().max(48).refine((id) => id in MISSIONS, 'unknown mission').default('open-send-close'),
  difficulty: z.enum(['easy', 'normal', 'hard']).default('normal'),
  /** whose choices the reference TCP makes where RFC 9293 leaves one (a level's own profile wins over it) */
  profile: z.enum(TCP_PROFILES as [TcpProfile, ...TcpProfile[]]).default('rfc'),
  faults: z
    .object({ loss: z.number().min(0).max(0.5), duplicate: z.number().min(0).max(0.5), reorder: z.number().min(0).max(0.5) })
    .default({ loss: 0, duplicate: 0, reorder: 0 }),
  skin: skinSchema.default('network'),
  language: languageSchema.default('en'),
  nickname: nicknameSchema.optional(),
  /** the seat the creator takes; the other goes to the second visitor (or the bot) */
  seat: seatSchema.default('A'),
  /** after the reconnection grace period a vacated seat goes to a bot, or the game ends */
  onAbandon: z.enum(['bot', 'end']).default('bot'),
});
export type CreateRoomRequest = z.input<typeof createRoomSchema>;

export const joinRoomSchema = z.object({
  code: roomCodeSchema,
  nickname: nicknameSchema.optional(),
  /** the private token a seat received when it was taken: a reload presents it to get the seat back */
  seatToken: z.string().min(10).max(64).optional(),
  /** watch without a seat */
  spectate: z.boolean().default(false),
  /** prefer this seat if it is free (or held by a bot) */
  seat: seatSchema.optional(),
});
export type JoinRoomRequest = z.input<typeof joinRoomSchema>;

export const playCardSchema = z.object({
  code: roomCodeSchema,
  /** the room version the card was played against: a stale one is refused */
  version: z.number().int().min(0),
  card: cardSchema,
});
/** What a client sends: a Card (the schema lets through any card-shaped value, for the referee to judge). */
export type PlayCardRequest = Omit<z.input<typeof playCardSchema>, 'card'> & { card: Card };

export const roomOnlySchema = z.object({ code: roomCodeSchema });
export type RoomOnlyRequest = z.input<typeof roomOnlySchema>;

export const quizAnswerSchema = z.object({ code: roomCodeSchema, version: z.number().int().min(0), state: z.enum(TCP_STATES) });
export type QuizAnswerRequest = z.input<typeof quizAnswerSchema>;

/** Error codes of the protocol layer (the referee's own refusal codes are in shared/game/types.ts). */
export const PROTOCOL_ERROR_CODES = [
  'BAD_PAYLOAD',
  'UNKNOWN_ROOM',
  'ROOM_FULL',
  'ROOM_LOCKED',
  'NOT_SEATED',
  'BAD_SEAT_TOKEN',
  'STALE_VERSION',
  'RATE_LIMITED',
  'REFUSED',
  'GAME_OVER',
  'INTERNAL',
  /** a card or quiz answer while the room is still waiting for its second seat */
  'NOT_STARTED',
  /** a rematch asked for while the round is still being played */
  'NOT_FINISHED',
  /** room:create while the server already holds as many rooms as it takes (config maxRooms) */
  'SERVER_FULL',
  /** the server could not store the change on its disk (or its shared store): nothing changed, the request can be sent again */
  'NOT_SAVED',
  /** several servers: the one running the room stopped before it answered; the change may or may not have been made */
  'NOT_ANSWERED',
] as const;
export type ProtocolErrorCode = (typeof PROTOCOL_ERROR_CODES)[number];

export interface ProtocolError {
  code: ProtocolErrorCode;
  message: LocalizedText;
  /** for code REFUSED: the referee's verdict, with its rule and hint */
  refusal?: Refusal;
  /** for code STALE_VERSION: the room's current version */
  version?: number;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

export type Role = 'player' | 'spectator';

export interface SeatPresence {
  nickname: string | null;
  kind: 'empty' | 'human' | 'bot';
  connected: boolean;
  /** while a human seat is away: when (ms since epoch) the grace period ends */
  graceEndsAt: number | null;
}

/** A game as one member may see it: the answer the player must build is not in it. */
export interface GameView extends Omit<GameState, 'owed' | 'rng' | 'answersToWrongCards' | 'log' | 'world' | 'options' | 'stateAfterOwnMove'> {
  /** the game's options but its seed: with the seed and the moves anyone could work out what the network does next */
  options: Omit<GameState['options'], 'seed'>;
  /** both ends and the wire; the engine's id bookkeeping (every segment ever emitted) stays on the server */
  world: Omit<GameState['world'], 'emitted' | 'nextId'>;
  /** how many segments each end still has to send now (what they are is the player's puzzle) */
  owes: Record<Seat, number>;
}

export interface RoomView {
  code: string;
  version: number;
  phase: 'waiting' | 'playing' | 'finished';
  mode: 'duel' | 'bot';
  skin: 'network' | 'airport';
  round: number;
  seats: Record<Seat, SeatPresence>;
  spectators: number;
  game: GameView;
  /** set when the round ended because a seat was abandoned (grace period over, options.onAbandon 'end', or leave) */
  abandonedBy?: Seat | null;
  /** the running timers (RTO, 2 MSL) and how long each has left when this view was made, for a countdown */
  timerDeadlines?: { end: Seat; kind: TimerKind; msLeft: number; msTotal: number }[];
}

export interface JoinedRoom {
  role: Role;
  seat: Seat | null;
  /** private: keep it to get the seat back after a reload */
  seatToken: string | null;
  room: RoomView;
}

/** What each event carries. Client → server events all take an acknowledgement callback. */
export interface ClientToServerEvents {
  'room:create': (request: CreateRoomRequest, ack: (reply: Ack<JoinedRoom>) => void) => void;
  'room:join': (request: JoinRoomRequest, ack: (reply: Ack<JoinedRoom>) => void) => void;
  'room:leave': (request: RoomOnlyRequest, ack: (reply: Ack<object>) => void) => void;
  'room:resync': (request: RoomOnlyRequest, ack: (reply: Ack<ResyncReply>) => void) => void;
  'room:rematch': (request: RoomOnlyRequest, ack: (reply: Ack<{ room: RoomView }>) => void) => void;
  'card:play': (request: PlayCardRequest, ack: (reply: Ack<CardPlayed>) => void) => void;
  'hint:ask': (request: RoomOnlyRequest, ack: (reply: Ack<{ hint: Card | null }>) => void) => void;
  'quiz:answer': (request: QuizAnswerRequest, ack: (reply: Ack<{ correct: boolean; state: string }>) => void) => void;
}

/** The reply to 'room:resync': the full room, and who the asker is in it now (seats swap on a rematch). */
export interface ResyncReply {
  room: RoomView;
  role: Role;
  seat: Seat | null;
}

/** Sent to one member when its own seat changes (a rematch swaps the seats; a human takes a bot's seat). */
export interface YouAre {
  code: string;
  role: Role;
  seat: Seat | null;
}

/** Sent to one socket when it is no longer a member of a room. */
export interface Evicted {
  code: string;
  /** 'taken-over': the seat token was presented by another connection (a reload); 'expired': the room is gone */
  reason: 'taken-over' | 'expired';
}

/** A room after a change, whole: what a client holds and shows once it has applied a RoomUpdateMessage. */
export interface RoomUpdate {
  room: RoomView;
  /** what the last move did, in order, for the board to animate */
  happenings: Happening[];
  /** who caused it */
  by: Seat | 'network' | 'timer' | null;
}

/**
 * What 'room:update' carries on the wire: the room as in RoomUpdate, except that `room.game.timeline` holds
 * only the entries from index `timelineFrom` on. The receiver keeps the entries before `timelineFrom` from
 * the timeline it holds (of version `room.version - 1`) and appends these (see timelineDelta.ts).
 */
export interface RoomUpdateMessage extends RoomUpdate {
  timelineFrom: number;
}

/**
 * The answer to an accepted card: the room's new version, and the move's update — the player who played the
 * card gets that update here only, not also as a 'room:update' event (one message instead of two).
 */
export interface CardPlayed {
  version: number;
  update: RoomUpdateMessage;
}

export interface ServerToClientEvents {
  /**
   * after every accepted move, timer and seat change; `room.version` grows by one per game move. Not to the
   * player whose card it was, when they asked for an answer: the update is in the answer (CardPlayed).
   */
  'room:update': (update: RoomUpdateMessage) => void;
  /** seats connected, away (with the grace countdown) or taken by a bot; no version bump */
  'room:presence': (presence: { code: string; seats: Record<Seat, SeatPresence>; spectators: number }) => void;
  /** to one member: its role or seat changed */
  'room:you': (you: YouAre) => void;
  /** to one socket: it was removed from a room */
  'room:evicted': (evicted: Evicted) => void;
}

export const MAX_PAYLOAD_BYTES = 16 * 1024;
