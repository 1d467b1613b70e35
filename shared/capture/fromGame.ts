// A game as a pcapng capture: every segment put on the wire becomes an Ethernet/IPv4/TCP frame between two
// fixed documentation addresses, with the payload's real bytes, an MSS option on SYNs, a timestamp that
// follows the game's moves and a comment with both ends' states and the referee's word.
//
// The capture point is a tap on the wire between the two ends: it sees every segment as it is sent. The
// network loses segments after the tap (a lost segment is in the capture, its comment says LOST) and makes
// its copies before it (a copy is a second packet, its comment says DUPLICATE). The game is replayed from its
// options and its log of inputs, so the comments carry what the referee said at each move.

import { fireTimer, newGame, playCard, takeHint, answerQuiz, TIMER_DELAYS_MS } from '../game/game.ts';
import type { GameInput, GameState, Happening, Judgement, LocalizedText, Seat } from '../game/types.ts';
import { COMMENT_TEXTS } from '../i18n/capture.ts';
import { seqDiff } from '../tcp/seq.ts';
import { hasFlag } from '../tcp/segment.ts';
import type { Flag, Segment, TcpState } from '../tcp/types.ts';
import { writePcapng } from './file.ts';
import { buildFrame, MAX_FRAME_PAYLOAD } from './frames.ts';
import { LINKTYPE } from './types.ts';

/** Where the two ends live in an exported game: RFC 5737 documentation addresses, fixed ports. */
export const GAME_ENDPOINTS: Record<Seat, { mac: number[]; ip: number[]; port: number }> = {
  A: { mac: [0x02, 0, 0, 0, 0, 0x0a], ip: [192, 0, 2, 10], port: 49152 },
  B: { mac: [0x02, 0, 0, 0, 0, 0x0b], ip: [198, 51, 100, 20], port: 4096 },
};
export const GAME_MSS = 1460;
/** A person's move takes about this long on the exported timeline; a timer move takes its own delay. */
export const MOVE_GAP_MS = 1000;
/** Between packets of the same move (send, copy, answer…), so their order survives any sort by time. */
export const PACKET_GAP_US = 250;

const FLAG_BITS: Record<Flag, number> = { URG: 32, ACK: 16, PSH: 8, RST: 4, SYN: 2, FIN: 1 };

export type CaptureLanguage = 'en' | 'zh-CN';

export interface ExportOptions {
  language: CaptureLanguage;
  /** when the game began, ms since 1970 (the first move comes one MOVE_GAP_MS later) */
  startMs: number;
}

/** What one packet of the export shows: the segment and why it is there. Tests compare these with tshark. */
export interface ExportedPacket {
  segment: Segment;
  timeUs: number;
  kind: 'sent' | 'duplicate' | 'injected';
  lost: boolean;
  delayed: boolean;
  wrongCard: boolean;
  /** sent before, same id: after an RTO a retransmission, else the same answer again */
  repeatOf: string | null;
  retransmission: boolean;
  comment: string;
}

interface Move {
  input: GameInput;
  happenings: Happening[];
  judgement: Judgement | null;
  game: GameState;
}

/** Replay the game's log, keeping what each move did and what the referee said about it. */
function replayMoves(game: GameState): Move[] {
  let current = newGame(game.options);
  const moves: Move[] = [];
  for (const input of game.log) {
    if (input.kind === 'card') {
      const result = playCard(current, input.seat, input.card, { deliverWrongCard: input.deliverWrongCard });
      current = result.game;
      if (result.ok) moves.push({ input, happenings: result.happenings, judgement: result.judgement, game: current });
    } else if (input.kind === 'timer') {
      const result = fireTimer(current, input.end, input.timer);
      if (result.ok && result.happenings.length > 0) moves.push({ input, happenings: result.happenings, judgement: result.judgement, game: result.game });
      current = result.game;
    } else if (input.kind === 'hint') current = takeHint(current, input.seat).game;
    else current = answerQuiz(current, input.seat, input.state).game;
  }
  return moves;
}

