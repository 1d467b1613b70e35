// The reference TCP: what a correct end does on each event, following RFC 9293 §3.10 in its order, with the
// RFC 5961 checks that RFC 9293 recommends. Where the RFC text, its figures and deployed stacks differ, it
// follows the "primary" column of the scenario format (test/scenarios/SCHEMA.md): each such place names it.
//
// `step` is a pure function: it never mutates its input and never throws on any segment or call.

import { seqAdd, seqDiff, seqGt, seqInRange, seqLe, seqLt } from './seq.ts';
import { hasFlag, makeSegment, sequenceSpace } from './segment.ts';
import { deletedTcb, listeningTcb } from './tcb.ts';
import type {
  AppCall,
  EndpointEvent,
  Reaction,
  SegmentFields,
  StepOutcome,
  Tcb,
  TcpState,
  TcpProfile,
  TimerKind,
  UserError,
  UserSignal,
} from './types.ts';

/** The states in which both sequence spaces are known (RFC 9293 §3.5: "synchronized"). */
export const SYNCHRONIZED_STATES: readonly TcpState[] = [
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
];

export function isSynchronized(state: TcpState): boolean {
  return SYNCHRONIZED_STATES.includes(state);
}

/** Apply one event to one end; `profile` picks between conformant behaviours (rfc = the scenario corpus's primary). */
export function step(tcb: Tcb, event: EndpointEvent, profile: TcpProfile = 'rfc'): StepOutcome {
  switch (event.type) {
    case 'app':
      return appCall(tcb, event.call, event, profile);
    case 'segment':
      return segmentArrives(tcb, event.segment, event.iss, event.ackPolicy === 'delay', profile);
    case 'timer':
      return timeout(tcb, event.timer);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Helpers that build outcomes

function outcome(
  tcb: Tcb,
  emits: SegmentFields[],
  reaction: Reaction,
  rule: string,
  extra: { signal?: UserSignal; error?: UserError } = {},
): StepOutcome {
  return { tcb, emits, reaction, rule, ...extra };
}

function refuseCall(tcb: Tcb, error: UserError, rule: string): StepOutcome {
  return outcome(tcb, [], 'error', rule, { error });
}

/** <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>: the empty ACK (and the RFC 5961 challenge ACK). */
function emptyAck(tcb: Tcb): SegmentFields {
  return makeSegment(['ACK'], tcb.sndNxt, tcb.rcvNxt);
}

/** Send a segment that occupies sequence space: it advances SND.NXT and waits on the retransmission queue. */
function transmit(tcb: Tcb, segment: SegmentFields): Tcb {
  const space = sequenceSpace(segment);
  return {
    ...tcb,
    sndNxt: seqAdd(segment.seq, space),
    retransmitQueue: space > 0 ? [...tcb.retransmitQueue, segment] : tcb.retransmitQueue,
  };
}

/**
 * Segmentize what the application queued: deferred or early data, and a queued CLOSE. Data and FIN travel
 * in one segment (RFC 9293 §3.10.4: the FIN follows "all preceding SENDs"). Returns the segment, if any.
 */
function flushQueued(tcb: Tcb): { tcb: Tcb; segment: SegmentFields | null } {
  const withFin = tcb.closeQueued && (tcb.state === 'ESTABLISHED' || tcb.state === 'CLOSE-WAIT');
  if (tcb.queuedData === 0 && !withFin) return { tcb, segment: null };
  const segment = makeSegment(withFin ? ['ACK', 'FIN'] : ['ACK'], tcb.sndNxt, tcb.rcvNxt, tcb.queuedData);
  let next = transmit({ ...tcb, queuedData: 0 }, segment);
  if (withFin) {
    next = {
      ...next,
      closeQueued: false,
      finSeq: seqAdd(segment.seq, segment.len),
      state: tcb.state === 'CLOSE-WAIT' ? 'LAST-ACK' : 'FIN-WAIT-1',
    };
  }
  return { tcb: next, segment };
}

/** Remove every segment that SND.UNA now covers entirely. */
function dropAcknowledged(queue: SegmentFields[], sndUna: number): SegmentFields[] {
  return queue.filter((segment) => seqGt(seqAdd(segment.seq, sequenceSpace(segment)), sndUna));
}

function ourFinAcked(tcb: Tcb): boolean {
  return tcb.finSeq !== null && seqGt(tcb.sndUna, tcb.finSeq);
}

// ---------------------------------------------------------------------------------------------------------
// User calls (RFC 9293 §3.10.1–3.10.5)

function appCall(tcb: Tcb, call: AppCall, event: { iss?: number; len?: number; defer?: boolean }, profile: TcpProfile): StepOutcome {
  switch (call) {
    case 'listen':
      return listenCall(tcb);
    case 'connect':
      return connectCall(tcb, event.iss ?? 0);
    case 'send':
      return sendCall(tcb, Math.max(0, Math.floor(event.len ?? 0)), event.defer === true, event.iss ?? 0);
    case 'close':
      return closeCall(tcb, profile);
    case 'abort':
      return abortCall(tcb, profile);
  }
}

function listenCall(tcb: Tcb): StepOutcome {
  if (tcb.state !== 'CLOSED') return refuseCall(tcb, 'connection already exists', 'RFC 9293 §3.10.1');
  return outcome({ ...deletedTcb(tcb), state: 'LISTEN' }, [], 'accept', 'RFC 9293 §3.10.1');
}

/** An active OPEN from CLOSED or LISTEN: <SEQ=ISS><CTL=SYN>, SND.UNA = ISS, SND.NXT = ISS + 1. */
function activeOpen(tcb: Tcb, iss: number, queuedData: number): { tcb: Tcb; syn: SegmentFields } {
  const syn = makeSegment(['SYN'], iss, null);
  const opened: Tcb = {
    ...deletedTcb(tcb),
    state: 'SYN-SENT',
    iss: iss >>> 0,
    sndUna: iss >>> 0,
    passive: false,
    queuedData,
  };
  return { tcb: transmit(opened, syn), syn };
}

function connectCall(tcb: Tcb, iss: number): StepOutcome {
  if (tcb.state !== 'CLOSED' && tcb.state !== 'LISTEN') {
    return refuseCall(tcb, 'connection already exists', 'RFC 9293 §3.10.1');
  }
  const opened = activeOpen(tcb, iss, 0);
  return outcome(opened.tcb, [opened.syn], 'accept', 'RFC 9293 §3.10.1');
}

function sendCall(tcb: Tcb, len: number, defer: boolean, iss: number): StepOutcome {
  const rule = 'RFC 9293 §3.10.2';
  switch (tcb.state) {
    case 'CLOSED':
      return refuseCall(tcb, 'connection does not exist', rule);
    case 'LISTEN': {
      // "change the connection from passive to active, select an ISS, send a SYN"; the data waits.
      const opened = activeOpen(tcb, iss, len);
      return outcome(opened.tcb, [opened.syn], 'accept', rule);
    }
    case 'SYN-SENT':
    case 'SYN-RECEIVED':
      return outcome({ ...tcb, queuedData: tcb.queuedData + len }, [], 'hold', rule);
    case 'ESTABLISHED':
    case 'CLOSE-WAIT': {
      const queued = { ...tcb, queuedData: tcb.queuedData + len };
      if (defer) return outcome(queued, [], 'hold', rule);
      const flushed = flushQueued(queued);
      return outcome(flushed.tcb, flushed.segment ? [flushed.segment] : [], 'accept', rule);
    }
    default:
      return refuseCall(tcb, 'connection closing', rule);
  }
}

/**
 * The reset an end sends when its user aborts (or closes with unread data): <SEQ=SND.NXT><CTL=RST> in the
 * RFC's words. Linux (tcp_send_active_reset) also sets ACK with RCV.NXT, which RFC 9293 permits; the
 * captures test/captures/abort.pcap and close-unread-data.pcap show it.
 */
function resetOnAbort(tcb: Tcb, profile: TcpProfile): SegmentFields {
  return profile === 'linux' ? makeSegment(['ACK', 'RST'], tcb.sndNxt, tcb.rcvNxt) : makeSegment(['RST'], tcb.sndNxt, null);
}

function closeCall(tcb: Tcb, profile: TcpProfile): StepOutcome {
  const rule = 'RFC 9293 §3.10.4';
  switch (tcb.state) {
    case 'CLOSED':
      return refuseCall(tcb, 'connection does not exist', rule);
    case 'LISTEN':
    case 'SYN-SENT':
      return outcome(deletedTcb(tcb), [], 'accept', rule);
    case 'SYN-RECEIVED': {
      if (tcb.queuedData > 0) return outcome({ ...tcb, closeQueued: true }, [], 'hold', rule);
      const fin = makeSegment(['ACK', 'FIN'], tcb.sndNxt, tcb.rcvNxt);
      const next = transmit({ ...tcb, state: 'FIN-WAIT-1', finSeq: tcb.sndNxt }, fin);
      return outcome(next, [fin], 'accept', rule);
    }
    case 'ESTABLISHED':
    case 'CLOSE-WAIT': {
      if (tcb.unread > 0) {
        // Closing while received data is still unread loses it: the peer must learn that by a RST
        // (RFC 9293 §3.6 via RFC 2525 §2.17; the scenario corpus's primary form has no ACK bit).
        return outcome(deletedTcb(tcb), [resetOnAbort(tcb, profile)], 'abort', 'RFC 9293 §3.6, RFC 2525 §2.17');
      }
      const flushed = flushQueued({ ...tcb, closeQueued: true });
      return outcome(flushed.tcb, flushed.segment ? [flushed.segment] : [], 'accept', rule);
    }
    default:
      // FIN-WAIT-1/2: "strictly speaking, this is an error"; CLOSING, LAST-ACK, TIME-WAIT: an error.
      return refuseCall(tcb, 'connection closing', rule);
  }
}

function abortCall(tcb: Tcb, profile: TcpProfile): StepOutcome {
  const rule = 'RFC 9293 §3.10.5';
  switch (tcb.state) {
    case 'CLOSED':
      return refuseCall(tcb, 'connection does not exist', rule);
    case 'LISTEN':
    case 'SYN-SENT':
    case 'CLOSING':
    case 'LAST-ACK':
    case 'TIME-WAIT':
      return outcome(deletedTcb(tcb), [], 'abort', rule);
    default:
      return outcome(deletedTcb(tcb), [resetOnAbort(tcb, profile)], 'abort', rule);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Timeouts (RFC 9293 §3.10.8)

function timeout(tcb: Tcb, timer: TimerKind): StepOutcome {
  const rule = 'RFC 9293 §3.10.8';
  switch (timer) {
    case 'rto': {
      const oldest = tcb.retransmitQueue[0];
      if (!oldest || tcb.state === 'CLOSED' || tcb.state === 'LISTEN') return outcome(tcb, [], 'drop', rule);
      // The oldest unacknowledged segment again: same sequence number, current acknowledgment.
      const again = makeSegment(oldest.flags, oldest.seq, hasFlag(oldest, 'ACK') ? tcb.rcvNxt : null, oldest.len);
      return outcome(tcb, [again], 'retransmit', 'RFC 9293 §3.10.8, RFC 6298');
    }
    case '2msl':
      if (tcb.state !== 'TIME-WAIT') return outcome(tcb, [], 'drop', rule);
      return outcome(deletedTcb(tcb), [], 'accept', rule);
    case 'user_timeout':
      if (tcb.state === 'CLOSED' || tcb.state === 'LISTEN') return outcome(tcb, [], 'drop', rule);
      if (tcb.state === 'SYN-RECEIVED' && tcb.passive) {
        // An embryonic passive connection is given up and the listener stays (as a listen queue does).
        return outcome(listeningTcb(tcb), [], 'abort', rule);
      }
      return outcome(deletedTcb(tcb), [], 'abort', rule, { signal: 'connection aborted due to user timeout' });
  }
}

// ---------------------------------------------------------------------------------------------------------
// SEGMENT ARRIVES (RFC 9293 §3.10.7)

function segmentArrives(tcb: Tcb, segment: SegmentFields, iss: number | undefined, delayAck: boolean, profile: TcpProfile): StepOutcome {
  if (tcb.state === 'CLOSED' && !tcb.listener) return arrivesClosed(tcb, segment);
  if (tcb.state === 'CLOSED' || tcb.state === 'LISTEN') return arrivesListen(tcb, segment, iss ?? 0);
  if (tcb.state === 'SYN-SENT') return arrivesSynSent(tcb, segment, delayAck);
  if (profile === 'linux' && synReopensTimeWait(tcb, segment)) {
    // Linux (tcp_timewait_state_process, TCP_TW_SYN): a SYN above the old connection's sequence space ends
    // TIME-WAIT and goes to the listener, as RFC 9293 §3.10.7.4 allows (MAY-2, RFC 6191). Capture:
    // test/captures/syn-in-time-wait.pcap.
    const fresh = arrivesListen({ ...deletedTcb(tcb), state: 'LISTEN' }, segment, iss ?? 0);
    return { ...fresh, rule: 'RFC 9293 §3.10.7.4 (MAY-2), RFC 6191; Linux tcp_timewait_state_process' };
  }
  return arrivesOther(tcb, segment, delayAck, profile);
}

/** A SYN without ACK, above RCV.NXT, at a TIME-WAIT end whose port still has a listener. */
function synReopensTimeWait(tcb: Tcb, segment: SegmentFields): boolean {
  return (
    tcb.state === 'TIME-WAIT' &&
    tcb.listener &&
    hasFlag(segment, 'SYN') &&
    !hasFlag(segment, 'ACK') &&
    !hasFlag(segment, 'RST') &&
    seqGt(segment.seq, tcb.rcvNxt)
  );
}

/** §3.10.7.1: no TCB. Everything but a RST is answered by a RST the sender will find acceptable. */
function arrivesClosed(tcb: Tcb, segment: SegmentFields): StepOutcome {
  const rule = 'RFC 9293 §3.10.7.1';
  if (hasFlag(segment, 'RST')) return outcome(tcb, [], 'drop', rule);
  if (segment.ack === null || !hasFlag(segment, 'ACK')) {
    const rst = makeSegment(['RST', 'ACK'], 0, seqAdd(segment.seq, sequenceSpace(segment)));
    return outcome(tcb, [rst], 'rst', rule);
  }
  return outcome(tcb, [makeSegment(['RST'], segment.ack, null)], 'rst', rule);
}

/** §3.10.7.2: LISTEN (or a listening socket on the port of a CLOSED end). */
function arrivesListen(tcb: Tcb, segment: SegmentFields, iss: number): StepOutcome {
  const rule = 'RFC 9293 §3.10.7.2';
  if (hasFlag(segment, 'RST')) return outcome(tcb, [], 'drop', rule);
  if (hasFlag(segment, 'ACK')) {
    return outcome(tcb, [makeSegment(['RST'], segment.ack ?? 0, null)], 'rst', rule);
  }
  if (!hasFlag(segment, 'SYN')) return outcome(tcb, [], 'drop', rule);
  const synAck = makeSegment(['SYN', 'ACK'], iss, seqAdd(segment.seq, 1));
  let next: Tcb = {
    ...deletedTcb(tcb),
    state: 'SYN-RECEIVED',
    iss: iss >>> 0,
    irs: segment.seq,
    sndUna: iss >>> 0,
    rcvNxt: seqAdd(segment.seq, 1),
    passive: true,
  };
  next = transmit(next, synAck);
  // "Any other control or text should be queued for processing later": what follows the SYN is held and
  // processed once the connection is established.
  const rest = afterSyn(segment);
  if (rest) next = { ...next, held: [rest] };
  return outcome(next, [synAck], 'accept', rule);
}

/** The part of a SYN segment that follows the SYN itself (its data and FIN), or null if there is none. */
function afterSyn(segment: SegmentFields): SegmentFields | null {
  if (segment.len === 0 && !hasFlag(segment, 'FIN')) return null;
  const flags = segment.flags.filter((flag) => flag === 'FIN' || flag === 'ACK' || flag === 'PSH');
  return makeSegment(flags, seqAdd(segment.seq, 1), segment.ack, segment.len);
}

/** §3.10.7.3: SYN-SENT. */
function arrivesSynSent(tcb: Tcb, segment: SegmentFields, delayAck: boolean): StepOutcome {
  const rule = 'RFC 9293 §3.10.7.3';
  const rst = hasFlag(segment, 'RST');
  const ackBit = hasFlag(segment, 'ACK') && segment.ack !== null;
  // First, check the ACK bit.
  if (ackBit) {
    const ack = segment.ack as number;
    if (seqLe(ack, tcb.iss) || seqGt(ack, tcb.sndNxt)) {
      if (rst) return outcome(tcb, [], 'drop', rule);
      return outcome(tcb, [makeSegment(['RST'], ack, null)], 'rst', rule);
    }
  }
  const ackAcceptable = ackBit && seqLt(tcb.sndUna, segment.ack as number) && seqLe(segment.ack as number, tcb.sndNxt);
  // Second, check the RST bit.
  if (rst) {
    if (ackAcceptable) return outcome(deletedTcb(tcb), [], 'accept', rule, { signal: 'connection reset' });
    return outcome(tcb, [], 'drop', rule);
  }
  // Fourth, check the SYN bit.
  if (!hasFlag(segment, 'SYN')) return outcome(tcb, [], 'drop', rule);
  let next: Tcb = { ...tcb, irs: segment.seq, rcvNxt: seqAdd(segment.seq, 1) };
  if (ackAcceptable) {
    const sndUna = segment.ack as number;
    next = { ...next, sndUna, retransmitQueue: dropAcknowledged(next.retransmitQueue, sndUna) };
  }
  if (seqGt(next.sndUna, next.iss)) {
    // Our SYN is acknowledged: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.
    next = { ...next, state: 'ESTABLISHED' };
    const rest = afterSyn(segment);
    const emits: SegmentFields[] = [];
    let signal: UserSignal | undefined;
    if (rest) {
      // Text or FIN on the SYN-ACK: continue at the sixth step; one ACK covers SYN and text.
      const processed = processTextAndFin(next, rest);
      next = processed.tcb;
      signal = processed.signal;
    }
    emits.push(emptyAck(next));
    const flushed = flushQueued(next);
    if (flushed.segment) emits.push(flushed.segment);
    return outcome(flushed.tcb, delayAck && !flushed.segment ? [] : emits, 'accept', rule, signal ? { signal } : {});
  }
  // Simultaneous open: SYN-RECEIVED, and <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
  const synAck = makeSegment(['SYN', 'ACK'], next.iss, next.rcvNxt);
  next = {
    ...next,
    state: 'SYN-RECEIVED',
    // Our SYN is now repeated as a SYN,ACK: that is what a retransmission must resend.
    retransmitQueue: [synAck, ...next.retransmitQueue.filter((queued) => !hasFlag(queued, 'SYN'))],
  };
  const rest = afterSyn(segment);
  if (rest) next = { ...next, held: [...next.held, rest] };
  return outcome(next, [synAck], 'accept', rule);
}

/** Table 6 of RFC 9293 §3.10.7.4: is any part of the segment inside the receive window? */
function acceptable(tcb: Tcb, seq: number, segLen: number): boolean {
  const windowEnd = seqAdd(tcb.rcvNxt, tcb.rcvWnd);
  if (segLen === 0) {
    if (tcb.rcvWnd === 0) return seq === tcb.rcvNxt;
    return seqInRange(tcb.rcvNxt, seq, windowEnd);
  }
  if (tcb.rcvWnd === 0) return false;
  const last = seqAdd(seq, segLen - 1);
  return seqInRange(tcb.rcvNxt, seq, windowEnd) || seqInRange(tcb.rcvNxt, last, windowEnd);
}

/** Cut off what lies before RCV.NXT (already received): only the new part is processed. */
function trimFront(tcb: Tcb, segment: SegmentFields): SegmentFields {
  let excess = seqDiff(tcb.rcvNxt, segment.seq);
  if (excess === 0 || excess >= 0x8000_0000) return segment;
  let flags = segment.flags;
  let seq = segment.seq;
  let len = segment.len;
  if (hasFlag(segment, 'SYN')) {
    flags = flags.filter((flag) => flag !== 'SYN');
    seq = seqAdd(seq, 1);
    excess -= 1;
  }
  const cut = Math.min(excess, len);
  len -= cut;
  seq = seqAdd(seq, cut);
  return makeSegment(flags, seq, segment.ack, len);
}

/** §3.10.7.4: SYN-RECEIVED and the synchronized states. */
function arrivesOther(tcb: Tcb, segment: SegmentFields, delayAck: boolean, profile: TcpProfile): StepOutcome {
  const rule = 'RFC 9293 §3.10.7.4';
  const rst = hasFlag(segment, 'RST');
  const syn = hasFlag(segment, 'SYN');
  const ackBit = hasFlag(segment, 'ACK') && segment.ack !== null;

  // First, check the sequence number.
  if (!acceptable(tcb, segment.seq, sequenceSpace(segment))) {
    if (rst) return outcome(tcb, [], 'drop', rule);
    if (tcb.state === 'SYN-RECEIVED' && syn && segment.seq === tcb.irs) {
      if (ackBit && seqLt(tcb.sndUna, segment.ack as number) && seqLe(segment.ack as number, tcb.sndNxt)) {
        // Simultaneous open, the crossing SYN,ACK: its SYN repeats what we have, its ACK covers our SYN.
        // Primary (Figure 7; Linux since 2024): accept it and enter ESTABLISHED, sending nothing.
        const sndUna = segment.ack as number;
        const established: Tcb = {
          ...tcb,
          state: 'ESTABLISHED',
          sndUna,
          retransmitQueue: dropAcknowledged(tcb.retransmitQueue, sndUna),
        };
        if (profile === 'linux') {
          // Linux since 2024 (c1668292689a, "tcp: process the 3rd ACK with sk_socket for TFO/MPTCP") always
          // acknowledges on the way from SYN-RECEIVED to ESTABLISHED: the crossing SYN,ACK gets a (duplicate) ACK.
          return finishEstablished(established, [emptyAck(established)], 'accept', 'RFC 9293 §3.5 Figure 7; Linux tcp_rcv_state_process', true);
        }
        return finishEstablished(established, [], 'accept', 'RFC 9293 §3.5 Figure 7', true);
      }
      if (!ackBit) {
        // A pure duplicate of the SYN we answered: primary (Linux tcp_check_req, RFC 793 figures) sends
        // our SYN,ACK again.
        const synAck = makeSegment(['SYN', 'ACK'], tcb.iss, tcb.rcvNxt);
        return outcome(tcb, [synAck], 'retransmit', 'RFC 9293 §3.5 Figure 8, §3.10.7.4');
      }
    }
    // Not acceptable: <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, then drop. In TIME-WAIT this is how a
    // retransmitted FIN is acknowledged again (the 2 MSL wait restarts).
    // With a zero receive window nothing is acceptable, "but special allowance should be made to accept
    // valid ACKs": the ACK field is still processed, so our sent data is not retransmitted in vain.
    const updated = tcb.rcvWnd === 0 && !syn && ackBit ? acceptAckOnly(tcb, segment.ack as number) : tcb;
    if (updated.state === 'CLOSED') return outcome(updated, [], 'accept', rule);
    return outcome(updated, [emptyAck(updated)], 'ack', rule);
  }

  // Segments that begin beyond RCV.NXT are held for later processing (SHLD-31). A RST or SYN is judged at
  // once (RFC 5961), since the checks below do not depend on its position in the window.
  const trimmed = trimFront(tcb, segment);
  if (!rst && !syn && seqGt(trimmed.seq, tcb.rcvNxt)) {
    const held = tcb.held.some((h) => h.seq === trimmed.seq && h.len === trimmed.len) ? tcb.held : [...tcb.held, trimmed];
    if (profile === 'linux' && ackBit) {
      // Linux (tcp_rcv_established → tcp_ack, then tcp_data_queue_ofo): the ACK field counts at once and
      // the out-of-order segment is answered by an immediate (duplicate) ACK (RFC 5681 §4.2).
      const ack = segment.ack as number;
      // In SYN-RECEIVED an acceptable ACK completes the handshake first (tcp_check_req makes the child socket).
      const opened =
        tcb.state === 'SYN-RECEIVED' && seqLt(tcb.sndUna, ack) && seqLe(ack, tcb.sndNxt)
          ? { ...tcb, state: 'ESTABLISHED' as const, sndUna: ack, retransmitQueue: dropAcknowledged(tcb.retransmitQueue, ack) }
          : tcb;
      const acked = acceptAckOnly({ ...opened, held }, ack);
      if (acked.state === 'CLOSED') return outcome(acked, [], 'accept', 'RFC 9293 §3.10.7.4; Linux tcp_ack');
      // Only data or a FIN goes to the out-of-order queue and is answered; an empty ACK is not (packetdrill
      // tcp_disorder_fin_in_FIN_WAIT expects nothing after it).
      if (sequenceSpace(segment) === 0) return outcome(acked, [], 'hold', 'RFC 9293 §3.10.7.4 (SHLD-31); Linux tcp_ack');
      return outcome(acked, [emptyAck(acked)], 'hold', 'RFC 9293 §3.10.7.4 (SHLD-31), RFC 5681 §4.2; Linux tcp_data_queue_ofo');
    }
    return outcome({ ...tcb, held }, [], 'hold', 'RFC 9293 §3.10.7.4 (SHLD-31)');
  }

  // Second, check the RST bit (RFC 5961 §3).
  if (rst) {
    if (segment.seq !== tcb.rcvNxt) {
      return outcome(tcb, [emptyAck(tcb)], 'challenge_ack', 'RFC 9293 §3.10.7.4, RFC 5961 §3');
    }
    return resetArrived(tcb);
  }

  // Fourth, check the SYN bit.
  if (syn) {
    if (tcb.state === 'SYN-RECEIVED' && tcb.passive) {
      return outcome(listeningTcb(tcb), [], 'drop', 'RFC 9293 §3.10.7.4');
    }
    return outcome(tcb, [emptyAck(tcb)], 'challenge_ack', 'RFC 9293 §3.10.7.4, RFC 5961 §4');
  }

  // Fifth, check the ACK field.
  if (!ackBit) return outcome(tcb, [], 'drop', rule);
  return processAck(tcb, trimmed, delayAck, profile);
}

/** Only the ACK field of a segment (zero receive window): advance SND.UNA and the closing states it moves. */
function acceptAckOnly(tcb: Tcb, ack: number): Tcb {
  if (tcb.state === 'SYN-RECEIVED' || !(seqLt(tcb.sndUna, ack) && seqLe(ack, tcb.sndNxt))) return tcb;
  const next: Tcb = { ...tcb, sndUna: ack, retransmitQueue: dropAcknowledged(tcb.retransmitQueue, ack) };
  if (!ourFinAcked(next)) return next;
  if (next.state === 'FIN-WAIT-1') return { ...next, state: 'FIN-WAIT-2' };
  if (next.state === 'CLOSING') return { ...next, state: 'TIME-WAIT' };
  if (next.state === 'LAST-ACK') return deletedTcb(next);
  return next;
}

/** A RST whose sequence number is exactly RCV.NXT. */
function resetArrived(tcb: Tcb): StepOutcome {
  const rule = 'RFC 9293 §3.10.7.4';
  switch (tcb.state) {
    case 'SYN-RECEIVED':
      if (tcb.passive) return outcome(listeningTcb(tcb), [], 'accept', rule);
      return outcome(deletedTcb(tcb), [], 'accept', rule, { signal: 'connection refused' });
    case 'ESTABLISHED':
    case 'FIN-WAIT-1':
    case 'FIN-WAIT-2':
    case 'CLOSE-WAIT':
      return outcome(deletedTcb(tcb), [], 'accept', rule, { signal: 'connection reset' });
    default:
      // CLOSING, LAST-ACK, TIME-WAIT: enter CLOSED (primary; RFC 1337 would ignore it in TIME-WAIT).
      return outcome(deletedTcb(tcb), [], 'accept', rule);
  }
}

function processAck(tcb: Tcb, segment: SegmentFields, delayAck: boolean, profile: TcpProfile): StepOutcome {
  const rule = 'RFC 9293 §3.10.7.4';
  const ack = segment.ack as number;
  let next = tcb;

  if (tcb.state === 'SYN-RECEIVED') {
    if (!(seqLt(tcb.sndUna, ack) && seqLe(ack, tcb.sndNxt))) {
      return outcome(tcb, [makeSegment(['RST'], ack, null)], 'rst', rule);
    }
    next = { ...tcb, state: 'ESTABLISHED', sndUna: ack, retransmitQueue: dropAcknowledged(tcb.retransmitQueue, ack) };
  } else {
    // RFC 5961 §5: acceptable only if SND.UNA - MAX.SND.WND =< SEG.ACK =< SND.NXT; otherwise an ACK and drop.
    // (An ACK beyond SND.NXT is "something not yet sent": the same empty ACK, RFC 9293 §3.10.7.4.)
    const oldest = seqAdd(tcb.sndUna, -tcb.sndWnd);
    // Linux (tcp_ack: "ack of something not yet sent") drops such a segment without a word.
    if (profile === 'linux' && seqGt(ack, tcb.sndNxt)) return outcome(tcb, [], 'drop', 'RFC 9293 §3.10.7.4; Linux tcp_ack');
    if (seqGt(ack, tcb.sndNxt) || seqLt(ack, oldest)) {
      return outcome(tcb, [emptyAck(tcb)], 'ack', seqGt(ack, tcb.sndNxt) ? rule : 'RFC 9293 §3.10.7.4, RFC 5961 §5');
    }
    if (seqLt(tcb.sndUna, ack)) {
      next = { ...tcb, sndUna: ack, retransmitQueue: dropAcknowledged(tcb.retransmitQueue, ack) };
    }
    switch (next.state) {
      case 'FIN-WAIT-1':
        if (ourFinAcked(next)) next = { ...next, state: 'FIN-WAIT-2' };
        break;
      case 'CLOSING':
        if (!ourFinAcked(next)) return outcome(next, [], 'drop', rule);
        next = { ...next, state: 'TIME-WAIT' };
        break;
      case 'LAST-ACK':
        if (ourFinAcked(next)) return outcome(deletedTcb(next), [], 'accept', rule);
        return outcome(next, [], 'drop', rule);
      case 'TIME-WAIT':
        // "The only thing that can arrive in this state is a retransmission of the remote FIN.
        // Acknowledge it": anything else that occupies sequence space is acknowledged too, and ignored.
        if (sequenceSpace(segment) > 0 && !hasFlag(segment, 'FIN')) return outcome(next, [emptyAck(next)], 'ack', rule);
        break;
      default:
        break;
    }
  }

  // Sixth (URG: ignored), seventh (text) and eighth (FIN), then what was held can follow.
  const processed = processTextAndFin(next, segment);
  next = processed.tcb;
  let signal = processed.signal;
  let needsAck = processed.needsAck;
  const drained = drainHeld(next);
  next = drained.tcb;
  needsAck = needsAck || drained.needsAck;
  signal = signal ?? drained.signal;
  const emits = needsAck && !delayAck ? [emptyAck(next)] : [];
  return finishEstablished(next, emits, 'accept', rule, tcb.state === 'SYN-RECEIVED', signal);
}

/** Once ESTABLISHED is reached, what was queued meanwhile (data, a CLOSE, held segments) goes on. */
function finishEstablished(
  tcb: Tcb,
  emits: SegmentFields[],
  reaction: Reaction,
  rule: string,
  justEstablished: boolean,
  signal?: UserSignal,
): StepOutcome {
  let next = tcb;
  let out = emits;
  if (justEstablished && (tcb.state === 'ESTABLISHED' || tcb.state === 'CLOSE-WAIT')) {
    const drained = drainHeld(next);
    next = drained.tcb;
    signal = signal ?? drained.signal;
    if (drained.needsAck && out.length === 0) out = [emptyAck(next)];
    const flushed = flushQueued(next);
    if (flushed.segment) {
      next = flushed.tcb;
      // The data segment carries the current acknowledgment, so a separate empty ACK is not needed.
      out = [...out.filter((segment) => !(segment.len === 0 && segment.flags.length === 1)), flushed.segment];
    }
  }
  return outcome(next, out, reaction, rule, signal ? { signal } : {});
}

/** Steps seven and eight for a segment that begins at RCV.NXT. */
function processTextAndFin(tcb: Tcb, segment: SegmentFields): { tcb: Tcb; needsAck: boolean; signal?: UserSignal } {
  let next = tcb;
  let needsAck = false;
  let signal: UserSignal | undefined;
  if (segment.seq !== next.rcvNxt) return { tcb: next, needsAck };
  const acceptsText = next.state === 'ESTABLISHED' || next.state === 'FIN-WAIT-1' || next.state === 'FIN-WAIT-2';
  if (segment.len > 0 && acceptsText) {
    const len = Math.min(segment.len, next.rcvWnd);
    next = { ...next, rcvNxt: seqAdd(next.rcvNxt, len), unread: next.autoread ? 0 : next.unread + len };
    needsAck = true;
    if (len < segment.len) return { tcb: next, needsAck };
  } else if (segment.len > 0 && !next.finReceived) {
    return { tcb: next, needsAck };
  }
  if (hasFlag(segment, 'FIN')) {
    const finAt = seqAdd(segment.seq, segment.len);
    if (next.finReceived && finAt !== next.rcvNxt) return { tcb: next, needsAck: true };
    if (!next.finReceived) next = { ...next, rcvNxt: seqAdd(next.rcvNxt, 1), finReceived: true };
    needsAck = true;
    signal = 'connection closing';
    switch (next.state) {
      case 'SYN-RECEIVED':
      case 'ESTABLISHED':
        next = { ...next, state: 'CLOSE-WAIT' };
        break;
      case 'FIN-WAIT-1':
        next = { ...next, state: ourFinAcked(next) ? 'TIME-WAIT' : 'CLOSING' };
        break;
      case 'FIN-WAIT-2':
        next = { ...next, state: 'TIME-WAIT' };
        break;
      default:
        // CLOSE-WAIT, CLOSING, LAST-ACK remain; TIME-WAIT remains and its 2 MSL wait restarts.
        break;
    }
  }
  return { tcb: next, needsAck, signal };
}

/** Process held segments that now begin at (or before) RCV.NXT, in sequence order (MUST-58/59: one ACK). */
function drainHeld(tcb: Tcb): { tcb: Tcb; needsAck: boolean; signal?: UserSignal } {
  let next = tcb;
  let needsAck = false;
  let signal: UserSignal | undefined;
  for (;;) {
    const ready = next.held.find((held) => seqLe(held.seq, next.rcvNxt));
    if (!ready) break;
    const rest = next.held.filter((held) => held !== ready);
    next = { ...next, held: rest };
    const end = seqAdd(ready.seq, sequenceSpace(ready));
    // Entirely old by now — except an empty segment that starts right at RCV.NXT: its ACK field still counts
    // (the kernel's packetdrill test tcp_disorder_fin_in_FIN_WAIT: an ACK of our FIN overtook the peer's FIN).
    if (!seqGt(end, next.rcvNxt) && !(sequenceSpace(ready) === 0 && ready.seq === next.rcvNxt)) continue;
    const trimmed = trimFront(next, ready);
    // Its ACK field first, in every state (SHLD-31): SND.UNA advances, and an acknowledged FIN moves
    // FIN-WAIT-1 to FIN-WAIT-2, CLOSING to TIME-WAIT, LAST-ACK to CLOSED.
    if (trimmed.ack !== null && hasFlag(trimmed, 'ACK')) {
      next = acceptAckOnly(next, trimmed.ack);
      if (next.state === 'CLOSED') break;
    }
    const processed = processTextAndFin(next, trimmed);
    next = processed.tcb;
    needsAck = needsAck || processed.needsAck;
    signal = signal ?? processed.signal;
  }
  return { tcb: next, needsAck, signal };
}
