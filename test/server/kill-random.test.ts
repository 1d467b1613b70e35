// Kills at random instants while 50 rooms play, 20 times over: after each SIGKILL the data file opens, and it
// holds every change a client was told of — every answered card and every update that went out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Card, TimelineEntry } from '../../shared/game/types.ts';
import { JournalStore } from '../../server/store/journal.ts';
import { decodeRoom } from '../../server/store/records.ts';
import { roomKey } from '../../server/store/stateStore.ts';
import { call, closeAll, connect, sleep, type Player } from './helpers.ts';
import { freePort, startServerProcess, type ServerProcess } from './serverProcess.ts';

const ROOMS = 50;
const KILLS = 20;
const dir = mkdtempSync(path.join(tmpdir(), 'handshake-kills-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** cards the server acknowledged, over all rooms (so a kill comes only after the rooms have moved) */
let answered = 0;

interface Table {
  code: string;
  token: string;
  player: Player | null;
  /** the round's phase as the last join or rematch said */
  phase?: string;
}

/** Plays right cards in one room until `stop()`; a finished round is followed by a rematch. */
async function keepPlaying(table: Table, stopped: () => boolean): Promise<void> {
  const p = table.player!;
  while (!stopped()) {
    try {
      // the round's phase: from the newest update, or (just after a rejoin, before any update) from the join's reply
      const phase = p.updates[p.updates.length - 1]?.room.phase ?? table.phase;
      if (phase === 'finished') {
        const again = await call(p, 'room:rematch', { code: table.code }, 1000);
        if (again.ok) p.version = Math.max(p.version, again.room.version);
        table.phase = again.ok ? again.room.phase : table.phase;
        continue;
      }
      const hint = await call<{ ok: boolean; hint: Card | null }>(p, 'hint:ask', { code: table.code }, 1000);
      if (!hint.ok || !hint.hint) {
        await sleep(5);
        continue;
      }
      const reply = await call(p, 'card:play', { code: table.code, version: p.version, card: hint.hint }, 1000);
      if (reply.ok) answered += 1;
    } catch {
      return; // the server is gone: what was answered before this is what counts
    }
  }
}

describe('kills at random instants while 50 rooms play', () => {
  it('leave a data file that opens and holds every change whose answer or update a client received', async () => {
    const port = await freePort();
    // the journal is compacted (in the background) every few dozen commits, so kills land during compactions too
    const env = { TIMER_SCALE: '0.02', BOT_DELAY_MIN_MS: '5', BOT_DELAY_MAX_MS: '30', GRACE_MS: '600000', JOURNAL_COMPACT_MB: '0.01', JOURNAL_COMPACT_RATIO: '1.5' };
    let compactions = 0;
    const tables: Table[] = [];
    let checkedChanges = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      const server: ServerProcess = await startServerProcess({ port, dataDir: dir, env });
      try {
        if (kill === 0) {
          for (let i = 0; i < ROOMS; i += 1) {
            const player = await connect(server.url);
            const created = await call(player, 'room:create', { mode: 'bot', nickname: `P${i}`, seat: i % 2 === 0 ? 'A' : 'B' });
            expect(created.ok).toBe(true);
            player.version = created.room.version;
            tables.push({ code: created.room.code, token: created.seatToken, player });
          }
        } else {
          await Promise.all(
            tables.map(async (table) => {
              const player = await connect(server.url);
              const back = await call(player, 'room:join', { code: table.code, seatToken: table.token });
              expect(back.ok, `room ${table.code} after kill ${kill}`).toBe(true);
              player.version = back.room.version;
              table.phase = back.room.phase;
              table.player = player;
            }),
          );
        }
        let stop = false;
        const playing = tables.map((t) => keepPlaying(t, () => stop));
        // a random instant, once the rooms have moved (a busy machine plays slowly: wait for the moves, not a time)
        const earliest = Date.now() + 200 + Math.random() * 500;
        const enough = answered + ROOMS / 2;
        while ((answered < enough || Date.now() < earliest) && Date.now() < earliest + 30_000) await sleep(10);
        await sleep(Math.random() * 100);
        await server.kill('SIGKILL');
        stop = true;
        await Promise.all(playing);
      } finally {
        await server.kill('SIGKILL');
        compactions += server.output().split('journal compacted').length - 1;
      }
      // what each client was told, against what the file holds
      const store = JournalStore.open(dir);
      try {
        for (const table of tables) {
          const p = table.player!;
          const told: { version: number; timeline: TimelineEntry[] } | null = p.held;
          closeAll(p);
          const text = await store.get(roomKey(table.code));
          expect(text, `room ${table.code} is in the file after kill ${kill}`).toBeDefined();
          const record = decodeRoom(text!, table.code);
          if (!told) continue;
          expect(record.version, `room ${table.code}: version after kill ${kill}`).toBeGreaterThanOrEqual(told.version);
          const toldRound = [...p.updates].reverse().find((u) => u.room.version === told.version)?.room.round;
          // (a client that missed an update holds only the tail it was sent: its prefix cannot be compared)
          if (toldRound === record.round && p.gaps === 0) {
            expect(record.game.timeline.slice(0, told.timeline.length)).toEqual(told.timeline);
          }
          checkedChanges += p.messages.length;
        }
      } finally {
        await store.close();
      }
    }
    // the test did check something: on average every room moved in at least half of the runs
    expect(checkedChanges).toBeGreaterThan((ROOMS * KILLS) / 2);
    // and compactions ran while the rooms played (some of them cut short by a kill)
    expect(compactions).toBeGreaterThan(KILLS);
  }, 240_000);
});
