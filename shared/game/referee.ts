// The referee: judges a card a player built against what a correct TCP would send at that moment.
// It never throws: any value at all can be handed to it and gets a verdict with a code from a closed list.

import { isUint32, seqAdd, seqDiff } from '../tcp/seq.ts';
import { describeSegment, hasFlag, significantFlagBits, significantFlags, sequenceSpace } from '../tcp/segment.ts';
import { isSynchronized } from '../tcp/reference.ts';
import { FLAGS, type AppCall, type Flag, type SegmentFields, type TcpState } from '../tcp/types.ts';
import { explainRefusal, type ExplanationFacts } from '../i18n/referee.ts';
import type { Card, GameState, LocalizedText, Refusal, RefusalCode, Seat } from './types.ts';
import { CARD_LIMITS } from './limits.ts';

const CALLS = ['listen', 'connect', 'send', 'close', 'abort'] as const;

// Header bits of the flags the referee compares, worked out once: the hot path tests bits, not arrays.
const ACK_BIT = significantFlagBits(['ACK']);
const RST_BIT = significantFlagBits(['RST']);
const SYN_BIT = significantFlagBits(['SYN']);
const FIN_BIT = significantFlagBits(['FIN']);

export function refusal(code: RefusalCode, facts: ExplanationFacts, rule: string, hint: Card | null): Refusal {
  return { code, explanation: explainRefusal(code, facts), rule, hint };
}

/** A segment the TCP owes, as the card that would play it. */
export function segmentCard(segment: SegmentFields): Card {
  return { kind: 'segment', flags: sortedSignificantFlags(segment.flags), seq: segment.seq, ack: segment.ack, len: segment.len };
}

/**
 * The same list as significantFlags (PSH and URG left out, no duplicates, in alphabetical order: ACK, FIN,
 * RST, SYN) without building a Set and sorting: every wrong card's hint goes through here. Anything that
 * is not one of the six flags takes the general path, so the result is the same for every input.
 */
function sortedSignificantFlags(flags: readonly Flag[]): Flag[] {
  let bits = 0;
  for (let i = 0; i < flags.length; i++) {
    switch (flags[i]) {
      case 'ACK':
        bits |= ACK_BIT;
        break;
      case 'FIN':
        bits |= FIN_BIT;
        break;
      case 'RST':
        bits |= RST_BIT;
        break;
      case 'SYN':
        bits |= SYN_BIT;
        break;
      case 'PSH':
      case 'URG':
        break;
      default:
        return significantFlags(flags);
    }
  }
  const sorted: Flag[] = [];
  if (bits & ACK_BIT) sorted.push('ACK');
  if (bits & FIN_BIT) sorted.push('FIN');
  if (bits & RST_BIT) sorted.push('RST');
  if (bits & SYN_BIT) sorted.push('SYN');
  return sorted;
}

// The helpers the referee calls on every card are module-level functions, not closures made per call: under
// tsx (esbuild keepNames: how the tests, scripts and benchmarks run this code) each such closure is named with
// Object.defineProperty on every call, and that cost more than the checks themselves.
function malformed(field: string): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: refusal('MALFORMED_CARD', { field }, 'RFC 9293 §3.1', null) };
}

/** Whether a list holds some entry twice. Only called on lists of known flags, so it stops by the seventh entry. */
function hasDuplicate(list: readonly unknown[]): boolean {
  for (let i = 1; i < list.length; i++) {
    for (let j = 0; j < i; j++) if (list[i] === list[j]) return true;
  }
  return false;
}

/** Check the shape of anything a client sent as a card; returns the card, or why it is not one. */
export function parseCard(value: unknown): { ok: true; card: Card } | { ok: false; refusal: Refusal } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed('not a card');
  const card = value as Record<string, unknown>;
  if (card.kind === 'call') {
    if (!CALLS.includes(card.call as (typeof CALLS)[number])) return malformed(`unknown call ${String(card.call)}`);
    if (card.data !== undefined && (typeof card.data !== 'string' || card.data.length > CARD_LIMITS.dataMaxChars)) return malformed('data');
    const call = card.call as AppCall;
    return { ok: true, card: card.data !== undefined ? { kind: 'call', call, data: card.data as string } : { kind: 'call', call } };
  }
  if (card.kind !== 'segment') return malformed('kind');
  if (!Array.isArray(card.flags)) return malformed('flags');
  for (const flag of card.flags) {
    if (!FLAGS.includes(flag as Flag)) {
      return { ok: false, refusal: refusal('UNKNOWN_FLAG', { played: String(flag).slice(0, 16) }, 'RFC 9293 §3.1', null) };
    }
  }
  const flags = hasDuplicate(card.flags) ? [...new Set(card.flags as Flag[])] : (card.flags as Flag[]);
  if (!isUint32(card.seq)) {
    return { ok: false, refusal: refusal('SEQ_OUT_OF_RANGE', { played: String(card.seq).slice(0, 24) }, 'RFC 9293 §3.1', null) };
  }
  if (card.ack !== null && card.ack !== undefined && !isUint32(card.ack)) {
    return { ok: false, refusal: refusal('ACK_OUT_OF_RANGE', { played: String(card.ack).slice(0, 24) }, 'RFC 9293 §3.1', null) };
  }
  if (typeof card.len !== 'number' || !Number.isInteger(card.len) || card.len < CARD_LIMITS.lenMin || card.len > CARD_LIMITS.lenMax) {
    return { ok: false, refusal: refusal('NEGATIVE_LENGTH', { played: String(card.len).slice(0, 24) }, 'RFC 9293 §3.1', null) };
  }
  const ack = card.ack === undefined ? null : (card.ack as number | null);
  if (ack !== null && !flags.includes('ACK')) {
    return { ok: false, refusal: refusal('ACK_NUMBER_WITHOUT_ACK_FLAG', { played: ack }, 'RFC 9293 §3.1', null) };
  }
  if (ack === null && flags.includes('ACK')) return malformed('the ACK flag is set but the acknowledgment number is empty');
  return { ok: true, card: { kind: 'segment', flags, seq: card.seq as number, ack, len: card.len } };
}

