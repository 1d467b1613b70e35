// The referee: judges a card a player built against what a correct TCP would send at that moment.
// It never throws: any value at all can be handed to it and gets a verdict with a code from a closed list.

import { isUint32, seqAdd, seqDiff, seqLt } from '../tcp/seq.ts';
import { describeSegment, hasFlag, significantFlagBits, significantFlags, sequenceSpace } from '../tcp/segment.ts';
import { isSynchronized } from '../tcp/reference.ts';
import { FLAGS, type AppCall, type Flag, type SegmentFields, type Tcb, type TcpState } from '../tcp/types.ts';
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
function malformed(field: LocalizedText): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: refusal('MALFORMED_CARD', { field }, 'RFC 9293 §3.1', null) };
}

/** What is wrong with a card that cannot be read, in words a player can act on. */
const UNREADABLE = {
  notACard: { en: 'it is not a card', zh: '这不是一张牌' },
  kind: { en: 'a card is a user call or a segment', zh: '牌只能是用户调用或报文段' },
  flags: { en: 'the flags must be a list', zh: '标志位必须是一个列表' },
  data: {
    en: `the text to send may have at most ${CARD_LIMITS.dataMaxChars} characters`,
    zh: `要发送的文字最多 ${CARD_LIMITS.dataMaxChars} 个字符`,
  },
  emptyAck: {
    en: 'the ACK flag is set but the acknowledgment number is empty: write the number, or clear ACK',
    zh: '设置了 ACK 标志，但确认号是空的：请填写确认号，或取消 ACK',
  },
} as const;

function unknownCall(call: unknown): LocalizedText {
  const name = String(call).slice(0, 16);
  return {
    en: `"${name}" is not a user call (listen, connect, send, close, abort)`,
    zh: `“${name}”不是用户调用（listen、connect、send、close、abort）`,
  };
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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return malformed(UNREADABLE.notACard);
  const card = value as Record<string, unknown>;
  if (card.kind === 'call') {
    if (!CALLS.includes(card.call as (typeof CALLS)[number])) return malformed(unknownCall(card.call));
    if (card.data !== undefined && (typeof card.data !== 'string' || card.data.length > CARD_LIMITS.dataMaxChars)) return malformed(UNREADABLE.data);
    const call = card.call as AppCall;
    return { ok: true, card: card.data !== undefined ? { kind: 'call', call, data: card.data as string } : { kind: 'call', call } };
  }
  if (card.kind !== 'segment') return malformed(UNREADABLE.kind);
  if (!Array.isArray(card.flags)) return malformed(UNREADABLE.flags);
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
  if (ack === null && flags.includes('ACK')) return malformed(UNREADABLE.emptyAck);
  return { ok: true, card: { kind: 'segment', flags, seq: card.seq as number, ack, len: card.len } };
}

/** The last segment that reached `seat`, as this end saw it (for explanations). */
function lastArrival(game: GameState, seat: Seat): SegmentFields | null {
  const index = lastArrivalIndex(game, seat, () => true);
  return index < 0 ? null : (game.timeline[index] as { segment: SegmentFields }).segment;
}

/** Where in the timeline the last segment that reached `seat` and passes `test` is, or -1. */
function lastArrivalIndex(game: GameState, seat: Seat, test: (segment: SegmentFields) => boolean): number {
  for (let i = game.timeline.length - 1; i >= 0; i--) {
    const entry = game.timeline[i];
    if (entry.kind === 'segment' && entry.segment.to === seat && entry.fate === 'delivered' && test(entry.segment)) return i;
  }
  return -1;
}

/** The segment of the peer that made RCV.NXT what `ack` says: it ends exactly there and takes sequence space. */
function segmentEndingAt(game: GameState, seat: Seat, ack: number): SegmentFields | null {
  const index = lastArrivalIndex(game, seat, (segment) => sequenceSpace(segment) > 0 && seqAdd(segment.seq, sequenceSpace(segment)) === ack);
  return index < 0 ? null : (game.timeline[index] as { segment: SegmentFields }).segment;
}

/** Whether `seat` has already sent this very segment (same flags, seq and length): then it is sent again. */
function sentBefore(game: GameState, seat: Seat, segment: SegmentFields): boolean {
  const bits = significantFlagBits(segment.flags);
  return game.timeline.some(
    (entry) =>
      entry.kind === 'segment' &&
      entry.segment.from === seat &&
      !entry.wrongCard &&
      entry.segment.seq === segment.seq &&
      entry.segment.len === segment.len &&
      significantFlagBits(entry.segment.flags) === bits,
  );
}

/**
 * How the sequence space of a segment adds up, as a sum of the numbers the player sees: "101 + 5 + 1" for 5
 * data bytes and a FIN from 101, with the words for each part.
 */
