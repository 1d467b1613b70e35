// The game: two seats play the two ends of one connection. A user-call card runs the reference TCP at the
// player's end; the segments that TCP emits are then owed, and the player must build each one card by card.
// A right card goes on the wire, the network (maybe) misbehaves, and the receiving end's TCP reacts — which
// makes the other player owe its answer. Every function is pure and never throws on what a player sends.

import { step } from '../tcp/reference.ts';
import { assignSegmentId } from '../tcp/ids.ts';
import { hasFlag } from '../tcp/segment.ts';
import { DEFAULT_ISS } from '../tcp/scenario.ts';
import { otherEnd, type Segment, type SegmentFields, type StepOutcome, type TcpProfile, type TcpState, type TimerKind } from '../tcp/types.ts';
import { explainAccepted } from '../i18n/referee.ts';
import { closestOwed, diagnose, matchingOwed, parseCard, refusal, segmentCard } from './referee.ts';
import { MISSIONS, isQuiet, missionOf, missionTcbs, nextMissionCall } from './missions.ts';
import { onlyPureAcks } from './piggyback.ts';
import { significantFlagBits } from '../tcp/segment.ts';
import type { SegmentMatch } from '../levels/format.ts';
import { nextRandom } from './rng.ts';
import type {
  ActiveTimer,
  Card,
  GameInput,
  GameOptions,
  GameState,
  Happening,
  Judgement,
  MoveResult,
  PlayOptions,
  Refusal,
  Seat,
  SeatScore,
  TimelineEntry,
  Warning,
} from './types.ts';

/**
 * How long each timer runs on the board: slow enough for a person to follow, fast enough to stay a game. For
 * the RTO this is its first value; a running timer carries its own duration (ActiveTimer.ms).
 */
export const TIMER_DELAYS_MS: Record<TimerKind, number> = { rto: 3000, '2msl': 5000, user_timeout: 30000 };

/**
 * The retransmission timeout starts at 3 s, the initial RTO of RFC 1122 §4.2.3.1 (RFC 6298 §2.1 lowered it to
 * 1 s; 3 s is also the value RFC 6298 §5.7 returns to after a lost SYN), and doubles each time the timer
 * expires: "The host MUST set RTO <- RTO * 2 ('back off the timer')" (RFC 6298 §5.5). The doubling stops at
 * 60 s, the smallest maximum RFC 6298 §2.5 allows ("A maximum value MAY be placed on RTO provided it is at
 * least 60 seconds"): 3, 6, 12, 24, 48, 60, 60… The game has no round-trip times to measure, so where a real
 * TCP would compute RTO afresh from a new sample (RFC 6298 §2.3, §5.7), the game goes back to the first value:
 * when an ACK acknowledges new data (SND.UNA moves) or the connection is gone.
 */
export const RTO_INITIAL_MS = TIMER_DELAYS_MS.rto;
export const RTO_MAX_MS = 60_000;

/** The RTO after one more expiry: doubled, at most RTO_MAX_MS (RFC 6298 §5.5, §2.5). */
export function backedOff(rtoMs: number): number {
  return Math.min(rtoMs * 2, RTO_MAX_MS);
}

/** How long a timer runs on the board, in ms. */
export function timerDurationMs(timer: ActiveTimer): number {
  return timer.ms ?? TIMER_DELAYS_MS[timer.kind];
}

const emptyScore = (): SeatScore => ({ correct: 0, mistakes: 0, hints: 0, mistakesByCode: {}, quizRight: 0, quizWrong: 0 });

export function newGame(options: GameOptions): GameState {
  const mission = MISSIONS[options.mission] ?? MISSIONS['open-send-close'];
  // Segments the level puts on the wire before anyone moves (an old duplicate SYN…) arrive at the first move.
  const wire: Segment[] = mission.wire.map((segment) => ({ ...segment }));
  return {
    // the level's own profile wins: it is what the level teaches
    options: { ...options, mission: mission.id, ...(mission.profile ?? options.profile ? { profile: mission.profile ?? options.profile } : {}) },
    world: { tcb: missionTcbs(mission), inFlight: wire, nextId: { A: 0, B: 0 }, emitted: [] },
    owed: { A: [], B: [] },
    timers: [],
    timeline: [],
    score: { A: emptyScore(), B: emptyScore() },
    moves: 0,
    rng: options.seed >>> 0,
    status: 'playing',
    outcome: null,
    goals: [],
    sentData: { A: '', B: '' },
    answersToWrongCards: { A: [], B: [] },
    log: [],
    rto: { A: RTO_INITIAL_MS, B: RTO_INITIAL_MS },
    stateAfterOwnMove: { A: mission.initial.A.state, B: mission.initial.B.state },
  };
}

