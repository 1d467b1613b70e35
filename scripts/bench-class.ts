// npm run bench:class [-- --players 200 --seconds 30]
//
// One class session on a server pinned to one core (scripts/bench-serve.ts, started by bench-process.ts), and
// in this process a load generator on 127.0.0.1: a host and a read-only projector follow the live feed, and
// N players (N/2 pairs) play rounds of open-send-close at a human pace (one card per second per player) with
// the shared engine's correct bot policy over a shadow of each room's game. When a round ends the host starts
// the next one, so rounds keep coming. Prints the card round-trip (emit → ack) at p50/p95/p99, cards per
// second, feeds per second and their size, and the server's CPU. Stops by itself.

import type { ChildProcess } from 'node:child_process';
import { cpuSeconds, startServerProcess } from './bench-process.ts';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';
import { botCard } from '../shared/game/index.ts';
import type { Seat } from '../shared/game/types.ts';
import type { PlayerView, SessionFeed } from '../shared/protocol/class.ts';
import type { RoomUpdate } from '../shared/protocol/events.ts';
import { follow, shadowFromView, type Shadow } from '../test/server/class-helpers.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const PLAYERS = Number(flag('players', '200'));
const SECONDS = Number(flag('seconds', '30'));
const WARMUP_MS = 3000;
const CARD_INTERVAL_MS = 500; // per room: two players, one card per second each
const deadline = Date.now() + (SECONDS + 60) * 1000;


function connect(url: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

interface BenchPair {
  code: string;
  seats: Partial<Record<Seat, Socket>>;
  shadow: Shadow;
  busy: boolean;
  nextAt: number;
  done: boolean;
}

const stats = { rt: [] as number[], cards: 0, feeds: 0, feedBytes: 0, rounds: 0, errors: new Map<string, number>(), recording: false };
const countError = (code: string) => stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);

const { child, port } = await startServerProcess();
const watchdog = setTimeout(() => {
  console.error('bench:class: time is up, stopping');
  child.kill('SIGKILL');
  process.exit(2);
}, deadline - Date.now());
watchdog.unref();
const url = `http://127.0.0.1:${port}`;

