// The game built on the reference TCP: two seats, cards, the referee's verdicts, missions, score.
// Plain serialisable data only, so the server can store a game and send it to every member.

import type { AppCall, EndId, Flag, Reaction, Segment, SegmentFields, Tcb, TcpProfile, TcpState, TimerKind } from '../tcp/types.ts';

/** A seat is one end of the connection: A = client (pilot), B = server (control tower). */
export type Seat = EndId;

/** A text the player sees, in both languages the game speaks. */
export interface LocalizedText {
  en: string;
  zh: string;
}

/** What a player plays: a user call, or a segment they built field by field. */
export type Card =
  | { kind: 'call'; call: AppCall; /** text sent by a 'send' call (its length is the payload length) */ data?: string }
  | { kind: 'segment'; flags: Flag[]; seq: number; ack: number | null; len: number };

/** The closed list of reasons the referee refuses a card. */
export const REFUSAL_CODES = [
  'MALFORMED_CARD',
  'UNKNOWN_FLAG',
  'SEQ_OUT_OF_RANGE',
  'ACK_OUT_OF_RANGE',
  'NEGATIVE_LENGTH',
  'ACK_NUMBER_WITHOUT_ACK_FLAG',
  'GAME_OVER',
  'NOT_YOUR_MOVE',
  'SEGMENT_OWED',
  'CALL_REFUSED',
  'MISSING_ACK_FLAG',
  'UNEXPECTED_ACK_FLAG',
  'MISSING_SYN_FLAG',
  'SYN_IN_SYNCHRONIZED_STATE',
  'MISSING_FIN_FLAG',
  'FIN_BEFORE_ESTABLISHED',
  'UNEXPECTED_FIN_FLAG',
  'MISSING_RST_FLAG',
  'UNEXPECTED_RST_FLAG',
  'WRONG_SEQ_NUMBER',
  'WRONG_ACK_NUMBER',
  'ACK_EQUALS_SEQ',
  'WRONG_LENGTH',
  'WRONG_SEGMENT',
] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** Why an accepted move deserves a word of warning. */
export const WARNING_CODES = ['CALL_OFF_MISSION'] as const;
export type WarningCode = (typeof WARNING_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  /** why, in plain words, naming the numbers involved */
  explanation: LocalizedText;
  /** the RFC rule broken, e.g. "RFC 9293 §3.10.7.2" */
  rule: string;
  /** the card a correct TCP would play now, if there is one */
  hint: Card | null;
}

/** A word of warning about an accepted move: legal TCP, but it leads away from the mission. */
export interface Warning {
  code: WarningCode;
  explanation: LocalizedText;
}

export type Judgement = { ok: true; explanation: LocalizedText; rule: string; warning?: Warning } | ({ ok: false } & Refusal);

export type Difficulty = 'easy' | 'normal' | 'hard';

export interface NetworkFaults {
  /** probability that a segment is lost, 0..1 */
  loss: number;
  /** probability that a segment is duplicated, 0..1 */
  duplicate: number;
  /** probability that a segment is held back and delivered after the next one, 0..1 */
  reorder: number;
}

/** A mission is a level: one of the built-in ones ('open-send-close', 'open', 'close', 'refused') or a level of the path. */
export type MissionId = string;

export interface GameOptions {
  mission: MissionId;
  /** seeds the network's random source: the same seed and the same moves replay the same game */
  seed: number;
  /** easy: state quiz filled in; normal: wrong cards refused; hard: wrong cards are delivered and the peer reacts */
  difficulty: Difficulty;
  faults: NetworkFaults;
  /** initial sequence numbers; default A 100, B 300 as in the lecture notes and the scenario files */
  iss?: Partial<Record<Seat, number>>;
  /**
   * where RFC 9293 leaves a choice, whose the reference TCP makes (so what the referee expects and the bot
   * plays): 'rfc' (the default) or 'linux'. A level that declares a profile has it whatever the room asked.
   */
  profile?: TcpProfile;
}

export interface ActiveTimer {
  end: Seat;
  kind: TimerKind;
  /** the move at which it (re)started: a TIME-WAIT that re-acknowledges a FIN restarts its 2 MSL wait */
  since: number;
  /** how long it runs on the board, in ms: for the RTO, the end's current value (it doubles after each loss) */
  ms: number;
}

/** One line of the ladder diagram. */
export type TimelineEntry =
  | { kind: 'call'; at: number; end: Seat; call: AppCall; data?: string; stateAfter: TcpState }
  | {
      kind: 'segment';
      at: number;
      segment: Segment;
      /** where the segment ended up */
      fate: 'in-flight' | 'delivered' | 'lost';
      /** the receiver's reaction and state after delivery */
      reaction?: Reaction;
      senderState: TcpState;
      receiverStateAfter?: TcpState;
      /** a copy made by the network, or a wrong card let through in hard mode */
      duplicate?: boolean;
      wrongCard?: boolean;
      /** put on the wire by the level before the game began (an old duplicate SYN, a crossing SYN) */
      injected?: boolean;
    }
  | { kind: 'timer'; at: number; end: Seat; timer: TimerKind; stateAfter: TcpState };

