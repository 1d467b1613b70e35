// bench:cluster — figures, not a test. Three phases in one run, on 127.0.0.1, each with the same human-pace
// load as bench:server (scripts/bench-load.ts: duel rooms playing whole rounds, one card a second per player,
// from a few generator processes), with seat A of every room on the first node and seat B on the second:
//
//   1. relay alone: the bare socket.io relay of bench-relay.ts in one process, both seats on it — what
//      socket.io itself costs per move;
//   2. relay on the adapter: two relay processes on socket.io's Redis streams adapter and a redis-server
//      (appendfsync always) — the yardstick: what spreading a bare relay over two nodes costs. Its CPU minus
//      the relay alone's is the adapter's share (in the nodes and in Redis);
//   3. the game's cluster: two nodes started as `REDIS_URL=… npm start` starts them (their clocks at a quarter
//      of real time, as bench:server's human pace) and a redis-server (appendfsync always). Every card of
//      seat B is forwarded to the owner, every update crosses nodes.
//
// For each: moves per second (cards, and the game's timer moves), the card round-trip and the cross-node
// update latency (a card played on one node until the other player, on the other node, has the update) at
// p50/p95/p99, the CPU per move of each process (/proc/PID/stat) and summed, and Redis commands per move
// (INFO commandstats). Then the SIGKILL of the node that owns every room: the seconds until every room
// moves again, its players back on the survivor by their seat tokens (see killOwner). The load average
// is printed before and after: on a shared machine the figures move with it.
//
//   npm run bench:cluster -- --rooms 100 --seconds 20 --generators 2
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { Card } from '../shared/game/types.ts';
import { call, connect, type Player } from '../test/server/helpers.ts';
import type { CoordinatorMessage, LoadResult } from './bench-load.ts';
import { cpuTimes, nextMessage } from './bench-process.ts';
import { buildServer } from './build-server.ts';
import { startNode, startRedis, stopAll, type RedisProcess } from '../test/server/clusterProcess.ts';

const { values } = parseArgs({
  options: {
    rooms: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '20' },
    generators: { type: 'string', default: '2' },
  },
});
const ROOMS = Number(values.rooms);
const SECONDS = Number(values.seconds);
const GENERATORS = Math.max(1, Number(values.generators));
const WARMUP_MS = 2000;
const LEASE_MS = 3000;
const RELAY_BUNDLE = 'dist/bench/relay-node.mjs';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pct = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]);
const share = (total: number, parts: number, i: number) => Math.floor(total / parts) + (i < total % parts ? 1 : 0);
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const children = new Set<ChildProcess>();

