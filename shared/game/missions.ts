// Missions: the goal of a round, the world it starts from, and the user calls a correct player makes to reach
// it (what the bot plays and what a hint suggests when no segment is owed). Every mission is a level in the
// level format (shared/levels/format.ts): the four built-in ones below, and the learning path's files.

import { tcbFromInitial } from '../tcp/tcb.ts';
import type { Tcb } from '../tcp/types.ts';
import { loadLevel, type GoalId, type Level, type LevelFile, type ScriptedCall } from '../levels/format.ts';
import { PATH_LEVELS } from '../levels/path.ts';
import type { Card, GameState, Seat } from './types.ts';
import { onlyPureAcks } from './piggyback.ts';

export type Mission = Level;
export type { GoalId };

const ESTABLISHED_100_300 = {
  A: { state: 'ESTABLISHED', iss: 100, irs: 300, snd_una: 101, snd_nxt: 101, rcv_nxt: 301 },
  B: { state: 'ESTABLISHED', iss: 300, irs: 100, snd_una: 301, snd_nxt: 301, rcv_nxt: 101, passive: true },
} as const;

const BUILT_IN: LevelFile[] = [
  {
    format: 'handshake-level v1',
    id: 'open-send-close',
    chapter: 1,
    order: 1,
    title: { en: 'Open, send "HELLO", close', zh: '建立连接，发送“HELLO”，关闭连接' },
    mission: {
      en: 'The server listens, the client connects with a three-way handshake, sends HELLO, and both ends close with the four-way close.',
      zh: '服务器监听，客户端通过三次握手建立连接，发送 HELLO，然后双方通过四次挥手关闭连接。',
    },
    player: 'A',
    initial: { A: { state: 'CLOSED' }, B: { state: 'CLOSED' } },
    goals: ['handshake', 'data', 'close'],
    script: {
      A: [
        { call: 'connect', when: { peer: 'LISTEN' } },
        { call: 'send', data: 'HELLO', when: { state: 'ESTABLISHED', peer: 'ESTABLISHED' } },
        { call: 'close', when: { state: 'ESTABLISHED', acked: true } },
      ],
      B: [{ call: 'listen' }, { call: 'close', when: { state: 'CLOSE-WAIT' } }],
    },
  },
  {
    format: 'handshake-level v1',
    id: 'open',
    chapter: 1,
    order: 2,
    title: { en: 'The three-way handshake', zh: '三次握手' },
    mission: {
      en: 'The server listens and the client connects: SYN, SYN-ACK, ACK, until both ends are ESTABLISHED.',
      zh: '服务器监听，客户端发起连接：SYN、SYN-ACK、ACK，直到双方都进入 ESTABLISHED。',
    },
    player: 'A',
    initial: { A: { state: 'CLOSED' }, B: { state: 'CLOSED' } },
    goals: ['handshake'],
    script: { A: [{ call: 'connect', when: { peer: 'LISTEN' } }], B: [{ call: 'listen' }] },
  },
  {
    format: 'handshake-level v1',
    id: 'close',
    chapter: 1,
    order: 3,
    title: { en: 'The four-way close', zh: '四次挥手' },
    mission: {
      en: 'The connection is open. The client closes first (FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT), the server follows (CLOSE-WAIT, LAST-ACK).',
      zh: '连接已经建立。客户端先关闭（FIN-WAIT-1、FIN-WAIT-2、TIME-WAIT），服务器随后关闭（CLOSE-WAIT、LAST-ACK）。',
    },
    player: 'A',
    initial: { A: { ...ESTABLISHED_100_300.A }, B: { ...ESTABLISHED_100_300.B } },
    goals: ['close'],
    script: { A: [{ call: 'close', when: { state: 'ESTABLISHED' } }], B: [{ call: 'close', when: { state: 'CLOSE-WAIT' } }] },
  },
  {
    format: 'handshake-level v1',
    id: 'refused',
    chapter: 1,
    order: 4,
    title: { en: 'Connection refused', zh: '连接被拒绝' },
    mission: {
      en: "Nobody listens on the server's port: the client's SYN is answered by a RST.",
      zh: '服务器端口上没有监听者：客户端的 SYN 会收到一个 RST。',
    },
    player: 'A',
    initial: { A: { state: 'CLOSED' }, B: { state: 'CLOSED' } },
    goals: ['refused'],
    script: { A: [{ call: 'connect' }], B: [] },
  },
];

function mustLoad(file: unknown, source: string): Level {
  const loaded = loadLevel(file, source);
  if (!loaded.ok) throw new Error(`level refused at load:\n${loaded.errors.join('\n')}`);
  return loaded.level;
}

/** Every mission by id: the built-in ones and the learning path's levels. */
export const MISSIONS: Record<string, Mission> = Object.fromEntries(
  [...BUILT_IN.map((file) => mustLoad(file, `built-in ${file.id}`)), ...PATH_LEVELS.map(({ file, source }) => mustLoad(file, source))].map(
    (level) => [level.id, level],
  ),
);

/** The learning path, in order. */
export const LEVELS: Level[] = PATH_LEVELS.map(({ file }) => MISSIONS[(file as { id: string }).id]).sort(
  (a, b) => a.chapter - b.chapter || a.order - b.order,
);

export function missionOf(game: GameState): Mission {
  return MISSIONS[game.options.mission] ?? MISSIONS['open-send-close'];
}

export function missionTcbs(mission: Mission): Record<Seat, Tcb> {
  return { A: tcbFromInitial(mission.initial.A), B: tcbFromInitial(mission.initial.B) };
}

/** Nothing is on the wire and neither end owes a segment: the connection is waiting for a user call. */
export function isQuiet(game: GameState): boolean {
  return game.world.inFlight.length === 0 && game.owed.A.length === 0 && game.owed.B.length === 0;
}

/** How far an end has got through its script: calls made in the script's order. */
function scriptPosition(game: GameState, seat: Seat, script: ScriptedCall[]): number {
  let position = 0;
  for (const entry of game.timeline) {
    if (position < script.length && entry.kind === 'call' && entry.end === seat && entry.call === script[position].call) position++;
  }
  return position;
}

/** The user call a correct player makes now at `seat` for this mission, or null if it should wait. */
export function nextMissionCall(game: GameState, seat: Seat): Card | null {
  if (game.status !== 'playing') return null;
  const mission = missionOf(game);
  const script = mission.script[seat];
  const next = script[scriptPosition(game, seat, script)];
  if (!next) return null;
  // With an ACK still owed, only a call that is not waiting for quiet may go first (it carries the ACK).
  const owed = game.owed[seat];
  if (owed.length > 0 && (next.when.quiet || !onlyPureAcks(owed) || (next.call !== 'close' && next.call !== 'send'))) return null;
  const tcb = game.world.tcb[seat];
  const peer = game.world.tcb[seat === 'A' ? 'B' : 'A'];
  const when = next.when;
  if (when.quiet && !isQuiet(game)) return null;
  if (when.state && tcb.state !== when.state) return null;
  if (when.peer && peer.state !== when.peer) return null;
  if (when.acked && tcb.sndUna !== tcb.sndNxt) return null;
  if (when.goal && !game.goals.includes(when.goal)) return null;
  return next.data ? { kind: 'call', call: next.call, data: next.data } : { kind: 'call', call: next.call };
}