/** Play a game again from its options and its log of inputs: the same game, to the last segment. */
export function replayGame(options: GameOptions, log: GameInput[]): GameState {
  let game = newGame(options);
  for (const input of log) {
    if (input.kind === 'card') game = playCard(game, input.seat, input.card, { deliverWrongCard: input.deliverWrongCard }).game;
    else if (input.kind === 'timer') game = fireTimer(game, input.end, input.timer).game;
    else if (input.kind === 'hint') game = takeHint(game, input.seat).game;
    else game = answerQuiz(game, input.seat, input.state).game;
  }
  return game;
}

function logged(game: GameState, input: GameInput): GameState {
  return { ...game, log: [...game.log, input] };
}

/** Whose choices the reference TCP makes in this game (newGame settled it: the level's, else the room's). */
function profileOf(game: GameState): TcpProfile {
  return game.options.profile ?? 'rfc';
}

function issOf(game: GameState, seat: Seat): number {
  return game.options.iss?.[seat] ?? missionOf(game).iss?.[seat] ?? DEFAULT_ISS[seat];
}

// ---------------------------------------------------------------------------------------------------------
// Judging without playing

/** What the referee thinks of a card, without playing it. */
export function judgeCard(game: GameState, seat: Seat, value: unknown): Judgement {
  const verdict = verdictFor(game, seat, value);
  return 'refusal' in verdict ? { ok: false, ...verdict.refusal } : verdict.judgement;
}

type Verdict = { judgement: Judgement & { ok: true }; card: Card; expected?: SegmentFields } | { refusal: Refusal; card?: Card };

function verdictFor(game: GameState, seat: Seat, value: unknown): Verdict {
  const parsed = parseCard(value);
  if (!parsed.ok) return { refusal: parsed.refusal };
  const card = parsed.card;
  const tcb = game.world.tcb[seat];
  if (game.status !== 'playing') return { refusal: refusal('GAME_OVER', {}, 'RFC 9293 §3.10', null), card };
  const owed = game.owed[seat];
  if (card.kind === 'call') {
    // An ACK that is still to be sent can ride on the segment a close or a send makes (piggybacking,
    // RFC 9293 §3.10.7.4: "This acknowledgment should be piggybacked on a segment being transmitted"). Any
    // other owed segment must be sent first.
    const piggyback = onlyPureAcks(owed) && (card.call === 'close' || card.call === 'send');
    if (owed.length > 0 && !piggyback) {
      return { refusal: refusal('SEGMENT_OWED', { state: tcb.state }, 'RFC 9293 §3.10', segmentCard(owed[0])), card };
    }
    const outcome = runCall(game, seat, card);
    if (outcome.error) {
      return {
        refusal: refusal('CALL_REFUSED', { state: tcb.state, call: card.call, error: outcome.error }, outcome.rule, nextMissionCall(game, seat)),
        card,
      };
    }
    return { judgement: { ok: true, explanation: callExplanation(card, tcb.state, outcome.tcb.state), rule: outcome.rule }, card };
  }
  if (owed.length === 0) {
    return { refusal: refusal('NOT_YOUR_MOVE', { state: tcb.state }, 'RFC 9293 §3.10', nextMissionCall(game, seat)), card };
  }
  const expected = matchingOwed(card, owed);
  if (expected) return { judgement: { ok: true, explanation: segmentExplanation(expected), rule: 'RFC 9293 §3.10' }, card, expected };
  const wrong = diagnose(game, seat, card, closestOwed(card, owed));
  return { refusal: wrong ?? refusal('WRONG_SEGMENT', { state: tcb.state }, 'RFC 9293 §3.10', segmentCard(owed[0])), card };
}

function runCall(game: GameState, seat: Seat, card: Card & { kind: 'call' }): StepOutcome {
  return step(game.world.tcb[seat], {
    type: 'app',
    call: card.call,
    iss: issOf(game, seat),
    len: card.call === 'send' ? (card.data ?? '').length : undefined,
  }, profileOf(game));
}