function spaceSum(segment: SegmentFields): { sum: LocalizedText; en: string; zh: string } {
  const terms: string[] = [String(segment.seq)];
  const en: string[] = [];
  const zh: string[] = [];
  if (hasFlag(segment, 'SYN')) {
    terms.push('1');
    en.push('a SYN consumes one');
    zh.push('SYN 占用一个序号');
  }
  if (segment.len > 0) {
    terms.push(String(segment.len));
    en.push(`${segment.len === 1 ? 'its 1 data byte consumes' : `its ${segment.len} data bytes consume`} ${segment.len}`);
    zh.push(`${segment.len} 字节数据占用 ${segment.len} 个序号`);
  }
  if (hasFlag(segment, 'FIN')) {
    terms.push('1');
    en.push('a FIN consumes one');
    zh.push('FIN 占用一个序号');
  }
  const end = seqAdd(segment.seq, sequenceSpace(segment));
  const sum = `${terms.join(' + ')} = ${end}`;
  // past 4294967295 the numbers start again at 0: say so where the sum wraps (RFC 9293 §3.4)
  const wraps = segment.seq + sequenceSpace(segment) > 0xffff_ffff;
  return {
    sum: { en: wraps ? `${sum} (modulo 2^32)` : sum, zh: wraps ? `${sum}（模 2^32）` : sum },
    en: en.join(' and '),
    zh: zh.join('，'),
  };
}

/**
 * What a reset answers: a segment without ACK (<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>), an ACK-bearing
 * segment (<SEQ=SEG.ACK><CTL=RST>), or a call of this end's application made since (abort, or close with
 * unread data: <SEQ=SND.NXT><CTL=RST>).
 */
type ResetCause = { kind: 'no-ack' | 'ack'; segment: SegmentFields | null } | { kind: 'call'; call: string } | { kind: 'unknown' };

function resetCause(game: GameState, seat: Seat, reset: SegmentFields): ResetCause {
  if (reset.ack !== null) return { kind: 'no-ack', segment: segmentEndingAt(game, seat, reset.ack) ?? lastArrival(game, seat) };
  const answered = lastArrivalIndex(game, seat, (segment) => segment.ack === reset.seq);
  for (let i = game.timeline.length - 1; i > answered; i--) {
    const entry = game.timeline[i];
    if (entry.kind === 'call' && entry.end === seat && (entry.call === 'abort' || entry.call === 'close')) return { kind: 'call', call: entry.call };
  }
  if (answered < 0) return { kind: 'unknown' };
  return { kind: 'ack', segment: (game.timeline[answered] as { segment: SegmentFields }).segment };
}

/**
 * Why the expected sequence number is what it is, with the numbers on the player's board (SND.UNA, SND.NXT,
 * ISS) or in the peer's segment; undefined when no sentence would be both short and true.
 */
function seqBecause(game: GameState, seat: Seat, tcb: Tcb, expected: SegmentFields): LocalizedText | undefined {
  if (hasFlag(expected, 'RST')) {
    const cause = resetCause(game, seat, expected);
    if (cause.kind === 'no-ack') {
      return {
        en: `A reset answering a segment without ACK has sequence number 0: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.`,
        zh: `回应不带 ACK 的报文段时，复位报文的序号是 0：<SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>。`,
      };
    }
    if (cause.kind === 'call') {
      return {
        en: `A reset your application's call sends takes the next number of your sequence: <SEQ=SND.NXT><CTL=RST>, SND.NXT as it was before the connection was deleted.`,
        zh: `应用调用发出的复位报文取你序号空间里的下一个号：<SEQ=SND.NXT><CTL=RST>，即连接被删除之前的 SND.NXT。`,
      };
    }
    if (cause.kind === 'ack') {
      return {
        en: `A reset answering an ACK-bearing segment takes its sequence number from that segment's ACK field: <SEQ=SEG.ACK><CTL=RST>, and SEG.ACK was ${expected.seq}.`,
        zh: `回应带 ACK 的报文段时，复位报文的序号取自对方的确认号：<SEQ=SEG.ACK><CTL=RST>，而 SEG.ACK 是 ${expected.seq}。`,
      };
    }
    return undefined;
  }
  if (hasFlag(expected, 'SYN') && expected.seq === tcb.iss) {
    return {
      en: `A SYN carries your initial sequence number, ISS = ${tcb.iss}; a retransmission repeats it.`,
      zh: `SYN 携带你的初始序号 ISS = ${tcb.iss}；重传时序号不变。`,
    };
  }
  const space = sequenceSpace(expected);
  if (space === 0 && expected.seq === tcb.sndNxt) {
    return {
      en: `It is SND.NXT = ${tcb.sndNxt}, the next number of your own sequence: a segment without SYN, FIN or data takes no number, so the next one uses it again.`,
      zh: `它是 SND.NXT = ${tcb.sndNxt}，即你自己序号空间里的下一个号：不带 SYN、FIN 或数据的报文段不占序号，下一个报文段还会用它。`,
    };
  }
  if (space > 0 && expected.seq === tcb.sndUna && seqLt(expected.seq, tcb.sndNxt) && sentBefore(game, seat, expected)) {
    return {
      en: `This is a retransmission: it repeats the oldest unacknowledged segment, which starts at SND.UNA = ${tcb.sndUna}. SND.NXT = ${tcb.sndNxt} is where new data would start.`,
      zh: `这是一次重传：重发最早未被确认的报文段，它从 SND.UNA = ${tcb.sndUna} 开始。SND.NXT = ${tcb.sndNxt} 是新数据才会用的编号。`,
    };
  }
  if (space > 0 && seqAdd(expected.seq, space) === tcb.sndNxt) {
    const parts = spaceSum(expected);
    return {
      en: `A new segment starts where your sequence stood before it: your TCP counted this segment when it made it, so SND.NXT = ${tcb.sndNxt} is already past it (${parts.en}: ${parts.sum.en}).`,
      zh: `新的报文段从它之前的序号开始：你的 TCP 在生成它时就已把它计入序号，所以 SND.NXT = ${tcb.sndNxt} 已经越过它（${parts.zh}：${parts.sum.zh}）。`,
    };
  }
  return undefined;
}

