// The judge: a connection from a capture, replayed through the reference TCP (shared/tcp/reference.ts) at
// both ends. Each segment gets a verdict:
//   expected — what the reference TCP sends there (an answer it owes, or what a user call makes it send);
//   allowed  — another behaviour RFC 9293 permits or a named, deployed variant (delayed ACK, the other
//              profile's choice, a retransmission), or something the engine does not model (window update,
//              keep-alive, SACK), each with a note;
//   wrong    — none of these: the rule, and what the reference TCP would send instead.
// The capture does not say when a segment arrived, only when it passed the capture point: before judging a
// segment, the segments still travelling towards its sender are delivered, unless the sender evidently sent
// it before they arrived (they crossed on the wire: a simultaneous open or close).

import { step } from '../tcp/reference.ts';
import { describeSegment, makeSegment, sameSegment, sequenceSpace } from '../tcp/segment.ts';
import { seqAdd, seqDiff, seqGt, seqLe, seqLt } from '../tcp/seq.ts';
import { closedTcb } from '../tcp/tcb.ts';
import type { AppCall, EndId, EndpointEvent, Flag, SegmentFields, StepOutcome, Tcb, TcpProfile, TcpState } from '../tcp/types.ts';
import type { LocalizedText } from '../game/types.ts';
import { COMMENT_TEXTS, JUDGE_TEXTS } from '../i18n/capture.ts';
import { endpointText, type CaptureConnection, type Endpoint } from './connections.ts';
import type { TcpOptions, TcpPacket } from './types.ts';

export type Verdict = 'expected' | 'allowed' | 'wrong';

export interface JudgedSegment {
  /** the packet's number in the capture, from 1 (as Wireshark counts) */
  n: number;
  from: EndId;
  timeUs: number;
  flags: Flag[];
  seq: number;
  /** null when ACK is not set */
  ack: number | null;
  len: number;
  /** relative sequence numbers as Wireshark shows them: from each end's initial sequence number */
  relSeq: number;
  relAck: number | null;
  window: number;
  options: TcpOptions;
  verdict: Verdict;
  rule: string;
  explanation: LocalizedText;
  /** both ends after this segment was judged (and what it answered delivered) */
  states: Record<EndId, TcpState>;
  /** the receiver's state once this segment arrived there (the judge delivers it when its answer shows) */
  receiverStateAfter: TcpState;
  tcb: Record<EndId, { sndUna: number; sndNxt: number; rcvNxt: number }>;
  /** the sender just before it sent this segment, for Play along (./playAlong.ts) */
  sender: SenderBefore;
  /** the capture says the network lost it after the capture point (a game's export: its LOST comment) */
  lost?: boolean;
  comment?: string;
}

/** An end just before it sent a segment, as the reference TCP (of the judge's profile) saw it. */
export interface SenderBefore {
  /** its TCB, the retransmission and out-of-order queues left out (they can be long, and nothing reads them) */
  tcb: Tcb;
  /** what the reference TCP would send there: the segments it owed, the one a user call made, or for a wrong
   * segment the right one; empty when it owed nothing (a keep-alive, a window update) */
  reference: SegmentFields[];
  /** the user call the judge took to have been made just before (the capture does not show calls) */
  call?: string;
}

export interface JudgedConnection {
  client: string;
  server: string;
  midConnection: boolean;
  profile: TcpProfile;
  notes: LocalizedText[];
  segments: JudgedSegment[];
}

/** What an end owes: a segment the reference TCP emitted, and why. */
interface Owed {
  segment: SegmentFields;
  rule: string;
  why: LocalizedText;
}

interface Arrival {
  before: Tcb;
  event: EndpointEvent;
  owedBefore: Owed[];
}

