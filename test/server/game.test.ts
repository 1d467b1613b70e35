// Two seats and a spectator over real sockets: a whole connection is opened, carries data and is closed,
// and every member sees every update, in order, with consecutive versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, connect, duel, playToEnd, testServer, until, versions } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

describe('a duel', () => {
  it('plays a whole connection and every member sees every update in order', async () => {
    const { code, seats, created, joined } = await duel(server.url, { mission: 'open-send-close' });
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(created.role).toBe('player');
    expect(created.seat).toBe('A');
    expect(joined.seat).toBe('B');
    expect(created.seatToken).toEqual(expect.any(String));
    expect(joined.seatToken).not.toBe(created.seatToken);
    expect(created.room.phase).toBe('waiting');
    expect(joined.room.phase).toBe('playing');
    expect(joined.room.seats.A).toMatchObject({ nickname: 'Ada', kind: 'human', connected: true });
    expect(joined.room.seats.B).toMatchObject({ nickname: 'Bo', kind: 'human', connected: true });
    // the answer the players must build is never sent
    expect(joined.room.game).not.toHaveProperty('owed');
    expect(joined.room.game).not.toHaveProperty('rng');
    expect(joined.room.game.options).not.toHaveProperty('seed'); // nor where the network's random draws start
    expect(joined.room.game.options).toMatchObject({ mission: 'open-send-close', difficulty: expect.any(String) });
    expect(joined.room.game.owes).toEqual({ A: expect.any(Number), B: expect.any(Number) });

    const watcher = await connect(server.url);
    const watching = await call(watcher, 'room:join', { code, spectate: true });
    expect(watching.ok).toBe(true);
    expect(watching.role).toBe('spectator');
    expect(watching.seatToken).toBeNull();
    watcher.version = watching.room.version;
    await until(() => seats.A.presences.some((p) => p.spectators === 1), 'the seats see one spectator');

    const cards = await playToEnd(code, seats);
    expect(cards).toBeGreaterThanOrEqual(6);

    const finalVersion = (await call(seats.A, 'room:resync', { code })).room.version;
    await until(
      () => [seats.A, seats.B, watcher].every((p) => p.version === finalVersion),
      'every member has the last update',
    );

    // seats: every version from the first one they saw to the last, no gap, no repeat
    for (const player of [seats.A, seats.B]) {
      const seen = versions(player);
      const first = seen[0];
      expect(seen).toEqual(Array.from({ length: finalVersion - first + 1 }, (_, i) => first + i));
    }
    // the spectator: every version after it joined
    const watched = versions(watcher);
    expect(watched).toEqual(
      Array.from({ length: finalVersion - watching.room.version }, (_, i) => watching.room.version + 1 + i),
    );
    // and the very same content
    const last = (p: typeof watcher) => p.updates[p.updates.length - 1];
    expect(last(watcher)).toEqual(last(seats.A));
    expect(last(seats.B)).toEqual(last(seats.A));
    // updates carried only the changed end of the timeline; rebuilt, it is the whole timeline of a resync
    const whole = (await call(watcher.socket, 'room:resync', { code })).room;
    for (const p of [seats.A, seats.B, watcher]) {
      expect(p.gaps).toBe(0);
      expect(last(p).room.game.timeline).toEqual(whole.game.timeline);
    }
    const lastMessage = watcher.messages.at(-1)!;
    expect(lastMessage.timelineFrom).toBeGreaterThan(0);
    expect(lastMessage.room.game.timeline.length).toBeLessThan(whole.game.timeline.length);

    const final = last(watcher).room;
    expect(final.phase).toBe('finished');
    expect(final.game.status).toBe('finished');
    expect(final.game.world.tcb.A.state).toBe('CLOSED');
    expect(final.game.world.tcb.B.state).toBe('CLOSED');
    // the data went across
    expect(final.game.sentData.A.length + final.game.sentData.B.length).toBeGreaterThan(0);
    // moves show up as happenings for the board, attributed to who caused them
    const bys = new Set(seats.A.updates.map((u) => u.by));
    expect(bys.has('A')).toBe(true);
    expect(bys.has('B')).toBe(true);
    expect(seats.A.updates.some((u) => u.happenings.length > 0)).toBe(true);

    // while TIME-WAIT ran, the update said how long its 2 MSL wait had left, for the board's countdown
    const timeWait = seats.A.updates.find((u) => u.room.game.timers.some((t) => t.kind === '2msl'));
    expect(timeWait?.room.timerDeadlines).toEqual([
      { end: expect.any(String), kind: '2msl', msLeft: expect.any(Number), msTotal: expect.any(Number) },
    ]);
    const deadline = timeWait!.room.timerDeadlines![0];
    expect(deadline.msLeft).toBeGreaterThan(0);
    expect(deadline.msLeft).toBeLessThanOrEqual(deadline.msTotal);
    expect(final.timerDeadlines).toEqual([]);

    // a card after the end is refused as game over, and changes nothing
    const late = await call(seats.A, 'card:play', { code, version: finalVersion, card: { kind: 'call', call: 'connect' } });
    expect(late).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    expect((await call(seats.A, 'room:resync', { code })).room.version).toBe(finalVersion);
    closeAll(seats.A, seats.B, watcher);
  });

  it("gives the player who played a card the move's update in the answer only, the others as an event", async () => {
    const { code, seats } = await duel(server.url, { mission: 'open' });
    const watcher = await connect(server.url);
    expect(await call(watcher, 'room:join', { code, spectate: true })).toMatchObject({ ok: true });
    // the seat that has a card to play first (the server end listens)
    const mover = (await call(seats.A, 'hint:ask', { code })).hint ? 'A' : 'B';
    const other = mover === 'A' ? seats.B : seats.A;
    const hint = await call(seats[mover], 'hint:ask', { code });
    const before = seats[mover].version;
    // straight on the socket: the raw answer, not what the test helper makes of it
    const reply = await seats[mover].socket.timeout(3000).emitWithAck('card:play', { code, version: before, card: hint.hint });
    expect(reply).toMatchObject({ ok: true, version: before + 1 });
    expect(reply.update.room.version).toBe(before + 1);
    expect(reply.update.by).toBe(mover);
    expect(reply.update.happenings.length).toBeGreaterThan(0);
    await until(() => other.version === before + 1 && watcher.version === before + 1, 'the other seat and the spectator get the update');
    expect(other.messages.at(-1)).toEqual(reply.update);
    expect(watcher.messages.at(-1)).toEqual(reply.update);
    // anything the server sent the mover before answering a later request has arrived by then: no event for that move
    await call(seats[mover].socket, 'room:resync', { code });
    expect(seats[mover].messages.some((m) => m.room.version === before + 1)).toBe(false);

    // a card sent without asking for an answer: its player gets the update as an event, like everyone else
    const nextMover = (await call(seats.A, 'hint:ask', { code })).hint ? seats.A : seats.B;
    const nextHint = await call(nextMover, 'hint:ask', { code });
    nextMover.socket.emit('card:play' as any, { code, version: before + 1, card: nextHint.hint });
    await until(() => nextMover.messages.some((m) => m.room.version === before + 2), 'the update comes as an event');
    closeAll(seats.A, seats.B, watcher);
  });

  it('rematch swaps the seats and starts a new round', async () => {
    const { code, seats } = await duel(server.url);
    const early = await call(seats.A, 'room:rematch', { code });
    expect(early).toMatchObject({ ok: false, error: { code: 'NOT_FINISHED' } });
    await playToEnd(code, seats);
    // a spectator who arrives between rounds holds the whole finished timeline; the new round's updates start over
    const late = await connect(server.url);
    expect(await call(late, 'room:join', { code, spectate: true })).toMatchObject({ ok: true });
    const reply = await call(seats.B, 'room:rematch', { code });
    expect(reply.ok).toBe(true);
    expect(reply.room.round).toBe(2);
    expect(reply.room.phase).toBe('playing');
    expect(reply.room.seats.A.nickname).toBe('Bo');
    expect(reply.room.seats.B.nickname).toBe('Ada');
    await until(() => seats.A.you.length === 1 && seats.B.you.length === 1, 'both told their new seat');
    expect(seats.A.you[0]).toMatchObject({ code, role: 'player', seat: 'B' });
    expect(seats.B.you[0]).toMatchObject({ code, role: 'player', seat: 'A' });
    const resync = await call(seats.A, 'room:resync', { code });
    expect(resync).toMatchObject({ ok: true, role: 'player', seat: 'B' });
    // the new round plays to the end with the roles swapped
    await playToEnd(code, { A: seats.B, B: seats.A });
    const whole = (await call(late.socket, 'room:resync', { code })).room;
    await until(() => late.version === whole.version, 'the late spectator has the last update');
    expect(late.messages[0].timelineFrom).toBe(0); // the new round's first update replaces the old timeline
    expect(late.gaps).toBe(0);
    expect(late.updates.at(-1)!.room.game.timeline).toEqual(whole.game.timeline);
    expect(whole.game.timeline.length).toBeGreaterThan(5);
    closeAll(seats.A, seats.B, late);
  });

  it('seats a third visitor only as a spectator, and lets the creator choose a seat', async () => {
    const { code, seats } = await duel(server.url);
    const third = await connect(server.url);
    const full = await call(third, 'room:join', { code, nickname: 'Cy' });
    expect(full).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
    expect(full.error.message.en).toEqual(expect.any(String));
    expect(full.error.message.zh).toEqual(expect.any(String));
    const b = await connect(server.url);
    const created = await call(b, 'room:create', { mode: 'duel', seat: 'B' });
    expect(created.seat).toBe('B');
    const joined = await call(third, 'room:join', { code: created.room.code.toLowerCase() });
    expect(joined).toMatchObject({ ok: true, seat: 'A' });
    closeAll(seats.A, seats.B, third, b);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.ok).toBe(true);
    expect(body.rooms).toBeGreaterThan(0);
  });
});
