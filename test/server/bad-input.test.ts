// Every kind of bad input gets a clear error and changes nothing; the server never falls over.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { PROTOCOL_ERROR_CODES } from '../../shared/protocol/events.ts';
import { call, closeAll, connect, duel, playToEnd, sleep, testServer, until, type Player } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

/** The room as it stands, without the score (a refused card counts a mistake there, by design). */
async function snapshot(player: Player, code: string) {
  const reply = await call(player, 'room:resync', { code });
  expect(reply.ok).toBe(true);
  const { score, ...game } = reply.room.game;
  return { version: reply.room.version, phase: reply.room.phase, seats: reply.room.seats, game };
}

function expectError(reply: any, code: string) {
  expect(reply.ok).toBe(false);
  expect(reply.error.code).toBe(code);
  expect(PROTOCOL_ERROR_CODES).toContain(reply.error.code);
  expect(reply.error.message.en.length).toBeGreaterThan(10);
  expect(reply.error.message.zh.length).toBeGreaterThan(4);
}

describe('bad input', () => {
  it('refuses each kind of bad request with its code and leaves the game as it was', async () => {
    const { code, seats, tokens } = await duel(server.url);
    const A = seats.A;
    const before = await snapshot(A, code);
    const updatesBefore = A.updates.length + seats.B.updates.length;
    const v = before.version;

    // wrong shapes
    for (const payload of [
      undefined,
      null,
      42,
      'card',
      [],
      {},
      { code },
      { code, version: v },
      { code, version: -1, card: { kind: 'call', call: 'connect' } },
      { code, version: 1.5, card: { kind: 'call', call: 'connect' } },
      { code, version: v, card: { kind: 'explode' } },
      { code, version: v, card: { kind: 'segment', flags: 'SYN', seq: 1, ack: null, len: 0 } },
      { code, version: v, card: { kind: 'segment', flags: ['SYN'], seq: '1', ack: null, len: 0 } },
      { code, version: v, card: { kind: 'segment', flags: ['SYN'], seq: 1, len: 0 } },
      { code, version: v, card: { kind: 'call', call: 'send', data: 5 } },
      { code: 'O0O0O0', version: v, card: { kind: 'call', call: 'connect' } },
      { code: { $gt: '' }, version: v, card: { kind: 'call', call: 'connect' } },
    ]) {
      expectError(await call(A, 'card:play', payload), 'BAD_PAYLOAD');
    }
    expectError(await call(A, 'room:create', { mode: 'solo' }), 'BAD_PAYLOAD');
    expectError(await call(A, 'room:create', { mode: 'duel', faults: { loss: 2, duplicate: 0, reorder: 0 } }), 'BAD_PAYLOAD');
    expectError(await call(A, 'room:join', { code, nickname: 'x'.repeat(25) }), 'BAD_PAYLOAD');
    expectError(await call(A, 'room:join', { code, seatToken: 'short' }), 'BAD_PAYLOAD');
    expectError(await call(A, 'quiz:answer', { code, version: v, state: 'OPEN' }), 'BAD_PAYLOAD');
    expectError(await call(A, 'no:such:event', { code }), 'BAD_PAYLOAD');

    // an unknown room (a well-formed code nobody holds)
    let unknown = 'ZZZZZZ';
    while (unknown === code) unknown = 'YYYYYY';
    expectError(await call(A, 'card:play', { code: unknown, version: v, card: { kind: 'call', call: 'connect' } }), 'UNKNOWN_ROOM');
    const stranger = await connect(server.url);
    expectError(await call(stranger, 'room:join', { code: unknown }), 'UNKNOWN_ROOM');

    // a wrong seat token, and a real token of another room
    expectError(await call(stranger, 'room:join', { code, seatToken: 'x'.repeat(21) }), 'BAD_SEAT_TOKEN');
    const other = await duel(server.url);
    expectError(await call(stranger, 'room:join', { code, seatToken: other.tokens.A }), 'BAD_SEAT_TOKEN');
    expect(tokens.A).not.toBe(other.tokens.A);

    // not a member, and a spectator: no seat to play from
    expectError(await call(stranger, 'card:play', { code, version: v, card: { kind: 'call', call: 'connect' } }), 'NOT_SEATED');
    expectError(await call(stranger, 'room:resync', { code }), 'NOT_SEATED');
    const watch = await call(stranger, 'room:join', { code, spectate: true });
    expect(watch.ok).toBe(true);
    expectError(await call(stranger, 'card:play', { code, version: v, card: { kind: 'call', call: 'listen' } }), 'NOT_SEATED');
    expectError(await call(stranger, 'hint:ask', { code }), 'NOT_SEATED');
    expectError(await call(stranger, 'room:rematch', { code }), 'NOT_SEATED');

    // a stale version (and one from the future): refused with the current version
    const right = await call(seats.B, 'hint:ask', { code });
    expect(right.hint).toEqual({ kind: 'call', call: 'listen' });
    for (const version of [v - 1, v + 1]) {
      const stale = await call(seats.B, 'card:play', { code, version, card: right.hint });
      expectError(stale, 'STALE_VERSION');
      expect(stale.error.version).toBe(v);
    }
    expectError(await call(A, 'quiz:answer', { code, version: v + 5, state: 'CLOSED' }), 'STALE_VERSION');

    // a card out of turn: the referee's refusal goes to the sender only, with its reason in both languages
    const outOfTurn = await call(A, 'card:play', {
      code,
      version: v,
      card: { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 },
    });
    expectError(outOfTurn, 'REFUSED');
    expect(outOfTurn.error.refusal.code).toBe('NOT_YOUR_MOVE');
    expect(outOfTurn.error.refusal.explanation.en).toMatch(/nothing to send/);
    expect(outOfTurn.error.refusal.explanation.zh.length).toBeGreaterThan(4);
    expect(outOfTurn.error.refusal.rule).toMatch(/RFC/);
    const wrongCall = await call(A, 'card:play', { code, version: v, card: { kind: 'call', call: 'close' } });
    expect(wrongCall.error.refusal.code).toBe('CALL_REFUSED');

    // no acknowledgement callback at all: tolerated
    A.socket.emit('card:play' as any, { code, version: v, card: { kind: 'call', call: 'close' } });
    A.socket.emit('card:play' as any);
    (A.socket as any).emit('hint:ask', { code }, 'not a function');

    // nothing of it changed the game, and nobody was sent an update
    await sleep(50);
    expect(await snapshot(A, code)).toEqual(before);
    expect(A.updates.length + seats.B.updates.length).toBe(updatesBefore);
    const score = (await call(A, 'room:resync', { code })).room.game.score.A;
    expect(score.mistakes).toBe(3); // the refused cards count as the player's mistakes
    expect(score.correct).toBe(0);

    // and the game goes on
    await playToEnd(code, seats);
    closeAll(seats.A, seats.B, stranger, other.seats.A, other.seats.B);
  });

  it('a card before the second seat is taken is refused as not started', async () => {
    const a = await connect(server.url);
    const created = await call(a, 'room:create', { mode: 'duel' });
    expectError(
      await call(a, 'card:play', { code: created.room.code, version: created.room.version, card: { kind: 'call', call: 'connect' } }),
      'NOT_STARTED',
    );
    closeAll(a);
  });

  it('an oversized message closes that connection only; the game and the others go on', async () => {
    const { code, seats, tokens } = await duel(server.url);
    const before = await snapshot(seats.A, code);
    const closed = new Promise<string>((resolve) => seats.B.socket.once('disconnect', (reason) => resolve(reason)));
    seats.B.socket.emit('card:play' as any, { code, version: before.version, card: { kind: 'call', call: 'listen', data: 'x'.repeat(20_000) } });
    const reason = await closed;
    expect(reason).toMatch(/transport (close|error)/);
    await until(() => seats.A.presences.at(-1)?.seats.B.connected === false, 'A sees B away');
    expect(await snapshot(seats.A, code)).toEqual({ ...before, seats: expect.any(Object) });
    // B comes back with its token and the game plays on
    const back = await connect(server.url);
    const rejoined = await call(back, 'room:join', { code, seatToken: tokens.B });
    expect(rejoined).toMatchObject({ ok: true, seat: 'B' });
    back.version = rejoined.room.version;
    await playToEnd(code, { A: seats.A, B: back });
    closeAll(seats.A, back);
  });

  it('a message just under the limit is read and refused for its shape, not for its size', async () => {
    const a = await connect(server.url);
    expectError(await call(a, 'room:join', { code: 'ABCDEF', nickname: 'x'.repeat(15_000) }), 'BAD_PAYLOAD');
    expect(a.socket.connected).toBe(true);
    closeAll(a);
  });
});

