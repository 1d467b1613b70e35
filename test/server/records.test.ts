// A room's record as the store keeps it: encoded after every move (the log's and the options' JSON is reused
// from one encoding to the next), it must read back as the same record, move after move.
import { describe, expect, it } from 'vitest';
import { decodeRoom, encodeRoom, RECORD_FORMAT, type RoomRecord } from '../../server/store/records.ts';
import { hintFor, newGame, playCard } from '../../shared/game/index.ts';
import type { Seat } from '../../shared/game/types.ts';

function roomWith(game: RoomRecord['game'], version: number): RoomRecord {
  const seat = (nickname: string) => ({ kind: 'human' as const, nickname, tokenHash: 'h'.repeat(43), connected: true, graceEndsAt: null });
  return {
    code: 'ABCDEF',
    createdAt: 1_000,
    touchedAt: 2_000 + version,
    options: { mode: 'duel', botLevel: 'correct', mission: 'open-send-close', difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 }, skin: 'network', language: 'zh-CN', onAbandon: 'end' },
    phase: 'playing',
    round: 1,
    version,
    seats: { A: seat('客户端 "A"'), B: seat('B\\n') },
    game,
    botRng: 42,
    botRefusals: { A: 0, B: 1 },
    abandonedBy: null,
    clocks: { timers: { [`A:rto:${version}`]: 5_000 }, bots: {} },
  };
}

describe('room records', () => {
  it('encode, move after move, to JSON that is the whole record and decodes to the same game', () => {
    const options = { mission: 'open-send-close' as const, seed: 7, difficulty: 'normal' as const, faults: { loss: 0, duplicate: 0, reorder: 0 } };
    let game = newGame(options);
    const order: Seat[] = ['B', 'A', 'A', 'B', 'A'];
    for (let move = 0; move < order.length; move += 1) {
      const seat = order[move];
      const result = playCard(game, seat, hintFor(game, seat));
      expect(result.ok).toBe(true);
      game = result.game;
      const record = roomWith(game, move + 1);
      const text = encodeRoom(record);
      const { game: storedGame, ...storedRest } = JSON.parse(text);
      const { game: _game, ...rest } = record;
      expect(storedRest).toEqual({ format: RECORD_FORMAT, ...rest });
      expect(storedGame).toEqual({ options: game.options, log: JSON.parse(JSON.stringify(game.log)), moves: game.moves });
      const decoded = decodeRoom(text, 'room:ABCDEF');
      expect(decoded.game.log).toEqual(game.log);
      expect(decoded.game.world).toEqual(game.world);
      expect(decoded.seats.A.nickname).toBe('客户端 "A"');
    }
  });
});
