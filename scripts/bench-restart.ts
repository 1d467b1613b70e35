// npm run bench:restart [-- --rooms 1000 --cards 4]
//
// How long a restart takes for the players. Starts the game server as npm start runs it (server/main.ts built
// by esbuild, plain Node, the embedded store in a fresh temporary folder), fills it with N duel rooms — 2N
// real socket.io-client sockets on 127.0.0.1, reconnecting as the page's Connection does — plays a few cards in
// each, kills the server with SIGKILL and starts it again. Prints how long the new server took to load its
// state, and the seconds from the kill until every player had its board back (its seat rejoined by token).
// Stops by itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { gcFlagsFor } from '../server/gcFlags.ts';
import { JOURNAL_FILE } from '../server/store/journal.ts';
import type { Card } from '../shared/game/types.ts';
import { buildServer } from './build-server.ts';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const ROOMS = Number(flag('rooms', '1000'));
const CARDS = Number(flag('cards', '4'));
const BUNDLE = 'dist/bench/main.mjs';
const dataDir = mkdtempSync(path.join(tmpdir(), 'handshake-restart-bench-'));
let server: ChildProcess | null = null;
const hardStop = setTimeout(() => {
  console.error('bench:restart did not finish within 5 minutes: stopped');
  finish(1);
}, 300_000);

function finish(code: number): never {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  clearTimeout(hardStop);
  process.exit(code);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Starts the server; resolves with the time it said its state was loaded in, once it is ready. */
function startServer(port: number): Promise<{ loadMs: number | null }> {
  const child = spawn(process.execPath, [...gcFlagsFor(availableParallelism()), BUNDLE], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      CLIENT_DIR: '/nonexistent',
      LOG_LEVEL: 'info',
      EVENT_BURST: '100000',
      EVENT_RATE: '100000',
      JOIN_BURST: '100000',
      JOIN_RATE: '100000',
      CONNECT_BURST: '100000',
      CONNECT_RATE: '100000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server = child;
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      text += chunk;
      if (!text.includes('Handshake is ready')) return;
      const loaded = /"ms":(\d+)[^\n]*state loaded/.exec(text);
      resolve({ loadMs: loaded ? Number(loaded[1]) : null });
    });
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
  });
}

interface Seat {
  socket: Socket;
  code: string;
  token: string;
  /** when it last got its board back (a successful join by token) */
  back: number | null;
}

function ack<T>(socket: Socket, event: string, payload: unknown): Promise<T> {
  return socket.timeout(10_000).emitWithAck(event, payload) as Promise<T>;
}

async function main(): Promise<void> {
  mkdirSync(path.dirname(BUNDLE), { recursive: true });
  await buildServer('server/main.ts', BUNDLE);
  const port = await freePort();
  await startServer(port);
  const url = `http://127.0.0.1:${port}`;
  const seats: Seat[] = [];
  const connect = () =>
    new Promise<Socket>((resolve, reject) => {
      // as the page's Connection schedules its tries: 0.5 s after the loss, then 1 s, then every 1.5 s, spread ±25 %
      const socket = io(url, { transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 1500, randomizationFactor: 0.25, forceNew: true });
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  const t0 = performance.now();
  for (let i = 0; i < ROOMS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, ROOMS - i) }, async () => {
        const a = await connect();
        const b = await connect();
        const created = await ack<{ ok: boolean; room: { code: string }; seatToken: string }>(a, 'room:create', { mode: 'duel' });
        const joined = await ack<{ ok: boolean; seatToken: string }>(b, 'room:join', { code: created.room.code });
        seats.push({ socket: a, code: created.room.code, token: created.seatToken, back: null });
        seats.push({ socket: b, code: created.room.code, token: joined.seatToken, back: null });
        // a few right cards, so the rooms hold games in progress
        let version = 1;
        for (let c = 0; c < CARDS; c += 1) {
          for (const s of [a, b]) {
            const hint = await ack<{ ok: boolean; hint: Card | null }>(s, 'hint:ask', { code: created.room.code });
            if (!hint.ok || !hint.hint) continue;
            const played = await ack<{ ok: boolean; version: number }>(s, 'card:play', { code: created.room.code, version, card: hint.hint });
            if (played.ok) version = played.version;
          }
        }
      }),
    );
  }
  console.log(`bench:restart: ${ROOMS} rooms, ${seats.length} players connected and playing in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // each player rejoins by its token as soon as its socket is back, as the page does
  for (const seat of seats) {
    seat.socket.io.on('reconnect', () => {
      void ack<{ ok: boolean }>(seat.socket, 'room:join', { code: seat.code, seatToken: seat.token }).then((reply) => {
        if (reply.ok) seat.back = performance.now();
      });
    });
  }
  const file = path.join(dataDir, JOURNAL_FILE);
  console.log(`data file before the kill: ${(statSync(file).size / 2 ** 20).toFixed(1)} MB`);
  const killedAt = performance.now();
  server!.kill('SIGKILL');
  await new Promise((resolve) => server!.once('exit', resolve));
  const { loadMs } = await startServer(port);
  const readyAt = performance.now();
  while (seats.some((s) => s.back === null)) {
    if (performance.now() - killedAt > 60_000) {
      console.log(`${seats.filter((s) => s.back === null).length} players had no board back after 60 s`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const backs = seats.map((s) => s.back).filter((t): t is number => t !== null);
  const last = Math.max(...backs);
  const sorted = backs.map((t) => t - killedAt).sort((x, y) => x - y);
  console.log(`server started again and loaded its state in ${((readyAt - killedAt) / 1000).toFixed(2)} s after the kill (loading the records: ${loadMs ?? '?'} ms)`);
  console.log(
    `every player had its board back ${((last - killedAt) / 1000).toFixed(2)} s after the kill (median ${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(2)} s; ${backs.length}/${seats.length} players)`,
  );
  console.log('(the clients wait between reconnection tries as the page does: up to 1.5 s, so part of this is their back-off)');
  for (const seat of seats) seat.socket.close();
  finish(0);
}

main().catch((error) => {
  console.error(error);
  finish(1);
});
