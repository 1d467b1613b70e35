// A solo game is a room with a bot seat: the bot answers through the same queue, after a pause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, connect, playToEnd, testServer, until, versions } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ botDelayMs: [20, 40] });
});
afterAll(async () => {
  await server.close();
});

describe('a bot game', () => {
  for (const seat of ['A', 'B'] as const) {
    it(`runs to the end with the human at ${seat}`, async () => {
      const human = await connect(server.url);
      const created = await call(human, 'room:create', { mode: 'bot', seat, nickname: 'Solo' });
      expect(created).toMatchObject({ ok: true, seat, role: 'player' });
      expect(created.room.phase).toBe('playing');
      const botSeat = seat === 'A' ? 'B' : 'A';
      expect(created.room.seats[botSeat]).toMatchObject({ kind: 'bot', connected: true });
      human.version = created.room.version;
      const started = Date.now();
      await playToEnd(created.room.code, { [seat]: human });
      const last = human.updates.at(-1)!.room;
      expect(last.phase).toBe('finished');
      expect(last.game.outcome).toBe('completed');
      const botMoves = human.updates.filter((u) => u.by === botSeat);
      expect(botMoves.length).toBeGreaterThanOrEqual(3);
      // the bot pauses before each card (20–40 ms here)
      expect(Date.now() - started).toBeGreaterThanOrEqual(botMoves.length * 20);
      const seen = versions(human);
      expect(seen).toEqual(Array.from({ length: seen.length }, (_, i) => seen[0] + i));
      closeAll(human);
    });
  }

  it('an erring bot still lets the round end', async () => {
    const human = await connect(server.url);
    const created = await call(human, 'room:create', { mode: 'bot', botLevel: 'erring', difficulty: 'hard' });
    human.version = created.room.version;
    await playToEnd(created.room.code, { A: human }, 15_000);
    expect(human.updates.at(-1)!.room.phase).toBe('finished');
    closeAll(human);
  });

  it('a human who asks for the bot seat takes it', async () => {
    const host = await connect(server.url);
    const created = await call(host, 'room:create', { mode: 'bot', seat: 'A' });
    const code = created.room.code;
    const friend = await connect(server.url);
    const noSeat = await call(friend, 'room:join', { code });
    expect(noSeat).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
    const taken = await call(friend, 'room:join', { code, seat: 'B', nickname: 'Friend' });
    expect(taken).toMatchObject({ ok: true, seat: 'B', role: 'player' });
    expect(taken.room.seats.B).toMatchObject({ kind: 'human', nickname: 'Friend' });
    await until(() => host.updates.some((u) => u.room.seats.B.kind === 'human'), 'the host sees the human');
    closeAll(host, friend);
  });
});