interface Model {
  tcb: Record<EndId, Tcb>;
  owed: Record<EndId, Owed[]>;
  /** captured segments not yet delivered, towards each end (with their place in the list of judged segments) */
  inFlight: Record<EndId, Array<{ fields: SegmentFields; index: number }>>;
  /**
   * the receiver's state after a judged segment arrived, by its place: only the arrivals of the segment being
   * judged (copied with each hypothesis, so kept short: they are written into the judged segments at once)
   */
  arrived: Array<[number, TcpState]>;
  /** the last arrival at each end, while nothing else has happened there: another profile may answer it */
  lastArrival: Record<EndId, Arrival | null>;
  /** highest sequence number each end has sent (end of its sequence space) */
  sentUpTo: Record<EndId, number | null>;
  lastWindow: Record<EndId, number | null>;
}

const FLAG_BITS: Array<[Flag, number]> = [
  ['URG', 32],
  ['ACK', 16],
  ['PSH', 8],
  ['RST', 4],
  ['SYN', 2],
  ['FIN', 1],
];
/** Real windows are large; the model's must not cut a real segment short. */
const JUDGE_WINDOW = 0x3fff_ffff;

const other = (end: EndId): EndId => (end === 'A' ? 'B' : 'A');

export function fieldsOf(packet: TcpPacket): SegmentFields {
  const flags = FLAG_BITS.filter(([, bit]) => packet.flagBits & bit).map(([flag]) => flag);
  return makeSegment(flags, packet.seq, packet.flagBits & 16 ? packet.ack : null, packet.len);
}

const isPureAck = (segment: SegmentFields) =>
  segment.len === 0 && segment.flags.includes('ACK') && !segment.flags.some((f) => f === 'SYN' || f === 'FIN' || f === 'RST');

function cloneModel(model: Model): Model {
  return {
    tcb: { ...model.tcb },
    owed: { A: [...model.owed.A], B: [...model.owed.B] },
    inFlight: { A: [...model.inFlight.A], B: [...model.inFlight.B] },
    arrived: [...model.arrived],
    lastArrival: { ...model.lastArrival },
    sentUpTo: { ...model.sentUpTo },
    lastWindow: { ...model.lastWindow },
  };
}

function initialModel(connection: CaptureConnection): Model {
  const packets = connection.packets;
  const fresh = (listener: boolean, state: TcpState): Tcb => ({ ...closedTcb({ rcvWnd: JUDGE_WINDOW, listener }), state, sndWnd: JUDGE_WINDOW });
  const model: Model = {
    tcb: { A: fresh(false, 'CLOSED'), B: fresh(true, 'LISTEN') },
    owed: { A: [], B: [] },
    inFlight: { A: [], B: [] },
    arrived: [],
    lastArrival: { A: null, B: null },
    sentUpTo: { A: null, B: null },
    lastWindow: { A: null, B: null },
  };
  if (connection.midConnection) {
    // Both ends are taken to be ESTABLISHED, with the numbers of the first segment.
    const first = packets[0];
    const x = first.from;
    const y = other(x);
    const ack = first.flagBits & 16 ? first.ack : 0;
    const established = (sndNxt: number, rcvNxt: number): Tcb => ({
      ...fresh(false, 'ESTABLISHED'),
      iss: seqAdd(sndNxt, -1),
      irs: seqAdd(rcvNxt, -1),
      sndUna: sndNxt,
      sndNxt,
      rcvNxt,
    });
    model.tcb[x] = established(first.seq, ack);
    model.tcb[y] = { ...established(ack, first.seq), listener: y === 'B' };
    return model;
  }
  // B is passive (a listener) unless it sent a SYN of its own without ACK (both opened actively), or
  // answered with a RST before it ever sent a SYN (no one listened: the port was closed).
  const bActive = packets.some((p) => p.from === 'B' && (p.flagBits & 0x12) === 0x02);
  const bFirst = packets.find((p) => p.from === 'B');
  const bRefused = bFirst !== undefined && (bFirst.flagBits & 0x06) === 0x04;
  if (bActive || bRefused) model.tcb.B = fresh(false, 'CLOSED');
  return model;
}