function callExplanation(card: Card & { kind: 'call' }, from: TcpState, to: TcpState): ReturnType<typeof explainAccepted> {
  return explainAccepted({ en: `${card.call}: ${from} → ${to}.`, zh: `${card.call}：${from} → ${to}。` });
}

function segmentExplanation(segment: SegmentFields): ReturnType<typeof explainAccepted> {
  const flags = segment.flags.join(',');
  const ack = segment.ack === null ? '' : ` ack=${segment.ack}`;
  return explainAccepted({ en: `${flags} seq=${segment.seq}${ack} is what a correct TCP sends now.`, zh: `${flags} seq=${segment.seq}${ack} 正是正确的 TCP 此刻要发送的报文段。` });
}

// ---------------------------------------------------------------------------------------------------------
// Playing

/** Play a card at a seat. Pure: returns the next game, or the refusal (with the mistake counted). */
export function playCard(game: GameState, seat: Seat, value: unknown, options: PlayOptions = {}): MoveResult {
  if (seat !== 'A' && seat !== 'B') {
    return { ok: false, refusal: refusal('MALFORMED_CARD', { field: { en: 'there is no such seat', zh: '没有这个座位' } }, 'RFC 9293 §3.10', null), game };
  }
  const result = playCardUnlogged(game, seat, value, options);
  if (!result.ok && result.game === game) return result; // nothing changed: nothing to replay
  const input: GameInput = { kind: 'card', seat, card: value, ...(options.deliverWrongCard ? { deliverWrongCard: true } : {}) };
  return { ...result, game: logged(result.game, input) };
}

/** `checkMission`: warn about a call that leaves the mission out of reach (not while trying the mission out). */
function playCardUnlogged(game: GameState, seat: Seat, value: unknown, options: PlayOptions, checkMission = true): MoveResult {
  const verdict = verdictFor(game, seat, value);
  if ('refusal' in verdict) {
    const deliverAnyway =
      verdict.card?.kind === 'segment' &&
      (options.deliverWrongCard || game.options.difficulty === 'hard') &&
      game.status === 'playing' &&
      game.owed[seat].length > 0;
    if (deliverAnyway) return deliverWrongCard(game, seat, verdict.card as Card & { kind: 'segment' }, verdict.refusal);
    return { ok: false, refusal: verdict.refusal, game: countMistake(game, seat, verdict.refusal) };
  }
  const next = cloneForMove(game);
  const happenings: Happening[] = [];
  const card = verdict.card;
  if (card.kind === 'call') {
    const before = next.world.tcb[seat].state;
    const outcome = runCall(next, seat, card);
    next.world.tcb[seat] = outcome.tcb;
    // The owed pure ACKs are carried by what the call sends (its ACK field is RCV.NXT), so they go.
    const carried = outcome.emits.some((segment) => hasFlag(segment, 'ACK') && segment.ack === outcome.tcb.rcvNxt);
    const stillOwed = carried ? [] : next.owed[seat];
    next.answersToWrongCards[seat] = next.answersToWrongCards[seat].filter((answer) => stillOwed.includes(answer));
    next.owed[seat] = [...stillOwed, ...outcome.emits];
    if (card.call === 'send') next.sentData = { ...next.sentData, [seat]: next.sentData[seat] + (card.data ?? '') };
    happenings.push({ type: 'call', end: seat, call: card.call, ...(card.data ? { data: card.data } : {}) });
    if (before !== outcome.tcb.state) happenings.push({ type: 'state', end: seat, from: before, to: outcome.tcb.state });
    next.timeline.push({ kind: 'call', at: next.moves, end: seat, call: card.call, ...(card.data ? { data: card.data } : {}), stateAfter: outcome.tcb.state });
    // A segment the network held back arrives now: the next move is what it was waiting for.
    deliverArrivals(next, happenings, null);
  } else {
    const expected = verdict.expected as SegmentFields;
    // Sending what a wrong card made this end owe is catching the peer's mistake.
    if (next.answersToWrongCards[seat].includes(expected)) {
      next.answersToWrongCards[seat] = next.answersToWrongCards[seat].filter((answer) => answer !== expected);
      reach(next, 'caught');
    }
    const index = next.owed[seat].indexOf(expected);
    next.owed[seat] = next.owed[seat].filter((_, i) => i !== index);
    send(next, seat, expected, happenings, false);
  }
  next.score[seat] = { ...next.score[seat], correct: next.score[seat].correct + 1 };
  settle(next, happenings);
  rememberOwnMove(next, seat);
  const warning = checkMission && card.kind === 'call' ? offMissionWarning(game, next, seat, card) : null;
  if (warning) {
    happenings.push({ type: 'warning', end: seat, ...warning });
    return { ok: true, game: next, happenings, judgement: { ...verdict.judgement, warning } };
  }
  return { ok: true, game: next, happenings, judgement: verdict.judgement };
}

