// Thousands of random payloads at every event, from a seated player, a spectator and a stranger: the server
// answers each one (or drops it), never crashes, never changes the game, and a normal game plays afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, connect, duel, playToEnd, testServer, type Player } from './helpers.ts';

const EVENTS = ['room:create', 'room:join', 'room:leave', 'room:resync', 'room:rematch', 'card:play', 'hint:ask', 'quiz:answer', 'whatever'];

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

/** Payloads near the real shapes (so they get past the first checks) and pure garbage. */
function payloads(code: string) {
  const codeLike = fc.oneof(fc.constant(code), fc.constant(code.toLowerCase()), fc.string({ maxLength: 8 }), fc.constant('ZZZZZZ'));
  const number = fc.oneof(fc.integer(), fc.double(), fc.constant(-0), fc.constant(2 ** 32), fc.constant(Number.NaN));
  const card = fc.oneof(
    fc.record({ kind: fc.constant('call'), call: fc.constantFrom('listen', 'connect', 'send', 'close', 'abort', 'x'), data: fc.option(fc.string({ maxLength: 70 }), { nil: undefined }) }),
    fc.record({
      kind: fc.constant('segment'),
      flags: fc.array(fc.constantFrom('SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'XXX'), { maxLength: 8 }),
      seq: number,
      ack: fc.oneof(fc.constant(null), number),
      len: number,
    }),
    fc.anything(),
  );
  const near = fc.record(
    {
      code: codeLike,
      version: fc.oneof(fc.nat(20), number),
      card,
      state: fc.oneof(fc.constantFrom('CLOSED', 'LISTEN', 'ESTABLISHED', 'TIME-WAIT'), fc.string()),
      mode: fc.constantFrom('duel', 'bot', 'x'),
      seat: fc.constantFrom('A', 'B', 'C'),
      spectate: fc.oneof(fc.boolean(), fc.anything()),
      seatToken: fc.string({ maxLength: 70 }),
      nickname: fc.string({ maxLength: 30 }),
      faults: fc.anything(),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(near, fc.anything(), fc.jsonValue());
}

async function snapshot(player: Player, code: string) {
  const reply = await call(player, 'room:resync', { code });
  return { version: reply.room.version, phase: reply.room.phase, tcb: reply.room.game.world.tcb, timeline: reply.room.game.timeline };
}

describe('fuzz', () => {
  it('survives a few thousand random payloads on every event, then plays a normal game', async () => {
    const { code, seats } = await duel(server.url);
    const watcher = await connect(server.url);
    await call(watcher, 'room:join', { code, spectate: true });
    const stranger = await connect(server.url);
    const before = await snapshot(seats.A, code);
    let answered = 0;
    let accepted = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(seats.B, watcher, stranger),
        fc.constantFrom(...EVENTS),
        payloads(code),
        fc.boolean(),
        async (who, event, payload, withAck) => {
          // B's seat must stay B's for the check below: no leaving, no rejoining it from elsewhere
          if (who === seats.B && (event === 'room:leave' || event === 'room:join' || event === 'room:create')) return;
          if (!withAck) {
            (who.socket as unknown as { emit(event: string, payload: unknown): void }).emit(event, payload);
            return;
          }
          const reply = await call(who, event, payload, 5000);
          answered += 1;
          expect(typeof reply.ok).toBe('boolean');
          if (reply.ok) accepted += 1;
          else expect(reply.error.message.en).toEqual(expect.any(String));
        },
      ),
      { numRuns: 3000, seed: 20260101 },
    );
    expect(answered).toBeGreaterThan(1000);
    expect(seats.A.socket.connected && seats.B.socket.connected).toBe(true);

    // B's random cards may have been right by chance: only the moves of the game may have changed it, and
    // every accepted move was broadcast
    const after = await snapshot(seats.A, code);
    if (after.version === before.version) expect(after).toEqual(before);
    else expect(seats.A.updates.at(-1)!.room.version).toBe(after.version);

    // a normal game still plays from start to end on the same server
    const fresh = await duel(server.url);
    await playToEnd(fresh.code, fresh.seats);
    expect(fresh.seats.A.updates.at(-1)!.room.phase).toBe('finished');
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    closeAll(seats.A, seats.B, watcher, stranger, fresh.seats.A, fresh.seats.B);
  }, 60_000);
});