/** Judge every segment of a connection. Pure; never throws on what a capture holds. */
export function judgeConnection(connection: CaptureConnection, profile: TcpProfile = 'rfc'): JudgedConnection {
  let model = initialModel(connection);
  const notes: LocalizedText[] = [];
  if (connection.midConnection) notes.push(JUDGE_TEXTS.midConnection(model.tcb.A.state));
  const base = relativeBases(connection);
  const segments: JudgedSegment[] = [];
  const packets = connection.packets;
  // The ISS an end picks when a SYN reaches it at LISTEN: the sequence number of its next SYN in the capture.
  const nextSynAt = nextSynIndex(connection);
  // each packet by its copy key: a later packet with the same key is a copy the network made of it
  const firstWithKey = new Map<string, number>();
  for (let i = 0; i < packets.length; i++) {
    const packet = packets[i];
    const x = packet.from;
    const fields = fieldsOf(packet);
    const nextIss = (end: EndId) => {
      const at = nextSynAt[end][i];
      return at < packets.length ? packets[at].seq : 0;
    };
    // A copy the network made of a packet already judged is no move of its sender: it arrives once more.
    const key = copyKey(packet);
    const original = key === null ? undefined : firstWithKey.get(key);
    if (key !== null && original === undefined) firstWithKey.set(key, i);
    if (original !== undefined) {
      const copyLost = isMarkedLost(packet);
      if (!copyLost) model.inFlight[other(x)].push({ fields, index: segments.length });
      const { comment: _comment, lost: _lost, ...first } = segments.find((s) => s.n === packets[original].index + 1) as JudgedSegment;
      segments.push({
        ...first,
        n: packet.index + 1,
        timeUs: packet.timeUs,
        options: packet.options,
        verdict: 'allowed',
        rule: 'RFC 9293 §3.10.7.4 (duplicates), RFC 6864',
        explanation: JUDGE_TEXTS.networkCopy(first.n),
        states: { A: model.tcb.A.state, B: model.tcb.B.state },
        tcb: snapshot(model),
        ...(copyLost ? { lost: true } : {}),
        ...(packet.comment !== undefined ? { comment: packet.comment } : {}),
      });
      continue;
    }
    // First: as if what travels towards the sender had arrived before it sent this.
    const delivered = cloneModel(model);
    deliverAll(delivered, x, nextIss, profile);
    let owedBefore = delivered.owed[x];
    let tcbBefore = delivered.tcb[x];
    let judged = judgeSegment(delivered, x, fields, packet, profile);
    let next = delivered;
    if (judged.verdict === 'wrong' && model.tcb[x].state === 'TIME-WAIT') {
      // Else: the sender's 2 MSL wait ran out before this (a retransmitted FIN then finds no connection and is
      // answered by a RST). The capture shows no timer; a segment that only fits after it says it fired.
      const timed = cloneModel(model);
      timed.tcb[x] = step(timed.tcb[x], { type: 'timer', timer: '2msl' }, profile).tcb;
      timed.owed[x] = [];
      timed.lastArrival[x] = null;
      deliverAll(timed, x, nextIss, profile);
      const timedOwed = timed.owed[x];
      const timedTcb = timed.tcb[x];
      const timedJudgement = judgeSegment(timed, x, fields, packet, profile);
      if (timedJudgement.verdict !== 'wrong') {
        judged = { ...timedJudgement, explanation: JUDGE_TEXTS.afterTimeWait(x, timedJudgement.explanation) };
        next = timed;
        owedBefore = timedOwed;
        tcbBefore = timedTcb;
      }
    }
    // Delivered first, a segment can have reached an end that was CLOSED, which refuses it with a RST; when
    // that end sends something else instead (its own SYN: a simultaneous open, RFC 9293 Figure 8), the
    // segment had not arrived yet. Judged as if it had, the end would drop it, and its later answer to it
    // (the SYN,ACK of §3.10.7.3) would look like a retransmission.
    const refusedUnsent =
      next === delivered && judged.verdict !== 'wrong' && delivered.owed[x].some((o) => o.segment.flags.includes('RST')) && !model.owed[x].some((o) => o.segment.flags.includes('RST'));
    if ((judged.verdict === 'wrong' || refusedUnsent) && model.inFlight[x].length > 0) {
      // Else: the segments crossed on the wire.
      const crossed = cloneModel(model);
      const crossedOwed = crossed.owed[x];
      const crossedTcb = crossed.tcb[x];
      const crossedJudgement = judgeSegment(crossed, x, fields, packet, profile);
      if (crossedJudgement.verdict !== 'wrong') {
        judged = crossedJudgement;
        next = crossed;
        owedBefore = crossedOwed;
        tcbBefore = crossedTcb;
      }
    }
    model = next;
    for (const [index, state] of model.arrived) segments[index].receiverStateAfter = state;
    model.arrived = [];
    // A segment the capture marks as lost after the capture point never arrives: it is not delivered.
    const lost = isMarkedLost(packet);
    if (!lost) model.inFlight[other(x)].push({ fields, index: segments.length });
    model.lastWindow[x] = packet.window;
    const space = sequenceSpace(fields);
    const end = seqAdd(fields.seq, space);
    if (model.sentUpTo[x] === null || seqGt(end, model.sentUpTo[x] as number)) model.sentUpTo[x] = end;
    segments.push({
      n: packet.index + 1,
      from: x,
      timeUs: packet.timeUs,
      flags: fields.flags,
      seq: fields.seq,
      ack: fields.ack,
      len: fields.len,
      relSeq: seqDiff(fields.seq, base[x]),
      relAck: fields.ack === null ? null : seqDiff(fields.ack, base[other(x)]),
      window: packet.window,
      options: packet.options,
      verdict: judged.verdict,
      rule: judged.rule,
      explanation: judged.explanation,
      states: { A: model.tcb.A.state, B: model.tcb.B.state },
      receiverStateAfter: model.tcb[other(x)].state,
      tcb: snapshot(model),
      sender: senderBefore(tcbBefore, owedBefore, fields, judged),
      ...(lost ? { lost: true } : {}),
      ...(packet.comment !== undefined ? { comment: packet.comment } : {}),
    });
  }
  // What is still travelling arrives, so the final states are the ends' last word.
  deliverAll(model, 'A', () => 0, profile);
  deliverAll(model, 'B', () => 0, profile);
  for (const [index, state] of model.arrived) segments[index].receiverStateAfter = state;
  if (segments.length > 0) {
    const last = segments[segments.length - 1];
    last.states = { A: model.tcb.A.state, B: model.tcb.B.state };
    last.tcb = snapshot(model);
  }
  return { client: endpointText(connection.client), server: endpointText(connection.server), midConnection: connection.midConnection, profile, notes, segments };
}