/** Hard mode, or an erring bot: the wrong segment really travels and the peer's TCP reacts to it. */
function deliverWrongCard(game: GameState, seat: Seat, card: Card & { kind: 'segment' }, why: Refusal): MoveResult {
  const next = cloneForMove(countMistake(game, seat, why));
  const happenings: Happening[] = [{ type: 'refused', end: seat, ...why }];
  send(next, seat, { flags: card.flags, seq: card.seq, ack: card.ack, len: card.len }, happenings, true);
  settle(next, happenings);
  rememberOwnMove(next, seat);
  return { ok: true, game: next, happenings, judgement: { ok: false, ...why } };
}

/** The state this seat's move left its end in, for the state quiz. A move replaces the record. */
function rememberOwnMove(game: GameState, seat: Seat): void {
  game.stateAfterOwnMove = { ...game.stateAfterOwnMove, [seat]: game.world.tcb[seat].state };
}

function countMistake(game: GameState, seat: Seat, why: Refusal): GameState {
  if (why.code === 'MALFORMED_CARD' || why.code === 'GAME_OVER') return game;
  const score = game.score[seat];
  const mistakesByCode = { ...score.mistakesByCode, [why.code]: (score.mistakesByCode[why.code] ?? 0) + 1 };
  return { ...game, score: { ...game.score, [seat]: { ...score, mistakes: score.mistakes + 1, mistakesByCode } } };
}

/**
 * A copy deep enough that a move can change it freely without touching the game it came from: the objects
 * and arrays a move changes in place are copied (the records by seat, the timeline, the emitted segments);
 * the ones a move only ever replaces are shared — the owed and answer lists, the timers, the wire, the goals,
 * the data sent and the RTOs — so a move must replace them, never push to or assign into them. (A server keeps one
 * game per room alive until the room's next move: what is not copied is not kept twice.)
 */
function cloneForMove(game: GameState): GameState {
  return {
    ...game,
    world: {
      tcb: { A: game.world.tcb.A, B: game.world.tcb.B },
      inFlight: game.world.inFlight,
      nextId: { ...game.world.nextId },
      emitted: [...game.world.emitted],
    },
    owed: { A: game.owed.A, B: game.owed.B },
    timeline: [...game.timeline],
    score: { A: game.score.A, B: game.score.B },
    answersToWrongCards: { A: game.answersToWrongCards.A, B: game.answersToWrongCards.B },
    moves: game.moves + 1,
  };
}

function random(game: GameState): number {
  const drawn = nextRandom(game.rng);
  game.rng = drawn.state;
  return drawn.value;
}

/** Put a segment on the wire; the network decides its fate; then what can arrive, arrives. */
function send(game: GameState, from: Seat, fields: SegmentFields, happenings: Happening[], wrongCard: boolean): void {
  const segment = assignSegmentId(game.world.emitted, game.world.nextId, from, fields);
  if (!game.world.emitted.some((s) => s.id === segment.id)) game.world.emitted.push(segment);
  happenings.push({ type: 'sent', segment, ...(wrongCard ? { wrongCard } : {}) });
  const entry: TimelineEntry = {
    kind: 'segment',
    at: game.moves,
    segment,
    fate: 'in-flight',
    senderState: game.world.tcb[from].state,
    ...(wrongCard ? { wrongCard } : {}),
  };
  game.timeline.push(entry);
  const faults = game.options.faults;
  // A level's network rules decide first ("drop the first SYN"); otherwise the random faults of the room.
  const ruled = networkRuleFor(game, segment, entry);
  if (ruled === 'drop' || (!ruled && faults.loss > 0 && random(game) < faults.loss)) {
    entry.fate = 'lost';
    happenings.push({ type: 'lost', segment });
    deliverArrivals(game, happenings, null);
    return;
  }
  const delayed = ruled === 'delay' || (!ruled && faults.reorder > 0 && random(game) < faults.reorder);
  const duplicated = ruled === 'duplicate' || (!ruled && faults.duplicate > 0 && random(game) < faults.duplicate);
  const others = game.world.inFlight;
  // A delayed segment waits on the wire while the ones already there, and the next one, overtake it.
  game.world.inFlight = delayed ? [...others, segment] : [segment, ...others];
  if (delayed) happenings.push({ type: 'delayed', segment });
  if (duplicated) {
    game.world.inFlight.push(segment); // the array made just above
    happenings.push({ type: 'duplicated', segment });
  }
  deliverArrivals(game, happenings, delayed ? segment : null);
}

