// Idle rooms expire: a room nobody is connected to is removed after IDLE_MS; members of a room that sat
// idle far longer are told it expired.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, connect, sleep, stored, testServer, until } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ idleMs: 150, sweepMs: 40, graceMs: 50 });
});
afterAll(async () => {
  await server.close();
});

describe('idle rooms', () => {
  it('are removed once nobody is connected and nothing happened for idleMs', async () => {
    const a = await connect(server.url);
    const created = await call(a, 'room:create', { mode: 'duel' });
    const code = created.room.code;
    closeAll(a);
    await sleep(50);
    expect(await stored(server, code)).toBe(true);
    await sleep(400);
    expect(await stored(server, code)).toBe(false);
    const b = await connect(server.url);
    expect((await call(b, 'room:join', { code })).error.code).toBe('UNKNOWN_ROOM');
    closeAll(b);
  });

  it('stay while someone is connected, until a long silence; then members are told', async () => {
    const a = await connect(server.url);
    const created = await call(a, 'room:create', { mode: 'duel' });
    await sleep(400);
    expect(await stored(server, created.room.code)).toBe(true);
    await until(() => a.evicted.length > 0, 'the member is told the room expired', 4000);
    expect(a.evicted[0]).toEqual({ code: created.room.code, reason: 'expired' });
    expect(await stored(server, created.room.code)).toBe(false);
    closeAll(a);
  });
});