/** For each end and position i: the index of the end's first SYN at or after i (packets.length if none). */
function nextSynIndex(connection: CaptureConnection): Record<EndId, Int32Array> {
  const packets = connection.packets;
  const result = { A: new Int32Array(packets.length + 1), B: new Int32Array(packets.length + 1) };
  for (const end of ['A', 'B'] as const) {
    let next = packets.length;
    result[end][packets.length] = next;
    for (let i = packets.length - 1; i >= 0; i--) {
      if (packets[i].from === end && packets[i].flagBits & 2) next = i;
      result[end][i] = next;
    }
  }
  return result;
}

/**
 * A key that a copy the network made shares with its original (and a retransmission does not): the same
 * end, IPv4 identification and TCP header fields. None for IPv6 (no identification) or an identification of
 * 0, which stacks may use for every DF packet (RFC 6864).
 */
function copyKey(packet: CaptureConnection['packets'][number]): string | null {
  if (packet.ipId === undefined || packet.ipId === 0) return null;
  return `${packet.from} ${packet.ipId} ${packet.seq} ${packet.ack} ${packet.flagBits} ${packet.len}`;
}

/**
 * Whether the packet's comment says the network lost it after the capture point: the LOST line this project
 * writes into an exported game's packets, in either language (docs/capture.md). Other captures cannot say it.
 */
function isMarkedLost(packet: TcpPacket): boolean {
  const comment = packet.comment;
  if (!comment) return false;
  return comment.split('\n').some((line) => line === COMMENT_TEXTS.lost.en || line === COMMENT_TEXTS.lost.zh);
}

