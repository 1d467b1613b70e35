// A seat that drops mid-game keeps its seat for the grace period and gets it back with its token; the
// other end sees the countdown; after the grace period a bot takes the seat or the round ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, connect, duel, playToEnd, sleep, testServer, until } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ graceMs: 600 });
});
afterAll(async () => {
  await server.close();
});

/** Play a few right cards so the game is under way. */
async function playSome(code: string, seats: Awaited<ReturnType<typeof duel>>['seats'], cards: number) {
  let played = 0;
  while (played < cards) {
    for (const player of [seats.A, seats.B]) {
      const hint = await call(player, 'hint:ask', { code });
      if (!hint.hint) continue;
      const reply = await call(player, 'card:play', { code, version: player.version, card: hint.hint });
      if (reply.ok) played += 1;
    }
  }
}

describe('reconnection', () => {
  it('gives a returning seat the same seat and the full state; the other end sees the countdown', async () => {
    const { code, seats, tokens } = await duel(server.url);
    await playSome(code, seats, 3);
    const before = await call(seats.A, 'room:resync', { code });
    const presencesBefore = seats.A.presences.length;

    const droppedAt = Date.now();
    seats.B.socket.disconnect();
    await until(() => seats.A.presences.length > presencesBefore, 'A sees B away');
    const away = seats.A.presences[seats.A.presences.length - 1];
    expect(away.seats.B.connected).toBe(false);
    expect(away.seats.B.kind).toBe('human');
    expect(away.seats.B.graceEndsAt).toBeGreaterThanOrEqual(droppedAt + 600 - 50);
    expect(away.seats.B.graceEndsAt).toBeLessThanOrEqual(Date.now() + 600 + 50);
    expect(away.seats.A.connected).toBe(true);

    // the game goes on for A while B is away: nothing changed
    const during = await call(seats.A, 'room:resync', { code });
    expect(during.room.version).toBe(before.room.version);

    const back = await connect(server.url);
    const rejoined = await call(back, 'room:join', { code, seatToken: tokens.B });
    expect(rejoined).toMatchObject({ ok: true, role: 'player', seat: 'B', seatToken: tokens.B });
    expect(rejoined.room.version).toBe(before.room.version);
    expect(rejoined.room.game).toEqual(before.room.game);
    expect(rejoined.room.seats.B).toMatchObject({ connected: true, graceEndsAt: null, nickname: 'Bo' });
    await until(() => seats.A.presences.at(-1)!.seats.B.connected, 'A sees B back');
    back.version = rejoined.room.version;

    // past the old grace period the seat is still B's, and the game plays to the end
    await sleep(700);
    const after = await call(back, 'room:resync', { code });
    expect(after.room.seats.B.kind).toBe('human');
    await playToEnd(code, { A: seats.A, B: back });
    closeAll(seats.A, back);
  });

  it('a reload that arrives before the old socket is gone takes the seat over', async () => {
    const { code, seats, tokens } = await duel(server.url);
    const second = await connect(server.url);
    const reply = await call(second, 'room:join', { code, seatToken: tokens.A });
    expect(reply).toMatchObject({ ok: true, seat: 'A' });
    await until(() => seats.A.evicted.length === 1, 'the old socket is told');
    expect(seats.A.evicted[0]).toEqual({ code, reason: 'taken-over' });
    const old = await call(seats.A, 'card:play', { code, version: reply.room.version, card: { kind: 'call', call: 'connect' } });
    expect(old).toMatchObject({ ok: false, error: { code: 'NOT_SEATED' } });
    closeAll(seats.A, seats.B, second);
  });

  it('after the grace period a bot takes the seat (onAbandon bot) and the game still ends', async () => {
    const { code, seats, tokens } = await duel(server.url, { onAbandon: 'bot' });
    await playSome(code, seats, 2);
    seats.B.socket.disconnect();
    await until(() => seats.A.updates.some((u) => u.room.seats.B.kind === 'bot'), 'a bot takes B', 3000);
    await playToEnd(code, { A: seats.A });
    const last = seats.A.updates.at(-1)!.room;
    expect(last.phase).toBe('finished');
    expect(last.game.status).toBe('finished');
    expect(seats.A.updates.some((u) => u.by === 'B')).toBe(true);
    // the token still names the seat: its human can take it back from the bot in the next round
    const back = await connect(server.url);
    const rejoined = await call(back, 'room:join', { code, seatToken: tokens.B });
    expect(rejoined).toMatchObject({ ok: true, seat: 'B' });
    expect(rejoined.room.seats.B.kind).toBe('human');
    closeAll(seats.A, back);
  });

  it('after the grace period the round ends (onAbandon end)', async () => {
    const { code, seats } = await duel(server.url, { onAbandon: 'end' });
    await playSome(code, seats, 2);
    seats.A.socket.disconnect();
    await until(() => seats.B.updates.some((u) => u.room.phase === 'finished'), 'the round ends', 3000);
    const last = seats.B.updates.at(-1)!.room;
    expect(last.abandonedBy).toBe('A');
    const card = await call(seats.B, 'card:play', { code, version: last.version, card: { kind: 'call', call: 'close' } });
    expect(card).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    closeAll(seats.B);
  });

  it('a seat that leaves on purpose is handed over at once', async () => {
    const { code, seats } = await duel(server.url, { onAbandon: 'bot' });
    const left = await call(seats.B, 'room:leave', { code });
    expect(left.ok).toBe(true);
    await until(() => seats.A.updates.at(-1)!.room.seats.B.kind === 'bot', 'a bot takes B at once', 300);
    closeAll(seats.A, seats.B);
  });
});