describe('limits', () => {
  let limited: RunningServer;
  beforeAll(async () => {
    limited = await testServer({
      eventLimit: { capacity: 20, refillPerSecond: 10 },
      joinLimit: { capacity: 8, refillPerSecond: 1 },
      origins: ['http://school.example'],
    });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('a flood of events is answered RATE_LIMITED and the game goes on', async () => {
    const { code, seats } = await duel(limited.url);
    const before = await snapshot(seats.A, code);
    const replies = await Promise.all(
      Array.from({ length: 80 }, () => call(seats.A, 'card:play', { code, version: before.version, card: { kind: 'call', call: 'close' } })),
    );
    const limitedCount = replies.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length;
    const refused = replies.filter((r) => !r.ok && r.error.code === 'REFUSED').length;
    expect(limitedCount).toBeGreaterThanOrEqual(50);
    expect(refused).toBeGreaterThan(0);
    expect(refused).toBeLessThanOrEqual(25);
    expect(limitedCount + refused).toBe(80);
    expect(replies.find((r) => r.error?.code === 'RATE_LIMITED').error.message.zh.length).toBeGreaterThan(0);
    // the other seat was never limited
    expect((await call(seats.B, 'room:resync', { code })).ok).toBe(true);
    await sleep(1500); // the bucket refills
    expect(await snapshot(seats.A, code)).toEqual(before);
    await playToEnd(code, seats, 15_000);
    closeAll(seats.A, seats.B);
  });

  it('join attempts are limited per address, and guessing codes drains the bucket faster', async () => {
    const guesser = await connect(limited.url);
    const replies = [];
    for (let i = 0; i < 6; i += 1) replies.push(await call(guesser, 'room:join', { code: 'QQQQQ' + 'ABCDEF'[i] }));
    const codes = replies.map((r) => r.error.code);
    expect(codes.slice(0, 2)).toEqual(['UNKNOWN_ROOM', 'UNKNOWN_ROOM']);
    expect(codes.slice(3)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    // the same address cannot create either, for now
    expect((await call(guesser, 'room:create', { mode: 'bot' })).error.code).toBe('RATE_LIMITED');
    closeAll(guesser);
  });

  it('refuses a browser from another origin where origins are configured', async () => {
    const attempt = (origin: string) =>
      new Promise<boolean>((resolve) => {
        const socket = io(limited.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { Origin: origin } });
        socket.once('connect', () => {
          socket.disconnect();
          resolve(true);
        });
        socket.once('connect_error', () => {
          socket.disconnect();
          resolve(false);
        });
      });
    expect(await attempt('http://evil.example')).toBe(false);
    expect(await attempt('http://school.example')).toBe(true);
  });
});
