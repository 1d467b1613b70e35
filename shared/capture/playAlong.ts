// Play along: the replay hides the next segment, the player builds it as a card, and this module judges the
// card and keeps the score. A card is right when it is the segment the capture holds (unless the judge found
// that one wrong) or one the reference TCP would send there (./judge.ts records both); a wrong card is
// explained by the referee's own diagnosis (shared/game/referee.ts), in the numbering the player sees.
// Pure: the page calls it on the main thread with the judged connection the Worker sent back.

import { newGame } from '../game/game.ts';
import { closestOwed, diagnose, matchingOwed, parseCard, refusal, segmentCard } from '../game/referee.ts';
import type { Card, GameState, LocalizedText, Refusal } from '../game/types.ts';
import { PLAY_ALONG_TEXTS } from '../i18n/capture.ts';
import { sameSegment } from '../tcp/segment.ts';
import { seqAdd } from '../tcp/seq.ts';
import { otherEnd, type EndId, type SegmentFields, type Tcb } from '../tcp/types.ts';
import type { JudgedConnection, JudgedSegment } from './judge.ts';
import { replayTimeline } from './replay.ts';

export interface GuessResult {
  right: boolean;
  /** what the card matched: the captured segment, or (when the capture's stack chose otherwise) the reference's */
  matched: 'real' | 'reference' | null;
  /** why a wrong card is wrong, as the referee says it in a game */
  refusal: Refusal | null;
  explanation: LocalizedText;
  rule: string;
  /** the captured segment, in the numbering the player saw */
  real: SegmentFields;
}

export interface PlayAlongScore {
  right: number;
  total: number;
  /** the segments (by place in the connection) already guessed: each counts once */
  guessed: number[];
}

export const NO_SCORE: PlayAlongScore = { right: 0, total: 0, guessed: [] };

/** Count a guess; a segment guessed again (after stepping back) does not count twice. */
export function addGuess(score: PlayAlongScore, index: number, right: boolean): PlayAlongScore {
  if (score.guessed.includes(index)) return score;
  return { right: score.right + (right ? 1 : 0), total: score.total + 1, guessed: [...score.guessed, index] };
}

/** Each end's relative zero (its initial sequence number), read back from the judged segments. */
export function numberBases(connection: JudgedConnection): Record<EndId, number> {
  const base: Partial<Record<EndId, number>> = {};
  for (const s of connection.segments) {
    base[s.from] ??= seqAdd(s.seq, -s.relSeq);
    if (s.ack !== null && s.relAck !== null) base[otherEnd(s.from)] ??= seqAdd(s.ack, -s.relAck);
  }
  return { A: base.A ?? 0, B: base.B ?? 0 };
}

/** A segment from `from`, in the numbering the player sees (relative: minus each end's zero). */
function shown(segment: SegmentFields, from: EndId, base: Record<EndId, number> | null): SegmentFields {
  if (!base) return segment;
  return { ...segment, seq: seqAdd(segment.seq, -base[from]), ack: segment.ack === null ? null : seqAdd(segment.ack, -base[otherEnd(from)]) };
}

function shownTcb(tcb: Tcb, end: EndId, base: Record<EndId, number> | null): Tcb {
  if (!base || tcb.state === 'CLOSED' || tcb.state === 'LISTEN') return tcb;
  const own = (n: number) => seqAdd(n, -base[end]);
  const peer = (n: number) => seqAdd(n, -base[otherEnd(end)]);
  return { ...tcb, iss: own(tcb.iss), sndUna: own(tcb.sndUna), sndNxt: own(tcb.sndNxt), finSeq: tcb.finSeq === null ? null : own(tcb.finSeq), irs: peer(tcb.irs), rcvNxt: peer(tcb.rcvNxt) };
}

/** The game the referee diagnoses in: the sender's TCB then, and the replay's timeline before the segment. */
function gameAt(connection: JudgedConnection, index: number, base: Record<EndId, number> | null): GameState {
  const segment = connection.segments[index];
  const game = newGame({ mission: 'open-send-close', seed: 0, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } });
  return {
    ...game,
    world: { ...game.world, tcb: { ...game.world.tcb, [segment.from]: shownTcb(segment.sender.tcb, segment.from, base) } },
    timeline: replayTimeline(connection, index, base !== null),
  };
}

const fieldsOf = (s: JudgedSegment): SegmentFields => ({ flags: s.flags, seq: s.seq, ack: s.ack, len: s.len });

/**
 * Judge a card the player built for the segment at `index` (from 0) of a judged connection. `relative`: the
 * card's numbers are relative ones, as the replay showed them. Never throws: any value gets a verdict.
 */
export function judgeGuess(connection: JudgedConnection, index: number, value: unknown, relative: boolean): GuessResult {
  const segment = connection.segments[index];
  const base = relative ? numberBases(connection) : null;
  const real = shown(fieldsOf(segment), segment.from, base);
  const wrong = (why: Refusal): GuessResult => ({ right: false, matched: null, refusal: why, explanation: why.explanation, rule: why.rule, real });
  const parsed = parseCard(value);
  if (!parsed.ok) return wrong(parsed.refusal);
  if (parsed.card.kind !== 'segment') {
    return wrong(refusal('MALFORMED_CARD', { field: PLAY_ALONG_TEXTS.segmentOnly }, 'RFC 9293 §3.1', segmentCard(real)));
  }
  const card = parsed.card as Card & { kind: 'segment' };
  const reference = segment.sender.reference.map((s) => shown(s, segment.from, base));
  // a segment the judge found wrong is no answer; if the reference TCP had none either, the capture's is all there is
  const answers = [...(segment.verdict !== 'wrong' ? [real] : []), ...reference];
  if (answers.length === 0) answers.push(real);
  const match = matchingOwed(card, answers);
  if (match) {
    const matchedReal = segment.verdict !== 'wrong' && sameSegment(match, real);
    return {
      right: true,
      matched: matchedReal ? 'real' : 'reference',
      refusal: null,
      explanation: matchedReal ? PLAY_ALONG_TEXTS.rightReal(segment.from) : PLAY_ALONG_TEXTS.rightReference(segment.verdict),
      rule: segment.rule,
      real,
    };
  }
  const game = gameAt(connection, index, base);
  const state = game.world.tcb[segment.from].state;
  const closest = closestOwed(card, answers);
  return wrong(diagnose(game, segment.from, card, closest) ?? refusal('WRONG_SEGMENT', { state }, 'RFC 9293 §3.10', segmentCard(closest)));
}
