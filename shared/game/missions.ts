// Missions: the goal of a round, the world it starts from, and the user calls a correct player makes to reach
// it (what the bot plays and what a hint suggests when no segment is owed).

import { tcbFromInitial, type InitialTcb } from '../tcp/tcb.ts';
import type { Tcb } from '../tcp/types.ts';
import type { Card, GameState, LocalizedText, MissionId, Seat } from './types.ts';

export type GoalId = 'handshake' | 'data' | 'close' | 'refused';

export interface Mission {
  id: MissionId;
  title: LocalizedText;
  brief: LocalizedText;
  initial: Record<Seat, InitialTcb>;
  goals: GoalId[];
  /** the data the client sends, if the mission has any */
  data?: string;
}

const OPEN_FROM_CLOSED: Record<Seat, InitialTcb> = { A: { state: 'CLOSED' }, B: { state: 'CLOSED' } };
const ESTABLISHED_100_300: Record<Seat, InitialTcb> = {
  A: { state: 'ESTABLISHED', iss: 100, irs: 300, snd_una: 101, snd_nxt: 101, rcv_nxt: 301 },
  B: { state: 'ESTABLISHED', iss: 300, irs: 100, snd_una: 301, snd_nxt: 301, rcv_nxt: 101, passive: true },
};

export const MISSIONS: Record<MissionId, Mission> = {
  'open-send-close': {
    id: 'open-send-close',
    title: { en: 'Open, send "HELLO", close', zh: '建立连接，发送 "HELLO"，关闭连接' },
    brief: {
      en: 'The server listens, the client connects with a three-way handshake, sends HELLO, and both ends close with the four-way close.',
      zh: '服务器监听，客户端通过三次握手建立连接，发送 HELLO，然后双方通过四次挥手关闭连接。',
    },
    initial: OPEN_FROM_CLOSED,
    goals: ['handshake', 'data', 'close'],
    data: 'HELLO',
  },
  open: {
    id: 'open',
    title: { en: 'The three-way handshake', zh: '三次握手' },
    brief: {
      en: 'The server listens and the client connects: SYN, SYN-ACK, ACK, until both ends are ESTABLISHED.',
      zh: '服务器监听，客户端发起连接：SYN、SYN-ACK、ACK，直到双方都进入 ESTABLISHED。',
    },
    initial: OPEN_FROM_CLOSED,
    goals: ['handshake'],
  },
  close: {
    id: 'close',
    title: { en: 'The four-way close', zh: '四次挥手' },
    brief: {
      en: 'The connection is open. The client closes first (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT), the server follows (CLOSE-WAIT, LAST-ACK).',
      zh: '连接已经建立。客户端先关闭（FIN-WAIT-1、FIN-WAIT-2、TIME-WAIT），服务器随后关闭（CLOSE-WAIT、LAST-ACK）。',
    },
    initial: ESTABLISHED_100_300,
    goals: ['close'],
  },
  refused: {
    id: 'refused',
    title: { en: 'Connection refused', zh: '连接被拒绝' },
    brief: {
      en: 'Nobody listens on the server\'s port: the client\'s SYN is answered by a RST.',
      zh: '服务器端口上没有监听者：客户端的 SYN 会收到一个 RST。',
    },
    initial: OPEN_FROM_CLOSED,
    goals: ['refused'],
  },
};

export function missionTcbs(mission: Mission): Record<Seat, Tcb> {
  return { A: tcbFromInitial(mission.initial.A), B: tcbFromInitial(mission.initial.B) };
}

function hasCalled(game: GameState, seat: Seat, call: string): boolean {
  return game.timeline.some((entry) => entry.kind === 'call' && entry.end === seat && entry.call === call);
}

/** Nothing is on the wire and neither end owes a segment: the connection is waiting for a user call. */
export function isQuiet(game: GameState): boolean {
  return game.world.inFlight.length === 0 && game.owed.A.length === 0 && game.owed.B.length === 0;
}

/**
 * The user call a correct player makes now at `seat` for this mission, or null if it should wait.
 * The client (A) opens, sends and closes first; the server (B) listens and closes when the client has.
 */
export function nextMissionCall(game: GameState, seat: Seat): Card | null {
  const mission = MISSIONS[game.options.mission];
  const tcb = game.world.tcb[seat];
  const peer = game.world.tcb[seat === 'A' ? 'B' : 'A'];
  if (game.status !== 'playing' || game.owed[seat].length > 0) return null;
  const wantsHandshake = mission.goals.includes('handshake');
  if (seat === 'B') {
    if (wantsHandshake && tcb.state === 'CLOSED' && !hasCalled(game, 'B', 'listen')) return { kind: 'call', call: 'listen' };
    if (tcb.state === 'CLOSE-WAIT' && isQuiet(game)) return { kind: 'call', call: 'close' };
    return null;
  }
  if (tcb.state === 'CLOSED' && !hasCalled(game, 'A', 'connect')) {
    if (mission.goals.includes('refused') || peer.state === 'LISTEN') return { kind: 'call', call: 'connect' };
    return null;
  }
  if (tcb.state === 'ESTABLISHED' && isQuiet(game) && peer.state === 'ESTABLISHED') {
    if (mission.data && !game.sentData.A) return { kind: 'call', call: 'send', data: mission.data };
    if (mission.goals.includes('close') && tcb.sndUna === tcb.sndNxt) return { kind: 'call', call: 'close' };
  }
  if (tcb.state === 'CLOSE-WAIT' && isQuiet(game)) return { kind: 'call', call: 'close' };
  return null;
}