function senderBefore(tcb: Tcb, owed: Owed[], fields: SegmentFields, judged: Judgement): SenderBefore {
  const reference = owed.map((o) => o.segment);
  // a segment the reference TCP sends there (owed, or made by the call) is one it would send
  if (judged.verdict === 'expected' && !reference.some((segment) => sameSegment(segment, fields))) reference.push(fields);
  const instead = judged.instead;
  if (instead && !reference.some((segment) => sameSegment(segment, instead))) reference.push(instead);
  return {
    tcb: { ...tcb, retransmitQueue: [], held: [] },
    reference,
    ...(judged.call !== undefined ? { call: judged.call } : {}),
  };
}

function snapshot(model: Model): JudgedSegment['tcb'] {
  const of = (tcb: Tcb) => ({ sndUna: tcb.sndUna, sndNxt: tcb.sndNxt, rcvNxt: tcb.rcvNxt });
  return { A: of(model.tcb.A), B: of(model.tcb.B) };
}

/** Each end's relative zero: its SYN's sequence number, or (mid-connection) one before its first one. */
function relativeBases(connection: CaptureConnection): Record<EndId, number> {
  const base = { A: 0, B: 0 };
  for (const end of ['A', 'B'] as const) {
    const syn = connection.packets.find((p) => p.from === end && p.flagBits & 2);
    const first = connection.packets.find((p) => p.from === end);
    const fromPeer = connection.packets.find((p) => p.from !== end && p.flagBits & 16);
    base[end] = syn ? syn.seq : first ? seqAdd(first.seq, -1) : fromPeer ? seqAdd(fromPeer.ack, -1) : 0;
  }
  return base;
}

/** Deliver everything travelling towards `end`, in order. */
function deliverAll(model: Model, end: EndId, nextIss: (end: EndId) => number, profile: TcpProfile): void {
  const arriving = model.inFlight[end];
  model.inFlight[end] = [];
  for (const { fields, index } of arriving) {
    deliver(model, end, fields, nextIss(end), profile);
    model.arrived.push([index, model.tcb[end].state]);
  }
}

function deliver(model: Model, end: EndId, segment: SegmentFields, iss: number, profile: TcpProfile): void {
  const before = model.tcb[end];
  const event: EndpointEvent = { type: 'segment', segment, iss };
  const outcome = step(before, event, profile);
  model.lastArrival[end] = { before, event, owedBefore: model.owed[end] };
  model.tcb[end] = outcome.tcb;
  model.owed[end] = [...model.owed[end], ...outcome.emits.map((emitted) => owedFrom(emitted, outcome, end, before.state, segment))];
}

function owedFrom(emitted: SegmentFields, outcome: StepOutcome, end: EndId, from: TcpState, cause: SegmentFields): Owed {
  return { segment: emitted, rule: outcome.rule, why: JUDGE_TEXTS.answers(end, from, outcome.tcb.state, describeSegment(cause)) };
}

interface Judgement {
  verdict: Verdict;
  rule: string;
  explanation: LocalizedText;
  /** the user call it was taken to follow */
  call?: string;
  /** what the reference TCP would have sent instead (a wrong segment, or the other profile's choice for a call) */
  instead?: SegmentFields | null;
}