/**
 * Deliver what is on the wire, in order. A delayed segment stays while anything else is still to happen
 * (so the next segment overtakes it), and arrives once the connection would otherwise wait for it.
 */
function deliverArrivals(game: GameState, happenings: Happening[], justDelayed: Segment | null): void {
  let guard = 0;
  while (game.world.inFlight.length > 0 && guard++ < 64) {
    const [segment, ...rest] = game.world.inFlight;
    if (segment === justDelayed && rest.length === 0 && !isQuietExceptWire(game)) break;
    game.world.inFlight = rest;
    deliver(game, segment, happenings);
    if (segment === justDelayed) justDelayed = null;
  }
}

function isQuietExceptWire(game: GameState): boolean {
  return game.owed.A.length === 0 && game.owed.B.length === 0;
}

function deliver(game: GameState, segment: Segment, happenings: Happening[]): void {
  const to = segment.to;
  const sentEntry = game.timeline[findLast(game.timeline, (entry) => entry.kind === 'segment' && entry.segment.id === segment.id && entry.fate === 'in-flight')];
  const wrongCard = sentEntry?.kind === 'segment' && sentEntry.wrongCard === true;
  const before = game.world.tcb[to];
  const outcome = step(before, { type: 'segment', segment, iss: issOf(game, to) }, profileOf(game));
  game.world.tcb[to] = outcome.tcb;
  if (outcome.tcb.sndUna !== before.sndUna || outcome.tcb.state === 'CLOSED' || outcome.tcb.state === 'LISTEN') resetRto(game, to);
  game.owed[to] = [...game.owed[to], ...outcome.emits];
  if (wrongCard) game.answersToWrongCards[to] = [...game.answersToWrongCards[to], ...outcome.emits];
  happenings.push({ type: 'delivered', segment, reaction: outcome.reaction });
  if (before.state !== outcome.tcb.state) happenings.push({ type: 'state', end: to, from: before.state, to: outcome.tcb.state });
  if (outcome.signal) happenings.push({ type: 'signal', end: to, signal: outcome.signal });
  const index = findLast(game.timeline, (entry) => entry.kind === 'segment' && entry.segment.id === segment.id && entry.fate === 'in-flight');
  const delivered: TimelineEntry = {
    kind: 'segment',
    at: game.moves,
    segment,
    fate: 'delivered',
    reaction: outcome.reaction,
    senderState: game.world.tcb[segment.from].state,
    receiverStateAfter: outcome.tcb.state,
  };
  if (index >= 0) {
    const original = game.timeline[index] as TimelineEntry & { kind: 'segment' };
    game.timeline[index] = { ...delivered, senderState: original.senderState, ...(original.wrongCard ? { wrongCard: true } : {}) };
  } else {
    // Not sent during the game: a copy made by the network, or a segment the level put on the wire.
    game.timeline.push({ ...delivered, ...(segment.id.startsWith('x') ? { injected: true } : { duplicate: true }) });
  }
  // TIME-WAIT that acknowledges a retransmitted FIN restarts its 2 MSL wait (RFC 9293 §3.10.7.4).
  if (before.state === 'TIME-WAIT' && outcome.tcb.state === 'TIME-WAIT' && hasFlag(segment, 'FIN')) {
    game.timers = game.timers.filter((timer) => !(timer.end === to && timer.kind === '2msl'));
  }
}

/** The action of the first network rule of the level that this segment matches, if any. */
function networkRuleFor(game: GameState, segment: Segment, entry: TimelineEntry): 'drop' | 'duplicate' | 'delay' | null {
  const rules = missionOf(game).network;
  if (rules.length === 0) return null;
  for (const rule of rules) {
    if (matchesNth(game, segment, rule.match, entry)) return rule.action;
  }
  return null;
}