/** Why the expected acknowledgment number is what it is: the peer's segment that ends there, or RCV.NXT. */
function ackBecause(game: GameState, seat: Seat, tcb: Tcb, expected: SegmentFields): LocalizedText | undefined {
  const ack = expected.ack as number;
  const peer = segmentEndingAt(game, seat, ack);
  if (peer) {
    const parts = spaceSum(peer);
    return {
      en: `Your peer's segment used sequence number ${peer.seq}, and ${parts.en}: ${parts.sum.en}.`,
      zh: `对端报文段的序号是 ${peer.seq}，其中 ${parts.zh}：${parts.sum.zh}。`,
    };
  }
  if (ack === tcb.rcvNxt) {
    return {
      en: `It is RCV.NXT = ${tcb.rcvNxt}, the next sequence number you expect from your peer.`,
      zh: `它是 RCV.NXT = ${tcb.rcvNxt}，即你期望从对端收到的下一个序号。`,
    };
  }
  return undefined;
}

/** Why the segment owed carries no ACK: a first SYN has nothing to acknowledge; a reset has its own form. */
function whyNoAck(game: GameState, seat: Seat, expected: SegmentFields): LocalizedText {
  if (hasFlag(expected, 'RST')) {
    const cause = resetCause(game, seat, expected);
    if (cause.kind === 'call') {
      return {
        en: `the reset your application's ${cause.call} sends is <SEQ=SND.NXT><CTL=RST>, without ACK`,
        zh: `应用调用 ${cause.call} 发出的复位报文是 <SEQ=SND.NXT><CTL=RST>，不带 ACK`,
      };
    }
    return {
      en: 'a reset sent in reply to an ACK-bearing segment is <SEQ=SEG.ACK><CTL=RST>, without ACK',
      zh: '回应带 ACK 的报文段时，复位报文是 <SEQ=SEG.ACK><CTL=RST>，不带 ACK',
    };
  }
  return {
    en: 'nothing has been received from the peer yet, so there is nothing to acknowledge',
    zh: '还没有收到对端的任何报文段，没有可以确认的内容',
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
  const facts: ExplanationFacts = { state };

  if ((want & RST_BIT) !== 0 && (have & RST_BIT) === 0) {
    // Only this explanation names what the reset answers, so only this one looks it up.
    const cause = resetCause(game, seat, expected);
    if (cause.kind === 'call') return refusal('MISSING_RST_FLAG', { state, call: cause.call }, 'RFC 9293 §3.10.4, §3.10.5', hint);
    const answered = cause.kind === 'ack' || cause.kind === 'no-ack' ? cause.segment : null;
    return refusal('MISSING_RST_FLAG', { state, peerSegment: answered ? describeSegment(answered) : undefined }, 'RFC 9293 §3.10.7', hint);
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
  if ((want & ACK_BIT) === 0 && (have & ACK_BIT) !== 0) return refusal('UNEXPECTED_ACK_FLAG', { state, because: whyNoAck(game, seat, expected) }, rule, hint);
  if (card.seq !== expected.seq) {
    const because = seqBecause(game, seat, tcb, expected);
    return refusal('WRONG_SEQ_NUMBER', { state, expected: expected.seq, played: card.seq, because }, 'RFC 9293 §3.4', hint);
  }
  if (card.ack !== expected.ack) {
    const because = ackBecause(game, seat, tcb, expected);
    // "Ack = Seq": the number of the peer's segment that the ACK must count past
    const peer = expected.ack === null ? null : (segmentEndingAt(game, seat, expected.ack) ?? lastArrival(game, seat));
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