/** Judge one segment from `x` against the model, and move the model on as the segment says. */
function judgeSegment(model: Model, x: EndId, fields: SegmentFields, packet: TcpPacket, profile: TcpProfile): Judgement {
  const alternative: TcpProfile = profile === 'rfc' ? 'linux' : 'rfc';

  // 1. An answer the reference TCP owes.
  const owedAt = model.owed[x].findIndex((owed) => sameSegment(owed.segment, fields));
  if (owedAt >= 0) {
    const owed = model.owed[x][owedAt];
    const superseded = model.owed[x].slice(0, owedAt).filter((o) => isPureAck(o.segment));
    model.owed[x] = model.owed[x].filter((o, i) => i !== owedAt && !(i < owedAt && isPureAck(o.segment)));
    model.lastArrival[x] = null;
    if (superseded.length > 0 && isPureAck(fields)) {
      return { verdict: 'allowed', rule: 'RFC 9293 §3.8.6.3, RFC 1122 §4.2.3.2', explanation: JUDGE_TEXTS.delayedAck(superseded.length + 1) };
    }
    return { verdict: 'expected', rule: owed.rule, explanation: owed.why };
  }

  // 2. What a user call makes the reference TCP send (the capture does not show the application's calls).
  const called = inferCall(model, x, fields, profile);
  if (called) return { verdict: 'expected', rule: called.rule, explanation: called.why, call: called.call };

  // 3. The other profile's choice for the last arrival, or for a user call.
  const arrival = model.lastArrival[x];
  if (arrival) {
    const outcome = step(arrival.before, arrival.event, alternative);
    const index = outcome.emits.findIndex((emitted) => sameSegment(emitted, fields));
    if (index >= 0) {
      model.tcb[x] = outcome.tcb;
      model.owed[x] = [...arrival.owedBefore.filter((o) => !isPureAck(o.segment)), ...outcome.emits.filter((_, i) => i !== index).map((segment) => ({ segment, rule: outcome.rule, why: JUDGE_TEXTS.variant(alternative) }))];
      model.lastArrival[x] = null;
      return { verdict: 'allowed', rule: outcome.rule, explanation: JUDGE_TEXTS.variant(alternative) };
    }
  }
  // what this profile's TCP would have sent for the same call (before inferCall moves the model on)
  const ownCall = closestCallSegment(model, x, fields, profile);
  const otherCall = inferCall(model, x, fields, alternative);
  if (otherCall) return { verdict: 'allowed', rule: otherCall.rule, explanation: JUDGE_TEXTS.variant(alternative), call: otherCall.call, instead: ownCall };

  const tcb = model.tcb[x];
  const synchronized = !['CLOSED', 'LISTEN', 'SYN-SENT'].includes(tcb.state);
  const sent = model.sentUpTo[x];
  // 4. A retransmission: sequence space this end has sent before.
  if (sent !== null && sequenceSpace(fields) > 0 && seqLt(fields.seq, sent) && !fields.flags.includes('RST')) {
    model.lastArrival[x] = null;
    return { verdict: 'allowed', rule: 'RFC 9293 §3.10.8, RFC 6298', explanation: JUDGE_TEXTS.retransmission };
  }
  // 5. What the engine does not model, all harmless ACKs.
  if (synchronized && isPureAck(fields)) {
    const ack = fields.ack as number;
    const ackOk = seqLe(ack, tcb.rcvNxt) && seqLe(seqAdd(tcb.rcvNxt, -JUDGE_WINDOW), ack);
    if (fields.seq === seqAdd(tcb.sndNxt, -1) && ackOk) {
      return { verdict: 'allowed', rule: 'RFC 9293 §3.8.4 (MAY-5), RFC 1122 §4.2.3.6', explanation: JUDGE_TEXTS.keepAlive };
    }
    if (fields.seq === tcb.sndNxt && ackOk) {
      dropCoveredAcks(model, x, ack);
      if (packet.options.sack && packet.options.sack.length > 0) return { verdict: 'allowed', rule: 'RFC 2018, RFC 2883', explanation: JUDGE_TEXTS.sack };
      if (model.lastWindow[x] !== null && model.lastWindow[x] !== packet.window) {
        return { verdict: 'allowed', rule: 'RFC 9293 §3.8.6.2.2', explanation: JUDGE_TEXTS.windowUpdate };
      }
      return { verdict: 'allowed', rule: 'RFC 9293 §3.10.7.4, RFC 5681 §4.2', explanation: JUDGE_TEXTS.extraAck };
    }
  }
  // 6. Wrong: name what the reference TCP owes, or else what the likeliest user call would have sent.
  const right = model.owed[x][0]?.segment ?? closestCallSegment(model, x, fields, profile);
  return {
    verdict: 'wrong',
    instead: right,
    rule: model.owed[x][0]?.rule ?? 'RFC 9293 §3.10',
    explanation: JUDGE_TEXTS.wrong(x, tcb.state, right ? describeSegment(right) : null, describeSegment(fields)),
  };
}

