// Helpers for the class tests: sockets that record the class events, and a driver that plays each pair's
// cards with the shared engine's correct bot policy over a shadow copy of each room's game (rebuilt from the
// updates' happenings, as a client could), so rounds really finish without asking the server for hints.
import { botCard, fireTimer, newGame, playCard, segmentCard } from '../../shared/game/index.ts';
import type { Card, GameState, MissionId, Seat } from '../../shared/game/types.ts';
import type { PlayerView, SessionEvicted, SessionFeed } from '../../shared/protocol/class.ts';
import type { RoomUpdate } from '../../shared/protocol/events.ts';
import { call, connect, sleep, type Player } from './helpers.ts';

export interface ClassMember extends Player {
  feeds: SessionFeed[];
  yous: PlayerView[];
  classEvicted: SessionEvicted[];
}

export async function member(url: string): Promise<ClassMember> {
  const p = (await connect(url)) as ClassMember;
  p.feeds = [];
  p.yous = [];
  p.classEvicted = [];
  const s = p.socket as unknown as import('socket.io-client').Socket;
  s.on('class:feed', (feed: SessionFeed) => p.feeds.push(feed));
  s.on('class:you', (you: PlayerView) => p.yous.push(you));
  s.on('class:evicted', (e: SessionEvicted) => p.classEvicted.push(e));
  return p;
}

export const lastFeed = (host: ClassMember) => host.feeds[host.feeds.length - 1];
export const lastYou = (p: ClassMember) => p.yous[p.yous.length - 1];

/** A shadow of one room's game, kept in step with its updates. */
export interface Shadow {
  game: GameState;
  version: number;
}

export function shadowFor(mission: MissionId): Shadow {
  return { game: newGame({ mission, seed: 1, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } }), version: 0 };
}

/** Apply one room update to the shadow (each version once, in order). */
export function follow(shadow: Shadow, update: RoomUpdate): void {
  if (update.room.version <= shadow.version) return;
  const first = update.happenings[0];
  if ((update.by === 'A' || update.by === 'B') && first) {
    let card: Card | null = null;
    if (first.type === 'call') card = { kind: 'call', call: first.call, ...(first.data ? { data: first.data } : {}) };
    else if (first.type === 'sent') card = segmentCard(first.segment);
    if (card) {
      const result = playCard(shadow.game, update.by, card);
      if (result.ok) shadow.game = result.game;
    }
  } else if (update.by === 'timer') {
    for (const h of update.happenings) {
      if (h.type !== 'timer') continue;
      const result = fireTimer(shadow.game, h.end, h.timer);
      if (result.ok) shadow.game = result.game;
      break;
    }
  }
  shadow.version = update.room.version;
}

/** A seated player: its room, seat and the shadow of the room's game. */
export interface Seated {
  player: ClassMember;
  room: string;
  seat: Seat;
  shadow: Shadow;
}

/** Play every seated player's cards with botCard (correct policy) until every room's round is finished. */
export async function playRound(seated: Seated[], timeoutMs = 15_000, pause?: (s: Seated, cards: number) => Promise<void>): Promise<number> {
  const end = Date.now() + timeoutMs;
  let cards = 0;
  const finished = (s: Seated) => s.player.updates.some((u) => u.room.code === s.room && u.room.phase === 'finished');
  while (Date.now() < end) {
    if (seated.every(finished)) return cards;
    let played = false;
    for (const s of seated) {
      if (finished(s)) continue;
      // catch up with what this socket has seen
      for (const u of s.player.updates) if (u.room.code === s.room) follow(s.shadow, u);
      const card = botCard(s.shadow.game, s.seat, { kind: 'correct' }, Math.random);
      if (!card) continue;
      const reply = await call(s.player, 'card:play', { code: s.room, version: s.shadow.version, card });
      if (reply.ok) {
        cards += 1;
        played = true;
        if (pause) await pause(s, cards);
      } else if (!['STALE_VERSION', 'REFUSED', 'GAME_OVER', 'NOT_SEATED'].includes(reply.error.code)) {
        throw new Error(`card refused: ${JSON.stringify(reply.error)}`);
      }
    }
    if (!played) await sleep(5);
  }
  throw new Error('the round did not finish in time');
}

/** A shadow rebuilt from a room view's timeline (a player joining late has missed the first updates). */
export function shadowFromView(room: RoomUpdate['room'], mission: MissionId): Shadow {
  const shadow = shadowFor(mission);
  for (const entry of room.game.timeline) {
    let result;
    if (entry.kind === 'call') {
      result = playCard(shadow.game, entry.end, { kind: 'call', call: entry.call, ...(entry.data ? { data: entry.data } : {}) });
    } else if (entry.kind === 'segment') {
      if (entry.duplicate) continue;
      result = playCard(shadow.game, entry.segment.from, segmentCard(entry.segment));
    } else {
      result = fireTimer(shadow.game, entry.end, entry.timer);
    }
    if (result.ok) shadow.game = result.game;
  }
  shadow.version = room.version;
  return shadow;
}