/** Is this the nth segment sent by `match.from` with exactly `match.flags` (PSH/URG aside)? */
export function matchesNth(game: GameState, segment: Segment, match: SegmentMatch, current?: TimelineEntry): boolean {
  const bits = match.flags ? significantFlagBits(match.flags) : null;
  const fits = (s: Segment) => s.from === match.from && (bits === null || significantFlagBits(s.flags) === bits);
  if (!fits(segment)) return false;
  let count = 0;
  for (const item of game.timeline) {
    if (item === current) break;
    // copies made by the network and the level's own wire segments are not sent by the end (docs/levels.md)
    if (item.kind === 'segment' && !item.duplicate && !item.injected && fits(item.segment)) count++;
  }
  return count + 1 === match.nth;
}

function findLast<T>(items: T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i])) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------
// A legal call that leads away from the mission

/**
 * A user call other than the one the mission asks for now is legal TCP, but it may have left the mission out
 * of reach (as the server, connect instead of listen: two segments later the connection is reset). Whether it
 * has is found out, not guessed: both ends are played on correctly, on a clean network, and the mission must
 * still be completed. Only a call that differs from the mission's runs this check.
 */
function offMissionWarning(before: GameState, after: GameState, seat: Seat, card: Card & { kind: 'call' }): Warning | null {
  const wanted = nextMissionCall(before, seat);
  if (wanted?.kind === 'call' && wanted.call === card.call && (wanted.data ?? '') === (card.data ?? '')) return null;
  if (after.status === 'finished' ? after.outcome === 'completed' : missionReachable(after)) return null;
  const from = before.world.tcb[seat].state;
  const to = after.world.tcb[seat].state;
  const needed =
    wanted?.kind === 'call'
      ? { en: `here the mission needs ${wanted.call}`, zh: `此时任务需要的是 ${wanted.call}` }
      : { en: 'here the mission needs you to wait for your peer', zh: '此时任务需要你等待对端' };
  return {
    code: 'CALL_OFF_MISSION',
    explanation: {
      en: `${card.call} is legal TCP here (${from} → ${to}), but this round's mission cannot be reached from here any more: ${needed.en}. Play on to see what TCP does.`,
      zh: `在这里执行 ${card.call} 符合 TCP 规则（${from} → ${to}），但本局任务从这里已经无法完成：${needed.zh}。可以继续玩下去，看看 TCP 会怎样做。`,
    },
  };
}

/** Whether correct play at both ends, on a clean network, still completes the mission from here. */
function missionReachable(game: GameState): boolean {
  let trial: GameState = { ...game, options: { ...game.options, faults: { loss: 0, duplicate: 0, reorder: 0 } } };
  for (let events = 0; events < 80 && trial.status === 'playing'; events++) {
    const seat = hintFor(trial, 'A') ? 'A' : hintFor(trial, 'B') ? 'B' : null;
    if (seat) {
      const played = playCardUnlogged(trial, seat, hintFor(trial, seat), {}, false);
      if (!played.ok) return false;
      trial = played.game;
      continue;
    }
    const timer = [...trial.timers].sort((a, b) => a.since - b.since || timerDurationMs(a) - timerDurationMs(b))[0];
    if (!timer) return false;
    trial = fireTimer(trial, timer.end, timer.kind).game;
  }
  return trial.outcome === 'completed';
}

// ---------------------------------------------------------------------------------------------------------
// Timers

