// The retransmission timer doubles after each expiry (RFC 6298 §5.5) on a real server: the timer that runs
// on the server lasts what the game says (its `ms`), and the countdown the view carries says the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import type { Card } from '../../shared/game/types.ts';
import { call, closeAll, connect, sleep, testServer, until, type Player } from './helpers.ts';

const SCALE = 0.01; // 3 s on the board is 30 ms here, 6 s is 60 ms
let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ timerScale: SCALE });
});
afterAll(async () => {
  await server.close();
});

/** The pilot plays its SYN whenever it owes one, until it leaves SYN-SENT or the round ends. */
async function pilotSendsSynUntilAnswered(player: Player, code: string, receivedAt: Map<number, number>) {
  for (let step = 0; step < 40; step++) {
    const room = player.updates.at(-1)!.room;
    if (room.game.world.tcb.A.state !== 'SYN-SENT' || room.phase !== 'playing') return;
    const hint = await call<{ ok: boolean; hint: Card | null }>(player, 'hint:ask', { code });
    if (hint.ok && hint.hint?.kind === 'segment') {
      const played = await call(player, 'card:play', { code, version: player.version, card: hint.hint });
      if (played.ok) receivedAt.set(played.version, Date.now());
      continue;
    }
    const count = player.updates.length;
    await until(() => player.updates.length > count, 'the next update', 3000).catch(() => undefined);
  }
}

describe('the retransmission timer on the server', () => {
  it('runs for the doubled RTO after a second loss, and its countdown says so', async () => {
    const runs: { ms: number; msTotal: number; ran: number }[] = [];
    // a network that loses half the segments: after a few rooms, the pilot's SYN is lost twice in a row
    for (let room = 0; room < 40 && !runs.some((run) => run.ms === 6000); room++) {
      const player = await connect(server.url);
      const receivedAt = new Map<number, number>();
      player.socket.on('room:update', (message) => receivedAt.set(message.room.version, Date.now()));
      const created = await call(player, 'room:create', { mode: 'bot', mission: 'open', seat: 'A', faults: { loss: 0.5, duplicate: 0, reorder: 0 } });
      expect(created.ok).toBe(true);
      const code: string = created.room.code;
      await until(() => player.updates.at(-1)?.room.game.world.tcb.B.state === 'LISTEN', 'the tower listens');
      await call(player, 'card:play', { code, version: player.version, card: { kind: 'call', call: 'connect' } });
      await pilotSendsSynUntilAnswered(player, code, receivedAt);
      // each run of the pilot's RTO: from the update that started it to the update of its expiry
      for (let i = 0; i < player.updates.length; i++) {
        const { room } = player.updates[i];
        const timer = room.game.timers.find((t) => t.end === 'A' && t.kind === 'rto');
        const before = player.updates[i - 1]?.room.game.timers.find((t) => t.end === 'A' && t.kind === 'rto');
        if (!timer || (before && before.since === timer.since)) continue;
        const expiry = player.updates.slice(i + 1).find((u) => u.by === 'timer' && u.happenings.some((h) => h.type === 'timer' && h.end === 'A'));
        if (!expiry) continue;
        const deadline = room.timerDeadlines?.find((d) => d.end === 'A' && d.kind === 'rto');
        runs.push({ ms: timer.ms, msTotal: deadline?.msTotal ?? -1, ran: receivedAt.get(expiry.room.version)! - receivedAt.get(room.version)! });
      }
      closeAll(player);
      await sleep(5);
    }
    const first = runs.find((run) => run.ms === 3000);
    const doubled = runs.find((run) => run.ms === 6000);
    expect(first, JSON.stringify(runs)).toBeDefined();
    expect(doubled, JSON.stringify(runs)).toBeDefined();
    // the countdown of each run is its own duration, at the server's pace
    for (const run of runs) expect(run.msTotal, JSON.stringify(run)).toBe(run.ms * SCALE);
    // and the server really waited the doubled time before the SYN went again
    expect(doubled!.ran, JSON.stringify(runs)).toBeGreaterThanOrEqual(6000 * SCALE * 0.8);
  }, 60_000);
});
