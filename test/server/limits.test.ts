// Server-wide limits: rounds per class session, live rooms and sessions, new connections per address.
import { io } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { MAX_SESSION_ROUNDS } from '../../shared/protocol/class.ts';
import { member } from './class-helpers.ts';
import { call, closeAll, connect, testServer } from './helpers.ts';

describe('limits', () => {
  it(`refuses a session's round past ${MAX_SESSION_ROUNDS} with TOO_MANY_ROUNDS, in both languages`, async () => {
    const server = await testServer();
    const host = await member(server.url);
    const created = await call(host, 'class:create', { mode: 'workshop' });
    const code = created.code;
    const player = await member(server.url);
    expect((await call(player, 'class:join', { code, nickname: 'Ada' })).ok).toBe(true);
    for (let round = 1; round <= MAX_SESSION_ROUNDS; round += 1) {
      const started = await call(host, 'class:start', { code, mission: 'open' });
      expect(started.ok, `round ${round}`).toBe(true);
      expect((await call(host, 'class:stop', { code })).ok).toBe(true);
    }
    const refused = await call(host, 'class:start', { code, mission: 'open' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'TOO_MANY_ROUNDS' } });
    expect(refused.error.message.en).toContain(String(MAX_SESSION_ROUNDS));
    expect(refused.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
    // the results stay readable, and the session can still end
    expect((await call(host, 'class:end', { code })).ok).toBe(true);
    closeAll(host, player);
    await server.close();
  }, 30_000);

  it('refuses a new room past maxRooms and a new session past maxSessions with SERVER_FULL', async () => {
    const server = await testServer({ maxRooms: 2, maxSessions: 1 });
    const a = await connect(server.url);
    for (let i = 0; i < 2; i += 1) expect((await call(a, 'room:create', { mode: 'duel' })).ok).toBe(true);
    const full = await call(a, 'room:create', { mode: 'duel' });
    expect(full).toMatchObject({ ok: false, error: { code: 'SERVER_FULL' } });
    expect(full.error.message.zh).toMatch(/[\u4e00-\u9fff]/);
    const host = await member(server.url);
    expect((await call(host, 'class:create', {})).ok).toBe(true);
    const second = await call(host, 'class:create', {});
    expect(second).toMatchObject({ ok: false, error: { code: 'SERVER_FULL' } });
    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ rooms: 2, sessions: 1 });
    closeAll(a, host);
    await server.close();
  });

  it('refuses new connections from one address past the connection limit with connect_error', async () => {
    const server = await testServer({ connectLimit: { capacity: 3, refillPerSecond: 0.001 } });
    const ok = [await connect(server.url), await connect(server.url), await connect(server.url)];
    const socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    const error = await new Promise<Error & { data?: any }>((resolve, reject) => {
      socket.once('connect', () => reject(new Error('connected past the limit')));
      socket.once('connect_error', resolve);
    });
    expect(error.message).toMatch(/too many connections/i);
    expect(error.data).toMatchObject({ code: 'RATE_LIMITED' });
    expect(error.data.message.zh).toMatch(/[\u4e00-\u9fff]/);
    socket.close();
    closeAll(...ok);
    await server.close();
  });
});