/** A timer expires at an end. Does nothing (ok, no happenings) if that timer is not running. */
export function fireTimer(game: GameState, end: Seat, kind: TimerKind): MoveResult {
  const running = game.timers.find((timer) => timer.end === end && timer.kind === kind);
  if (!running || game.status !== 'playing') {
    return { ok: true, game, happenings: [], judgement: { ok: true, explanation: { en: 'No such timer is running.', zh: '该计时器没有在运行。' }, rule: 'RFC 9293 §3.10.8' } };
  }
  const next = cloneForMove(game);
  const before = next.world.tcb[end];
  const outcome = step(before, { type: 'timer', timer: kind }, profileOf(game));
  next.world.tcb[end] = outcome.tcb;
  const rtoBefore = rtoOf(next, end);
  if (kind === 'rto' && outcome.emits.length > 0) next.rto = { ...bothRtos(next), [end]: backedOff(rtoBefore) };
  else if (outcome.tcb.state === 'CLOSED' || outcome.tcb.state === 'LISTEN') resetRto(next, end);
  next.owed[end] = [...next.owed[end], ...outcome.emits];
  next.timers = next.timers.filter((timer) => timer !== running);
  const happenings: Happening[] = [{ type: 'timer', end, timer: kind }];
  if (before.state !== outcome.tcb.state) happenings.push({ type: 'state', end, from: before.state, to: outcome.tcb.state });
  next.timeline.push({ kind: 'timer', at: next.moves, end, timer: kind, stateAfter: outcome.tcb.state });
  deliverArrivals(next, happenings, null);
  settle(next, happenings);
  next.log = [...next.log, { kind: 'timer', end, timer: kind }];
  const seconds = (ms: number) => String(ms / 1000);
  const explanation =
    kind === 'rto'
      ? {
          en: `Retransmission timeout after ${seconds(rtoBefore)} s: send the oldest unacknowledged segment again, with the same sequence number. The next timeout is doubled to ${seconds(rtoOf(next, end))} s (RFC 6298 §5.5).`,
          zh: `重传超时（${seconds(rtoBefore)} 秒）：把最早未被确认的报文段再发一次，序号不变。下一次超时时间加倍为 ${seconds(rtoOf(next, end))} 秒（RFC 6298 §5.5）。`,
        }
      : kind === '2msl'
        ? { en: 'TIME-WAIT has lasted 2 MSL: the connection is deleted (CLOSED).', zh: 'TIME-WAIT 已持续 2MSL：连接被删除（CLOSED）。' }
        : { en: 'User timeout: the connection is given up.', zh: '用户超时：放弃该连接。' };
  return { ok: true, game: next, happenings, judgement: { ok: true, explanation, rule: outcome.rule } };
}

// (Helpers of the functions every move runs are module functions, not closures: under tsx, which runs the
// tests, scripts and benchmarks, each named closure made per call is also renamed per call.)

/** The timer as it runs already (its start and duration kept), or started now with the end's current value. */
function keptTimer(game: GameState, end: Seat, kind: TimerKind): ActiveTimer {
  const running = game.timers.find((timer) => timer.end === end && timer.kind === kind);
  if (running) return running;
  return { end, kind, since: game.moves, ms: kind === 'rto' ? rtoOf(game, end) : TIMER_DELAYS_MS[kind] };
}

/** An end's current RTO (a game stored before the RTO was kept starts at the first value). */
function rtoOf(game: GameState, end: Seat): number {
  return game.rto?.[end] ?? RTO_INITIAL_MS;
}

function bothRtos(game: GameState): Record<Seat, number> {
  return { A: rtoOf(game, 'A'), B: rtoOf(game, 'B') };
}

/** Back to the first RTO: new data was acknowledged, or the connection is gone. A move replaces the record. */
function resetRto(game: GameState, end: Seat): void {
  if (rtoOf(game, end) !== RTO_INITIAL_MS) game.rto = { ...bothRtos(game), [end]: RTO_INITIAL_MS };
}

/** Mark a mission goal reached. */
function reach(game: GameState, goal: string): void {
  if (!game.goals.includes(goal)) game.goals = [...game.goals, goal];
}

const closedOrListening = (state: TcpState) => state === 'CLOSED' || state === 'LISTEN';

/** Which timers run after a move: RTO while a sent segment waits in vain, 2 MSL in TIME-WAIT. */
function updateTimers(game: GameState): void {
  const timers: ActiveTimer[] = [];
  for (const end of ['A', 'B'] as const) {
    const tcb = game.world.tcb[end];
    // The 2 MSL wait starts once the end has sent the ACK of the peer's FIN (a real TCP sends it at once).
    if (tcb.state === 'TIME-WAIT') {
      if (game.owed[end].length === 0) timers.push(keptTimer(game, end, '2msl'));
    }
    // Retransmission matters only when nothing else can happen: a segment was lost (or its answer was).
    else if (tcb.retransmitQueue.length > 0 && tcb.state !== 'CLOSED' && tcb.state !== 'LISTEN' && isQuiet(game)) {
      timers.push(keptTimer(game, end, 'rto'));
    }
  }
  game.timers = timers;
}

// ---------------------------------------------------------------------------------------------------------
// After every move: timers, goals, the end of the round

const isSegmentEntry = (entry: TimelineEntry): entry is TimelineEntry & { kind: 'segment' } => entry.kind === 'segment';

/** Whether a segment with data from `end`, not a wrong card, has been delivered (a loop: settle runs every move). */
function deliveredDataFrom(timeline: readonly TimelineEntry[], end: Seat): boolean {
  for (const entry of timeline) {
    if (entry.kind === 'segment' && entry.segment.from === end && entry.segment.len > 0 && entry.fate === 'delivered' && !entry.wrongCard) return true;
  }
  return false;
}

