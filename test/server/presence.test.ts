// Presence is honest: an absent seat is never shown as connected, and never holds up a game without a clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, duel, playToEnd, testServer, until } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ graceMs: 300 });
});
afterAll(async () => {
  await server.close();
});

describe('presence', () => {
  it('a rematch after an abandoned round (onAbandon end) gives the absent seat a grace period, then ends', async () => {
    const { code, seats } = await duel(server.url, { onAbandon: 'end' });
    seats.A.socket.disconnect();
    await until(() => seats.B.updates.some((u) => u.room.phase === 'finished'), 'the round ends', 3000);
    expect(seats.B.updates.at(-1)!.room.abandonedBy).toBe('A');

    const rematch = await call(seats.B, 'room:rematch', { code });
    expect(rematch.ok).toBe(true);
    // roles swap: the absent human is now seat B
    const absent = rematch.room.seats.B;
    expect(absent.kind).toBe('human');
    expect(absent.connected).toBe(false);
    expect(absent.graceEndsAt).not.toBeNull();
    // nobody comes back: the new round ends as the first one did, it does not wait forever
    const round = rematch.room.round;
    await until(
      () => seats.B.updates.some((u) => u.room.round === round && u.room.phase === 'finished' && u.room.abandonedBy === 'B'),
      'the rematch ends when the grace period is over',
      3000,
    );
    closeAll(seats.B);
  });

  it('a player who switches to spectating no longer shows as connected in their seat', async () => {
    const { code, seats } = await duel(server.url, { onAbandon: 'end' });
    const before = seats.A.presences.length + seats.A.updates.length;
    const watched = await call(seats.B, 'room:join', { code, spectate: true });
    expect(watched).toMatchObject({ ok: true, role: 'spectator', seat: null });
    expect(watched.room.seats.B.connected).toBe(false);
    await until(() => seats.A.presences.length + seats.A.updates.length > before, 'A hears of it');
    const resync = await call(seats.A, 'room:resync', { code });
    expect(resync.room.seats.B.connected).toBe(false);
    expect(resync.room.spectators).toBe(1);
    closeAll(seats.A, seats.B);
  });

  it('a finished game played to its end can still be rematched with both seats present', async () => {
    const { code, seats } = await duel(server.url);
    await playToEnd(code, seats);
    const rematch = await call(seats.A, 'room:rematch', { code });
    expect(rematch.ok).toBe(true);
    expect(rematch.room.seats.A.connected && rematch.room.seats.B.connected).toBe(true);
    expect(rematch.room.seats.A.graceEndsAt).toBeNull();
    expect(rematch.room.seats.B.graceEndsAt).toBeNull();
    closeAll(seats.A, seats.B);
  });
});