/** A relay node (scripts/bench-relay-node.ts), on the adapter if `redisUrl` is given. */
async function startRelayNode(redisUrl?: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [RELAY_BUNDLE], { env: { ...process.env, REDIS_URL: redisUrl ?? '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const port = await new Promise<number>((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const match = /PORT=(\d+)/.exec(text);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`relay node exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}


/** Redis's command counts since its last CONFIG RESETSTAT (the bench's own INFO and CONFIG left out). */
async function commandCounts(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats');
  const counts = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (match[1] === 'info' || match[1].startsWith('config')) continue;
    counts.set(match[1], Number(match[2]));
  }
  return counts;
}

interface Phase {
  name: string;
  moves: number;
  cards: number;
  seconds: number;
  rt: number[];
  up: number[];
  /** CPU seconds of each process over the measured time */
  cpu: Record<string, number>;
  commands: Map<string, number> | null;
  errors: [string, number][];
  rooms: KilledRoom[];
  generators: ChildProcess[];
}

/** One phase: the load on `first` (seat A) and `second` (seat B), the CPU of `pids` and Redis's commands measured over SECONDS. */
async function runPhase(name: string, first: string, second: string, pids: Record<string, number>, relay: boolean, redisUrl?: string): Promise<Phase> {
  const generators = Array.from({ length: GENERATORS }, () => {
    const generator = fork(fileURLToPath(new URL('./bench-load.ts', import.meta.url)), [], { execArgv: process.execArgv });
    children.add(generator);
    return generator;
  });
  const ready = await Promise.all(
    generators.map((generator, i) => {
      const done = nextMessage<{ rooms: KilledRoom[] }>(generator, 'ready');
      generator.send({ type: 'setup', url: first, secondUrl: second, rooms: share(ROOMS, GENERATORS, i), spectators: 0, relay } satisfies CoordinatorMessage);
      return done;
    }),
  );
  const recordAt = Date.now() + 500 + WARMUP_MS;
  const endAt = recordAt + SECONDS * 1000;
  const results = generators.map((generator) => nextMessage<LoadResult>(generator, 'result'));
  for (const generator of generators) generator.send({ type: 'run', pace: 'human', recordAt, endAt } satisfies CoordinatorMessage);
  const stats = redisUrl ? new Redis(redisUrl) : null;
  await sleep(recordAt - Date.now());
  const cpu0 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuTimes(pid)]));
  await stats?.config('RESETSTAT');
  const t0 = performance.now();
  await sleep(endAt - Date.now());
  const cpu1 = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuTimes(pid)]));
  const commands = stats ? await commandCounts(stats) : null;
  const seconds = (performance.now() - t0) / 1000;
  stats?.disconnect();
  const loads = await Promise.all(results);
  const cards = loads.reduce((n, l) => n + l.cards, 0);
  const errors = new Map<string, number>();
  for (const l of loads) for (const [code, n] of l.errors) errors.set(code, (errors.get(code) ?? 0) + n);
  return {
    name,
    cards,
    moves: cards + loads.reduce((n, l) => n + l.timerMoves, 0),
    seconds,
    rt: loads.flatMap((l) => l.roundTrip).sort((x, y) => x - y),
    up: loads.flatMap((l) => l.update).sort((x, y) => x - y),
    cpu: Object.fromEntries(Object.keys(pids).map((k) => [k, cpu1[k].user + cpu1[k].kernel - cpu0[k].user - cpu0[k].kernel])),
    commands,
    errors: [...errors.entries()],
    rooms: ready.flatMap((r) => r.rooms),
    generators,
  };
}