function settle(game: GameState, happenings: Happening[]): void {
  // The move's copies of the growing arrays got spare room when it appended to them; the game that is kept
  // (one per room on a server, until the room's next move) holds exact-size copies instead.
  game.timeline = game.timeline.slice();
  game.world.emitted = game.world.emitted.slice();
  updateTimers(game);
  const { A, B } = game.world.tcb;
  const mission = missionOf(game);
  if (A.state === 'ESTABLISHED' && B.state === 'ESTABLISHED') reach(game, 'handshake');
  for (const end of ['A', 'B'] as const) {
    const tcb = game.world.tcb[end];
    if (game.sentData[end].length > 0 && (tcb.sndUna === tcb.sndNxt || tcb.state === 'CLOSED') && deliveredDataFrom(game.timeline, end)) reach(game, 'data');
  }
  const wasOpened = game.timeline.some(isSegmentEntry);
  const startedClosed = mission.initial.A.state === 'CLOSED' && mission.initial.B.state === 'CLOSED';
  if (A.state === 'CLOSED' && B.state === 'CLOSED' && wasOpened && (game.goals.includes('handshake') || !startedClosed)) reach(game, 'close');
  for (const happening of happenings) {
    if (happening.type !== 'state' || happening.to !== 'CLOSED') continue;
    const signalled = happenings.some((h) => h.type === 'signal' && h.end === happening.end);
    if (happening.from === 'SYN-SENT' && signalled) reach(game, 'refused');
    if (signalled && ['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT'].includes(happening.from)) reach(game, 'reset');
  }

  const done = mission.goals.every((goal) => game.goals.includes(goal));
  const dead = closedOrListening(A.state) && closedOrListening(B.state) && wasOpened;
  if ((done && isQuiet(game)) || (dead && isQuiet(game) && game.timers.length === 0)) {
    game.status = 'finished';
    game.timers = [];
    const resets = game.timeline.some((entry) => isSegmentEntry(entry) && entry.fate === 'delivered' && hasFlag(entry.segment, 'RST'));
    const aborted = game.timeline.some((entry) => entry.kind === 'call' && entry.call === 'abort');
    game.outcome = done ? 'completed' : aborted ? 'aborted' : resets ? 'reset' : 'aborted';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Hints, the state quiz, and the view others may see

/** The card a correct TCP (and a correct player) plays now at this seat, if any. */
export function hintFor(game: GameState, seat: Seat): Card | null {
  if (game.status !== 'playing') return null;
  const owed = game.owed[seat];
  // A mission may want the ACK piggybacked on the next call (a FIN that carries the ACK: three segments).
  const call = nextMissionCall(game, seat);
  if (call && owed.length > 0) return call;
  if (owed.length > 0) return segmentCard(owed[0]);
  return call;
}


/** Count a hint against the seat's score. */
export function takeHint(game: GameState, seat: Seat): { hint: Card | null; game: GameState } {
  const hint = hintFor(game, seat);
  if (!hint) return { hint, game };
  const score = game.score[seat];
  return { hint, game: logged({ ...game, score: { ...game.score, [seat]: { ...score, hints: score.hints + 1 } } }, { kind: 'hint', seat }) };
}

/**
 * The state quiz: the player names the state their end is in. Right is the state it is in now, or the state
 * their own last move left it in: the other end may have moved it on while they were answering (a bot's ACK
 * takes FIN-WAIT-1 to FIN-WAIT-2 within a moment). `state`: the state the answer is judged to name rightly,
 * or, for a wrong answer, the state the end is in now.
 */
export function answerQuiz(game: GameState, seat: Seat, state: TcpState): { correct: boolean; state: TcpState; game: GameState } {
  const now = game.world.tcb[seat].state;
  const correct = state === now || state === game.stateAfterOwnMove?.[seat];
  const score = game.score[seat];
  const updated = correct ? { ...score, quizRight: score.quizRight + 1 } : { ...score, quizWrong: score.quizWrong + 1 };
  return { correct, state: correct ? state : now, game: logged({ ...game, score: { ...game.score, [seat]: updated } }, { kind: 'quiz', seat, state }) };
}

export function peerOf(seat: Seat): Seat {
  return otherEnd(seat);
}
