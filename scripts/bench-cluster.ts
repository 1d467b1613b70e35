// bench:cluster — figures, not a test: a redis-server (appendfsync always) and two nodes started as
// `REDIS_URL=… npm start` starts them, on 127.0.0.1; every room has its first player on node 1 (the owner)
// and its second on node 2, so every card of the second player is forwarded and every update crosses nodes.
// Prints the cross-node update latency (a card played on one node until the other player, on the other node,
// has the update) at p50/p95/p99, the CPU per card of each node and of Redis, and the seconds from a node's
// SIGKILL until all its rooms take cards again.
//
//   npm run bench:cluster -- --rooms 100 --seconds 15 --pace 1000
//
// --pace: ms between two cards of one room (human pace is one card every second or two).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Card, Seat } from '../shared/game/types.ts';
import { call, connect, type Player } from '../test/server/helpers.ts';
import { startNode, startRedis, stopAll } from '../test/server/clusterProcess.ts';

const { values } = parseArgs({
  options: { rooms: { type: 'string', default: '100' }, seconds: { type: 'string', default: '15' }, pace: { type: 'string', default: '1000' } },
});
const ROOMS = Number(values.rooms);
const SECONDS = Number(values.seconds);
const PACE = Number(values.pace);

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

interface BenchRoom {
  code: string;
  seats: Record<Seat, Player>;
  /** the player on node 2 (the survivor of the kill) */
  second: Player;
}

async function main(): Promise<void> {
  const redis = await startRedis();
  // quiet nodes: logs at warn, generous limits (the load comes from one address)
  const env = { LOG_LEVEL: 'warn', LEASE_MS: '3000', TIMER_SCALE: '1' };
  const [n1, n2] = await Promise.all([startNode(redis.url, 'n1', env), startNode(redis.url, 'n2', env)]);
  const rooms: BenchRoom[] = [];
  for (let i = 0; i < ROOMS; i += 1) {
    const a = await connect(n1.url);
    const b = await connect(n2.url);
    const created = await call(a, 'room:create', { mode: 'duel', nickname: 'A' });
    const joined = await call(b, 'room:join', { code: created.room.code, nickname: 'B' });
    if (!created.ok || !joined.ok) throw new Error('setup failed');
    rooms.push({ code: created.room.code, seats: (created.seat === 'A' ? { A: a, B: b } : { A: b, B: a }) as Record<Seat, Player>, second: b });
  }
  console.log(`bench:cluster: ${ROOMS} rooms, each with one player on n1 and one on n2; a card every ${PACE} ms per room, ${SECONDS} s`);

  const latencies: number[] = [];
  let cards = 0;
  let notAnswered = 0;
  /** one room's loop: whoever owes a card plays it; the time until the other player has the update is measured */
  async function play(room: BenchRoom, until: number): Promise<void> {
    while (Date.now() < until) {
      const started = Date.now();
      for (const seat of ['A', 'B'] as Seat[]) {
        const p = room.seats[seat];
        const other = room.seats[seat === 'A' ? 'B' : 'A'];
        const hint = await call<{ ok: boolean; hint: Card | null }>(p, 'hint:ask', { code: room.code }, 9000);
        if (!hint.ok || !hint.hint) continue;
        const seen = other.updates.length;
        const sent = performance.now();
        const reply = await call(p, 'card:play', { code: room.code, version: p.version, card: hint.hint }, 9000);
        if (!reply.ok) {
          if (reply.error.code === 'NOT_ANSWERED') notAnswered += 1;
          continue;
        }
        cards += 1;
        while (other.updates.length === seen && performance.now() - sent < 5000) await new Promise((r) => setTimeout(r, 1));
        latencies.push(performance.now() - sent);
        break;
      }
      const last = room.seats.A.updates.at(-1);
      if (last?.room.phase === 'finished') {
        const again = await call(room.seats.A, 'room:rematch', { code: room.code });
        if (again.ok) room.seats.A.version = again.room.version;
        room.seats.B.version = Math.max(room.seats.B.version, room.seats.A.version);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, PACE - (Date.now() - started))));
    }
  }

  const pids = { n1: n1.child.pid!, n2: n2.child.pid!, redis: redis.child.pid! };
  const before = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  await Promise.all(rooms.map((room) => play(room, Date.now() + SECONDS * 1000)));
  const after = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const sorted = latencies.sort((x, y) => x - y);
  console.log(`cards acknowledged: ${cards} (${(cards / SECONDS).toFixed(0)}/s); NOT_ANSWERED: ${notAnswered}`);
  console.log(`card → update on the other node: p50 ${pct(sorted, 50).toFixed(1)} ms, p95 ${pct(sorted, 95).toFixed(1)} ms, p99 ${pct(sorted, 99).toFixed(1)} ms`);
  let total = 0;
  for (const k of Object.keys(pids)) {
    const used = after[k] - before[k];
    total += used;
    console.log(`CPU ${k.padEnd(5)}: ${(used * 1000).toFixed(0)} ms, ${((used * 1e6) / Math.max(1, cards)).toFixed(0)} µs per card`);
  }
  console.log(`CPU all  : ${((total * 1e6) / Math.max(1, cards)).toFixed(0)} µs per card (nodes and Redis)`);

  // SIGKILL of the node that owns every room: how long until each room takes a card again from the survivor
  const killedAt = Date.now();
  await n1.kill('SIGKILL');
  const moved = await Promise.all(
    rooms.map(async (room) => {
      const p = room.second;
      for (;;) {
        const reply = await call(p, 'room:resync', { code: room.code }, 9000).catch(() => ({ ok: false }));
        if ((reply as { ok: boolean }).ok) return Date.now() - killedAt;
        if (Date.now() - killedAt > 30_000) return NaN;
        await new Promise((r) => setTimeout(r, 100));
      }
    }),
  );
  const movedSorted = moved.sort((x, y) => x - y);
  console.log(`SIGKILL of the owner: all ${ROOMS} rooms answer again on the survivor after ${(movedSorted.at(-1)! / 1000).toFixed(2)} s (first ${(movedSorted[0] / 1000).toFixed(2)} s; lease 3 s)`);
  for (const room of rooms) for (const p of Object.values(room.seats)) p.socket.disconnect();
  await stopAll();
}

main().catch(async (error) => {
  console.error(error);
  await stopAll();
  process.exit(1);
});