async function stopGenerators(phase: Phase): Promise<void> {
  for (const generator of phase.generators) {
    generator.disconnect();
    await new Promise<void>((resolve) => {
      if (generator.exitCode !== null || generator.signalCode !== null) return resolve();
      generator.once('exit', () => resolve());
      setTimeout(() => generator.kill('SIGKILL'), 3000).unref();
    });
    children.delete(generator);
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
}

function report(phase: Phase): void {
  const perMove = (seconds: number) => (seconds * 1e6) / Math.max(1, phase.moves);
  const total = Object.values(phase.cpu).reduce((a, b) => a + b, 0);
  console.log(`\n${phase.name}`);
  console.log(`  ${phase.cards} cards, ${phase.moves} moves in ${phase.seconds.toFixed(1)} s (${(phase.moves / phase.seconds).toFixed(0)} moves/s)`);
  console.log(`  card round-trip  p50 ${pct(phase.rt, 50).toFixed(1)} ms, p95 ${pct(phase.rt, 95).toFixed(1)} ms, p99 ${pct(phase.rt, 99).toFixed(1)} ms`);
  console.log(`  update at the other player (${phase.up.length} samples)  p50 ${pct(phase.up, 50).toFixed(1)} ms, p95 ${pct(phase.up, 95).toFixed(1)} ms, p99 ${pct(phase.up, 99).toFixed(1)} ms`);
  const parts = Object.entries(phase.cpu).map(([k, s]) => `${k} ${perMove(s).toFixed(0)}`);
  console.log(`  CPU per move (µs): ${parts.join(', ')}; all ${perMove(total).toFixed(0)} (${((total / phase.seconds) * 100).toFixed(0)} % of one core)`);
  if (phase.commands) {
    const all = [...phase.commands.values()].reduce((a, b) => a + b, 0);
    const top = [...phase.commands.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${(n / Math.max(1, phase.moves)).toFixed(2)}`);
    console.log(`  Redis commands per move: ${(all / Math.max(1, phase.moves)).toFixed(2)} (${top.join(', ')})`);
  }
  if (phase.errors.length > 0) console.log(`  errors: ${phase.errors.map(([k, n]) => `${k}×${n}`).join(', ')}`);
}

/** A room of the load: its code and its two players' seat tokens. */
interface KilledRoom {
  code: string;
  tokens: string[];
}

/**
 * SIGKILL of the node that runs every room. Both players of each room come back on the survivor by their seat
 * tokens (their sockets there are connected before the kill), as the page does after a lost connection; the
 * room has moved again when a card of theirs is accepted, a finished round's rematch is, or one of the room's
 * clocks moves it. The seconds from the kill until then, for each room.
 */
async function killOwner(rooms: KilledRoom[], owner: { kill(signal: NodeJS.Signals): Promise<unknown> }, survivor: string): Promise<{ moved: number[]; stuck: number }> {
  const players: Player[][] = [];
  for (let i = 0; i < rooms.length; i += 50) {
    players.push(...(await Promise.all(rooms.slice(i, i + 50).map(() => Promise.all([connect(survivor), connect(survivor)])))));
  }
  const killedAt = Date.now();
  const elapsed = () => (Date.now() - killedAt) / 1000;
  await owner.kill('SIGKILL');
  const times = await Promise.all(
    rooms.map(async (room, i) => {
      const pair = players[i];
      const joined = [false, false];
      let base = -1;
      let phase = 'playing';
      while (elapsed() < 60) {
        for (const [j, p] of pair.entries()) {
          if (joined[j]) continue;
          const reply = await call(p, 'room:join', { code: room.code, seatToken: room.tokens[j] }, 9000).catch(() => ({ ok: false }));
          if (!reply.ok) continue;
          joined[j] = true;
          p.version = Math.max(p.version, reply.room.version);
          base = Math.max(base, reply.room.version);
          phase = reply.room.phase;
        }
        if (joined.every(Boolean)) {
          // one of the room's clocks moved it (a retransmission, TIME-WAIT ending)
          if (pair.some((p) => p.version > base)) return elapsed();
          for (const p of pair) {
            const hint = await call<{ ok: boolean; hint?: Card | null }>(p, 'hint:ask', { code: room.code }, 9000).catch(() => ({ ok: false, hint: null }));
            if (!hint.ok || !hint.hint) continue;
            const played = await call(p, 'card:play', { code: room.code, version: Math.max(...pair.map((q) => q.version)), card: hint.hint }, 9000).catch(() => ({ ok: false }));
            if (played.ok) return elapsed();
          }
          phase = pair.map((p) => p.updates.at(-1)?.room.phase).find(Boolean) ?? phase;
          if (phase === 'finished') {
            const again = await call(pair[0], 'room:rematch', { code: room.code }, 9000).catch(() => ({ ok: false }));
            if (again.ok) return elapsed();
          }
        }
        await sleep(100);
      }
      return NaN;
    }),
  );
  for (const pair of players) for (const p of pair) p.socket.disconnect();
  const moved = times.filter((t) => !Number.isNaN(t)).sort((a, b) => a - b);
  return { moved, stuck: times.length - moved.length };
}

async function main(): Promise<void> {
  console.log(`bench:cluster: ${ROOMS} rooms (seat A on the first node, seat B on the second), human pace, ${SECONDS} s per phase, ${GENERATORS} generator processes; ${cpus().length} cores`);
  console.log(`load average before: ${load()}`);
  await buildServer('scripts/bench-relay-node.ts', RELAY_BUNDLE);
  const phases: Phase[] = [];

  // 1. the bare relay alone
  {
    const relay = await startRelayNode();
    const phase = await runPhase('1. bare relay, one process, no adapter', relay.url, relay.url, { relay: relay.child.pid! }, true);
    await stopGenerators(phase);
    await stopChild(relay.child);
    phases.push(phase);
    report(phase);
  }

  // 2. the bare relay on two nodes and the Redis streams adapter
  {
    const redis: RedisProcess = await startRedis();
    const [r1, r2] = await Promise.all([startRelayNode(redis.url), startRelayNode(redis.url)]);
    const phase = await runPhase('2. bare relay, two nodes on the Redis streams adapter (the yardstick)', r1.url, r2.url, { r1: r1.child.pid!, r2: r2.child.pid!, redis: redis.child.pid! }, true, redis.url);
    await stopGenerators(phase);
    await Promise.all([stopChild(r1.child), stopChild(r2.child)]);
    await redis.stop();
    phases.push(phase);
    report(phase);
  }

  // 3. the game on two nodes and Redis
  const redis = await startRedis();
  const env = { LOG_LEVEL: 'warn', LEASE_MS: String(LEASE_MS), TIMER_SCALE: '0.25', FORWARD_TIMEOUT_MS: '5000' };
  const [n1, n2] = await Promise.all([startNode(redis.url, 'n1', env), startNode(redis.url, 'n2', env)]);
  const game = await runPhase('3. the game: two nodes (n1 runs every room, n2 forwards seat B) and Redis', n1.url, n2.url, { n1: n1.child.pid!, n2: n2.child.pid!, redis: redis.child.pid! }, false, redis.url);
  await stopGenerators(game);
  phases.push(game);
  report(game);

  const [alone, onAdapter] = phases;
  const us = (p: Phase, keys?: string[]) => (Object.entries(p.cpu).filter(([k]) => !keys || keys.includes(k)).reduce((a, [, s]) => a + s, 0) * 1e6) / Math.max(1, p.moves);
  console.log('\nhow the cost splits (CPU µs per move)');
  console.log(`  socket.io alone (relay, one process):                       ${us(alone).toFixed(0)}`);
  console.log(`  the adapter, in the nodes (relay on adapter − relay alone): ${(us(onAdapter, ['r1', 'r2']) - us(alone)).toFixed(0)}`);
  console.log(`  the adapter, in Redis:                                      ${us(onAdapter, ['redis']).toFixed(0)}`);
  console.log(`  the game on top of the relay on the adapter, in the nodes:  ${(us(game, ['n1', 'n2']) - us(onAdapter, ['r1', 'r2'])).toFixed(0)}`);
  console.log(`  the game's records and leases in Redis (game − adapter):    ${(us(game, ['redis']) - us(onAdapter, ['redis'])).toFixed(0)}`);
  console.log(`  the game's cluster, all: ${us(game).toFixed(0)} = ${(us(game) / us(onAdapter)).toFixed(2)}× the relay on the adapter (${us(onAdapter).toFixed(0)})`);

  const { moved, stuck } = await killOwner(game.rooms, n1, n2.url);
  console.log(
    `\nSIGKILL of n1 (it ran all ${game.rooms.length} rooms), both players back on n2 by their seat tokens: every room moves again after ${moved.at(-1)?.toFixed(2)} s (first ${moved[0]?.toFixed(2)} s, median ${pct(moved, 50).toFixed(2)} s; lease ${LEASE_MS / 1000} s)${stuck > 0 ? `; ${stuck} rooms did not move within 60 s` : ''}`,
  );
  console.log(`load average after: ${load()}`);
  await stopAll();
}

const watchdog = setTimeout(() => {
  console.error('bench:cluster: time is up, stopping');
  for (const child of children) child.kill('SIGKILL');
  void stopAll().then(() => process.exit(2));
}, (3 * (SECONDS + 60) + 120) * 1000);
watchdog.unref();

main()
  .catch(async (error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const child of children) child.kill('SIGKILL');
    await stopAll();
    process.exit();
  });