const pick = (text: LocalizedText, language: CaptureLanguage) => (language === 'zh-CN' ? text.zh : text.en);

/** The packets of the export, in capture order, with their comments. */
export function exportedPackets(game: GameState, options: ExportOptions): ExportedPacket[] {
  const moves = replayMoves(game);
  const initial = newGame(game.options).world.tcb;
  const states: Record<Seat, TcpState> = { A: initial.A.state, B: initial.B.state };
  const packets: ExportedPacket[] = [];
  const sentIds = new Set<string>();
  let clockMs = options.startMs;
  let lastTimerFired = false;
  for (const move of moves) {
    clockMs += move.input.kind === 'timer' ? TIMER_DELAYS_MS[move.input.timer] : MOVE_GAP_MS;
    let inMove = 0;
    const at = () => clockMs * 1000 + PACKET_GAP_US * inMove++;
    const referee = move.judgement
      ? pick(COMMENT_TEXTS.referee(pick(move.judgement.explanation, options.language), move.judgement.rule), options.language)
      : '';
    const byId = new Map<string, ExportedPacket>();
    const ofThisMove: ExportedPacket[] = [];
    for (const happening of move.happenings) {
      switch (happening.type) {
        case 'sent': {
          const repeatOf = sentIds.has(happening.segment.id) ? happening.segment.id : null;
          const packet: ExportedPacket = {
            segment: happening.segment,
            timeUs: at(),
            kind: 'sent',
            lost: false,
            delayed: false,
            wrongCard: happening.wrongCard === true,
            repeatOf,
            retransmission: repeatOf !== null && lastTimerFired,
            comment: '',
          };
          sentIds.add(happening.segment.id);
          ofThisMove.push(packet);
          byId.set(happening.segment.id, packet);
          break;
        }
        case 'lost': {
          const packet = byId.get(happening.segment.id);
          if (packet) packet.lost = true;
          break;
        }
        case 'delayed': {
          const packet = byId.get(happening.segment.id);
          if (packet) packet.delayed = true;
          break;
        }
        case 'duplicated': {
          const original = byId.get(happening.segment.id);
          ofThisMove.push({
            segment: happening.segment,
            timeUs: at(),
            kind: 'duplicate',
            lost: false,
            delayed: false,
            wrongCard: original?.wrongCard ?? false,
            repeatOf: happening.segment.id,
            retransmission: false,
            comment: '',
          });
          break;
        }
        case 'delivered': {
          if (happening.segment.id.startsWith('x') && !sentIds.has(happening.segment.id)) {
            // A segment the level put on the wire before the game: it shows up when it arrives.
            const packet: ExportedPacket = {
              segment: happening.segment,
              timeUs: at(),
              kind: 'injected',
              lost: false,
              delayed: false,
              wrongCard: false,
              repeatOf: null,
              retransmission: false,
              comment: '',
            };
            sentIds.add(happening.segment.id);
            ofThisMove.push(packet);
          }
          break;
        }
        case 'state':
          states[happening.end] = happening.to;
          break;
        default:
          break;
      }
    }
    // Each packet of the move is described with both ends' states once the move is over.
    const statesText = pick(COMMENT_TEXTS.states(states.A, states.B), options.language);
    for (const packet of ofThisMove) {
      packet.comment = describe(packet, statesText, move.judgement, options.language, referee);
      packets.push(packet);
    }
    lastTimerFired = move.input.kind === 'timer' && move.input.timer === 'rto';
  }
  return packets;
}