/** Owed pure ACKs that a segment acknowledging `ack` covers (a later ACK says all an earlier one did). */
function dropCoveredAcks(model: Model, x: EndId, ack: number): void {
  model.owed[x] = model.owed[x].filter((o) => !(isPureAck(o.segment) && seqLe(o.segment.ack as number, ack)));
}

/** For a wrong segment no answer was owed for: what the user call it looks like would have sent instead. */
function closestCallSegment(model: Model, x: EndId, fields: SegmentFields, profile: TcpProfile): SegmentFields | null {
  for (const attempt of callsFor(fields)) {
    const outcome = step(model.tcb[x], { type: 'app', call: attempt.call, iss: fields.seq, len: attempt.len, defer: attempt.defer }, profile);
    if (outcome.error) continue;
    const emits = attempt.then ? [...outcome.emits, ...step(outcome.tcb, { type: 'app', call: attempt.then }, profile).emits] : outcome.emits;
    if (emits.length > 0) return emits[emits.length - 1];
  }
  return null;
}

interface CallAttempt {
  call: AppCall;
  len?: number;
  defer?: boolean;
  then?: AppCall;
}

/** The user calls that could have made an end send a segment like this one. */
function callsFor(fields: SegmentFields): CallAttempt[] {
  const has = (flag: Flag) => fields.flags.includes(flag);
  const tries: CallAttempt[] = [];
  if (has('SYN') && !has('ACK')) tries.push({ call: 'connect' });
  if (fields.len > 0 && has('FIN')) tries.push({ call: 'send', len: fields.len, defer: true, then: 'close' });
  else if (fields.len > 0) tries.push({ call: 'send', len: fields.len });
  if (has('FIN') && fields.len === 0) tries.push({ call: 'close' });
  if (has('RST')) tries.push({ call: 'abort' }, { call: 'close' });
  return tries;
}

/** The user call that makes end x's reference TCP send exactly this segment, if there is one: then it is made. */
function inferCall(model: Model, x: EndId, fields: SegmentFields, profile: TcpProfile): { rule: string; why: LocalizedText; call: string } | null {
  const tcb = model.tcb[x];
  const has = (flag: Flag) => fields.flags.includes(flag);
  for (const attempt of callsFor(fields)) {
    let before = tcb;
    // A close with unread data is what sends a RST on close: try it as an application that did not read.
    if (attempt.call === 'close' && has('RST')) before = { ...tcb, autoread: false, unread: Math.max(1, tcb.unread) };
    let outcome = step(before, { type: 'app', call: attempt.call, iss: fields.seq, len: attempt.len, defer: attempt.defer }, profile);
    let emits = outcome.emits;
    if (attempt.then && !outcome.error) {
      outcome = step(outcome.tcb, { type: 'app', call: attempt.then }, profile);
      emits = [...emits, ...outcome.emits];
    }
    if (outcome.error) continue;
    const index = emits.findIndex((emitted) => sameSegment(emitted, fields));
    if (index < 0) continue;
    model.tcb[x] = outcome.tcb;
    if (fields.ack !== null) dropCoveredAcks(model, x, fields.ack);
    model.owed[x] = [
      ...model.owed[x],
      ...emits.filter((_, i) => i !== index).map((segment) => ({ segment, rule: outcome.rule, why: JUDGE_TEXTS.afterCall(x, attempt.call, tcb.state) })),
    ];
    model.lastArrival[x] = null;
    const callName = attempt.then ? `${attempt.call}(${attempt.len}) + ${attempt.then}` : attempt.len ? `${attempt.call}(${attempt.len})` : attempt.call;
    return { rule: outcome.rule, why: JUDGE_TEXTS.afterCall(x, callName, tcb.state), call: callName };
  }
  return null;
}

export type { Endpoint };
