// The vocabulary of the TCP rules engine. Pure data: every value here is plain, serialisable JSON,
// so a game can be stored, sent over a socket and replayed from its event log.

/** The eleven connection states of RFC 9293 §3.3.2, spelled as the RFC spells them. */
export const TCP_STATES = [
  'CLOSED',
  'LISTEN',
  'SYN-SENT',
  'SYN-RECEIVED',
  'ESTABLISHED',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'CLOSE-WAIT',
  'CLOSING',
  'LAST-ACK',
  'TIME-WAIT',
] as const;
export type TcpState = (typeof TCP_STATES)[number];

/** Control bits, in the order of the header (RFC 9293 §3.1). */
export const FLAGS = ['URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;
export type Flag = (typeof FLAGS)[number];

/** The two ends of the connection: A is the client (pilot), B the server (control tower). */
export type EndId = 'A' | 'B';
export const END_IDS: readonly EndId[] = ['A', 'B'];
export function otherEnd(end: EndId): EndId {
  return end === 'A' ? 'B' : 'A';
}

/** What a segment says, without where it is going. `ack` is null exactly when ACK is not set. */
export interface SegmentFields {
  flags: Flag[];
  seq: number;
  ack: number | null;
  /** payload bytes (the SYN and FIN flags occupy sequence space on top of this) */
  len: number;
}

/** A segment on the wire, named by the id rule of the scenario format (a1, a2… b1… x1…). */
export interface Segment extends SegmentFields {
  id: string;
  from: EndId;
  to: EndId;
}

/** A user call of RFC 9293 §3.10.1–3.10.5. */
export type AppCall = 'listen' | 'connect' | 'send' | 'close' | 'abort';
export type TimerKind = 'rto' | '2msl' | 'user_timeout';

/**
 * The transmission control block of one end (RFC 9293 §3.3.1), reduced to what connection management needs.
 * In CLOSED and LISTEN the sequence variables are meaningless and kept at 0.
 */
export interface Tcb {
  state: TcpState;
  iss: number;
  irs: number;
  sndUna: number;
  sndNxt: number;
  rcvNxt: number;
  rcvWnd: number;
  /** the peer's advertised window, as far as this end knows it */
  sndWnd: number;
  /** reached SYN-RECEIVED through LISTEN (a passive OPEN): a RST there returns it to LISTEN */
  passive: boolean;
  /** a listening socket exists on the port: a SYN at CLOSED is answered by a new connection, not a RST */
  listener: boolean;
  /** false = the application never reads, so data stays unread (close then sends RST, RFC 9293 §3.10.4 / RFC 2525) */
  autoread: boolean;
  /** bytes received but not yet read by the application */
  unread: number;
  /** bytes the application queued with send(defer) or before ESTABLISHED, not yet segmentized */
  queuedData: number;
  /** the application called close while data or the handshake was still pending: send FIN when they are done */
  closeQueued: boolean;
  /** segments sent and not yet fully acknowledged, oldest first (RFC 9293 §3.7 retransmission queue) */
  retransmitQueue: SegmentFields[];
  /** segments that arrived beyond RCV.NXT, held for later processing (SHLD-31) */
  held: SegmentFields[];
  /** our FIN has been sent: its sequence number (so we can tell when it is acknowledged), else null */
  finSeq: number | null;
  /** the peer's FIN has been received */
  finReceived: boolean;
}

/**
 * Which of the conformant behaviours the reference TCP picks where RFC 9293 leaves a choice: `rfc` is the
 * "primary" column of test/scenarios/SCHEMA.md; `linux` follows Linux where it picks another conformant
 * behaviour (each place is named in reference.ts and checked against captures in test/captures/).
 */
export type TcpProfile = 'rfc' | 'linux';
export const TCP_PROFILES: readonly TcpProfile[] = ['rfc', 'linux'];

/** The receiver's reaction to an event, in the categories of the scenario format. */
export type Reaction =
  | 'accept'
  | 'drop'
  | 'ack'
  | 'challenge_ack'
  | 'rst'
  | 'hold'
  | 'retransmit'
  | 'error'
  | 'abort';

/** What happens to one end. */
export type EndpointEvent =
  | { type: 'app'; call: AppCall; iss?: number; len?: number; defer?: boolean }
  | { type: 'segment'; segment: SegmentFields; iss?: number; ackPolicy?: 'immediate' | 'delay' }
  | { type: 'timer'; timer: TimerKind };

/** The outcome of one event at one end: the reference TCP's whole answer. */
export interface StepOutcome {
  tcb: Tcb;
  emits: SegmentFields[];
  reaction: Reaction;
  /** an unsolicited signal to the user, e.g. "connection reset", "connection closing" */
  signal?: UserSignal;
  /** the error returned to a user call, e.g. "connection closing" (RFC 9293 §3.10.2) */
  error?: UserError;
  /** which RFC rule decided this, e.g. "RFC 9293 §3.10.7.3" — used in explanations */
  rule: string;
}

export type UserSignal =
  | 'connection reset'
  | 'connection refused'
  | 'connection closing'
  | 'connection aborted due to user timeout';

export type UserError =
  | 'connection does not exist'
  | 'connection already exists'
  | 'connection closing'
  | 'connection reset'
  | 'closing';
