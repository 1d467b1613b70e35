// npm run bench:store [-- --games 20000 --parallel 200]
//
// Does the data file stay bounded? Plays N whole games through the real room actor (server/room/room.ts, the
// lobby, the embedded journal on a real disk: every move committed with fdatasync, in group commits), each
// game's two seats playing the right cards, and expires each room when its game is over, as the idle sweep
// does. Prints the file's size as the games go by, and at the end. No sockets: the rooms talk to a hub that
// drops what it is sent (the network is not what this measures). Stops by itself.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../server/config.ts';
import { Lobby } from '../server/lobby.ts';
import { systemClock } from '../server/room/clocks.ts';
import type { Hub } from '../server/room/room.ts';
import { JOURNAL_FILE, JournalStore } from '../server/store/journal.ts';
import { botCard } from '../shared/game/index.ts';
import type { Seat } from '../shared/game/types.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const GAMES = Number(flag('games', '20000'));
const PARALLEL = Number(flag('parallel', '200'));
const dir = mkdtempSync(path.join(tmpdir(), 'handshake-store-bench-'));
const hardStop = setTimeout(() => {
  console.error('bench:store did not finish within 10 minutes: stopped');
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
}, 600_000);

const silentHub: Hub = { toRoom() {}, toSocket() {}, join() {}, leave() {} } as Hub;
const store = JournalStore.open(dir);
const config = { ...loadConfig({}), timerScale: 0.001, botDelayMs: [0, 1] as [number, number], graceMs: 60_000 };
const lobby = new Lobby(silentHub, store, config, pino({ level: 'silent' }), systemClock);
const file = path.join(dir, JOURNAL_FILE);

let finished = 0;
let moves = 0;
async function playOneGame(n: number): Promise<void> {
  const ids: Record<Seat, string> = { A: `a${n}`, B: `b${n}` };
  const created = await lobby.create(ids.A, { mode: 'duel', botLevel: 'correct', mission: 'open-send-close', difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 }, skin: 'network', language: 'en', onAbandon: 'end', seat: 'A' });
  if (!created.ok) throw new Error(`create: ${created.error.code}`);
  const room = lobby.peek(created.room.code)!;
  await room.join(ids.B, { spectate: false });
  for (let tries = 0; tries < 500 && room.record.phase !== 'finished'; tries += 1) {
    let moved = false;
    for (const seat of ['A', 'B'] as const) {
      const card = botCard(room.record.game, seat, { kind: 'correct' }, Math.random);
      if (!card) continue;
      const reply = await room.play(ids[seat], room.record.version, card);
      if (reply.ok) (moved = true), (moves += 1);
    }
    // TIME-WAIT: its timer ends the game by itself
    if (!moved) await new Promise((resolve) => setTimeout(resolve, 2));
  }
  // the room expires: its record leaves the store
  await lobby.remove(created.room.code);
  finished += 1;
  if (finished % 2000 === 0) report();
}

function report(): void {
  const stats = store.stats();
  console.log(
    `${String(finished).padStart(5)}   ${(statSync(file).size / 2 ** 20).toFixed(2).padStart(7)}   ${String(stats.keys).padStart(9)}   ${String(stats.compactions).padStart(11)}   ${String(stats.commits).padStart(7)}   ${((stats.entries ?? 0) / Math.max(1, stats.commits ?? 0)).toFixed(1).padStart(13)}`,
  );
}

const started = performance.now();
console.log('games   file MB   live keys   compactions   commits   writes/commit');
let next = 0;
await Promise.all(
  Array.from({ length: PARALLEL }, async () => {
    while (next < GAMES) {
      const n = next++;
      await playOneGame(n);
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
report();
await lobby.close();
await store.close();
console.log(
  `${GAMES} games (${moves} moves) played and expired in ${seconds.toFixed(1)} s; the data file ends at ${(statSync(file).size / 1024).toFixed(1)} kB with ${store.stats().keys} live records (while the server runs it is compacted whenever it holds 4× more than its live records and at least 16 MB, in the background; a clean shutdown compacts it too)`,
);
rmSync(dir, { recursive: true, force: true });
clearTimeout(hardStop);
process.exit(0);