export interface SeatScore {
  correct: number;
  mistakes: number;
  hints: number;
  mistakesByCode: Partial<Record<RefusalCode, number>>;
  /** state quiz: how often the player named their new state right, and wrong */
  quizRight: number;
  quizWrong: number;
}

/** Something that happened in one move, for the board to animate in order. */
export type Happening =
  | { type: 'call'; end: Seat; call: AppCall; data?: string }
  | { type: 'sent'; segment: Segment; wrongCard?: boolean }
  | { type: 'lost'; segment: Segment }
  | { type: 'duplicated'; segment: Segment }
  | { type: 'delayed'; segment: Segment }
  | { type: 'delivered'; segment: Segment; reaction: Reaction }
  | { type: 'state'; end: Seat; from: TcpState; to: TcpState }
  | { type: 'signal'; end: Seat; signal: string }
  | { type: 'timer'; end: Seat; timer: TimerKind }
  /**
   * hard mode (or an erring bot): the referee refused this end's card and it was sent anyway. The whole
   * refusal comes with it — why, the rule, the right card — so that the board can say it, and then what the
   * peer's TCP does about it (the 'delivered' happening that follows).
   */
  | ({ type: 'refused'; end: Seat } & Refusal)
  /** a user call that is legal TCP but cannot reach the mission any more: said when it is played */
  | ({ type: 'warning'; end: Seat } & Warning);

export interface World {
  tcb: Record<Seat, Tcb>;
  /** segments on the wire, in the order they will arrive */
  inFlight: Segment[];
  /** counters of the id rule: the next number for a…, b… */
  nextId: Record<Seat, number>;
  /** every segment each end has emitted, to reuse ids for identical segments */
  emitted: Segment[];
}

export interface GameState {
  options: GameOptions;
  world: World;
  /** segments the reference TCP says each end must send now, which the player must build */
  owed: Record<Seat, SegmentFields[]>;
  timers: ActiveTimer[];
  timeline: TimelineEntry[];
  score: Record<Seat, SeatScore>;
  /** moves applied so far: the game's clock for the timeline */
  moves: number;
  /** state of the random source */
  rng: number;
  status: 'playing' | 'finished';
  outcome: null | 'completed' | 'reset' | 'aborted';
  /** mission goals reached so far */
  goals: string[];
  /** data each end has sent, for the mission card ("HELLO") */
  sentData: Record<Seat, string>;
  /** segments each end owes because a wrong card reached it: sending one is catching the peer's mistake */
  answersToWrongCards: Record<Seat, SegmentFields[]>;
  /** every input in order: with the options (and their seed) it replays the game exactly (replayGame) */
  log: GameInput[];
  /**
   * each end's retransmission timeout (RTO) on the board, in ms: it starts at RTO_INITIAL_MS, doubles each time
   * the timer expires (RFC 6298 §5.5) up to RTO_MAX_MS, and starts again once new data is acknowledged
   */
  rto: Record<Seat, number>;
  /**
   * the state each end was in when its player's last accepted move was done: the state quiz takes it as right
   * too, since the other end (a quick bot) may move this end on while its player is answering
   */
  stateAfterOwnMove: Record<Seat, TcpState>;
}

/**
 * An accepted move returns the next game. A refused card returns the refusal and the same game with only the
 * sender's score changed (a mistake counted): store it, but it is not a move (no version bump, no broadcast).
 * In hard mode (or for an erring bot) a wrong card is delivered anyway: ok is true and `judgement` says why
 * it was wrong.
 */
export type MoveResult =
  | { ok: true; game: GameState; happenings: Happening[]; judgement: Judgement }
  | { ok: false; refusal: Refusal; game: GameState };

export interface PlayOptions {
  /** deliver a wrong segment card instead of refusing it (hard mode does this for everyone; erring bots always) */
  deliverWrongCard?: boolean;
}

/** One input to a game. The network's behaviour is not an input: it follows from the seed. */
export type GameInput =
  | { kind: 'card'; seat: Seat; card: unknown; deliverWrongCard?: boolean }
  | { kind: 'timer'; end: Seat; timer: TimerKind }
  | { kind: 'hint'; seat: Seat }
  | { kind: 'quiz'; seat: Seat; state: TcpState };

/** How a bot plays its seat: always right, or making students' mistakes at a given rate. */
export interface BotPolicy {
  kind: 'correct' | 'erring';
  /** for 'erring': probability of a mistake on each segment card, 0..1 */
  errorRate?: number;
}