/** The last segment that reached `seat`, as this end saw it (for explanations). */
function lastArrival(game: GameState, seat: Seat): SegmentFields | null {
  for (let i = game.timeline.length - 1; i >= 0; i--) {
    const entry = game.timeline[i];
    if (entry.kind === 'segment' && entry.segment.to === seat && entry.fate === 'delivered') return entry.segment;
  }
  return null;
}

/** Why the expected sequence number is what it is. `peer`: the last segment that reached this end. */
function seqBecause(peer: SegmentFields | null, iss: number, expected: SegmentFields): LocalizedText {
  if (hasFlag(expected, 'RST') && !hasFlag(expected, 'ACK') && peer?.ack !== null) {
    return {
      en: `A reset answering an ACK-bearing segment takes its sequence number from that segment's ACK field (<SEQ=SEG.ACK><CTL=RST>).`,
      zh: `回应带 ACK 的报文段时，复位报文的序号取自对方的确认号（<SEQ=SEG.ACK><CTL=RST>）。`,
    };
  }
  if (hasFlag(expected, 'SYN') && expected.seq === iss) {
    return {
      en: `A SYN carries your initial sequence number, ISS = ${iss}; a retransmission repeats it.`,
      zh: `SYN 携带你的初始序号 ISS = ${iss}；重传时序号不变。`,
    };
  }
  return {
    en: `It is SND.NXT, the next number of your own sequence: every SYN and FIN you sent took one number and every data byte one more; a pure ACK takes none.`,
    zh: `它是 SND.NXT，即你自己序号空间里的下一个号：发出的每个 SYN 和 FIN 各占一个号，每个数据字节占一个号，纯 ACK 不占号。`,
  };
}

/** Why the expected acknowledgment number is what it is, from the peer's last segment (`peer`). */
function ackBecause(peer: SegmentFields | null, expected: SegmentFields): LocalizedText {
  const rcvNxt = expected.ack as number;
  if (peer && seqAdd(peer.seq, sequenceSpace(peer)) === rcvNxt) {
    const parts: { en: string[]; zh: string[] } = { en: [], zh: [] };
    if (hasFlag(peer, 'SYN')) {
      parts.en.push('a SYN consumes one');
      parts.zh.push('SYN 占用一个序号');
    }
    if (peer.len > 0) {
      parts.en.push(`its ${peer.len} data bytes consume ${peer.len}`);
      parts.zh.push(`${peer.len} 字节数据占用 ${peer.len} 个序号`);
    }
    if (hasFlag(peer, 'FIN')) {
      parts.en.push('a FIN consumes one');
      parts.zh.push('FIN 占用一个序号');
    }
    return {
      en: `Your peer's segment used sequence number ${peer.seq}, and ${parts.en.join(' and ')}: ${peer.seq} + ${sequenceSpace(peer)} = ${rcvNxt}.`,
      zh: `对端报文段的序号是 ${peer.seq}，并且${parts.zh.join('，')}：${peer.seq} + ${sequenceSpace(peer)} = ${rcvNxt}。`,
    };
  }
  return {
    en: `It is RCV.NXT = ${rcvNxt}, the next sequence number you expect from your peer.`,
    zh: `它是 RCV.NXT = ${rcvNxt}，即你期望从对端收到的下一个序号。`,
  };
}

/**
 * Compare a well-formed segment card with one segment a correct TCP would send; null when they agree.
 * This runs for every wrong card, so it tests flag bits and builds each refusal's facts directly: no
 * closures, no spreads, the peer's last segment looked up once.
 */