try {
  const host = await connect(url);
  const projector = await connect(url);
  const created = await host.timeout(10_000).emitWithAck('class:create', { mode: 'class' });
  const code: string = created.code;
  await projector.timeout(10_000).emitWithAck('class:watch', { code, viewKey: created.viewKey });
  let phase = 'lobby';
  let round = 0;
  for (const s of [host, projector]) {
    s.on('class:feed', (feed: SessionFeed) => {
      if (s === host && feed.round >= round) {
        phase = feed.phase;
        round = feed.round;
      }
      if (stats.recording) {
        stats.feeds += 1;
        stats.feedBytes += JSON.stringify(feed).length;
      }
    });
  }

  const t = performance.now();
  const players: Socket[] = [];
  const views = new Map<Socket, PlayerView>();
  for (let i = 0; i < PLAYERS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, PLAYERS - i) }, async (_, j) => {
        const s = await connect(url);
        s.on('class:you', (you: PlayerView) => views.set(s, you));
        const joined = await s.timeout(10_000).emitWithAck('class:join', { code, nickname: `Player ${i + j + 1}` });
        if (!joined.ok) throw new Error(`join: ${joined.error.code}`);
        return s;
      }),
    );
    players.push(...batch);
  }
  console.log(`bench:class: session ${code}, ${PLAYERS} players joined in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  let pairs: BenchPair[] = [];
  async function startRound(): Promise<void> {
    const reply = await host.timeout(10_000).emitWithAck('class:start', { code, mission: 'open-send-close', timeLimit: 300 });
    if (!reply.ok) throw new Error(`start: ${reply.error.code}`);
    const r = reply.settings.round as number;
    phase = 'playing';
    round = r;
    while (![...players].every((p) => views.get(p)?.assignment?.round === r)) await new Promise((res) => setTimeout(res, 10));
    const byRoom = new Map<string, BenchPair>();
    await Promise.all(
      players.map(async (p) => {
        const a = views.get(p)!.assignment!;
        const joined = await p.timeout(10_000).emitWithAck('room:join', { code: a.room, seatToken: a.seatToken });
        if (!joined.ok) throw new Error(`room:join: ${joined.error.code}`);
        let pair = byRoom.get(a.room);
        if (!pair) {
          pair = { code: a.room, seats: {}, shadow: shadowFromView(joined.room, 'open-send-close'), busy: false, nextAt: 0, done: false };
          byRoom.set(a.room, pair);
        }
        pair.seats[a.seat] = p;
        const mine = pair;
        p.removeAllListeners('room:update');
        p.on('room:update', (u: RoomUpdate) => {
          if (u.room.code !== mine.code) return;
          follow(mine.shadow, u);
          if (u.room.phase === 'finished') mine.done = true;
        });
      }),
    );
    pairs = [...byRoom.values()];
    const now = Date.now();
    for (const pair of pairs) pair.nextAt = now + Math.random() * CARD_INTERVAL_MS;
  }

  async function step(pair: BenchPair, now: number): Promise<void> {
    pair.busy = true;
    try {
      let seat: Seat | null = null;
      let card = null;
      for (const s of ['A', 'B'] as const) {
        if (!pair.seats[s]) continue;
        card = botCard(pair.shadow.game, s, { kind: 'correct' }, Math.random);
        if (card) {
          seat = s;
          break;
        }
      }
      if (!seat || !card) return; // quiet: a timer or the other end
      const t0 = performance.now();
      const reply = await pair.seats[seat]!.timeout(10_000).emitWithAck('card:play', { code: pair.code, version: pair.shadow.version, card });
      const t1 = performance.now();
      if (!reply.ok) {
        countError(reply.error.code);
        return;
      }
      // the player who played the card gets its update only in the answer
      follow(pair.shadow, reply.update);
      if (reply.update.room.phase === 'finished') pair.done = true;
      if (stats.recording) {
        stats.rt.push(t1 - t0);
        stats.cards += 1;
      }
    } catch (error) {
      countError(`exception:${(error as Error).message}`);
    } finally {
      pair.busy = false;
      pair.nextAt = Math.max(now + CARD_INTERVAL_MS, pair.nextAt + CARD_INTERVAL_MS);
    }
  }

  await startRound();
  const start = Date.now();
  const end = start + WARMUP_MS + SECONDS * 1000;
  let cpu0 = 0;
  let t0 = 0;
  let startingNext = false;
  while (Date.now() < end && Date.now() < deadline) {
    const now = Date.now();
    if (!stats.recording && now >= start + WARMUP_MS) {
      stats.recording = true;
      cpu0 = cpuSeconds(child.pid!);
      t0 = performance.now();
    }
    if (phase === 'results' && !startingNext) {
      startingNext = true;
      if (stats.recording) stats.rounds += 1;
      await startRound();
      startingNext = false;
    }
    for (const pair of pairs) if (!pair.busy && !pair.done && now >= pair.nextAt) void step(pair, now);
    await new Promise((res) => setTimeout(res, 10));
  }
  stats.recording = false;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(child.pid!) - cpu0;
  const rt = [...stats.rt].sort((a, b) => a - b);
  const pct = (p: number) => (rt.length ? rt[Math.min(rt.length - 1, Math.floor((p / 100) * rt.length))] : Number.NaN);
  console.log('');
  console.log(`players ${PLAYERS} (${pairs.length} pairs), ${elapsed.toFixed(1)} s measured, rounds completed ${stats.rounds} (now in round ${round})`);
  console.log(`cards/s ${(stats.cards / elapsed).toFixed(0)}; card round-trip ms p50 ${pct(50).toFixed(2)}  p95 ${pct(95).toFixed(2)}  p99 ${pct(99).toFixed(2)}`);
  console.log(`feed: ${(stats.feeds / elapsed / 2).toFixed(1)} per second per screen (host + projector), ${(stats.feedBytes / Math.max(1, stats.feeds) / 1024).toFixed(1)} KB each`);
  console.log(`server CPU ${((cpu / elapsed) * 100).toFixed(1)} % of one core, ${stats.cards ? ((cpu / stats.cards) * 1e6).toFixed(0) : '–'} µs per card`);
  if (stats.errors.size > 0) console.log(`errors: ${[...stats.errors.entries()].map(([k, n]) => `${k}×${n}`).join(', ')}`);
  for (const s of [host, projector, ...players]) s.disconnect();
} finally {
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), 2000).unref();
}
process.exit(0);