function describe(packet: ExportedPacket, statesText: string, judgement: Judgement | null, language: CaptureLanguage, referee: string): string {
  const id = packet.segment.id;
  const lines = [`${id} ${packet.segment.from}→${packet.segment.to}`, statesText];
  if (packet.kind === 'injected') lines.push(pick(COMMENT_TEXTS.injected, language));
  if (packet.kind === 'duplicate') lines.push(pick(COMMENT_TEXTS.duplicate(id), language));
  if (packet.kind === 'sent') {
    if (packet.retransmission) lines.push(pick(COMMENT_TEXTS.retransmission(id), language));
    else if (packet.repeatOf) lines.push(pick(COMMENT_TEXTS.repeated(id), language));
    if (packet.wrongCard && judgement && !judgement.ok) lines.push(pick(COMMENT_TEXTS.wrongCard(`${pick(judgement.explanation, language)} (${judgement.rule})`), language));
    else if (referee) lines.push(referee);
  }
  if (packet.lost) lines.push(pick(COMMENT_TEXTS.lost, language));
  if (packet.delayed) lines.push(pick(COMMENT_TEXTS.delayed, language));
  return lines.join('\n');
}

/**
 * The payload bytes of each end: what its send calls wrote, in order. A segment's bytes are found by its
 * distance from the first data segment of its end; bytes no call wrote (a wrong card's) are dots.
 */
function payloadSource(game: GameState): (segment: Segment, wrongCard: boolean) => Uint8Array {
  const encoder = new TextEncoder();
  const streams: Record<Seat, Uint8Array> = { A: encoder.encode(game.sentData.A), B: encoder.encode(game.sentData.B) };
  const firstDataSeq: Partial<Record<Seat, number>> = {};
  for (const entry of game.timeline) {
    if (entry.kind !== 'segment' || entry.segment.len === 0 || entry.wrongCard || entry.duplicate || entry.injected) continue;
    const from = entry.segment.from;
    if (firstDataSeq[from] === undefined) firstDataSeq[from] = entry.segment.seq + (hasFlag(entry.segment, 'SYN') ? 1 : 0);
  }
  return (segment) => {
    const length = Math.min(segment.len, MAX_FRAME_PAYLOAD);
    const bytes = new Uint8Array(length).fill(0x2e);
    const first = firstDataSeq[segment.from];
    if (first === undefined) return bytes;
    const start = seqDiff(segment.seq + (hasFlag(segment, 'SYN') ? 1 : 0), first);
    const stream = streams[segment.from];
    for (let i = 0; i < length && start + i < stream.length; i++) bytes[i] = stream[start + i];
    return bytes;
  };
}

/** The game as a pcapng file. */
export function gameToPcapng(game: GameState, options: ExportOptions): Uint8Array {
  const packets = exportedPackets(game, options);
  const payloadOf = payloadSource(game);
  const ipIds: Record<Seat, number> = { A: 0x1000, B: 0x5000 };
  const frames = packets.map((packet) => {
    const segment = packet.segment;
    const from = GAME_ENDPOINTS[segment.from];
    const to = GAME_ENDPOINTS[segment.to];
    const flagBits = segment.flags.reduce((bits, flag) => bits | (FLAG_BITS[flag] ?? 0), 0);
    // A copy made by the network keeps the IP id of the original; every segment sent gets the next one.
    if (packet.kind !== 'duplicate') ipIds[segment.from] = (ipIds[segment.from] + 1) & 0xffff;
    const data = buildFrame({
      srcMac: from.mac,
      dstMac: to.mac,
      src: from.ip,
      dst: to.ip,
      srcPort: from.port,
      dstPort: to.port,
      seq: segment.seq,
      ack: segment.ack ?? 0,
      flagBits,
      window: game.world.tcb[segment.from].rcvWnd,
      ipId: ipIds[segment.from],
      payload: payloadOf(segment, packet.wrongCard),
      ...(hasFlag(segment, 'SYN') ? { mss: GAME_MSS } : {}),
    });
    return { timeUs: packet.timeUs, data, comment: packet.comment };
  });
  return writePcapng(LINKTYPE.ETHERNET, frames);
}
