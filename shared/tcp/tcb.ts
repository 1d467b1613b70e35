// Building control blocks: a fresh CLOSED end, or one described by a scenario file's `initial` block.

import { seqAdd, seqDiff, seqLt } from './seq.ts';
import { makeSegment } from './segment.ts';
import type { SegmentFields, Tcb, TcpState } from './types.ts';

export const DEFAULT_RCV_WND = 1000;

export function closedTcb(options: { rcvWnd?: number; listener?: boolean; autoread?: boolean } = {}): Tcb {
  return {
    state: 'CLOSED',
    iss: 0,
    irs: 0,
    sndUna: 0,
    sndNxt: 0,
    rcvNxt: 0,
    rcvWnd: options.rcvWnd ?? DEFAULT_RCV_WND,
    sndWnd: DEFAULT_RCV_WND,
    passive: false,
    listener: options.listener ?? false,
    autoread: options.autoread ?? true,
    unread: 0,
    queuedData: 0,
    closeQueued: false,
    retransmitQueue: [],
    held: [],
    finSeq: null,
    finReceived: false,
  };
}

/** An end that has been deleted (RFC: "delete the TCB, enter CLOSED"): only the socket-level facts survive. */
export function deletedTcb(from: Tcb): Tcb {
  return closedTcb({ rcvWnd: from.rcvWnd, listener: from.listener, autoread: from.autoread });
}

/** An end back in LISTEN after a passive embryonic connection was reset or timed out. */
export function listeningTcb(from: Tcb): Tcb {
  return { ...deletedTcb(from), state: 'LISTEN' };
}

/** The `initial` block of a scenario, as written in the files (snake_case). */
export interface InitialTcb {
  state: TcpState;
  iss?: number;
  irs?: number;
  snd_una?: number;
  snd_nxt?: number;
  rcv_nxt?: number;
  rcv_wnd?: number;
  passive?: boolean;
  listener?: boolean;
  autoread?: boolean;
}

const OUR_FIN_SENT: readonly TcpState[] = ['FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'];
const THEIR_FIN_RECEIVED: readonly TcpState[] = ['CLOSE-WAIT', 'CLOSING', 'LAST-ACK', 'TIME-WAIT'];

/**
 * A control block from a scenario's description. What the description leaves implicit is derived from the
 * state: where our FIN was sent it occupies SND.NXT - 1, and whatever lies between SND.UNA and SND.NXT is
 * what the retransmission queue holds.
 */
export function tcbFromInitial(initial: InitialTcb): Tcb {
  const base = closedTcb({ rcvWnd: initial.rcv_wnd, listener: initial.listener, autoread: initial.autoread });
  const state = initial.state;
  if (state === 'CLOSED' || state === 'LISTEN') return { ...base, state };
  const iss = initial.iss ?? 0;
  const sndNxt = initial.snd_nxt ?? seqAdd(iss, 1);
  const sndUna = initial.snd_una ?? (state === 'SYN-SENT' || state === 'SYN-RECEIVED' ? iss : sndNxt);
  const irs = initial.irs ?? 0;
  const rcvNxt = initial.rcv_nxt ?? (state === 'SYN-SENT' ? 0 : seqAdd(irs, 1));
  const finSeq = OUR_FIN_SENT.includes(state) ? seqAdd(sndNxt, -1) : null;
  const tcb: Tcb = {
    ...base,
    state,
    iss,
    irs,
    sndUna,
    sndNxt,
    rcvNxt,
    passive: initial.passive ?? false,
    finSeq,
    finReceived: THEIR_FIN_RECEIVED.includes(state),
  };
  tcb.retransmitQueue = reconstructQueue(tcb);
  return tcb;
}

function reconstructQueue(tcb: Tcb): SegmentFields[] {
  if (!seqLt(tcb.sndUna, tcb.sndNxt)) return [];
  if (tcb.state === 'SYN-SENT') return [makeSegment(['SYN'], tcb.iss, null)];
  if (tcb.state === 'SYN-RECEIVED') return [makeSegment(['SYN', 'ACK'], tcb.iss, tcb.rcvNxt)];
  const finUnacked = tcb.finSeq !== null && seqLt(tcb.finSeq, tcb.sndNxt) && !seqLt(tcb.finSeq, tcb.sndUna);
  const dataEnd = finUnacked ? (tcb.finSeq as number) : tcb.sndNxt;
  const len = seqDiff(dataEnd, tcb.sndUna);
  return [makeSegment(finUnacked ? ['ACK', 'FIN'] : ['ACK'], tcb.sndUna, tcb.rcvNxt, len)];
}