export function diagnose(game: GameState, seat: Seat, card: Card & { kind: 'segment' }, expected: SegmentFields): Refusal | null {
  const tcb = game.world.tcb[seat];
  const state: TcpState = tcb.state;
  const want = significantFlagBits(expected.flags);
  const have = significantFlagBits(card.flags);
  const hint = segmentCard(expected);
  const rule = 'RFC 9293 §3.10';
  const peer = lastArrival(game, seat);
  const facts: ExplanationFacts = { state };

  if ((want & RST_BIT) !== 0 && (have & RST_BIT) === 0) {
    // Only this explanation names the peer's segment, so only this one writes it down.
    return refusal('MISSING_RST_FLAG', { state, peerSegment: peer ? describeSegment(peer) : undefined }, 'RFC 9293 §3.10.7', hint);
  }
  if ((want & RST_BIT) === 0 && (have & RST_BIT) !== 0) return refusal('UNEXPECTED_RST_FLAG', facts, 'RFC 9293 §3.5.2', hint);
  if ((want & SYN_BIT) !== 0 && (have & SYN_BIT) === 0) return refusal('MISSING_SYN_FLAG', facts, 'RFC 9293 §3.4', hint);
  if ((want & SYN_BIT) === 0 && (have & SYN_BIT) !== 0) {
    if (isSynchronized(state)) return refusal('SYN_IN_SYNCHRONIZED_STATE', facts, 'RFC 9293 §3.10.7.4', hint);
    return refusal('WRONG_SEGMENT', facts, rule, hint);
  }
  if ((want & FIN_BIT) !== 0 && (have & FIN_BIT) === 0) return refusal('MISSING_FIN_FLAG', facts, 'RFC 9293 §3.6', hint);
  if ((want & FIN_BIT) === 0 && (have & FIN_BIT) !== 0) {
    if (!isSynchronized(state)) return refusal('FIN_BEFORE_ESTABLISHED', facts, 'RFC 9293 §3.10.7.4', hint);
    return refusal('UNEXPECTED_FIN_FLAG', facts, 'RFC 9293 §3.6', hint);
  }
  if ((want & ACK_BIT) !== 0 && (have & ACK_BIT) === 0) {
    return refusal('MISSING_ACK_FLAG', { state, expected: expected.ack }, 'RFC 9293 §3.10.7.4', hint);
  }
  if ((want & ACK_BIT) === 0 && (have & ACK_BIT) !== 0) return refusal('UNEXPECTED_ACK_FLAG', facts, rule, hint);
  if (card.seq !== expected.seq) {
    const because = seqBecause(peer, tcb.iss, expected);
    return refusal('WRONG_SEQ_NUMBER', { state, expected: expected.seq, played: card.seq, because }, 'RFC 9293 §3.4', hint);
  }
  if (card.ack !== expected.ack) {
    const because = ackBecause(peer, expected);
    const forgotTheOne = peer !== null && card.ack === peer.seq && expected.ack !== null && seqDiff(expected.ack, peer.seq) > 0;
    return refusal(forgotTheOne ? 'ACK_EQUALS_SEQ' : 'WRONG_ACK_NUMBER', { state, expected: expected.ack, played: card.ack, because }, 'RFC 9293 §3.4', hint);
  }
  if (card.len !== expected.len) {
    return refusal('WRONG_LENGTH', { state, expected: expected.len, played: card.len }, 'RFC 9293 §3.10.2', hint);
  }
  return null;
}

/** The owed segment this card builds exactly (flags as a set, PSH/URG aside; seq, ack, len), if any. */
export function matchingOwed(card: Card & { kind: 'segment' }, owed: SegmentFields[]): SegmentFields | undefined {
  const bits = significantFlagBits(card.flags);
  for (const segment of owed) {
    if (segment.seq === card.seq && segment.ack === card.ack && segment.len === card.len && significantFlagBits(segment.flags) === bits) {
      return segment;
    }
  }
  return undefined;
}

/** Among the segments owed, the one a card most resembles (same flags first), to explain the difference. */
export function closestOwed(card: Card & { kind: 'segment' }, owed: SegmentFields[]): SegmentFields {
  const have = significantFlagBits(card.flags);
  let best = owed[0];
  let bestScore = resemblance(best, card, have);
  for (let i = 1; i < owed.length; i++) {
    const score = resemblance(owed[i], card, have);
    if (score > bestScore) {
      best = owed[i];
      bestScore = score;
    }
  }
  return best;
}

/**
 * How much a segment looks like a card whose flag bits are `have`: same flags weigh most, then seq, then ack.
 * A module-level function rather than a closure in closestOwed, for the same reason as `malformed`.
 */
function resemblance(segment: SegmentFields, card: Card & { kind: 'segment' }, have: number): number {
  return (significantFlagBits(segment.flags) === have ? 4 : 0) + (segment.seq === card.seq ? 2 : 0) + (segment.ack === card.ack ? 1 : 0);
}
