// The state quiz through a real server: the bot may move the player's end on while the player is answering;
// the state the player's own move left their end in is still right, and the reply names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import type { Card } from '../../shared/game/types.ts';
import { call, closeAll, connect, testServer, until } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

describe('the state quiz', () => {
  it('takes the state the player\'s own move left their end in, after the bot moved it on (level 05)', async () => {
    const player = await connect(server.url);
    const created = await call(player, 'room:create', { mode: 'bot', mission: 'l05-close-first', seat: 'A' });
    expect(created.ok).toBe(true);
    const code: string = created.room.code;
    await call(player, 'card:play', { code, version: player.version, card: { kind: 'call', call: 'close' } });
    const fin = await call<{ ok: boolean; hint: Card }>(player, 'hint:ask', { code });
    const sent = await call(player, 'card:play', { code, version: player.version, card: fin.hint });
    expect(sent.ok).toBe(true);
    // the tower's bot acknowledges the FIN at once: the pilot's end goes on to FIN-WAIT-2 (and further)
    await until(() => player.updates.at(-1)?.room.game.world.tcb.A.state !== 'FIN-WAIT-1', 'the bot moves the pilot on', 15_000);
    let reply: any;
    for (let attempt = 0; attempt < 10; attempt++) {
      reply = await call(player, 'quiz:answer', { code, version: player.version, state: 'FIN-WAIT-1' });
      if (reply.ok || reply.error.code !== 'STALE_VERSION') break; // the bot moved again in between: answer again
    }
    expect(reply).toEqual({ ok: true, correct: true, state: 'FIN-WAIT-1' });
    let wrong: any;
    for (let attempt = 0; attempt < 10; attempt++) {
      wrong = await call(player, 'quiz:answer', { code, version: player.version, state: 'SYN-SENT' });
      if (wrong.ok || wrong.error.code !== 'STALE_VERSION') break; // the bot's FIN came in between: answer again
    }
    expect(wrong.ok).toBe(true);
    expect(wrong.correct).toBe(false);
    // the state it judged is the player's end's state at that moment (a timer may have moved it on since)
    expect(player.updates.map((u) => u.room.game.world.tcb.A.state)).toContain(wrong.state);
    closeAll(player);
  }, 30_000); // a busy machine runs every test file at once
});
