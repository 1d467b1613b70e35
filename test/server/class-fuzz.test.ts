// Thousands of random payloads at every class event, from the host, a player and a stranger: every one is
// answered (or dropped), nothing crashes, and a normal session with a round still works afterwards.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, testServer, until } from './helpers.ts';
import { lastFeed, lastYou, member } from './class-helpers.ts';

const EVENTS = [
  'class:create',
  'class:host',
  'class:watch',
  'class:join',
  'class:leave',
  'class:rename',
  'class:remove',
  'class:lock',
  'class:start',
  'class:stop',
  'class:end',
];

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

function payloads(code: string) {
  const number = fc.oneof(fc.integer(), fc.double(), fc.constant(Number.NaN), fc.constant(1e12));
  const near = fc.record(
    {
      code: fc.oneof(fc.constant(code), fc.string({ maxLength: 8 }), fc.constant('ZZZZZZ')),
      mode: fc.constantFrom('class', 'workshop', 'x'),
      hostKey: fc.string({ maxLength: 70 }),
      viewKey: fc.string({ maxLength: 70 }),
      playerToken: fc.string({ maxLength: 70 }),
      nickname: fc.oneof(fc.string({ maxLength: 30 }), fc.constant('=cmd|"/c calc"!A1')),
      playerId: fc.oneof(fc.constantFrom('p1', 'p2', 'p99'), fc.string({ maxLength: 20 })),
      locked: fc.oneof(fc.boolean(), fc.anything()),
      mission: fc.constantFrom('open', 'close', 'refused', 'open-send-close', 'nope'),
      timeLimit: fc.oneof(fc.integer({ min: 20, max: 40 }), number),
      faults: fc.anything(),
      skin: fc.constantFrom('network', 'airport', 'x'),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(near, fc.anything(), fc.jsonValue());
}

describe('class fuzz', () => {
  it('survives random payloads on every class event, then runs a normal round', async () => {
    const host = await member(server.url);
    const { code } = await call(host, 'class:create', {});
    const player = await member(server.url);
    await call(player, 'class:join', { code, nickname: 'Pat' });
    const stranger = await member(server.url);
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(host, player, stranger), fc.constantFrom(...EVENTS), payloads(code), async (who, event, payload) => {
        const reply = await call(who, event, payload, 5000);
        answered += 1;
        expect(typeof reply.ok).toBe('boolean');
        if (!reply.ok) expect(reply.error.message.en).toEqual(expect.any(String));
      }),
      { numRuns: 2000, seed: 20261124 },
    );
    expect(answered).toBe(2000);
    expect(host.socket.connected).toBe(true);

    // a fresh session still plays a round
    const host2 = await member(server.url);
    const created = await call(host2, 'class:create', { mode: 'workshop' });
    const a = await member(server.url);
    const b = await member(server.url);
    await call(a, 'class:join', { code: created.code, nickname: 'A' });
    await call(b, 'class:join', { code: created.code, nickname: 'B' });
    expect(await call(host2, 'class:start', { code: created.code, mission: 'open' })).toMatchObject({ ok: true });
    // `!= null` also waits while no `class:you` has arrived yet (lastYou is undefined then)
    await until(() => lastYou(a)?.assignment != null && lastYou(b)?.assignment != null, 'both assigned');
    expect(lastYou(a).assignment!.room).toBe(lastYou(b).assignment!.room);
    expect(await call(host2, 'class:stop', { code: created.code })).toMatchObject({ ok: true });
    await until(() => lastFeed(host2)?.phase === 'results', 'the round is stopped');
    expect(lastFeed(host2).pairs[0].outcome).toBe('stopped');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    closeAll(host, player, stranger, host2, a, b);
  }, 60_000);
});
