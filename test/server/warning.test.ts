// A legal call that cannot reach the mission is played, and the player is told so: through a real server,
// the move's update carries the warning in both languages, to the player and to everyone who watches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { call, closeAll, connect, testServer, until } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

describe('a call off the mission', () => {
  it('as the server, connect instead of listen: accepted, and the update carries the warning', async () => {
    const player = await connect(server.url);
    const created = await call(player, 'room:create', { mode: 'bot', mission: 'open', seat: 'B' });
    expect(created.ok).toBe(true);
    const code: string = created.room.code;
    const watcher = await connect(server.url);
    expect((await call(watcher, 'room:join', { code, spectate: true })).ok).toBe(true);
    const played = await call(player, 'card:play', { code, version: player.version, card: { kind: 'call', call: 'connect' } });
    expect(played.ok).toBe(true);
    const warning = played.update.happenings.find((h: { type: string }) => h.type === 'warning');
    expect(warning).toMatchObject({ type: 'warning', end: 'B', code: 'CALL_OFF_MISSION' });
    expect(warning.explanation.en).toContain('connect is legal TCP here (CLOSED → SYN-SENT)');
    expect(warning.explanation.en).toContain('here the mission needs listen');
    expect(warning.explanation.zh).toContain('此时任务需要的是 listen');
    await until(() => watcher.updates.some((u) => u.happenings.some((h) => h.type === 'warning')), 'the spectator sees the warning');
    // the mission's own call is taken without one
    const other = await connect(server.url);
    const fresh = await call(other, 'room:create', { mode: 'bot', mission: 'open', seat: 'B' });
    const listen = await call(other, 'card:play', { code: fresh.room.code, version: other.version, card: { kind: 'call', call: 'listen' } });
    expect(listen.ok).toBe(true);
    expect(listen.update.happenings.some((h: { type: string }) => h.type === 'warning')).toBe(false);
    closeAll(player, watcher, other);
  });
});
